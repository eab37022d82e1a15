"""The theme's own inline code, known before any page is written: what a built page may hold and
what the Content-Security-Policy allows (MkDocs and Material: rendered from the theme's Jinja
environment; mkdocs-redirects' pages from its own template)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from clinic_site.guard import SiteCode, inline_code
from clinic_site.published import hosts, site_host

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
    allowed = config.extra.get("allowed_remote_hosts") if hasattr(config.extra, "get") else None
    return SiteCode(frozenset(scripts), frozenset(styles), frozenset(script_files), root,
                    host=site_host(config.site_url or ""),
                    allowed_hosts=hosts(allowed if isinstance(allowed, list) else []),
                    redirects=frozenset(redirect_pages(config)))


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

