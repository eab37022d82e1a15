"""The theme's own inline code and script files, for the guard and the Content-Security-Policy.

The MkDocs adapter renders the theme's partials in MkDocs' Jinja environment before any page is
written. Zensical's MiniJinja environment is not reachable from Python, so the code is read from
what Zensical wrote, with a rule that keeps the guard's meaning: a page's Markdown HTML holds no
code at all (markdown_guard.py keeps it to the allowlist before the templates see it) and template
values are escaped (MiniJinja escapes by default), so inline code comes from the templates; code
is the theme's when every page at the same folder depth holds it (the theme's start-up scripts
differ with depth only). Code on some pages of a depth and not others is not listed: the guard
names it on each page that holds it.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from clinic_site.guard import SiteCode, inline_code
from clinic_site.published import hosts, site_host


def _theme_dir() -> Path:
    import zensical

    return Path(zensical.__file__).parent / "templates"


def redirect_pages(redirect_maps: dict | None) -> set[str]:
    """Where Zensical writes the page of each old address of redirect_maps ("old.md" -> "old/index.html")."""
    pages = set()
    for old in (redirect_maps or {}):
        stem = str(old).removesuffix(".md")
        pages.add("index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html")
    return pages


def site_code(site_dir: Path, pages: dict[str, str | None], data: dict, custom_dir: Path | None) -> SiteCode:
    """The SiteCode of a Zensical build in `site_dir` whose pages are `pages` (dest -> src_uri) and
    whose settings are `data` (the engine's mkdocs.yml as data)."""
    site_url = str(data.get("site_url") or "")
    root = urlsplit(site_url or "/").path or "/"
    by_depth: dict[int, tuple[set[str], set[str]] | None] = {}
    for dest in [*pages, "404.html"]:
        file = site_dir / dest
        if not file.is_file():
            continue
        page_scripts, page_styles, _ = inline_code(file.read_bytes())
        depth = -1 if dest == "404.html" else dest.count("/")
        seen = by_depth.get(depth)
        by_depth[depth] = (page_scripts, page_styles) if seen is None else \
            (seen[0] & page_scripts, seen[1] & page_styles)
    scripts: set[str] = set()
    styles: set[str] = set()
    for found in by_depth.values():
        if found is not None:
            scripts |= found[0]
            styles |= found[1]
    plugins = data.get("plugins") or []
    redirect_maps = next((item["redirects"].get("redirect_maps") for item in plugins
                          if isinstance(item, dict) and isinstance(item.get("redirects"), dict)), None)
    redirects = redirect_pages(redirect_maps)
    for dest in redirects:   # Zensical's redirect page: one script sending the visitor on
        if (site_dir / dest).is_file():
            scripts |= inline_code((site_dir / dest).read_bytes())[0]
    script_files = {path.relative_to(folder).as_posix() for folder in (_theme_dir(), custom_dir) if folder
                    for path in folder.rglob("*.js")}
    for item in data.get("extra_javascript") or []:
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str):
            script_files.add(path.lstrip("/"))
    extra = data.get("extra")
    allowed = extra.get("allowed_remote_hosts") if isinstance(extra, dict) else None
    return SiteCode(frozenset(scripts), frozenset(styles), frozenset(script_files), root, host=site_host(site_url),
                    allowed_hosts=hosts(allowed if isinstance(allowed, list) else []), redirects=frozenset(redirects))
