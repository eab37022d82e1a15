"""The therapist finder: listing files in, listing, city and directory pages out.

Modules, each owning one part:
  settings    `extra: finder:` in mkdocs.yml, as a MkDocs Config (FinderConfig)
  vocabulary  the controlled lists, from docs/therapists/vocabulary.yml
  boards      the licensing boards table, docs/therapists/licensing-boards.yml
  schema      the listing schema (one table of fields) and the checks across fields
  model       the Listing and small pure helpers (phone, distance, dates, slugs)
  datafile    reading YAML data files, with problems for staff instead of tracebacks
  load        all of the above, once: load_finder (the build), check_finder (the check)
  pages       addresses, page settings, HTML from overrides/finder/*.html, JSON-LD
  zip_positions  ZIP code positions from the zipcodes package
  shards      the listings' data files for finder.js (therapists/data/), split by place


The build (scripts/hooks/finder.py) and the check (`clinic check`) both call load_finder or
check_finder, so they apply the same rules and report the same `Problem`s.
"""
from clinic_site.finder.load import Finder, check_finder, load_finder

__all__ = ["Finder", "check_finder", "load_finder"]
