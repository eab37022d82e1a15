"""The engines a run can build with, each behind one adapter package: the only code that imports
the engine, its theme or its plugins (tests/test_engine_boundary.py holds that line).

An adapter offers `theme_dirs(settings)` (the folders of the theme's templates and icons, for the
stage to check the names pages and settings give), `build(run, site_dir) -> bool` (stage 2 of
clinic_site.pipeline: the staged folder into the site folder; problems into the run) and
`serve(project, ...) -> int` (the live preview). Everything before and after the engine is the same for every engine.
"mkdocs" (MkDocs with Material, the default) and "zensical" (Zensical 0.0.73; README, "A second engine").
"""
from __future__ import annotations

import importlib
from types import ModuleType

NAMES = ("mkdocs", "zensical")


def adapter(name: str) -> ModuleType:
    """The adapter of engine `name` (one of NAMES). Raises ValueError for another name."""
    if name not in NAMES:
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(NAMES)}")
    return importlib.import_module(f"clinic_site.engines.{name}")
