"""The settings Zensical reads: the project's mkdocs.yml as data, with what the MkDocs adapter sets
in on_config (the clinic's name and logo, the staged folder, the snippets folder, the refused
settings taken out) and what Zensical 0.0.73 refuses or cannot do here taken out, each for a
reason the README's table of differences gives."""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import yaml

from clinic_site.engines.zensical import cards, markdown_guard

SITE_FOLDER = "site"   # Zensical writes inside its settings file's folder only: moved to the site folder after


def engine_settings(run, root: Path) -> dict:
    """The mkdocs.yml Zensical reads for `run` (a pipeline.Run after its stage), whose folder is
    `root` (the staging folder's parent: docs/ and snippets/ are there)."""
    staged = run.staged
    data = copy.deepcopy(staged.settings.data)
    data.pop("hooks", None)   # Zensical runs none (it ignores them); ours run around it (engine.py)
    data.pop("INHERIT", None)
    data["docs_dir"] = "docs"
    data["site_dir"] = SITE_FOLDER
    data["use_directory_urls"] = True
    clinic = staged.clinic
    theme = dict(data.get("theme") or {}) if isinstance(data.get("theme"), dict) else {"name": "material"}
    custom = theme.get("custom_dir")
    if isinstance(custom, str):
        theme["custom_dir"] = str((run.project.root / custom).resolve())
    if clinic.name:
        data["site_name"] = clinic.name
        data["site_author"] = clinic.name
    if clinic.logo:
        theme["logo"] = clinic.logo
        theme["favicon"] = clinic.logo
    # "Edit this page" is for the preview only (clinic_site.layout.edit_url); the preview is MkDocs' for now
    theme["features"] = [feature for feature in theme.get("features") or [] if feature != "content.action.edit"]
    theme.setdefault("variant", "classic")   # Material's look (Zensical's default is its "modern" one)
    data["theme"] = theme
    # clinic_engine: where the two themes' originals differ, a template can tell (blog-post.html's skip target)
    data["extra"] = {**(data.get("extra") or {}), **staged.template_values, "clinic_engine": "zensical"}
    _drop(data, staged.dropped)
    data["markdown_extensions"] = _extensions(data.get("markdown_extensions") or [], staged, root)
    data["plugins"] = _plugins(data.get("plugins") or [], lambda options: cards.social_options(run, root, options))
    # Our post-build stage checks every internal link of the built site (postbuild/links.py), naming
    # the source line; Zensical's own check would name the staged copy, in colours, on the terminal.
    data["validation"] = {"invalid_links": False, "invalid_link_anchors": False}
    return data


def _extensions(extensions: list, staged, root: Path) -> list:
    """The Markdown extensions: includes read from the staged snippets folder only, and the guard last."""
    result = []
    for item in extensions:
        if isinstance(item, dict) and "pymdownx.snippets" in item:
            options = dict(item["pymdownx.snippets"] or {})
            options.update(base_path=[str(staged.snippets_dir or root / "snippets")], restrict_base_path=True,
                           auto_append=list(staged.appended), url_download=False)
            item = {"pymdownx.snippets": options}
        result.append(item)
    result.append(markdown_guard.NAME)
    return result


def _plugins(plugins: list | dict, social: Callable[[dict], dict | None]) -> list:
    """mkdocs.yml's plugins as Zensical gets them: its own search off (SEARCH_OFF); the social
    cards' options from `social` (engines/zensical/cards.py), the plugin left out when it gives None."""
    items = list(plugins.items()) if isinstance(plugins, dict) else \
        [next(iter(item.items())) if isinstance(item, dict) else (item, {}) for item in plugins]
    kept = []
    for name, options in items:
        bare = str(name).removeprefix("material/")
        if bare == "social":
            options = social(dict(options) if isinstance(options, dict) else {})
            if options is None:
                continue
        if bare == "search":
            options = {"enabled": False}   # see SEARCH_OFF
        kept.append({name: options} if options else name)
    return kept


# Zensical's own search is switched off: the header's search box is Material's search plugin's
# (overrides/partials/header.html shows it only with "material/search"), so under Zensical no box
# would use it, and its index (search.json, shown as HTML by its own script) is not one the
# post-build guard reads (postbuild/__init__.py guards Material's). The site search is moving to
# an index built after the engine, the same for both engines (postbuild/search.py).
SEARCH_OFF = True


def _drop(data: dict, dropped: frozenset[str]) -> None:
    """Take each setting the stage refused ("theme.logo", "extra.social.2") out of `data`."""
    extra = data.get("extra")
    gone = {int(dotted.rsplit(".", 1)[1]) for dotted in dropped if dotted.startswith("extra.social.")}
    if gone and isinstance(extra, dict) and isinstance(extra.get("social"), list):
        extra["social"] = [link for index, link in enumerate(extra["social"]) if index not in gone]
    for dotted in sorted(dropped):
        first, *rest = dotted.split(".")
        if first != "theme" or not rest:
            continue
        holder = data.get("theme")
        for key in rest[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder.pop(rest[-1], None)


def write(data: dict, file: Path) -> None:
    """`data` as the YAML file Zensical reads (plain data only: no Python tags)."""
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
