"""Loading the whole finder once for the build and the check: its settings, vocabulary, licensing
boards and every listing file, with all their problems (`load_finder`, `check_finder`)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from clinic_site.finder import datafile, schema
from clinic_site.finder.boards import load_boards
from clinic_site.finder.model import Listing, months_before
from clinic_site.finder.settings import FIELD_PREFIX, FinderConfig, load_settings, setting_lines
from clinic_site.finder.vocabulary import Vocabulary, load_vocabulary
from clinic_site.problems import WARNING, Problem, errors

# A listing this close to STALE_MONTHS old gets a warning from the check (the same notice
# period as a guide page's next_review, scripts/clinic_site/content_rules.py).
STALE_WARNING_DAYS = 30


@dataclasses.dataclass
class Finder:
    """Everything the finder's pages are made from, and every problem found on the way."""

    settings: FinderConfig
    vocabulary: Vocabulary | None
    boards: dict | None
    listings: list[Listing]          # valid listings, sorted by name then id
    problems: list[Problem]          # errors and warnings, in the order found


def load_listing_files(
    folder: Path, *, today: dt.date, zip_lookup: schema.ZipLookup, vocabulary: Vocabulary,
    boards: dict | None, root: Path | None = None, clinic: Mapping | None = None,
) -> tuple[list[Listing], list[Problem]]:
    """Every listing in `folder` (<id>.yml), sorted by name, and the problems of all files.

    root: paths in problems are shown relative to it (the project root); clinic: the clinic's
    details (clinic.yml as read), for listings at the clinic (schema.validate_listing). A problem-free
    file costs one YAML parse; the text is scanned for lines only when a file has a problem."""
    problems: list[Problem] = []
    found: list[tuple[str, Listing]] = []
    base = datafile.shown_path(folder, root)   # once: resolving each file's path costs more than its checks
    for file in sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml")):
        shown = file.name if base == "." else f"{base}/{file.name}"
        if file.suffix == ".yaml":
            problems.append(Problem(shown, 1, "", "listing files end in .yml", f"rename the file to {file.stem}.yml"))
            continue
        text, unreadable = datafile.read_text(file, shown, "listing", "")
        if text is None:
            problems += unreadable
            continue
        data, unreadable = datafile.load(text, shown)
        if unreadable:
            problems += unreadable
            continue
        listing, listing_problems = schema.validate_listing(
            data, shown, today=today, zip_lookup=zip_lookup, vocabulary=vocabulary, boards=boards,
            file_id=file.stem, source=text, clinic=clinic)
        problems += listing_problems
        if listing:
            found.append((shown, listing))
    duplicates = schema.check_unique_ids(found)
    for problem in duplicates:
        lines = datafile.top_level_lines((root / problem.path if root else Path(problem.path)).read_text("utf-8-sig"))
        problems.append(dataclasses.replace(problem, line=lines.get("id", 1)))
    return sorted((listing for _, listing in found), key=lambda item: (item.name.lower(), item.id)), problems


def inside_docs(settings: FinderConfig, docs_dir: Path, config_file: Path, shown: str
                ) -> tuple[FinderConfig, list[Problem]]:
    """The settings with each path setting (listings_dir, boards, vocabulary) that leads out of
    docs/ by real path (a symbolic link on the way) put back to its default, and a problem for each."""
    problems = []
    docs = docs_dir.resolve()
    for name in ("listings_dir", "boards", "vocabulary"):
        if not settings.path(name, docs_dir).resolve().is_relative_to(docs):
            problems.append(Problem(shown, setting_lines(config_file).get(name, 1), f"{FIELD_PREFIX}.{name}",
                                    f"'{settings[name]}' leads out of docs/ through a symbolic link",
                                    "name a folder or file that is really in docs/, not a link to one"))
            settings = dataclasses.replace(settings, **{name: getattr(FinderConfig, name)})
    return settings, problems


def load_tables(config_extra: dict | None, docs_dir: Path, project_root: Path, config_file: Path,
                today: dt.date | None = None) -> tuple[FinderConfig, Vocabulary | None, dict | None, list[Problem]]:
    """The settings, the vocabulary and the licensing boards (None when a file has errors),
    and their problems (errors and warnings): what a listing is checked against.
    today: the day the boards' `checked:` dates are judged against (default: the real date)."""
    settings, problems = load_settings(config_extra, config_file, datafile.shown_path(config_file, project_root))
    settings, found = inside_docs(settings, docs_dir, config_file, datafile.shown_path(config_file, project_root))
    problems += found
    vocabulary, found = load_vocabulary(settings.path("vocabulary", docs_dir),
                                        datafile.shown_path(settings.path("vocabulary", docs_dir), project_root))
    problems += found
    boards, found = load_boards(settings.path("boards", docs_dir),
                                datafile.shown_path(settings.path("boards", docs_dir), project_root), today)
    return settings, vocabulary, boards, problems + found


def load_finder(
    config_extra: dict | None, docs_dir: Path, project_root: Path, today: dt.date, *,
    config_file: Path | None = None, zip_lookup: schema.ZipLookup | None = None, clinic: Mapping | None = None,
) -> Finder:
    """The finder from the `extra:` block of mkdocs.yml (as loaded) and the files it names.

    config_file: the mkdocs.yml the block came from (default project_root/mkdocs.yml), for
    the lines of settings. clinic: the clinic's details (clinic.yml as read), which listings at
    the clinic take (schema.validate_listing; schema.CLINIC_UNREADABLE when clinic.yml could
    not be read). zip_lookup: ZIP -> (latitude, longitude, state) or None (default:
    the zipcodes package, scripts/clinic_site/finder/zip_positions.py). Never raises for bad
    content: every problem is in Finder.problems, and listings are checked only when the
    vocabulary is valid."""
    if zip_lookup is None:
        from clinic_site.finder import zip_positions
        zip_lookup = zip_positions.cache_for(project_root / ".cache").lookup
    config_file = config_file or project_root / "mkdocs.yml"
    config_shown = datafile.shown_path(config_file, project_root)
    settings, vocabulary, boards, problems = load_tables(config_extra, docs_dir, project_root, config_file, today)
    folder = settings.path("listings_dir", docs_dir)
    listings: list[Listing] = []
    if not folder.is_dir():
        problems.append(Problem(config_shown, setting_lines(config_file).get("listings_dir", 1),
                                f"{FIELD_PREFIX}.listings_dir",
                                f"the folder {datafile.shown_path(folder, project_root)} does not exist",
                                "create it (docs/therapists/listings/README.md says what goes in it), "
                                "or set listings_dir to the folder of listing files"))
    elif vocabulary is not None:
        listings, found = load_listing_files(folder, today=today, zip_lookup=zip_lookup, vocabulary=vocabulary,
                                             boards=boards, root=project_root, clinic=clinic)
        problems += found
    return Finder(settings, vocabulary, boards, listings, problems)


def stale_soon(finder: Finder, today: dt.date, project_root: Path, docs_dir: Path,
               days: int = STALE_WARNING_DAYS) -> list[Problem]:
    """Warnings for valid listings that will be too old to publish within `days` days."""
    soon = months_before(today + dt.timedelta(days=days), schema.STALE_MONTHS)
    folder = finder.settings.path("listings_dir", docs_dir)
    warnings = []
    for listing in finder.listings:
        if listing.last_updated < soon:
            file = folder / f"{listing.id}.yml"
            line = datafile.top_level_lines(file.read_text(encoding="utf-8-sig")).get("last_updated", 1)
            warnings.append(Problem(
                datafile.shown_path(file, project_root), line, "last_updated",
                f"is {listing.last_updated}: within {days} days the listing will be more than "
                f"{schema.STALE_MONTHS} months old and stop the build",
                "confirm every detail with the therapist, then set last_updated to today's date", WARNING))
    return warnings


def finder_warnings(finder: Finder, today: dt.date, project_root: Path, docs_dir: Path) -> list[Problem]:
    """Every warning the build prints and `clinic check` lists: the tables' (licensing boards whose
    address is unconfirmed or old) and the listings' that will soon be too old to publish."""
    return [problem for problem in finder.problems if problem.severity == WARNING] + stale_soon(
        finder, today, project_root, docs_dir)


def check_finder(
    config_extra: dict | None, docs_dir: Path, project_root: Path, today: dt.date, *,
    config_file: Path | None = None, zip_lookup: schema.ZipLookup | None = None, clinic: Mapping | None = None,
) -> tuple[list[Listing], list[Problem]]:
    """The check's view of the finder: (valid listings, problems), with the same rules as the build.

    config_extra: the `extra:` block of mkdocs.yml as MkDocs loaded it (config["extra"]);
    docs_dir: the docs folder; project_root: the folder of mkdocs.yml (paths in problems are
    relative to it); today: the day the listings' dates are checked against.
    Problems are errors (the build refuses them) and warnings (listings that will be too old
    within STALE_WARNING_DAYS days). Listings are [] when there is any error, as the build
    then makes no finder page. Never raises for bad content."""
    finder = load_finder(config_extra, docs_dir, project_root, today, config_file=config_file, zip_lookup=zip_lookup,
                         clinic=clinic)
    if errors(finder.problems):
        return [], finder.problems
    return finder.listings, errors(finder.problems) + finder_warnings(finder, today, project_root, docs_dir)
