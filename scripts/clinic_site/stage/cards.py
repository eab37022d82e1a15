"""Social cards: every character on a page's card is drawn with a committed font that has it, or
left out cleanly; the page keeps its full title. The rules are in clinic_site.cards.

Material's social plugin (9.8) draws a card's site name, title and description with one font
family from `<cache_dir>/fonts/<family>/`, downloading it from Google Fonts if the folder is
missing, and draws an empty box for each character the family lacks. The stage checks that the
configured family is committed (it would be downloaded) and that the site's name (clinic.yml's
`name`), on every card, can be drawn; for each page it chooses the family and, where the card
would not show the title or description as written, the text to draw. The engine adapter hands
these per-page options to the plugin (`social: cards_layout_options:`), escaped once, as the
plugin decodes HTML entities.
"""
from __future__ import annotations

import collections
import dataclasses
import html
import logging
from pathlib import Path

from clinic_site import cards
from clinic_site.problems import Problem, front_matter_line
from clinic_site.project import Settings
from clinic_site.sources import Source

log = logging.getLogger("clinic.cards")
FIELD = "plugins.social.cards_layout_options.font_family"


@dataclasses.dataclass
class CardFonts:
    """The committed families ({name: characters}) and the one mkdocs.yml asks for."""

    families: dict[str, frozenset[int]]
    family: str


def fonts_folder(settings: Settings) -> Path:
    """The folder of committed card fonts: `<cache_dir>/fonts` of mkdocs.yml's social plugin
    (Material's default cache_dir when none is given), one folder per family."""
    options = settings.plugin("social") or {}
    return settings.project.root / str(options.get("cache_dir") or ".cache/plugin/social") / "fonts"


_NOTES = (".txt", ".md", ".license")   # a family's licence and notes, beside its fonts (and LICENSE)


def folder_problems(project, fonts_dir: Path) -> list[Problem]:
    """What in the committed fonts folder (`<cache_dir>/fonts/<family>/<style>.ttf`) the card
    plugins could not read as the stage does: a link (read through, from outside the project),
    two files for one style (Material picks a style's file by its name without the extension:
    which one would be luck), a file that is neither a font nor a note (a `Bold.eot` is picked
    by its name too), a folder named like a font, a font that FreeType (Pillow, as Material draws)
    or this site's reader cannot read. One problem each, naming the file."""
    if fonts_dir.is_symlink():   # (a folder outside the project is refused by stage.settings, naming cache_dir)
        return [Problem(project.shown(fonts_dir), 1, "", "is a link: the card fonts must be committed files of "
                        "the project", "replace it with a folder of the font files")]
    if not fonts_dir.is_dir():
        return []
    from PIL import ImageFont

    found = []

    def name(path: Path, what: str, fix: str) -> None:
        found.append(Problem(project.shown(path), 1, "", what, fix))

    for folder in sorted(fonts_dir.iterdir()):
        if folder.is_symlink():
            name(folder, "is a link: the card fonts must be committed files of the project",
                 "replace the link with a folder of the font files")
            continue
        if not folder.is_dir():
            continue
        entries = sorted(folder.iterdir())
        fonts = [path for path in entries if path.suffix.lower() in cards.FONT_SUFFIXES]
        for stem, count in collections.Counter(path.stem for path in fonts).items():
            if count > 1:
                name(folder, f"has two font files for the style '{stem}'",
                     "keep one of them (the card plugin picks a style's file by its name)")
        for path in entries:
            if path.is_symlink():
                name(path, "is a link: the card fonts must be committed files of the project",
                     "replace the link with the font file itself")
            elif path.is_dir() or (path.suffix.lower() not in cards.FONT_SUFFIXES
                                   and path.suffix.lower() not in _NOTES and not path.name.startswith("LICENSE")):
                name(path, "is not a .ttf, .otf or .ttc font file (the card plugin picks a style's file by its name)",
                     "delete it, or keep only the family's font files and its licence here")
            elif path.suffix.lower() in cards.FONT_SUFFIXES:
                try:
                    cards.font_characters(path)
                    cards.font_names(path)
                    ImageFont.truetype(str(path), 12)
                except (cards.FontError, OSError, ValueError) as error:
                    reason = str(error).removeprefix(f"{path}: ")
                    name(path, f"is not a font the cards can use ({reason})",
                         "replace it with the family's font file as it comes from its maker")
    return found


def fonts(settings: Settings) -> tuple[CardFonts | None, list[Problem]]:
    """The card fonts of the project, or None without social cards; problems for a family that is
    not committed, a link among the fonts and a site name no committed font can draw. With None,
    the engines draw no cards this run (Staged.card_fonts): nothing downloaded, nothing read
    through a link."""
    options = settings.plugin("social")
    if options is None or options.get("enabled") is False or options.get("cards") is False:
        return None, []
    project = settings.project
    fonts_dir = fonts_folder(settings)
    found = folder_problems(project, fonts_dir)
    if found:
        return None, found
    families = cards.committed_families(fonts_dir) if fonts_dir.is_dir() else {}
    given = options.get("cards_layout_options")
    layout = given if isinstance(given, dict) else {}
    family = str(layout.get("font_family") or "Roboto")   # Material's default
    config_shown, shown = project.shown(project.config_file), project.shown(fonts_dir)
    if family not in families:
        return None, [Problem(config_shown, settings.line_of("font_family:"), FIELD,
                              f"'{family}' is not in {shown}, so the social plugin would download it",
                              f"commit the family's .ttf files and licence in {shown}/{family}/, "
                              f"or choose one of: {', '.join(families) or 'none committed'}")]
    site_name = settings.site_name   # clinic.yml's name (the engine's site_name is set from it)
    lacking = cards.missing(site_name, families[cards.choose_family([site_name], families, family)])
    if lacking and site_name == settings.clinic.get("name"):
        return None, [Problem(project.shown(project.clinic_file), front_matter_line(settings.clinic_text, "name"),
                              "name", f"has {lacking!r}, which no font in {shown} can draw on the social cards",
                              "leave them out of the clinic's name, or commit a font family that has them")]
    if lacking:
        return None, [Problem(config_shown, front_matter_line(settings.text, "site_name"), "site_name",
                              f"has {lacking!r}, which no font in {shown} can draw on the social cards",
                              "leave them out of site_name, or commit a font family that has them")]
    return CardFonts(families, family), []


def page_options(source: Source, title: str, site_name: str, site_description: str,
                 card_fonts: CardFonts) -> dict | None:
    """The `social:` front matter to give one page's card ({"cards_layout_options": {...}} merged
    with the page's own), or None when the plugin would draw it right by itself."""
    meta = source.meta
    given = meta.get("social")
    social: dict = given if isinstance(given, dict) else {}
    own: dict = social.get("cards_layout_options") or {}   # the page's own card settings are kept as written
    if social.get("cards", True) is False:
        return None
    replaced = "font_family" in own and own["font_family"] not in card_fonts.families   # named by family_problems
    if replaced:
        own = {key: value for key, value in own.items() if key != "font_family"}
    elif "font_family" in own:
        return None
    meta_title = meta.get("title")
    text_title = str(meta_title) if meta_title is not None else cards.heading_text(title)
    description = str(meta.get("description", site_description) or "")
    family = cards.choose_family([site_name, text_title, description], card_fonts.families, card_fonts.family)
    characters = card_fonts.families[family]
    options: dict = {}
    if family != card_fonts.family:
        options["font_family"] = family
    # What the plugin would draw: it decodes entities, and the adapter hands it front matter text
    # escaped once (engines/mkdocs/escaping.py), so `title:` as written; a heading's text decoded.
    drawn_title = str(meta_title) if meta_title is not None else html.unescape(title)
    left_out = cards.missing(text_title + description, characters)
    if left_out:
        log.info("%s: the social card leaves out %r: no committed font has them", source.path, left_out)
    drawn_description = description   # the page's or the site's, escaped once by the adapter too
    for key, text, drawn in (("title", text_title, drawn_title), ("description", description, drawn_description)):
        if key in own:
            continue
        wanted = cards.drawable(text, characters) if left_out else text
        if wanted != drawn:
            # Escaped once, as the plugin decodes entities; a blank would make it fall back to the page's text.
            options[key] = html.escape(wanted, quote=False) or " "
    return {**social, "cards_layout_options": {**own, **options}} if options or replaced else None


def family_problems(source: Source, card_fonts: CardFonts, options: dict | None = None) -> list[Problem]:
    """A page's own card settings (`social: cards_layout_options:`) the card cannot show: a
    `font_family` that is not a committed family (the engine would download it, Material, or stop,
    Zensical; page_options leaves it out), and a `title` or `description` of its own with
    characters the card's family cannot draw (drawn as written, each as an empty box: a warning).
    `options`: what page_options gave the page (its family, when it chose one)."""
    given = source.meta.get("social")
    own = given.get("cards_layout_options") if isinstance(given, dict) else None
    if not isinstance(own, dict):
        return []
    found = []
    family = own.get("font_family")
    if family is not None and family not in card_fonts.families:
        found.append(Problem(source.path, _own_line(source, "font_family"), "social.cards_layout_options.font_family",
                             f"'{family}' is not one of the committed card fonts, so the card would need a download",
                             f"choose one of: {', '.join(card_fonts.families)}, or take the line out"))
        family = None
    chosen = ((options or {}).get("cards_layout_options") or {}).get("font_family") or family or card_fonts.family
    for key in ("title", "description"):
        lacking = cards.missing(html.unescape(str(own.get(key) or "")), card_fonts.families[chosen])
        if lacking:
            found.append(Problem(source.path, _own_line(source, key), f"social.cards_layout_options.{key}",
                                 f"has {lacking!r}, which the card's font ({chosen}) cannot draw: the card would "
                                 "show an empty box for each", "leave them out of the card's text (the page keeps "
                                 "its own), or commit a font family that has them", severity="warning"))
    return found


def category_problems(settings: Settings, sources: dict[str, Source], card_fonts: CardFonts,
                      blog_dir: str, allowed: tuple[str, ...]) -> list[Problem]:
    """A blog category whose name the card's font cannot draw: the engine makes the category's
    page itself and its card shows the name, each such character as an empty box (a warning).
    Each category is named once: on its line of `categories_allowed` in mkdocs.yml (`allowed`),
    else on the `categories:` line of the first post that gives it."""
    where: dict[str, tuple[str, int]] = {}
    for name in allowed:
        line = next((number for number, text in enumerate(settings.text.splitlines(), start=1)
                     if text.strip().lstrip("-").strip().strip("'\"") == name), settings.line_of("categories_allowed"))
        where.setdefault(name, (settings.project.shown(settings.project.config_file), line))
    for src_uri in sorted(sources):
        source = sources[src_uri]
        given = source.meta.get("categories") if src_uri.startswith(f"{blog_dir}/posts/") else None
        for name in given if isinstance(given, list) else []:
            where.setdefault(str(name), (source.path, front_matter_line(source.text, "categories")))
    characters = card_fonts.families[card_fonts.family]
    found = []
    for name, (path, line) in where.items():
        lacking = cards.missing(name, characters)
        if lacking:
            found.append(Problem(path, line, "categories", f"the category '{name}' has {lacking!r}, which the card's "
                                 f"font ({card_fonts.family}) cannot draw: the category page's card would show an "
                                 "empty box for each", "leave them out of the category's name (in every post and in "
                                 "categories_allowed), or commit a font family that has them", severity="warning"))
    return found


def _own_line(source: Source, key: str) -> int:
    """The line of `key:` among the page's card settings (after `social:` in its front matter), or
    of `social:`."""
    lines = source.text.splitlines()
    end = next((number for number, text in enumerate(lines[1:], start=1) if text.strip() == "---"), 0)
    social = front_matter_line(source.text, "social")
    return next((number for number, text in enumerate(lines[:end], start=1)
                 if number > social and text.strip().startswith(f"{key}:")), social)
