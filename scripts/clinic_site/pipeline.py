"""One run of the site's build, in three stages around the engine, and the one place that orders them.

    1. stage       clinic_site.stage: read and check every source; write the staging folder
    2. engine      clinic_site.engines.<name>: build the staging folder into the site folder
    3. post-build  clinic_site.postbuild: guard every published file, links, head data, feeds,
                   sitemaps, search index, robots.txt, the CSP and headers

Every rule returns problems and the run goes on; it stops once, at the end (`finish`), naming
every problem, grouped by file and ordered by line. A page that cannot be built is left out of
the pass rather than stopping it. `clinic build`, `clinic serve`, `clinic check` and a plain
`mkdocs build` all go through `Run`, so they find the same problems in the same words:
`clinic check` is the build into a folder it throws away (Sphinx's collect-then-fail).

Modes: "build" (stop at the end on any error, leaving the site folder empty), "serve" (the
preview: every page is still written, with its problems in a box at its top), "check" (a build
without social cards into a temporary folder).
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_site.problems import Problem, ProblemsFound, errors
from clinic_site.project import Project, Settings, open_lock

if TYPE_CHECKING:
    from clinic_site.guard import SiteCode
    from clinic_site.stage import Staged

TODAY_VARIABLE = "CLINIC_TODAY"   # YYYY-MM-DD: judge dates as on this day (tests, `clinic check --today`)
MODES = ("build", "serve", "check")


def today(zone: dt.tzinfo | None = None) -> dt.date:
    """The day a run judges by (review dates, listings, posts dated ahead, which stay drafts until
    their day): $CLINIC_TODAY if set, else today in `zone` (the clinic's time zone; the
    machine's when None)."""
    value = os.environ.get(TODAY_VARIABLE)
    if value:
        return dt.date.fromisoformat(value)
    return dt.datetime.now(zone).date() if zone is not None else dt.date.today()


def clinic_today(root: Path) -> dt.date:
    """today() in the time zone of the clinic of the project at `root` (clinic.yml's time_zone), as
    a run judges dates: the day the staff commands write and the tests and developer tools take
    as today, never the machine's (CI and many hosts run in UTC, a day ahead of an American clinic
    every evening). The machine's day when clinic.yml gives no time zone."""
    from clinic_site.clinic_settings import time_zone

    settings, _problems = Settings.read(Project(root, root / "mkdocs.yml"))
    clinic = settings.clinic if isinstance(settings.clinic, dict) else {}
    return today(time_zone(clinic.get("time_zone")))


@dataclasses.dataclass
class EngineOutput:
    """What the engine tells the post-build stage.

    pages:     every page it wrote: {path in the site folder ("guide/x/index.html"): src_uri or
               None for pages the engine made itself (the blog's archive, categories, pages 2…)}
    site_code: the theme's own inline code (clinic_site.guard.SiteCode), the only code pages may hold
    removed:   per page (src_uri), what the allowlist took out of its Markdown's HTML, as
               (what, needle) pairs (clinic_site.sanitize.removed)
    current:   the page the engine is reading or writing, if any
    """

    pages: dict[str, str | None] = dataclasses.field(default_factory=dict)
    site_code: SiteCode | None = None
    removed: dict[str, list[tuple[str, str]]] = dataclasses.field(default_factory=dict)
    current: str | None = None   # the page the engine is on (src_uri), to name it if the engine stops


@dataclasses.dataclass
class Run:
    """One run over one project: its settings, mode and day, what each stage found and made,
    and every problem so far."""

    project: Project
    mode: str = "build"
    engine: str = "mkdocs"
    day: dt.date = dataclasses.field(default_factory=today)
    day_given: bool = False   # False: `day` becomes today in the clinic's time zone once the settings are read
    spelling: bool = True
    cards: bool = True
    settings: Settings | None = None
    staged: Staged | None = None
    output: EngineOutput = dataclasses.field(default_factory=EngineOutput)
    problems: list[Problem] = dataclasses.field(default_factory=list)

    @property
    def serving(self) -> bool:
        return self.mode == "serve"

    def add(self, problems: list[Problem]) -> None:
        """Every rule's problems come in here, each named by its path as staff see it (`shown`)."""
        self.problems += [self.shown(problem) for problem in problems]

    def shown(self, problem: Problem) -> Problem:
        """`problem` with its file as staff see it in the repository, whatever path the rule had
        in hand: an absolute path inside the project becomes relative to it ("docs/x.yml"), and a
        file of the staging folder the docs/ file it was staged from. By construction, so no rule
        can print where this machine keeps the project (a symbolic link's target, a temp folder)."""
        path = problem.path
        if not os.path.isabs(path):
            return problem
        absolute = Path(os.path.abspath(path))
        docs_path = self.settings.docs_path if self.settings is not None and self.settings.data else "docs"
        if absolute.is_relative_to(self.staging_dir):
            return dataclasses.replace(problem, path=f"{docs_path}/{absolute.relative_to(self.staging_dir).as_posix()}")
        return dataclasses.replace(problem, path=self.project.shown(absolute))

    @property
    def staging_dir(self) -> Path:
        """The project's own staging folder for this mode (the preview and the build never share one)."""
        return self.project.cache_dir / "stage" / self.mode / "docs"


_current: list[Run] = []
_held: dict[Path, list[int]] = {}   # staging lock file -> the open descriptors of the locks this process holds
CARDS_LOCK = "cards.lock"   # in .cache/stage/: Material's social cards cache (its cache_dir), one for every mode


def hold_staging(run: Run) -> None:
    """Hold the project's staging folder for the run's mode until `release_staging` (or the
    process ends): a second run of the same project in the same mode, in another process (two
    `clinic build`s at once, a CI job beside a developer's, parallel test workers), waits its turn
    instead of writing into the folder the first one's engine is reading. A process holds it
    once, however many runs it makes (the preview rebuilds). POSIX advisory lock (fcntl.flock);
    where there is none (Windows), runs are not serialized.

    A MkDocs run that draws social cards also holds CARDS_LOCK, taken after the staging folder's
    (always in that order: no two runs wait on each other): Material keeps its cards in one folder
    for every mode (mkdocs.yml's cache_dir, .cache/social), each card under its page's name with a
    list of what each was drawn from, read at the start and written at the end of a build; the
    preview and a build drawing at once could publish a card half written, or leave a list that
    names another card than the file holds, which every later build would publish."""
    lock = run.staging_dir.parent.with_suffix(".lock")
    if lock in _held:
        return
    locks = [lock]
    if run.engine == "mkdocs" and run.cards and run.mode != "check":
        locks.append(lock.parent / CARDS_LOCK)
    held: list[int] = []
    try:
        for path in locks:   # a link committed in a lock's place: removed, never followed
            descriptor = open_lock(path)
            if descriptor is not None:
                held.append(descriptor)
    except BaseException:
        for descriptor in held:
            os.close(descriptor)
        raise
    _held[lock] = held


def release_staging(run: Run) -> None:
    """Let the next run of this project and mode use the staging folder (see hold_staging)."""
    gc.unfreeze()   # what stage() kept out of the collector's passes: the run is over
    for descriptor in _held.pop(run.staging_dir.parent.with_suffix(".lock"), []):
        os.close(descriptor)   # closing the descriptor releases the lock


def stop_on_terminate(signum, frame) -> None:
    """SIGTERM (a CI job cancelled) stops a build as Ctrl+C does: nothing half-built is left (build)."""
    raise KeyboardInterrupt


def current() -> Run | None:
    """The run in progress in this process, if a run started the engine (the engine's adapter
    asks, to tell `clinic build` from a plain `mkdocs build`)."""
    return _current[-1] if _current else None


@contextlib.contextmanager
def running(run: Run) -> Iterator[Run]:
    """Mark `run` as the one in progress while the engine builds."""
    _current.append(run)
    try:
        yield run
    finally:
        _current.remove(run)


def stage(run: Run) -> None:
    """Stage 1: read the settings, check every source, write the staging folder."""
    from clinic_site import engines, rules
    from clinic_site.stage import settings as settings_rules
    from clinic_site.stage import stage as stage_sources
    from clinic_site.theme import ThemeFiles

    settings, problems = Settings.read(run.project)
    run.settings = settings
    run.add(problems)
    if problems and not settings.data:
        return
    theme = ThemeFiles(engines.adapter(run.engine).theme_dirs(settings))
    checked = settings_rules.check(settings, theme)
    run.add(checked.problems)
    if checked.stop:   # a folder the run reads is outside the project: nothing is read from it
        return
    if not run.day_given:   # the clinic's day, not the build machine's (CI runs in UTC)
        from clinic_site.clinic_settings import time_zone
        run.day = today(time_zone(settings.clinic.get("time_zone")))
    from clinic_site.project import remove_links
    from clinic_site.stage.cards import fonts_folder
    stage_root = run.staging_dir.parent.parent   # .cache/stage: the build's own, never a link to elsewhere
    if stage_root.is_symlink():
        stage_root.unlink()
    hold_staging(run)   # released by finish
    # The build's working folders hold no link a contributor committed (project.remove_links).
    remove_links(run.staging_dir.parent)
    fonts = fonts_folder(settings)
    if settings.plugin("social") is not None and run.project.inside(fonts.parent):
        remove_links(fonts.parent, keep=fonts)
    run.staged, found = stage_sources(settings, run.staging_dir, today=run.day, serving=run.serving, theme=theme,
                                      dropped=frozenset(checked.dropped))
    run.add(found)
    run.add(rules.source_rules(run))
    # What the stage keeps (every source, record and reading) lives until the run ends: left out of
    # the collector's full passes while the engine runs, which otherwise walk it again and again
    # (1,000 posts: 0.08 s of 0.3 s of full passes). Given back when the run lets its staging folder go.
    gc.freeze()


def engine_build(run: Run, site_dir: Path) -> bool:
    """Stage 2: the engine builds the staging folder into `site_dir`. False when it could not finish."""
    from clinic_site import engines

    return engines.adapter(run.engine).build(run, site_dir)


def post_build(run: Run, site_dir: Path) -> None:
    """Stage 3: everything done to the built folder. Should it fail on something no rule foresaw,
    the failure is one problem (no traceback), the run goes on to its end, and a build then
    publishes nothing (`finish` empties the site folder): nothing half-built, by construction."""
    from clinic_site import postbuild

    try:
        postbuild.run(run, site_dir)
    except Exception as error:   # noqa: BLE001 - any failure is named, never a traceback
        what = f"{type(error).__name__}: {error}".replace(str(site_dir), "the site folder")
        run.add([Problem(run.project.shown(run.project.config_file), 1, "",
                         f"the build stopped after the engine, writing the site's own files: {what}",
                         "if a page or file named here has the same name as a file the build writes (robots.txt, "
                         "a feed, sitemap.xml, search-index/), rename it; if it is unclear, ask a developer")])


def finish(run: Run, site_dir: Path | None) -> list[Problem]:
    """The end of a run: every problem, sorted. A build with an error empties `site_dir` (nothing
    half-built is published) and raises ProblemsFound naming them all. The staging folder is
    let go once the site folder is emptied: the next build of the project, waiting for it, may be
    writing the same site folder."""
    try:
        problems = sorted(set(run.problems))
        if errors(problems) and run.mode == "build":
            if site_dir is not None and site_dir.is_dir():
                shutil.rmtree(site_dir)
                site_dir.mkdir()
            raise ProblemsFound(problems, "Problems found; fix them and build again:")
        return problems
    finally:
        release_staging(run)


def build(project: Project, site_dir: Path | None = None, *, engine: str = "mkdocs", mode: str = "build",
          day: dt.date | None = None, spelling: bool = True, cards: bool = True) -> Run:
    """A whole run of `project` into `site_dir` (default: its site_dir setting). Returns the run
    (its `problems` hold the warnings); raises ProblemsFound at the end when a build has errors."""
    run = Run(project, mode=mode, engine=engine, day=day or today(), day_given=day is not None, spelling=spelling,
              cards=cards)
    written: Path | None = None   # the site folder, once the engine starts writing it
    try:
        stage(run)
        target = site_dir or (run.settings.site_dir if run.settings and run.settings.data else project.root / "site")
        if run.staged is not None:
            written = target
            if engine_build(run, target):
                post_build(run, target)
        finish(run, target)   # lets the staging folder go once the site folder is emptied
    except (KeyboardInterrupt, SystemExit):   # Ctrl+C or SIGTERM: nothing half-built is left to publish
        if written is not None and mode == "build":
            shutil.rmtree(written, ignore_errors=True)
            written.mkdir(parents=True, exist_ok=True)
        raise
    finally:
        release_staging(run)
    return run


def check(project: Project, *, day: dt.date | None = None, spelling: bool = True) -> list[Problem]:
    """`clinic check`: the build into a folder thrown away afterwards, without social cards.
    Every problem the build would name, in the same words; never raises for content."""
    with tempfile.TemporaryDirectory(prefix="clinic-check-") as folder:
        run = Run(project, mode="check", day=day or today(), day_given=day is not None, spelling=spelling,
                  cards=False)
        try:
            stage(run)
            if run.staged is not None and engine_build(run, Path(folder) / "site"):
                post_build(run, Path(folder) / "site")
        finally:
            release_staging(run)
        return finish(run, None)


def launch(project: Project, *, day: dt.date | None = None) -> tuple[list, list[Problem]]:
    """`clinic check --launch`: the stage alone (what is sample is known once the sources are read),
    returning the launch rule's markers (clinic_site.launch.Marker) and the stage's other errors."""
    run = Run(project, mode="check", day=day or today(), day_given=day is not None, spelling=False, cards=False)
    try:
        stage(run)
    finally:
        release_staging(run)
    markers = run.staged.markers if run.staged is not None else []
    named = {marker.problem for marker in markers}
    return markers, [problem for problem in errors(run.problems) if problem not in named]
