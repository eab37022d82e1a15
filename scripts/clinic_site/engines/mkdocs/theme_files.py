"""What the stage needs to know of Material's files, and the settings the stage refused taken out
of MkDocs' configuration before the theme reads them."""
from __future__ import annotations

from pathlib import Path

import yaml

from clinic_site.project import Settings
from clinic_site.theme import theme_folders


def theme_dirs(settings: Settings) -> tuple[Path, ...]:
    """The folders MkDocs finds templates and icons in: the project's custom_dir, then Material's
    own templates (clinic_site.theme.theme_folders)."""
    import material

    return theme_folders(settings, Path(material.__file__).parent / "templates")


def _defaults() -> dict:
    """Material's own theme settings (mkdocs_theme.yml), read as data."""
    import material

    file = Path(material.__file__).parent / "templates" / "mkdocs_theme.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.is_file() else {}
    return data if isinstance(data, dict) else {}


def drop_settings(config, dropped: frozenset[str]) -> None:
    """Take each refused setting ("theme.logo", "theme.icon.menu") out of MkDocs' `config`, so the
    theme falls back to its own default instead of reading it."""
    links = config.extra.get("social") if isinstance(config.extra.get("social"), list) else []
    gone = [int(dotted.rsplit(".", 1)[1]) for dotted in dropped if dotted.startswith("extra.social.")]
    if gone:   # social links whose icon the theme does not have
        config.extra["social"] = [link for index, link in enumerate(links) if index not in gone]
    for dotted in sorted(dropped):
        first, *rest = dotted.split(".")
        if first != "theme" or not rest:
            continue
        if len(rest) == 1:   # the theme's own default (Material's favicon), or none (the logo: its icon)
            config.theme[rest[0]] = _defaults().get(rest[0])
            continue
        holder = config.theme[rest[0]] if rest[0] in config.theme else None
        for key in rest[1:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder.pop(rest[-1], None)


# Files Material publishes with every site for its own search (lunr, its languages, the search
# worker): the site search is the site's own (postbuild/site_search.py), so with Material's search
# plugin off nothing loads them, and they are not published (about 1.2 MB of code no page runs).
MATERIAL_SEARCH_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers")


def drop_unused_search_files(config) -> None:
    """Remove Material's search files from the built folder when its search plugin is off."""
    import shutil

    if any(name.split(" #")[0] in ("search", "material/search") for name in config.plugins):
        return
    for folder in MATERIAL_SEARCH_FILES:
        shutil.rmtree(Path(config.site_dir) / folder, ignore_errors=True)
