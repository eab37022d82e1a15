"""The theme's own inline code and script files, for the guard and the Content-Security-Policy.

As the MkDocs adapter does (engines/mkdocs/theme_code.py), the code is known from the templates,
never read from the pages written: each template that holds inline code (THEME_CODE) is rendered
for every base_url a page can have, here with Jinja over the same folders Zensical reads
(overrides/, then Zensical's templates), escaping as MiniJinja does. Zensical's MiniJinja
environment is not reachable from Python; should Jinja render one of these differently, the guard
names the code on every page that holds it and the build stops (tests/test_zensical.py builds
the sample site, so such a change fails there first). Code a page holds that no template has
(a page title Zensical prints as HTML in the menu, for one) is not listed: the build stops on it.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from clinic_site.guard import SiteCode, inline_code
from clinic_site.published import hosts, site_host

# The templates and blocks that hold the site's own inline code (template, block or None for the
# whole file), as in engines/mkdocs/theme_code.py, for Zensical's base.html and partials.
THEME_CODE = [
    ("partials/javascripts/base.html", None),      # __md_scope, __md_get, … (differs with depth)
    ("partials/javascripts/content.html", None),   # tabs and the anchor's target
    ("partials/javascripts/palette.html", None),
    ("partials/javascripts/consent.html", None),
    ("partials/javascripts/announce.html", None),
    ("partials/javascripts/outdated.html", None),
    ("main.html", "extrahead"),                     # the clinic's colours (overrides/main.html)
]


def _theme_dir() -> Path:
    import zensical

    return Path(zensical.__file__).parent / "templates"


def _rendered(folders: list[Path], data: dict, base_urls: list[str]) -> tuple[set[str], set[str]]:
    """The inline scripts and styles of THEME_CODE rendered for each of `base_urls`."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
                             autoescape=jinja2.select_autoescape(["html"]))
    theme = data.get("theme")
    features = (theme.get("features") if isinstance(theme, dict) else None) or []
    context = {"config": data, "features": features, "page": None}
    scripts: set[str] = set()
    styles: set[str] = set()
    for name, block in THEME_CODE:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:   # a partial this Zensical lacks: none of its code
            continue
        if block is not None and block not in template.blocks:
            continue
        for base_url in base_urls:
            variables = {**context, "base_url": base_url}
            rendered = template.render(variables) if block is None else \
                "".join(template.blocks[block](template.new_context(variables)))
            found_scripts, found_styles, _ = inline_code(rendered)
            scripts |= found_scripts
            styles |= found_styles
    return scripts, styles


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
    depth = max((dest.count("/") for dest in pages), default=0)
    base_urls = [root, "."] + ["/".join([".."] * level) for level in range(1, depth + 1)]
    folders = [folder for folder in (custom_dir, _theme_dir()) if folder is not None]
    scripts, styles = _rendered(folders, data, base_urls)
    plugins = data.get("plugins") or []
    redirect_maps = next((item["redirects"].get("redirect_maps") for item in plugins
                          if isinstance(item, dict) and isinstance(item.get("redirects"), dict)), None)
    redirects = redirect_pages(redirect_maps)
    for dest in redirects:   # Zensical's redirect page (its own, not a template): one script sending the visitor on
        if (site_dir / dest).is_file():
            scripts |= inline_code((site_dir / dest).read_bytes())[0]
    script_files = {path.relative_to(folder).as_posix() for folder in folders for path in folder.rglob("*.js")}
    for item in data.get("extra_javascript") or []:
        path = item.get("path") if isinstance(item, dict) else item
        if isinstance(path, str):
            script_files.add(path.lstrip("/"))
    extra = data.get("extra")
    allowed = extra.get("allowed_remote_hosts") if isinstance(extra, dict) else None
    return SiteCode(frozenset(scripts), frozenset(styles), frozenset(script_files), root, host=site_host(site_url),
                    allowed_hosts=hosts(allowed if isinstance(allowed, list) else []), redirects=frozenset(redirects))
