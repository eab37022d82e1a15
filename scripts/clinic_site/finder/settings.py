"""The finder's settings under `extra: finder:` in mkdocs.yml: declared once, with their defaults,
as a MkDocs `Config` (the way Material declares its plugins' settings), and checked once."""
from __future__ import annotations

import difflib
import re
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError, get_schema

from clinic_site.problems import Problem

FIELD_PREFIX = "extra.finder"


class _Text(c.Type):
    """Text (a path or a name)."""

    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value):
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"'{value}' is not text")
        return value


class _PositiveInt(c.Type):
    """A whole number of at least 1."""

    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(f"'{value}' is not a whole number of 1 or more")
        return value


class _Email(c.Type):
    """An email address (name@host.domain)."""

    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", value):
            raise ValidationError(f"'{value}' is not an email address")
        return value


class FinderConfig(Config):
    """`extra: finder:` in mkdocs.yml. Paths are relative to docs_dir (or absolute)."""

    listings_dir = _Text(default="therapists/listings")       # folder of <id>.yml listing files
    boards = _Text(default="therapists/licensing-boards.yml")  # state licensing boards
    vocabulary = _Text(default="therapists/vocabulary.yml")    # credentials, specialties, payment, languages
    report_email = _Email(default="listings@example.org")            # "Report outdated information" goes here
    page_size = _PositiveInt(default=50)                             # directory results before "Show more"

    def path(self, name: str, docs_dir: Path) -> Path:
        """A path setting (listings_dir, boards, vocabulary) resolved against docs_dir."""
        return Path(docs_dir) / self[name]


FIXES = {
    "listings_dir": "write the folder of listing files, relative to docs/, like therapists/listings",
    "boards": "write the licensing boards file, relative to docs/, like therapists/licensing-boards.yml",
    "vocabulary": "write the vocabulary file, relative to docs/, like therapists/vocabulary.yml",
    "report_email": "write the address that gets reports of outdated listings, like listings@example.org",
    "page_size": "write how many results the directory shows before 'Show more', like 50",
}


def load_settings(extra: dict | None, config_file: Path | None, shown: str = "mkdocs.yml",
                  ) -> tuple[FinderConfig, list[Problem]]:
    """The finder's settings from the `extra:` block of mkdocs.yml (as loaded), checked.

    Returns the settings (defaults where a setting is missing or wrong) and the problems, each
    naming mkdocs.yml, the line of the setting (when config_file can be read) and extra.finder.<name>.
    Unknown settings are problems too: a misspelled one would otherwise be ignored."""
    raw = (extra or {}).get("finder")
    lines = setting_lines(config_file)
    problems: list[Problem] = []
    if raw is not None and not isinstance(raw, dict):
        problems.append(Problem(shown, lines.get("", 1), FIELD_PREFIX, "must be settings, one per line",
                                "indent each setting under `finder:`, like `    report_email: listings@example.org`"))
        raw = None
    config = FinderConfig(config_file_path=str(config_file) if config_file else None)
    config.load_dict(dict(raw or {}))
    defaults = {name: option.default for name, option in get_schema(FinderConfig)}
    for _attempt in range(len(defaults) + 1):   # MkDocs stops at the first wrong setting: report each
        failed, warnings = config.validate()
        for name, error in failed:
            problems.append(Problem(shown, lines.get(name, lines.get("", 1)), f"{FIELD_PREFIX}.{name}",
                                    str(error).rstrip("."), FIXES.get(name, "")))
            config[name] = defaults[name]
        if not failed:
            break
    known = list(defaults)
    for name, _message in warnings:
        if name in known:
            continue
        near = difflib.get_close_matches(name, known, n=1)
        problems.append(Problem(shown, lines.get(name, lines.get("", 1)), f"{FIELD_PREFIX}.{name}",
                                "is not a finder setting", (f"did you mean '{near[0]}'? " if near else "")
                                + f"Settings: {', '.join(known)}"))
    return config, problems


def setting_lines(config_file: Path | None) -> dict[str, int]:
    """Line of `finder:` (key "") and of each setting under it, read from the file's text."""
    try:
        text = config_file.read_text(encoding="utf-8-sig") if config_file else ""
    except OSError:
        return {}
    lines: dict[str, int] = {}
    indent = None
    for number, row in enumerate(text.splitlines(), start=1):
        if indent is None:
            match = re.match(r"^(\s+)finder\s*:", row)
            if match:
                indent, lines[""] = len(match.group(1)), number
            continue
        if not row.strip() or row.lstrip().startswith("#"):
            continue
        match = re.match(r"^(\s*)([\w-]+)\s*:", row)
        if not match or len(match.group(1)) <= indent:
            break
        lines.setdefault(match.group(2), number)
    return lines
