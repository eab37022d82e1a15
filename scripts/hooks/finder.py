"""MkDocs hook for the "Find a therapist" pages: thin calls into scripts/clinic_site/finder/listings.py
and scripts/clinic_site/finder/zip_positions.py, where the logic lives (and is unit-tested).

- on_files: load and validate every listing (the build stops with all problems,
  before any page is written), then add the listing pages and city pages as
  generated files, so they go through the normal build (links, sitemap, search index).
- on_page_markdown: give listing and city pages their settings (title, description,
  template) and sitemap date (their last_updated).
- on_page_content: give listing and city pages their HTML, made by listings.py; put
  the directory (plain HTML list + search form) into therapists/index.md where it
  says <!-- finder:directory --> and the city list where it says <!-- finder:cities -->.
- on_env: give templates `rendered_once`, with which overrides/finder-page.html draws the
  menu of listing and city pages once per build rather than once per page.
- on_page_context: hand each listing page its JSON-LD (overrides/finder-page.html).
- on_post_build: copy the ZIP position shards into the site (from .cache/zip-positions,
  see scripts/clinic_site/finder/zip_positions.py).

Settings (all optional) under `extra: finder:` in mkdocs.yml:
  listings_dir  folder of <id>.yml files, relative to docs_dir or absolute
                (default therapists/listings)
  boards        licensing board table (default therapists/licensing-boards.yml)
  report_email  address for "Report outdated information" (default listings@example.org)
  page_size     how many results the directory shows before "Show more" (default 50)
"""
from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from clinic_site import content_rules
from clinic_site.finder import listings, zip_positions

log = logging.getLogger("mkdocs.hooks.finder")
_state: dict = {}


def _settings(config) -> dict:
    finder = (config.extra or {}).get("finder") or {}
    docs = Path(config.docs_dir)
    return {
        "listings_dir": docs / finder.get("listings_dir", "therapists/listings"),
        "boards": docs / finder.get("boards", "therapists/licensing-boards.yml"),
        "report_email": finder.get("report_email", "listings@example.org"),
        "page_size": int(finder.get("page_size", 50)),
    }


def on_files(files, config):
    settings = _settings(config)
    root = Path(config.config_file_path).resolve().parent
    today = dt.date.today()
    try:
        boards = listings.load_boards(settings["boards"])
        found = listings.load_listings(settings["listings_dir"], today=today, boards=boards,
                                       display_root=root, zip_lookup=zip_positions.lookup)
    except listings.ListingError as error:
        raise PluginError("Therapist listings have problems; fix them and build again:\n  "
                          + "\n  ".join(error.problems)) from None
    cities = listings.group_by_city(found)
    pages, jsonld, updated = {}, {}, {}
    site_url = (config.site_url or "/").rstrip("/") + "/"
    for listing in found:
        uri = listings.LISTING_URI.format(id=listing.id)
        pages[uri] = listings.render_listing_page(listing, boards, report_email=settings["report_email"])
        jsonld[uri] = listings.listing_jsonld(listing, site_url + listings.page_url(uri))
        updated[uri] = listing.last_updated
    for slug, group in cities.items():
        uri = listings.CITY_URI.format(slug=slug)
        pages[uri] = listings.render_city_page(slug, group)
        updated[uri] = max(listing.last_updated for listing in group)
    for uri in pages:  # empty sources: on_page_markdown and on_page_content fill them in
        files.append(File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
    _state.update(listings=found, cities=cities, pages=pages, jsonld=jsonld, updated=updated)
    log.info("finder: %d listings, %d city pages", len(found), len(cities))
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _state.get("pages", {}).get(page.file.src_uri)
    if generated:
        page.meta.update(generated.meta)  # title, description, template: as front matter would
        page.update_date = _state["updated"][page.file.src_uri].isoformat()  # the sitemap's <lastmod>
    return markdown


def on_page_content(html, page, config, files):
    generated = _state.get("pages", {}).get(page.file.src_uri)
    if generated:
        # Made by listings.py from escaped values (tests/test_finder_units.py tries to inject
        # script through every field); scripts/hooks/content.py scanned the empty page before this.
        return generated.html
    if page.file.src_uri != listings.DIRECTORY_URI or "listings" not in _state:
        return html
    directory = listings.render_directory(_state["listings"], zip_base="zip/", zip_digits=zip_positions.PREFIX_DIGITS,
                                          page_size=_settings(config)["page_size"])
    cities = listings.render_city_links(_state["cities"])
    # scripts/hooks/content.py checked this page before the lists were added: check them too.
    problems = content_rules.unsafe_markup(directory + cities)
    if problems:
        raise PluginError("Unsafe markup in the therapist directory:\n  " + "\n  ".join(problems))
    return html.replace("<!-- finder:directory -->", directory).replace("<!-- finder:cities -->", cities)


def on_post_build(config):
    # Copied as one folder rather than added to `files`: MkDocs handles files one by one,
    # which cost a fifth of a second a build for the 917 three-digit shards there once were.
    zip_positions.default_cache().copy_shards(Path(config.site_dir))


def on_env(env, config, files):
    env.globals["rendered_once"] = _rendered_once({})  # a new, empty store for each build
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
