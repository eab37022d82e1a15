"""The therapist finder's pages, staged as files: one page per listing, city and state, made
from the listing files by the templates in overrides/finder/ (autoescaped), and the directory
page's two lists.

A generated page is a Markdown file whose body is the finished HTML (Markdown passes an HTML
block through as it is) and whose front matter holds its settings, as a page written by hand
would. In the preview, a listing whose file has an error is staged as a page that names the
problem, at the listing's own address, instead of a bare "page not found".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
from pathlib import Path

import jinja2
from markupsafe import escape

from clinic_site import render, seo
from clinic_site.finder import pages as finder_pages
from clinic_site.finder import zip_positions
from clinic_site.finder.load import Finder
from clinic_site.finder.schema import ID_PATTERN
from clinic_site.problems import Problem, errors
from clinic_site.stage.pages import PageContext, PageRecord, page_url, structured_data

# Where therapists/index.md says <!-- finder:directory --> and <!-- finder:cities -->, the staged
# page holds an empty element of this id; finder.html puts the list from the front matter there.
SLOTS = {"<!-- finder:directory -->": "finder-slot-directory", "<!-- finder:cities -->": "finder-slot-cities"}


@dataclasses.dataclass
class Generated:
    """A page the finder makes: its front matter (settings and `clinic:`), its HTML and its record."""

    meta: dict
    html: str
    record: PageRecord

    def text(self) -> str:
        """The staged file: front matter as JSON lines (YAML reads them), then the HTML."""
        lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=True)}\n" for key, value in self.meta.items())
        return f"---\n{lines}---\n\n{self.html}\n"


def _renderer(finder: Finder, overrides: Path) -> finder_pages.Pages:
    assert finder.vocabulary is not None, "the finder's pages are made only with a valid vocabulary"
    return finder_pages.Pages(finder_pages.standalone_environment(overrides), finder.vocabulary,
                              finder.boards or {}, finder.settings.report_email)


def generate(finder: Finder, overrides: Path, context: PageContext, listings_shown: str) -> dict[str, Generated]:
    """Every page of the finder by its src_uri ("therapists/jane-doe.md"); `listings_shown` is the
    listings folder as staff see it, named by pages made from many files. Needs a valid vocabulary."""
    renderer = _renderer(finder, overrides)
    vocabulary = renderer.vocabulary
    cities = finder_pages.group_by_city(finder.listings)
    states = finder_pages.group_by_state(cities)
    made: dict[str, Generated] = {}
    for listing in finder.listings:
        uri = finder_pages.LISTING_URI.format(id=listing.id)
        card = finder_pages.state_uri(listing.state)
        made[uri] = _page(uri, finder_pages.listing_meta(listing), renderer.listing(listing), "listing",
                          listing.last_updated, f"{listings_shown}/{listing.id}.yml", context, card,
                          extra=[json.loads(finder_pages.listing_jsonld(
                              listing, context.site_url + page_url(uri), vocabulary))],
                          at_clinic=listing.at_clinic)
    for slug, group in cities.items():
        uri = finder_pages.CITY_URI.format(slug=slug)
        made[uri] = _page(uri, finder_pages.city_meta(group), renderer.city(slug, group), "city",
                          max(listing.last_updated for listing in group), listings_shown, context,
                          finder_pages.state_uri(group[0].state))
    for code, in_state in states.items():
        uri = finder_pages.state_uri(code)
        newest = max(listing.last_updated for group in in_state.values() for listing in group)
        made[uri] = _page(uri, finder_pages.state_meta(code, in_state), renderer.state(code, in_state), "state",
                          newest, listings_shown, context, None)
    return made


def _page(uri: str, settings: dict, body: str, kind: str, updated: dt.date, shown: str, context: PageContext,
          card: str | None, extra: list[dict] | None = None, at_clinic: bool = False) -> Generated:
    # The finder's titles and descriptions are HTML-escaped once for Material's templates, which
    # print them as they are (finder/pages.py); the record keeps them as plain text.
    title, description = html.unescape(settings["title"]), html.unescape(settings["description"])
    record = PageRecord(uri, shown, page_url(uri, context.use_directory_urls), kind, title, description,
                        settings, lastmod=updated.isoformat(), sitemap="finder", card=card)
    record.structured_data = structured_data(record, context) + (extra or [])
    meta = {**settings, "clinic": {"title": seo.page_title(title, context.clinic), "generated": True}}
    if at_clinic:   # one of the clinic's own therapists: the page offers the clinic's booking too
        meta["clinic"]["at_clinic"] = True
    return Generated(meta, body, record)


def directory_slots(finder: Finder, overrides: Path) -> list[dict[str, str]]:
    """The directory page's two lists, [{id, html}]: the finder's controls and the cities by state."""
    renderer = _renderer(finder, overrides)
    cities = finder_pages.group_by_city(finder.listings)
    return [
        {"id": "finder-slot-directory", "html": renderer.directory(
            finder.listings, zip_base="zip/", zip_digits=zip_positions.PREFIX_DIGITS,
            page_size=finder.settings.page_size)},
        {"id": "finder-slot-cities", "html": renderer.city_links(cities)}]


def with_slots(text: str, shown: str) -> tuple[str, list[Problem]]:
    """The directory page's text with each marker line as its slot's empty element, and a
    problem for each marker the page lost."""
    problems = []
    for marker, slot in SLOTS.items():
        if marker not in text:
            problems.append(Problem(shown, 1, "", f"the line {marker} is missing",
                                    "put it back on a line of its own where that list should appear"))
        text = text.replace(marker, f'<div id="{slot}"></div>')
    return text, problems


def problem_pages(problems: list[Problem], listings_dir: Path, listings_shown: str,
                  context: PageContext) -> dict[str, Generated]:
    """The preview's page for each listing file with an error: at the listing's address, the
    problems of that file, so staff who follow its link see why it is missing."""
    made: dict[str, Generated] = {}
    for file in sorted(listings_dir.glob("*.yml")):
        shown = f"{listings_shown}/{file.name}"
        mine = [problem for problem in errors(problems) if problem.path == shown]
        if not mine or not ID_PATTERN.fullmatch(file.stem):
            continue
        uri = finder_pages.LISTING_URI.format(id=file.stem)
        body = render.problem_box(mine, "Fix before publishing: this listing is not published")
        settings = {"title": str(escape(f"Listing {file.stem}")), "description": "A listing with problems to fix.",
                    "template": finder_pages.PAGE_TEMPLATE, "search": {"exclude": True}, "social": {"cards": False}}
        made[uri] = _page(uri, settings, body, "problem", context.facts.today, shown, context, None)
        made[uri].record.sitemap = ""
    return made


def templates_problems(finder: Finder, overrides: Path, shown) -> list[Problem]:
    """The finder's templates (overrides/finder/*.html) as the stage loads them: each one missing,
    or that Jinja cannot read, named at its file and line (the run stopped with a traceback, Jinja's
    TemplateNotFound or TemplateSyntaxError); none when the finder's pages can be made.
    `shown`: a path as staff see it (Project.shown)."""
    try:
        _renderer(finder, overrides)
    except jinja2.TemplateSyntaxError as error:
        where = shown(Path(error.filename)) if error.filename else shown(overrides)
        return [Problem(where, error.lineno or 1, "", f"the template cannot be read: {error.message}",
                        "correct the template (it makes the finder's pages), or restore it from the repository")]
    except jinja2.TemplateNotFound as error:
        return [Problem(shown(overrides / str(error.name)), 1, "", "is missing: the finder's pages are made from it",
                        "restore it from the repository (git checkout -- the file)")]
    return []
