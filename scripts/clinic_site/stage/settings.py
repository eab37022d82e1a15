"""The engine settings of mkdocs.yml the stage checks before anything is read or built (issue 21).

- Settings a clinic might change that this site cannot follow (use_directory_urls: false).
- Every path setting that makes the build READ a file or folder stays inside the project: an
  absolute path, "..", or a symbolic link that leads outside is refused, naming mkdocs.yml, the
  line, the setting and the fix. The folders the whole run reads from (docs_dir, the theme's
  custom_dir, the social cards' cache_dir, an INHERIT'ed settings file) stop the run before any
  page is read; a file setting (the logo, the favicon) is left out and the run goes on without it.
  mkdocs.yml's site_dir, which the build empties and writes, stays inside the project too (a
  committed `site_dir: ../x` would empty a folder elsewhere); `clinic build --site-dir`, the
  operator's own choice, may name any folder.
- No symbolic link leads out of the project from the theme's folder (custom_dir: rendered and
  published) or on the way to the social cards' cache (written): each is named and the run stops.
- Icons named in `theme: icon:` must be the theme's (clinic_site.theme); an unknown one is left out.

`check` returns the problems, the settings to take out before the engine reads them (dotted:
"theme.logo", "theme.icon.menu"; the engine adapter drops them), and whether the run must stop.
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import yaml

from clinic_site import clinic_settings, folders, yamlfile
from clinic_site.problems import Problem
from clinic_site.project import Settings
from clinic_site.theme import ThemeFiles, icon_setting_problems


@dataclasses.dataclass
class SettingsChecked:
    """What `check` found: problems, settings the engine must not read, and whether to stop."""

    problems: list[Problem]
    dropped: set[str]
    stop: bool


def setting_line(text: str, dotted: str) -> int:
    """The line of a setting in mkdocs.yml's `text` ("theme.logo", "plugins.social.cache_dir": a
    list item holding the key is followed), or 1; read as every settings file is (yamlfile: tags
    such as !ENV are not run)."""
    try:
        root = yamlfile.compose(text, yamlfile.SettingsLoader)
    except yaml.YAMLError:
        return 1
    return yamlfile.node_line(root, *dotted.split("."))


def outside(value: object, base: Path, root: Path, follow_links: bool = True) -> str | None:
    """Why a path setting `value`, read relative to `base`, does not stay inside `root`; None when
    it does. Every symbolic link on the way is followed (by real path), unless `follow_links` is
    False: for the social cards' cache, a committed link on the way out is named at the link
    itself (_cards_cache_link), not at the setting."""
    if not isinstance(value, str) or not value.strip():
        return f"is {value!r}, not a path"
    if _from_root(value):
        return f"is '{value}', a path from the root of the machine"
    if not follow_links:
        inside = not os.path.normpath(value).startswith("..")
        return None if inside else f"is '{value}', which leads out of {root.name}/ with '..'"
    real = Path(os.path.realpath(base / value))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        how = "through a symbolic link" if ".." not in Path(value).parts else "with '..'"
        return f"is '{value}', which leads out of {root.name}/ {how}"
    return None


def _in_own_folder(project, value: str) -> bool:
    """Whether the path setting `value` (relative to the project) names a folder inside the build's
    own .cache/ (not .cache itself), as written."""
    folder = Path(os.path.normpath(project.root / value))
    return folder != project.cache_dir and folder.is_relative_to(project.cache_dir)


def _cards_cache_link(settings: Settings, social: dict) -> list[Problem]:
    """The social cards' cache folder (cache_dir, as written inside the project) reached through a
    committed symbolic link that leads out of the project: named at the link, and the run stops.
    The card plugin writes every card and its list there and reads the committed card fonts from
    there, so a link at `.cache/social` to a folder in the builder's home had the build write into
    it (and project.remove_links, which cleans that folder of links, keeps to the project)."""
    project = settings.project
    value = social.get("cache_dir") or ".cache/plugin/social"
    if not isinstance(value, str) or outside(value, project.root, project.root, follow_links=False) is not None:
        return []   # named by the folder settings' check
    root = os.path.realpath(project.root)
    here = project.root
    for part in Path(os.path.normpath(value)).parts:
        here = here / part
        if here.is_symlink() and not Path(os.path.realpath(here)).is_relative_to(root):
            return [Problem(project.shown(here), 1, "", "is a symbolic link leading out of the project, where the "
                            "social cards' cache is (mkdocs.yml's plugins.social.cache_dir): the build would write its "
                            "cards there and read the card fonts from there", "delete the link from the repository "
                            "(git rm) and commit the card fonts in a folder of that name")]
    return []


def _theme_links_out(settings: Settings, custom_dir: Path) -> list[Problem]:
    """Each symbolic link in the theme's own folder (custom_dir, overrides/) that leads out of the
    project: the engines publish every file there that is not a template (overrides/assets/x.css
    linked to a file in the builder's home was published at assets/x.css) and render every template
    there, so the run stops, naming each."""
    project = settings.project
    found = []
    for _inner, entry in folders.entries(custom_dir):   # never through a link: each is looked at as itself
        if entry.is_symlink() and not project.inside(Path(entry.path)):
            found.append(Problem(project.shown(Path(entry.path)), 1, "", "is a symbolic link leading out of the "
                                 "project: the theme's files are rendered and published only from files really in "
                                 "the project", "replace the link with a copy of the file, if it belongs to the theme"))
    return found


def _theme(settings: Settings) -> dict:
    theme = settings.get("theme")
    return theme if isinstance(theme, dict) else {}


def check(settings: Settings, theme_files: ThemeFiles | None = None) -> SettingsChecked:
    """Every engine setting's problems (see the module's docstring)."""
    project = settings.project
    shown, text = project.shown(project.config_file), settings.text
    root, docs = project.root, settings.docs_dir
    found: list[Problem] = []
    dropped: set[str] = set()
    stop = False

    def refuse(setting: str, what: str, fix: str) -> None:
        found.append(Problem(shown, setting_line(text, setting), setting, what, fix))

    cache = project.cache_dir
    if cache.is_symlink() or (cache.exists() and not cache.is_dir()):   # the build writes its working files there
        found.append(Problem(project.shown(cache), 1, "", "is a link or a file, not a folder of the project: the "
                             "build writes its working files in .cache/ (the staged pages, the social cards)",
                             "delete it from the repository (git rm .cache); the build makes the folder itself"))
        return SettingsChecked(found, dropped, True)
    folders = {"docs_dir": settings.get("docs_dir", "docs"), "INHERIT": settings.get("INHERIT"),
               "site_dir": settings.get("site_dir"),
               "theme.custom_dir": _theme(settings).get("custom_dir")}
    social = settings.plugin("social")
    if social is not None and "cache_dir" in social:
        folders["plugins.social.cache_dir"] = social["cache_dir"]
    for setting, value in folders.items():
        if value is None:
            continue
        wrong = outside(value, root, root, follow_links=setting != "plugins.social.cache_dir")
        if wrong is not None:
            example = {"docs_dir": "docs", "site_dir": "site", "theme.custom_dir": "overrides"}.get(setting,
                                                                                                   ".cache/social")
            refuse(setting, wrong, f"write a folder inside the project, relative to mkdocs.yml (such as {example}), "
                   "with no '..' and no symbolic link leading out")
            stop = True
    cards_cache = social.get("cache_dir") if social is not None else None
    if not stop and isinstance(cards_cache, str) and not _in_own_folder(project, cards_cache):
        refuse("plugins.social.cache_dir", f"is '{cards_cache}', which is not a folder inside .cache/: the build "
               "removes every symbolic link in the cards' cache before it writes there (node_modules and the "
               "links of .venv, with '.')", "keep the cards' cache in the build's own folder: .cache/social")
        stop = True
    if social is not None and not stop:
        found += _cards_cache_link(settings, social)
        stop = bool(found)
    custom = _theme(settings).get("custom_dir")
    if not stop and isinstance(custom, str) and not (root / custom).is_dir():   # the stage renders the finder from it
        refuse("theme.custom_dir", f"is '{custom}', which is not a folder of the project",
               "write the theme's folder, relative to mkdocs.yml (such as overrides)")
        stop = True
    if not stop and isinstance(custom, str):
        found += _theme_links_out(settings, root / custom)
        stop = bool(found)
    if stop:
        return SettingsChecked(found, dropped, True)
    for setting in ("logo", "favicon"):
        value = _theme(settings).get(setting)
        if value is None:
            continue
        wrong = outside(value, docs, docs)
        if wrong is None and not (docs / str(value)).is_file():
            wrong = f"is '{value}', which is not a file in {settings.docs_path}/"
        if wrong is not None:
            refuse(f"theme.{setting}", wrong, f"put the picture in {settings.docs_path}/assets/ and give its path "
                   f"from {settings.docs_path}/, such as assets/logo.svg")
            dropped.add(f"theme.{setting}")
    for setting, why, fix in plugin_path_problems(settings):
        refuse(setting, why, fix)
        stop = True   # the engine would write or read there: nothing runs
    blog = settings.plugin("blog")
    if blog is not None and "blog_dir" in blog:
        wrong = outside(blog["blog_dir"], docs, docs)
        if wrong is not None:
            refuse("plugins.blog.blog_dir", wrong,
                   f"write the blog's folder inside {settings.docs_path}/, such as blog")
            stop = True
    if theme_files is not None:
        icons, drop = icon_setting_problems(settings.get("theme"), theme_files, shown,
                                            lambda setting: setting_line(text, setting), settings.extra.get("social"))
        found += icons
        dropped |= drop
    found += engine_setting_problems(settings)
    return SettingsChecked(found, dropped, stop)


# Plugin options that name a place to write or read, or shape one (the blog's addresses and the date
# formats and slug separators inside them, the cards' folders, the RSS feeds' file names), by the end
# of the option's name as MkDocs' plugins name them: a '..' in any of them is refused (a tester's
# archive_url_date_format "'../../x'yyyy", a Babel literal, wrote pages outside the project).
_PATH_OPTION = re.compile(r"(_format|_dir|_file|_filenames|_path|_separator)$")
# Social card settings a site may not change: the cards' layout and folder are the same on both
# engines (Material's default layout, engines/zensical/card_layout.yml; assets/images/social/, which
# the head's tags and the feeds name), and a card shows the clinic's logo, never a picture a
# setting names from anywhere (front_matter.social refuses the same on a page).
_CARD_FIXED = {"cards_layout": "the cards use Material's default layout on both engines",
               "cards_layout_dir": "the cards use Material's default layout on both engines",
               "cards_dir": "the cards are published in assets/images/social/, where the pages' tags name them"}
_CARD_PICTURES = ("logo", "background_image")


def plugin_path_problems(settings: Settings) -> list[tuple[str, str, str]]:
    """(setting, what is wrong, fix) for each plugin option that names or shapes a place outside the
    build's own folders (_PATH_OPTION): a path from the root of the machine, or '..' anywhere in it
    (a blog's `archive_url_format: ../../x/{date}` made MkDocs write pages outside the project),
    and the social cards' settings in _CARD_FIXED and _CARD_PICTURES."""
    found = []
    for entry in settings.data.get("plugins") or []:
        if not isinstance(entry, dict):
            continue
        for name, options in entry.items():
            if not isinstance(options, dict):
                continue
            bare = str(name).removeprefix("material/")
            for option, value in options.items():
                setting = f"plugins.{name}.{option}"
                if bare == "social" and option in _CARD_FIXED and value not in (None, "", "default",
                                                                                "assets/images/social"):
                    found.append((setting, f"is set: {_CARD_FIXED[option]}", "delete the line"))
                    continue
                if bare == "social" and option == "cards_layout_options" and isinstance(value, dict):
                    for key in _CARD_PICTURES:
                        if key in value:
                            found.append((f"{setting}.{key}", "names a picture for every card: a card shows the "
                                          "clinic's logo (clinic.yml's `logo`)", "delete the line"))
                    continue
                if option in ("cache_dir", "blog_dir") or not _PATH_OPTION.search(str(option)):
                    continue   # checked with the folders, by real path
                values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
                for item in values:
                    if isinstance(item, str) and _leads_out(item):
                        found.append((setting, f"is '{item}', which leads out of the site's folders (a path "
                                      "from the root of the machine, or '..')", "write a path inside the site, "
                                      "with no '..', such as the plugin's default"))
    return found


def _from_root(value: str) -> bool:
    """Whether a path starts from the root of a machine: /x, ~/x, \\x, C:x."""
    return os.path.isabs(value) or value.startswith(("~", "\\")) or (len(value) > 1 and value[1] == ":")


def _leads_out(value: str) -> bool:
    """Whether a path, an address pattern or a part of one (a date format, a separator) could lead
    out of where it is read from: from the root of the machine, or with '..' anywhere in it."""
    value = value.strip()
    return _from_root(value) or ".." in value


def engine_setting_problems(settings: Settings) -> list[Problem]:
    """MkDocs settings a clinic might change that this site cannot follow, each refused with the
    setting named (issue 24). Checked to work, with every link the link check follows intact:
    a site_url with a path (https://example.org/clinic/, a GitHub Pages project site) and another
    site_dir (tests/test_settings_variants.py). Refused: use_directory_urls: false, as the
    therapist finder's pages, its data files and the people's addresses in .authors.yml are
    written as folder addresses (/therapists/jane-doe/); every static host this site names
    serves a folder's index.html."""
    found = []
    if settings.data.get("use_directory_urls") is False:
        config = settings.project.config_file
        found.append(Problem(settings.project.shown(config), clinic_settings.line_of(config, "use_directory_urls"),
                             "use_directory_urls", "is false, which this site does not support: the therapist "
                             "finder's pages and links and the people's pages are published as folders "
                             "(therapists/jane-doe/index.html, reached as therapists/jane-doe/)",
                             "delete the line: GitHub Pages, Netlify, Cloudflare Pages and S3 website hosting "
                             "all serve a folder's index.html"))
    allowed = settings.extra.get("allowed_remote_hosts")
    if allowed is not None and not (isinstance(allowed, list) and all(
            isinstance(host, str) and _HOST_NAME.fullmatch(host.strip()) for host in allowed)):
        config = settings.project.config_file
        found.append(Problem(settings.project.shown(config), clinic_settings.line_of(config, "allowed_remote_hosts"),
                             "extra.allowed_remote_hosts", "must be a list of host names, such as "
                             "[images.example.org], without https:// or a path",
                             "write each host on its own line as '- host.example.org', or [] for none (the "
                             "site then loads nothing from other sites, as it promises)"))
    return found


# A host name as allowed_remote_hosts lists it: letters, digits, hyphens and dots, no scheme or path.
_HOST_NAME = re.compile(r"(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")
