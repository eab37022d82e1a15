"""The HTTP headers the site is served with (the one list, for every host), and the guard that
keeps built pages to the site's own code.

- `site/_headers` (read from the published folder by Cloudflare Pages and by Netlify) is
  written at the end of every build by `write_headers_file`, called from scripts/hooks/content.py.
  Its Content-Security-Policy lists the sha256 hashes of the site's OWN inline scripts and
  styles only: `site_code` computes them in on_env, before any page is written, by rendering
  the templates that hold them (Material's start-up partials for each page depth, the clinic's
  colours in overrides/main.html, the redirects plugin's pages for the redirect_maps of
  mkdocs.yml). What a page's content says never adds a hash.
- `unlisted_code` reads each built page (on_post_page) and names every piece of code in it
  that is not the site's own: an inline script or style not on that list, a script file the
  site does not ship, an `on...=` attribute, a `style=` attribute, a javascript:/vbscript:/data:
  URL, an SVG animation that sets an href. The build stops on any of them (GitHub Pages sends
  no headers, so there the CSP cannot help): the guard is what keeps injected script out.
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

import base64
import dataclasses
import hashlib
import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

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
    "script-src": ["'self'"],       # + 'sha256-...' of each of the site's inline scripts
    "style-src": ["'self'"],        # + 'sha256-...' of each of its <style>s; no style="" at all
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

# The page is read as text, the way a browser's tokenizer finds these things, but more
# suspiciously: a "<script" anywhere (inside a comment, a <textarea>, an attribute) counts as a
# script. A false alarm stops the build; a missed script would run on GitHub Pages.
_SCRIPT = re.compile(r"<script(?=[\s/>])((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>", re.I)
_SCRIPT_END = re.compile(r"</script[\s/>]", re.I)
_STYLE = re.compile(r"<style(?=[\s/>])(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>", re.I)
_STYLE_END = re.compile(r"</style[\s/>]", re.I)
# A start tag and its attributes; quotes may hold ">". Possessive (*+, ++): no backtracking, so
# an unclosed tag or quote costs one pass, not time exponential in its length.
_TAG = re.compile(r"<([a-zA-Z][^\s/>\"']*+)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# Script elements a browser does not run: data blocks. Any other type counts as a script.
_DATA_TYPES = {"application/ld+json", "application/json"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                   "cite", "longdesc", "usemap", "manifest", "codebase", "archive", "ping", "srcset"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:")
# Tags whose attributes are worth reading: some attribute name starts with one of these
# (after a space, a quote or a slash, as browsers separate attributes). A quick pass that spares
# reading the attributes of most tags (class, id, aria-… only).
_WORTH_READING = re.compile(r"""(?:^|[\s"'/])(?:on|style|attributename|"""
                            + "|".join(sorted(_URL_ATTRIBUTES)) + ")", re.I)
_RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif);")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside and around a scheme


def csp_hash(text: str) -> str:
    """The CSP source expression ("'sha256-<base64>'") for one inline script or style, as
    browsers compute it: over the UTF-8 of the element's text after the HTML parser turned
    CR LF and CR into LF."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalized.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _attributes(raw: str) -> dict[str, str]:
    """A tag's attributes as {lower-case name: value with character references decoded};
    when a name repeats, the first wins, as in browsers."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(raw):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


def _elements(page: str, opening: re.Pattern, closing: re.Pattern) -> list[tuple[dict[str, str], str]]:
    """Every (attributes, text) of one raw-text element; an element never closed runs to the end."""
    found = []
    for start in opening.finditer(page):
        end = closing.search(page, start.end())
        found.append((_attributes(start.group(1) if opening.groups else ""),
                      page[start.end():end.start() if end else len(page)]))
    return found


def _scripts(page: str) -> list[tuple[dict[str, str], str]]:
    """Every script element a browser would run: (attributes, text). Data blocks left out."""
    return [(attributes, body) for attributes, body in _elements(page, _SCRIPT, _SCRIPT_END)
            if attributes.get("type", "").strip().lower() not in _DATA_TYPES]


def inline_code(page: bytes) -> tuple[set[str], set[str], set[str]]:
    """The (inline scripts, <style> texts, style attributes) of one HTML page: what a CSP would
    have to allow for the page to run as written.

    Only scripts a browser runs count: data blocks (type="application/ld+json", the
    __config JSON) are not run, so a CSP does not apply to them. A script with a src or an
    href (SVG) is a file, not inline code.
    """
    text = page.decode("utf-8", errors="replace")
    scripts = {body for attributes, body in _scripts(text) if not ({"src", "href", "xlink:href"} & set(attributes))}
    styles = {body for _, body in _elements(text, _STYLE, _STYLE_END)}
    style_attributes = {attributes["style"] for _, raw in _TAG.findall(text)
                        if "style" in raw.lower() and "style" in (attributes := _attributes(raw))}
    return scripts, styles, style_attributes


@dataclasses.dataclass(frozen=True)
class SiteCode:
    """The code the site itself ships, known from its templates and settings before any page
    is written: the only code a built page may hold, and what the CSP allows.

    scripts:      texts of inline scripts (Material's start-up partials at each page depth,
                  the redirect pages' script)
    styles:       texts of <style> elements (the clinic's colours)
    script_files: site paths of the script files pages may load ("assets/javascripts/bundle.….min.js")
    root:         the path of site_url ("/" or "/repo/"), for script addresses written from the root
    """

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()
    script_files: frozenset[str] = frozenset()
    root: str = "/"


# The template blocks and partials that hold the site's own inline code: (template, block or
# None for the whole file). A new inline script or style in a template goes here, or the
# build stops on every page that shows it.
THEME_CODE = [
    ("partials/javascripts/base.html", None),      # __md_scope, __md_get, … (differs with depth)
    ("partials/javascripts/content.html", None),   # content tabs
    ("partials/javascripts/palette.html", None),
    ("partials/javascripts/consent.html", None),
    ("partials/javascripts/announce.html", None),
    ("partials/javascripts/outdated.html", None),
    ("main.html", "extrahead"),                     # the clinic's colours (overrides/main.html)
    ("main.html", "fonts"),                         # Material's font <style>, when fonts are on
]
# Where a template opens a script or a style: a rendered template holding more of these than its
# source does got one from a value it shows.
_CODE_OPENING = re.compile(r"<(?:script|style)(?=[\s/>])", re.I)
# Script files the project's templates load with `{{ 'path.js' | url }}` (overrides/finder.html).
_TEMPLATE_SCRIPT = re.compile(r"""['"]([^'"\s]+\.js)['"]\s*\|\s*url""")


def site_code(env, config, files) -> SiteCode:
    """The site's own code (a SiteCode), from the theme's Jinja environment `env`, the MkDocs
    `config` and the build's `files`, as on_env has them.

    Inline code comes from rendering each entry of THEME_CODE for every base_url a page of
    this site can have ("." and one "../" per folder level of its deepest page, and site_url's
    path for the 404 page), and from the redirects plugin's own page template for each of
    mkdocs.yml's redirect_maps. Script files are the theme's .js files, extra_javascript, and
    .js files the project's templates load. Values from mkdocs.yml that reach this code
    (colours, redirect targets) are checked where they are read (clinic_settings, the
    redirect targets' slugs); should one still open a <script> or <style> of its own in a
    rendered template, this raises PluginError instead of listing it.
    """
    root = urlsplit(config.site_url or "/").path or "/"
    depth = max((file.dest_uri.count("/") for file in files), default=0)
    base_urls = [root, "."] + ["/".join([".."] * level) for level in range(1, depth + 1)]
    scripts: set[str] = set()
    styles: set[str] = set()
    context = {"config": config, "features": config.theme.get("features") or [], "page": None,
               "structured_data": [], "lang": env.globals.get("lang")}
    for name, block in THEME_CODE:
        try:
            template = env.get_template(name)
        except Exception:  # noqa: BLE001 - a partial this Material version lacks: none of its code
            continue
        if block is not None and block not in template.blocks:
            continue
        written = len(_CODE_OPENING.findall(env.loader.get_source(env, name)[0]))
        for base_url in base_urls:
            variables = {**context, "base_url": base_url}
            if block is None:
                rendered = template.render(variables)
            else:
                rendered = "".join(template.blocks[block](template.new_context(variables)))
            if len(_CODE_OPENING.findall(rendered)) > written:
                from mkdocs.exceptions import PluginError
                raise PluginError(f"A setting in mkdocs.yml shown by the template {name} opens a <script> or <style> "
                                  "of its own (a value holding '</style>' or '<script>'): correct the setting; "
                                  "colours are written as #1f5f7a.")
            found_scripts, found_styles, _ = inline_code(rendered.encode("utf-8"))
            scripts |= found_scripts
            styles |= found_styles
    scripts |= _redirect_scripts(config)
    script_files = {file.src_uri for file in files if file.src_uri.endswith(".js") and _in_theme(file, config)}
    script_files |= {str(path).lstrip("/") for path in config.extra_javascript}
    for folder in config.theme.dirs:
        if config.theme.custom_dir and Path(folder) == Path(config.theme.custom_dir):
            for template_file in Path(folder).rglob("*.html"):
                script_files |= set(_TEMPLATE_SCRIPT.findall(template_file.read_text(encoding="utf-8")))
    return SiteCode(frozenset(scripts), frozenset(styles), frozenset(script_files), root)


def _in_theme(file, config) -> bool:
    source = Path(file.abs_src_path or "")
    return any(source.is_relative_to(folder) for folder in config.theme.dirs)


def _redirect_scripts(config) -> set[str]:
    """The inline script of each redirect page the mkdocs-redirects plugin will write."""
    scripts: set[str] = set()
    for page in redirect_pages(config).values():
        scripts |= inline_code(page.encode("utf-8"))[0]
    return scripts


def redirect_pages(config) -> dict[str, str]:
    """The pages the mkdocs-redirects plugin (1.2) will write in on_post_build, {dest_uri: HTML},
    made with its own template and path functions; {} without the plugin or before its on_files.
    Its targets are put into the template unescaped: mkdocs.yml's redirect_maps are checked
    first (content_rules.redirect_problems)."""
    plugin = config.plugins.get("redirects")
    if plugin is None or not hasattr(plugin, "doc_pages"):
        return {}
    from mkdocs_redirects import plugin as redirects

    pages: dict[str, str] = {}
    for old, new in plugin.redirects.items():
        target, fragment = redirects._split_hash_fragment(str(new))
        if str(new).lower().startswith(("http://", "https://")):
            url = str(new)
        elif target in plugin.doc_pages:
            url = redirects.get_relative_html_path(old, plugin.doc_pages[target].url + fragment,
                                                   config.use_directory_urls)
        else:
            continue
        dest = redirects.get_html_path(old, config.use_directory_urls)
        pages[dest] = redirects.HTML_TEMPLATE.format(url=url)
    return pages


def unlisted_code(page: str, dest_uri: str, code: SiteCode) -> list[tuple[str, str]]:
    """What in one built page (its HTML text, written at `dest_uri` in the site folder, e.g.
    "guide/index.html") is code the site does not ship: a list of (what, needle), `what` a short
    description and `needle` a piece of the page's text to find it by in the source (may be
    ""); [] for a page that holds only `code`. Each item stops the build (scripts/hooks/content.py).
    """
    found: list[tuple[str, str]] = []
    for attributes, body in _scripts(page):
        source = attributes.get("src") or attributes.get("href") or attributes.get("xlink:href")
        if source is not None:
            if _site_path(source, dest_uri, code.root) not in code.script_files:
                found.append((f"loads a script file the site does not ship ({_short(source)})", source))
        elif body not in code.scripts:
            found.append((f"holds an inline script that is not the site's own ({_short(body)})", body.strip()))
    for _, body in _elements(page, _STYLE, _STYLE_END):
        if body not in code.styles:
            found.append((f"holds an inline <style> that is not the site's own ({_short(body)})", body.strip()))
    for tag, raw in _TAG.findall(page):
        if tag.lower() in {"iframe", "frame", "object", "embed", "base", "applet"}:
            found.append((f"has an <{tag}> element", tag))
        if not _WORTH_READING.search(raw):  # most tags: class, id, aria-… only
            continue
        attributes = _attributes(raw)
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append((f"has an event handler attribute <{tag} {name}=…> that would run script", value or name))
            elif name == "style":
                found.append((f"has a style attribute <{tag} style=\"{_short(value)}\">, which the policy blocks",
                              value))
            elif name in _URL_ATTRIBUTES and _is_script_url(value, tag):
                found.append((f"has a script URL in <{tag} {name}=\"{_short(value)}\">", value))
        if tag.lower() in {"animate", "set", "animatemotion", "animatetransform"} and \
                attributes.get("attributename", "").lower() in {"href", "xlink:href"}:
            found.append((f"has an SVG <{tag}> that sets an href (a way to give a link a script URL)", tag))
    return list(dict.fromkeys(found))


@dataclasses.dataclass
class OutputGuard:
    """Reads every page a build writes (or that `clinic check` renders without writing) for code
    that is not the site's own (`unlisted_code`) and names where it was written.

    code:    the site's own code (site_code), known before any page is written
    sources: the Markdown sources read in on_files, {src_uri: sources.Source}
    shared:  settings files whose text templates show on many pages, [(path as shown, text)]:
             docs/blog/.authors.yml and mkdocs.yml
    copied:  files copied as they are, {dest_uri: path as shown ("docs/assets/x.svg")}

    `page` records what one page holds; `problems` gives one Problem per piece of foreign code
    and the place it was written. `used` is the site's own code the pages use (for the CSP).
    The MkDocs adapter is scripts/hooks/content.py; `clinic check` calls the same events.
    """

    code: SiteCode
    sources: dict
    shared: list[tuple[str, str]]
    copied: dict[str, str]
    written: set[str] = dataclasses.field(default_factory=set)
    found: dict[tuple[str, int, str, str], list[str]] = dataclasses.field(default_factory=dict)
    used_scripts: set[str] = dataclasses.field(default_factory=set)
    used_styles: set[str] = dataclasses.field(default_factory=set)

    def page(self, dest_uri: str, output: str, src_uri: str | None = None, shown: str | None = None) -> list[Problem]:
        """Read one page as written at `dest_uri` (its Markdown source's `src_uri`, None for a
        page with none; `shown`, a file copied as it is). Each piece of foreign code is named
        with the page's source (its line and front matter field when the code's text is found
        there), else the settings file (.authors.yml, mkdocs.yml) or other page that holds it,
        `shown`, or the built page's path. Returns this page's Problems (also kept for `problems`)."""
        self.written.add(dest_uri)
        scripts, styles, _ = inline_code(output.encode("utf-8", errors="replace"))
        self.used_scripts |= scripts
        self.used_styles |= styles
        found = unlisted_code(output, dest_uri, self.code)
        source = self.sources.get(src_uri) if src_uri is not None else None
        places = []
        for what, needle in found:
            path, line, field = shown or f"site/{dest_uri}", 1, ""
            if source is not None:
                path = source.path
            if shown is not None:  # a file copied as it is: its own source
                candidates = [(shown, output)]
            else:  # the page's source, then the settings files, then the other pages (a page shows their titles)
                candidates = [(source.path, source.text)] if source is not None else []
                candidates += self.shared + [(other.path, other.text) for other in self.sources.values()
                                             if other is not source]
            for candidate, text in candidates:
                where = located(text, needle, candidate.rsplit(".", 1)[-1])
                if where is not None:
                    path, (line, field) = candidate, where
                    break
            self.found.setdefault((path, line, field, what), []).append(dest_uri)
            places.append((path, line, field, what))
        return [self._problem(place) for place in dict.fromkeys(places)]

    def unwritten(self, pages: dict[str, str]) -> None:
        """Read the pages {dest_uri: HTML text} that were not handed over as they were written:
        the redirects plugin's pages, and .html and .svg files copied from docs/ (an SVG opened
        by itself runs its scripts)."""
        for dest_uri, text in sorted(pages.items()):
            if dest_uri not in self.written:
                self.page(dest_uri, text, shown=self.copied.get(dest_uri))

    def problems(self) -> list[Problem]:
        """One Problem per piece of foreign code and the place it was written, naming the first
        built page that shows it and how many others do (a setting shown on every page gives one)."""
        return [self._problem(place) for place in self.found]

    def _problem(self, place: tuple[str, int, str, str]) -> Problem:
        path, line, field, what = place
        pages = self.found[place]
        others = f" (and {len(pages) - 1} other built pages)" if len(pages) > 1 else ""
        return Problem(path, line, field, f"the built page {sorted(pages)[0]}{others} {what}",
                       "remove it: pages may hold only text and markup; the site's own scripts and styles "
                       "are in its templates and assets (scripts/clinic_site/headers.py, THEME_CODE)")

    def used(self) -> SiteCode:
        """The site's own code that the pages read so far use: what the CSP lists."""
        return dataclasses.replace(self.code, scripts=self.code.scripts & self.used_scripts,
                                   styles=self.code.styles & self.used_styles)


_BOX_PLACES = (re.compile(r"<article(?=[\s>])[^>]*+>", re.I), re.compile(r"<body(?=[\s>])[^>]*+>", re.I))


def with_problem_box(output: str, box: str) -> str:
    """A written page with the preview's problem `box` (HTML, problems.problem_box) at the top of
    its article, or of its body when it has none (mkdocs serve only: the build stops instead)."""
    place = next((found for pattern in _BOX_PLACES if (found := pattern.search(output))), None)
    at = place.end() if place else 0
    return output[:at] + box + output[at:]


def pages_in(site_dir: Path) -> dict[str, str]:
    """Every .html and .svg file of a built site as {dest_uri: text}."""
    return {built.relative_to(site_dir).as_posix(): built.read_text(encoding="utf-8", errors="replace")
            for built in sorted([*site_dir.rglob("*.html"), *site_dir.rglob("*.svg")])}


def located(text: str, needle: str, kind: str = "md") -> tuple[int, str] | None:
    """(line, key or "") where `needle` (or its first line) first shows in a source's text, the
    key being the front matter key (`kind` "md") or the key on that line ("yml", settings
    files); None when it does not show."""
    probe = needle.strip().splitlines()[0][:40] if needle.strip() else ""
    at = text.find(probe) if probe else -1
    if at < 0:
        return None
    line = text.count("\n", 0, at) + 1
    lines = text.splitlines()
    if kind in ("yml", "yaml"):
        key = lines[line - 1].split(":", 1)[0].strip()
        return line, key if key and ":" in lines[line - 1] and key.replace("-", "_").isidentifier() else ""
    closing = next((number for number, item in enumerate(lines[1:], start=2) if item.strip() == "---"), 0) \
        if lines and lines[0].strip() == "---" else 0
    if 1 < line < closing:
        for number in range(line, 1, -1):
            key = lines[number - 1].split(":", 1)[0]
            if key and not key[0].isspace() and ":" in lines[number - 1]:
                return line, key.strip()
    return line, ""


def _is_script_url(value: str, tag: str) -> bool:
    """True for a URL a browser would run as script or open as a page of its own."""
    url = _IGNORED_IN_URLS.sub("", value).lower()
    candidates = [part.split()[0] for part in url.split(",") if part.split()] if "," in url else [url]
    for candidate in candidates:
        if candidate.startswith(_SCRIPT_SCHEMES):
            return True
        if candidate.startswith("data:") and not (tag.lower() in {"img", "source"} and _RASTER_DATA.match(candidate)):
            return True
    return False


def _site_path(address: str, dest_uri: str, root: str) -> str | None:
    """The path in the site folder that `address`, written in the page at `dest_uri`, loads;
    None for another host."""
    parts = urlsplit(address.strip())
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith("/"):
        if not parts.path.startswith(root):
            return None
        return posixpath.normpath(parts.path[len(root):])
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest_uri), parts.path))


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


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


def write_headers_file(site_dir: Path, code: SiteCode) -> Path:
    """Called after every build: writes site/_headers with the policy for the site's own `code`.
    Raises PluginError when the CSP line is longer than Cloudflare Pages reads."""
    csp = site_policy(code)
    if len("Content-Security-Policy: " + csp) > MAX_HEADER_CHARS:
        from mkdocs.exceptions import PluginError
        raise PluginError(
            f"The Content-Security-Policy has grown to {len(csp)} characters, more than Cloudflare Pages "
            f"reads ({MAX_HEADER_CHARS}). Each redirect in mkdocs.yml and each page depth adds one hash: "
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
