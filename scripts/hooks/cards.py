"""MkDocs hook: every character on a social card is drawn with a committed font that has it, or
left out cleanly; the page keeps its full title. The rules are in scripts/clinic_site/cards.py.

Material's social plugin (9.8.1) draws a card's site name, title and description with one font
family from `.cache/social/fonts/<family>/`, downloading it from Google Fonts if the folder is
missing, and draws an empty box for each character the family lacks.

on_config: read what each committed family can draw; stop the build when the configured family
is not committed (it would be downloaded) or when site_name, which is on every card, has a
character no committed family has.
on_page_markdown (before the plugin, which starts a page's card in its own on_page_markdown at
priority -100): choose the family for the page's card, and where the card would not show the
title or description as written, give it the text to draw through the plugin's per-page
settings (`social: cards_layout_options:` title, description, font_family), escaped once for
the plugin, which decodes HTML entities in card text.
"""
from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from clinic_site import cards
from clinic_site.problems import Problem, ProblemsFound, front_matter_line

log = logging.getLogger("mkdocs.hooks.cards")
_fonts: dict = {}


def _social(config):
    plugin = config.plugins.get("material/social")
    return plugin if plugin is not None and plugin.config.enabled and plugin.config.cards else None


def on_config(config):
    _fonts.clear()
    plugin = _social(config)
    if plugin is None:
        return config
    root = Path(config.config_file_path).resolve().parent
    fonts_dir = root / plugin.config.cache_dir / "fonts"
    families = cards.committed_families(fonts_dir) if fonts_dir.is_dir() else {}
    family = plugin.config.cards_layout_options.get("font_family") or "Roboto"  # Material's default
    config_file = Path(config.config_file_path)
    source = config_file.read_text(encoding="utf-8") if config_file.is_file() else ""  # for line numbers
    config_name = Path(os.path.relpath(config.config_file_path, root)).as_posix()
    shown = Path(os.path.relpath(fonts_dir, root)).as_posix()
    if family not in families:
        raise ProblemsFound([Problem(
            config_name, _line_of(source, "font_family:"), "plugins.social.cards_layout_options.font_family",
            f"'{family}' is not in {shown}, so the social plugin would download it",
            f"commit the family's .ttf files and licence in {shown}/{family}/, "
            f"or choose one of: {', '.join(families) or 'none committed'}")])
    chosen = cards.choose_family([config.site_name], families, family)
    lacking = cards.missing(config.site_name, families[chosen])
    if lacking:
        raise ProblemsFound([Problem(
            config_name, front_matter_line(source, "site_name"), "site_name",
            f"has {lacking!r}, which no font in {shown} can draw on the social cards",
            "leave them out of site_name, or commit a font family that has them")])
    _fonts.update(families=families, family=family)
    return config


def _line_of(source: str, text: str) -> int:
    return next((number for number, line in enumerate(source.splitlines(), 1) if text in line), 1)


def on_page_markdown(markdown, page, config, files):
    social = page.meta.get("social")
    social = social if isinstance(social, dict) else {}
    own = social.get("cards_layout_options") or {}  # the page's own card settings are kept as written
    if not _fonts or social.get("cards", True) is False or "font_family" in own:
        return markdown
    families = _fonts["families"]
    meta_title = page.meta.get("title")
    title = str(meta_title) if meta_title is not None else cards.heading_text(page.title or "")
    description = str(page.meta.get("description", config.site_description) or "")
    family = cards.choose_family([config.site_name, title, description], families, _fonts["family"])
    characters = families[family]
    options = {}
    if family != _fonts["family"]:
        options["font_family"] = family
    # What the plugin would draw by itself: the text with HTML entities decoded.
    drawn_title = html.unescape(str(meta_title) if meta_title is not None else page.title or "")
    left_out = cards.missing(title + description, characters)
    if left_out:
        log.info("%s: the social card leaves out %r: no committed font has them", page.file.src_uri, left_out)
    for key, text, drawn in (("title", title, drawn_title), ("description", description, html.unescape(description))):
        if key in own:
            continue
        wanted = cards.drawable(text, characters) if left_out else text
        if wanted != drawn:
            # Escaped once, as the plugin decodes entities; a blank would make it fall back to the page's text.
            options[key] = html.escape(wanted, quote=False) or " "
    if options:
        page.meta["social"] = {**social, "cards_layout_options": {**own, **options}}
    return markdown
