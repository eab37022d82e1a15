"""The one rule for text people type differently from how it is written (issue 13, contract 5).

`normalize` is the Python twin of `window.clinicNormalize` in overrides/assets/normalize.js; the rule
is written out once, in the comment at the top of that file (case, accents, curly quotes and
apostrophes, dashes and hyphens, invisible characters, extra spaces). tests/test_text_normalize.py
runs both versions on a table of hard strings and requires the same output.

The site search (Pagefind, issue 26) folds accents and case in its own index, and
overrides/assets/search-text.js applies `clinicNormalize` to what is typed (curly apostrophes and
every dash made plain), so the index needs no rewriting. `fold` is the same rule keeping capitals
and spaces; `fold_html` applies it to the text of an HTML fragment, leaving the markup as written.
"""
from __future__ import annotations

import html
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
_TAG = re.compile(r"(<[^>]*>)")


def _rule(text: str, lower: bool) -> str:
    text = _SINGLE_QUOTES.sub("'", text)
    text = _DOUBLE_QUOTES.sub('"', text)
    text = _DASHES.sub("-", text)
    text = unicodedata.normalize("NFKD", text)
    if lower:
        text = text.lower()
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
    return _SPACES.sub(" ", _rule(str(text), lower=True)).strip(" ")


def fold(text: str) -> str:
    """The rule without its lower-casing and space steps, for text that is also shown:
    ``fold("Don’t—Café") == "Don't-Cafe"``; ``fold(x).lower()`` gives `normalize`'s words."""
    return _rule(text, lower=False)


def fold_html(fragment: str) -> str:
    """`fold` applied to the text of an HTML fragment, tags left as they are. Text is unescaped,
    folded and escaped again, so a full-width "＜" (which folds to "<") stays text, never markup.
    ASCII without a backtick is returned as it is: the rule changes nothing in it (most of an
    English site's index, so the build stays quick at 20,000 listings)."""
    if fragment.isascii() and "`" not in fragment:
        return fragment
    return "".join(part if part.startswith("<") and part.endswith(">") else
                   html.escape(fold(html.unescape(part)), quote=False)
                   for part in _TAG.split(fragment))
