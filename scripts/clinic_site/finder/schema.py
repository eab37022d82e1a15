"""The listing schema: one table of fields (name, required, example, rule) and the checks across
fields, applied once to each listing file's data; every problem is a `Problem` naming the file,
the line of the field, the field, what is wrong and the fix."""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
from collections.abc import Callable, Iterable, Mapping

from clinic_site.finder import datafile
from clinic_site.finder.model import Listing, haversine_miles, months_before
from clinic_site.finder.vocabulary import Vocabulary
from clinic_site.phone import parse_phone
from clinic_site.problems import Problem
from clinic_site.us_states import US_STATES

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A listing's website, as the check and the editor's form (clinic_site.editor.config) take it: the
# same text in Python and JavaScript, so no flag (the scheme in any letter case). No "@" or "\\"
# before the path: "https://example.org@evil.example/" reads as example.org and goes to evil.example.
WEB_ADDRESS = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#<>\"'@\\]+\.[^\s/?#<>\"'@\\]*(?:[/?#][^\s<>\"']*)?$"
RESERVED_IDS = frozenset({"cities", "zip", "listings", "index", "assets"})   # the finder's own pages and files
BIO_MAX = 600    # characters of a listing's bio
LINE_MAX = 100   # characters of a name, clinic, street, city or license number: one line on a card
DEGREES = {"latitude": 90, "longitude": 180}   # each number field's limit, either side of 0 (editor: min, max)
MAX_MILES_FROM_ZIP = 25.0
STALE_MONTHS = 12
ZipLookup = Callable[[str], "tuple[float, float, str] | None"]   # ZIP -> (latitude, longitude, state)


class Invalid(Exception):
    """Raised by a rule: what is wrong and the fix (more pairs in `more`, for lists)."""

    def __init__(self, what: str, fix: str = "", more: Iterable[tuple[str, str]] = ()):
        super().__init__(what)
        self.pairs = [(what, fix), *more]


@dataclasses.dataclass(frozen=True)
class Context:
    """What rules need beyond the value: the day, the ZIP table, the vocabulary, the file's id."""

    today: dt.date
    zip_lookup: ZipLookup
    vocabulary: Vocabulary
    file_id: str | None = None


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of a listing file.

    type: what staff write: text, terms (of docs/therapists/vocabulary.yml), state, number, date or
          yes/no; tools that ask for a listing read it (scripts/clinic_site/new_listing.py);
    rule(value, field, context): the clean value, or raises Invalid with what is wrong and the fix;
    max_length: for text, the most characters it may hold once its spaces are tidied (the editor's
          form at /admin/ holds it to the same number: clinic_site.editor.config)."""

    name: str
    type: str
    required: bool
    example: str
    rule: Callable[[object, Field, Context], object]
    max_length: int | None = None


# ---------------------------------------------------------------- rules, one per kind of value
def listing_id(value, field: Field, ctx: Context) -> str:
    text = str(value)
    if not ID_PATTERN.match(text):
        raise Invalid(f"'{text}' must be lowercase letters, digits and single hyphens",
                      f"write it like {field.example}")
    if text in RESERVED_IDS:
        raise Invalid(f"'{text}' is reserved for the site's own pages", "choose another id")
    if ctx.file_id is not None and text != ctx.file_id:
        raise Invalid(f"'{text}' does not match the file name '{ctx.file_id}.yml'",
                      f"rename the file to {text}.yml or set id: {ctx.file_id}")
    return text


def text(value, field: Field, ctx: Context) -> str:
    """Plain text on one line (spaces tidied), at most `field.max_length` characters."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid("must be plain text", f"write it like {field.example}")
    found = " ".join(str(value).split())
    if field.max_length is not None and len(found) > field.max_length:
        raise Invalid(f"is {len(found)} characters", f"shorten it to {field.max_length} or fewer")
    return found


def _any_case(word: str) -> str:
    """A regular expression for `word` in any letter case, without a flag (JavaScript reads it the same)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


# A post office box is where mail goes, not where a patient can go: "PO Box 12", "P.O. Box 12",
# "P O Box", "Post Office Box", "POB 12", "Box 12" alone, "General Delivery". With no flag, so the
# editor's street field (clinic_site.editor.config) refuses the same in JavaScript.
PO_BOX = (rf"\b{_any_case('p')}\.?\s*{_any_case('o')}\.?\s*{_any_case('box')}\b|\b{_any_case('pob')}\.?\s*#?\d"
          rf"|\b{_any_case('post')}\s+{_any_case('office')}\s+{_any_case('box')}\b|^\s*{_any_case('box')}\s+#?\d"
          rf"|\b{_any_case('general')}\s+{_any_case('delivery')}\b")
_PO_BOX = re.compile(PO_BOX)


def is_po_box(text: str) -> bool:
    """Whether a street address is a post office box (or General Delivery): mail only."""
    return bool(_PO_BOX.search(" ".join(str(text).split())))


def street(value, field: Field, ctx: Context) -> str:
    """A street address a patient can go to: a PO box is refused."""
    found = text(value, field, ctx)
    if is_po_box(found):
        raise Invalid(f"'{found}' is a PO box, where mail goes but a patient cannot",
                      "give the street address where clients are seen, for example 100 Example Street, Suite 2 "
                      "(a therapist who only visits homes gives the street address of their base)")
    return found


def state(value, field: Field, ctx: Context) -> str:
    found = str(value).strip().upper()
    if found not in US_STATES:   # the states, DC and territories (clinic_site.us_states)
        raise Invalid(f"'{value}' is not a US state, district or territory",
                      f"write the two-letter code, like {field.example} (GU for Guam, PR for Puerto Rico)")
    return found


def plural(noun: str) -> str:
    """"specialty" -> "specialties", "credential" -> "credentials"."""
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def zip_code(value, field: Field, ctx: Context) -> str:
    found = str(value).strip()
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid(f"{value} was read as a number, not as a ZIP code (YAML drops a leading zero, and reads "
                      "one starting with 0 as an octal number)",
                      f"put the five digits in quotes, like \"{found.zfill(5)[-5:]}\" (check the digits on a letter)")
    if not re.fullmatch(r"\d{5}", found):
        raise Invalid(f"'{value}' is not a 5-digit US ZIP", "write it like \"78701\", in quotes")
    if ctx.zip_lookup(found) is None:
        raise Invalid(f"'{found}' is not a known US ZIP code", "check it on the letter or web site")
    return found


def degrees(limit: int, noun: str):
    def rule(value, field: Field, ctx: Context) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
            raise Invalid(f"'{value}' is not a {noun}",
                          f"write a number between -{limit} and {limit}, like {field.example}")
        return float(value)
    return rule


def phone(value, field: Field, ctx: Context) -> str:
    if parse_phone(str(value)) is None:   # clinic_site.phone: the one parser (clinic block too)
        raise Invalid(f"'{value}' cannot be dialled",
                      f"write a 10-digit US number with its area code, like {field.example}; "
                      "an extension may follow, like 512-555-0101 ext. 204")
    return str(value).strip()


def web_address(value, field: Field, ctx: Context) -> str:
    found = str(value).strip()
    if re.match(r"^https?://[^/?#]*[@\\]", found, re.I):
        raise Invalid(f"'{value}' reads as one site and goes to another (a browser takes what is before "
                      "'@' or '\\' for a user name or a path)", f"write the site's address alone, like {field.example}")
    if not re.match(WEB_ADDRESS, found):
        raise Invalid(f"'{value}' is not a web address",
                      f"it must start with https:// (or http://), like {field.example}")
    return found


def yes_no(value, field: Field, ctx: Context) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"'{value}' must be true or false", "write true or false, without quotes")
    return value


def past_date(value, field: Field, ctx: Context) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise Invalid(f"'{value}' is not a date",
                      f"write it as YYYY-MM-DD, for example {field.example}, without quotes")
    if value > ctx.today:
        raise Invalid(f"{value} is in the future", "use the date it was actually done")
    return value


def terms(value, field: Field, ctx: Context) -> tuple[str, ...]:
    """Terms of the vocabulary list named like the field; labels or codes in, codes out."""
    table = ctx.vocabulary.terms(field.name)
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else None
    if not items:
        raise Invalid("is empty", f"list at least one {table.noun}, for example {field.example}")
    lookup, pairs, codes = table.lookup, [], []
    for item in items:
        code = lookup.get(str(item).strip().lower())
        if code is None:
            near = table.nearest(str(item))
            pairs.append((f"'{item}' is not in the list of {plural(table.noun)}",
                          (f"Did you mean '{near}'? " if near else "") + f"Use one of: {', '.join(table.choices)}. "
                          f"(New ones are added in {ctx.vocabulary.shown}.)"))
        elif code not in codes:
            codes.append(code)
    if pairs:
        raise Invalid(*pairs[0], more=pairs[1:])
    return tuple(codes)


# ---------------------------------------------------------------- the schema
# name, type, required, example (in messages), rule
FIELDS: tuple[Field, ...] = (
    Field("id", "text", True, "jane-doe", listing_id),
    Field("name", "text", True, "Jane Doe", text, LINE_MAX),
    Field("credentials", "terms", True, "[LMT, CLT]", terms),
    Field("license_number", "text", True, "MT012345", text, LINE_MAX),
    Field("license_state", "state", True, "TX", state),
    Field("license_verified", "date", True, "2026-11-01", past_date),
    Field("clinic", "text", True, "Riverside Massage and PT", text, LINE_MAX),
    Field("street", "text", True, "100 Example Street, Suite 2", street, LINE_MAX),
    Field("city", "text", True, "Austin", text, LINE_MAX),
    Field("state", "state", True, "TX", state),
    Field("zip", "text", True, "78701", zip_code),
    Field("latitude", "number", True, "30.2713", degrees(DEGREES["latitude"], "latitude")),
    Field("longitude", "number", True, "-97.7426", degrees(DEGREES["longitude"], "longitude")),
    Field("phone", "text", True, "512-555-0101", phone),
    Field("website", "text", False, "https://example.org", web_address),
    Field("specialties", "terms", True, "[orthopedic rehabilitation, sports injuries]", terms),
    Field("payment", "terms", True, "[self-pay, Medicare]", terms),
    Field("languages", "terms", True, "[English, Spanish]", terms),
    Field("telehealth", "yes/no", True, "true", yes_no),
    Field("home_visits", "yes/no", True, "false", yes_no),
    Field("accepting_new_clients", "yes/no", True, "true", yes_no),
    Field("last_updated", "date", True, "2026-11-01", past_date),
    Field("bio", "text", False, "Two or three plain sentences.", text, BIO_MAX),
    Field("sample", "yes/no", True, "false", yes_no),
    Field("at_clinic", "yes/no", False, "true", yes_no),   # works at the site's own clinic ("At our clinic")
)
BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
OPTIONAL_DEFAULTS = {"website": None, "bio": "", "at_clinic": False}
# A listing with `at_clinic: true` takes these from the clinic's details (clinic.yml), the one
# source of the clinic's name, address and position: field -> clinic key.
FROM_CLINIC = {"clinic": "name", "street": "street", "city": "city", "state": "state", "zip": "zip",
               "latitude": "latitude", "longitude": "longitude"}
# `clinic=` when clinic.yml could not be read (its own problem is named): a listing at the clinic
# is then left out, with nothing more said about the values it would take.
CLINIC_UNREADABLE: Mapping = types.MappingProxyType({})


def validate_listing(
    data, path: str, *, today: dt.date, zip_lookup: ZipLookup, vocabulary: Vocabulary,
    boards: Mapping[str, Mapping] | None = None, file_id: str | None = None, source: str | None = None,
    clinic: Mapping | None = None,
) -> tuple[Listing | None, list[Problem]]:
    """Check one listing's data (as YAML loads it) against FIELDS and the checks across fields.

    path: the file as staff see it; source: the file's text, for the line of each field (line 1
    without it); boards: the licensing boards (None: license_state is not checked against them);
    clinic: the clinic's details (clinic.yml as read), from which a listing marked
    `at_clinic: true` takes its clinic name, address and position (FROM_CLINIC): such a file
    holds none of them, and one that still does is told which lines to delete.
    Returns (the Listing, []) or (None, every problem found)."""
    lines: dict[str, int] | None = None

    def problem(field: str, what: str, fix: str) -> Problem:
        nonlocal lines
        if lines is None:
            lines = datafile.top_level_lines(source) if source else {}
        return Problem(path, lines.get(field, 1), field, what, fix)

    if not isinstance(data, dict):
        return None, [Problem(path, 1, "", "the file must be a list of 'field: value' lines; it is empty or has "
                              "a different shape", "see docs/therapists/listings/README.md, or copy a sample listing")]
    problems = [problem(str(name), "is not a known field", _known_field_fix(str(name)))
                for name in data if name not in BY_NAME]
    ctx = Context(today, zip_lookup, vocabulary, file_id)
    values: dict = {}
    taken = data.get("at_clinic") is True
    written = {name for name, value in data.items() if value not in (None, "")}   # `city: ""` (the editor) gives none
    if taken and clinic is CLINIC_UNREADABLE:
        return None, [item for item in problems if item.field not in FROM_CLINIC]
    if taken:
        data, found = _from_clinic(data, clinic)
        problems += [problem(*item) for item in found]
    from_block: list[str] = []   # problems of values taken from the clinic block: that block's own check names them
    for field in FIELDS:
        value = data.get(field.name)
        if value is None or value == "":
            # A value an at_clinic listing takes from the clinic block: the problem above names the
            # block, and the listing file must not get the line (it would be told to delete it).
            if field.required and not (taken and field.name in FROM_CLINIC):
                problems.append(problem(field.name, "is missing", f"add a line like `{field.name}: {field.example}`"))
            continue
        try:
            values[field.name] = field.rule(value, field, ctx)
        except Invalid as invalid:
            if taken and field.name in FROM_CLINIC and field.name not in written:
                from_block.append(field.name)
            else:
                problems += [problem(field.name, what, fix) for what, fix in invalid.pairs]
    for across in _across_fields(values, ctx, boards):
        if taken and across[0] in FROM_CLINIC and across[0] not in written:
            from_block.append(across[0])
        else:
            problems.append(problem(*across))
    if from_block:
        problems.append(problem("at_clinic", "is true, but the clinic's details in clinic.yml that the listing takes "
                                f"({', '.join(dict.fromkeys(from_block))}) have problems",
                                "fix clinic.yml as its own problems say"))
    if problems:
        return None, problems
    return Listing(**{**OPTIONAL_DEFAULTS, **values}), []


def _from_clinic(data: dict, clinic: Mapping | None) -> tuple[dict, list[tuple[str, str, str]]]:
    """An at_clinic listing's data with the clinic's name, address and position filled in from
    the clinic block, and (field, what, fix) for each such field the file still writes itself."""
    found = [(name, "is taken from the clinic's details for a listing with `at_clinic: true`",
              f"delete this line: the listing shows the clinic's {key} from clinic.yml ({key})")
             for name, key in FROM_CLINIC.items() if data.get(name) not in (None, "")]   # an empty line gives nothing
    block = clinic if isinstance(clinic, Mapping) else {}
    filled = dict(data)
    for name, key in FROM_CLINIC.items():
        value = block.get(key)
        if value is None or value == "":
            found.append(("at_clinic", f"is true, but the clinic's details in clinic.yml have no {key} to take",
                          f"add `{key}:` to clinic.yml"))
        else:
            filled[name] = str(value) if key == "zip" else value
    return filled, found


def _known_field_fix(name: str) -> str:
    low = name.lower()
    near = sorted((f for f in BY_NAME if f in low or low in f), key=len, reverse=True)[:1] \
        or difflib.get_close_matches(low, list(BY_NAME), n=1)
    return (f"did you mean '{near[0]}'? " if near else "") + f"Known fields: {', '.join(BY_NAME)}"


def _across_fields(values: dict, ctx: Context, boards) -> list[tuple[str, str, str]]:
    """(field, what, fix) for the checks that need more than one field."""
    found = []
    today = ctx.today
    if "last_updated" in values and values["last_updated"] < months_before(today, STALE_MONTHS):
        found.append(("last_updated", f"{values['last_updated']} is more than {STALE_MONTHS} months ago",
                      f"confirm every detail with the therapist, then set last_updated to today's date ({today})"))
    position = ctx.zip_lookup(values["zip"]) if "zip" in values else None   # known: the zip rule checked it
    if position is not None:
        zlat, zlon, zstate = position
        if "state" in values and zstate and zstate != values["state"]:
            found.append(("zip", f"ZIP {values['zip']} is in {zstate}, but state is {values['state']}",
                          "correct the ZIP or the state"))
        if "latitude" in values and "longitude" in values:
            miles = haversine_miles(values["latitude"], values["longitude"], zlat, zlon)
            if miles > MAX_MILES_FROM_ZIP:
                found.append(("latitude", f"latitude and longitude {values['latitude']}, {values['longitude']} "
                              f"are {miles:.0f} miles from ZIP {values['zip']} (more than {MAX_MILES_FROM_ZIP:.0f})",
                              "copy the position of the street address from a map (right-click, 'What's here?'), "
                              "latitude first"))
    if boards is not None and "license_state" in values and values["license_state"] not in boards:
        found.append(("license_state", f"no licensing board is listed for {values['license_state']}",
                      "add the state's board look-up pages to docs/therapists/licensing-boards.yml"))
    return found


def check_unique_ids(listings: Iterable[tuple[str, Listing]], lines: Mapping[str, int] | None = None) -> list[Problem]:
    """Problems for ids used by more than one file. `listings` is (path, listing) pairs;
    `lines` gives the line of `id:` in each path (1 when absent)."""
    seen: dict[str, str] = {}
    problems = []
    for path, listing in listings:
        if listing.id in seen:
            problems.append(Problem(path, (lines or {}).get(path, 1), "id",
                                    f"'{listing.id}' is also the id of {seen[listing.id]}",
                                    "every listing needs its own id (and file name)"))
        else:
            seen[listing.id] = path
    return problems
