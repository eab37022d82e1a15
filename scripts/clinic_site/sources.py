"""The one reader of Markdown sources: text, front matter and the problems of reading them.

The build and `clinic check` both read pages through `read_source`, so a file saved as UTF-16,
front matter that is not valid YAML or an impossible date gets the same message from either,
instead of a traceback or a misleading "'title' is missing". Front matter is read as every
staff file is (clinic_site.yamlfile: safe, at most 64 KB, no aliases, no tags, bounded nesting).
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from clinic_site import yaml_core, yaml_errors, yamlfile
from clinic_site.problems import Problem

# The front matter block as MkDocs finds it (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.S)


@dataclasses.dataclass
class Source:
    """A Markdown file as read: `text` without a byte-order mark, its front matter `meta`
    (empty when it could not be read), how many lines the front matter takes, and the
    problems met while reading (an unreadable file has text == "" and one problem); `refused`:
    the fields left out of `meta` because their shape was wrong."""

    path: str
    text: str
    meta: dict[str, Any]
    front_matter_lines: int
    problems: list[Problem]
    refused: frozenset[str] = frozenset()   # fields taken out of `meta` for their shape (clinic_site.front_matter)

    @property
    def readable(self) -> bool:
        return not self.problems


def read_source(file: Path, path: str) -> Source:
    """Read `file` (shown to staff as `path`, e.g. "docs/guide/safety.md").

    UTF-8 with or without a byte-order mark is accepted, as MkDocs reads it ("utf-8-sig").
    Anything else becomes a Problem naming the encoding to save it in.
    """
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]
        looks_like = " (it looks like UTF-16)" if utf16 else ""
        line = data[: error.start].count(b"\n") + 1
        return Source(path, "", {}, 0, [Problem(
            path, line, "", f"is not saved as UTF-8{looks_like}",
            "open it in your editor and save it with the encoding 'UTF-8'")])
    return parse_source(text, path)


def normalize_newlines(text: str) -> str:
    """`text` as every reader of this project expects it: no byte-order mark (one or more, as some
    editors repeat it), and every line ending "\n", whether the file was saved with Windows
    ("\r\n"), old Mac ("\r") or Unix line endings. The count of lines stays the same, so every
    line number named in a problem is the line staff see in their editor."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_source(text: str, path: str) -> Source:
    """Split `text` into front matter and body, reporting invalid YAML with its line. Line endings
    and byte-order marks are normalized first (normalize_newlines): a page saved on Windows has
    the same front matter as one saved anywhere else."""
    return _parse(normalize_newlines(text), path)


def hidden_lines(text: str, path: str, skip: int = 0) -> list[Problem]:
    """One problem per line after the first `skip` (the front matter, whose values the YAML reader
    checks) holding a control character or a bidirectional override or isolate (yaml_core.HIDDEN):
    "Dose: \u202e05\u202c mg" shows as "Dose: 50 mg"; a terminal's escape reaches the page."""
    if not yaml_core.HIDDEN.search(text):
        return []
    return [Problem(path, number, "", f"holds the invisible character \\u{ord(found[0]):04x} (a control character, "
                    "or one that reverses or reorders how text around it shows)", "delete it: retype the text around "
                    "it; right-to-left text needs none of these")
            for number, line in enumerate(text.split("\n"), start=1)
            if number > skip and (found := yaml_core.HIDDEN.search(line))]


def _parse(text: str, path: str) -> Source:
    match = _FRONT_MATTER.match(text)
    if not match:
        return Source(path, text, {}, 0, [])
    lines = match.group(0).count("\n")
    block = match.group(1) or ""
    size = len(block.encode("utf-8", "surrogatepass"))
    if size > yamlfile.MAX_FRONT_MATTER_BYTES:
        return Source(path, text, {}, lines, [yamlfile.too_large(path, size, yamlfile.MAX_FRONT_MATTER_BYTES,
                                                                 "the front matter")])
    try:
        meta = yamlfile.parse(block, yamlfile.FrontMatterLoader, limit=yamlfile.MAX_FRONT_MATTER_BYTES) or {}
    except yamlfile.Refused as error:   # a tag, an alias, deep nesting, a key given twice, a date that is none
        return Source(path, text, {}, lines, yamlfile.problems_of(error, path, block, first_line=2))
    except yaml.YAMLError as error:   # named after the slips the reading found above it (Refused.before)
        before = [yamlfile.problem_of(found, path, block, first_line=2) for found in getattr(error, "before", ())]
        if isinstance(error, yaml.reader.ReaderError):   # a control character written as itself
            return Source(path, text, {}, lines, [*before, yamlfile.problem_of(error, path, block, first_line=2)])
        mark = getattr(error, "problem_mark", None)
        if "flow" in str(getattr(error, "context", "")) and getattr(error, "context_mark", None) is not None:
            mark = error.context_mark  # a bracket never closed: where it opens
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        rows = block.splitlines()
        opened = yaml_errors.unclosed_quote(rows[: line - 1])   # a quote left open: where it opens, as in clinic.yml
        if opened is not None and "\t" not in "".join(rows[: line - 1]):
            return Source(path, text, {}, lines, [*before, Problem(
                path, opened + 1, "", "has a quote that is never closed", yaml_errors.quote_fix(rows[opened - 1]))])
        return Source(path, text, {}, lines, [*before, Problem(
            path, line, "", f"the front matter is not valid YAML ({reason})",
            "check the indentation, and put text containing ': ' or ' #' in quotes")])
    if not isinstance(meta, dict):
        return Source(path, text, {}, lines, [Problem(
            path, 2, "", "the front matter is not a list of 'key: value' lines",
            "write one 'key: value' per line between the two '---' lines")])
    return Source(path, text, meta, lines, [])
