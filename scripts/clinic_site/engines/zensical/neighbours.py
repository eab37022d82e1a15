"""Previous/Next only within one section of the menu, as under MkDocs (clinic_site.layout.neighbour,
applied there in on_page_context): Zensical links every page to the next one in the whole menu
(the home page to the guide, the finder to the blog, the blog's last category to About). Zensical
has no page event, so each written page's Previous/Next link to a page of another section (or
from or to a page at the top of the menu, which has no section) is taken out of the HTML after it.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

# Zensical's partials/footer.html: one <a> per direction, holding <div>s and no other link.
_FOOTER_LINK = re.compile(r'\s*<a href="(?P<href>[^"]*)" class="md-footer__link md-footer__link--(?:prev|next)"'
                          r'.*?</a>', re.S)
_EMPTY_FOOTER = re.compile(r'<nav class="md-footer__inner[^"]*"[^>]*>\s*</nav>')   # no link left: no landmark
TOP = ()   # the parent of a page at the top of the menu: no section, so no Previous/Next


def sections(nav: list, blog_dir: str | None) -> dict[str, tuple[str, ...]]:
    """Each page of mkdocs.yml's `nav` by its file in the site folder ("guide/x/index.html"), with
    the titles of the sections it is in (TOP for a page at the top); the blog's archive and
    category pages each in a section of their own under the blog's, as Material's blog makes them."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(items: list, parent: tuple[str, ...]) -> None:
        for item in items or []:
            if isinstance(item, str):
                found[_dest(item)] = parent
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, str):
                        found[_dest(value)] = parent
                    elif isinstance(value, list):
                        walk(value, (*parent, str(title)))

    walk(nav, TOP)
    if blog_dir:
        blog = found.get(_dest(f"{blog_dir}/index.md"))
        if blog is not None:
            found[f"{blog_dir}/archive/"] = (*blog, "archive")
            found[f"{blog_dir}/category/"] = (*blog, "category")
    return found


def _dest(src_uri: str) -> str:
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return "index.html"
    return f"{stem.removesuffix('/index')}/index.html"


def _parent(dest: str, known: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    if dest in known:
        return known[dest]
    for prefix, parent in known.items():   # the blog's archive and category pages
        if prefix.endswith("/") and dest.startswith(prefix):
            return parent
    return None   # not in the menu (a post, the finder's pages): left as Zensical wrote it


def within_sections(html: str, dest: str, known: dict[str, tuple[str, ...]]) -> str:
    """`html` of the page written at `dest` without its Previous/Next links to another section."""
    parent = _parent(dest, known)
    if parent is None:
        return html

    def keep(match: re.Match) -> str:
        href = match.group("href")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(dest), href)).removeprefix("./")
        target = "index.html" if target in (".", "") else f"{target.rstrip('/')}/index.html"
        other = _parent(target, known)
        return match.group(0) if parent != TOP and other == parent else ""

    return _EMPTY_FOOTER.sub("", _FOOTER_LINK.sub(keep, html))


def apply(site_dir: Path, pages: list[str], known: dict[str, tuple[str, ...]]) -> None:
    """Every page of `pages` (files in `site_dir`) with Previous/Next within its section only."""
    for dest in pages:
        file = site_dir / dest
        html = file.read_text(encoding="utf-8")
        if "md-footer__link" not in html:
            continue
        changed = within_sections(html, dest, known)
        if changed != html:
            file.write_text(changed, encoding="utf-8")
