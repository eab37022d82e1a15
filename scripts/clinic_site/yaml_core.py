"""What a YAML 1.2 reader makes of a plain value: its core schema (YAML 1.2.2, section 10.3.2).

PyYAML, which the stage and MkDocs use, reads YAML 1.1, where `no` is false, `012` is ten and
`1e3` is text; Zensical reads YAML 1.2, where `no` is text, `012` twelve and `1e3` a number.
clinic_site.yamlfile refuses, in front matter (which Zensical reads again), a plain value the two
read apart; this module is the YAML 1.2 side of that comparison. And HIDDEN: the characters no
plain text staff write may hold, whatever the reader.
"""
from __future__ import annotations

import re
from typing import Any

NULL = re.compile(r"null|Null|NULL|~|")
BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                   r"|\.nan|\.NaN|\.NAN")
PLAIN = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in (NULL, BOOL, INT, FLOAT)))   # all but text
TEXT = object()   # value's answer for text

# Characters no text staff write may hold, in any YAML file or front matter: control characters but
# tab and line breaks (YAML itself refuses them written raw, but a double-quoted "\\a" or "\\x1b" makes
# them; they break XML feeds and terminals), and the bidirectional embeddings, overrides and isolates
# (U+202A to U+202E, U+2066 to U+2069) that make text show in another order than it reads, a known way
# to disguise a name or an address (Unicode Technical Report 36, "Bidirectional Text Spoofing").
# The marks U+200E and U+200F that right-to-left text needs are allowed. And U+FEFF, a byte-order mark
# anywhere but at the start of a file (two files pasted into one): `<U+FEFF>city:` in clinic.yml was a
# name other than `city`, so "'city' is missing" named a line staff see holding it, and an optional
# `<U+FEFF>sample: true` was left out without a word.
HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def value(text: str) -> Any:
    """A plain scalar as YAML 1.2's core schema reads it: None, a bool, an int, a float, or TEXT."""
    if NULL.fullmatch(text):
        return None
    if BOOL.fullmatch(text):
        return text.lower() == "true"
    if INT.fullmatch(text):
        return int(text[2:], 8) if text.startswith("0o") else int(text[2:], 16) if text.startswith("0x") \
            else int(text)
    if FLOAT.fullmatch(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return TEXT


def shown(read: Any) -> str:
    """A value as a reader of YAML made it, in staff's words: text, nothing, true, false, 10, 1000.0."""
    return "text" if read is TEXT else "nothing" if read is None else str(read).lower() \
        if isinstance(read, bool) else repr(read)
