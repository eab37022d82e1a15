"""The US states, the District of Columbia and the territories the site accepts, with their names.

One list for the clinic block (clinic_settings.py), listings (finder/schema.py) and licensing
boards (finder/boards.py). Source: USPS Publication 28, Appendix B (two-letter state and
possession abbreviations). It holds every state, district and territory that the ZIP data
(the `zipcodes` package, finder/zip_positions.py) has positions for; tests/test_finder_data.py
checks that against the package. Left out on purpose, though the package has ZIPs for them:
- AA, AE, AP: military post offices ("Armed Forces Americas/Europe/Pacific"), not places a
  clinic can be;
- FM, MH, PW: Micronesia, the Marshall Islands and Palau, independent countries in free
  association with the US, which the USPS serves but which are not US states or territories.
"""
from __future__ import annotations

US_STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    # The territories.
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}
US_STATES = frozenset(US_STATE_NAMES)
# In the ZIP data but not accepted (see above), with the reason a test prints.
NOT_ACCEPTED = {
    "AA": "military mail", "AE": "military mail", "AP": "military mail",
    "FM": "a country in free association", "MH": "a country in free association",
    "PW": "a country in free association",
}
