"""The clinic block in mkdocs.yml (`extra: clinic:`): checked once, with a Problem per field.

Every page, the footer and the structured data read this block, so a phone that cannot be
dialled or a colour that is not a colour would break every page: the build and `clinic check`
stop on it with the line of mkdocs.yml and the field.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from clinic_site.problems import Problem

REQUIRED = ("name", "street", "city", "state", "zip", "phone", "hours", "logo", "colors")
# USPS codes of the states, DC and the territories (USPS Publication 28, Appendix B).
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI".split())
# A US number: optional +1, then ten digits in any common grouping, then an optional extension.
_PHONE = re.compile(r"^\s*(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})"
                    r"(?:\s*(?:ext\.?|x|extension|;ext=)\s*(\d{1,6}))?\s*$", re.I)
_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
MIN_CONTRAST = 4.5  # WCAG 2.2 success criterion 1.4.3, normal text


def check_clinic(clinic: Any, config_file: Path | None = None, docs_dir: Path | None = None) -> list[Problem]:
    """Problems with `extra: clinic:` (a dict as MkDocs loaded it), each naming mkdocs.yml,
    the line of the field (found in `config_file` when given, else 1) and the fix."""
    lines = _Lines(config_file)

    def problem(field: str, what: str, fix: str) -> Problem:
        return Problem("mkdocs.yml", lines.of("extra", "clinic", *field.split(".")), f"extra.clinic.{field}", what, fix)

    if not isinstance(clinic, dict):
        return [Problem("mkdocs.yml", lines.of("extra"), "extra.clinic", "is missing",
                        "copy the clinic block from the README and fill it in")]
    found = [problem(key, "is missing", "add it (see the README)") for key in REQUIRED if not clinic.get(key)]
    phone = clinic.get("phone")
    if phone and not _PHONE.match(str(phone)):
        found.append(problem("phone", f"is '{phone}', which cannot be dialled",
                             "write a US number with its area code, for example +1-217-555-0100 "
                             "(an extension may follow: +1-217-555-0100 ext. 204)"))
    state = clinic.get("state")
    if state and str(state) not in US_STATES:
        found.append(problem("state", f"is '{state}', not a US state code",
                             "use the two-letter postal code, for example IL"))
    zip_code = clinic.get("zip")
    if zip_code and not re.fullmatch(r"\d{5}", str(zip_code)):
        found.append(problem("zip", f"is '{zip_code}', not a five-digit ZIP code",
                             "write the five digits in quotes, for example \"62701\""))
    hours = clinic.get("hours")
    if hours and not (isinstance(hours, list) and all(isinstance(line, str) and line.strip() for line in hours)):
        found.append(problem("hours", "must be a list of lines of text",
                             "write one line per group of days, each starting with '- '"))
    if "live" in clinic and not isinstance(clinic["live"], bool):
        found.append(problem("live", f"is {clinic['live']!r}", "write `live: true` once the site is public "
                             "(pages reviewed by sample people then stop the build), else `live: false`"))
    logo = clinic.get("logo")
    if logo and docs_dir is not None and not (docs_dir / str(logo)).is_file():
        found.append(problem("logo", f"is '{logo}', which is not a file in docs/",
                             "put the logo in docs/assets/ and give its path from docs/, for example assets/logo.svg"))
    colors = clinic.get("colors")
    if colors is not None and not isinstance(colors, dict):
        found.append(problem("colors", "must have 'primary:' and 'accent:' below it",
                             "write `primary: \"#1f5f7a\"` and `accent: \"#a1432b\"` under colors:"))
    elif isinstance(colors, dict):
        for key in ("primary", "accent"):
            value = colors.get(key)
            if not value or not _HEX_COLOR.match(str(value)):
                found.append(problem(f"colors.{key}", f"is {value!r}, not a colour code",
                                     "write a hex colour in quotes, for example \"#1f5f7a\""))
        primary = colors.get("primary")
        if primary and _HEX_COLOR.match(str(primary)):
            ratio = contrast_ratio(str(primary), "#ffffff")
            if ratio < MIN_CONTRAST:
                found.append(problem("colors.primary", f"{primary} has a contrast of {ratio:.2f}:1 with the "
                                     f"header's white text, below {MIN_CONTRAST}:1",
                                     "choose a darker colour (WCAG 2.2, 1.4.3)"))
    return found


def dialable_digits(phone: str) -> tuple[str, str | None] | None:
    """(ten digits, extension or None) of a US phone number, or None when it cannot be dialled."""
    match = _PHONE.match(phone)
    return (match.group(1) + match.group(2) + match.group(3), match.group(4)) if match else None


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.2 contrast ratio (1 to 21) of two hex colours ("#1f5f7a", "#fff")."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    # Relative luminance, WCAG 2.2 definition.
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(character * 2 for character in digits)
    channels = [int(digits[index:index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


class _Lines:
    """Line numbers of settings in mkdocs.yml, from YAML's node positions (tags like !ENV
    need no constructor: composing does not run them)."""

    def __init__(self, config_file: Path | None):
        self.root = None
        if config_file is not None and config_file.is_file():
            try:
                self.root = yaml.compose(config_file.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                self.root = None

    def of(self, *keys: str) -> int:
        node, line = self.root, 1
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == key), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        return line
