"""Reading the finder's YAML data files for staff: missing files, text that is not UTF-8 and
invalid YAML become `Problem`s with the file and line, never tracebacks; the line of a key is
found for the messages."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from clinic_site import yamlfile
from clinic_site.problems import Problem

# libyaml's parser under the staff files' limits (about 9x faster for thousands of listing files).
FAST_LOADER = yamlfile.FastStaffLoader
YAML_FIX = "check the indentation, and put text containing ': ' or '#' in quotes"


def shown_path(file: Path, root: Path | None) -> str:
    """The file as staff see it: relative to the project root when it is inside it, else as given."""
    if root is not None:
        try:
            return file.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(file)


def read_text(file: Path, shown: str, what: str, fix_missing: str) -> tuple[str | None, list[Problem]]:
    """The file's text (a UTF-8 byte-order mark is allowed, at most yamlfile.MAX_FILE_BYTES), or
    None and the problem. A symbolic link is refused, never followed: it could lead to any file of
    the machine."""
    if file.is_symlink():
        return None, [Problem(shown, 1, "", f"the {what} file is a symbolic link: data files are read only "
                              "from files that are really in docs/", "replace the link with a copy of the file")]
    if not file.exists():
        return None, [Problem(shown, 1, "", f"the {what} file does not exist", fix_missing)]
    if file.is_dir():
        return None, [Problem(shown, 1, "", f"the {what} file is a folder", fix_missing)]
    return yamlfile.read_text(file, shown)


def load(text: str, shown: str) -> tuple[object, list[Problem]]:
    """A listing's text as plain data, read as every staff file is (clinic_site.yamlfile, on
    libyaml's parser): (data, []) or (None, [the problem])."""
    return yamlfile.load_text(text, shown, yamlfile.FastStaffLoader)


def yaml_problem(error: yaml.YAMLError, shown: str, text: str = "") -> Problem:
    """An invalid-YAML error as a Problem at the line PyYAML points to, in the words the settings
    file gets (clinic_site.yamlfile.yaml_problem: a tab, an unclosed quote or bracket, a line not
    lined up each say so and how to fix it)."""
    return yamlfile.yaml_problem(error, shown, text)


def compose(text: str, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML document as nodes (each knows its line), for small files whose lines matter, read
    as every staff file is (clinic_site.yamlfile: safe, bounded, plain tags and names only)."""
    return yamlfile.compose_text(text, shown)


def line_of(node: yaml.Node) -> int:
    """1-based line where a node starts."""
    return node.start_mark.line + 1


def value(node: yaml.Node):
    """A node as plain Python data (what yaml.safe_load would give); a value YAML cannot make (a
    date that does not exist, such as 2026-13-45) is its text, for the file's checks to name."""
    try:
        return yaml.SafeLoader("").construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        if isinstance(node, yaml.MappingNode):   # at most yamlfile.MAX_DEPTH levels: the composer's limit
            return {str(key.value): value(item) for key, item in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [value(item) for item in node.value]
        return node.value


def mapping_items(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    """(key node, value node) pairs of a mapping node; [] for anything else."""
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.M)


def top_level_lines(text: str) -> dict[str, int]:
    """Line of the first `key:` at the start of a line, for each key of a flat YAML file."""
    lines: dict[str, int] = {}
    for match in _TOP_KEY.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return lines
