"""A throwaway copy of what a build needs, for tests and benchmarks that build a changed site."""
from __future__ import annotations

import shutil
from pathlib import Path

from clinic_site.finder import zip_positions
from devtools import checkout


def copy_project(target: Path, source: Path | None = None) -> Path:
    """mkdocs.yml, clinic.yml, docs/, overrides/, scripts/ of `source` (default: the checkout found from the
    current folder), the social cards' committed fonts and links to its ZIP position cache and
    node_modules; returns `target`."""
    source = source or checkout()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "clinic.yml"):   # the engine's settings and the clinic's details
        shutil.copy(source / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("docs", "overrides", "scripts"):
        shutil.copytree(source / folder, target / folder, ignore=ignore)
    fonts = source / ".cache/social/fonts"  # so the social plugin downloads nothing
    if fonts.is_dir():
        shutil.copytree(fonts, target / ".cache/social/fonts")
    # Linked, not copied: once written, the cache is only read (scripts/clinic_site/finder/zip_positions.py).
    (target / ".cache").mkdir(exist_ok=True)
    cache = zip_positions.cache_for(source / ".cache").folder.parent
    (target / ".cache/zip-positions").symlink_to(cache, target_is_directory=True)
    # Linked too: the pinned npm packages, whose editor bundle every build publishes at admin/.
    if (source / "node_modules").is_dir():
        (target / "node_modules").symlink_to(source / "node_modules", target_is_directory=True)
    return target
