"""Rules every content page must follow, as pure functions.

The MkDocs hook (scripts/hooks/content.py) and the tests call these; each returns a list
of messages written for clinic staff: the file, the line, what is wrong, and the fix.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser

DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 160
REVIEW_WARNING_DAYS = 30
GUIDE_KEYS = ("title", "description", "reviewed_by", "last_reviewed", "next_review")


def front_matter_line(markdown_source: str, key: str) -> int:
    """Line number (1-based) of `key:` in the front matter, or 1 when absent."""
    for number, line in enumerate(markdown_source.splitlines(), start=1):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1


def check_description(meta: dict) -> list[tuple[str, str]]:
    """(key, problem) pairs for the page's meta description."""
    description = meta.get("description")
    if not description:
        return [("description", "is missing; add `description:` with one sentence of "
                 f"{DESCRIPTION_MIN} to {DESCRIPTION_MAX} characters that sums up the page")]
    if not isinstance(description, str):
        return [("description", "must be plain text in quotes")]
    length = len(description.strip())
    if not DESCRIPTION_MIN <= length <= DESCRIPTION_MAX:
        return [("description", f"is {length} characters; make it {DESCRIPTION_MIN} to "
                 f"{DESCRIPTION_MAX} characters (search engines cut longer ones, shorter ones say too little)")]
    return []


def check_guide_page(meta: dict, today: dt.date, people: dict | None = None) -> list[tuple[str, str]]:
    """(key, problem) pairs for a health guide page: the keys readers' trust rests on.

    `people` are the ids in docs/blog/.authors.yml; reviewed_by must be one of them.
    """
    problems = [(key, f"is missing; add `{key}:` to the front matter (see docs/guide/index.md for an example)")
                for key in GUIDE_KEYS if key != "description" and not meta.get(key)]
    problems += check_description(meta)
    reviewer = meta.get("reviewed_by")
    if people is not None and reviewer and reviewer not in people:
        problems.append(("reviewed_by", f"is '{reviewer}', who is not in docs/blog/.authors.yml; use one of "
                         f"{', '.join(sorted(people))} or add the reviewer there"))
    dates = {}
    for key in ("last_reviewed", "next_review"):
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            problems.append((key, f"is {value!r}; write a date as YYYY-MM-DD, for example 2026-11-20"))
        else:
            dates[key] = value
    if len(dates) == 2:
        if dates["next_review"] <= dates["last_reviewed"]:
            problems.append(("next_review", "must be after last_reviewed"))
        if dates["last_reviewed"] > today:
            problems.append(("last_reviewed", f"is in the future ({dates['last_reviewed']}); use the date the review was done"))
        if dates["next_review"] < today:
            problems.append(("next_review", f"passed on {dates['next_review']}; have the page reviewed, then set "
                             "last_reviewed to today and next_review to the next review date"))
    return problems


def review_due_soon(meta: dict, today: dt.date) -> str | None:
    """A reminder when a guide page's review falls due within REVIEW_WARNING_DAYS."""
    next_review = meta.get("next_review")
    if isinstance(next_review, dt.date) and today <= next_review <= today + dt.timedelta(days=REVIEW_WARNING_DAYS):
        return f"review due on {next_review} (in {(next_review - today).days} days)"
    return None


CLINIC_KEYS = ("name", "street", "city", "state", "zip", "phone", "hours", "logo", "colors")


def check_clinic(clinic: dict | None) -> list[str]:
    """Problems with the clinic block in mkdocs.yml (extra: clinic:)."""
    if not isinstance(clinic, dict):
        return ["mkdocs.yml: 'extra: clinic:' is missing; copy the block from the README and fill it in"]
    problems = [f"mkdocs.yml, extra: clinic: '{key}' is missing; add it (see the README)"
                for key in CLINIC_KEYS if not clinic.get(key)]
    name = str(clinic.get("name", ""))
    if any(character in name for character in "&<>"):
        # The RSS plugin (1.19) writes the site name into the feed unescaped.
        problems.append(f"mkdocs.yml, site_name: '{name}' contains & < or >; write 'and' instead, "
                        "or the blog's RSS feed breaks")
    return problems


def format_problems(path: str, markdown_source: str, problems: list[tuple[str, str]]) -> list[str]:
    return [f"{path}, line {front_matter_line(markdown_source, key)}: '{key}' {problem}"
            for key, problem in problems]


# Markup that could run script in a visitor's browser. Contributors write Markdown;
# the few HTML tags they may need (details, abbr, br ...) stay allowed.
_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "meta", "link", "style"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")  # browsers ignore these inside a URL's scheme


class _UnsafeMarkupFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> is not allowed; remove it (pages may not run scripts or embed other sites)")
        for name, value in attrs:
            if name.startswith("on") and value is not None:  # with no value, it runs nothing
                self.problems.append(f"the attribute {name}= on <{tag}> is not allowed; remove it")
            elif name in _URL_ATTRIBUTES and value and _SPACE_OR_CONTROL.sub("", value).lower().startswith(
                    _SCRIPT_SCHEMES):
                self.problems.append(f"the link {name}=\"{value}\" on <{tag}> runs script; use an https:// address")


# A quick test that spares most pages the full parse (a third of a millisecond a page).
# It answers True whenever the parse could find a problem, which lowercases tag and
# attribute names and decodes entities in values: a forbidden tag opens with `<` and its
# name; an event attribute name follows a space, slash or quote and has `=` after it; a
# URL attribute's value is a stretch of the decoded page that starts with a script scheme,
# with spaces or control characters perhaps between its letters. False alarms only cost
# the full parse. The patterns begin with plain letters, which lets `re` skip ahead fast.
_FORBIDDEN_TAG_OPENING = re.compile("<(?:" + "|".join(sorted(_FORBIDDEN_TAGS)) + ")")
_EVENT_ATTRIBUTE_WITH_VALUE = re.compile(r"""on(?<=[\s/'"]on)[^\s/=>]*\s*=""")
_SPACED_SCRIPT_SCHEMES = [re.compile(r"[\s\x00-\x1f]*".join(map(re.escape, scheme))) for scheme in _SCRIPT_SCHEMES]


def _may_be_unsafe(html: str) -> bool:
    lowered = html.lower()
    if _FORBIDDEN_TAG_OPENING.search(lowered) or _EVENT_ATTRIBUTE_WITH_VALUE.search(lowered):
        return True
    decoded = unescape(html).lower() if "&" in html else lowered
    return any(scheme.search(decoded) for scheme in _SPACED_SCRIPT_SCHEMES)


def unsafe_markup(html: str) -> list[str]:
    """Problems with HTML that could run script, found in a page's rendered body."""
    if not _may_be_unsafe(html):
        return []
    finder = _UnsafeMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
