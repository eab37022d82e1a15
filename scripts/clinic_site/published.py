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

# ---- which files a browser treats as documents ----
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".mhtml", ".mht"})
XML_EXTENSIONS = frozenset({".svg", ".xml", ".xsl", ".xslt", ".rss", ".atom", ".mml", ".rdf"})
REFUSED_EXTENSIONS = frozenset({".svgz", ".hta", ".swf", ".jnlp"})   # nothing on this site needs them


def kind_of(path: str) -> str | None:
    """"html", "xml" or "refused" for a file a browser could run or render as a document (by its
    extension, in any letter case, as static hosts serve them), else None."""
    suffix = posixpath.splitext(path)[1].lower()
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in XML_EXTENSIONS:
        return "xml"
    if suffix in REFUSED_EXTENSIONS:
        return "refused"
    return None


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
_SPACES_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")


def allowed_attribute(tag: str, name: str) -> bool:
    return (name in GLOBAL_ATTRIBUTES or name.startswith(("aria-", "data-"))
            or name in ATTRIBUTES.get(tag, ()))


def address_problem(tag: str, name: str, value: str, site_host: str, allowed_hosts: frozenset[str],
                    rel: str = "") -> str | None:
    """Why an address may not be published (None when it may): a scheme other than a link's
    (javascript:, data:, vbscript:…), or a resource, form or refresh on another host."""
    for candidate in ([part.strip().split()[0] for part in value.split(",") if part.strip()]
                      if name == "srcset" else [value]):
        url = _SPACES_AND_CONTROLS.sub("", candidate)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme and scheme not in LINK_SCHEMES:
            return f"the address {candidate[:60]!r} has the scheme '{scheme}:', which a page may not use"
        remote = (scheme in ("http", "https") or url.startswith("//")) and \
            (parts.hostname or "").lower() != site_host
        loads = (tag, name) in LOADING and not (tag == "link" and not (set(rel.lower().split()) & LINK_RELS_THAT_LOAD))
        if remote and loads and (parts.hostname or "").lower() not in allowed_hosts:
            what = "sends a form to" if tag in ("form", "button") else "loads"
            return (f"<{tag} {name}> {what} {candidate[:60]!r}, on another host (the site loads nothing from "
                    "other sites unless allowed_remote_hosts names the host)")
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
    if tag == "meta" and values.get("http-equiv", "").lower() == "refresh" and not refresh_ok:
        found.append(("has a <meta http-equiv=\"refresh\"> that sends the visitor elsewhere", "refresh"))
    if tag in SVG_ANIMATIONS and values.get("attributename", "").lower() in {"href", "xlink:href"}:
        found.append((f"has an SVG <{tag}> that sets an href (a way to give a link a script URL)", tag))
    return tuple(found)


def read_html(text: str, site_host: str, allowed_hosts: frozenset[str] = frozenset(),
              refresh_ok: bool = False) -> Reading:
    """One HTML document as a browser builds it (Lexbor, the HTML5 parsing algorithm): every
    element held to the allowlist, its inline scripts and styles (for the site's own code and the
    CSP), its ids and references. `site_host`: the site's own host ("" for none); `refresh_ok`:
    a redirect page, which may refresh to its target."""
    reading = Reading()
    tree = LexborHTMLParser(text)
    if tree.root is None:
        return reading
    for node in tree.root.traverse(include_text=False):
        tag = (node.tag or "").lower()
        if tag == "-comment":
            continue
        attributes = tuple(sorted((name.lower(), value) for name, value in node.attributes.items()))
        reading.findings += element_findings(tag, attributes, site_host, allowed_hosts, refresh_ok)
        values = dict(attributes)
        if tag == "script" and not values.get("src"):
            if (values.get("type") or "").strip().lower() not in DATA_TYPES:
                reading.scripts.add(node.text(deep=False))
        elif tag == "style":
            reading.styles.add(node.text(deep=False))
        _link_facts(reading, tag, values)
    return reading


def _link_facts(reading: Reading, tag: str, values: dict) -> None:
    """The ids and references the link check needs, as check_links reads them."""
    element_id = values.get("id")
    if element_id:
        if element_id in reading.ids:
            reading.repeated.add(element_id)
        reading.ids.add(element_id)
    if tag == "a" and values.get("name"):
        reading.ids.add(values["name"])
    if tag == "meta":
        refresh = re.match(r"^\s*\d*\s*;?\s*url\s*=\s*['\"]?([^'\"]*)", values.get("content") or "", re.I)
        if (values.get("http-equiv") or "").lower() == "refresh" and refresh and refresh.group(1):
            reading.refs.append(refresh.group(1))
        return
    names = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
             "source": ("src", "srcset")}.get(tag, ())
    if not names or {"nofollow", "external"} & set((values.get("rel") or "").lower().split()):
        return
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        if name == "srcset":
            reading.refs += [part.split()[0] for part in value.split(",") if part.strip()]
        else:
            reading.refs.append(value.strip())


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


# ---- XML and SVG ----
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def read_xml(text: str, site_host: str, allowed_hosts: frozenset[str] = frozenset()) -> Reading:
    """An SVG or other XML document as a browser's XML parser reads it (defusedxml: a DTD, an
    entity or an external reference is refused outright): only SVG's own elements (no script,
    no foreignObject, no HTML), no event handlers or styles, addresses as in HTML; an XML
    stylesheet (<?xml-stylesheet?>) is refused too, as it can turn the file into a page."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    reading = Reading()
    if "<?xml-stylesheet" in text:
        reading.findings.append(("has an <?xml-stylesheet?>, which turns the file into a page", "xml-stylesheet"))
    try:
        root = fromstring(text.encode("utf-8"))
    except DefusedXmlException as error:
        reading.findings.append((f"declares a DTD or entities ({type(error).__name__}), which the site does not "
                                 "publish", "<!"))
        return reading
    except Exception as error:  # noqa: BLE001 - an XML parse error, whatever the parser's class
        reading.findings.append((f"is not well-formed XML ({str(error)[:80]})", ""))
        return reading
    feed = root.tag in ("rss", "feed") or root.tag.endswith("}feed")
    for element in root.iter():
        namespace, _, local = str(element.tag).rpartition("}")
        namespace = namespace.lstrip("{")
        tag = local.lower()
        if feed and namespace != SVG_NS:
            continue   # a feed's own elements are data; its texts are checked as text by feed readers
        if namespace not in (SVG_NS, "") or tag not in ELEMENTS or tag in ("script", "style", "html", "body"):
            reading.findings.append((f"has a <{local}> element, which a published SVG or XML file may not hold",
                                     f"<{local}"))
        attributes = tuple(sorted(((_xml_name(name), value) for name, value in element.attrib.items())))
        reading.findings += [finding for finding in element_findings(tag, attributes, site_host, allowed_hosts)
                             if "element, which a page may not hold" not in finding[0]]
    return reading


def _xml_name(name: str) -> str:
    namespace, _, local = name.rpartition("}")
    return f"xlink:{local}" if namespace.lstrip("{") == XLINK_NS else local.lower()


def site_host(site_url: str) -> str:
    """The host of the site's own address ("example.org"), "" when it has none."""
    return (urlsplit(site_url).hostname or "").lower()


def hosts(names: Iterable[str]) -> frozenset[str]:
    return frozenset(str(name).strip().lower() for name in names if str(name).strip())
