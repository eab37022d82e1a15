"""US phone numbers: the one parser for the clinic block (clinic_settings.py) and listings
(finder/schema.py, finder/model.py, the finder's data).

Accepted: ten digits of the North American Numbering Plan (area code and exchange never start
with 0 or 1), optionally after a country code 1 or +1, grouped with spaces, dots, hyphens or
brackets in any common way ("512-555-0101", "(512) 555-0101", "+1 512.555.0101"), then an
optional extension of 1 to 6 digits written "ext. 204", "ext 204", "extension 204", "x204",
"#204" or ";ext=204". Anything else (letters, too few or too many digits) cannot be dialled.

Forms (contract 1, the same for the clinic and for listings):
    display  "(512) 555-0101 ext. 204"      (no " ext. ..." when there is none)
    tel      "tel:+15125550101;ext=204"     (RFC 3966: the extension as the ext parameter)
    e164     "+15125550101"                 (structured data; the extension is not part of it)
"""
from __future__ import annotations

import dataclasses
import re

_EXTENSION = re.compile(r"\s*(?:,|;)?\s*(?:ext\.?|extension|x|#|;?ext=)\s*(\d{1,6})\s*$", re.IGNORECASE)
_NUMBER_CHARACTERS = re.compile(r"[0-9+().\-\s]+")


# What parse_phone takes, as one regular expression with no flags (the same in JavaScript): the
# editor's phone field (clinic_site.editor.config). tests/test_editor_yaml.py holds them equal.
_SEP = r"[\s().-]*"
_EXT = (r"\s*(?:,|;)?\s*(?:[Ee][Xx][Tt]\.?|[Ee][Xx][Tt][Ee][Nn][Ss][Ii][Oo][Nn]|[Xx]|#|;?[Ee][Xx][Tt]=)"
        r"\s*\d{1,6}")
PHONE_PATTERN = (r"^\s*(?:\+1|" + _SEP + r"1)?" + _SEP + r"[2-9]" + _SEP + r"\d" + _SEP + r"\d" + _SEP + r"[2-9]"
                 + (_SEP + r"\d") * 6 + _SEP + "(?:" + _EXT + r")?\s*$")


@dataclasses.dataclass(frozen=True)
class Phone:
    """A dialable US number: `digits` the ten digits, `extension` its digits or None."""

    digits: str
    extension: str | None = None

    @property
    def display(self) -> str:
        """"(512) 555-0101", or "(512) 555-0101 ext. 204"."""
        d = self.digits
        return f"({d[:3]}) {d[3:6]}-{d[6:]}" + (f" ext. {self.extension}" if self.extension else "")

    @property
    def e164(self) -> str:
        """"+15125550101" (without the extension)."""
        return "+1" + self.digits

    @property
    def tel(self) -> str:
        """"tel:+15125550101", or "tel:+15125550101;ext=204" (RFC 3966)."""
        return "tel:" + self.e164 + (f";ext={self.extension}" if self.extension else "")


def parse_phone(text: object) -> Phone | None:
    """The Phone written in `text` (a string; anything else gives None), or None when it cannot
    be dialled. Rules: the module's docstring."""
    if not isinstance(text, str):
        return None
    number, extension = text.strip(), None
    found = _EXTENSION.search(number)
    if found:
        number, extension = number[:found.start()], found.group(1)
    if not number or not _NUMBER_CHARACTERS.fullmatch(number) or number.count("+") > 1 \
            or ("+" in number and not number.lstrip().startswith("+1")):
        return None
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return Phone(digits, extension)


def phone_display(text: str) -> str:
    """How the site shows a number: "(512) 555-0101 ext. 204"; text that cannot be dialled is
    returned as written (the check has already named it as a problem)."""
    phone = parse_phone(text)
    return phone.display if phone else str(text)


def phone_tel(text: str) -> str:
    """The tel: link of a number: "tel:+15125550101;ext=204"; for text that cannot be dialled,
    "tel:" and the digits and "+" it holds (the check has already named it as a problem)."""
    phone = parse_phone(text)
    return phone.tel if phone else "tel:" + re.sub(r"[^\d+]", "", str(text))
