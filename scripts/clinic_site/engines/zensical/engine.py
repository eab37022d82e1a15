"""Stage 2 with Zensical: the staged folder built into the site folder, in this process.

Zensical runs no hooks, so what the MkDocs adapter does in MkDocs' events is done around the call:
the settings it reads are written beside the staged folder (settings.py: the clinic's name and
logo, the staged snippets folder, our Markdown guard), each page's HTML is guarded while Zensical
renders it (markdown_guard.py), and after it the output is moved to the site folder and the pages,
the theme's code (site_code.py) and any stop are handed to the run as the MkDocs adapter does.
Zensical writes only inside its settings file's folder and keeps a cache there: every build is
clean (a cached page would skip the guard's record of what it removed).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from clinic_site import pipeline
from clinic_site.engines.zensical import deep_pages, neighbours, site_code
from clinic_site.engines.zensical import settings as engine_settings
from clinic_site.problems import Problem
from clinic_site.project import Project, Settings
from clinic_site.stage import Staged
from clinic_site.theme import theme_folders

SETTINGS_FILE = "mkdocs.yml"


def theme_dirs(settings: Settings) -> tuple[Path, ...]:
    """The folders Zensical finds templates and icons in: the project's custom_dir, then
    Zensical's own copy of Material's templates (clinic_site.theme.theme_folders)."""
    import zensical

    return theme_folders(settings, Path(zensical.__file__).parent / "templates")


def build(run: pipeline.Run, site_dir: Path) -> bool:
    """Build `run`'s staged folder into `site_dir` with Zensical. Problems go into the run; False
    when Zensical stopped before every page was written (the post-build stage is then skipped)."""
    import zensical

    staged = run.staged
    assert staged is not None, "the engine runs after a stage that wrote the staging folder (pipeline.build)"
    root = run.staging_dir.parent
    data = engine_settings.engine_settings(run, root)
    config_file = root / SETTINGS_FILE
    engine_settings.write(data, config_file)
    output = root / engine_settings.SITE_FOLDER
    if output.exists():
        shutil.rmtree(output)
    deep_pages.install()
    with pipeline.running(run), _quiet(), _interrupts_noted() as caught:
        try:
            zensical.build(str(config_file), {"clean": True, "strict": False})
            finished = True
        except Exception as error:  # noqa: BLE001 - staff get a line to act on, never a traceback
            run.add([stopped_by(run, error)])
            finished = False
    if caught:
        raise KeyboardInterrupt   # once Zensical is out: the run stops as it does in the rest of the build
    if not finished:
        return False
    _move(output, site_dir)
    run.output.current = None
    run.output.pages = _pages(staged, site_dir)
    blog = staged.settings.plugin("blog")
    neighbours.apply(site_dir, list(run.output.pages), neighbours.sections(
        staged.settings.get("nav") or [], blog.get("blog_dir", "blog") if blog is not None else None))
    custom = data["theme"].get("custom_dir")
    run.output.site_code = site_code.site_code(site_dir, run.output.pages, data, Path(custom) if custom else None)
    return True


def _pages(staged: Staged, site_dir: Path) -> dict[str, str | None]:
    """Every page Zensical wrote, {dest: src_uri}, None for pages it made itself (the blog's
    archive, categories and pages 2…), as the MkDocs adapter reports them."""
    by_dest = {record.dest: src_uri for src_uri, record in staged.records.items()}
    redirects = site_code.redirect_pages((staged.settings.plugin("redirects") or {}).get("redirect_maps"))
    pages: dict[str, str | None] = {}
    for file in sorted(site_dir.rglob("index.html")):
        dest = file.relative_to(site_dir).as_posix()
        if dest in redirects:
            continue
        pages[dest] = by_dest.get(dest)
    return pages


def _move(output: Path, site_dir: Path) -> None:
    """Zensical's output folder becomes the site folder (emptied first, as MkDocs empties it)."""
    site_dir.mkdir(parents=True, exist_ok=True)
    for entry in site_dir.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in output.iterdir():
        shutil.move(str(entry), site_dir / entry.name)
    output.rmdir()
    for notice in site_dir.glob("assets/javascripts/LICENSE"):   # the bundle's licence notice: the site
        notice.rename(notice.with_suffix(".txt"))                  # publishes no file without an extension
    # Zensical's own search is off (settings.py): its worker starts for no page, so it is not published
    # (the site search is the site's own, postbuild/site_search.py).
    shutil.rmtree(site_dir / "assets" / "javascripts" / "workers", ignore_errors=True)


_TEMPLATE_AT = re.compile(r"\(in (?P<template>[^():]+\.(?:html|xml)):(?P<line>\d+)\)")


def stopped_by(run: pipeline.Run, error: Exception) -> Problem:
    """Zensical stopped on `error`: name the template and line it names, else the page it was on,
    else the settings file; never a traceback."""
    message = str(error).split("\nTraceback", 1)[0].strip().removeprefix("Python error: ")
    message = " ".join(message.split())
    template = _TEMPLATE_AT.search(message)
    if template is not None:
        folder = run.project.root / "overrides"
        name = template.group("template")
        where = run.project.shown(folder / name) if (folder / name).is_file() else f"the theme's {name}"
        return Problem(where, int(template.group("line")), "", f"Zensical cannot render this template: {message}",
                       "write it the way both engines render (see the README, Zensical); if it is unclear, ask a "
                       "developer")
    current = run.output.current
    source = run.staged.sources.get(current) if current is not None and run.staged else None
    where = source.path if source is not None else run.project.shown(run.project.config_file)
    return Problem(where, 1, "", f"the build stopped: {message}", "correct what it names; if it is unclear, "
                   "ask a developer")


@contextlib.contextmanager
def _interrupts_noted() -> Iterator[list[int]]:
    """Ctrl+C (or SIGTERM during `clinic build`) while Zensical renders: a Python handler that
    raises inside it ends the whole process with status 0 and no word (`clinic build` then seemed
    to succeed, the site folder left as it was), so the signal is only noted in the list yielded,
    for the caller to stop once Zensical is out. Where a handler of the run's own is set (the
    preview's, preview._signals_held), or outside the main thread, signals are left be."""
    import signal
    import threading

    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    ours = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: pipeline.stop_on_terminate}
    saved = {number: signal.signal(number, lambda signum, frame: caught.append(signum))
             for number, handler in ours.items() if signal.getsignal(number) is handler}
    try:
        yield caught
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Zensical's own lines (printed by its Rust runtime straight to the terminal: "Build started",
    its warnings in colour) are not shown: what stops it comes back as a problem (stopped_by)."""
    with tempfile.TemporaryFile() as sink:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = [os.dup(1), os.dup(2)]
        for stream in (1, 2):
            os.dup2(sink.fileno(), stream)
        try:
            yield
        finally:
            for stream, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, stream)
                os.close(copy)


def serve(project: Project, *, dev_addr: str | None = None, open_in_browser: bool = False) -> int:
    """The live preview with Zensical (clinic_site.preview: Zensical has no hooks for ours, so its
    own `zensical serve` would skip the stage and the post-build stage). Returns the exit status."""
    from clinic_site import preview

    return preview.serve(project, engine="zensical", dev_addr=dev_addr, open_in_browser=open_in_browser)
