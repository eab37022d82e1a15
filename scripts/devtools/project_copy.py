"""A throwaway copy of what a build needs, for tests and benchmarks that build a changed site."""
from __future__ import annotations

import shutil
from pathlib import Path

from clinic_site.finder import zip_positions
from clinic_site.project import PROJECT_ROOT


def copy_project(target: Path) -> Path:
    """mkdocs.yml, docs/, overrides/, scripts/, the social cards' committed fonts and
    a link to the ZIP position cache; returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", target / "mkdocs.yml")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("docs", "overrides", "scripts"):
        shutil.copytree(PROJECT_ROOT / folder, target / folder, ignore=ignore)
    fonts = PROJECT_ROOT / ".cache/social/fonts"  # so the social plugin downloads nothing
    if fonts.is_dir():
        shutil.copytree(fonts, target / ".cache/social/fonts")
    # Linked, not copied: once written, the cache is only read (scripts/clinic_site/finder/zip_positions.py).
    (target / ".cache").mkdir(exist_ok=True)
    (target / ".cache/zip-positions").symlink_to(zip_positions.default_cache().folder.parent, target_is_directory=True)
    return target
