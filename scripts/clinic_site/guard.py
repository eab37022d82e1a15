"""The guard over every page a build writes: only the site's own code may run in it.

GitHub Pages sends no headers, so a Content-Security-Policy cannot be relied on: the guard is
what keeps injected script out. `unlisted_code` names every piece of code in a built page that
is not the site's own (`SiteCode`, known from the theme's templates before any page is read):
an inline script or style not on that list, a script file the site does not ship, an `on...=`
attribute, a `style=` attribute, a javascript:/vbscript:/data: URL, an SVG animation that sets an
href. `OutputGuard` reads every page of a run (clinic_site.postbuild) and names where each piece
was written: the page's source line, else the settings file or other page that holds it.
"""
from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from clinic_site.problems import Problem

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


@dataclasses.dataclass(frozen=True)
class Scan:
    """One page read once: its script elements a browser runs (attributes, text), its <style>
    texts, and its distinct start tags (name, attributes as written)."""

    scripts: list[tuple[dict[str, str], str]]
    styles: list[str]
    tags: list[tuple[str, str]]

    @classmethod
    def of(cls, page: str) -> Scan:
        return cls(_scripts(page), [body for _, body in _elements(page, _STYLE, _STYLE_END)],
                   list(dict.fromkeys(_TAG.findall(page))))


def inline_code(page: bytes | str, scan: Scan | None = None) -> tuple[set[str], set[str], set[str]]:
    """The (inline scripts, <style> texts, style attributes) of one HTML page: what a CSP would
    have to allow for the page to run as written.

    Only scripts a browser runs count: data blocks (type="application/ld+json", the
    __config JSON) are not run, so a CSP does not apply to them. A script with a src or an
    href (SVG) is a file, not inline code.
    """
    if scan is None:
        scan = Scan.of(page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page)
    scripts = {body for attributes, body in scan.scripts if not ({"src", "href", "xlink:href"} & set(attributes))}
    style_attributes = {attributes["style"] for _, raw in scan.tags
                        if "style" in raw.lower() and "style" in (attributes := _attributes(raw))}
    return scripts, set(scan.styles), style_attributes


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


def unlisted_code(page: str, dest_uri: str, code: SiteCode, scan: Scan | None = None) -> list[tuple[str, str]]:
    """What in one built page (its HTML text, written at `dest_uri` in the site folder, e.g.
    "guide/index.html") is code the site does not ship: a list of (what, needle), `what` a short
    description and `needle` a piece of the page's text to find it by in the source (may be
    ""); [] for a page that holds only `code`. Each item stops the build (clinic_site.postbuild).
    """
    scan = scan or Scan.of(page)
    found: list[tuple[str, str]] = []
    for attributes, body in scan.scripts:
        source = attributes.get("src") or attributes.get("href") or attributes.get("xlink:href")
        if source is not None:
            if _site_path(source, dest_uri, code.root) not in code.script_files:
                found.append((f"loads a script file the site does not ship ({_short(source)})", source))
        elif body not in code.scripts:
            found.append((f"holds an inline script that is not the site's own ({_short(body)})", body.strip()))
    for body in scan.styles:
        if body not in code.styles:
            found.append((f"holds an inline <style> that is not the site's own ({_short(body)})", body.strip()))
    for tag, raw in scan.tags:
        found += _tag_findings(tag, raw)
    return list(dict.fromkeys(found))


@functools.lru_cache(maxsize=1 << 16)
def _tag_findings(tag: str, raw: str) -> tuple[tuple[str, str], ...]:
    """What one start tag (its name and the text of its attributes) holds that could run script.
    Cached: the menu, header and footer repeat the same tags on every page of a site."""
    found: list[tuple[str, str]] = []
    if tag.lower() in {"iframe", "frame", "object", "embed", "base", "applet"}:
        found.append((f"has an <{tag}> element", tag))
    if not _WORTH_READING.search(raw):  # most tags: class, id, aria-… only
        return tuple(found)
    attributes = _attributes(raw)
    for name, value in attributes.items():
        if name.startswith("on"):
            found.append((f"has an event handler attribute <{tag} {name}=…> that would run script", value or name))
        elif name == "style":
            found.append((f"has a style attribute <{tag} style=\"{_short(value)}\">, which the policy blocks", value))
        elif name in _URL_ATTRIBUTES and _is_script_url(value, tag):
            found.append((f"has a script URL in <{tag} {name}=\"{_short(value)}\">", value))
    if tag.lower() in {"animate", "set", "animatemotion", "animatetransform"} and \
            attributes.get("attributename", "").lower() in {"href", "xlink:href"}:
        found.append((f"has an SVG <{tag}> that sets an href (a way to give a link a script URL)", tag))
    return tuple(found)


@dataclasses.dataclass
class OutputGuard:
    """Reads every page a build writes (or that `clinic check` renders without writing) for code
    that is not the site's own (`unlisted_code`) and names where it was written.

    code:    the site's own code (site_code), known before any page is written
    sources: the Markdown sources read in on_files, {src_uri: sources.Source}
    shared:  settings files whose text templates show on many pages, [(path as shown, text)]:
             docs/blog/.authors.yml, clinic.yml and mkdocs.yml
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
        there), else the settings file (.authors.yml, clinic.yml, mkdocs.yml) or other page that holds it,
        `shown`, or the built page's path. Returns this page's Problems (also kept for `problems`)."""
        self.written.add(dest_uri)
        scan = Scan.of(output)
        scripts, styles, _ = inline_code(output, scan)
        self.used_scripts |= scripts
        self.used_styles |= styles
        found = unlisted_code(output, dest_uri, self.code, scan)
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

