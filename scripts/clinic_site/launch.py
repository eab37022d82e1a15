"""One rule: a sample marker must not reach a live site.

The sample site is made of fictional things, each marked where it is written: the clinic
(`sample: true` in clinic.yml), every person (`sample: true` in docs/blog/.authors.yml, with their
page in docs/people/), every listing and every post (`sample: true`), and the placeholder
addresses and numbers fiction uses (example.org, example.com and example.net addresses, and
US phone numbers 555-0100 to 555-0199). A guide page reviewed by a sample person has had no real
review, and a licensing board whose look-up address nobody has confirmed may send a patient to
the wrong page.

`markers` finds all of them in what the stage read (one pass over the staged facts, never a
second read of a page), each a `Marker`: a group of the launch list and the Problem naming its
file, line, field and fix. `problems` turns them into errors when clinic.yml says `live: true`
(the build and the check then refuse the site); `clinic check --launch` prints them as the list
of what is left to do before launch (`launch_list`), and `clinic remove-samples`
(clinic_site.remove_samples) removes what it can.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path

from clinic_site import yamlfile
from clinic_site.problems import ERROR, WARNING, Problem, front_matter_line
from clinic_site.sources import Source

# The groups of the launch list, in the order it prints them, each with where its items are fixed.
GROUPS: dict[str, str] = {
    "clinic details": "edit clinic.yml",
    "reviewer": "add the real reviewer to docs/blog/.authors.yml and name them in each page's reviewed_by",
    "people": "run `clinic remove-samples`, then add the clinic's own people to docs/blog/.authors.yml",
    "listings": "run `clinic remove-samples`, then `clinic new-listing` for each real therapist",
    "boards": "open each address in docs/therapists/licensing-boards.yml and add `checked:` with the date",
    "posts": "run `clinic remove-samples`, or write the post again with a real author",
    "addresses": "replace each placeholder address or number in the file named",
}

# Placeholder addresses (RFC 2606 keeps these names for examples) and the phone numbers kept for
# fiction (555-0100 to 555-0199).
EXAMPLE_ADDRESS = re.compile(r"(?<![\w.+-])(?:[\w.+-]+@)?(?:[\w-]+\.)*example\.(?:org|com|net)\b", re.I)
# 555-01xx however it is written: (217) 555-0123, 555.0123, and run together with the area code
# and country code as a tel: link or clinic_site.phone write it (+12175550123, 2175550123).
# A listing file's own `sample: true` line, as YAML reads true (also for a file its checks refuse).
SAMPLE_LINE = re.compile(r"""^sample[ \t]*:[ \t]*(?:true|yes|on)[ \t]*(?:#.*)?$""", re.I | re.M)
_EXAMPLE_DOT = re.compile(r"example\.", re.I)   # in every EXAMPLE_ADDRESS match, matched the same way
FICTIONAL_PHONE = re.compile(r"(?<!\d)(?:1?\d{3})?555\D{0,3}01\d\d(?!\d)")
# What a browser or Markdown turns into a plain "." (or nothing) in an address or a number, so that a
# placeholder written another way is still one: a character reference (example&#46;org), a percent
# escape (example%2Eorg), a backslash escape (Markdown's example\.org, YAML's "example\x2Eorg"),
# full-width letters and digits and the ideographic full stop (which browsers read as ASCII), and
# invisible characters (soft hyphen, zero-width space and joiners).
_ESCAPED_DOT = re.compile(r"\\(?:x2e|u002e|U0000002e|\.)", re.I)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_DOTS = {ord("\u3002"): ".", ord("\uff61"): "."}


# What plain() can change: without "&", "%", "\\" or a character outside ASCII a line is already
# plain (NFKC leaves ASCII as it is; the other steps act only on these), so most lines skip it.
_DECODABLE = re.compile(r"[&%\\]|[^\x00-\x7f]")


def plain(line: str) -> str:
    """`line` as a reader or a browser takes it: character references, percent and backslash
    escapes decoded, full-width forms made ASCII, invisible characters taken out."""
    if not _DECODABLE.search(line):
        return line
    line = _ESCAPED_DOT.sub(".", html.unescape(line))
    line = urllib.parse.unquote(line)
    return unicodedata.normalize("NFKC", line.translate(_DOTS)).translate(_INVISIBLE)


@dataclasses.dataclass(frozen=True)
class Marker:
    """One thing still sample or placeholder: its launch-list `group` (a key of GROUPS) and the
    problem naming it. `enforced`: refused when live by this rule (False: another rule already
    refuses it then, such as a guide page without a reviewer, and the launch list only shows it)."""

    group: str
    problem: Problem
    enforced: bool = True
    warn_now: bool = False   # also a warning before launch (wrong on any site, not only a live one)


@dataclasses.dataclass
class Facts:
    """What the rule reads, as the stage read it (paths as staff see them)."""

    clinic: Mapping                    # clinic.yml as read
    clinic_text: str
    clinic_shown: str
    settings_text: str                 # mkdocs.yml
    settings_shown: str
    people: Mapping[str, Mapping]      # .authors.yml, by id
    authors_text: str
    authors_shown: str
    sources: Mapping[str, Source]      # every Markdown page, by src_uri
    blog_dir: str = "blog"
    listing_texts: Mapping[str, str] = dataclasses.field(default_factory=dict)   # shown path -> text
    listings: Iterable = ()            # the valid listings (clinic_site.finder.model.Listing)
    listing_files: Mapping[str, str] = dataclasses.field(default_factory=dict)   # listing id -> shown path
    boards_used: Iterable[tuple[str, str, Mapping]] = ()   # (state, kind, board) linked by a listing
    boards_text: str = ""
    boards_shown: str = ""


@functools.lru_cache(maxsize=8)
def _composed(text: str):
    try:
        return yamlfile.compose(text, yamlfile.SettingsLoader)
    except Exception:   # noqa: BLE001 - a file that cannot be read is named by its own reader
        return None


def _yaml_line(text: str, *keys: str) -> int:
    """The line of the setting at `keys` in a YAML text (1 when it cannot be found)."""
    return yamlfile.node_line(_composed(text), *keys)


def _top_level_line(text: str, key: str) -> int:
    """The line of a top-level `key:` (a listing's `sample:`), without parsing the file again:
    thousands of listings are read once already."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text[:match.start()].count("\n") + 1 if match else 1


def person_page(person: Mapping, sources: Mapping[str, Source]) -> str | None:
    """The src_uri of a person's page on this site ("people/alex-example.md"), from their url."""
    url = str(person.get("url") or "").strip("/")
    if not url or "://" in url:
        return None
    for candidate in (f"{url}.md", f"{url}/index.md"):
        if candidate in sources:
            return candidate
    return None


def sample_pages(facts: Facts) -> dict[str, str]:
    """Pages that are sample as a whole, by src_uri, with why: a page marked `sample: true` (a
    post, a person's page) and the page of a person marked so in .authors.yml."""
    found = {}
    for person_id, person in facts.people.items():
        page = person_page(person, facts.sources) if person.get("sample") else None
        if page:
            found[page] = f"the page of the sample person '{person_id}'"
    for src_uri, source in facts.sources.items():
        if source.meta.get("sample") is True:
            found[src_uri] = "a sample post" if src_uri.startswith(f"{facts.blog_dir}/posts/") else "a made-up page"
    return found


def _scan(shown: str, text: str, group: str, *, yaml: bool = True) -> list[Marker]:
    """Every placeholder address and fictional phone number of one file, at its line (a YAML
    file's comment lines are left alone: they may show an example; a Markdown page's are headings)."""
    if not _may_hold_markers(text):
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if yaml and line.lstrip().startswith("#"):
            continue
        line = plain(line)
        for match in EXAMPLE_ADDRESS.finditer(line):
            found.append(Marker(group, Problem(shown, number, "", f"holds the placeholder address '{match.group(0)}'",
                                               "replace it with the clinic's own address (delete an optional one)")))
        for match in FICTIONAL_PHONE.finditer(line):
            found.append(Marker(group, Problem(shown, number, "", f"holds '{match.group(0)}', a phone number kept "
                                               "for fiction (555-0100 to 555-0199)",
                                               "write the real phone number")))
    return found


def _may_hold_markers(text: str) -> bool:
    """False when no line of `text` can hold a placeholder address or a fictional phone number:
    the whole text, decoded at once, holds neither. `plain` changes each line on its own (no
    reference, escape or normalization reaches across a line break), and both patterns read a
    line break beside a match as they read the end of a line, so a match on a line is a match in
    the whole text. One search per file instead of two per line: 1,000 posts' pages, 0.24 s to
    0.03 s."""
    whole = plain(text)
    # Each pattern holds a literal part, found first: EXAMPLE_ADDRESS tries every word start.
    return bool((_EXAMPLE_DOT.search(whole) and EXAMPLE_ADDRESS.search(whole))
                or ("555" in whole and FICTIONAL_PHONE.search(whole)))


def markers(facts: Facts) -> list[Marker]:
    """Everything still sample or placeholder in the staged facts, each with its group and place."""
    found: list[Marker] = []
    if facts.clinic.get("sample") is True:
        found.append(Marker("clinic details", Problem(
            facts.clinic_shown, _yaml_line(facts.clinic_text, "sample"), "sample",
            "says the clinic's details are the sample's (a made-up clinic)",
            "write your clinic's name, address, phone, email and hours, then delete this line")))
    found += sample_wording(facts)
    found += _scan(facts.clinic_shown, facts.clinic_text, "addresses")
    found += _scan(facts.settings_shown, facts.settings_text, "addresses")
    found += description_markers(facts)

    samples = {person_id for person_id, person in facts.people.items() if person.get("sample")}
    for person_id in samples:
        line = _yaml_line(facts.authors_text, "authors", person_id, "sample")
        found.append(Marker("people", Problem(
            facts.authors_shown, line, f"authors.{person_id}.sample",
            "is true: a made-up person (name and credentials)",
            "run `clinic remove-samples`, or replace the entry and their page with a real person's")))
    found += [marker for marker in _scan(facts.authors_shown, facts.authors_text, "addresses")
              if not _in_sample_entry(facts, marker.problem.line, samples)]

    whole = sample_pages(facts)
    for src_uri, why in sorted(whole.items()):
        source = facts.sources[src_uri]
        if source.meta.get("sample") is not True:
            continue   # a sample person's page without the mark: named with the person
        post = src_uri.startswith(f"{facts.blog_dir}/posts/")
        found.append(Marker("posts" if post else "people", Problem(
            source.path, front_matter_line(source.text, "sample"), "sample", f"is true: {why}",
            "run `clinic remove-samples`, or " + ("write the post again with a real author and delete this line"
                                                  if post else "write the page again for a real person and delete "
                                                  "this line"))))
    for src_uri, source in sorted(facts.sources.items()):
        if src_uri in whole:
            continue
        meta = source.meta
        reviewer = meta.get("reviewed_by")
        if reviewer in samples:
            found.append(Marker("reviewer", Problem(
                source.path, front_matter_line(source.text, "reviewed_by"), "reviewed_by",
                f"is '{reviewer}', a sample person: the page has had no real clinical review",
                "name the licensed professional who reviewed it (their id in docs/blog/.authors.yml)")))
        elif src_uri.startswith("guide/") and not reviewer:
            found.append(Marker("reviewer", Problem(
                source.path, 1, "reviewed_by", "is missing: no licensed professional has reviewed the page",
                "add reviewed_by, last_reviewed and next_review once a real reviewer has checked it"), enforced=False))
        authors = meta.get("authors")
        for author in authors if isinstance(authors, list) else []:
            if author in samples:
                found.append(Marker("posts", Problem(
                    source.path, front_matter_line(source.text, "authors"), "authors",
                    f"names '{author}', a sample person", "name the real author (their id in "
                    "docs/blog/.authors.yml), or run `clinic remove-samples`")))
        found += _scan(source.path, source.text, "addresses", yaml=False)

    sample_files = set()
    for listing in facts.listings:
        shown = facts.listing_files.get(listing.id)
        if listing.sample and shown:
            sample_files.add(shown)
            found.append(Marker("listings", Problem(
                shown, _top_level_line(facts.listing_texts.get(shown, ""), "sample"), "sample",
                "is a sample listing (a made-up therapist)",
                "run `clinic remove-samples`, or delete the file")))
    for shown, text in sorted(facts.listing_texts.items()):
        if shown not in sample_files and SAMPLE_LINE.search(text):
            # marked sample, but refused by its own checks (not among the valid listings): still
            # a made-up therapist, named here so remove-samples deletes it and a live site refuses it
            sample_files.add(shown)
            found.append(Marker("listings", Problem(
                shown, _top_level_line(text, "sample"), "sample", "is a sample listing (a made-up therapist)",
                "run `clinic remove-samples`, or delete the file")))
        if shown not in sample_files:
            found += _scan(shown, text, "addresses")

    found += _scan(facts.boards_shown, facts.boards_text, "addresses")   # a board's look-up address, even confirmed
    for state, kind, board in facts.boards_used:
        if board.get("lookup") and board.get("checked"):
            continue
        what = ("has no license look-up address yet" if not board.get("lookup")
                else "has a look-up address nobody has confirmed")
        found.append(Marker("boards", Problem(
            facts.boards_shown, _yaml_line(facts.boards_text, state, kind), f"{state}.{kind}",
            what, "open the board's license look-up page, put its address in `lookup:` and add `checked:` "
            "with today's date")))
    return sorted(set(found), key=lambda marker: (list(GROUPS).index(marker.group), marker.problem))


# A clinic detail that still says it is made up: "(sample clinic)", "100 Example Avenue".
# The details that say who and where the clinic is (prose, such as a service's summary, may well
# say "for example").
IDENTITY = ("name", "short_name", "street", "city", "state", "zip", "phone", "email", "booking_url",
            "directions_url", "logo")
SAMPLE_WORD = re.compile(r"\b(?:sample|example|fictional|made-up|placeholder)\b", re.I)


def sample_wording(facts: Facts) -> list[Marker]:
    """Each of clinic.yml's texts (name, street, a service...) that still reads as the sample's, such
    as the name "(sample clinic)" or the street "100 Example Avenue" kept after `sample: true` was
    deleted (a placeholder address in it is named once, as an address)."""
    found = []

    def visit(value: object, keys: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*keys, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*keys, str(index + 1)))
        elif isinstance(value, str) and keys and keys[0] in IDENTITY:
            text = plain(value)
            word = SAMPLE_WORD.search(text)
            if word and not EXAMPLE_ADDRESS.search(text):
                field = ".".join(map(str, keys))
                found.append(Marker("clinic details", Problem(
                    facts.clinic_shown, _yaml_line(facts.clinic_text, *keys), field,
                    f"still says '{word.group(0)}': '{value}' reads as the sample clinic's",
                    "write the link to a map of your clinic's own address" if field.endswith("_url")
                    else "write your clinic's own")))
    visit(dict(facts.clinic), ())
    return found


def _in_sample_entry(facts: Facts, line: int, samples: set[str]) -> bool:
    """Whether a line of .authors.yml is inside a sample person's entry (named once, as a person)."""
    starts = sorted((_yaml_line(facts.authors_text, "authors", person_id), person_id) for person_id in facts.people)
    owner = None
    for start, person_id in starts:
        if start <= line:
            owner = person_id
    return owner in samples


def description_markers(facts: Facts) -> list[Marker]:
    """site_description names the clinic: after a rename it must not name another one."""
    description = ""
    match = re.search(r"^site_description:", facts.settings_text, re.M)
    if match is None:
        return []
    data = yamlfile.parse(facts.settings_text, yamlfile.SettingsLoader) or {}
    description = str(data.get("site_description") or "") if isinstance(data, dict) else ""
    names = [str(facts.clinic.get(key) or "") for key in ("name", "short_name")]
    if not description or any(name and name.lower() in description.lower() for name in names):
        return []
    line = facts.settings_text[:match.start()].count("\n") + 1
    return [Marker("clinic details", Problem(
        facts.settings_shown, line, "site_description",
        f"does not name the clinic as clinic.yml does ('{names[1] or names[0]}'): search engines and the feeds "
        "would show another name", "write the clinic's short name and city in it, as clinic.yml has them"),
        warn_now=True)]


def problems(found: list[Marker], live: bool, live_line: int, clinic_shown: str) -> list[Problem]:
    """What the rule adds to a run: with `live: true`, every enforced marker is an error; before
    launch, one warning at clinic.yml's `live:` line counts them and names the launch list."""
    if live:
        return [marker.problem for marker in found if marker.enforced]
    now = [dataclasses.replace(marker.problem, severity=WARNING) for marker in found if marker.warn_now]
    if not found:
        return []
    return now + [Problem(clinic_shown, live_line, "live", f"is false: {len(found)} sample or placeholder "
                    f"item{'s' if len(found) != 1 else ''} must go before launch",
                    "run `clinic check --launch` for the list", WARNING)]


def replacing(found: list[Problem], markers: list[Marker]) -> list[Problem]:
    """`found` without the warnings a live site's error says again: a board's "never confirmed"
    warning beside the launch rule's error for the same board."""
    boards = {(marker.problem.path, marker.problem.field) for marker in markers if marker.group == "boards"}
    return [problem for problem in found if not (problem.severity == WARNING and (
        problem.path, problem.field.rsplit(".", 1)[0]) in boards)]


def launch_list(found: list[Marker]) -> list[str]:
    """The launch list as printed: each group with its count and where it is fixed, then its items."""
    lines = []
    for group, where in GROUPS.items():
        items = [marker.problem for marker in found if marker.group == group]
        if not items:
            continue
        lines.append(f"{group.capitalize()} ({len(items)}): {where}")
        lines += [f"  {dataclasses.replace(item, severity=ERROR)}" for item in items]
    return lines


def listing_texts(folder: Path, shown_folder: str) -> dict[str, str]:
    """Each listing file's text by its shown path (for the lines of its markers)."""
    texts = {}
    if folder.is_dir():
        for file in sorted(folder.glob("*.yml")):
            if file.is_file() and not file.is_symlink():   # a named pipe is named by the finder's reading
                texts[f"{shown_folder}/{file.name}"] = file.read_text("utf-8-sig", errors="replace")
    return texts
