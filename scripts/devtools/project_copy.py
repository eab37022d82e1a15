"""A throwaway copy of what a build needs, for tests and benchmarks that build a changed site."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from clinic_site.finder import zip_positions
from devtools import checkout


def copy_project(target: Path, source: Path | None = None) -> Path:
    """mkdocs.yml, clinic.yml, docs/, overrides/, scripts/ of `source` (default: the checkout found from the
    current folder), copies of its social cards (with their fonts) and rules answers, and links to its
    ZIP position cache and node_modules; returns `target`."""
    source = source or checkout()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "clinic.yml"):   # the engine's settings and the clinic's details
        shutil.copy(source / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("docs", "overrides", "scripts"):
        shutil.copytree(source / folder, target / folder, ignore=ignore)
    _copy_caches(source / ".cache", target / ".cache")
    # Hard links, not a copy: once written, the cache's files are only read, never written onto
    # (scripts/clinic_site/finder/zip_positions.py); as regular files of the copy, its seal holds.
    (target / ".cache").mkdir(exist_ok=True)
    cache = zip_positions.cache_for(source / ".cache").folder.parent
    shutil.copytree(cache, target / ".cache/zip-positions", copy_function=os.link, dirs_exist_ok=True)
    # Linked too: the pinned npm packages, whose editor bundle every build publishes at admin/.
    if (source / "node_modules").is_dir():
        (target / "node_modules").symlink_to(source / "node_modules", target_is_directory=True)
    return target


def _copy_caches(cache: Path, target: Path) -> None:
    """The caches a build reuses by content, copied from `cache` to `target`: the social cards (their
    fonts too, so the social plugin downloads nothing; Material keys each card by a digest of all it
    shows, so a copy whose page or clinic differs draws its own) and the spelling and reading-grade
    answers (`rules.json`, keyed by each page's text and the word lists) and the post-build stage's
    readings of built pages (`readings.json`, `readings-zensical.json`: one per engine, keyed by
    each page's text, place and the site's code,
    with this user's secret: clinic_site/postbuild/remembered.py). Another process may be
    writing them: a manifest or answers file that does not read as JSON is left out (the build then
    draws or reads again), never copied half-written."""
    social = cache / "social"
    if social.is_dir():
        shutil.copytree(social, target / "social", ignore=shutil.ignore_patterns("*.tmp"))
    copied = [target / "social/manifest.json"]
    for name in ("rules.json", *sorted(path.name for path in cache.glob("readings*.json"))):
        if (cache / name).is_file():
            shutil.copy(cache / name, target / name)
            if name == "rules.json":   # a readings file is sealed (a line of its own, then JSON): the
                copied.append(target / name)   # build reads it only whole and as sealed by this user
    for file in copied:
        try:
            json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            file.unlink()
