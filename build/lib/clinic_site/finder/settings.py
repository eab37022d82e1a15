"""The finder's settings under `extra: finder:` in mkdocs.yml: declared once, with their defaults
and one check each (the way Material declares its plugins' settings), and checked once."""
from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path

from clinic_site.problems import Problem

FIELD_PREFIX = "extra.finder"
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


def _text(value: object) -> str | None:
    """None when `value` is text (a path or a name), else what is wrong with it."""
    return None if isinstance(value, str) and value.strip() else f"'{value}' is not text"


def _positive_int(value: object) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return None if ok else f"'{value}' is not a whole number of 1 or more"


def _email(value: object) -> str | None:
    ok = isinstance(value, str) and _EMAIL.fullmatch(value)
    return None if ok else f"'{value}' is not an email address"


@dataclasses.dataclass(frozen=True)
class FinderConfig:
    """`extra: finder:` in mkdocs.yml. Paths are relative to docs_dir; each must stay inside it."""

    listings_dir: str = "therapists/listings"               # folder of <id>.yml listing files
    boards: str = "therapists/licensing-boards.yml"          # state licensing boards
    vocabulary: str = "therapists/vocabulary.yml"            # credentials, specialties, payment, languages
    report_email: str = "listings@example.org"               # "Report outdated information" goes here
    page_size: int = 50                                      # directory results before "Show more"

    def __getitem__(self, name: str):
        return getattr(self, name)

    def path(self, name: str, docs_dir: Path) -> Path:
        """A path setting (listings_dir, boards, vocabulary) resolved against docs_dir."""
        return Path(docs_dir) / self[name]


# Each setting's check: None when the value is right, else what is wrong (Material's Config
# schemas check the same way: one validator per option, the default when it fails).
CHECKS = {"listings_dir": _text, "boards": _text, "vocabulary": _text, "report_email": _email,
          "page_size": _positive_int}


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
    values = {}
    for name, value in dict(raw or {}).items():
        if name not in CHECKS:
            near = difflib.get_close_matches(str(name), list(CHECKS), n=1)
            problems.append(Problem(shown, lines.get(str(name), lines.get("", 1)), f"{FIELD_PREFIX}.{name}",
                                    "is not a finder setting", (f"did you mean '{near[0]}'? " if near else "")
                                    + f"Settings: {', '.join(CHECKS)}"))
            continue
        wrong = CHECKS[name](value)
        if wrong is None and name in ("listings_dir", "boards", "vocabulary") and not _inside(value):
            wrong = f"'{value}' is not a path inside docs/"
        if wrong is not None:
            problems.append(Problem(shown, lines.get(name, lines.get("", 1)), f"{FIELD_PREFIX}.{name}", wrong,
                                    FIXES.get(name, "")))
            continue
        values[name] = value
    config = FinderConfig(**values)
    return config, problems


def _inside(path: str) -> bool:
    """Whether a path setting stays inside docs/: relative, without "..", no drive or home."""
    parts = Path(path).parts
    return not Path(path).is_absolute() and ".." not in parts and not path.startswith(("~", "\\"))


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
