"""Therapist listings: loading, validation, distance and rendering, as pure functions.

The MkDocs hook (scripts/hooks/finder.py) calls these; so do the tests and the
benchmark. Nothing here imports MkDocs.

Data: one YAML file per listing in docs/therapists/listings/<id>.yml (the file
name is the listing's id), documented for clinic staff in the README.md there.
Every problem message names the file and the field and says how to fix it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import html
import json
import math
import posixpath
import re
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import quote

import yaml

# ---------------------------------------------------------------- controlled lists
# Each list is (code, label). Codes are short and stable: the directory page's
# data attributes and URL (#s=lymph) use them. Add new entries at the END so
# existing codes keep their meaning.
CREDENTIALS: dict[str, str] = {
    "LMT": "Licensed Massage Therapist",
    "PT": "Physical Therapist",
    "DPT": "Doctor of Physical Therapy",
    "PTA": "Physical Therapist Assistant",
    "BCTMB": "Board Certified in Therapeutic Massage and Bodywork",
    "OCS": "Board-Certified Orthopaedic Clinical Specialist",
    "SCS": "Board-Certified Sports Clinical Specialist",
    "CLT": "Certified Lymphedema Therapist",
}
# Credentials that make the license a physical-therapy license (else: massage therapy).
PT_LICENSES = ("PT", "DPT", "PTA")

SPECIALTIES: dict[str, str] = {
    "ortho": "orthopedic rehabilitation",
    "posture": "postural correction",
    "sports": "sports injuries",
    "lymph": "lymphatic drainage",
    "postsurg": "post-surgical recovery",
    "back": "neck and back pain",
    "chronic": "chronic pain",
    "tmj": "jaw (TMJ) pain",
    "headache": "tension headaches",
    "scar": "scar tissue mobilization",
    "prenatal": "prenatal and postpartum",
    "older": "older adults and fall prevention",
}

PAYMENT: dict[str, str] = {
    "self": "self-pay",
    "hsa": "HSA or FSA",
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "aetna": "Aetna",
    "bcbs": "Blue Cross Blue Shield",
    "cigna": "Cigna",
    "uhc": "UnitedHealthcare",
    "humana": "Humana",
    "tricare": "Tricare",
    "workers": "workers' compensation",
    "auto": "auto insurance",
}

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese (Mandarin)",
    "yue": "Chinese (Cantonese)",
    "vi": "Vietnamese",
    "ko": "Korean",
    "tl": "Tagalog",
    "fr": "French",
    "de": "German",
    "ar": "Arabic",
    "ru": "Russian",
    "pt": "Portuguese",
    "hi": "Hindi",
    "ja": "Japanese",
    "pl": "Polish",
    "asl": "American Sign Language",
}

US_STATES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
}

# field -> (required, kind, example). Kinds are checked by _check_field.
FIELDS: dict[str, tuple[bool, str, str]] = {
    "id": (True, "id", "jane-doe"),
    "name": (True, "text", "Jane Doe"),
    "credentials": (True, "credentials", "[LMT, CLT]"),
    "license_number": (True, "text", "MT012345"),
    "license_state": (True, "state", "TX"),
    "license_verified": (True, "date", "2026-11-01"),
    "clinic": (True, "text", "Riverside Massage and PT"),
    "street": (True, "text", "100 Example Street, Suite 2"),
    "city": (True, "text", "Austin"),
    "state": (True, "state", "TX"),
    "zip": (True, "zip", "78701"),
    "latitude": (True, "latitude", "30.2713"),
    "longitude": (True, "longitude", "-97.7426"),
    "phone": (True, "phone", "512-555-0101"),
    "website": (False, "url", "https://example.org"),
    "specialties": (True, "specialties", "[orthopedic rehabilitation, sports injuries]"),
    "payment": (True, "payment", "[self-pay, Medicare]"),
    "languages": (True, "languages", "[English, Spanish]"),
    "telehealth": (True, "bool", "true"),
    "home_visits": (True, "bool", "false"),
    "accepting_new_clients": (True, "bool", "true"),
    "last_updated": (True, "date", "2026-11-01"),
    "bio": (False, "bio", "Two or three plain sentences."),
    "sample": (True, "bool", "false"),
}

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_IDS = {"cities", "zip", "listings", "index", "assets"}
BIO_MAX = 600
MAX_MILES_FROM_ZIP = 25.0
STALE_MONTHS = 12
EARTH_RADIUS_MILES = 3958.8
# libyaml's safe loader when PyYAML has it (about 9x faster for thousands of files).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ListingError(Exception):
    """Raised with every problem found, so staff can fix them all at once."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True)
class Listing:
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

    @property
    def city_key(self) -> str:
        return city_slug(self.city, self.state)

    @property
    def tel(self) -> str:
        return "+1" + phone_digits(self.phone)


# ---------------------------------------------------------------- small pure helpers
def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles (the same formula finder.js uses)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def phone_digits(phone: str) -> str:
    """The 10 dialable digits of a US phone number, or '' when it cannot be dialled."""
    if not isinstance(phone, str) or re.search(r"[^0-9+()\-.\s]", phone):
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    # North American numbers: area code and exchange never start with 0 or 1.
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return ""
    return digits


def format_phone(phone: str) -> str:
    d = phone_digits(phone)
    return f"({d[:3]}) {d[3:6]}-{d[6:]}" if d else phone


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
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "city"


def city_slug(city: str, state: str) -> str:
    return f"{slugify(city)}-{state.lower()}"


def e(text: object) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return html.escape(str(text), quote=True)


def _label_lookup(table: Mapping[str, str]) -> dict[str, str]:
    """label (any case) -> code; codes are accepted too."""
    lookup = {label.lower(): code for code, label in table.items()}
    lookup.update({code.lower(): code for code in table})
    return lookup


# ---------------------------------------------------------------- validation
def _where(path: str, field: str) -> str:
    return f"{path}, field '{field}'"


def _as_list(value) -> list | None:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [value]
    return None


def _check_controlled(path, field, value, table, *, what) -> tuple[list[str], tuple[str, ...]]:
    items = _as_list(value)
    if not items:
        return [f"{_where(path, field)}: is empty; list at least one {what}, "
                f"for example {FIELDS[field][2]}"], ()
    lookup = _label_lookup(table)
    problems, codes = [], []
    for item in items:
        code = lookup.get(str(item).strip().lower())
        if code is None:
            choices = ", ".join(table.values())
            near = difflib.get_close_matches(str(item).lower(), list(lookup), n=1, cutoff=0.6)
            hint = f" Did you mean '{table.get(lookup[near[0]], near[0])}'?" if near else ""
            problems.append(f"{_where(path, field)}: '{item}' is not in the list of {what}s.{hint} "
                            f"Use one of: {choices}. (A developer can add a new one in scripts/clinic_site/finder/listings.py.)")
        elif code not in codes:
            codes.append(code)
    return problems, tuple(codes)


def _check_date(path, field, value, today) -> tuple[list[str], dt.date | None]:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        return [f"{_where(path, field)}: '{value}' is not a date; write it as YYYY-MM-DD, "
                f"for example {FIELDS[field][2]}, without quotes"], None
    if value > today:
        return [f"{_where(path, field)}: {value} is in the future; use the date it was actually done"], None
    return [], value


def validate_listing(
    data, path: str, *, today: dt.date, zip_lookup: Callable[[str], tuple[float, float, str] | None],
    boards: Mapping[str, Mapping] | None = None, file_id: str | None = None,
) -> tuple[Listing | None, list[str]]:
    """Check one listing. `zip_lookup(zip)` gives (lat, lon, state) or None for an unknown ZIP.

    Returns the listing (None when it has problems) and the problems found.
    """
    if not isinstance(data, dict):
        return None, [f"{path}: the file must be a list of 'field: value' lines (see "
                      "docs/therapists/listings/README.md); it is empty or has a different shape"]
    problems: list[str] = []
    for field in data:
        if field not in FIELDS:
            text = str(field).lower()
            near = sorted((f for f in FIELDS if f in text or text in f), key=len, reverse=True)[:1] \
                or difflib.get_close_matches(text, list(FIELDS), n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            problems.append(f"{_where(path, field)}: is not a known field; {hint}"
                            f"known fields: {', '.join(FIELDS)}")
    for field, (required, _kind, example) in FIELDS.items():
        if required and (field not in data or data[field] is None or data[field] == ""):
            problems.append(f"{_where(path, field)}: is missing; add a line like `{field}: {example}`")

    values: dict = {}
    for field, (_required, kind, example) in FIELDS.items():
        if field not in data or data[field] is None or data[field] == "":
            continue
        value = data[field]
        where = _where(path, field)
        if kind == "id":
            text = str(value)
            if not ID_PATTERN.match(text):
                problems.append(f"{where}: '{text}' must be lowercase letters, digits and single hyphens, "
                                f"like {example}")
            elif text in RESERVED_IDS:
                problems.append(f"{where}: '{text}' is reserved for the site's own pages; choose another id")
            elif file_id is not None and text != file_id:
                problems.append(f"{where}: '{text}' does not match the file name '{file_id}.yml'; "
                                f"rename the file to {text}.yml or set id: {file_id}")
            else:
                values[field] = text
        elif kind in ("text", "bio"):
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                problems.append(f"{where}: must be plain text, like {example}")
                continue
            text = " ".join(str(value).split())
            if kind == "bio" and len(text) > BIO_MAX:
                problems.append(f"{where}: is {len(text)} characters; shorten it to {BIO_MAX} or fewer")
                continue
            values[field] = text
        elif kind == "state":
            text = str(value).strip().upper()
            if text not in US_STATES:
                problems.append(f"{where}: '{value}' is not a US state; write the two-letter code, like {example}")
            else:
                values[field] = text
        elif kind == "zip":
            text = str(value).strip()
            if isinstance(value, int) or not re.fullmatch(r"\d{5}", text):
                hint = " Put quotes around it (\"01234\") so a leading zero is kept." if isinstance(value, int) else ""
                problems.append(f"{where}: '{value}' is not a 5-digit US ZIP; write it like \"78701\".{hint}")
            elif zip_lookup(text) is None:
                problems.append(f"{where}: '{text}' is not a known US ZIP code; check it on the letter or web site")
            else:
                values[field] = text
        elif kind in ("latitude", "longitude"):
            limit = 90 if kind == "latitude" else 180
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
                problems.append(f"{where}: '{value}' is not a {kind}; write a number between -{limit} and "
                                f"{limit}, like {example}")
            else:
                values[field] = float(value)
        elif kind == "phone":
            if not phone_digits(str(value)):
                problems.append(f"{where}: '{value}' cannot be dialled; write a 10-digit US number "
                                f"with its area code, like {example}")
            else:
                values[field] = str(value).strip()
        elif kind == "url":
            text = str(value).strip()
            if not re.match(r"^https?://[^\s/<>\"']+\.[^\s<>\"']*$", text, re.IGNORECASE):
                problems.append(f"{where}: '{value}' is not a web address; it must start with https:// "
                                f"(or http://), like {example}")
            else:
                values[field] = text
        elif kind == "bool":
            if not isinstance(value, bool):
                problems.append(f"{where}: '{value}' must be true or false")
            else:
                values[field] = value
        elif kind == "date":
            found, day = _check_date(path, field, value, today)
            problems += found
            if day is not None:
                values[field] = day
        elif kind == "credentials":
            found, codes = _check_controlled(path, field, value, {k: k for k in CREDENTIALS}, what="credential")
            problems += found
            if not found:
                values[field] = codes
        elif kind in ("specialties", "payment", "languages"):
            table = {"specialties": SPECIALTIES, "payment": PAYMENT, "languages": LANGUAGES}[kind]
            what = {"specialties": "specialty", "payment": "payment option", "languages": "language"}[kind]
            found, codes = _check_controlled(path, field, value, table, what=what)
            problems += found
            if not found:
                values[field] = codes

    # Checks across fields.
    if "last_updated" in values and values["last_updated"] < months_before(today, STALE_MONTHS):
        problems.append(f"{_where(path, 'last_updated')}: {values['last_updated']} is more than "
                        f"{STALE_MONTHS} months ago; confirm every detail with the therapist, then set "
                        f"last_updated to today's date ({today})")
    if "zip" in values:
        zlat, zlon, zstate = zip_lookup(values["zip"])
        if "state" in values and zstate and zstate != values["state"]:
            problems.append(f"{_where(path, 'zip')}: ZIP {values['zip']} is in {zstate}, but state is "
                            f"{values['state']}; correct the ZIP or the state")
        if "latitude" in values and "longitude" in values:
            miles = haversine_miles(values["latitude"], values["longitude"], zlat, zlon)
            if miles > MAX_MILES_FROM_ZIP:
                problems.append(f"{path}, fields 'latitude' and 'longitude': {values['latitude']}, "
                                f"{values['longitude']} is {miles:.0f} miles from ZIP {values['zip']} "
                                f"(more than {MAX_MILES_FROM_ZIP:.0f}); copy the position of the street "
                                f"address from a map (right-click, 'What's here?'), latitude first")
    if boards is not None and "license_state" in values and values["license_state"] not in boards:
        problems.append(f"{_where(path, 'license_state')}: no licensing board is listed for "
                        f"{values['license_state']}; add the state's board look-up pages to "
                        "docs/therapists/licensing-boards.yml")
    if problems:
        return None, problems
    values.setdefault("website", None)
    values.setdefault("bio", "")
    return Listing(**values), []


def check_unique_ids(listings: Iterable[tuple[str, Listing]]) -> list[str]:
    """Problems for ids used by more than one file. `listings` is (path, listing) pairs."""
    seen: dict[str, str] = {}
    problems = []
    for path, listing in listings:
        if listing.id in seen:
            problems.append(f"{_where(path, 'id')}: '{listing.id}' is also the id of {seen[listing.id]}; "
                            "every listing needs its own id (and file name)")
        else:
            seen[listing.id] = path
    return problems


def load_boards(path: Path) -> dict[str, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems = []
    for state, entry in data.items():
        for kind in ("massage", "physical_therapy"):
            url = (entry or {}).get(kind, {}).get("lookup", "") if isinstance(entry, dict) else ""
            if not str(url).startswith("https://"):
                problems.append(f"{path}, state '{state}', '{kind}': needs a 'lookup:' address starting with https://")
    if problems:
        raise ListingError(problems)
    return data


def load_listings(
    folder: Path, *, today: dt.date, zip_lookup, boards=None, display_root: Path | None = None,
) -> list[Listing]:
    """Every listing in `folder` (*.yml), sorted by name. Raises ListingError with all problems."""
    problems: list[str] = []
    found: list[tuple[str, Listing]] = []
    files = sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))
    for file in files:
        shown = str(file.relative_to(display_root)) if display_root and file.is_relative_to(display_root) else str(file)
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f", line {mark.line + 1}" if mark else ""
            problems.append(f"{shown}{line}: the file is not valid YAML ({getattr(error, 'problem', error)}); "
                            "check the indentation and that text containing ': ' is in quotes")
            continue
        if file.suffix == ".yaml":
            problems.append(f"{shown}: rename the file to {file.stem}.yml")
            continue
        listing, found_problems = validate_listing(data, shown, today=today, zip_lookup=zip_lookup,
                                                   boards=boards, file_id=file.stem)
        problems += found_problems
        if listing:
            found.append((shown, listing))
    problems += check_unique_ids(found)
    if problems:
        raise ListingError(problems)
    return sorted((listing for _, listing in found), key=lambda item: (item.name.lower(), item.id))


# ---------------------------------------------------------------- URLs
LISTING_URI = "therapists/{id}.md"
CITY_URI = "therapists/cities/{slug}.md"
DIRECTORY_URI = "therapists/index.md"
PAGE_TEMPLATE = "finder-page.html"  # overrides/finder-page.html: listing and city pages


def page_url(src_uri: str) -> str:
    """Site-relative URL of a page with use_directory_urls (the MkDocs default)."""
    path = src_uri[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
    else:
        path += "/"
    return path


def rel(from_uri: str, to_uri: str) -> str:
    """Relative link from page `from_uri` to page (or file) `to_uri`."""
    base = page_url(from_uri) or "."
    target = page_url(to_uri) if to_uri.endswith(".md") else to_uri
    link = posixpath.relpath(target or ".", base)
    if to_uri.endswith(".md"):
        link = link.rstrip("/") + "/" if link != "." else "./"
    return link


# ---------------------------------------------------------------- rendering
def _labels(codes, table) -> str:
    return ", ".join(table[c] for c in codes)


def sample_note(count_samples: int) -> str:
    if not count_samples:
        return ""
    return ('<div class="admonition warning finder-sample-note">'
            '<p class="admonition-title">Sample listings</p>'
            '<p>Listings marked <strong>Sample</strong> are fictional examples for this demonstration site. '
            'They are not real therapists; do not call or visit them.</p></div>')


def badges(listing: Listing) -> str:
    out = []
    if listing.sample:
        out.append('<span class="finder-badge finder-badge--sample">Sample</span>')
    if listing.accepting_new_clients:
        out.append('<span class="finder-badge">Accepting new clients</span>')
    if listing.telehealth:
        out.append('<span class="finder-badge">Telehealth</span>')
    if listing.home_visits:
        out.append('<span class="finder-badge">Home visits</span>')
    return " ".join(out)


def directory_item(listing: Listing, from_uri: str) -> str:
    """One <li> of the directory: plain HTML, filter fields in compact data- attributes."""
    flags = ("t" if listing.telehealth else "") + ("h" if listing.home_visits else "") + \
            ("a" if listing.accepting_new_clients else "")
    href = rel(from_uri, LISTING_URI.format(id=listing.id))
    return (
        f'<li class="finder-item" data-g="{listing.latitude:.5f},{listing.longitude:.5f}" '
        f'data-s="{" ".join(listing.specialties)}" data-c="{" ".join(listing.credentials)}" '
        f'data-l="{" ".join(listing.languages)}" data-p="{" ".join(listing.payment)}" data-f="{flags}">'
        f'<a class="finder-item__name" href="{e(href)}">{e(listing.name)}</a>, {e(", ".join(listing.credentials))}'
        f'<span class="finder-item__dist"></span><br>'
        f'{e(listing.clinic)}, {e(listing.city)}, {listing.state} {listing.zip}<br>'
        f'<small>{e(_labels(listing.specialties, SPECIALTIES))}</small> {badges(listing)}</li>'
    )


def _select(name: str, label: str, table: Mapping[str, str]) -> str:
    options = "".join(f'<option value="{e(code)}">{e(text)}</option>'
                      for code, text in sorted(table.items(), key=lambda item: item[1].lower()))
    return (f'<div class="finder-field"><label for="finder-{name}">{e(label)}</label>'
            f'<select id="finder-{name}" name="{name}"><option value="">Any</option>{options}</select></div>')


def render_directory(listings: list[Listing], *, zip_base: str, zip_digits: int = 2,
                     from_uri: str = DIRECTORY_URI, page_size: int = 50) -> str:
    """The directory: search controls (shown by finder.js), result count and every listing in plain HTML.

    The controls are not in a <form> (the site's content rules forbid forms); finder.js
    handles Enter in the ZIP box and the buttons. They are shown only when scripts run, by
    CSS (`@media (scripting: enabled)` in finder.css), so they are laid out from the first
    paint and nothing moves when finder.js starts.
    """
    credential_labels = {code: f"{code} ({label})" for code, label in CREDENTIALS.items()}
    form = (
        f'<div id="finder-form" class="finder-form" data-search-exclude data-zip-base="{e(zip_base)}" data-zip-digits="{int(zip_digits)}" data-page-size="{int(page_size)}" '
        'role="search" aria-label="Find a therapist">'
        '<fieldset class="finder-near"><legend>Near you</legend>'
        '<div class="finder-field"><label for="finder-zip">ZIP code</label>'
        '<input id="finder-zip" name="zip" inputmode="numeric" autocomplete="postal-code" '
        'pattern="[0-9]{5}" maxlength="5" size="7" aria-describedby="finder-privacy"></div>'
        '<button type="button" id="finder-zip-go" class="md-button">Sort by distance</button> '
        '<button type="button" id="finder-locate" class="md-button">Use my location</button> '
        '<button type="button" id="finder-clear-near" class="md-button" hidden>Clear location</button>'
        '<p id="finder-privacy" class="finder-help">Your ZIP code and location stay in your browser: '
        'positions are looked up from a file on this site, and nothing is sent anywhere.</p>'
        '<p id="finder-near-status" class="finder-help" role="status"></p>'
        '</fieldset>'
        '<fieldset class="finder-filters"><legend>Filters</legend>'
        '<div class="finder-field finder-field--wide"><label for="finder-q">Name, clinic, city or keyword</label>'
        '<input id="finder-q" name="q" type="search" autocomplete="off"></div>'
        + _select("s", "Specialty", SPECIALTIES)
        + _select("c", "Credential", credential_labels)
        + _select("l", "Language", LANGUAGES)
        + _select("p", "Payment", PAYMENT)
        + '<div class="finder-checks">'
        '<label><input type="checkbox" id="finder-t" name="t"> Telehealth</label> '
        '<label><input type="checkbox" id="finder-h" name="h"> Home visits</label> '
        '<label><input type="checkbox" id="finder-a" name="a"> Accepting new clients</label></div>'
        '<button type="button" id="finder-reset" class="md-button">Clear all filters</button>'
        '</fieldset></div>'
    )
    count = (f'<p id="finder-count" class="finder-count" role="status" aria-live="polite" aria-atomic="true">'
             f'{len(listings)} therapists, sorted by name.</p>')
    items = "\n".join(directory_item(listing, from_uri) for listing in listings)
    return (f'<div id="finder" class="finder">\n{sample_note(sum(l.sample for l in listings))}\n'
            f'{form}\n{count}\n<ol id="finder-list" class="finder-list" data-search-exclude>\n{items}\n</ol>\n'
            '<p id="finder-empty" class="finder-empty" hidden>No therapist matches these filters. '
            'Try removing a filter.</p>\n'
            '<button type="button" id="finder-more" class="md-button finder-more" hidden>Show more</button></div>')


def render_city_links(cities: Mapping[str, list[Listing]], from_uri: str = DIRECTORY_URI) -> str:
    items = []
    for slug, group in sorted(cities.items(), key=lambda item: (item[1][0].state, item[1][0].city)):
        first = group[0]
        href = rel(from_uri, CITY_URI.format(slug=slug))
        items.append(f'<li><a href="{e(href)}">{e(first.city)}, {first.state}</a> ({len(group)})</li>')
    return f'<ul class="finder-cities">{"".join(items)}</ul>'


def group_by_city(listings: Iterable[Listing]) -> dict[str, list[Listing]]:
    cities: dict[str, list[Listing]] = {}
    for listing in listings:
        cities.setdefault(listing.city_key, []).append(listing)
    return cities


@dataclasses.dataclass(frozen=True)
class GeneratedPage:
    """A listing or city page: its page settings (as front matter would give them) and its
    finished HTML, in which every value from a listing is escaped. The finder hook hands
    both to MkDocs as they are: no Markdown to convert, no YAML to write and parse again
    (for thousands of pages, those took a third of the build)."""
    meta: dict
    html: str


def city_page_title(city: str, state: str) -> str:
    return f"Medical massage in {city}, {state}"


def render_city_page(slug: str, group: list[Listing], intro: str | None = None) -> GeneratedPage:
    """A city page: its own introduction and its listings."""
    first = group[0]
    uri = CITY_URI.format(slug=slug)
    place = f"{first.city}, {first.state}"
    title = city_page_title(first.city, first.state)
    n = len(group)
    accepting = sum(l.accepting_new_clients for l in group)
    telehealth = sum(l.telehealth for l in group)
    specialties = sorted({s for l in group for s in l.specialties}, key=lambda c: SPECIALTIES[c])
    intro = intro or (
        f"{n} {'therapist' if n == 1 else 'therapists'} in {e(place)} list medical massage or physical "
        f"therapy here; {accepting} {'is' if accepting == 1 else 'are'} accepting new clients and "
        f"{telehealth} offer{'s' if telehealth == 1 else ''} telehealth. Specialties offered in {e(first.city)} "
        f"include {e(', '.join(SPECIALTIES[s] for s in specialties))}. Check a therapist's license with "
        f"the {first.state} board (linked on each listing) before you book, and ask your doctor or "
        "physical therapist whether massage suits your condition."
    )
    description = e(f"Medical massage and physical therapy in {place}: {n} listed therapists, "
                    "their specialties, licenses and contact details.")
    items = "\n".join(
        directory_item(listing, uri) for listing in sorted(group, key=lambda l: (l.name.lower(), l.id))
    )
    directory = rel(uri, DIRECTORY_URI)
    body = (
        f'<h1 id="medical-massage-in">{e(title)}</h1>\n\n'
        f'<div class="finder-city">\n'
        f'{sample_note(sum(l.sample for l in group))}\n'
        f'<p>{intro}</p>\n'
        f'<ol class="finder-list">\n{items}\n</ol>\n'
        f'<p>Listed by name. To sort by distance from your ZIP code, use the '
        f'<a href="{directory}">therapist finder</a>.</p>\n</div>\n'
    )
    return GeneratedPage({"title": e(title), "description": description, "template": PAGE_TEMPLATE,
                          "search": {"boost": 0.5}}, body)


def report_link(listing: Listing, report_email: str) -> str:
    subject = f"Outdated listing: {listing.id}"
    body = (f"Listing id: {listing.id}\nPage: therapists/{listing.id}/\n\n"
            "What is out of date, and what is correct now?\n")
    return f"mailto:{report_email}?subject={quote(subject)}&body={quote(body)}"


def board_for(listing: Listing, boards: Mapping[str, Mapping]) -> Mapping:
    kind = "physical_therapy" if any(c in PT_LICENSES for c in listing.credentials) else "massage"
    return boards[listing.license_state][kind]


def listing_jsonld(listing: Listing, url: str) -> str:
    """schema.org Physiotherapy JSON-LD, safe to place inside <script type="application/ld+json">."""
    data = {
        "@context": "https://schema.org",
        "@type": "Physiotherapy",
        "@id": url,
        "name": listing.name if not listing.clinic else f"{listing.name}, {listing.clinic}",
        "url": url,
        "telephone": listing.tel,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": listing.street,
            "addressLocality": listing.city,
            "addressRegion": listing.state,
            "postalCode": listing.zip,
            "addressCountry": "US",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": listing.latitude, "longitude": listing.longitude},
        "medicalSpecialty": "PhysicalTherapy",
        "availableService": [{"@type": "MedicalTherapy", "name": SPECIALTIES[s]} for s in listing.specialties],
        "knowsLanguage": [LANGUAGES[code] for code in listing.languages],
        "paymentAccepted": ", ".join(PAYMENT[p] for p in listing.payment),
    }
    if listing.website:
        data["sameAs"] = listing.website
    if listing.sample:
        data["description"] = "Fictional sample listing, not a real therapist."
    return json_for_script(data)


def json_for_script(data) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _date(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.strftime("%B %-d, %Y")}</time>'


def render_listing_page(listing: Listing, boards: Mapping[str, Mapping], *, report_email: str) -> GeneratedPage:
    """A listing's page."""
    uri = LISTING_URI.format(id=listing.id)
    board = board_for(listing, boards)
    creds = "".join(f"<li><abbr title=\"{e(CREDENTIALS[c])}\">{e(c)}</abbr>: {e(CREDENTIALS[c])}</li>"
                    for c in listing.credentials)
    website = (f'<p><strong>Website:</strong> <a href="{e(listing.website)}" rel="nofollow noopener">'
               f'{e(listing.website)}</a></p>' if listing.website else "")
    services = ", ".join(x for x, on in (("telehealth", listing.telehealth), ("home visits", listing.home_visits)) if on)
    bio = f'<p class="finder-bio">{e(listing.bio)}</p>' if listing.bio else ""
    sample_banner = (
        '<div class="admonition warning finder-sample-note"><p class="admonition-title">Sample listing</p>'
        '<p>This is a fictional example for this demonstration site, not a real therapist. '
        'Do not call or visit.</p></div>' if listing.sample else ""
    )
    city_href = rel(uri, CITY_URI.format(slug=listing.city_key))
    body = (
        f'<h1 id="listing">{e(listing.name)}</h1>\n\n'
        f'<div class="finder-listing">\n'
        f'{sample_banner}\n'
        f'<p class="finder-listing__creds">{e(", ".join(listing.credentials))} at {e(listing.clinic)} {badges(listing)}</p>\n'
        f'{bio}\n'
        f'<h2 id="contact">Contact</h2>\n'
        f'<p><strong>Phone:</strong> <a href="tel:{e(listing.tel)}">{e(format_phone(listing.phone))}</a></p>\n'
        f'<address>{e(listing.clinic)}<br>{e(listing.street)}<br>'
        f'<a href="{e(city_href)}">{e(listing.city)}</a>, {listing.state} {listing.zip}</address>\n'
        f'{website}\n'
        f'<h2 id="credentials">Credentials and license</h2>\n<ul>{creds}</ul>\n'
        f'<p><strong>License:</strong> {e(listing.license_number)} ({listing.license_state}), '
        f'last verified {_date(listing.license_verified)}. '
        f'<a href="{e(board["lookup"])}" rel="noopener">Check this license with the {e(board["name"])}</a>.</p>\n'
        f'<h2 id="services">Services</h2>\n'
        f'<p><strong>Specialties:</strong> {e(_labels(listing.specialties, SPECIALTIES))}</p>\n'
        f'<p><strong>Payment:</strong> {e(_labels(listing.payment, PAYMENT))}</p>\n'
        f'<p><strong>Languages:</strong> {e(_labels(listing.languages, LANGUAGES))}</p>\n'
        f'<p><strong>Also offers:</strong> {services or "in-clinic visits only"}. '
        f'<strong>Accepting new clients:</strong> {"yes" if listing.accepting_new_clients else "no"}.</p>\n'
        f'<p class="finder-dates">Listing last updated {_date(listing.last_updated)}. '
        f'<a href="{e(report_link(listing, report_email))}">Report outdated information</a>.</p>\n'
        f'<p><a href="{rel(uri, DIRECTORY_URI)}">Back to the therapist finder</a></p>\n'
        '</div>\n'
    )
    where = f"{listing.city}, {listing.state}"
    description = e(f"{listing.name}: {', '.join(listing.credentials)} in {where}. "
                    "License, specialties, payment and contact details.")
    if len(description) > 160:
        description = e(f"A listed therapist in {where}: license, specialties, payment and contact details.")
    return GeneratedPage({"title": e(listing.name), "description": description,
                          "template": PAGE_TEMPLATE,
                          # below the health guide in site search, which answers the same words
                          "search": {"boost": 0.5}}, body)
