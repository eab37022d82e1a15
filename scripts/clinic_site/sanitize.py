"""The HTML that Markdown makes from a page, kept to an allowlist by a real HTML sanitiser.

Pages are written in Markdown, which passes raw HTML through (and `attr_list` lets `{: … }`
add any attribute). Rather than a list of what is forbidden, which misses what no one thought
of (a tag inside <noscript> or <textarea>, comment and CDATA tricks, SVG <animate>), the page's
HTML goes through nh3 (Python's binding to the Rust crate ammonia, which parses HTML as
browsers do, with html5ever) with the allowlist below: the tags and attributes that this
site's Markdown extensions produce (mkdocs.yml `markdown_extensions`), and links and images
only to http(s), mailto, tel and relative addresses.

- `clean(html)` is what the page is published with (the engine adapter applies it to the HTML
  Markdown makes: clinic_site/engines/mkdocs/plugin.py, on_page_content).
- `removed(html)` names what `clean` takes out; the post-build stage names each at its source
  line (`problems_at`), so every run stops on it, instead of dropping a contributor's markup
  without a word.

The allowlist is the one place to widen when an extension is added; tests/test_attack_corpus.py
checks that every page of the site comes through unchanged and that each attack does not.
"""
from __future__ import annotations

import collections
import html as html_module
import re
from html.parser import HTMLParser

import nh3

from clinic_site.problems import Problem
from clinic_site.sources import Source

# What Python-Markdown and the configured extensions write (abbr, admonition, attr_list,
# footnotes, md_in_html, tables, toc, pymdownx.details, superfences, tabbed), plus plain
# text-level HTML staff may write. No <svg>, <math>, <form>, <style>, <iframe>, <object>.
TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "tabindex"}
ATTRIBUTES = {
    "a": {"href", "hreflang", "rel"},
    "abbr": set(), "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "time": {"datetime"}, "details": {"open"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "input": {"name", "checked", "disabled"},  # pymdownx.tabbed's radio buttons (type: below)
    "label": {"for"}, "ol": {"start", "reversed", "type"}, "li": {"value"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "div": {"data-tabs"},   # pymdownx.tabbed (13.x) numbers its tab sets: data-tabs="1:2" (issue 24)
}
# Values an attribute may only take from a short list.
ATTRIBUTE_VALUES = {"input": {"type": {"radio", "checkbox"}}, "a": {"target": {"_blank"}}}  # and nothing else
ATTRIBUTE_PREFIXES = {"aria-"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_URL_ATTRIBUTES = {"href", "src", "cite"}
# Tags that could run script or show another site: their message says why.
_RISKY_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "meta", "link", "style",
               "svg", "math", "noscript", "template", "applet"}


# Names the theme keeps for its own elements: Material's scripts find their settings, search box,
# menu and table of contents by ids starting with "__" (#__config, #__search, #__drawer, #__toc,
# #__nav_1 …), so a page's element with such an id or name could stand in for them (DOM clobbering).
# pymdownx.tabbed's own ids and radio names (__tabbed_1_2) are the one use content has.
RESERVED_PREFIX = "__"
_CONTENT_RESERVED = re.compile(r"__tabbed_\d+(?:_\d+)?")
_NAMING_ATTRIBUTES = ("id", "name", "for")


def _reserved(name: str, value: str | None) -> bool:
    """True for an id, name or label's for= that only the theme may use."""
    return (name in _NAMING_ATTRIBUTES and value is not None and value.strip().startswith(RESERVED_PREFIX)
            and not _CONTENT_RESERVED.fullmatch(value.strip()))


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    return None if _reserved(name, value) else value


def clean(html: str) -> str:
    """`html` (a page's body as Markdown made it) with everything outside the allowlist taken
    out: other tags are unwrapped (their text kept), <script> and <style> dropped with their
    content, other attributes and addresses of other schemes dropped, comments dropped. Links
    keep their own rel (nh3 would add "noopener noreferrer" to every one)."""
    return nh3.clean(html, tags=TAGS, clean_content_tags={"script", "style"},
                     attributes={"*": GENERIC_ATTRIBUTES, **ATTRIBUTES}, generic_attribute_prefixes=ATTRIBUTE_PREFIXES,
                     tag_attribute_values=ATTRIBUTE_VALUES, url_schemes=URL_SCHEMES, link_rel=None,
                     strip_comments=True, attribute_filter=_attribute_filter)


class _Inventory(HTMLParser):
    """Counts of the tags, attributes and addresses in a piece of HTML, as Python reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: collections.Counter[tuple[str, str]] = collections.Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[("tag", tag)] += 1
        for name, value in attrs:
            if _reserved(name, value):
                self.items[("reserved", f"{name}={(value or '').strip()}")] += 1
                continue
            self.items[("attribute", f"{tag} {name}")] += 1
            if name in _URL_ATTRIBUTES and value is not None:
                self.items[("address", value.strip())] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _inventory(html: str) -> collections.Counter[tuple[str, str]]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


# A comment with nothing in it that could open or close markup ("<!-- more -->"). Where such text
# is not a comment (in an attribute, a title), the cleaner writes its "<" as "&lt;", so the page
# would not equal the cleaned page with it taken out: the comparison below cannot hide an element.
_PLAIN_COMMENT = re.compile(r"<!--[^<>-]*-->")
_BLANKS = re.compile(r"\s+")


def removed(html: str, cleaned: str | None = None) -> list[tuple[str, str]]:
    """What `clean` takes out of `html`, as (what, needle): `what` in plain words, `needle` a
    piece of text to find it by in the Markdown source. [] when the HTML is within the allowlist.
    `cleaned`: `clean(html)` when the caller has it already (it is not worked out twice)."""
    cleaned = clean(html) if cleaned is None else cleaned
    if cleaned == html or cleaned == _PLAIN_COMMENT.sub("", html):
        return []   # the cleaner took out nothing, or only comments (most pages: no need to count)
    before, after = _inventory(html), _inventory(cleaned)
    found = []
    for kind, value in sorted(before - after):
        if kind == "tag":
            why = " (pages may not run scripts or embed other sites)" if value in _RISKY_TAGS else ""
            found.append((f"the tag <{value}> is not allowed in a page{why}", f"<{value}"))
        elif kind == "reserved":
            name, value = value.split("=", 1)
            found.append((f"the {name} '{value}' is kept for the theme's own elements (names starting with two "
                          "underscores), which a page's element could stand in for", value))
        elif kind == "attribute":
            tag, name = value.split(" ", 1)
            if name in _URL_ATTRIBUTES and name in ATTRIBUTES.get(tag, ()):
                continue   # taken out for its address only: named by the address's own finding, at its line
            found.append((f"the attribute {name}= on <{tag}> is not allowed in a page", name))
        else:
            found.append((f"the address {value[:60]!r} is not allowed (links and images go to http, https, "
                          "mailto, tel or the site's own pages)", value[:40]))
    return found


def problems(source: Source, html: str) -> list[Problem]:
    """One Problem for each thing `clean` would take out of the page made from `source`, on
    the first line of the source that holds it (else line 1)."""
    return problems_at(source, removed(html))


def problems_at(source: Source, taken_out: list[tuple[str, str]],
                elsewhere: list[tuple[str, str]] | tuple = ()) -> list[Problem]:
    """One Problem for each (what, needle) of `removed`, on the first line of `source` that holds
    the needle; else on the first line of a file of `elsewhere` that does ((path as shown, text):
    the snippets appended to every page, so what one of them brings is named once, at its line);
    else line 1 of `source`."""
    found = []
    for what, needle in taken_out:
        path, line = source.path, _line_of(source.text, needle)
        if line is None:
            path, line = next(((shown, number) for shown, text in elsewhere
                               if (number := _line_of(text, needle)) is not None), (source.path, 1))
        found.append(Problem(path, line, "", what, "remove it: pages hold text, links, images, tables and the "
                             "Markdown extensions' markup only (scripts/clinic_site/sanitize.py lists what is "
                             "allowed)"))
    return found


def _line_of(text: str, needle: str) -> int | None:
    """The first line of `text` holding `needle`; else the first holding it once character references
    are read and spaces and tabs left out of both (an address written "&#106;avascript:", or
    "java<tab>script:", which Markdown writes with spaces)."""
    lowered = html_module.unescape(needle).lower()
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if lowered and lowered in line.lower():
            return number
    squeezed = _BLANKS.sub("", lowered)
    for number, line in enumerate(lines, start=1):
        if squeezed and squeezed in _BLANKS.sub("", html_module.unescape(line).lower()):
            return number
    return None
