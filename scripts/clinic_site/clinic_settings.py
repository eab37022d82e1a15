"""The clinic's details in clinic.yml, beside mkdocs.yml: checked once, with a Problem per field.

Every page, the footer and the structured data read them, so a phone that cannot be dialled or
a colour that is not a colour would break every page: the build and `clinic check` stop on it
with the line of clinic.yml and the field ("phone", "hours.2.closes"). clinic.yml is read as a
staff file (clinic_site.project.Settings, through clinic_site.yamlfile); mkdocs.yml, which MkDocs
reads with a loader that can run code, no longer holds them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import urllib.parse
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from clinic_site import safe_names, yamlfile
from clinic_site.hours import HoursLine, HoursRow, hours_lines, hours_problems, hours_rows
from clinic_site.phone import parse_phone
from clinic_site.problems import Problem
from clinic_site.project import CLINIC_NAME
from clinic_site.us_states import US_STATES  # the one list, shared with the listings (USPS Publication 28)

REQUIRED = ("name", "short_name", "street", "city", "state", "zip", "phone", "hours", "time_zone", "logo",
            "colors", "latitude", "longitude")
OPTIONAL = ("email", "booking_url", "directions_url", "services", "sample", "live")
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
MIN_CONTRAST = 4.5  # WCAG 2.2 success criterion 1.4.3, normal text
# The header shows the short name beside the logo, the menu button, search and the Call button:
# at 320 CSS px that leaves it about 108 px (measured on the built site: 16 px type, about 7.3 px a
# character, so some 15 characters a line), and the header wraps it rather than cutting it: 24
# characters stay within two lines. Every page title ends with " | " and the short name, which
# leaves 33 of the about 60 characters Google shows for the page's own title.
SHORT_NAME_MAX = 24
# The colours pages and social cards use when clinic.yml's are missing or not colour codes
# (the problem is named; the preview and the rest of the run go on with these).
DEFAULT_COLORS = {"primary": "#1f5f7a", "accent": "#a1432b"}


def check_clinic(clinic: Any, clinic_file: Path | None = None, docs_dir: Path | None = None,
                 zip_lookup: Callable[[str], tuple[float, float, str] | None] | None = None, *,
                 text: str | None = None) -> list[Problem]:
    """Problems with the clinic's details (a dict as read from clinic.yml), each naming clinic.yml,
    the line of the field (found in `text`, or in `clinic_file` when given, else 1), the field
    ("phone", "hours.2.closes") and the fix. With `zip_lookup` (ZIP -> latitude, longitude, state),
    the ZIP must be known, in the clinic's state, and near the clinic's position, as a listing's
    must (the clinic's own therapists take them)."""
    lines = _Lines(text if text is not None else _text_of(clinic_file), yamlfile.StaffLoader)

    def problem(field: str, what: str, fix: str) -> Problem:
        return Problem(CLINIC_NAME, lines.of(*field.split(".")), field, what, fix)

    if not isinstance(clinic, dict):
        return [Problem(CLINIC_NAME, 1, "", "must be `name: value` lines, one per detail of the clinic",
                        "write the clinic's details as the README lists them")]
    found = [problem(key, *_unknown(key)) for key in clinic if key not in REQUIRED + OPTIONAL]
    found += [problem(key, "is missing", "add it (see the README)") for key in REQUIRED if not clinic.get(key)]
    phone = clinic.get("phone")
    if phone and parse_phone(str(phone)) is None:   # clinic_site.phone: the one parser
        found.append(problem("phone", f"is '{phone}', which cannot be dialled",
                             "write a US number with its area code, for example +1-217-555-0100 "
                             "(an extension may follow: +1-217-555-0100 ext. 204)"))
    street = clinic.get("street")
    if street:
        from clinic_site.finder.schema import is_po_box  # the listings' rule: one place a patient can go
        if is_po_box(str(street)):
            found.append(problem("street", f"is '{street}', a PO box, where mail goes but a patient cannot",
                                 "give the clinic's street address, for example 100 Example Avenue, Suite 5"))
    state = clinic.get("state")
    if state and str(state) not in US_STATES:
        found.append(problem("state", f"is '{state}', not a US state code",
                             "use the two-letter postal code, for example IL"))
    zip_code = clinic.get("zip")
    if zip_code and not re.fullmatch(r"\d{5}", str(zip_code)):
        found.append(problem("zip", f"is '{zip_code}', not a five-digit ZIP code",
                             "write the five digits in quotes, for example \"62701\""))
    elif zip_code and zip_lookup is not None:
        found += [problem(*item) for item in _zip_problems(clinic, str(zip_code), zip_lookup)]
    short_name = clinic.get("short_name")
    if short_name and len(str(short_name)) > SHORT_NAME_MAX:
        found.append(problem("short_name", f"is {len(str(short_name))} characters long, more than the header "
                             f"can show on a phone ({SHORT_NAME_MAX})",
                             f"shorten it to {SHORT_NAME_MAX} characters or fewer, for example 'Riverbend Clinic'"))
    hours = clinic.get("hours")
    if hours:
        found += [problem(field, what, fix) for field, what, fix in hours_problems(hours)]
    zone = clinic.get("time_zone")
    if zone and time_zone(zone) is None:
        found.append(problem("time_zone", f"is {zone!r}, not a time zone's name",
                             "write the clinic's time zone as the IANA names it, for example America/Chicago "
                             "(America/New_York, America/Denver, America/Los_Angeles, Pacific/Honolulu...)"))
    for key in ("booking_url", "directions_url"):
        if clinic.get(key) not in (None, ""):
            what = url_problem(clinic[key])
            if what:
                found.append(problem(key, what, "write the whole address starting with https://, "
                                     "or delete the line to leave it out"))
    for key, limit in (("latitude", 90), ("longitude", 180)):
        value = clinic.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
            found.append(problem(key, f"is {value!r}, not a {key} (a number from {-limit} to {limit})",
                                 f"write the clinic's {key} in decimal degrees, for example "
                                 f"{'39.8' if key == 'latitude' else '-89.6495'} (a map service shows it)"))
    if clinic.get("email") not in (None, "") and not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}",
                                                                 str(clinic["email"])):
        found.append(problem("email", f"is '{clinic['email']}', not an email address",
                             "write an address such as frontdesk@example.org, or delete the line"))
    services = clinic.get("services")
    if services not in (None, ""):
        found += [problem(field, what, fix) for field, what, fix in services_problems(services, docs_dir)]
    if "sample" in clinic and not isinstance(clinic["sample"], bool):
        found.append(problem("sample", f"is {clinic['sample']!r}", "delete this line once the details above are "
                             "your clinic's own (`sample: true` marks the made-up sample clinic)"))
    if "live" in clinic and not isinstance(clinic["live"], bool):
        found.append(problem("live", f"is {clinic['live']!r}", "write `live: true` once the site is public "
                             "(pages reviewed by sample people then stop the build), else `live: false`"))
    logo = clinic.get("logo")
    if logo and docs_dir is not None and not (isinstance(logo, str) and safe_names.safe_path(logo)
                                              and (docs_dir / logo).is_file() and not (docs_dir / logo).is_symlink()
                                              and (docs_dir / logo).resolve().is_relative_to(docs_dir.resolve())):
        found.append(problem("logo", f"is '{logo}', which is not a file in docs/",
                             "put the logo in docs/assets/ and give its path from docs/, for example assets/logo.svg"))
    colors = clinic.get("colors")
    if colors is not None and not isinstance(colors, dict):
        found.append(problem("colors", "must have 'primary:' and 'accent:' below it",
                             "write `primary: \"#1f5f7a\"` and `accent: \"#a1432b\"` under colors:"))
    elif isinstance(colors, dict):
        for key in ("primary", "accent"):
            value = colors.get(key)
            if not value or not _HEX_COLOR.match(str(value)):
                found.append(problem(f"colors.{key}", f"is {value!r}, not a colour code",
                                     "write a hex colour in quotes, for example \"#1f5f7a\""))
        primary = colors.get("primary")
        if primary and _HEX_COLOR.match(str(primary)):
            ratio = contrast_ratio(str(primary), "#ffffff")
            if ratio < MIN_CONTRAST:
                found.append(problem("colors.primary", f"{primary} has a contrast of {ratio:.2f}:1 with the "
                                     f"header's white text, below {MIN_CONTRAST}:1",
                                     "choose a darker colour (WCAG 2.2, 1.4.3)"))
    return found


MAX_MILES_FROM_ZIP = 25.0   # as for a listing (clinic_site.finder.schema)


def _zip_problems(clinic: dict, zip_code: str, zip_lookup) -> list[tuple[str, str, str]]:
    """(field, what, fix) for a ZIP the position table does not know, or in another state, or far
    from the clinic's latitude and longitude."""
    position = zip_lookup(zip_code)
    if position is None:
        return [("zip", f"'{zip_code}' is not a known US ZIP code", "check it on a letter or the post office's site")]
    found = []
    lat, lon, state = position
    if state and clinic.get("state") in US_STATES and state != clinic.get("state"):
        found.append(("zip", f"ZIP {zip_code} is in {state}, but state is {clinic.get('state')}",
                      "correct the ZIP or the state"))
    here = (_degrees(clinic.get("latitude"), 90), _degrees(clinic.get("longitude"), 180))
    if here[0] is not None and here[1] is not None:
        from clinic_site.finder.model import haversine_miles
        miles = haversine_miles(here[0], here[1], lat, lon)
        if miles > MAX_MILES_FROM_ZIP:
            found.append(("latitude", f"latitude and longitude {here[0]}, {here[1]} are {miles:.0f} miles from ZIP "
                          f"{zip_code} (more than {MAX_MILES_FROM_ZIP:.0f})",
                          "copy the position of the street address from a map, latitude first"))
    return found


def time_zone(name: Any) -> zoneinfo.ZoneInfo | None:
    """The time zone of an IANA name ("America/Chicago"), or None when `name` is not one. The zone
    data is the system's (/usr/share/zoneinfo) or, without it, the pinned tzdata package's."""
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _unknown(key: Any) -> tuple[str, str]:
    """(what, fix) for a key clinic.yml does not have: a misspelt one is read as missing."""
    near = difflib.get_close_matches(str(key).lower().replace(" ", "_").replace("-", "_"), REQUIRED + OPTIONAL,
                                     n=1, cutoff=0.6)
    return ("is not a detail clinic.yml has", f"did you mean '{near[0]}'? Write it as `{near[0]}:`" if near else
            "delete it, or write one of: " + ", ".join(REQUIRED + OPTIONAL))


def url_problem(value: Any) -> str | None:
    """Why `value` cannot be a link a patient may follow (only whole https:// addresses can:
    never javascript:, data: or http:), or None when it can."""
    text = str(value)
    parts = urllib.parse.urlsplit(text.strip()) if isinstance(value, str) else None
    if parts is None or parts.scheme.lower() != "https" or not parts.hostname:
        return f"is '{text}', not an https:// address"
    if any(character.isspace() or character in '"<>\\`' for character in text.strip()):
        return f"is '{text}', which has spaces or characters an address cannot hold"
    if "@" in parts.netloc:
        return (f"is '{text}', which goes to {parts.hostname}: the part before '@' is a user name, "
                "not the site")
    return None


def services_problems(services: Any, docs_dir: Path | None) -> list[tuple[str, str, str]]:
    """(field, what, fix) for each service that lacks its name or summary, or whose `page` is not
    a Markdown file in docs/ (checked when `docs_dir` is given)."""
    example = "- name: Medical massage / summary: one sentence / page: guide/what-is-medical-massage.md"
    if not isinstance(services, list):
        return [("services", "must be a list of services", f"write one item per service: {example}")]
    found = []
    for number, service in enumerate(services, start=1):
        where = f"services.{number}"
        if not isinstance(service, dict):
            found.append((where, f"is {service!r}, not a service", f"write name, summary and page: {example}"))
            continue
        for key in ("name", "summary"):
            if not isinstance(service.get(key), str) or not service[key].strip():
                found.append((f"{where}.{key}", "is missing", f"add `{key}:` ({example})"))
        page = service.get("page")
        if not isinstance(page, str) or not page.endswith(".md"):
            found.append((f"{where}.page", f"is {page!r}, not a page's path", "give the page's file under docs/, "
                          "for example guide/what-is-medical-massage.md"))
        elif docs_dir is not None and not (docs_dir / page).is_file():
            found.append((f"{where}.page", f"is '{page}', which is not a page in docs/",
                          "give the path of an existing page under docs/, "
                          "for example guide/what-is-medical-massage.md"))
    return found


def dialable_digits(phone: str) -> tuple[str, str | None] | None:
    """(ten digits, extension or None) of a US phone number, or None when it cannot be dialled."""
    found = parse_phone(phone)   # clinic_site.phone: the one parser, listings too
    return (found.digits, found.extension) if found else None


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.2 contrast ratio (1 to 21) of two hex colours ("#1f5f7a", "#fff")."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    # Relative luminance, WCAG 2.2 definition.
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(character * 2 for character in digits)
    channels = [int(digits[index:index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def line_of(config_file: Path | None, *keys: str) -> int:
    """The line of a setting of mkdocs.yml ("use_directory_urls", or "plugins", "2"); 1 when it
    is not there."""
    return _Lines(_text_of(config_file), yamlfile.SettingsLoader).of(*keys)


def _text_of(file: Path | None) -> str | None:
    if file is None:
        return None
    text, _problems = yamlfile.read_text(file, file.name)
    return text


class _Lines:
    """Line numbers of the fields of a YAML text, from YAML's node positions (composing runs no
    tag), read within the limits of clinic_site.yamlfile."""

    def __init__(self, text: str | None, loader: type):
        self.root = None
        if text:
            try:
                self.root = yamlfile.compose(text, loader)
            except yaml.YAMLError:
                self.root = None

    def of(self, *keys: str) -> int:
        """The line of the field at `keys` ("hours", "2", "closes": the second row's), or of the
        deepest of them found, or 1."""
        return yamlfile.node_line(self.root, *keys)


# ---- The clinic's details as templates use them (config.extra.clinic_details) ----

@dataclasses.dataclass(frozen=True)
class Service:
    """A service the clinic offers: its name, one sentence, and its page (a docs path such as
    "guide/what-is-medical-massage.md")."""

    name: str
    summary: str
    page: str


@dataclasses.dataclass(frozen=True)
class ClinicDetails:
    """The clinic's details (clinic.yml) in the forms pages need (contract 1 of issue 12).

    phone_display: "(217) 555-0100", with " ext. 204" when there is an extension
    phone_tel:     "tel:+12175550100", with ";ext=204" (RFC 3966)
    phone_e164:    "+12175550100", for structured data
    book_href:     booking_url when set, else phone_tel
    latitude/longitude: decimal degrees (WGS 84), or None
    """

    name: str
    short_name: str
    street: str
    city: str
    state: str
    zip: str
    email: str | None
    phone_display: str
    phone_tel: str
    phone_e164: str
    booking_url: str | None
    book_href: str
    directions_url: str | None
    latitude: float | None
    longitude: float | None
    hours: tuple[HoursRow, ...]
    services: tuple[Service, ...]
    logo: str
    colors: dict[str, str] = dataclasses.field(default_factory=lambda: dict(DEFAULT_COLORS))
    hours_lines: tuple[HoursLine, ...] = ()   # the hours as people read them (hours.hours_lines)
    time_zone: str = "UTC"   # the IANA name; "UTC" when clinic.yml's is missing or wrong (the problem is named)

    @property
    def city_state(self) -> str:
        """"Springfield, IL"."""
        return f"{self.city}, {self.state}"

    @property
    def zone(self) -> dt.tzinfo:
        """The clinic's time zone: a date-only date ("2026-11-24") is that day there, from midnight."""
        return time_zone(self.time_zone) or dt.UTC


def clinic_details(clinic: dict) -> ClinicDetails:
    """The `clinic_details` of clinic.yml as read. Run after check_clinic: a field that did not pass
    is left out here (hours rows that do not parse, URLs that are not https, services without
    a name) or shown as written (a phone that cannot be dialled), so the preview can still show
    pages while its problem box names the field."""
    phone = str(clinic.get("phone") or "")
    parsed = parse_phone(phone)
    if parsed:
        display, e164, tel = parsed.display, parsed.e164, parsed.tel
    else:
        display, e164, tel = phone, phone, "tel:" + re.sub(r"[^\d+]", "", phone)
    booking = clinic.get("booking_url") if clinic.get("booking_url") and not url_problem(clinic["booking_url"]) \
        else None
    directions = clinic.get("directions_url") \
        if clinic.get("directions_url") and not url_problem(clinic["directions_url"]) else None
    email = str(clinic["email"]) if clinic.get("email") else None
    return ClinicDetails(
        name=str(clinic.get("name") or ""), short_name=str(clinic.get("short_name") or clinic.get("name") or ""),
        street=str(clinic.get("street") or ""), city=str(clinic.get("city") or ""),
        state=str(clinic.get("state") or ""), zip=str(clinic.get("zip") or ""), email=email,
        phone_display=display, phone_tel=tel, phone_e164=e164, booking_url=booking, book_href=booking or tel,
        directions_url=directions, latitude=_degrees(clinic.get("latitude"), 90),
        longitude=_degrees(clinic.get("longitude"), 180), hours=hours_rows(clinic.get("hours")),
        hours_lines=hours_lines(hours_rows(clinic.get("hours"))),
        services=tuple(Service(str(item["name"]), str(item.get("summary") or ""), str(item.get("page") or ""))
                       for item in clinic.get("services") or [] if isinstance(item, dict) and item.get("name")),
        logo=str(clinic.get("logo") or ""), colors=_colors(clinic.get("colors")),
        time_zone=str(clinic["time_zone"]) if time_zone(clinic.get("time_zone")) else "UTC")


def _colors(colors: Any) -> dict[str, str]:
    """The clinic's colours as `#rrggbb` codes, each the default where clinic.yml's is not one."""
    given = colors if isinstance(colors, dict) else {}
    return {key: str(given[key]) if isinstance(given.get(key), str) and _HEX_COLOR.match(given[key]) else default
            for key, default in DEFAULT_COLORS.items()}


def _degrees(value: Any, limit: int) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and -limit <= value <= limit
    return float(value) if ok else None
