"""Check every internal link and anchor of a built site, straight from its files.

    .venv/bin/python scripts/clinic_site/check_links.py site/
    .venv/bin/python scripts/clinic_site/check_links.py site/ --site-url https://example.org/clinic/

Reads each HTML file once, collects its ids (id= on any element, name= on <a>) and
its references (a/link href, img/script/source src, img/source srcset, and the URL
of a <meta http-equiv="refresh"> redirect), then checks that every internal
reference names a file that exists and, when it has a #fragment, an id on that
page. Prints one line per problem and exits 1 if there are any:

    blog/index.html: broken link '../guide/x/' (no such file)
    blog/index.html: broken link '../guide/#y' (no anchor #y)

What counts as internal: relative paths and #fragments; root-absolute paths
(/assets/x.css), read under the site_url's path (a site published at
https://host/clinic/ has /clinic/assets/x.css); and absolute URLs that start with
the site_url. Links to other hosts and data: or other schemes are not checked
(linkchecker's crawl covers what a server does with them); a mailto: must name
email addresses and a tel: a phone number; a javascript: URL is reported. Links an
author marked as leaving the site (rel="nofollow" or rel="external", as the therapist
listings' web sites are) are skipped even when
they share the site's host, since example hosts may be both.

A directory URL (blog/, or blog when blog/ is a folder) means its index.html.
Without --site-url, the site_url is read from the home page's canonical link.
Thousands of pages take seconds: one regex pass per file, one walk of the folder.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import html
import os
import posixpath
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

# One pass over a page: comments and script/style bodies are skipped whole (their
# text is not markup), every other start tag is kept with its attributes.
# One pass over a page: comments and script/style bodies are skipped whole (their
# text is not markup), every other start tag is kept with its attributes.
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(script|style)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>.*?</\1\s*>"
    r"|<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S | re.I,
)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_REFERENCING = {"a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
                "source": ("src", "srcset"), "meta": ("content",)}
_REFRESH_URL = re.compile(r"^\s*\d*\s*;?\s*url\s*=\s*['\"]?([^'\"]*)", re.I)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SKIP_REL = {"nofollow", "external"}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9().\- ]{2,}(?:;ext=[0-9]+)?$")  # RFC 3966: an extension is ";ext=204"


def _mail_addresses(ref: str) -> list[str]:
    """The addresses of a mailto: URL ('mailto:a@x.org,b@y.org?subject=...')."""
    addresses = unquote(urlsplit(ref).path)
    return [address.strip() for address in addresses.split(",")] if addresses.strip() else [""]


@dataclasses.dataclass
class Page:
    ids: set[str] = dataclasses.field(default_factory=set)
    refs: list[str] = dataclasses.field(default_factory=list)
    repeated: set[str] = dataclasses.field(default_factory=set)   # id= values given to more than one element


@functools.lru_cache(maxsize=1 << 16)
def _attributes(text: str) -> dict[str, str]:
    """A tag's attributes, {lower-case name: value with character references decoded}. Cached:
    the menu and footer repeat the same tags on every page (callers only read the result)."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTR.findall(text):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


def parse_page(text: str) -> Page:
    """The ids and the references of one HTML page (and the ids it gives twice)."""
    page = Page()
    seen: set[str] = set()
    for script_tag, script_raw, tag, raw in _TOKEN.findall(text):
        tag, raw = (script_tag, script_raw) if script_tag else (tag, raw)
        if raw and ("id" in raw or tag.lower() in _REFERENCING):
            element_id, names, refs = _tag_effect(tag.lower(), raw)
            if element_id:
                if element_id in seen:
                    page.repeated.add(element_id)
                seen.add(element_id)
                page.ids.add(element_id)
            page.ids.update(names)
            page.refs += refs
    return page


@functools.lru_cache(maxsize=1 << 16)
def _tag_effect(tag: str, raw: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(id, other names, references) of one start tag: its id ("" without one), an <a>'s name,
    and what it links or loads. Cached: the menu, header and footer repeat the same tags on every page."""
    attrs = _attributes(raw)
    element_id = attrs.get("id") or ""
    ids = (attrs["name"],) if tag == "a" and attrs.get("name") else ()
    if tag not in _REFERENCING:
        return element_id, ids, ()
    if tag == "meta":
        is_refresh = attrs.get("http-equiv", "").lower() == "refresh"
        refresh = _REFRESH_URL.match(attrs.get("content", "")) if is_refresh else None
        return element_id, ids, (refresh.group(1),) if refresh and refresh.group(1) else ()
    if _SKIP_REL & set(attrs.get("rel", "").lower().split()):
        return element_id, ids, ()
    refs: list[str] = []
    for name in _REFERENCING[tag]:
        value = attrs.get(name)
        if value is None:
            continue
        if name == "srcset":
            refs += [c.split()[0] for c in value.split(",") if c.strip()]
        else:
            refs.append(value.strip())
    return element_id, ids, tuple(refs)


def scan(site_dir: Path) -> tuple[dict[str, Page], set[str]]:
    """Every HTML page parsed (by path relative to the site, e.g. 'blog/index.html') and every file's path."""
    pages, files = {}, set()
    root = str(site_dir)
    for folder, _dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            path = prefix + name
            files.add(path)
            if name.endswith((".html", ".htm")):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    pages[path] = parse_page(handle.read())
    return pages, files


def site_url_from_home(pages_dir: Path) -> str:
    """The site_url MkDocs wrote into the home page's canonical link, or '/' if there is none."""
    home = pages_dir / "index.html"
    if home.is_file():
        match = re.search(r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*>""", home.read_text(encoding="utf-8"), re.I)
        if match:
            href = _attributes(match.group(0)[5:-1]).get("href")
            if href:
                return href
    return "/"


def resolve(page_path: str, ref: str, site_url: str = "/") -> tuple[str | None, str | None, str | None]:
    """(target path relative to the site or None if not internal, fragment, error).

    `error` is set for references that are wrong whatever the files: javascript:
    URLs and paths that climb out of the site.
    """
    ref = ref.strip()
    if not ref:
        return page_path, None, None
    base = urlsplit(site_url)
    prefix = base.path if base.path.endswith("/") else base.path + "/"
    scheme = _SCHEME.match(ref)
    if scheme:
        kind = scheme.group(1).lower()
        if kind == "javascript":
            return None, None, "javascript: URL"
        if kind == "mailto" and not all(_EMAIL.match(address) for address in _mail_addresses(ref)):
            return None, None, "not an email address"
        if kind == "tel" and not _PHONE.match(ref[4:]):
            return None, None, "not a phone number"
        if kind not in ("http", "https"):
            return None, None, None  # mailto:, tel:, data: and the like
        parts = urlsplit(ref)
        if not base.netloc or parts.netloc.lower() != base.netloc.lower():
            return None, None, None  # another host
        path = parts.path or "/"
        if not path.startswith(prefix) and path + "/" != prefix:
            return None, None, None  # same host, outside the site
        path, fragment = path[len(prefix):], parts.fragment
    elif ref.startswith("//"):
        parts = urlsplit(ref)
        if not base.netloc or parts.netloc.lower() != base.netloc.lower():
            return None, None, None
        return resolve(page_path, f"{base.scheme or 'https'}:{ref}", site_url)
    else:
        parts = urlsplit(ref)
        path, fragment = parts.path, parts.fragment
        if path.startswith("/"):
            if not path.startswith(prefix) and path + "/" != prefix:
                return None, None, "outside the site's path " + prefix
            path = path[len(prefix):]
        elif path:
            path = posixpath.join(posixpath.dirname(page_path), path)
        else:
            return page_path, unquote(fragment) or None, None
    path = unquote(path)
    directory = path == "" or path.endswith("/")
    path = posixpath.normpath(path) if path else "."
    if path == ".." or path.startswith("../"):
        return None, None, "outside the site"
    if directory or path == ".":
        path = "index.html" if path == "." else path + "/index.html"
    return path, unquote(fragment) or None, None


@dataclasses.dataclass(frozen=True)
class Broken:
    """One broken reference: the page it is on, the reference as written, why, and what it names
    (target: the file inside the site, or None; fragment: the missing anchor, or None)."""

    page: str
    ref: str
    reason: str
    target: str | None = None
    fragment: str | None = None

    def __str__(self) -> str:
        return f"{self.page}: broken link {self.ref!r} ({self.reason})"


def find_broken(pages: dict[str, Page], files: set[str], site_url: str = "/") -> list[Broken]:
    """Every broken internal reference of `pages` (scan's), page by page."""
    found = []
    for page_path in sorted(pages):
        folder = posixpath.dirname(page_path)
        # (a folder name with "%" is decoded with the link, "%2e%2e" as "..": resolved from itself)
        stand_in = "/".join([_STAND_IN] * (folder.count("/") + 1)) if folder and "%" not in folder else folder
        for ref in pages[page_path].refs:
            target: str | None
            # The same link from the same folder resolves the same way: once (menus repeat on every page).
            if ref.startswith(("#", "?")) or not ref.strip():   # the page itself, whichever it is
                _here, fragment, error = _resolve_from("", ref, site_url)
                target = page_path
            elif "%00" in ref or _STAND_IN in ref:   # the link holds the stand-in's name itself
                target, fragment, error = _resolve_from(folder, ref, site_url)
            else:
                target, fragment, error = _resolve_from(stand_in, ref, site_url)
                if target is not None and _STAND_IN in target:
                    target = _put_back(target, folder)
            if error:
                found.append(Broken(page_path, ref, error))
                continue
            if target is None:
                continue
            if target not in files:
                if target + "/index.html" in files:  # 'blog' where blog/ is a folder
                    target += "/index.html"
                else:
                    found.append(Broken(page_path, ref, "no such file", target))
                    continue
            if fragment and target in pages and fragment not in pages[target].ids:
                found.append(Broken(page_path, ref, f"no anchor #{fragment}", target, fragment))
    return found


# A folder name no built page's folder has. A link resolves the same from every folder as deep:
# normpath pops one name per "..", whatever the name (once decoded: a folder named with "%" is
# not stood in for). So it is resolved once per depth, from folders named _STAND_IN, and the
# names of its own folder that the link kept are put back in place of the stand-ins (the blog's
# 1,000 post folders each linking the whole menu: 105,651 links, 5,548 resolutions).
_STAND_IN = "\x00"


def _put_back(target: str, folder: str) -> str:
    """`target`, resolved from stand-in folders as deep as `folder` by a link without a NUL, with
    the stand-ins it starts with (the folders the link did not climb out of) replaced by
    `folder`'s own names."""
    parts = target.split("/")
    kept = 0
    while kept < len(parts) and parts[kept] == _STAND_IN:
        kept += 1
    return "/".join(folder.split("/")[:kept] + parts[kept:])


@functools.lru_cache(maxsize=1 << 16)
def _resolve_from(folder: str, ref: str, site_url: str) -> tuple[str | None, str | None, str | None]:
    """resolve() of a reference with a path, from any page of `folder`."""
    return resolve(posixpath.join(folder, "index.html"), ref, site_url)


def check(pages: dict[str, Page], files: set[str], site_url: str = "/") -> list[str]:
    """Every broken internal reference, as 'page: broken link 'x' (reason)' lines."""
    return [str(broken) for broken in find_broken(pages, files, site_url)]


def check_site(site_dir: Path, site_url: str | None = None) -> tuple[list[str], int, int]:
    """(problems, pages read, references checked) for one built site folder."""
    pages, files = scan(site_dir)
    problems = check(pages, files, site_url if site_url is not None else site_url_from_home(site_dir))
    return problems, len(pages), sum(len(page.refs) for page in pages.values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir", type=Path, nargs="?", default=Path("site"),
                        help="built site folder (default site/)")
    parser.add_argument("--site-url", help="the site's public address (default: the home page's canonical link)")
    parser.add_argument("--quiet", action="store_true", help="print only problems, not the summary line")
    args = parser.parse_args(argv)
    if not args.site_dir.is_dir():
        parser.error(f"{args.site_dir} is not a folder: build the site first (.venv/bin/mkdocs build)")
    started = time.perf_counter()
    problems, page_count, ref_count = check_site(args.site_dir, args.site_url)
    for problem in problems:
        print(problem)
    if not args.quiet:
        print(f"{page_count} pages, {ref_count} links checked in {time.perf_counter() - started:.1f} s: "
              f"{len(problems)} broken", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
