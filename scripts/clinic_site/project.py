"""Which project a command works on, and its settings read as data.

A project is the folder that holds `mkdocs.yml`, found from the current folder by walking up
(as git finds `.git`), or named with `-f path/to/mkdocs.yml`. Never the folder this package was
installed from: a second checkout, or a clinic's CI that installs the package without `-e`,
works on its own files. Every cache a build keeps (`.cache/`) belongs to that project.

`Settings` is mkdocs.yml read as plain data with YAML's safe loader (tags such as `!ENV` or
`!!python/name:` are kept as their plain text, never run): what the stage and the commands need
to know. The engine reads the same file its own way (clinic_site.engines).
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

import yaml

from clinic_site.problems import Problem

CONFIG_NAME = "mkdocs.yml"


class ProjectNotFound(Exception):
    """No mkdocs.yml in the folder given, nor in any folder above it; the message says so."""


@dataclasses.dataclass(frozen=True)
class Project:
    """A clinic website project.

    root:        the folder of its settings file (absolute)
    config_file: its mkdocs.yml (absolute)
    """

    root: Path
    config_file: Path

    @classmethod
    def find(cls, config_file: str | os.PathLike | None = None, start: str | os.PathLike | None = None) -> Project:
        """The project of `config_file` (a path to mkdocs.yml, as `-f` gives it), else the first
        folder from `start` (default: the current folder) upwards that holds mkdocs.yml.
        Raises ProjectNotFound with a message for staff."""
        if config_file is not None:
            file = Path(config_file).expanduser().resolve()
            if file.is_dir():
                file = file / CONFIG_NAME
            if not file.is_file():
                raise ProjectNotFound(f"{config_file} does not exist: give the path of the site's {CONFIG_NAME}")
            return cls(file.parent, file)
        here = Path(start or os.getcwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls(folder, folder / CONFIG_NAME)
        raise ProjectNotFound(f"no {CONFIG_NAME} in {here} or any folder above it: run the command inside the "
                              f"site's folder, or name its settings with -f path/to/{CONFIG_NAME}")

    @property
    def cache_dir(self) -> Path:
        """The project's own cache folder (ZIP positions, social cards, the staged sources)."""
        return self.root / ".cache"

    def shown(self, path: str | os.PathLike) -> str:
        """`path` as staff see it in the repository: relative to the root, with "/"
        ("docs/guide/safety.md"); a path outside the project is shown whole."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return absolute.as_posix()

    def inside(self, path: str | os.PathLike) -> bool:
        """Whether `path`, with every symbolic link followed, is inside the project."""
        return Path(path).resolve().is_relative_to(self.root.resolve())


# ---------------------------------------------------------------- mkdocs.yml as data
class _PlainLoader(yaml.SafeLoader):
    """YAML's safe loader that reads tags (!ENV, !relative, !!python/name:…) as their plain
    values instead of refusing the file: mkdocs.yml uses them, and nothing is ever run."""


def _plain_value(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_PlainLoader.add_multi_constructor("!", _plain_value)
_PlainLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain_value)


def load_config_text(text: str) -> dict:
    """mkdocs.yml's text as plain data (tags kept as their plain values). Raises yaml.YAMLError."""
    data = yaml.load(text, Loader=_PlainLoader)
    return data if isinstance(data, dict) else {}


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the stage and the commands read from mkdocs.yml (the engine reads the rest).

    data:     the whole file as plain data
    text:     its text (for line numbers)
    """

    project: Project
    data: dict
    text: str

    @classmethod
    def read(cls, project: Project) -> tuple[Settings, list[Problem]]:
        """The settings of `project`, and the problems of reading them (an unreadable file gives
        empty settings and one problem naming its line and the fix)."""
        shown = project.shown(project.config_file)
        try:
            text = project.config_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            return cls(project, {}, ""), [Problem(shown, 1, "", f"cannot be read ({error})",
                                                  "save it as UTF-8 text")]
        try:
            return cls(project, load_config_text(text), text), []
        except yaml.YAMLError as error:
            return cls(project, {}, text), [yaml_problem(error, shown, text)]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def docs_dir(self) -> Path:
        return self.project.root / str(self.data.get("docs_dir") or "docs")

    @property
    def docs_path(self) -> str:
        """docs/ as staff see it ("docs")."""
        return self.project.shown(self.docs_dir)

    @property
    def site_dir(self) -> Path:
        return self.project.root / str(self.data.get("site_dir") or "site")

    @property
    def site_url(self) -> str:
        """site_url ending in "/" ("https://example.org/"), or "/" when it is not set."""
        value = self.data.get("site_url")
        return str(value).rstrip("/") + "/" if value else "/"

    @property
    def use_directory_urls(self) -> bool:
        """Always True: `use_directory_urls: false` is refused, naming the setting
        (clinic_site.stage.settings.engine_setting_problems), and the run goes on with folder addresses, as
        the engine then builds (engines/mkdocs/plugin.py on_config), so that is the one problem named."""
        return True

    @property
    def extra(self) -> dict:
        extra = self.data.get("extra")
        return extra if isinstance(extra, dict) else {}

    def plugin(self, name: str) -> dict | None:
        """The options of plugin `name` as written under `plugins:` ({} when listed without
        options), or None when it is not listed."""
        for entry in self.data.get("plugins") or []:
            if entry == name:
                return {}
            if isinstance(entry, dict) and name in entry:
                options = entry[name]
                return options if isinstance(options, dict) else {}
        return None

    def line_of(self, needle: str) -> int:
        """The first line of mkdocs.yml holding `needle`, or 1."""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if needle in line:
                return number
        return 1


_OPENED_VALUE = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+(['"])(.*)$""")


def _unclosed_quote(lines: list[str]) -> int | None:
    """The line (1-based) of the last `key: 'value` whose quote is not closed on its line, or None."""
    for number in range(len(lines), 0, -1):
        match = _OPENED_VALUE.match(lines[number - 1])
        if match:
            quote, rest = match.groups()
            closing = rest.replace(quote * 2, "") if quote == "'" else rest.replace('\\"', "")
            if quote not in closing:
                return number
    return None


def yaml_problem(error: yaml.YAMLError, shown: str, text: str = "") -> Problem:
    """A YAML reading error as one Problem for staff: the line, the reason in plain words and the
    fix (a tab, a missing space after ':', an unclosed quote or bracket each get their own)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    reason = str(getattr(error, "problem", None) or error).strip()
    context = str(getattr(error, "context", None) or "")
    row = text.splitlines()[line - 1] if text and 0 < line <= len(text.splitlines()) else ""
    if "\t" in row or "tab" in reason or "'\\t'" in reason:
        return Problem(shown, line, "", "has a tab character, which YAML does not allow for indenting",
                       "replace the tab with spaces (two spaces per level)")
    opened = _unclosed_quote(text.splitlines()[:line])
    if opened is not None:   # a quote left open swallows the lines after it: name where it opened
        return Problem(shown, opened, "", "has a quote that is never closed", "close the quote at the end of the value")
    if "expected <block end>" in reason or "did not find expected key" in reason:
        what = "is not indented like the lines around it"
        fix = "line it up with the other settings at its level (two spaces per level), and put text with ': ' in quotes"
    elif "mapping values are not allowed" in reason:
        what = "has a ': ' inside a value"
        fix = "put the value in double quotes"
    elif "found unexpected end of stream" in reason or "while scanning a quoted scalar" in str(error):
        what = "has a quote that is never closed"
        fix = "close the quote at the end of the value"
    elif "flow" in reason or "flow" in context or "expected ',' or ']'" in reason or "expected ',' or '}'" in reason:
        what = "has a bracket that is never closed"
        fix = "close the [ or { on the same line, or write the list one '- item' per line"
    else:
        what = f"cannot be read as settings ({reason})"
        fix = "check the indentation (two spaces per level) and the quotes and brackets"
    return Problem(shown, line, "", what, fix)
