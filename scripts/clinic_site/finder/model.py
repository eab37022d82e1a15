"""The therapist listing as the finder uses it (`Listing`), and the small pure helpers it needs:
phone numbers, distance, dates and slugs. Nothing here reads files or knows about MkDocs."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata

from clinic_site.phone import parse_phone, phone_display, phone_tel

EARTH_RADIUS_MILES = 3958.8


@dataclasses.dataclass(frozen=True)
class Listing:
    """One valid listing, as docs/therapists/listings/<id>.yml gives it after the schema's checks
    (scripts/clinic_site/finder/schema.py). Lists of terms hold codes from the vocabulary
    (docs/therapists/vocabulary.yml), never labels; text has its runs of white space joined."""

    id: str
    name: str
    credentials: tuple[str, ...]
    license_number: str
    license_state: str
    license_verified: dt.date
    clinic: str
    street: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    phone: str
    website: str | None
    specialties: tuple[str, ...]   # codes
    payment: tuple[str, ...]       # codes
    languages: tuple[str, ...]     # codes
    telehealth: bool
    home_visits: bool
    accepting_new_clients: bool
    last_updated: dt.date
    bio: str
    sample: bool
    at_clinic: bool = False   # works at the site's own clinic (clinic.yml): shown "At our clinic"

    @property
    def city_key(self) -> str:
        """The city page's slug, like austin-tx."""
        return city_slug(self.city, self.state)

    @property
    def tel(self) -> str:
        """What follows "tel:" in the number's link: "+15125550101", or "+15125550101;ext=204"."""
        return phone_tel(self.phone).removeprefix("tel:")

    @property
    def phone_display(self) -> str:
        """"(512) 555-0101", or "(512) 555-0101 ext. 204" (clinic_site.phone)."""
        return phone_display(self.phone)

    @property
    def phone_tel(self) -> str:
        """The whole tel: link: "tel:+15125550101;ext=204" (clinic_site.phone)."""
        return phone_tel(self.phone)

    @property
    def phone_e164(self) -> str:
        """"+15125550101", without the extension: for structured data (schema.org telephone)."""
        found = parse_phone(self.phone)
        return found.e164 if found else self.phone


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles between two positions in degrees (the formula finder.js uses)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def phone_digits(phone: str) -> str:
    """The 10 dialable digits of a US phone number (without its extension), or '' when it cannot
    be dialled. The rules are clinic_site.phone's, the one parser for the clinic and listings."""
    found = parse_phone(phone)
    return found.digits if found else ""


def format_phone(phone: str) -> str:
    """(512) 555-0101, with " ext. 204" when there is one, for any dialable form; other text is
    returned as it is (clinic_site.phone.phone_display)."""
    return phone_display(phone)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same calendar day `months` months earlier (Feb 29 -> Feb 28)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def slugify(text: str) -> str:
    """Lowercase letters and digits joined by single hyphens ('city' when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "city"


# Words a city's name is ordinarily shortened to, and the word each stands for (USPS Publication 28
# spells them out in city names): "St. Louis" and "Saint Louis" are one place.
CITY_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain",
                      "pt": "point", "pk": "park", "spgs": "springs", "hts": "heights", "vlg": "village"}


def city_words(city: str) -> list[str]:
    """A city's name as words to compare: without accents ("Cañon" is "canon"), lowercase,
    punctuation dropped, each ordinary abbreviation written out ("st" -> "saint")."""
    plain = unicodedata.normalize("NFKD", city)
    plain = "".join(character for character in plain if not unicodedata.combining(character)).lower()
    plain = plain.replace("'", "").replace("\u2019", "")   # Coeur d'Alene: one word "dalene", written either way
    return [CITY_ABBREVIATIONS.get(word, word) for word in re.findall(r"[a-z0-9]+", plain)]


def city_slug(city: str, state: str) -> str:
    """austin-tx for Austin, TX; saint-louis-mo for "St. Louis", "St Louis" and "Saint Louis", MO
    (city_words): one place, one page, however its name is written."""
    return f"{'-'.join(city_words(city)) or 'city'}-{state.lower()}"


def city_name(spellings: list[str]) -> str:
    """The one spelling a city's page is titled by, of the ways its listings write it: the most
    used; on a tie, the one with its words written out ("Saint Louis" before "St. Louis"), then
    the first in alphabetical order."""
    counts: dict[str, int] = {}
    for spelling in spellings:
        counts[spelling] = counts.get(spelling, 0) + 1

    def abbreviated(spelling: str) -> int:
        return sum(word.strip(".").lower() in CITY_ABBREVIATIONS for word in spelling.split())
    return min(counts, key=lambda spelling: (-counts[spelling], abbreviated(spelling), spelling))
