"""The HTTP headers the site is served with: the one list, for every host.

- `site/_headers` (read from the published folder by Cloudflare Pages and by Netlify) is
  written at the end of every build by `write_headers_file` (clinic_site.postbuild). Its
  Content-Security-Policy lists the sha256 hashes of the site's OWN inline scripts and styles
  only: the theme's code (clinic_site.guard.SiteCode, from the engine's templates) that pages
  use. What a page's content says never adds a hash: the guard stops the build on any code that
  is not the site's own (clinic_site.guard).
- `netlify.toml` repeats the same rules without the CSP (`netlify_rules`); a test checks the
  committed file matches. It must not carry the CSP: on Netlify netlify.toml wins over
  `_headers` for the same path and header, and the hashes follow the templates and mkdocs.yml.
- GitHub Pages cannot send headers at all: there the site runs without them.

Rules never set the same header twice for one address: Cloudflare joins such values with a
comma, which breaks single-valued headers like Cache-Control. So `/*` sets no Cache-Control,
and HTML keeps the hosts' default (Cloudflare and Netlify: `public, max-age=0, must-revalidate`,
that is: check with the server before every use).

Run `python scripts/clinic_site/headers.py` to print netlify.toml's [[headers]] after editing this file.
"""
from __future__ import annotations

import re
from pathlib import Path

from clinic_site.guard import SiteCode, csp_hash
from clinic_site.problems import Problem

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

# Content-Security-Policy: everything from this site only, nothing inline but the site's own
# scripts and styles (their hashes are added at build time from its templates: site_code).
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],        # + 'sha256-...' of each of the site's inline scripts; no WebAssembly
    "style-src": ["'self'"],        # + 'sha256-...' of each of its <style>s; no style="" at all
    "img-src": ["'self'", "data:"],  # Material's icons are data: SVGs in its CSS
    "font-src": ["'self'"],
    "connect-src": ["'self'"],      # the search's index (search-index/), the therapist finder's ZIP shards
    "worker-src": ["'none'"],     # no page starts a worker
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
    "/search-index/index.json": REVALIDATE,   # the site search's list of shards: a fixed name
    "/search-index/terms/*": IMMUTABLE,       # its shards and page files: named by a hash of the index
    "/search-index/pages/*": IMMUTABLE,
    "/therapists/zip/*": REVALIDATE,    # the finder's ZIP shards
    "/sitemap.xml": REVALIDATE,
    "/sitemap.xml.gz": REVALIDATE,
    "/feed_*": REVALIDATE,              # RSS and JSON feeds
}

# Cloudflare Pages reads at most this many characters of one header line.
MAX_HEADER_CHARS = 2000

def content_security_policy(scripts=(), styles=(), style_attributes=()) -> str:
    """The Content-Security-Policy value: CSP_DIRECTIVES plus one hash per inline script and
    style given (in practice a SiteCode's). Style attributes, if any were given, are allowed one
    by one ('unsafe-hashes', CSP level 3); the site gives none."""
    directives = {name: list(values) for name, values in CSP_DIRECTIVES.items()}
    directives["script-src"] += sorted({csp_hash(s) for s in scripts})
    directives["style-src"] += sorted({csp_hash(s) for s in styles})
    if style_attributes:
        directives["style-src"] += ["'unsafe-hashes'"] + sorted({csp_hash(s) for s in style_attributes})
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def site_policy(code: SiteCode) -> str:
    """The CSP of a site whose own code is `code`: its inline scripts and styles, nothing else."""
    return content_security_policy(code.scripts, code.styles)


def rules(csp: str | None, csp_paths: list[str] | None = None) -> list[tuple[str, dict[str, str]]]:
    """Every rule as (path pattern, headers); with `csp=None`, the rules without the CSP. The
    CSP goes with the other security headers on `/*`, or, given `csp_paths`, on each of those
    patterns alone (when a folder of the site has a policy of its own: see `csp_paths`)."""
    everywhere = dict(SECURITY_HEADERS)
    own = []
    if csp is not None and csp_paths is None:
        everywhere = {"Content-Security-Policy": csp, **everywhere}
    elif csp is not None:
        own = [(path, {"Content-Security-Policy": csp}) for path in csp_paths or []]
    return [("/*", everywhere)] + own + [(path, {"Cache-Control": value}) for path, value in CACHE_RULES.items()]


# The editor at /admin/ (clinic_site.editor) has a policy of its own, which a page of the site
# must never get. A request that matches two rules gets both rules' headers (Cloudflare Pages and
# Netlify alike), and two policies are both enforced, the stricter winning: the site's would stop
# the editor. Only Cloudflare can take a header away again (`! Name`); Netlify cannot. So with an
# editor, no rule gives the site's policy to every address (`/*`): one rule per entry at the top
# of the site folder does, admin/ left out (csp_paths), and no address ever gets two policies.
ADMIN_PATH = "/admin/*"
ADMIN_FOLDER = ADMIN_PATH.strip("/*")
MAX_RULES = 100   # Cloudflare Pages reads at most 100 rules of a _headers file
# Characters a _headers path pattern reads as more than themselves: `*` a splat, `:name` a
# placeholder (one segment: "/:lang/*" would also match /admin/), a space or control character ends
# or breaks the line, `%` an escape the host may decode first, `!`, `?`, `#` and `\` the hosts read
# differently. A top-level name with one cannot be written as a rule for itself alone.
PATTERN_CHARACTERS = re.compile(r"[*:%!?#\\\s\x00-\x1f\x7f]")


def unwritable_names(site_dir: Path) -> list[str]:
    """The names at the top of the site that would get a rule of their own (csp_paths) but hold a
    character a rule pattern gives a meaning to (PATTERN_CHARACTERS)."""
    named = {path[1:].removesuffix("/*") for path in csp_paths(site_dir)[1:]}
    return sorted(entry.name for entry in site_dir.iterdir()
                  if entry.name in named and PATTERN_CHARACTERS.search(entry.name))


def csp_paths(site_dir: Path) -> list[str]:
    """The path patterns that carry the site's policy when the editor has its own: the root
    ("/"), each top-level file (a page, a feed, a sitemap, a data file the theme fetches:
    "/404.html"; a page also without .html, "/404", where Cloudflare Pages and Netlify's pretty
    URLs serve it), and each top-level folder ("/guide/*"), except the editor's admin/. An address
    no entry names (a missing page, answered with 404.html) gets no policy; every page is safe
    without one (clinic_site.guard)."""
    found = ["/"]
    for entry in sorted(site_dir.iterdir(), key=lambda path: path.name):
        if entry.is_dir() and entry.name != ADMIN_FOLDER:
            found.append(f"/{entry.name}/*")
        elif entry.is_file() and entry.name != "_headers":
            found.append(f"/{entry.name}")
            stem, dot, suffix = entry.name.rpartition(".")   # CNAME has no suffix
            if dot and suffix.lower() == "html" and stem != "index":   # served at /404 too (pretty URLs)
                found.append(f"/{stem}")
    return found


def headers_file(csp: str, admin_csp: str | None = None, paths: list[str] | None = None) -> str:
    """The text of a Cloudflare Pages / Netlify `_headers` file: the site's policy `csp` on every
    address, or only on `paths` (csp_paths) when `admin_csp`, the editor's policy, is for /admin/."""
    lines = ["# Generated at build time by scripts/clinic_site/headers.py (clinic_site.postbuild).",
             "# Do not edit here: edit scripts/clinic_site/headers.py and build again."]
    for path, values in rules(csp, paths if admin_csp is not None else None):
        lines += ["", path] + [f"  {name}: {value}" for name, value in values.items()]
    if admin_csp is not None:
        lines += ["", ADMIN_PATH, f"  Content-Security-Policy: {admin_csp}", "  X-Robots-Tag: noindex",
                  "  Cache-Control: no-cache"]
    return "\n".join(lines) + "\n"


def write_headers_file(site_dir: Path, code: SiteCode, config_shown: str = "mkdocs.yml",
                       admin_csp: str | None = None, docs_shown: str = "docs") -> list[Problem]:
    """Called after every build: writes site/_headers with the policy for the site's own `code`
    (and the editor's, `admin_csp`, for /admin/). Returns a problem (and writes nothing) when
    the CSP line is longer than Cloudflare Pages reads, the rules more than it reads, or (with the
    editor) a name at the top of the site cannot be written as a rule of its own (`docs_shown`: the
    docs folder as staff see it, where such a folder or page comes from)."""
    csp = site_policy(code)
    if len("Content-Security-Policy: " + csp) > MAX_HEADER_CHARS:
        return [Problem(config_shown, 1, "", f"the Content-Security-Policy has grown to {len(csp)} characters, more "
                        f"than Cloudflare Pages reads ({MAX_HEADER_CHARS}): each redirect and each page depth adds "
                        "one hash", "remove old redirects or inline code, or serve the policy another way "
                        "(see scripts/clinic_site/headers.py)")]
    paths = csp_paths(site_dir) if admin_csp is not None else None
    odd = unwritable_names(site_dir) if admin_csp is not None else []
    if odd:
        return [Problem(f"{docs_shown}/{name}", 1, "",
                        f"the name {name!r} at the top of the site holds a character (* : % ! ? # \\ or a space) "
                        "that the host's _headers rules read as a pattern: its rule would also match the editor's "
                        "/admin/ (two policies) or miss its own pages", "rename the folder or page with letters, "
                        "digits, '-', '_', '.' and '~' only (then fix the links to it), or switch the editor off "
                        "(`editor: false` under `extra:` in mkdocs.yml)") for name in odd]
    text = headers_file(csp, admin_csp, paths)
    count = sum(1 for line in text.splitlines() if line.startswith("/"))
    if count > MAX_RULES:
        return [Problem(config_shown, 1, "", f"site/_headers would need {count} rules, more than Cloudflare Pages "
                        f"reads ({MAX_RULES}): with the editor at /admin/, the site's policy takes one rule for each "
                        "folder and page at the top of the site, and there are too many",
                        "move old pages or redirects into folders, or switch the editor off (`editor: false` under "
                        "`extra:` in mkdocs.yml)")]
    (site_dir / "_headers").write_text(text, encoding="utf-8")
    return []


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
