"""Stage 1 of a run: read and check every source, then write the staging folder the engine builds.

Every source is read here, once, with the project's own readers (YAML through clinic_site.yamlfile):
the clinic's details (clinic.yml), the people of .authors.yml, the redirects, every Markdown page,
the finder's settings, vocabulary, licensing boards and listings. Every rule returns problems and the stage
goes on; a page that cannot be built is left out of the staging folder (and named), so the run
still reaches every other page. What the stage writes:

- the pages, each with the values its templates show in its front matter (stage/pages.py);
- the pages the site generates: the finder's listing, city and state pages (stage/finder.py),
  and in the preview a page naming the problem for each listing that has one;
- the files published as they are (images, styles, scripts), copied, never linked.

The engine adapter gives templates `template_values` (the clinic's details in the forms pages
show, from clinic.yml) through the engine's configuration (config.extra.clinic_details).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import yaml

from clinic_site import clinic_settings, content_rules, launch, seo, yamlfile
from clinic_site import people as people_file
from clinic_site.clinic_settings import ClinicDetails
from clinic_site.finder import pages as finder_pages
from clinic_site.finder import schema, zip_positions
from clinic_site.finder.load import Finder, finder_warnings, load_finder
from clinic_site.problems import Problem, errors
from clinic_site.project import Settings
from clinic_site.sources import Source
from clinic_site.stage import addresses, cards, menu, pages, people_pages
from clinic_site.stage import blog as blog_rules
from clinic_site.stage import files as staged_files
from clinic_site.stage import finder as finder_stage
from clinic_site.stage import snippets as includes
from clinic_site.stage.finder import Generated
from clinic_site.stage.pages import PageContext, PageRecord
from clinic_site.theme import ThemeFiles

CLAIMS_FILE = "guide/claims.yml"   # inside docs/: the claims table (clinic_site.claims), never published


@dataclasses.dataclass
class Staged:
    """What the stage found and wrote, for the engine and the post-build stage.

    docs_dir:        the staging folder (the engine's docs_dir)
    records:         every page to be published, by src_uri (Markdown pages and generated ones)
    sources:         every Markdown page as read, by src_uri (for the lines of later problems)
    generated:       the finder's pages, by src_uri (the adapter may take them from here)
    template_values: {"clinic_details": {...}}: what templates read from config.extra
    left_out:        Markdown pages not staged because they cannot be built (by src_uri)
    card_fonts:      the committed card fonts, or None: then no engine draws social cards
    dropped:         settings the engine must not read ("theme.logo"), each named by a problem
    snippets_dir:    the staged copy of docs/.snippets, the one folder includes read (None: no includes)
    appended:        the snippets appended to every page (auto_append), as names in that folder
    """

    docs_dir: Path
    settings: Settings
    clinic: ClinicDetails
    people: dict[str, dict]
    records: dict[str, PageRecord]
    sources: dict[str, Source]
    generated: dict[str, Generated]
    finder: Finder | None
    template_values: dict
    left_out: set[str]
    context: PageContext
    card_fonts: cards.CardFonts | None = None   # None: the engines draw no social cards (stage.cards.fonts)
    dropped: frozenset[str] = frozenset()
    snippets_dir: Path | None = None
    appended: list[str] = dataclasses.field(default_factory=list)
    markers: list[launch.Marker] = dataclasses.field(default_factory=list)   # what is still sample (clinic_site.launch)


def stage(settings: Settings, staging: Path, *, today: dt.date, serving: bool, theme: ThemeFiles | None = None,
          dropped: frozenset[str] = frozenset()) -> tuple[Staged, list[Problem]]:
    """Read and check every source of the project of `settings`, write the staging folder
    `staging`, and return what was staged with every problem found. Never raises for content.
    theme: the theme's templates and icons, which pages may name; dropped: the settings the engine
    must not read (clinic_site.stage.settings), handed on to it."""
    project, problems = settings.project, []
    config_shown = project.shown(project.config_file)
    docs_dir, docs_path = settings.docs_dir, settings.docs_path
    clinic_block = settings.clinic   # clinic.yml as read (its reading problems are Settings.read's)
    zip_lookup = zip_positions.cache_for(project.cache_dir).lookup
    if settings.clinic_read:
        problems += clinic_settings.check_clinic(clinic_block, docs_dir=docs_dir, zip_lookup=zip_lookup,
                                                 text=settings.clinic_text)
    clinic = clinic_settings.clinic_details(clinic_block)
    if any(problem.field == "logo" and problem.path == settings.project.shown(project.clinic_file)
           for problem in errors(problems)):   # named once: no page links a logo that is not there
        clinic = dataclasses.replace(clinic, logo="")
    authors_file = docs_dir / "blog" / ".authors.yml"
    authors_shown = f"{docs_path}/blog/.authors.yml"
    people, found = people_file.read_people(authors_file, authors_shown, settings.site_url)
    problems += found
    authors_text = (yamlfile.read_text(authors_file, authors_shown)[0] or "") if authors_file.is_file() else ""
    problems += content_rules.person_id_problems(people, authors_shown, authors_text)
    redirects = settings.plugin("redirects") or {}
    problems += content_rules.redirect_problems(redirects.get("redirect_maps"), settings.text, config_shown)

    blog = blog_rules.BlogSettings.of(settings.plugin("blog"))
    known = frozenset(people) if people or not found else None   # None: the file itself could not be read
    facts = content_rules.SiteFacts(
        people=known, categories=(blog.categories_allowed or None) if blog else None,
        blog_dir=blog.blog_dir if blog else "blog", today=today,
        samples=frozenset(key for key, person in people.items() if person.get("sample")),
        live=clinic_block.get("live") is True)
    context = PageContext(facts, blog, people, clinic, settings.site_url, docs_path, settings.use_directory_urls,
                          serving, _git_dates(project.root), settings.get("nav") or [], theme)

    finder = load_finder(settings.extra, docs_dir, project.root, today, config_file=project.config_file,
                         zip_lookup=zip_lookup, clinic=clinic_block if settings.clinic_read or clinic_block
                         else schema.CLINIC_UNREADABLE)
    problems += errors(finder.problems) + finder_warnings(finder, today, project.root, docs_dir)
    card_fonts, found = cards.fonts(settings)
    problems += found
    data = [finder.settings.path(name, docs_dir) for name in ("listings_dir", "boards", "vocabulary")]
    found_files = staged_files.walk(docs_dir, docs_path, data + [docs_dir / CLAIMS_FILE])
    problems += found_files.problems

    sources, page_problems = pages.read_pages(found_files.pages, context)
    problems += page_problems
    if card_fonts is not None and blog is not None:   # the category pages the engine makes have cards too
        problems += cards.category_problems(settings, sources, card_fonts, blog.blog_dir, blog.categories_allowed)
    snippets = includes.collect(docs_dir, docs_path) if includes.enabled(settings) else None
    included: dict[str, str] = {}
    appended: list[str] = []
    if snippets is not None:   # every include reads the snippets folder only; a refused line is staged blank
        problems += snippets.problems
        appended, found = includes.auto_append(settings, snippets)
        problems += found
        for src_uri, source in sources.items():
            included[src_uri], found = includes.check_text(source.text, source.path, set(snippets.files))
            problems += found
    records: dict[str, PageRecord] = {}
    left_out: set[str] = set()
    for src_uri, source in sources.items():
        if pages.blocking(src_uri, source, page_problems, context):
            left_out.add(src_uri)
            continue
        record = pages.record_for(src_uri, source, context)
        if record is not None:
            records[src_uri] = record

    listings_shown = project.shown(finder.settings.path("listings_dir", docs_dir))
    # the finder's pages need its vocabulary and its boards (a listing page links its board): a file
    # of either that cannot be read is named, and the finder's pages wait for it
    finder_ready = finder.vocabulary is not None and finder.boards is not None
    if finder_ready:   # and its templates: one missing or unreadable is named, and the finder's pages wait for it
        broken = finder_stage.templates_problems(finder, _overrides(settings), project.shown)
        problems += broken
        finder_ready = not broken
    generated = finder_stage.generate(finder, _overrides(settings), context, listings_shown) if finder_ready else {}
    if serving:
        generated.update(finder_stage.problem_pages(problems, finder.settings.path("listings_dir", docs_dir),
                                                    listings_shown, context))
    problems += _taken_by_finder(generated, sources, records)
    made = people_pages.generate(people, sources, records, context, authors_shown)
    problems += people_pages.stray_problems(people, sources, authors_text, authors_shown, generated)
    generated.update({uri: page for uri, page in made.items() if uri not in generated})   # the finder's page wins
    for uri, page in generated.items():
        records.setdefault(uri, page.record)
    problems += addresses.page_collisions(list(records.values()), {uri: source.text for uri, source in sources.items()},
                                          project.root, found_files.assets, docs_path)
    problems += addresses.unpublished_collisions(docs_dir, [*found_files.pages, *found_files.assets], docs_path)

    home_values = {"services": [{"name": service.name, "summary": service.summary,
                                 "url": pages.page_url(service.page, settings.use_directory_urls)
                                 if service.page.removesuffix(".md") + ".md" in found_files.pages else ""}
                                for service in clinic.services],
                   "latest_posts": pages.latest_posts(list(records.values())),
                   "therapists": [dataclasses.asdict(item) for item in finder_pages.clinic_therapists(finder.listings)]
                   if finder_ready else []}
    texts: dict[str, str] = {}
    for src_uri, record in records.items():
        page_source = sources.get(src_uri)
        if page_source is None:
            continue
        text = included.get(src_uri, page_source.text)
        values = pages.computed(record, context, home_values if record.kind == "home" else None)
        if src_uri == finder_pages.DIRECTORY_URI and finder_ready:
            text, lost = finder_stage.with_slots(text, page_source.path)
            problems += lost
            values["slots"] = finder_stage.directory_slots(finder, _overrides(settings))
        ahead = record.kind == "post" and blog_rules.is_future(record.meta, today)   # the preview only
        options = cards.page_options(page_source, pages.title_as_written(page_source), settings.site_name,
                                     str(settings.get("site_description") or ""), card_fonts) if card_fonts else None
        problems += cards.family_problems(page_source, card_fonts, options) if card_fonts else []
        texts[src_uri] = pages.staged_text(dataclasses.replace(page_source, text=text), values, draft=ahead,
                                           social=options)
    texts.update({uri: page.text() for uri, page in generated.items()})
    problems += menu.omitted(settings, [uri for uri in sources if uri in records and uri not in generated],
                             {uri: record.kind for uri, record in records.items()})
    if blog is not None:   # the engine's blog reads its people from the staged folder: only those the stage read
        named = people if known is not None else {   # the file could not be read (named): the posts' ids stand in
            **{author: {"name": author} for record in records.values() if record.kind == "post"
               for author in (record.meta.get("authors") or []) if isinstance(author, str)}, **people}
        texts[f"{blog.blog_dir}/.authors.yml"] = _authors_yaml(named, clinic.logo)
    staged_files.write(staging, texts, found_files.assets)
    snippets_dir = staging.parent / "snippets"   # beside the staged docs: read by includes, never published
    staged_files.write(snippets_dir, snippets.texts if snippets is not None else {}, {})

    markers = launch.markers(_launch_facts(settings, finder, people, authors_text, authors_shown, sources,
                                           blog.blog_dir if blog else "blog", listings_shown))
    if settings.clinic_read:   # an unreadable clinic.yml is named by its reader; live or not is unknown
        problems = launch.replacing(problems, markers) if facts.live else problems
        problems += launch.problems(markers, facts.live, yamlfile.node_line(
            _composed(settings.clinic_text), "live"), project.shown(project.clinic_file))
    template_values = {"clinic_details": {**_details_values(clinic), "sample": clinic_block.get("sample") is True}}
    return Staged(staging, settings, clinic, people, records, sources, generated,
                  finder if finder.vocabulary is not None else None, template_values, left_out, context,
                  card_fonts, dropped, snippets_dir if snippets is not None else None, appended,
                  markers), problems


def _composed(text: str):
    try:
        return yamlfile.compose(text, yamlfile.SettingsLoader)
    except Exception:   # noqa: BLE001 - clinic.yml's own reader names what is wrong with it
        return None


def _launch_facts(settings: Settings, finder: Finder, people: dict, authors_text: str, authors_shown: str,
                  sources: dict[str, Source], blog_dir: str, listings_shown: str) -> launch.Facts:
    """What the launch rule reads, from what the stage read."""
    project, docs_dir = settings.project, settings.docs_dir
    boards_file = finder.settings.path("boards", docs_dir)
    boards_used: dict[tuple[str, str], dict] = {}
    if finder.boards is not None and finder.vocabulary is not None:
        for listing in finder.listings:
            kind = "physical_therapy" if set(listing.credentials) & set(
                finder.vocabulary.physical_therapy_credentials) else "massage"
            board = finder.boards.get(listing.license_state, {}).get(kind)
            if board is not None:
                boards_used[(listing.license_state, kind)] = board
    boards_text = boards_file.read_text("utf-8-sig", errors="replace") if boards_file.is_file() else ""
    return launch.Facts(
        clinic=settings.clinic, clinic_text=settings.clinic_text, clinic_shown=project.shown(project.clinic_file),
        settings_text=settings.text, settings_shown=project.shown(project.config_file), people=people,
        authors_text=authors_text, authors_shown=authors_shown, sources=sources, blog_dir=blog_dir,
        listing_texts=launch.listing_texts(finder.settings.path("listings_dir", docs_dir), listings_shown),
        listings=finder.listings, listing_files={listing.id: f"{listings_shown}/{listing.id}.yml"
                                                 for listing in finder.listings},
        boards_used=[(state, kind, board) for (state, kind), board in sorted(boards_used.items())],
        boards_text=boards_text, boards_shown=project.shown(boards_file))


# What Material's blog (and Zensical's) reads of a person; the stage's own keys (sample) stay out.
AUTHOR_KEYS = ("name", "description", "avatar", "slug", "url")


def _authors_yaml(people: dict[str, dict], logo: str) -> str:
    """The staged .authors.yml: the people the stage read and checked, written by the stage, so
    the engine never reads a file it could fail on (a post naming anyone else is left out). A field
    the blog requires but the stage refused (named by a problem) is staged empty, or as the
    clinic's `logo` for a picture, so the run goes on to the end."""
    authors = {person_id: {"description": "", "avatar": logo,
                           **{key: str(person[key]) for key in AUTHOR_KEYS if person.get(key)}}
               for person_id, person in people.items()}
    # Every value in double quotes: read the same by YAML 1.1 (MkDocs) and 1.2 (Zensical): a name "1e3" is text to both
    return yaml.safe_dump({"authors": authors}, allow_unicode=True, sort_keys=False, default_style='"')


def _overrides(settings: Settings) -> Path:
    theme = settings.get("theme") if isinstance(settings.get("theme"), dict) else {}
    return settings.project.root / str(theme.get("custom_dir") or "overrides")


def _details_values(clinic: ClinicDetails) -> dict:
    """The clinic's details as plain data for templates (dataclasses and properties as values)."""
    values = dataclasses.asdict(clinic)
    values["city_state"] = clinic.city_state
    return values


def _git_dates(root: Path) -> dict[str, str]:
    """The last commit date of each file under docs/ (for the sitemap); {} outside a git checkout."""
    try:
        output = subprocess.run(["git", "log", "--format=%cs", "--name-only", "--", "docs"], cwd=root,
                                capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return seo.git_dates(output)


def _taken_by_finder(generated: dict[str, Generated], sources: dict[str, Source],
                     records: dict[str, PageRecord]) -> list[Problem]:
    """A page staff wrote where the finder writes one of its own (docs/therapists/<listing id>.md,
    therapists/cities/<city>.md, therapists/states/<state>.md): the finder's page is published,
    so the staff page would vanish without a word; named, and its record gives way."""
    found = []
    for uri in sorted(set(generated) & set(sources)):
        record = generated[uri].record
        records[uri] = record
        found.append(Problem(sources[uri].path, 1, "", f"is where the therapist finder publishes its own page "
                             f"({record.url or uri}), so this page would not be published",
                             "rename or move this file: the finder's pages are therapists/<listing id>/, "
                             "therapists/cities/ and therapists/states/"))
    return found
