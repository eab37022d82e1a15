"""How a YAML file is composed within the limits of clinic_site.yamlfile (its docstring gives
them): the loaders for staff files, front matter and mkdocs.yml, and Refused, what they raise."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn

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

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 50
MAX_SETTINGS_ALIASES = 20
MAX_DIGITS = 1000   # a whole number staff write (a ZIP, a year, a count) has a few digits; Python stops at 4,300
MAX_REFUSED = 20   # refusals named in one file: a file of hundreds (pasted from elsewhere) is named 20 at a time
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
    or a file over its size limit: where (problem_mark), which field, what is wrong and the fix;
    `before`: the refusals found earlier in the same file, named with it (clinic_site.yamlfile.problems_of)."""

    def __init__(self, mark, field: str, what: str, fix: str, lines: tuple[int, ...] = ()):
        super().__init__(problem=what, problem_mark=mark)
        self.field, self.what, self.fix = field, what, fix
        self.lines = lines   # lines `what` names as {0}, {1}…, counted in the text read (problem_of counts in the file)
        self.before: list[Refused] = []


class _Bounded:
    """An event-driven composer with the limits above, for YAML's pure-Python loader and libyaml's
    alike (it replaces both composers; the parsers underneath keep no recursion of their own).

    A refusal that leaves the rest of the file readable (a tag, an invisible character,
    a name that is not one or is given twice, a value read two ways, a date that is none) is kept
    and the reading goes on with the value left out or read plainly, so one run names every one
    in the file (up to MAX_REFUSED; then the reading stops); they are raised together at the end
    (the last, with the others in its `before`). What leaves nothing readable after it (nesting
    too deep, a second document, YAML that is not well formed), and an alias (a file of aliases of
    aliases is an attack, not a slip), stops the reading where it is."""

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
        self._refused: list[Refused] = []
        try:
            return self._document()
        except yaml.YAMLError as error:   # YAML not well formed: named after the refusals above it
            if not isinstance(error, Refused):
                error.before = self._refused
            raise

    def _document(self) -> Node | None:
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
            self._stop(Refused(event.start_mark, "", "holds a second document (a line '---' after the first)",
                               "delete the '---' line and what follows it, or merge it into the file"))
        self.get_event()
        if self._refused:
            self._stop(self._refused.pop())
        return node

    def _refuse(self, error: Refused) -> None:
        """Keep `error` and read on (see the class); the MAX_REFUSED-th stops the reading."""
        if not self.staff or len(self._refused) + 1 >= MAX_REFUSED:
            self._stop(error)
        self._refused.append(error)

    def _stop(self, error: Refused) -> NoReturn:
        error.before = self._refused
        raise error

    def _node(self, path: tuple[str, ...], depth: int, key: bool = False) -> Node:
        event = self.peek_event()
        field = ".".join(path)
        if key and isinstance(event, ScalarEvent):   # a name's own slip is named by the name, as staff see it
            field = ".".join((*path[:-1], yaml_core.HIDDEN.sub("", event.value)))
        if depth > self.max_depth:   # named by its first name: the path of 50 levels says nothing more
            self._stop(Refused(event.start_mark, path[0] if path else "",
                          f"is nested more than {self.max_depth} levels deep",
                               "a setting needs a few levels at most: check the brackets [ ] and { } and the "
                               "indentation"))
        if isinstance(event, AliasEvent):
            self.get_event()
            self._aliases += 1
            if self._aliases > self.max_aliases:
                if self.staff:   # the first stops the reading: a file of them is an attack, not a slip
                    self._stop(Refused(event.start_mark, field, f"uses the YAML alias *{event.anchor}, which this "
                                       "file may not use", f"write the value itself in place of *{event.anchor}"))
                self._stop(Refused(event.start_mark, field, f"uses more than {self.max_aliases} YAML aliases (*name)",
                                   "write the values out instead of repeating them with aliases"))
            if event.anchor not in self._anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            return self._anchors[event.anchor]
        tag = getattr(event, "tag", None)
        if self.staff and tag not in (None, "!") and tag not in PLAIN_TAGS:
            shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
            self._refuse(Refused(event.start_mark, field, f"has the tag '{shown}', which this file may not use",
                                 f"write plain values ({_PLAIN_TYPES}); tags starting with ! are never run"))
            tag = None   # read on as if it had none
        anchor = event.anchor
        if isinstance(event, ScalarEvent):
            self.get_event()
            if self.staff:
                hidden = yaml_core.HIDDEN.search(event.value)
                if hidden is not None:
                    self._refuse(Refused(_mark_of(event, hidden[0]), field, f"holds the invisible character "
                                         f"\\u{ord(hidden[0]):04x} (a control character, or one that reverses or "
                                         "reorders how text around it shows)", "delete it: retype the text around "
                                         "it, or write it without escapes such as \\u202e"))
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)
            node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            long = self.staff and len(event.value) > MAX_DIGITS and (tag == _CORE + "int" or (
                not event.style and yaml_core.PLAIN.fullmatch(event.value) is not None))
            if long:   # Python makes no int of 4,300 digits or more (a ValueError, and no line)
                self._refuse(Refused(event.start_mark, field, f"is a number of {len(event.value)} digits",
                                     "write the number as it really is, or put it in quotes if it is text"))
                node.tag = _CORE + "str"
            # A key's reading is _check_name's: a name is text, whatever a reader makes of it.
            if self.one_reading and not long and not key and not event.style and event.implicit[0]:   # plain
                self._one_reading(node, field)
            if self.staff and not key and tag == _CORE + "timestamp":
                self._date(node, field)
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
            key = self._node((*path, "?"), depth + 1, key=True)
            named = not self.staff or self._check_name(key, path, seen)
            label = str(key.value) if isinstance(key, ScalarNode) else "?"
            value = self._node((*path, label), depth + 1)
            if named:   # a refused name's value is read (its own problems named) and left out
                node.value.append((key, value))
        node.end_mark = self.get_event().end_mark

    def _check_name(self, key: Node, path: tuple[str, ...], seen: dict[str, int]) -> bool:
        """Whether a key of a staff file is a name: text, given once in its mapping (else refused)."""
        if not isinstance(key, ScalarNode):
            self._refuse(Refused(key.start_mark, ".".join(path), "has a list or a mapping where a name belongs",
                                 "write each entry as `name: value`, with a plain name before the ':'"))
            return False
        name, line = str(key.value), key.start_mark.line + 1
        field = ".".join((*path, name))
        if key.tag != _CORE + "str":
            kind = _KINDS.get(key.tag.removeprefix(_CORE), "something other than text")
            self._refuse(Refused(key.start_mark, ".".join(path), "has a ':' with no name before it",
                                 "write the name before the ':', or delete the line") if not name.strip() else
                         Refused(key.start_mark, field, f"is a name YAML reads as {kind}",
                                 f"put the name in quotes: '{name}':"))
            return False
        if name in seen:
            twice = ("is given twice (lines {0} and {1})", (seen[name], line)) if seen[name] != line else \
                ("is given twice on line {0}", (line,))   # a flow mapping: {a: 1, a: 2}
            self._refuse(Refused(key.start_mark, field, twice[0], "keep one of them and delete the other",
                                 lines=twice[1]))
            return False
        seen[name] = line
        return True

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
        self._refuse(Refused(node.start_mark, field, f"is {text}, which YAML readers read two ways "
                             f"({yaml_core.shown(here)} here, {yaml_core.shown(there)} in Zensical's)",
                             'put it in double quotes to keep it as text ("' + text + '")'
                             + (", or write true or false" if isinstance(here, bool) or isinstance(there, bool)
                                else "")))

    def _remember(self, anchor: str | None, node: Node) -> None:
        if anchor is not None:
            self._anchors[anchor] = node

    def _date(self, node: ScalarNode, field: str) -> None:
        """Refuse a value that looks like a date but does not exist (2026-13-45: YAML itself would
        stop later with a bare ValueError and no line), or is outside FIRST_YEAR to LAST_YEAR; the
        node is then read as text."""
        try:
            value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError:
            error = Refused(node.start_mark, field, f"is {node.value}, which is not a real date",
                            "write a date that exists as YYYY-MM-DD, for example 2026-11-20")
        else:
            if FIRST_YEAR <= value.year <= LAST_YEAR:
                return
            error = Refused(node.start_mark, field, f"is {node.value}, outside the years {FIRST_YEAR} to "
                            f"{LAST_YEAR} a date here can be", "check the year: write the date as YYYY-MM-DD, "
                            "for example 2026-11-20")
        self._refuse(error)
        node.tag = _CORE + "str"


def _mark_of(event: ScalarEvent, character: str) -> yaml.Mark:
    """Where `character` is written in the scalar of `event`: on its own line in a value of several
    lines (the pure reader's marks know their text), else where the value starts (written as an
    escape such as \\u202e, or read by libyaml, which is read again by the pure reader to be named)."""
    start, end = event.start_mark, event.end_mark
    buffer = start.buffer if isinstance(start.buffer, str) else ""
    found = buffer.find(character, start.pointer, end.pointer)
    if found < 0:
        return start
    breaks = len(_BREAKS.findall(buffer, start.pointer, found))
    column = found - max(buffer.rfind(brk, start.pointer, found) for brk in "\r\n\x85\u2028\u2029") - 1 \
        if breaks else start.column + found - start.pointer
    return yaml.Mark(start.name, start.index + found - start.pointer, start.line + breaks, column, buffer, found)


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")   # YAML 1.1's line breaks, as its marks count lines


_UNSEEN_BREAKS = re.compile("[\x85\u2028\u2029]")   # line breaks to YAML 1.1, none to an editor or YAML 1.2
_EDITOR_BREAKS = re.compile("\r\n|\r|\n")


def refuse_unseen_breaks(text: str) -> None:
    """Raise a Refused for each character of a staff file YAML 1.1 (PyYAML, MkDocs) reads as a new
    line where an editor, GitHub and YAML 1.2 (Zensical) show none (NEL, U+2028, U+2029, pasted with
    text from a web page or a word processor), up to MAX_REFUSED: what follows one on its line, even
    in a comment (`# note<U+2028>sample: false`), is read as a setting staff cannot see, and every
    line number after it would be one off. Each is named at the line staff see."""
    found = []
    for match in _UNSEEN_BREAKS.finditer(text):
        line = len(_EDITOR_BREAKS.findall(text, 0, match.start()))
        start = max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
        found.append(Refused(yaml.Mark("<text>", match.start(), line, match.start() - start, None, None), "",
                             f"holds the invisible line break \\u{ord(match[0]):04x} (pasted with text from a web "
                             "page or a word processor), which YAML reads as a new line where editors show none",
                             "delete it: retype the text around it, and press Enter where a new line is meant"))
        if len(found) == MAX_REFUSED:
            break
    if found:
        found[-1].before = found[:-1]
        raise found[-1]


class StaffLoader(_Bounded, yaml.SafeLoader):
    """The safe loader with every limit of a staff file (pure Python: marks know their text)."""


class FrontMatterLoader(StaffLoader):
    """A page's front matter, which an engine reads again (Zensical, YAML 1.2): no plain value may
    read two ways (_Bounded._one_reading)."""
    one_reading = True


if hasattr(yaml, "CSafeLoader"):
    class FastStaffLoader(_Bounded, yaml.CSafeLoader):
        """The same, on libyaml's parser: about twice as fast, for the thousands of listing files."""

    class FastFrontMatterLoader(FastStaffLoader):
        """FrontMatterLoader on libyaml's parser (a thousand posts' front matter: 0.4 s to 0.1 s)."""
        one_reading = True
    FAST_LOADERS: dict[type, type] = {StaffLoader: FastStaffLoader, FrontMatterLoader: FastFrontMatterLoader}
else:   # pragma: no cover - PyYAML built without libyaml
    FastStaffLoader, FAST_LOADERS = StaffLoader, {}  # type: ignore[misc]


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
