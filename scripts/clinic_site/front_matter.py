"""The shape of every front matter field the site reads: one table, one check each, checked
before any other rule or the engine sees the page (issue 21: no traceback, ever).

A field written with the wrong shape (`title: [1]`, `hide: 3`, `search: 5`, `date: {updated:
soon}`) is a problem naming the file, the line and the field, with the fix; the field is then
taken out of the page's front matter, so no later rule, template or plugin meets a value of a
shape it does not expect, and the run goes on. Fields the site does not read are left alone.
What each value means (a description's length, a reviewer known in .authors.yml, a review date
not passed) is the page rules' (clinic_site.content_rules); here only the shape.

Icons and templates a page names must be the theme's (`theme`: clinic_site.theme.ThemeFiles),
as the theme includes them by name and stops the whole build on one it cannot find.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from clinic_site.problems import Problem, front_matter_line
from clinic_site.sources import Source
from clinic_site.theme import ThemeFiles

# Material's `hide:` values (9.8).
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
Check = Callable[[object], "tuple[str, str] | None"]


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _kind(value: object) -> str:
    """What YAML made of a value, in staff's words, with its article ("a number", "text")."""
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of settings"
    if value is None:
        return "empty"
    return "text"


def text(value: object) -> tuple[str, str] | None:
    """Plain text on one line (a title, a description, a reviewer's id)."""
    if _is_text(value):
        return None
    quoted = isinstance(value, (bool, int, float, dt.date)) and not isinstance(value, dt.datetime)
    return (f"is {_kind(value)} ({value!r}), not text",
            "put the text in double quotes" if quoted else "write it as text on the same line, in double quotes")


def text_list(value: object) -> tuple[str, str] | None:
    """A list of text items (`authors:`, `categories:`, `tags:`)."""
    if isinstance(value, list) and all(_is_text(item) for item in value):
        return None
    if isinstance(value, list):
        wrong = next(item for item in value if not _is_text(item))
        return (f"holds {_kind(wrong)} ({wrong!r}) where each item must be text",
                "write one `  - item` per line, each item as plain text")
    example = value if _is_text(value) else "item"
    return (f"is {_kind(value)} ({value!r}), not a list",
            f"write it as a list: the key, then below it one `  - {example}` per line")


def yes_no(value: object) -> tuple[str, str] | None:
    """true or false (`draft:`, `pin:`, `comments:`)."""
    return None if isinstance(value, bool) else (f"is {_kind(value)} ({value!r}), not true or false",
                                                 "write true or false, without quotes")


def whole_number(value: object) -> tuple[str, str] | None:
    """A whole number of 0 or more (`readtime:`, minutes)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else (f"is {value!r}, not a whole number", "write a whole number such as 5, without quotes")


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date)


def date(value: object) -> tuple[str, str] | None:
    """A date (`last_reviewed:`), written YYYY-MM-DD."""
    return None if _is_date(value) and not isinstance(value, dt.datetime) else (
        f"is {value!r}, not a date", "write a date as YYYY-MM-DD, for example 2026-11-20, without quotes")


def post_date(value: object) -> tuple[str, str] | None:
    """A post's `date:`: a date, or `created:` and optionally `updated:` below it, each a date."""
    fix = "write `date:` and below it `  created: YYYY-MM-DD` (and `  updated: YYYY-MM-DD`), without quotes"
    if _is_date(value):
        return None
    if isinstance(value, dict):
        wrong = [f"{key}: {item!r}" for key, item in value.items() if not _is_date(item)]
        return None if not wrong else (f"has {', '.join(wrong)}, which is not a date", fix)
    return (f"is {value!r}, not a date", fix)


def hide(value: object) -> tuple[str, str] | None:
    """`hide:` a list of what the page hides (Material's HIDE_VALUES)."""
    fix = f"write a list, one `  - item` per line, of: {', '.join(HIDE_VALUES)}"
    if not isinstance(value, list):
        return (f"is {_kind(value)} ({value!r}), not a list", fix)
    unknown = [item for item in value if item not in HIDE_VALUES]
    return None if not unknown else (f"has {unknown[0]!r}, which is not something a page can hide", fix)


def search(value: object) -> tuple[str, str] | None:
    """`search:` with `boost:` (a number) and/or `exclude:` (true or false)."""
    fix = "write `search:` and below it `  boost: 2` or `  exclude: true`"
    if not isinstance(value, dict):
        return (f"is {_kind(value)} ({value!r}), not settings", fix)
    for key, item in value.items():
        if key == "boost" and not (isinstance(item, (int, float)) and not isinstance(item, bool)):
            return (f"has boost {item!r}, which is not a number", fix)
        if key == "exclude" and not isinstance(item, bool):
            return (f"has exclude {item!r}, which is not true or false", fix)
        if key not in ("boost", "exclude"):
            return (f"has {key!r}, which is not a search setting", fix)
    return None


# What a page may set on its own social card (Material's default layout reads these `layout.*`
# values; so does Zensical's copy of it, engines/zensical/card_layout.yml). Left out on purpose: `logo`
# and `background_image` are files the card plugin reads and draws into a published image, from any
# path (measured: `logo: /tmp/x.png` drew a file from outside the project on both engines), and
# `cards_layout` names a layout file to read; `font_variant` no committed family has.
CARD_TEXT = ("title", "description", "font_family")
CARD_COLORS = ("color", "background_color")
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def social(value: object) -> tuple[str, str] | None:
    """`social:` with `cards:` (true or false) and `cards_layout_options:` of text (CARD_TEXT) and
    colours written #rgb or #rrggbb (CARD_COLORS); nothing that names a file to read."""
    fix = ("write `social:` and below it `  cards: false`, or `  cards_layout_options:` with lines such as "
           "`    title: ...`, `    description: ...` or `    background_color: \"#1f5f7a\"`")
    if not isinstance(value, dict):
        return (f"is {_kind(value)} ({value!r}), not settings", fix)
    unknown = [key for key in value if key not in ("cards", "cards_layout_options")]
    if unknown:
        return (f"has {unknown[0]!r}, which is not a social card setting a page may change", fix)
    if "cards" in value and not isinstance(value["cards"], bool):
        return (f"has cards {value['cards']!r}, which is not true or false", fix)
    layout = value.get("cards_layout_options", {})
    if not isinstance(layout, dict):
        return (f"has cards_layout_options {layout!r}, which are not settings", fix)
    for key, item in layout.items():
        if key in ("logo", "background_image"):
            return (f"has cards_layout_options {key!r}: a card shows the clinic's logo (clinic.yml's `logo`), "
                    "never a file a page names", f"take out the line `{key}:`")
        if key not in CARD_TEXT + CARD_COLORS:
            return (f"has cards_layout_options {key!r}, which is not one a page may set",
                    f"use only {', '.join(CARD_TEXT + CARD_COLORS)}")
        if key in CARD_TEXT and not (isinstance(item, str) and item.strip()):
            return (f"has cards_layout_options {key} {item!r}, which is not text", fix)
        if key in CARD_COLORS and not (isinstance(item, str) and _HEX_COLOR.fullmatch(item)):
            return (f"has cards_layout_options {key} {item!r}, which is not a colour written #rgb or #rrggbb",
                    f"write it in quotes, such as `{key}: \"#1f5f7a\"`")
    return None


def safe_name(value: object) -> tuple[str, str] | None:
    """A name that becomes part of a class or a file name (`status:`): letters, digits, - and _."""
    if isinstance(value, str) and value and all(character.isalnum() or character in "-_" for character in value):
        return None
    return (f"is {value!r}, not a plain name", "write one word of letters, digits, '-' or '_', such as new")


# Every field the stage, the theme or its blog reads, with its check. The same on every page: a
# field read on posts only (date, authors, pin) is as wrong elsewhere, and costs nothing to check.
FIELDS: dict[str, Check] = {
    "title": text, "description": text, "subtitle": text, "offer": text,
    "reviewed_by": text, "last_reviewed": date, "next_review": date,
    "template": text, "icon": text, "status": safe_name, "hide": hide,
    "search": search, "social": social, "tags": text_list, "comments": yes_no,
    "date": post_date, "authors": text_list, "categories": text_list,
    "draft": yes_no, "pin": yes_no, "readtime": whole_number,
    "sample": yes_no,   # a made-up post of the sample site (clinic_site.launch)
}


def refused(meta: dict, theme: ThemeFiles | None = None) -> dict[str, tuple[str, str]]:
    """{field: (what, fix)} for every field of `meta` the site reads whose shape is wrong, and for
    an icon or template the theme does not have (when `theme` is given)."""
    found: dict[str, tuple[str, str]] = {}
    for key, check in FIELDS.items():
        if key not in meta:
            continue
        wrong = check(meta[key])
        if wrong is None and theme is not None:
            wrong = _theme_file(key, meta[key], theme)
        if wrong is not None:
            found[key] = wrong
    return found


def _theme_file(key: str, value: object, theme: ThemeFiles) -> tuple[str, str] | None:
    if key == "icon" and isinstance(value, str) and not theme.has_icon(value):
        return (f"is '{value}', which is not an icon of the theme", theme.icon_fix(value))
    if key == "template" and isinstance(value, str) and not theme.has_template(value):
        return (f"is '{value}', which is not a template of the site", theme.template_fix())
    return None


def checked(source: Source, theme: ThemeFiles | None = None) -> tuple[Source, list[Problem]]:
    """`source` with every field of the wrong shape taken out of its front matter (and named in
    its `refused`), and a problem for each, on its own line of the page."""
    wrong = refused(source.meta, theme) if source.readable else {}
    if not wrong:
        return source, []
    kept = {key: value for key, value in source.meta.items() if key not in wrong}
    found = [Problem(source.path, front_matter_line(source.text, key), key, what, fix)
             for key, (what, fix) in wrong.items()]
    return dataclasses.replace(source, meta=kept, refused=frozenset(wrong)), found


def without_refused(problems: list[Problem], source: Source) -> list[Problem]:
    """The page rules' problems, less those about a field already refused for its shape (a
    refused description is not also "missing")."""
    return [problem for problem in problems if problem.path != source.path or problem.field not in source.refused]
