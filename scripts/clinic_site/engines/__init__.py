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


def name_unfollowable(src_uri: str) -> bool:
    """Name the page `src_uri` ("guide/x.md") of the current run as one Python-Markdown cannot
    follow (a RecursionError while an engine rendered it), at its source with the stage's words
    (content_rules.NESTING_WHAT, NESTING_FIX): each adapter's deep_pages.py then renders it empty
    and the run goes on. False when `src_uri` is no page of a run (the error is left to go on)."""
    from clinic_site import pipeline
    from clinic_site.content_rules import NESTING_FIX, NESTING_WHAT
    from clinic_site.problems import Problem

    run = pipeline.current()
    if run is None or run.staged is None or src_uri not in run.staged.sources:
        return False
    run.add([Problem(run.staged.sources[src_uri].path, 1, "", NESTING_WHAT, NESTING_FIX)])
    return True
