"""Older names of the finder, kept for callers not yet moved to `clinic_site.finder.check_finder`
(scripts/clinic_site/check.py, tests/test_scaffolding.py): loaders that raise `ListingError`.
New code uses clinic_site.finder.load_finder / check_finder and the modules named below."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from clinic_site.finder import boards as _boards
from clinic_site.finder import datafile
from clinic_site.finder.load import load_listing_files
from clinic_site.finder.model import (  # noqa: F401
    Listing,
    city_slug,
    format_phone,
    haversine_miles,
    months_before,
    phone_digits,
    slugify,
)
from clinic_site.finder.pages import CITY_URI, DIRECTORY_URI, LISTING_URI, group_by_city, page_url, rel  # noqa: F401
from clinic_site.finder.schema import FIELDS, ID_PATTERN, STALE_MONTHS, validate_listing  # noqa: F401
from clinic_site.finder.vocabulary import Vocabulary, project_vocabulary
from clinic_site.problems import Problem


class ListingError(Exception):
    """Every problem found, so staff can fix them all at once: `found` as Problems,
    `problems` as the lines they print as."""

    def __init__(self, found: list[Problem]):
        self.found = found
        self.problems = [str(problem) for problem in found]
        super().__init__("\n".join(self.problems))


def load_boards(path: Path, display_root: Path | None = None) -> dict:
    """The licensing boards file (boards.load_boards). Raises ListingError."""
    boards, problems = _boards.load_boards(path, datafile.shown_path(path, display_root))
    if boards is None:
        raise ListingError(problems)
    return boards


def load_listings(folder: Path, *, today: dt.date, zip_lookup, boards=None, display_root: Path | None = None,
                  vocabulary: Vocabulary | None = None) -> list[Listing]:
    """Every listing in `folder`, sorted by name (load.load_listing_files), checked against
    `vocabulary` (default: the project's). Raises ListingError with all problems."""
    try:
        vocabulary = vocabulary or project_vocabulary()
    except ValueError as error:
        raise ListingError([Problem("docs/therapists/vocabulary.yml", 1, "", str(error))]) from None
    found, problems = load_listing_files(folder, today=today, zip_lookup=zip_lookup, vocabulary=vocabulary,
                                         boards=boards, root=display_root)
    if problems:
        raise ListingError(problems)
    return found
