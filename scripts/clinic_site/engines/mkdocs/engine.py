"""Stage 2 with MkDocs: build the staged folder into the site folder, in this process, and turn
what MkDocs says into problems (a setting it refuses, a warning, a page it stopped on)."""
from __future__ import annotations

import contextlib
import logging
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from clinic_site import pipeline
from clinic_site.content_rules import NESTING_FIX, NESTING_WHAT
from clinic_site.engines.mkdocs import warnings as mkdocs_warnings
from clinic_site.problems import Problem
from clinic_site.project import yaml_problem


def build(run: pipeline.Run, site_dir: Path) -> bool:
    """Build `run`'s staged folder into `site_dir` with MkDocs. Problems go into the run; False
    when MkDocs stopped before every page was written (the post-build stage is then skipped)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collector = mkdocs_warnings.WarningCollector()
    shown = run.project.shown(run.project.config_file)
    with quiet_mkdocs(), _attached(collector):
        try:
            config = load_config(str(run.project.config_file), site_dir=str(site_dir))
        except (ConfigurationError, Abort) as error:
            run.add([settings_problem(shown, [record.getMessage() for record in collector.records], error)])
            return False
        except yaml.YAMLError as error:
            run.add([yaml_problem(error, shown, run.settings.text if run.settings else "")])
            return False
        # The preview's pass is MkDocs' "serve" (the blog then shows drafts, as `mkdocs serve` does).
        config.plugins.on_startup(command="serve" if run.serving else "build", dirty=False)
        finished = False
        with pipeline.running(run):
            try:
                mkdocs_build.build(config)
                finished = True
            except Exception as error:  # noqa: BLE001 - staff get a line to act on, never a traceback
                run.add([stopped_by(run, error)])
                said = str(stopping(error))   # MkDocs logs it too: named once, at the page (stopped_by)
                collector.records = [record for record in collector.records if record.getMessage() != said]
            finally:
                with contextlib.suppress(Exception):
                    config.plugins.on_shutdown()
    run.add(warnings_as_problems(collector, run))
    return finished


def warnings_as_problems(collector: mkdocs_warnings.WarningCollector, run: pipeline.Run) -> list[Problem]:
    """MkDocs' warnings of this build (broken links and anchors, pages missing from the menu) as
    problems naming the source file and line."""
    staged = run.staged
    if staged is None:
        return []
    messages = list(dict.fromkeys(record.getMessage() for record in collector.records
                                  if not record.getMessage().startswith(("Error reading page", "Aborted"))
                                  and not _to_left_out(record.getMessage(), staged.left_out)))

    def read(src_uri: str) -> str:
        source = staged.sources.get(src_uri)
        return source.text if source is not None else ""

    return mkdocs_warnings.to_problems(messages, staged.settings.docs_path, read, run.project.config_file,
                                       [uri for uri in staged.sources if uri not in staged.left_out])


_LINK_MESSAGE = re.compile(r"^Doc file '(?P<src>[^']+)' contains (?:a link|an unrecognized relative link) "
                           r"'(?P<link>[^'#]*)")


def _to_left_out(message: str, left_out: set[str]) -> bool:
    """Whether a warning is about a link to a page the run left out for problems of its own
    (named already: fixing that page fixes the link)."""
    menu = mkdocs_warnings.NAV_MISSING.match(message)   # the menu's entry for a page left out
    if menu is not None:
        return menu.group("link") in left_out
    match = _LINK_MESSAGE.match(message)
    if not match or not match.group("link"):
        return False
    target = posixpath.normpath(posixpath.join(posixpath.dirname(match.group("src")), match.group("link")))
    return target in left_out


def settings_problem(shown: str, messages: list[str], error: Exception | None) -> Problem:
    """The settings file `shown` as MkDocs could not read it: what it said (`messages`, else `error`)."""
    reasons = "; ".join(messages) or str(error)
    line = re.search(r"line (\d+)", reasons)
    reasons = re.sub(r'\s*in "[^"]*", line \d+, column \d+:?', "", " ".join(reasons.split()))
    return Problem(shown, int(line.group(1)) if line else 1, "", f"the settings cannot be read: {reasons}",
                   "correct the setting it names (see the README)")


def unreadable_settings(project, error: Exception, messages: list[str] | None = None) -> list[Problem]:
    """mkdocs.yml as MkDocs refused it on its own (the preview's server loads and checks it before
    any run starts), in `clinic build`'s words: what the run's own reading of the file names (its
    line and slip: a bracket never closed, bytes that are not UTF-8, the file missing), else what
    the stage's check of the settings names (a custom_dir that is not a folder), and what MkDocs
    said (`messages`, its log's errors, else `error`) unless that check stops the run first, as
    `clinic build` says them."""
    from clinic_site.problems import errors
    from clinic_site.project import Settings
    from clinic_site.stage import settings as settings_rules

    shown = project.shown(project.config_file)
    said = settings_problem(shown, messages or [], error)
    settings, problems = Settings.read(project)
    own = [problem for problem in errors(problems) if problem.path == shown]
    if own or not settings.data:
        return own or [said]
    checked = settings_rules.check(settings)
    return errors(checked.problems) + ([] if checked.stop else [said])


def stopping(error: BaseException) -> BaseException:
    """What stopped the engine: behind MkDocs' "Aborted with a BuildError!", the error it logged."""
    from mkdocs.exceptions import Abort

    if isinstance(error, Abort) and error.__context__ is not None:
        return error.__context__
    return error


def stopped_by(run: pipeline.Run, error: Exception) -> Problem:
    """The engine stopped on `error`: name the page it was on, else the settings file."""
    from mkdocs.exceptions import PluginError

    error = stopping(error)   # type: ignore[assignment]
    current = run.output.current
    source = run.staged.sources.get(current) if current is not None and run.staged else None
    where = source.path if source is not None else run.project.shown(run.project.config_file)
    if isinstance(error, RecursionError):   # elsewhere than a page's Markdown (deep_pages.py names those)
        return Problem(where, 1, "", NESTING_WHAT, NESTING_FIX)
    what = str(error) if isinstance(error, PluginError) else f"{type(error).__name__}: {error}"
    return Problem(where, 1, "", f"the build stopped: {what}", "correct what it names; if it is unclear, "
                   "ask a developer")


@contextlib.contextmanager
def _attached(collector: mkdocs_warnings.WarningCollector) -> Iterator[None]:
    collector.attach()
    try:
        yield
    finally:
        collector.detach()


@contextlib.contextmanager
def quiet_mkdocs() -> Iterator[None]:
    """MkDocs' own log lines are not printed: what they say comes back as problems."""
    logger = logging.getLogger("mkdocs")
    quiet = logging.NullHandler()
    level, propagate = logger.level, logger.propagate
    logger.addHandler(quiet)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(quiet)
        logger.propagate = propagate
        logger.setLevel(level)
