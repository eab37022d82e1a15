"""MkDocs hook for the "Find a therapist" pages: thin calls into scripts/clinic_site/finder/,
where the logic lives (and is unit-tested).

- on_files: load the finder once (clinic_site.finder.load_finder: settings from `extra: finder:`,
  the vocabulary, the licensing boards and every listing; the build stops with all problems,
  before any page is written), then add the listing, city and state pages as generated files,
  so they go through the normal build (links, search index, sitemap).
- on_page_markdown: give listing, city and state pages their settings (title, description,
  template, search and social card settings) and sitemap date (their last_updated); on
  therapists/index.md, turn the <!-- finder:directory --> and <!-- finder:cities --> lines into
  empty elements that the page's sanitiser keeps (it drops comments), where on_env puts the lists.
- on_env: with the theme's Jinja environment, render the listing, city and state pages and the
  directory from overrides/finder/*.html (autoescaped): the finder's controls (finder.js fills
  its results) and the list of states and cities go into those elements. Also gives templates
  `rendered_once`, with which overrides/finder-page.html draws the menu of the finder's pages
  once per folder and build, and `clinic_therapists` (the listings marked at_clinic).
- on_page_context: hand each listing page its JSON-LD (overrides/finder-page.html).
- on_post_page: give each listing and city page, which draw no social card of their own, the
  tags of their state page's card.
- on_post_build: copy the ZIP position shards into the site (from .cache/zip-positions,
  see scripts/clinic_site/finder/zip_positions.py) and write the listings' data files for
  finder.js (therapists/data/, see scripts/clinic_site/finder/shards.py); put the finder's pages
  into sitemaps of their own, named by sitemap-index.xml (scripts/clinic_site/finder/sitemaps.py).

Settings: `extra: finder:` in mkdocs.yml, declared with their defaults in
scripts/clinic_site/finder/settings.py (FinderConfig).
"""
from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from clinic_site import content_rules
from clinic_site.check import today as _today
from clinic_site.finder import load_finder, pages, shards, sitemaps, zip_positions
from clinic_site.finder.load import finder_warnings
from clinic_site.finder.model import Listing
from clinic_site.problems import Problem, ProblemsFound, errors

log = logging.getLogger("mkdocs.hooks.finder")
Subject = Listing | str | tuple[str, str]   # what a generated page shows: a listing, a city (its slug),
                                            # or a state: ("state", its code)
_state: dict = {}


_mode = {"command": "build"}


def on_startup(command, dirty):
    _mode["command"] = command


def collected_problems() -> list[Problem]:
    """The finder's problems of this build: its warnings (for `clinic check`), and under
    `mkdocs serve` its errors too, which the content hook shows in the preview's box."""
    return list(_state.get("problems", [])) + list(_state.get("warnings", []))


def on_files(files, config):
    _state.clear()
    root = Path(config.config_file_path).resolve().parent
    today = _today()
    finder = load_finder(config.extra, Path(config.docs_dir), root, today,
                         config_file=Path(config.config_file_path), zip_lookup=zip_positions.lookup)
    if errors(finder.problems):
        if _mode["command"] == "serve":  # the preview keeps serving, without finder pages, and shows why
            _state.update(problems=errors(finder.problems))
            return files
        # `clinic check` reads the problems from the exception
        raise ProblemsFound(errors(finder.problems), "Therapist listings have problems; fix them and build again:")
    cities = pages.group_by_city(finder.listings)
    generated: dict[str, tuple[dict, dt.date, Subject]] = {}   # src_uri -> (settings, updated, subject)
    for listing in finder.listings:
        uri = pages.LISTING_URI.format(id=listing.id)
        generated[uri] = (pages.listing_meta(listing), listing.last_updated, listing)
    for slug, group in cities.items():
        generated[pages.CITY_URI.format(slug=slug)] = (pages.city_meta(group),
                                                       max(listing.last_updated for listing in group), slug)
    states = pages.group_by_state(cities)
    for code, in_state in states.items():
        generated[pages.state_uri(code)] = (pages.state_meta(code, in_state), max(
            listing.last_updated for group in in_state.values() for listing in group), ("state", code))
    for uri in generated:  # empty sources: on_page_markdown and on_env fill them in
        files.append(File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
    # Boards to check and listings soon too old to publish: printed by the build, listed by `clinic check`.
    warnings = finder_warnings(finder, today, root, Path(config.docs_dir))
    for warning in warnings:
        log.info("Warning: %s", warning)
    _state.update(finder=finder, cities=cities, states=states, generated=generated, warnings=warnings)
    log.info("finder: %d listings, %d city pages, %d state pages", len(finder.listings), len(cities), len(states))
    return files


# Where the directory page says <!-- finder:directory --> and <!-- finder:cities -->: comments do
# not survive the page's sanitiser (clinic_site.sanitize), so each becomes an empty element it keeps,
# filled in on_env, after it.
SLOTS = {"<!-- finder:directory -->": '<div id="finder-slot-directory"></div>',
         "<!-- finder:cities -->": '<div id="finder-slot-cities"></div>'}


def on_page_markdown(markdown, page, config, files):
    entry = _state.get("generated", {}).get(page.file.src_uri)
    if entry:
        page.meta.update(entry[0])  # title, description, template: as front matter would
        page.meta["finder_generated"] = True   # in the finder's sitemaps, not sitemap.xml (overrides/sitemap.xml)
        page.update_date = entry[1].isoformat()  # the sitemap's <lastmod>
    elif page.file.src_uri == pages.DIRECTORY_URI:
        missing = [marker for marker in SLOTS if marker not in markdown]
        if missing and "finder" in _state:
            raise ProblemsFound([Problem(f"docs/{pages.DIRECTORY_URI}", 1, "", f"the line {marker} is missing",
                                         "put it back on a line of its own where that list should appear")
                                 for marker in missing], "The therapist directory page has problems:")
        for marker, slot in SLOTS.items():
            markdown = markdown.replace(marker, slot)
    return markdown


def on_env(env, config, files):
    env.globals["rendered_once"] = _rendered_once({})  # a new, empty store for each build
    # The clinic's own therapists (at_clinic: true), for the home page (pages.ClinicTherapist).
    env.globals["clinic_therapists"] = pages.clinic_therapists(_state["finder"].listings) if "finder" in _state else []
    if "finder" not in _state:
        return env
    finder = _state["finder"]
    renderer = pages.Pages(env, finder.vocabulary, finder.boards, finder.settings.report_email)
    site_url = (config.site_url or "/").rstrip("/") + "/"
    jsonld = {}
    # Made from the listings by overrides/finder/*.html with autoescaping (tests/test_finder_units.py
    # tries to inject script through every field); scripts/hooks/content.py scanned the empty pages.
    for uri, (_meta, _updated, subject) in _state["generated"].items():
        page = files.get_file_from_path(uri).page
        if isinstance(subject, tuple):
            page.content = renderer.state(subject[1], _state["states"][subject[1]])
        elif isinstance(subject, str):
            page.content = renderer.city(subject, _state["cities"][subject])
        else:
            page.content = renderer.listing(subject)
            jsonld[uri] = pages.listing_jsonld(subject, site_url + pages.page_url(uri), finder.vocabulary)
    _state["jsonld"] = jsonld
    directory_file = files.get_file_from_path(pages.DIRECTORY_URI)
    if directory_file is not None and directory_file.page is not None and directory_file.page.content is not None:
        directory = renderer.directory(finder.listings, zip_base="zip/", zip_digits=zip_positions.PREFIX_DIGITS,
                                       page_size=finder.settings.page_size)
        cities = renderer.city_links(_state["cities"])
        # scripts/hooks/content.py checked this page before the lists were added: check them too.
        problems = content_rules.unsafe_markup(directory + cities)
        if problems:
            raise PluginError("Unsafe markup in the therapist directory:\n  " + "\n  ".join(problems))
        page = directory_file.page
        for slot, html in zip(SLOTS.values(), (directory, cities), strict=True):
            if slot not in page.content:   # the sanitiser changed how it writes the empty element
                raise PluginError(f"The therapist directory page lost its place for the list ({slot}); "
                                  "see SLOTS in scripts/hooks/finder.py")
            page.content = page.content.replace(slot, html)
    return env


def _rendered_once(store: dict):
    """A template function: `{% call rendered_once(key) %}...{% endcall %}` renders its body
    the first time a key is seen in this build and repeats that HTML after."""
    def rendered_once(key, caller):
        if key not in store:
            store[key] = caller()
        return store[key]
    return rendered_once


def on_page_context(context, page, config, nav):
    code = _state.get("jsonld", {}).get(page.file.src_uri)
    if code:
        page.meta["finder_jsonld"] = code
    return context


def on_post_page(output, page, config):
    """A listing or city page draws no social card (pages.NO_CARD): it gets the tags of its state
    page's card, as Material's social plugin writes them (before </head>, in its format, so
    scripts/hooks/content.py, which rewrites every page's social tags later, finds the image)."""
    entry = _state.get("generated", {}).get(page.file.src_uri)
    if not entry or isinstance(entry[2], tuple):   # not a finder page, or a state page (its own card)
        return output
    state = entry[2].state if isinstance(entry[2], Listing) else _state["cities"][entry[2]][0].state
    tags = social_tags(page, config, pages.state_uri(state))
    at = output.find("</head>")
    return output[:at] + tags + "\n" + output[at:] if tags and at >= 0 else output


def social_tags(page, config, card_page_uri: str) -> str:
    """The Open Graph and Twitter tags Material's social plugin (9.8.1, default layout:
    material/plugins/social/templates/default.yml) writes for a page with a card, with the card
    of the page `card_page_uri` (a state page). '' when the plugin draws no cards or the site has
    no site_url. Values escaped once, for attributes."""
    plugin = config.plugins.get("material/social")
    if plugin is None or not plugin.config.enabled or not plugin.config.cards or not config.site_url:
        return ""
    card = f"{plugin.config.cards_dir}/{pages.page_url(card_page_uri).rstrip('/')}.png"
    title = f"{html.unescape(str(page.meta.get('title', page.title)))} - {config.site_name}"
    description = html.unescape(str(page.meta.get("description", config.site_description or "")))
    image = config.site_url.rstrip("/") + "/" + card
    tags = [("og:type", "website"), ("og:title", title), ("og:description", description), ("og:image", image),
            ("og:image:type", "image/png")]
    if plugin.config.cards_layout == "default":   # its size; another layout may have another
        tags += [("og:image:width", "1200"), ("og:image:height", "630")]
    tags += [("og:url", page.canonical_url or ""), ("twitter:card", "summary_large_image"),
             ("twitter:title", title), ("twitter:description", description), ("twitter:image", image)]
    return "\n".join(f'<meta property="{name}" content="{html.escape(value)}" />' for name, value in tags if value)


def on_post_build(config):
    # Copied as one folder rather than added to `files`: MkDocs handles files one by one,
    # which cost a fifth of a second a build for the 917 three-digit shards there once were.
    zip_positions.default_cache().copy_shards(Path(config.site_dir))
    if "finder" in _state:
        shards.write(_state["finder"].listings, Path(config.site_dir))
    # The finder's pages in sitemaps of their own (overrides/sitemap.xml leaves them out), and
    # sitemap-index.xml naming those and sitemap.xml: robots.txt names the index.
    site_url = (config.site_url or "/").rstrip("/") + "/"
    entries = [(site_url + pages.page_url(uri), updated.isoformat())   # each page's canonical URL
               for uri, (_meta, updated, _subject) in _state.get("generated", {}).items()]
    sitemaps.write(Path(config.site_dir), site_url, entries)
