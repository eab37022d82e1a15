"""Pages the site's menu leaves out, named by the stage for every engine.

MkDocs reports a page that is in docs/ but not in `nav:` (its `validation: omitted_files`);
Zensical does not, so the same site could pass one engine's build and fail the other's. The
stage names them instead, in MkDocs' terms: a Markdown page the run publishes, when mkdocs.yml
has a `nav:` and `omitted_files: warn`, that the menu does not list and that `not_in_nav` or
`exclude_docs` (gitignore patterns, as MkDocs reads them with pathspec) do not match. Blog posts
(placed by the blog), drafts and the pages the stage generates (the finder's, people's) are
reached through their own lists, never the menu.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pathspec

from clinic_site.problems import Problem
from clinic_site.project import Settings


def nav_pages(nav: object) -> set[str]:
    """Every page path (inside docs/) a `nav:` lists, at any depth: "guide/index.md"."""
    found: set[str] = set()
    items = nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, str):
            found.add(item.strip().removeprefix("./"))
        elif isinstance(item, dict):
            for value in item.values():
                found |= nav_pages(value)
        elif isinstance(item, list):
            found |= nav_pages(item)
    return found


def _level(settings: Settings) -> str:
    """`validation: omitted_files:` (or `validation: nav: omitted_files:`), MkDocs' default "info"."""
    validation = settings.get("validation")
    if not isinstance(validation, dict):
        return "info"
    nested = validation.get("nav")
    value = nested.get("omitted_files") if isinstance(nested, dict) else validation.get("omitted_files")
    return str(value or "info")


def _patterns(value: object) -> pathspec.PathSpec:
    lines = value.splitlines() if isinstance(value, str) else [str(line) for line in value or []] \
        if isinstance(value, list) else []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def omitted(settings: Settings, pages: Iterable[str], kinds: Mapping[str, str]) -> list[Problem]:
    """One problem per page of `pages` (src_uri of each Markdown page the run publishes; `kinds`:
    its record's kind) that the menu leaves out, as described above."""
    nav = settings.get("nav")
    if nav is None or _level(settings) != "warn":
        return []
    listed = nav_pages(nav)
    quiet = _patterns(settings.get("not_in_nav"))
    excluded = _patterns(settings.get("exclude_docs"))
    docs = settings.docs_path
    return [Problem(f"{docs}/{src_uri}", 1, "", "the page is not in the site's menu",
                    f"add the line `- {src_uri}` to the nav: section of mkdocs.yml (under its section)")
            for src_uri in sorted(pages)
            if kinds.get(src_uri) != "post" and src_uri not in listed
            and not quiet.match_file(src_uri) and not excluded.match_file(src_uri)]
