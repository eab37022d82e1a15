"""The one rule for text people type differently from how it is written (issue 13, contract 5).

`normalize` is the Python twin of `window.clinicNormalize` in overrides/assets/normalize.js; the rule
is written out once, in the comment at the top of that file (case, accents, curly quotes and
apostrophes, dashes and hyphens, invisible characters, extra spaces). tests/test_text_normalize.py
runs both versions on a table of hard strings and requires the same output.

The site search (issue 26) splits a page's words into terms with this rule (postbuild/search_terms.py,
`tokens`), and overrides/assets/search-text.js splits what is typed with `clinicNormalize` and the
same split, so a word and the same word typed differently are one term.
"""
from __future__ import annotations

import re
import unicodedata

# The same character lists as overrides/assets/normalize.js, in the same order of steps.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u0060\u00b4\u2032\u02bc\u02b9]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2036]")
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(
    "[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def _rule(text: str) -> str:
    text = _SINGLE_QUOTES.sub("'", text)
    text = _DOUBLE_QUOTES.sub('"', text)
    text = _DASHES.sub("-", text)
    text = unicodedata.normalize("NFKD", text)
    text = text.lower().replace("\u03c2", "\u03c3")   # Greek's final sigma, as normalize.js
    text = _MARKS.sub("", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


def normalize(text: str | None) -> str:
    """Text as the site compares it: ``normalize("Don’t  STRETCH—Café") == "don't stretch-cafe"``.

    `text` is a string (None gives ""). Returns a new string; never raises. The rule and its
    reasons are in overrides/assets/normalize.js (one place); this function must give what that
    script gives for the same input.
    """
    if text is None:
        return ""
    return _SPACES.sub(" ", _rule(str(text))).strip(" ")

