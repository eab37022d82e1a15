"""The one reader of YAML: every YAML file staff may edit, and mkdocs.yml as data, go through here.

Staff files (clinic.yml, the listings, vocabulary.yml, licensing-boards.yml, .authors.yml,
claims.yml, each page's front matter) are data only: read with YAML's safe loader (no tag can build
an object or run anything), within limits, so none ends in a traceback, a hang or unbounded memory:

- size: MAX_FILE_BYTES (1 MB) a file, MAX_FRONT_MATTER_BYTES (64 KB) a page's front matter (the
  largest sample file, the claims table, is about 60 KB; a listing about 1 KB).
- nesting: MAX_DEPTH (50) levels of lists and mappings. The deepest staff file needs four (the
  clinic's hours: a list of mappings holding a list of days), so 50 only stops runaway brackets;
  the composer never recurses deeper, so `[[[[...` cannot raise RecursionError.
- aliases (`*name`): none in a staff file. One alias can stand for a whole list, so a few lines
  of aliases of aliases ("billion laughs") stand for billions of values; the first alias is
  refused, before anything is expanded. mkdocs.yml, the developers' file, may use
  MAX_SETTINGS_ALIASES (20) of them (a plugin's shared options): however nested, 20 aliases
  stand for a few thousand values at most.
- tags: a staff file may use only YAML's plain types (text, numbers, true/false, dates, null, lists,
  mappings); any other tag is refused, naming its line; mkdocs.yml keeps its tags as plain text.
- keys: in a staff file every key is a name: a key YAML reads as anything but text (`no:` is
  false, `1:` a number), a list or mapping used as a key, and a key given twice in one mapping
  are refused, naming the line (quotes make any word a name: `'no':`).

Every refusal is a Problem in the words staff read everywhere else (file, line, field, fix):
`load_file`, `load_text` and `compose_text` return problems and never raise for content. A
refusal does not hide the next: every one in a file is named in one run (yaml_loaders._Bounded).
"""
from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from clinic_site.problems import Problem
from clinic_site.yaml_loaders import (
    FAST_LOADERS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_FRONT_MATTER_BYTES,
    FastStaffLoader,
    FrontMatterLoader,
    Refused,
    SettingsLoader,
    StaffLoader,
    refuse_unseen_breaks,
)

# The loaders and limits callers name as yamlfile.X: this module is the one they read YAML through.
__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_FRONT_MATTER_BYTES", "FastStaffLoader", "FrontMatterLoader", "Refused",
           "SettingsLoader", "StaffLoader", "compose", "compose_text", "load_file", "load_text", "node_line", "parse",
           "problem_of", "problems_of", "read_text", "too_large", "yaml_problem"]

# ---------------------------------------------------------------- reading, with problems
def _size(count: int) -> str:
    return f"{count / 1024 ** 2:.1f} MB" if count >= 1024 ** 2 else f"{max(1, round(count / 1024))} KB"


def too_large(shown: str, size: int, limit: int, what: str = "the file") -> Problem:
    """The problem of a file (or front matter) over its size limit."""
    return Problem(shown, 1, "", f"{what} is {_size(size)}, more than the {_size(limit)} it may hold", "keep only "
                   "what belongs in it: text pasted by mistake, an image or another document can make it this large")


def read_text(file: Path, shown: str, *, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """The text of `file` (UTF-8, a byte-order mark allowed), read only up to `limit` bytes: or
    None and the problem (missing, a folder, a link, which could lead anywhere, too large, not UTF-8)."""
    if file.is_symlink():
        return None, [Problem(shown, 1, "", "is a symbolic link: files staff edit are read only when really in the "
                              "project", "replace the link with a copy of the file")]
    try:   # never blocks: a named pipe opened to read waits for a writer, and the build with it, for good
        with os.fdopen(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
            kind = os.fstat(stream.fileno()).st_mode
            if stat.S_ISDIR(kind):
                raise IsADirectoryError
            if not stat.S_ISREG(kind):
                return None, [special_file(shown)]
            data = stream.read(limit + 1)
    except (FileNotFoundError, IsADirectoryError) as error:
        what = "is a folder, not a file" if isinstance(error, IsADirectoryError) else "does not exist"
        return None, [Problem(shown, 1, "", what, "restore the file from the repository")]
    except OSError as error:
        return None, [Problem(shown, 1, "", f"cannot be read ({error.strerror or error})",
                              "check that the file exists and can be read")]
    if len(data) > limit:
        return None, [too_large(shown, file.stat().st_size, limit)]
    try:
        return data.decode("utf-8-sig").lstrip("\ufeff"), []   # the marks some editors repeat at the start
    except UnicodeDecodeError as error:
        return None, [Problem(shown, data[: error.start].count(b"\n") + 1, "", "the file is not UTF-8 text",
                              "save it as UTF-8 in your editor (\"Save with encoding\")")]


def special_file(shown: str) -> Problem:
    """A named pipe, a device or a socket where staff keep a file (reading a pipe waits for good)."""
    return Problem(shown, 1, "", "is not a file but a named pipe, a device or a socket: the build reads only files",
                   "delete it, and put the file itself in its place if the site needs one")


def parse(text: str, loader: type = StaffLoader, *, limit: int = MAX_FILE_BYTES) -> Any:
    """`text` as plain data through `loader`. Raises yaml.YAMLError (Refused for the limits); any
    other failure of the loader is raised as a Refused too, never as itself."""
    return _read(text, loader, limit, "get_single_data")


def compose(text: str, loader: type = StaffLoader, *, limit: int = MAX_FILE_BYTES) -> Node | None:
    """`text` as YAML nodes (each knows its line), within the limits. Raises as `parse` does."""
    return _read(text, loader, limit, "get_single_node")


def _read(text: str, loader: type, limit: int, method: str) -> Any:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise Refused(None, "", f"is {_size(size)}, more than the {_size(limit)} it may hold",
                      "keep only what belongs in it: text pasted by mistake can make it this large")
    loader = _PURE.get(loader, loader)   # a caller naming libyaml's loader: its problems too are the pure reader's
    if getattr(loader, "staff", False):   # mkdocs.yml, the developers' file, is read as it is
        refuse_unseen_breaks(text)
    fast = FAST_LOADERS.get(loader)
    if fast is not None and fast is not loader:   # libyaml first: several times faster
        with contextlib.suppress(Exception):   # what it refuses is read again, so errors are in the pure reader's words
            return _load(text, fast, method)
    return _load(text, loader, method)


def _load(text: str, loader: type, method: str) -> Any:
    reader = loader(text)
    try:
        return getattr(reader, method)()
    except yaml.YAMLError:
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError, KeyError, AttributeError) as error:
        raise Refused(None, "", f"cannot be read ({type(error).__name__}: {str(error)[:200]})",
                      "check the indentation (two spaces per level) and the quotes and brackets") from None
    finally:
        reader.dispose()


_PURE = {fast: pure for pure, fast in FAST_LOADERS.items()}


def problem_of(error: yaml.YAMLError, shown: str, text: str = "", first_line: int = 1) -> Problem:
    """A reading error as one Problem: a refusal in its own words, any other YAML error in
    yaml_problem's. `first_line`: the line of the file where `text` starts (front matter: 2)."""
    if isinstance(error, Refused):
        mark = error.problem_mark
        line = mark.line + first_line if mark is not None else max(1, first_line - 1)
        what = error.what.format(*(number + first_line - 1 for number in error.lines)) if error.lines else error.what
        return Problem(shown, line, error.field, what, error.fix)
    found = yaml_problem(error, shown, text)
    return Problem(found.path, found.line + first_line - 1, found.field, found.what, found.fix)


def problems_of(error: yaml.YAMLError, shown: str, text: str = "", first_line: int = 1) -> list[Problem]:
    """A reading error as Problems (problem_of), in the file's order: every refusal found in the
    file (Refused.before: the reader names each and reads on), then the one that ended it."""
    return [problem_of(found, shown, text, first_line) for found in (*getattr(error, "before", ()), error)]


def load_text(text: str, shown: str, loader: type = StaffLoader, *, limit: int = MAX_FILE_BYTES,
              first_line: int = 1) -> tuple[Any, list[Problem]]:
    """`text` as plain data, or None and the problems that stopped it (problems_of)."""
    try:
        return parse(text, loader, limit=limit), []
    except yaml.YAMLError as error:
        return None, problems_of(error, shown, text, first_line)


def load_file(file: Path, shown: str, loader: type = StaffLoader, *,
              limit: int = MAX_FILE_BYTES) -> tuple[Any, str | None, list[Problem]]:
    """`file` as plain data with its text: (data, text, []) or (None, text or None, [the problem])."""
    text, problems = read_text(file, shown, limit=limit)
    data, problems = load_text(text, shown, loader, limit=limit) if text is not None else (None, problems)
    return data, text, problems


def compose_text(text: str, shown: str, loader: type = StaffLoader) -> tuple[Node | None, list[Problem]]:
    """`text` as YAML nodes, or None and the problems that stopped it (problems_of)."""
    try:
        return compose(text, loader), []
    except yaml.YAMLError as error:
        return None, problems_of(error, shown, text)


def node_line(root: Node | None, *keys: str) -> int:
    """The line of the setting at `keys` ("hours", "2", "closes": the second item of a list; a name
    in a list: the item holding it, as mkdocs.yml's "plugins", "social"), the deepest found, or 1."""
    node, line = root, 1
    for key in keys:
        if isinstance(node, SequenceNode) and key.isdigit() and 1 <= int(key) <= len(node.value):
            node = node.value[int(key) - 1]
            line = node.start_mark.line + 1
            continue
        if isinstance(node, SequenceNode):
            node = next((item for item in node.value if isinstance(item, MappingNode)
                         and any(getattr(name, "value", None) == key for name, _v in item.value)), None)
        if not isinstance(node, MappingNode):
            break
        match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
        if match is None:
            break
        line, node = match[0].start_mark.line + 1, match[1]
    return line


# YAML's own errors in plain words (used by problem_of above)
from clinic_site.yaml_errors import yaml_problem  # noqa: E402
