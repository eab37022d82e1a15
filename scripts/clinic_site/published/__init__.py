"""What a browser could do with each published file, read with real parsers and held to an allowlist.

Every file of the built folder that a browser could treat as a document (HTML, XHTML, SVG, XML
with a stylesheet: `kind_of`, by its extension in any letter case) is decoded as a browser would
(UTF-8 only: a byte-order mark for another encoding, or a charset declared as another, is a
problem) and parsed with a real parser: HTML with Lexbor (selectolax), the HTML5 parser of the
WHATWG specification, so the guard sees the elements and attributes a browser builds; SVG and
XML with defusedxml (no entities, no DTD, no external references). Each element and attribute is
held to an allowlist (ELEMENTS, ATTRIBUTES), each address to a list of schemes, and anything
that loads from or sends to another host to the clinic's `allowed_remote_hosts` (empty by
default: the site promises no third-party requests). What is not allowed is a `Finding`; the
post-build stage names each where it was written (clinic_site.guard.OutputGuard).

The same pass gives the link check each page's ids and references (clinic_site.check_links).
"""
from __future__ import annotations

import codecs
import dataclasses
import functools
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

# ---- what each published file is ----
# The site publishes only kinds of file it needs; each is either read here (a document a browser
# builds: HTML, SVG/XML; a stylesheet) or passive (a browser shows, runs only when the site's own
# templates load it, or downloads it). Anything else is refused: a static host serves a file by its
# extension, and some hosts or old browsers treat an unknown one as a page ("content sniffing").
HTML_EXTENSIONS = frozenset({".html", ".htm"})
XML_EXTENSIONS = frozenset({".svg", ".xml", ".xsl", ".xslt", ".rss", ".atom"})
CSS_EXTENSIONS = frozenset({".css"})
PASSIVE_EXTENSIONS = frozenset({
    ".js", ".json", ".map", ".txt", ".gz", ".zip", ".webmanifest",       # the theme's and the finder's files
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico",            # images
    ".woff", ".woff2", ".ttf", ".otf",                                    # fonts
    ".pdf", ".docx", ".odt", ".csv",                                      # forms to download
})
# Files that a host reads as its own settings (headers, redirects, rewrites, custom domains): a page's
# author may not change how the site is served. The build writes `_headers` itself.
HOST_SETTINGS = frozenset({"_headers", "_redirects", ".htaccess", ".htpasswd", "_routes.json", "vercel.json",
                           "netlify.toml", "staticwebapp.config.json", "firebase.json", "web.config", "_config.yml",
                           ".well-known"})
NAMES_WITHOUT_EXTENSION = frozenset({"CNAME"})   # GitHub Pages' custom domain, when deployed from a branch


def kind_of(path: str) -> str:
    """What a browser could make of the published file at `path` (a path in the site folder,
    "guide/index.html"), judged by its name in any letter case as static hosts serve it:
    "html" or "xml" (a document: read and held to the allowlist), "css" (a stylesheet: its
    addresses checked), "passive" (shown, downloaded or run only where the site's own templates
    load it), or "refused" (a kind this site never publishes, or a host's settings file)."""
    parts = path.split("/")
    if any(part.lower() in HOST_SETTINGS for part in parts):
        return "refused"
    name = parts[-1]
    stem, suffix = posixpath.splitext(name)
    suffix = suffix.lower()
    if not suffix or not stem or name.endswith((".", " ")):
        return "passive" if name in NAMES_WITHOUT_EXTENSION else "refused"
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in XML_EXTENSIONS:
        return "xml"
    if suffix in CSS_EXTENSIONS:
        return "css"
    return "passive" if suffix in PASSIVE_EXTENSIONS else "refused"


def refused_why(path: str) -> str:
    """Why a file of kind "refused" may not be published, in plain words."""
    parts = path.split("/")
    setting = next((part for part in parts if part.lower() in HOST_SETTINGS), None)
    if setting is not None:
        return (f"is a web host's settings file ({setting}), which could change how the whole site is served "
                "or send visitors elsewhere")
    suffix = posixpath.splitext(parts[-1])[1].lower()
    what = f"a .{suffix.lstrip('.')} file" if suffix.strip(".") else "a file without an extension"
    return (f"is {what}, which the site does not publish: some hosts and browsers would treat it as a page "
            "(the kinds the site publishes are listed in scripts/clinic_site/published/)")


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None), or (None, why) when a browser could read the bytes differently from UTF-8:
    a UTF-16 or UTF-32 byte-order mark, bytes that are not UTF-8, NUL characters."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, "is saved as UTF-16 or UTF-32, which a browser reads differently"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text, which a browser may read in another encoding"
    if "\x00" in text:
        return None, "holds NUL characters"
    return text, None


@dataclasses.dataclass
class Reading:
    """One document as read: what is not allowed in it, the site code it runs (inline scripts and
    styles), and for the link check its ids (and those given twice) and references."""

    findings: list[tuple[str, str]] = dataclasses.field(default_factory=list)   # (what, needle)
    scripts: set[str] = dataclasses.field(default_factory=set)
    styles: set[str] = dataclasses.field(default_factory=set)
    ids: set[str] = dataclasses.field(default_factory=set)
    repeated: set[str] = dataclasses.field(default_factory=set)
    refs: list[str] = dataclasses.field(default_factory=list)
    script_files: list[str] = dataclasses.field(default_factory=list)   # <script src> addresses


# ---- the allowlist ----
# HTML elements a published page may hold: what this site's templates (Material and overrides/) and
# the Markdown extensions write. Anything else (iframe, object, embed, base, template, math, a
# custom element, a misspelled tag a browser still builds) is named.
ELEMENTS = frozenset("""
html head body title meta link script style
div span p a abbr b i em strong small sub sup code kbd samp var pre blockquote q cite br hr wbr
ul ol li dl dt dd table caption colgroup col thead tbody tfoot tr th td img figure figcaption picture source
h1 h2 h3 h4 h5 h6 header footer nav main article aside section details summary address time mark ins del s u
label input button form select option optgroup output progress meter ruby rt rp bdi bdo dfn data
svg g path circle ellipse line polyline polygon rect title desc defs symbol use lineargradient radialgradient stop
clippath mask text tspan
""".split())
# Attributes any element may have; names starting with aria- or data- are allowed too.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role", "tabindex", "hidden", "translate",
                               "accesskey", "itemscope", "itemtype", "itemprop", "xml:lang", "xmlns"})
ATTRIBUTES: dict[str, frozenset[str]] = {tag: frozenset(names.split()) for tag, names in {
    "html": "prefix", "meta": "name content property charset http-equiv", "title": "",
    "link": "rel href type sizes media hreflang title as crossorigin",
    "script": "src type defer async nomodule crossorigin integrity", "style": "media",
    "a": "href rel target hreflang type download", "img": "src srcset sizes alt width height loading decoding",
    "source": "src srcset type media sizes", "picture": "",
    "blockquote": "cite", "q": "cite", "del": "cite datetime", "ins": "cite datetime", "time": "datetime",
    "data": "value", "ol": "start reversed type", "li": "value", "details": "open", "col": "span",
    "colgroup": "span", "td": "colspan rowspan headers align", "th": "colspan rowspan headers scope abbr align",
    "label": "for", "output": "for name", "progress": "value max", "meter": "value min max low high optimum",
    "form": "action method name autocomplete novalidate",
    "input": "type name value placeholder autocomplete inputmode pattern maxlength minlength required checked "
             "disabled readonly size min max step list autocapitalize autocorrect autofocus spellcheck",
    "button": "type name value disabled", "select": "name multiple required disabled size autocomplete",
    "option": "value selected disabled label", "optgroup": "label disabled",
    "svg": "viewbox width height fill stroke preserveaspectratio version focusable xmlns:xlink",
    "path": "d fill stroke stroke-width fill-rule clip-rule transform opacity stroke-linecap stroke-linejoin",
    "g": "fill stroke transform opacity clip-path", "use": "href xlink:href x y width height",
    "circle": "cx cy r fill stroke stroke-width", "ellipse": "cx cy rx ry fill stroke",
    "line": "x1 y1 x2 y2 stroke stroke-width", "rect": "x y width height rx ry fill stroke stroke-width transform",
    "polyline": "points fill stroke stroke-width", "polygon": "points fill stroke stroke-width",
    "symbol": "viewbox", "stop": "offset stop-color stop-opacity",
    "lineargradient": "x1 y1 x2 y2 gradientunits gradienttransform",
    "radialgradient": "cx cy r fx fy gradientunits gradienttransform", "clippath": "clippathunits",
    "mask": "x y width height", "text": "x y dx dy fill font-size text-anchor", "tspan": "x y dx dy",
}.items()}
# SVG's presentation attributes, allowed on every SVG element (logos and icons drawn in editors).
SVG_ELEMENTS = frozenset("""svg g path circle ellipse line polyline polygon rect defs symbol use lineargradient
radialgradient stop clippath mask text tspan desc title a""".split())
SVG_PRESENTATION = frozenset("""fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity transform clip-path clip-rule mask
color display visibility font-family font-size font-weight font-style text-anchor dominant-baseline
letter-spacing stop-color stop-opacity vector-effect shape-rendering overflow x y width height""".split())
# Addresses: a link may go to any https, http, mailto or tel address; what a page loads, submits
# to or refreshes to must stay on the site (or a host the clinic allows).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LOADING = {("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("script", "src"),
           ("link", "href"), ("form", "action"), ("use", "href"), ("use", "xlink:href"), ("input", "src"),
           ("button", "formaction")}
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "cite", "xlink:href", "poster",
                            "data", "background", "ping", "manifest", "codebase", "icon", "lowsrc", "dynsrc"})
LINK_RELS_THAT_LOAD = frozenset({"stylesheet", "icon", "shortcut", "apple-touch-icon", "manifest", "preload",
                                 "prefetch", "modulepreload", "preconnect", "dns-prefetch", "prerender", "import"})
_RASTER_DATA = re.compile(r"(?i)data:image/(?:png|jpeg|gif|webp|avif)[;,]")
_SCRIPT_TEXT = re.compile(r"<script(?=[\s/>])", re.I)
_SPACES_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")


def allowed_attribute(tag: str, name: str) -> bool:
    return (name in GLOBAL_ATTRIBUTES or name.startswith(("aria-", "data-"))
            or name in ATTRIBUTES.get(tag, ()) or (tag in SVG_ELEMENTS and name in SVG_PRESENTATION))


def address_problem(tag: str, name: str, value: str, site_host: str, allowed_hosts: frozenset[str],
                    rel: str = "") -> str | None:
    """Why an address may not be published (None when it may): a scheme other than a link's
    (javascript:, data:, vbscript:…), or a resource, form or refresh on another host."""
    for candidate in ([part.strip().split()[0] for part in value.split(",") if part.strip()]
                      if name == "srcset" else [value]):
        url = _SPACES_AND_CONTROLS.sub("", candidate)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data" and tag in ("img", "source") and _RASTER_DATA.match(url):
            continue   # a picture written inline: a raster image runs nothing
        if scheme and scheme not in LINK_SCHEMES:
            return f"has the address {candidate[:60]!r}, whose scheme '{scheme}:' a page may not use"
        remote = (scheme in ("http", "https") or url.startswith("//")) and \
            (parts.hostname or "").lower() != site_host
        loads = (tag, name) in LOADING and not (tag == "link" and not (set(rel.lower().split()) & LINK_RELS_THAT_LOAD))
        if remote and loads and (parts.hostname or "").lower() not in allowed_hosts:
            what = "sends a form to" if tag in ("form", "button") else "loads"
            return (f"{what} {candidate[:60]!r} (<{tag} {name}>), on another host: the site loads nothing from "
                    "other sites unless mkdocs.yml's allowed_remote_hosts names the host")
    return None


# Script elements a browser does not run: data blocks. Any other type counts as a script.
DATA_TYPES = frozenset({"application/ld+json", "application/json"})
SVG_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform"})


@functools.lru_cache(maxsize=1 << 16)
def element_findings(tag: str, attributes: tuple[tuple[str, str | None], ...], site_host: str,
                     allowed_hosts: frozenset[str], refresh_ok: bool = False) -> tuple[tuple[str, str], ...]:
    """(what, needle) for each thing one element may not hold: its tag, an attribute, an address.
    Cached: the menu, header and footer repeat the same elements on every page."""
    found: list[tuple[str, str]] = []
    if tag not in ELEMENTS:
        found.append((f"has a <{tag}> element, which a page may not hold", f"<{tag}"))
    values = {name: value or "" for name, value in attributes}
    for name, value in values.items():
        if name.startswith("on"):
            found.append((f"has an event handler attribute <{tag} {name}=…> that would run script", value or name))
        elif name == "style":
            found.append((f"has a style attribute <{tag} style=\"{_short(value)}\">, which the policy blocks", value))
        elif not allowed_attribute(tag, name):
            found.append((f"has the attribute {name}= on <{tag}>, which a page may not hold", name))
        elif name in URL_ATTRIBUTES:
            why = address_problem(tag, name, value, site_host, allowed_hosts, values.get("rel", ""))
            if why:
                found.append((why, value))
    if tag == "a" and values.get("target", "").lower() not in ("", "_self") and \
            not {"noopener", "noreferrer"} & set(values.get("rel", "").lower().split()):
        found.append(("has a link that opens a new window without rel=\"noopener\" (the other site could take "
                      "over this one's window)", values.get("href", "target")))
    charset = values.get("charset", "") if tag == "meta" else ""
    if tag == "meta" and values.get("http-equiv", "").lower() == "content-type":
        declared = re.search(r"charset\s*=\s*([^\s;\"']+)", values.get("content", ""), re.I)
        charset = declared.group(1) if declared else ""
    if charset and charset.strip().lower() not in ("utf-8", "utf8"):
        found.append((f"declares the encoding {charset!r}, which a browser would read differently from the UTF-8 "
                      "the guard read", charset))
    if tag == "meta" and values.get("http-equiv", "").lower() == "refresh" and not refresh_ok:
        found.append(("has a <meta http-equiv=\"refresh\"> that sends the visitor elsewhere", "refresh"))
    if tag in SVG_ANIMATIONS and values.get("attributename", "").lower() in {"href", "xlink:href"}:
        found.append((f"has an SVG <{tag}> that sets an href (a way to give a link a script URL)", tag))
    return tuple(found)


def read_html(text: str, site_host: str, allowed_hosts: frozenset[str] = frozenset(),
              refresh_ok: bool = False, tree: LexborHTMLParser | None = None) -> Reading:
    """One HTML document as a browser builds it (Lexbor, the HTML5 parsing algorithm): every
    element held to the allowlist, its inline scripts and styles (for the site's own code and the
    CSP), its ids and references. `site_host`: the site's own host ("" for none); `refresh_ok`:
    a redirect page, which may refresh to its target; `tree`: `text` already parsed with
    LexborHTMLParser and not changed since (read, not changed, instead of parsing again)."""
    reading = Reading()
    tree = LexborHTMLParser(text) if tree is None else tree
    if tree.root is None:
        return reading
    script_elements = 0
    findings, ids, refs = reading.findings, reading.ids, reading.refs
    for node in tree.root.traverse(include_text=False):
        tag = node.tag
        if tag == "-comment":
            continue
        facts = _element_facts(tag or "", tuple(node.attributes.items()), site_host, allowed_hosts, refresh_ok)
        if facts.findings:
            findings += facts.findings
        if facts.element_id:
            if facts.element_id in ids:
                reading.repeated.add(facts.element_id)
            ids.add(facts.element_id)
        if facts.anchor_name:
            ids.add(facts.anchor_name)
        if facts.refs:
            refs += facts.refs
        if facts.code:
            if facts.code == "script-file":
                script_elements += 1
                reading.script_files.append(facts.script_src)
            elif facts.code == "script":
                script_elements += 1
                reading.scripts.add(node.text(deep=False))
            elif facts.code == "data":
                script_elements += 1
            else:
                reading.styles.add(node.text(deep=False))
    if len(_SCRIPT_TEXT.findall(text)) != script_elements:   # the parser and the text disagree: refuse
        reading.findings.append(("holds \"<script\" text that the parser does not read as a script element "
                                 "(a browser might)", "<script"))
    return reading


@dataclasses.dataclass(frozen=True)
class _Facts:
    """What one element (a tag with its attributes, as written) tells the guard and the link check."""

    findings: tuple[tuple[str, str], ...]
    element_id: str | None
    anchor_name: str | None
    refs: tuple[str, ...]
    code: str | None           # "script" (inline, runs), "script-file", "data" (a data block), "style"
    script_src: str = ""


@functools.lru_cache(maxsize=1 << 16)
def _element_facts(raw_tag: str, raw_attributes: tuple[tuple[str, str | None], ...], site_host: str,
                   allowed_hosts: frozenset[str], refresh_ok: bool) -> _Facts:
    """The facts of one element, worked out once for each distinct tag and attributes: the menu,
    header, footer and most of a page's text repeat the same elements on every page."""
    tag = raw_tag.lower()
    attributes = tuple(sorted((name.lower(), value) for name, value in raw_attributes))
    values = dict(attributes)
    code = None
    if tag == "script":
        if values.get("src") is not None:
            code = "script-file"
        elif (values.get("type") or "").strip().lower() in DATA_TYPES:
            code = "data"
        else:
            code = "script"
    elif tag == "style":
        code = "style"
    element_id, anchor_name, refs = _link_facts(tag, values)
    return _Facts(element_findings(tag, attributes, site_host, allowed_hosts, refresh_ok), element_id,
                  anchor_name, refs, code, (values.get("src") or "") if code == "script-file" else "")


def _link_facts(tag: str, values: dict) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(id, the name of an <a name> anchor, references) of one element, as check_links reads them."""
    element_id = values.get("id") or None
    anchor_name = (values.get("name") or None) if tag == "a" else None
    if tag == "meta":
        refresh = re.match(r"^\s*\d*\s*;?\s*url\s*=\s*['\"]?([^'\"]*)", values.get("content") or "", re.I)
        if (values.get("http-equiv") or "").lower() == "refresh" and refresh and refresh.group(1):
            return element_id, anchor_name, (refresh.group(1),)
        return element_id, anchor_name, ()
    names = _REFERENCE_ATTRIBUTES.get(tag, ())
    if not names or {"nofollow", "external"} & set((values.get("rel") or "").lower().split()):
        return element_id, anchor_name, ()
    refs: list[str] = []
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        if name == "srcset":
            refs += [part.split()[0] for part in value.split(",") if part.strip()]
        else:
            refs.append(value.strip())
    return element_id, anchor_name, tuple(refs)


_REFERENCE_ATTRIBUTES = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
                         "source": ("src", "srcset")}


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def site_host(site_url: str) -> str:
    """The host of the site's own address ("example.org"), "" when it has none."""
    return (urlsplit(site_url).hostname or "").lower()


def hosts(names: Iterable[str]) -> frozenset[str]:
    return frozenset(str(name).strip().lower() for name in names if str(name).strip())


# The readers of the other kinds of document, which use the allowlist above.
from clinic_site.published.css import read_css  # noqa: E402
from clinic_site.published.xml import read_xml  # noqa: E402

__all__ = ["Reading", "address_problem", "decode", "element_findings", "hosts", "kind_of", "read_css", "read_html",
           "read_xml", "refused_why", "site_host"]
