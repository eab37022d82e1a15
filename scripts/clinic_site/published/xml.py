"""SVG and other XML files as a browser's XML parser reads them, held to SVG's part of the
allowlist (clinic_site.published)."""
from __future__ import annotations

import re

from clinic_site.published import SVG_ELEMENTS, Reading, element_findings

# ---- XML and SVG ----
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def read_xml(text: str, site_host: str, allowed_hosts: frozenset[str] = frozenset()) -> Reading:
    """An SVG or other XML document as a browser's XML parser reads it (defusedxml: a DTD, an
    entity or an external reference is refused outright). Elements in the SVG namespace (the whole
    of an SVG file, or SVG inside any XML) are held to SVG's part of the allowlist: no script, no
    foreignObject, no event handlers or styles, addresses as in HTML. Elements in the XHTML or
    MathML namespace, which a browser would build as a page inside any XML file, are refused. Other
    XML (the sitemaps and feeds) is data a browser only shows as a tree. An XML stylesheet
    (<?xml-stylesheet?>), which can turn the file into a page, and a declared encoding other than
    UTF-8 are refused too."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    reading = Reading()
    if "<?xml-stylesheet" in text:
        reading.findings.append(("has an <?xml-stylesheet?>, which turns the file into a page", "xml-stylesheet"))
    declared = re.match(r"\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']*)", text)
    if declared and declared.group(1).strip().lower() not in ("utf-8", "utf8"):
        reading.findings.append((f"declares the encoding {declared.group(1)!r}, which a browser would read "
                                 "differently from the UTF-8 the guard read", declared.group(1)))
        return reading
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as error:
        reading.findings.append((f"declares a DTD or entities ({type(error).__name__}), which the site does not "
                                 "publish", "<!"))
        return reading
    except Exception as error:  # noqa: BLE001 - an XML parse error, whatever the parser's class
        reading.findings.append((f"is not well-formed XML ({str(error)[:80]})", ""))
        return reading
    for element in root.iter():
        namespace, _, local = str(element.tag).rpartition("}")
        namespace = namespace.lstrip("{")
        tag = local.lower()
        if namespace in ACTIVE_NAMESPACES:
            reading.findings.append((f"has a <{local}> element in the {ACTIVE_NAMESPACES[namespace]} namespace, "
                                     "which a browser would build as part of a page", f"<{local}"))
            continue
        if namespace != SVG_NS:
            continue   # data (a sitemap's or a feed's own elements): a browser shows it as a tree
        if tag not in SVG_ELEMENTS:
            reading.findings.append((f"has an SVG <{local}> element, which a published SVG file may not hold",
                                     f"<{local}"))
        attributes = tuple(sorted(((_xml_name(name), value) for name, value in element.attrib.items())))
        reading.findings += [finding for finding in element_findings(tag, attributes, site_host, allowed_hosts)
                             if "element, which a page may not hold" not in finding[0]]
    return reading


ACTIVE_NAMESPACES = {"http://www.w3.org/1999/xhtml": "XHTML", "http://www.w3.org/1998/Math/MathML": "MathML"}


def _xml_name(name: str) -> str:
    namespace, _, local = name.rpartition("}")
    return f"xlink:{local}" if namespace.lstrip("{") == XLINK_NS else local.lower()
