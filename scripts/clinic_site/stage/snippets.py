"""Includes (pymdownx.snippets' `--8<-- "file"` lines) read from the snippets folder only, by real path.

The stage copies the snippets folder (docs/.snippets) into the staging area, regular files only
(a symbolic link there is refused: it could lead anywhere on the machine), and the engine reads
includes from that copy alone (engines/mkdocs/plugin.py). Every include line of every page and
snippet is checked here first: one naming a file that is not in the folder (missing, or leaving
it with "..", an absolute path or a web address) is a problem on its line, and the line is
staged blank, so the engine never stops on it and the run goes on.

The syntax is pymdownx.snippets' (13.x): an inline `--8<-- "name"` (or 'name') line, or a block
between two `--8<--` lines with one name a line; a name may end in `:1:5` (lines) or `:section`;
a leading ";" escapes the line; `--8<-- [start:name]` marks a section and includes nothing.
"""
from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from pathlib import Path

from clinic_site.problems import Problem
from clinic_site.project import Settings
from clinic_site.sources import hidden_lines

FOLDER = ".snippets"   # inside docs/
EXTENSION = "pymdownx.snippets"
_LINE = re.compile(r"""^[ \t]*(?P<escape>;*)(?:(?P<inline>-+8<-+[ \t]+)"""
                   r"""(?P<name>"(?:\\"|[^"\n])+?"|'(?:\\'|[^'\n])+?')|(?P<block>-+8<-+))[ \t]*$""")
_RANGE = re.compile(r"(?::-?\d*){1,2}(?:,-?\d*(?::-?\d*)?)*$|:[A-Za-z][-\w]*$")
FIX = f"name a file in docs/{FOLDER}/ by its name there, such as --8<-- \"abbreviations.md\"; an include reads " \
      f"that folder only"


@dataclasses.dataclass
class Snippets:
    """The snippets folder as staged: its files by name, the text each is staged with, problems."""

    files: dict[str, Path]
    texts: dict[str, str]
    problems: list[Problem]


def enabled(settings: Settings) -> bool:
    """Whether mkdocs.yml turns includes on (markdown_extensions lists pymdownx.snippets)."""
    return any(item == EXTENSION or (isinstance(item, dict) and EXTENSION in item)
               for item in settings.get("markdown_extensions") or [])


def collect(docs_dir: Path, shown_docs: str) -> Snippets:
    """Every regular file of docs/.snippets (by name inside it), without following symbolic links:
    a link is a problem and left out; each file's own include lines are checked (`check_text`)."""
    folder = docs_dir / FOLDER
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    if folder.is_symlink():
        return Snippets({}, {}, [_link(folder, docs_dir, shown_docs)])
    for here, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(dirs + names):
            path = Path(here) / name
            if path.is_symlink():
                problems.append(_link(path, docs_dir, shown_docs))
                if name in dirs:
                    dirs.remove(name)
            elif path.is_file():
                files[path.relative_to(folder).as_posix()] = path
    texts: dict[str, str] = {}
    for name, path in files.items():
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        except (OSError, UnicodeDecodeError):
            problems.append(Problem(f"{shown_docs}/{FOLDER}/{name}", 1, "", "is not saved as UTF-8 text",
                                    "save it with the encoding 'UTF-8'"))
            continue
        texts[name], found = check_text(text, f"{shown_docs}/{FOLDER}/{name}", set(files))
        problems += found + hidden_lines(text, f"{shown_docs}/{FOLDER}/{name}")
    return Snippets({name: files[name] for name in texts}, texts, problems)


def _link(path: Path, docs_dir: Path, shown_docs: str) -> Problem:
    return Problem(f"{shown_docs}/{path.relative_to(docs_dir).as_posix()}", 1, "",
                   "is a symbolic link: includes read only files that are really in the snippets folder",
                   "replace the link with a copy of the file it points to")


def target(name: str) -> str:
    """An include's file name without its line range (":1:5") or section (":name")."""
    return _RANGE.sub("", name).strip()


def why_refused(name: str, available: set[str]) -> str | None:
    """Why an include of `name` is refused (None when it names a file of the folder)."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name):
        return f"includes the web address '{name}': includes read files of docs/{FOLDER}/ only"
    normal = posixpath.normpath(name.replace("\\", "/"))
    if name.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", name) or normal.split("/")[0] == "..":
        return f"includes '{name}', which is outside docs/{FOLDER}/"
    if normal not in available:
        return f"includes '{name}', which is not a file in docs/{FOLDER}/"
    return None


def check_text(text: str, shown: str, available: set[str]) -> tuple[str, list[Problem]]:
    """`text` with every refused include line blanked, and a problem for each (on its line)."""
    lines = text.split("\n")
    problems: list[Problem] = []
    block = False
    for index, line in enumerate(lines):
        if "8<" not in line and not block:
            continue
        match = _LINE.match(line)
        if match and match.group("escape"):
            continue
        if match and match.group("block"):
            block = not block
            continue
        if match:
            name = match.group("name")[1:-1].strip()
        elif block:
            name = line.strip()
            if not name or name.startswith(";"):
                continue
        else:
            continue
        wrong = why_refused(target(name), available)
        if wrong is not None:
            problems.append(Problem(shown, index + 1, "", wrong, FIX))
            lines[index] = ""
    return "\n".join(lines), problems


def auto_append(settings: Settings, snippets: Snippets) -> tuple[list[str], list[Problem]]:
    """The files mkdocs.yml appends to every page (`auto_append`, paths from the project's root,
    such as docs/.snippets/abbreviations.md) as names inside the folder, and a problem for each
    that is not a file there."""
    options = next((item[EXTENSION] for item in settings.get("markdown_extensions") or []
                    if isinstance(item, dict) and EXTENSION in item), None)
    given = options.get("auto_append") if isinstance(options, dict) else None
    folder = Path(os.path.realpath(settings.docs_dir / FOLDER))
    names, problems = [], []
    for entry in given if isinstance(given, list) else []:
        path = Path(os.path.realpath(settings.project.root / str(entry)))
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else None
        if name is None or name not in snippets.files:
            problems.append(Problem(settings.project.shown(settings.project.config_file),
                                    settings.line_of(str(entry)), f"markdown_extensions.{EXTENSION}.auto_append",
                                    f"names '{entry}', which is not a file in {settings.docs_path}/{FOLDER}/",
                                    f"put the file in {settings.docs_path}/{FOLDER}/ and name it from the project's "
                                    f"folder, such as {settings.docs_path}/{FOLDER}/abbreviations.md"))
        else:
            names.append(name)
    return names, problems
