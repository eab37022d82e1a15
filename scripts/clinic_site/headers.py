"""The HTTP headers the site is served with: the one list, for every host.

- `site/_headers` (read from the published folder by Cloudflare Pages and by Netlify) is
  written at the end of every build by `write_headers_file`, called from scripts/hooks/content.py.
  It is generated because its Content-Security-Policy lists the sha256 hashes of the inline
  scripts and styles the built pages contain (Material's small start-up scripts, which differ
  with a page's depth, the redirect pages' scripts, the clinic's colours in overrides/main.html).
- `netlify.toml` repeats the same rules without the CSP (`netlify_rules`); a test checks the
  committed file matches. It must not carry the CSP: on Netlify netlify.toml wins over
  `_headers` for the same path and header, and a copied CSP would go stale as pages change.
- GitHub Pages cannot send headers at all: there the site runs without them.

Rules never set the same header twice for one address: Cloudflare joins such values with a
comma, which breaks single-valued headers like Cache-Control. So `/*` sets no Cache-Control,
and HTML keeps the hosts' default (Cloudflare and Netlify: `public, max-age=0, must-revalidate`,
that is: check with the server before every use).

Run `python scripts/clinic_site/headers.py` to print netlify.toml's [[headers]] after editing this file.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

# ---- The headers. Edit here; the build and netlify.toml follow. ----

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # Location only for the site itself (the therapist finder's "Use my location").
    "Permissions-Policy": ", ".join([
        "geolocation=(self)", "camera=()", "microphone=()", "payment=()", "usb=()",
        "accelerometer=()", "gyroscope=()", "magnetometer=()",
    ]),
}

# Content-Security-Policy: everything from this site only, nothing inline but the exact
# scripts and styles found in the built pages (their hashes are added at build time).
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],       # + 'sha256-...' of each inline script
    "style-src": ["'self'"],        # + 'sha256-...' of each <style> (and style="" if any)
    "img-src": ["'self'", "data:"],  # Material's icons are data: SVGs in its CSS
    "font-src": ["'self'"],
    "connect-src": ["'self'"],      # search index, therapist finder's ZIP shards
    "worker-src": ["'self'"],       # the search worker
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # may be stored, but checked with the server before each use

# Files whose names carry a hash of their content (Material's bundle.<hash>.min.js,
# workers/search.<hash>.min.js, stylesheets/<name>.<hash>.min.css, and their .map files):
# a changed file gets a new name, so browsers may keep these for a year.
# Not hashed, so not here: lunr/*, site.css, finder.js/.css, images.
CACHE_RULES = {
    "/assets/javascripts/bundle.*": IMMUTABLE,
    "/assets/javascripts/workers/*": IMMUTABLE,
    "/assets/stylesheets/*": IMMUTABLE,
    "/search/*": REVALIDATE,            # search_index.json
    "/therapists/zip/*": REVALIDATE,    # the finder's ZIP shards
    "/sitemap.xml": REVALIDATE,
    "/sitemap.xml.gz": REVALIDATE,
    "/feed_*": REVALIDATE,              # RSS and JSON feeds
}

# Cloudflare Pages reads at most this many characters of one header line.
MAX_HEADER_CHARS = 2000

# ---- The functions. ----

_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(rb"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_STYLE_ATTR = re.compile(rb"""<[a-zA-Z][^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_EQUALS_SIGN = re.compile(rb"\s*=")
_TYPE = re.compile(rb"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC = re.compile(rb"""\ssrc\s*=""", re.I)
_JS_TYPES = {b"", b"text/javascript", b"application/javascript", b"module", b"text/ecmascript"}


def csp_hash(text: str) -> str:
    """The CSP source expression for one inline script or style, as browsers compute it."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")  # the HTML parser does this
    digest = hashlib.sha256(normalized.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_code(page: bytes) -> tuple[set[str], set[str], set[str]]:
    """The (scripts, styles, style attributes) of one HTML page that a CSP must allow.

    Only scripts a browser runs count: data blocks such as type="application/ld+json" or
    the __config JSON are not run, so a CSP does not apply to them.
    """
    scripts, styles, attributes = set(), set(), set()
    for attrs, body in _SCRIPT.findall(page):
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) or (kind and kind.group(1).lower() not in _JS_TYPES):
            continue
        scripts.add(body.decode("utf-8"))
    for body in _STYLE.findall(page):
        styles.add(body.decode("utf-8"))
    if _may_have_style_attribute(page):
        for double, single in _STYLE_ATTR.findall(page):
            attributes.add(html.unescape((double or single).decode("utf-8")))
    return scripts, styles, attributes


def _may_have_style_attribute(page: bytes) -> bool:
    """False only if no ` style=` is anywhere in the page: a quick test that spares most
    pages _STYLE_ATTR, which tries every tag (it was most of the time of a build's CSP)."""
    lowered = page.lower()
    at = lowered.find(b"style")
    while at != -1:
        if at and lowered[at - 1:at].isspace() and _EQUALS_SIGN.match(lowered, at + 5):
            return True
        at = lowered.find(b"style", at + 5)
    return False


def content_security_policy(scripts=(), styles=(), style_attributes=()) -> str:
    directives = {name: list(values) for name, values in CSP_DIRECTIVES.items()}
    directives["script-src"] += sorted({csp_hash(s) for s in scripts})
    directives["style-src"] += sorted({csp_hash(s) for s in styles})
    if style_attributes:  # style="..." in a page: allowed one by one (CSP level 3)
        directives["style-src"] += ["'unsafe-hashes'"] + sorted({csp_hash(s) for s in style_attributes})
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def rules(csp: str | None) -> list[tuple[str, dict[str, str]]]:
    """Every rule as (path pattern, headers); with `csp=None`, the rules without the CSP."""
    everywhere = dict(SECURITY_HEADERS)
    if csp is not None:
        everywhere = {"Content-Security-Policy": csp, **everywhere}
    return [("/*", everywhere)] + [(path, {"Cache-Control": value}) for path, value in CACHE_RULES.items()]


def headers_file(csp: str) -> str:
    """The text of a Cloudflare Pages / Netlify `_headers` file."""
    lines = ["# Generated at build time by scripts/clinic_site/headers.py (called from scripts/hooks/content.py).",
             "# Do not edit here: edit scripts/clinic_site/headers.py and build again."]
    for path, values in rules(csp):
        lines += ["", path] + [f"  {name}: {value}" for name, value in values.items()]
    return "\n".join(lines) + "\n"


class InlineCode:
    """The inline scripts and styles of a site's pages, gathered page by page.

    The build hands each page over as it is written (scripts/hooks/content.py), which spares reading
    every page back from disk at the end; `site_policy` reads only the files not handed over.
    """

    def __init__(self) -> None:
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self.style_attributes: set[str] = set()
        self.pages: set[str] = set()  # paths in the site folder, e.g. "blog/index.html"

    def add(self, path: str, page: bytes) -> None:
        scripts, styles, attributes = inline_code(page)
        self.scripts |= scripts
        self.styles |= styles
        self.style_attributes |= attributes
        self.pages.add(path)


def site_policy(site_dir: Path, gathered: InlineCode | None = None) -> str:
    """The CSP that allows exactly the inline scripts and styles of every built page.
    Pages in `gathered` are not read again: a page rewritten on disk after it was handed
    over would be missed, and the CSP test in Chromium would report it."""
    code = gathered or InlineCode()
    for page in site_dir.rglob("*.html"):
        path = page.relative_to(site_dir).as_posix()
        if path not in code.pages:
            code.add(path, page.read_bytes())
    return content_security_policy(code.scripts, code.styles, code.style_attributes)


def write_headers_file(site_dir: Path, gathered: InlineCode | None = None) -> Path:
    """Called after every build: writes site/_headers with the policy of the pages just built."""
    csp = site_policy(site_dir, gathered)
    if len("Content-Security-Policy: " + csp) > MAX_HEADER_CHARS:
        from mkdocs.exceptions import PluginError
        raise PluginError(
            f"The Content-Security-Policy has grown to {len(csp)} characters, more than Cloudflare Pages "
            f"reads ({MAX_HEADER_CHARS}). Each redirect in mkdocs.yml and each inline script adds one hash: "
            "remove old redirects or inline code, or serve the policy another way "
            "(see scripts/clinic_site/headers.py).")
    target = site_dir / "_headers"
    target.write_text(headers_file(csp), encoding="utf-8")
    return target


def netlify_rules() -> list[dict]:
    """netlify.toml's [[headers]] tables, as tomllib reads them."""
    return [{"for": path, "values": values} for path, values in rules(csp=None)]


def netlify_toml_headers() -> str:
    """netlify.toml's [[headers]] section, to paste in after changing this file."""
    blocks = []
    for rule in netlify_rules():
        values = "\n".join(f'    {name} = "{value}"' for name, value in rule["values"].items())
        blocks.append(f'[[headers]]\n  for = "{rule["for"]}"\n  [headers.values]\n{values}')
    return "\n\n".join(blocks) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print netlify.toml's [[headers]] section (`clinic headers`)."""
    import argparse
    argparse.ArgumentParser(description=netlify_toml_headers.__doc__).parse_args(argv)
    print(netlify_toml_headers(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
