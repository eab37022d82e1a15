"""The search terms of a text: one rule for the site search's index (postbuild/site_search.py) and
for what is typed into the search box (overrides/assets/search-text.js, which receives this
Python's Unicode tables in the index, `table`).

Words are the one rule for typed text (clinic_site.text_normalize: case, accents, curly
apostrophes, dashes), then `tokens`: runs of letters, digits and marks, an apostrophe inside a word
dropped ("don't" is "dont"), everything else a break ("post-op" is "post" and "op").
overrides/assets/search-text.js splits what is typed by the same rule (window.clinicSearchTokens;
tests/test_search_text.py runs both on the same strings), so a word in a page and the same word
typed are the same term by construction, whatever the accents, quotes or dashes.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from clinic_site.text_normalize import _INVISIBLE, _MARKS, normalize

_DELETED = re.compile(f"{_MARKS.pattern}|{_INVISIBLE.pattern}")
_ASCII_WORD = re.compile("[a-z0-9]+")
_ASCII_INNER_APOSTROPHE = re.compile("(?<=[a-z0-9])'(?=[a-z0-9])")


@lru_cache(maxsize=1)
def _word_class() -> str:
    """The regular-expression class of the characters words are made of: table("word") (Unicode's
    letters, numbers and marks, JavaScript's [\\p{L}\\p{N}\\p{M}] of Python's Unicode), the one
    table both the index and the browser split by."""
    ranges, at = [], 0
    flat = table("word")
    for gap, length in zip(flat[::2], flat[1::2], strict=True):
        start = at + gap
        at = start + length
        ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(at))}")
    return "[" + "".join(ranges) + "]"


# Python's tables as `table` computes them, written once (write_tables)
# so a build does not walk all 1.1 million code points again (0.5 s of every build); read only when
# they were written by this Python's Unicode version and the same rule for deleted characters,
# else computed. tests/test_site_search.py holds them to the computation.
TABLES_FILE = Path(__file__).with_name("unicode_tables.json")


@lru_cache(maxsize=2)
def table(kind: str) -> list[int]:
    """Python's Unicode data as index.json gives it to the browser: the characters words are made
    of (`kind` "word": general categories L*, N*, M*, as _word_class) or those Python's Unicode
    does not know (`kind` "unassigned": category Cn, surrogates apart). Code point ranges, flat,
    each number the distance from the one before: [first start, its length - 1, gap to the next
    start, its length - 1, ...]. search-text.js splits what is typed with these (unknown
    characters made spaces first, as they are breaks here), not with its own Unicode data, which
    is newer than Python's (14.0 in Python 3.11): characters added since are letters there, with
    cases and decompositions, and breaks here. About 1.4 KB gzip each. Read from TABLES_FILE when
    it was written for this Python's Unicode (a test holds it to `computed_table`)."""
    shipped = _shipped_tables()
    return shipped[kind] if shipped else computed_table(kind)


@lru_cache(maxsize=1)
def _shipped_tables() -> dict | None:
    """TABLES_FILE's tables, or None when it is missing or was written for another Unicode version
    (`unicodedata.unidata_version`) or another rule for deleted characters."""
    try:
        shipped = json.loads(TABLES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if shipped.get("unidata_version") != unicodedata.unidata_version or shipped.get("deleted") != _DELETED.pattern:
        return None
    return shipped


def computed_table(kind: str) -> list[int]:
    """`table(kind)` computed from Python's Unicode data, one code point at a time (about 0.25 s)."""
    def inside(code: int) -> bool:
        category = unicodedata.category(chr(code))
        if kind == "word":
            return category[0] in "LNM"
        # normalize() deletes the accent ranges whatever is assigned in them: not "unknown" there
        return category == "Cn" and not 0xD800 <= code <= 0xDFFF and not _DELETED.match(chr(code))
    flat, previous, start = [], 0, None
    for code in range(sys.maxunicode + 2):
        now = code <= sys.maxunicode and inside(code)
        if now and start is None:
            start = code
        elif not now and start is not None:
            flat += [start - previous, code - 1 - start]
            previous, start = code - 1, None
    return flat


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    word = _word_class()
    return re.compile(f"(?<={word})'(?={word})"), re.compile(f"{word}+")


def tokens(text: str) -> list[str]:
    """The search terms of `text`, in order: ``tokens("Don’t book POST–OP, café")`` is
    ``["dont", "book", "post", "op", "cafe"]``. The rule is clinic_site.text_normalize's, then runs
    of letters, digits and marks with an apostrophe inside a word dropped; search-text.js's
    `clinicSearchTokens` is the same function for what is typed."""
    text = normalize(text)
    if text.isascii():   # the same rule: ASCII's letters and digits are [a-z0-9] once lower-cased, it has no marks
        return _ASCII_WORD.findall(_ASCII_INNER_APOSTROPHE.sub("", text))
    inner_apostrophe, word = _patterns()
    return word.findall(inner_apostrophe.sub("", text))


def utf16(text: str) -> bytes:
    """The sort key that orders strings as JavaScript compares them (by UTF-16 code units, where
    a character above U+FFFF sorts before U+E000 to U+FFFF), not as Python does (by code point)."""
    return text.encode("utf-16-be")


def write_tables() -> Path:
    """Write TABLES_FILE for this Python's Unicode version (run when the tests say it is stale:
    `.venv/bin/python -c "from clinic_site.postbuild import search_terms; search_terms.write_tables()"`)."""
    TABLES_FILE.write_text(json.dumps({"unidata_version": unicodedata.unidata_version, "deleted": _DELETED.pattern,
                                       "word": computed_table("word"), "unassigned": computed_table("unassigned")},
                                      separators=(",", ":")) + "\n", encoding="utf-8")
    return TABLES_FILE
