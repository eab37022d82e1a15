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
`load_file`, `load_text` and `compose_text` return problems and never raise for content.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from clinic_site import yaml_core
from clinic_site.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 50
MAX_SETTINGS_ALIASES = 20
# Every date staff write (a post's, a review's, a listing's) is within these years: a typo such as
# 0026-11-20 would otherwise be published, and before the 1880s a US time zone is local mean time,
# whose offsets in seconds (-05:50:36) are no ISO 8601 offset schema.org or a feed reader accepts.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_CORE = "tag:yaml.org,2002:"
PLAIN_TAGS = frozenset(_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_KINDS = {"bool": "true or false", "int": "a number", "float": "a number", "timestamp": "a date",
          "null": "nothing (null)", "merge": "a merge of another mapping (<<)"}
_PLAIN_TYPES = "text, numbers, dates, true or false, lists and `name: value` lines"



class Refused(yaml.MarkedYAMLError):
    """Something a staff file may not hold (a tag, an alias, deep nesting, a key given twice...),
    or a file over its size limit: where (problem_mark), which field, what is wrong and the fix."""

    def __init__(self, mark, field: str, what: str, fix: str, lines: tuple[int, ...] = ()):
        super().__init__(problem=what, problem_mark=mark)
        self.field, self.what, self.fix = field, what, fix
        self.lines = lines   # lines `what` names as {0}, {1}…, counted in the text read (problem_of counts in the file)


class _Bounded:
    """An event-driven composer with the limits above, for YAML's pure-Python loader and libyaml's
    alike (it replaces both composers; the parsers underneath keep no recursion of their own)."""

    staff = True                              # False: mkdocs.yml (tags kept, aliases allowed, keys as typed)
    one_reading = False                       # True: no plain value YAML 1.1 and 1.2 read apart (front matter)
    max_aliases = 0
    max_depth = MAX_DEPTH
    # given by the parser and the resolver of the loader this is mixed into
    get_event: Callable[[], Any]
    peek_event: Callable[[], Any]
    check_event: Callable[..., bool]
    resolve: Callable[..., str]

    def get_single_node(self) -> Node | None:
        self.get_event()   # the stream's start
        node = None
        if not self.check_event(StreamEndEvent):
            self.get_event()   # the document's start
            self._anchors: dict[str, Node] = {}
            self._aliases = 0
            node = self._node((), 1)
            self.get_event()   # the document's end
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise Refused(event.start_mark, "", "holds a second document (a line '---' after the first)",
                          "delete the '---' line and what follows it, or merge it into the file")
        self.get_event()
        return node

    def _node(self, path: tuple[str, ...], depth: int) -> Node:
        event = self.peek_event()
        field = ".".join(path)
        if depth > self.max_depth:   # named by its first name: the path of 50 levels says nothing more
            raise Refused(event.start_mark, path[0] if path else "",
                          f"is nested more than {self.max_depth} levels deep",
                          "a setting needs a few levels at most: check the brackets [ ] and { } and the indentation")
        if isinstance(event, AliasEvent):
            self.get_event()
            self._aliases += 1
            if self._aliases > self.max_aliases:
                if self.staff:
                    raise Refused(event.start_mark, field, f"uses the YAML alias *{event.anchor}, which this file "
                                  "may not use", f"write the value itself in place of *{event.anchor}")
                raise Refused(event.start_mark, field, f"uses more than {self.max_aliases} YAML aliases (*name)",
                              "write the values out instead of repeating them with aliases")
            if event.anchor not in self._anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            return self._anchors[event.anchor]
        tag = getattr(event, "tag", None)
        if self.staff and tag not in (None, "!") and tag not in PLAIN_TAGS:
            shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
            raise Refused(event.start_mark, field, f"has the tag '{shown}', which this file may not use",
                          f"write plain values ({_PLAIN_TYPES}); tags starting with ! are never run")
        anchor = event.anchor
        if isinstance(event, ScalarEvent):
            self.get_event()
            if self.staff:
                hidden = yaml_core.HIDDEN.search(event.value)
                if hidden is not None:
                    raise Refused(event.start_mark, field, f"holds the invisible character \\u{ord(hidden[0]):04x} "
                                  "(a control character, or one that reverses or reorders how text around it shows)",
                                  "delete it: retype the text around it, or write it without escapes such as \\u202e")
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)
            node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            node.field = field   # for the messages of its value (a date)
            if self.one_reading and not event.style and event.implicit[0]:   # plain (libyaml: style "")
                self._one_reading(node, field)
            self._remember(anchor, node)
        elif isinstance(event, SequenceStartEvent):
            self.get_event()
            if tag is None or tag == "!":
                tag = self.resolve(SequenceNode, None, event.implicit)
            node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            self._remember(anchor, node)
            while not self.check_event(SequenceEndEvent):
                node.value.append(self._node((*path, str(len(node.value) + 1)), depth + 1))
            node.end_mark = self.get_event().end_mark
        else:   # a mapping: the parser gives nothing else here
            self.get_event()
            if tag is None or tag == "!":
                tag = self.resolve(MappingNode, None, event.implicit)
            node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            self._remember(anchor, node)
            self._mapping(node, path, depth)
        return node

    def _mapping(self, node: MappingNode, path: tuple[str, ...], depth: int) -> None:
        seen: dict[str, int] = {}
        while not self.check_event(MappingEndEvent):
            key = self._node((*path, "?"), depth + 1)
            if self.staff:
                self._check_name(key, path, seen)
            label = str(key.value) if isinstance(key, ScalarNode) else "?"
            node.value.append((key, self._node((*path, label), depth + 1)))
        node.end_mark = self.get_event().end_mark

    def _check_name(self, key: Node, path: tuple[str, ...], seen: dict[str, int]) -> None:
        """A key of a staff file is a name: text, given once in its mapping."""
        if not isinstance(key, ScalarNode):
            raise Refused(key.start_mark, ".".join(path), "has a list or a mapping where a name belongs",
                          "write each entry as `name: value`, with a plain name before the ':'")
        name, line = str(key.value), key.start_mark.line + 1
        field = ".".join((*path, name))
        if key.tag != _CORE + "str":
            if not name.strip():
                raise Refused(key.start_mark, ".".join(path), "has a ':' with no name before it",
                              "write the name before the ':', or delete the line")
            kind = _KINDS.get(key.tag.removeprefix(_CORE), "something other than text")
            raise Refused(key.start_mark, field, f"is a name YAML reads as {kind}",
                          f"put the name in quotes: '{name}':")
        if name in seen:
            raise Refused(key.start_mark, field, "is given twice (lines {0} and {1})",
                          "keep one of them and delete the other", lines=(seen[name], line))
        seen[name] = line

    def _one_reading(self, node: ScalarNode, field: str) -> None:
        """Refuse a plain value YAML 1.1 (PyYAML: the stage, MkDocs) and YAML 1.2 (Zensical, which
        reads the staged front matter again; clinic_site.yaml_core) read as different things."""
        text, kind = node.value, node.tag.removeprefix(_CORE)
        textual = kind in ("str", "timestamp")   # a date is text to YAML 1.2, and a date to both blogs
        if textual and not yaml_core.PLAIN.fullmatch(text):
            return   # nearly every value: text to both
        here = yaml_core.TEXT if textual else self.construct_object(node)  # type: ignore[attr-defined]
        there = yaml_core.value(text)
        if there is here or (there == here and type(there) is type(here)):
            return
        raise Refused(node.start_mark, field, f"is {text}, which YAML readers read two ways "
                      f"({yaml_core.shown(here)} here, {yaml_core.shown(there)} in Zensical's)",
                      'put it in double quotes to keep it as text ("' + text + '")'
                      + (", or write true or false" if isinstance(here, bool) or isinstance(there, bool) else ""))

    def _remember(self, anchor: str | None, node: Node) -> None:
        if anchor is not None:
            self._anchors[anchor] = node

    def construct_yaml_timestamp(self, node: yaml.Node) -> dt.date | dt.datetime:
        """A date, or a Refused naming its line when it looks like one but does not exist
        (2026-13-45: YAML itself would stop with a bare ValueError and no line)."""
        try:
            value = super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except ValueError:
            raise Refused(node.start_mark, getattr(node, "field", ""), f"is {node.value}, which is not a real date",
                          "write a date that exists as YYYY-MM-DD, for example 2026-11-20") from None
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise Refused(node.start_mark, getattr(node, "field", ""),
                          f"is {node.value}, outside the years {FIRST_YEAR} to {LAST_YEAR} a date here can be",
                          "check the year: write the date as YYYY-MM-DD, for example 2026-11-20")
        return value


class StaffLoader(_Bounded, yaml.SafeLoader):
    """The safe loader with every limit of a staff file (pure Python: marks know their text)."""


class FrontMatterLoader(StaffLoader):
    """A page's front matter, which an engine reads again (Zensical, YAML 1.2): no plain value may
    read two ways (_Bounded._one_reading)."""
    one_reading = True


for _pure in (StaffLoader, FrontMatterLoader):
    _pure.add_constructor(_CORE + "timestamp", _Bounded.construct_yaml_timestamp)

if hasattr(yaml, "CSafeLoader"):
    class FastStaffLoader(_Bounded, yaml.CSafeLoader):
        """The same, on libyaml's parser: about twice as fast, for the thousands of listing files."""

    class FastFrontMatterLoader(FastStaffLoader):
        """FrontMatterLoader on libyaml's parser (a thousand posts' front matter: 0.4 s to 0.1 s)."""
        one_reading = True
    for _fast in (FastStaffLoader, FastFrontMatterLoader):
        _fast.add_constructor(_CORE + "timestamp", _Bounded.construct_yaml_timestamp)
    _FAST: dict[type, type] = {StaffLoader: FastStaffLoader, FrontMatterLoader: FastFrontMatterLoader}
else:   # pragma: no cover - PyYAML built without libyaml
    FastStaffLoader, _FAST = StaffLoader, {}  # type: ignore[misc]


class SettingsLoader(_Bounded, yaml.SafeLoader):
    """mkdocs.yml as data: the safe loader within the size and depth limits, with its tags (!ENV,
    !relative, !!python/name:…) kept as their plain values, never run, and a few aliases."""

    staff = False
    max_aliases = MAX_SETTINGS_ALIASES


def _plain_value(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


SettingsLoader.add_multi_constructor("!", _plain_value)
SettingsLoader.add_multi_constructor(_CORE + "python/", _plain_value)


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
    try:
        with file.open("rb") as stream:
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
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        return None, [Problem(shown, data[: error.start].count(b"\n") + 1, "", "the file is not UTF-8 text",
                              "save it as UTF-8 in your editor (\"Save with encoding\")")]


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
    fast = _FAST.get(loader)
    if fast is not None and fast is not loader:   # libyaml first: several times faster
        with contextlib.suppress(Exception):   # what it refuses is read again, so errors are in the pure reader's words
            return _read(text, fast, limit, method)
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


def load_text(text: str, shown: str, loader: type = StaffLoader, *, limit: int = MAX_FILE_BYTES,
              first_line: int = 1) -> tuple[Any, list[Problem]]:
    """`text` as plain data, or None and the one problem that stopped it."""
    try:
        return parse(text, loader, limit=limit), []
    except yaml.YAMLError as error:
        return None, [problem_of(error, shown, text, first_line)]


def load_file(file: Path, shown: str, loader: type = StaffLoader, *,
              limit: int = MAX_FILE_BYTES) -> tuple[Any, str | None, list[Problem]]:
    """`file` as plain data with its text: (data, text, []) or (None, text or None, [the problem])."""
    text, problems = read_text(file, shown, limit=limit)
    data, problems = load_text(text, shown, loader, limit=limit) if text is not None else (None, problems)
    return data, text, problems


def compose_text(text: str, shown: str, loader: type = StaffLoader) -> tuple[Node | None, list[Problem]]:
    """`text` as YAML nodes, or None and the one problem that stopped it."""
    try:
        return compose(text, loader), []
    except yaml.YAMLError as error:
        return None, [problem_of(error, shown, text)]


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
