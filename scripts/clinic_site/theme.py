"""The theme's files a page or a setting may name: its templates and its icons.

The theme includes both by name (`template: home.html`, `icon: material/heart`, `theme: icon:
menu: material/menu`), and stops the whole build on a name it cannot find. The stage checks each
name against the folders the engine reads them from (the project's overrides, then the theme's
own), which the engine adapter gives (clinic_site.engines.<name>.theme_dirs); a name that is not
there is a problem naming the file, the line and the field, and is not handed to the engine.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from clinic_site.problems import Problem

# A template or icon name: parts of letters, digits, "-", "_" and ".", never ".." or a leading "/".
_NAME_PART = re.compile(r"[\w-][\w.-]*")
ICON_REFERENCE = "https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/"


def _safe(name: str) -> bool:
    return all(_NAME_PART.fullmatch(part) and part != ".." for part in name.split("/"))


@dataclasses.dataclass(frozen=True)
class ThemeFiles:
    """The folders the engine finds templates and icons in, first match wins."""

    dirs: tuple[Path, ...]

    def has_template(self, name: str) -> bool:
        """Whether `name` ("home.html") is a template in one of the folders."""
        return _safe(name) and name.endswith(".html") and any((folder / name).is_file() for folder in self.dirs)

    def has_icon(self, name: str) -> bool:
        """Whether `name` ("material/heart") is an icon in one of the folders' .icons/."""
        return _safe(name) and any((folder / ".icons" / f"{name}.svg").is_file() for folder in self.dirs)

    def icon_fix(self, name: str) -> str:
        """How to fix an icon name: the nearest icon of the same set, when there is one."""
        group, _slash, icon = name.rpartition("/")
        near = difflib.get_close_matches(icon, self._icons(group), n=1, cutoff=0.7) if group and _safe(group) else []
        hint = f"did you mean '{group}/{near[0]}'? " if near else ""
        return f"{hint}name an icon of the theme, such as material/heart (all of them: {ICON_REFERENCE})"

    def template_fix(self) -> str:
        """How to fix a template name: the templates the project's overrides offer."""
        own = sorted(path.name for path in self.dirs[0].glob("*.html")) if self.dirs else []
        return f"name a template of the site ({', '.join(own)}), or delete the line" if own else "delete the line"

    @functools.lru_cache(maxsize=8)   # noqa: B019 - a handful of ThemeFiles per process
    def _icons(self, group: str) -> tuple[str, ...]:
        return tuple(sorted({path.stem for folder in self.dirs for path in (folder / ".icons" / group).glob("*.svg")}))


def _icon_settings(value: object, trail: str) -> Iterator[tuple[str, object]]:
    """(setting, value) for every icon named under theme.icon (nested: admonition, tag, …)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _icon_settings(item, f"{trail}.{key}")
    else:
        yield trail, value


def icon_setting_problems(theme_setting: object, files: ThemeFiles, shown: str, line_of, social: object = None
                          ) -> tuple[list[Problem], set[str]]:
    """Problems for icons named in mkdocs.yml's `theme: icon:` (and `extra: social:` links' `icon:`,
    `social`) that the theme does not have, and the settings to take out before the engine reads
    them (dotted names: "theme.icon.menu", "extra.social.0.icon"). line_of(setting) gives a
    setting's line in mkdocs.yml."""
    icons = theme_setting.get("icon") if isinstance(theme_setting, dict) else None
    found: list[Problem] = []
    drop: set[str] = set()
    for setting, value in _icon_settings(icons, "theme.icon") if icons is not None else ():
        if not (isinstance(value, str) and files.has_icon(value)):
            found.append(Problem(shown, line_of(setting), setting, f"is {value!r}, which is not an icon of the theme",
                                 files.icon_fix(value) if isinstance(value, str) else
                                 "name an icon of the theme, such as material/heart"))
            drop.add(setting)
    for index, link in enumerate(social if isinstance(social, list) else []):
        value = link.get("icon") if isinstance(link, dict) else None
        if not (isinstance(value, str) and files.has_icon(value)):
            found.append(Problem(shown, line_of("extra.social"), f"extra.social.{index + 1}.icon",
                                 f"is {value!r}, which is not an icon of the theme",
                                 files.icon_fix(value) if isinstance(value, str) else
                                 "name an icon of the theme, such as fontawesome/brands/github"))
            drop.add(f"extra.social.{index}")
    return found, drop


def theme_folders(settings, engine_templates: Path) -> tuple[Path, ...]:
    """The folders an engine finds templates and icons in, first match wins: the project's
    custom_dir from mkdocs.yml's theme (when it is inside the project: clinic_site.stage.settings
    refuses one that is not), then `engine_templates`, the engine's own (Material's, Zensical's).
    `settings`: clinic_site.project.Settings."""
    theme = settings.get("theme") if isinstance(settings.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    folders = []
    if isinstance(custom, str) and settings.project.inside(settings.project.root / custom):
        folders.append(settings.project.root / custom)
    folders.append(engine_templates)
    return tuple(folders)
