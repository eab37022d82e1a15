"""Stylesheets: what they load stays on the site (clinic_site.published)."""
from __future__ import annotations

import re

from clinic_site.published import Reading, address_problem

# ---- stylesheets ----
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_ADDRESS = re.compile(r"""(?i)(?:url|image|image-set|src)\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))"""
                          r"""|@import\s+(?:"([^"]*)"|'([^']*)')""")
# Addresses a stylesheet may hold besides the site's own: pictures and fonts written inline
# (an SVG shown as a CSS image runs no script).
_CSS_INLINE = ("data:image/", "data:font/", "data:application/font", "data:application/x-font")


def read_css(text: str, site_host: str, allowed_hosts: frozenset[str] = frozenset()) -> Reading:
    """A stylesheet's addresses (url(), image-set(), @import, after CSS escapes are undone and
    comments dropped): each must stay on the site (or a host the clinic allows) or be an inline
    picture or font; `expression(` and `behavior:` (old browsers' script in CSS) are refused."""
    reading = Reading()
    plain = _CSS_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)) if found.group(1) and
                            0 < int(found.group(1), 16) < 0x110000 else (found.group(2) or "\ufffd"),
                            _CSS_COMMENT.sub("", text))
    for groups in _CSS_ADDRESS.findall(plain):
        address = next((group for group in groups if group), "").strip()
        if not address or address.lower().startswith(_CSS_INLINE) or address.startswith("#"):
            continue
        why = address_problem("link", "href", address, site_host, allowed_hosts, rel="stylesheet")
        if why:
            reading.findings.append((why.replace(" (<link href>)", ""), address[:40]))
    for risky in ("expression(", "behavior:", "-moz-binding"):
        if risky in plain.lower():
            reading.findings.append((f"has '{risky}', which runs script in old browsers", risky))
    return reading
