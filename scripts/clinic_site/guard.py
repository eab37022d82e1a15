"""The guard over everything a build publishes: only the site's own code may run, and nothing may
load from or send a visitor to another host, even where no Content-Security-Policy is sent.

GitHub Pages sends no headers, so the guard is what keeps injected script out. Each published
file a browser could treat as a document is read with a real parser and held to an allowlist
(clinic_site.published: HTML with the HTML5 parsing algorithm, SVG and XML with an XML parser
that refuses entities and external references). On top of the allowlist, `unlisted_code` names
every inline script or style that is not the site's own (`SiteCode`, known from the theme's
templates before any page is read) and every script file the site does not ship. `OutputGuard`
reads every file of a run (clinic_site.postbuild) and names where each finding was written: the
page's source line, else the settings file or other page that holds it.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from clinic_site import published
from clinic_site.problems import Problem


def csp_hash(text: str) -> str:
    """The CSP source expression ("'sha256-<base64>'") for one inline script or style, as
    browsers compute it: over the UTF-8 of the element's text after the HTML parser turned
    CR LF and CR into LF."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalized.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclasses.dataclass(frozen=True)
class SiteCode:
    """The code the site itself ships, known from its templates and settings before any page
    is written: the only code a built page may hold, and what the CSP allows.

    scripts:      texts of inline scripts (Material's start-up partials at each page depth,
                  the redirect pages' script)
    styles:       texts of <style> elements (the clinic's colours)
    script_files: site paths of the script files pages may load ("assets/javascripts/bundle.….min.js")
    root:         the path of site_url ("/" or "/repo/"), for script addresses written from the root
    host:         the host of site_url ("example.org"), "" without one: what is "this site"
    allowed_hosts: other hosts the clinic lets pages load from (allowed_remote_hosts)
    redirects:    the pages the redirects plugin writes, which may refresh to their target
    """

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()
    script_files: frozenset[str] = frozenset()
    root: str = "/"
    host: str = ""
    allowed_hosts: frozenset[str] = frozenset()
    redirects: frozenset[str] = frozenset()


def read(page: str, dest_uri: str, code: SiteCode, tree=None) -> published.Reading:
    """One published document as a browser reads it (HTML, or SVG/XML by its name); `tree`: an
    HTML page already parsed (published.read_html)."""
    if published.kind_of(dest_uri) == "xml":
        return published.read_xml(page, code.host, code.allowed_hosts)
    return published.read_html(page, code.host, code.allowed_hosts, refresh_ok=dest_uri in code.redirects,
                               tree=tree)


def inline_code(page: bytes | str, reading: published.Reading | None = None) -> tuple[set[str], set[str], set[str]]:
    """The (inline scripts, <style> texts, style attributes) of one HTML page: what a CSP would
    have to allow for the page to run as written. Only scripts a browser runs count: data blocks
    (type="application/ld+json", the __config JSON) are not run. Style attributes are not
    collected (the guard refuses every one): the third set is always empty."""
    if reading is None:
        text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
        reading = published.read_html(text, "")
    return set(reading.scripts), set(reading.styles), set()


def unlisted_code(page: str, dest_uri: str, code: SiteCode, reading: published.Reading | None = None
                  ) -> list[tuple[str, str]]:
    """What in one built page (its text, written at `dest_uri` in the site folder, e.g.
    "guide/index.html") may not be published: a list of (what, needle), `what` a short
    description and `needle` a piece of the page's text to find it by in the source (may be
    ""); [] for a page within the allowlist that holds only `code`. Each item stops the build."""
    reading = reading or read(page, dest_uri, code)
    found = list(reading.findings)
    for body in sorted(reading.scripts):
        if body not in code.scripts:
            found.append((f"holds an inline script that is not the site's own ({_short(body)})", body.strip()))
    for body in sorted(reading.styles):
        if body not in code.styles:
            found.append((f"holds an inline <style> that is not the site's own ({_short(body)})", body.strip()))
    for source in reading.script_files:
        if _site_path(source, dest_uri, code.root) not in code.script_files:
            found.append((f"loads a script file the site does not ship ({_short(source)})", source))
    return list(dict.fromkeys(found))


@dataclasses.dataclass
class OutputGuard:
    """Reads every file a build publishes for what may not be published (`unlisted_code`) and
    names where it was written.

    code:    the site's own code (SiteCode), known before any page is written
    sources: the Markdown sources as the stage read them, {src_uri: sources.Source}
    shared:  settings files whose text templates show on many pages, [(path as shown, text)]:
             docs/blog/.authors.yml, clinic.yml and mkdocs.yml
    copied:  files copied as they are, {dest_uri: path as shown ("docs/assets/x.svg")}

    `page` records what one document holds and returns its reading (ids and links for the link
    check); `problems` gives one Problem per finding and the place it was written. `used` is the
    site's own code the pages use (for the CSP).
    """

    code: SiteCode
    sources: dict
    shared: list[tuple[str, str]]
    copied: dict[str, str]
    found: dict[tuple[str, int, str, str], list[str]] = dataclasses.field(default_factory=dict)
    used_scripts: set[str] = dataclasses.field(default_factory=set)
    used_styles: set[str] = dataclasses.field(default_factory=set)
    fixes: dict[str, str] = dataclasses.field(default_factory=dict)   # what: its own fix, where not the usual

    def page(self, dest_uri: str, output: str, src_uri: str | None = None, shown: str | None = None,
             tree=None) -> published.Reading:
        """Read one document as written at `dest_uri` (its Markdown source's `src_uri`, None for a
        page with none; `shown`, a file copied as it is; `tree`, an HTML page already parsed,
        published.read_html). Each finding is named with the page's
        source (its line and front matter field when the needle is found there), else the settings
        file (.authors.yml, clinic.yml, mkdocs.yml) or other page that holds it, `shown`, or the built
        page's path."""
        reading = read(output, dest_uri, self.code, tree)
        self.judge(dest_uri, output, reading, src_uri, shown)
        return reading

    def judge(self, dest_uri: str, output: str, reading: published.Reading, src_uri: str | None = None,
              shown: str | None = None) -> None:
        """Hold one document's `reading` (as `read` gives it for `output`, written at `dest_uri`;
        an earlier run's for exactly this text, postbuild/remembered.py) to the site's own code:
        what it uses is recorded, what it may not hold is noted where it was written (as `page`)."""
        self.used_scripts |= reading.scripts
        self.used_styles |= reading.styles
        source = self.sources.get(src_uri) if src_uri is not None else None
        for what, needle in unlisted_code(output, dest_uri, self.code, reading):
            self.note(dest_uri, what, needle, source, shown, output)

    def refuse(self, dest_uri: str, what: str, shown: str | None = None) -> None:
        """A published file refused whole (an encoding or a kind no page may have)."""
        self.fixes[what] = ("save it as UTF-8, or remove it" if "UTF" in what or "NUL" in what else
                            "remove the file from docs/ (a form to download can be a .pdf; a picture a .png, "
                            ".jpg or .svg)")
        self.found.setdefault((shown or f"site/{dest_uri}", 1, "", what), []).append(dest_uri)

    def custom_domain(self, dest_uri: str, text: str | None, shown: str | None = None) -> None:
        """GitHub Pages' custom domain file (CNAME at the site's root, `text` None when it is not
        UTF-8): GitHub sends every visitor of the site to the domain it names, so it may name only
        the site's own host, the host of site_url (case and a final dot aside), on one line."""
        named = (text or "").strip()
        if text is not None and "\n" not in named and named.lower().rstrip(".") == self.code.host != "":
            return
        what = (f"names the custom domain {named[:60]!r}, not the site's own host {self.code.host or '(none)'!r} "
                "(site_url in mkdocs.yml): GitHub Pages would send every visitor of the site there")
        self.fixes[what] = "write the site's host in it, on one line, as site_url names it; or delete the file"
        self.found.setdefault((shown or f"site/{dest_uri}", 1, "", what), []).append(dest_uri)

    def stylesheet(self, dest_uri: str, text: str, shown: str | None = None) -> None:
        """A published stylesheet: what it loads stays on the site (published.read_css)."""
        for what, needle in published.read_css(text, self.code.host, self.code.allowed_hosts).findings:
            self.note(dest_uri, what, needle, None, shown, text)

    def note(self, dest_uri: str, what: str, needle: str, source, shown: str | None, output: str) -> None:
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

    def flagged(self) -> set[str]:
        """The published files that hold something refused (the preview does not serve them)."""
        return {dest for pages in self.found.values() for dest in pages}

    def problems_for(self, dest_uri: str) -> list[Problem]:
        """The problems found in the file written at `dest_uri`."""
        return [self._problem(place) for place, pages in self.found.items() if dest_uri in pages]

    def problems(self) -> list[Problem]:
        """One Problem per finding and the place it was written, naming the first built page that
        shows it and how many others do (a setting shown on every page gives one)."""
        return [self._problem(place) for place in self.found]

    def _problem(self, place: tuple[str, int, str, str]) -> Problem:
        path, line, field, what = place
        pages = self.found[place]
        first = sorted(pages)[0]
        kind = "built page" if published.kind_of(first) == "html" else "published file"
        others = f" (and {len(pages) - 1} other {kind}s)" if len(pages) > 1 else ""
        return Problem(path, line, field, f"the {kind} {first}{others} {what}", self.fixes.get(
            what, "remove it: pages may hold only text and markup; the site's own scripts and styles are in its "
                  "templates and assets (scripts/clinic_site/published/ lists what a page may hold)"))

    def used(self) -> SiteCode:
        """The site's own code that the pages read so far use: what the CSP lists."""
        return dataclasses.replace(self.code, scripts=self.code.scripts & self.used_scripts,
                                   styles=self.code.styles & self.used_styles)


_BOX_PLACES = (re.compile(r"<article(?=[\s>])[^>]*+>", re.I), re.compile(r"<body(?=[\s>])[^>]*+>", re.I))


def with_problem_box(output: str, box: str) -> str:
    """A written page with the preview's problem `box` (HTML, render.problem_box) at the top of
    its article, or of its body when it has none (the preview only: the build stops instead)."""
    place = next((found for pattern in _BOX_PLACES if (found := pattern.search(output))), None)
    at = place.end() if place else 0
    return output[:at] + box + output[at:]


def located(text: str, needle: str, kind: str = "md") -> tuple[int, str] | None:
    """(line, key or "") where `needle` (or its first line) first shows in a source's text, the
    key being the front matter key (`kind` "md") or the key on that line ("yml", settings
    files); None when it does not show."""
    probe = needle.strip().splitlines()[0][:40] if needle.strip() else ""
    at = text.find(probe) if probe else -1
    if at < 0 and len(probe.split()) > 1:   # Markdown writes a tab of the source as spaces ("java<tab>script:")
        spaced = re.search(r"[ \t]+".join(map(re.escape, probe.split())), text)
        at = spaced.start() if spaced else -1
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


def pages_in(site_dir: Path) -> dict[str, str]:
    """Every document of a built site a browser could run, as {dest_uri: text} (for tools)."""
    return {built.relative_to(site_dir).as_posix(): built.read_text(encoding="utf-8", errors="replace")
            for built in sorted(site_dir.rglob("*")) if built.is_file()
            and published.kind_of(built.name) in ("html", "xml")}
