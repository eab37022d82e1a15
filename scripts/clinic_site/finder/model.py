"""The therapist listing as the finder uses it (`Listing`), and the small pure helpers it needs:
phone numbers, distance, dates and slugs. Nothing here reads files or knows about MkDocs."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

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
    at_clinic: bool = False   # works at the site's own clinic (extra.clinic): shown "At our clinic"

    @property
    def city_key(self) -> str:
        """The city page's slug, like austin-tx."""
        return city_slug(self.city, self.state)

    @property
    def tel(self) -> str:
        """The number for a tel: link, like +15125550101."""
        return "+1" + phone_digits(self.phone)


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles between two positions in degrees (the formula finder.js uses)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def phone_digits(phone: str) -> str:
    """The 10 dialable digits of a US phone number, or '' when it cannot be dialled.

    North American Numbering Plan: area code and exchange never start with 0 or 1; a
    leading country code 1 is dropped."""
    if not isinstance(phone, str) or re.search(r"[^0-9+()\-.\s]", phone):
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return ""
    return digits


def format_phone(phone: str) -> str:
    """(512) 555-0101 for any dialable form; other text is returned as it is."""
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
    """Lowercase letters and digits joined by single hyphens ('city' when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "city"


def city_slug(city: str, state: str) -> str:
    """austin-tx for Austin, TX."""
    return f"{slugify(city)}-{state.lower()}"
