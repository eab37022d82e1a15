"""MkDocs' own warnings (broken links and anchors, pages missing from the menu) as Problems.

`mkdocs build --strict` fails on any warning, but MkDocs words them for developers and gives
no line. `WarningCollector` listens to the "mkdocs" logger during a build; `to_problems`
turns each warning into a Problem with the file, the line of the link and a fix. The message
forms are MkDocs 1.6's (mkdocs/structure/pages.py and nav.py); an unknown one is kept whole.
"""
from __future__ import annotations

import difflib
import logging
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from clinic_site.problems import Problem

_LINK = re.compile(r"^Doc file '(?P<src>[^']+)' contains (?:a link|an unrecognized relative link|an absolute link) "
                   r"'(?P<link>[^']*)'(?P<rest>.*)$", re.S)
_EXCLUDED = re.compile(r"^Doc file '(?P<src>[^']+)' contains a link to '(?P<target>[^']+)' which is excluded")
NAV_MISSING = re.compile(r"^A reference to '(?P<link>[^']+)' is included in the 'nav' configuration, "
                          r"which is not found")
_OMITTED = re.compile(r"^The following pages exist in the docs directory, but are not included in the \"nav\"")
_SUGGESTION = re.compile(r"Did you mean '([^']*)'\?")


class WarningCollector(logging.Handler):
    """Keeps every WARNING (or worse) logged under "mkdocs" while attached: `attach()` /
    `detach()`, then `records`. Attached once per build; a second attach is a no-op."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def attach(self) -> None:
        logger = logging.getLogger("mkdocs")
        if self not in logger.handlers:
            logger.addHandler(self)

    def detach(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


def to_problems(messages: list[str], docs_path: str, read: Callable[[str], str],
                config_file: Path | None = None, pages: Iterable[str] = ()) -> list[Problem]:
    """Problems for MkDocs warning `messages`. `docs_path` is docs/ as staff see it ("docs");
    `read(src_uri)` gives a page's source text (for line numbers), "" when it has none;
    `config_file` (mkdocs.yml) gives the lines of menu entries; `pages` (src_uris) are the pages a
    broken link may have meant, suggested when one is close (a typo, a wrong number of "../")."""
    found: list[Problem] = []
    known = sorted(pages)
    for message in messages:
        found += _one(message, docs_path, read, config_file, known)
    return found


def suggest(src: str, link: str, pages: list[str]) -> str | None:
    """The page a broken link from `src` most likely meant, as a link from `src`: the same file
    name in another folder (a wrong number of "../"), else the closest path (a typo); None."""
    target, _, anchor = link.partition("#")
    if not target.endswith(".md"):
        return None
    wanted = posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
    same_name = [page for page in pages if posixpath.basename(page) == posixpath.basename(wanted)]
    near = same_name[:1] or difflib.get_close_matches(wanted, pages, n=1, cutoff=0.8)
    if not near:
        return None
    return posixpath.relpath(near[0], posixpath.dirname(src) or ".") + (f"#{anchor}" if anchor else "")


def _one(message: str, docs_path: str, read: Callable[[str], str], config_file: Path | None,
         pages: list[str]) -> list[Problem]:
    if match := _LINK.match(message):
        src, link, rest = match.group("src"), match.group("link"), match.group("rest")
        path, line = f"{docs_path}/{src}", _line_of_link(read(src), link)
        suggestion = _SUGGESTION.search(rest)
        meant = suggestion.group(1) if suggestion else suggest(src, link, pages)
        hint = f"did you mean '{meant}'? " if meant else ""
        if "absolute link" in message:
            return [Problem(path, line, "", f"the link '{link}' starts with '/'",
                            f"{hint}write it relative to this file, for example '../guide/index.md'")]
        # A link to no page, file or anchor: named by the post-build link check for every engine, in
        # the same words and at the line the page writes it (postbuild/links.py), never twice.
        return []
    if match := _EXCLUDED.match(message):
        src = match.group("src")
        return [Problem(f"{docs_path}/{src}", 1, "", f"links to '{match.group('target')}', which is not published",
                        "link to a published page instead")]
    if match := NAV_MISSING.match(message):
        line = nav_line(config_file, match.group("link")) if config_file else 1
        return [Problem("mkdocs.yml", line, "nav", f"lists '{match.group('link')}', which does not exist in docs/",
                        "correct the path, or remove the line if the page was deleted")]
    if _OMITTED.match(message):   # named by the stage for every engine (stage/menu.py), in the same words
        return []
    return [Problem("mkdocs.yml", 1, "", message.strip().replace("\n", " "), "")]


def _line_of_link(text: str, link: str) -> int:
    """The first line that holds `link` as a link target: `](link`, `<link>` or `href="link"`."""
    for pattern in (f"]({link}", f"]( {link}", f"<{link}>", f'"{link}"', f"'{link}'", f"]: {link}", link):
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern in line:
                return number
    return 1


def nav_line(config_file: Path, link: str) -> int:
    """The line of mkdocs.yml that names `link` (a nav entry), or 1."""
    try:
        for number, line in enumerate(config_file.read_text(encoding="utf-8-sig").splitlines(), start=1):
            if link in line:
                return number
    except OSError:
        pass
    return 1
