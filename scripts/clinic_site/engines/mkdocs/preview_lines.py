"""What the MkDocs preview says after each build, in the Zensical preview's words (clinic_site.preview):
every problem as `clinic build` prints it, then one line with what changed since the last build,
how long it took and how many problems. The plugin's events call `build_started` and
`build_finished` for a run in "serve" mode; under `clinic serve` (serve.py) the lines are printed,
under a plain `mkdocs serve` logged as MkDocs' other lines are.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from clinic_site import preview
from clinic_site.problems import Problem, report_lines
from clinic_site.project import Project

log = logging.getLogger("mkdocs.plugins.clinic")
# The preview in progress in this process: where its lines go (None: MkDocs' log), what the watched
# files held when the last build started, what changed, when this build started, whether one stopped.
# `refused`: the errors MkDocs' own check of mkdocs.yml logged since it was last asked (serve.py).
_preview: dict = {"say": None, "seen": None, "why": "First build", "started": 0.0, "stopped": False,
                  "refused": None}


def start(say: Callable[[str], None] | None, refused: Callable[[], list[str]] | None = None) -> None:
    """`clinic serve` starts (its lines go to `say`; `refused` gives what MkDocs' own check of
    mkdocs.yml logged), or ends (None)."""
    _preview.update(say=say, seen=None, why="First build", stopped=False, refused=refused)


def stopped() -> bool:
    """Whether a build of this preview stopped before its pages were written."""
    return bool(_preview["stopped"])


def reporting() -> bool:
    """Whether `clinic serve` is running here (its lines are printed; MkDocs' log is not)."""
    return _preview["say"] is not None


def build_started(project: Project) -> None:
    """A build of the preview starts (the plugin's on_config, for a run in "serve" mode): note what
    changed since the last one started."""
    seen = preview.snapshot(preview.watched(project))
    before = _preview["seen"]
    why = "First build" if before is None else preview.changes(project, before, seen)
    _preview.update(seen=seen, why="Rebuild" if why == "nothing" else why, started=time.perf_counter())


def build_finished(problems: list[Problem], *, stopped: bool = False) -> None:
    """A build of the preview is over: say every problem and one line (preview.built_lines); when
    the build `stopped` before its pages were written, say so instead."""
    seconds = time.perf_counter() - _preview["started"]
    if stopped:
        _preview["stopped"] = True
        count = len(set(problems))
        again = "" if _preview["why"] == "First build" else f"; fix {'it' if count == 1 else 'them'} and save again"
        lines = [*report_lines(problems), f"{_preview['why']}: the build stopped after {seconds:.1f} s on "
                 f"{count} problem{'' if count == 1 else 's'}{again}"]
    else:
        lines = preview.built_lines(_preview["why"], problems, seconds)
    for line in lines:
        (_preview["say"] or log.info)(line)


def guard(server, project: Project) -> None:
    """Under `clinic serve`, MkDocs' server (`server`) rebuilds through a guard: a rebuild that stops
    before the run starts (mkdocs.yml that MkDocs cannot read as YAML, or anything unforeseen) is
    one line in the preview's words, where MkDocs printed a traceback, and the last build that
    finished keeps serving. A stop already said (MkDocs' settings errors, the run's problems) is
    not said again."""
    if not reporting():
        return
    build = server.builder

    def guarded() -> None:
        from mkdocs.exceptions import Abort, ConfigurationError

        from clinic_site.engines.mkdocs.engine import unreadable_settings

        try:
            build()
        except Abort as error:   # MkDocs refused mkdocs.yml (said here), or the run stopped (said by build_finished)
            refused = _preview["refused"]() if _preview["refused"] else []
            for problem in unreadable_settings(project, error, refused) if refused else []:
                _preview["say"](str(problem))
        except Exception as error:  # noqa: BLE001 - staff get a line to act on, never a traceback
            shown = project.shown(project.config_file)
            if isinstance(error, ConfigurationError):   # in the words of `clinic build` reading the same file
                problems = unreadable_settings(project, error)
            else:
                what = " ".join(f"{type(error).__name__}: {error}".split())
                problems = [Problem(shown, 1, "", f"the preview's build stopped: {what}", "undo the last change, or "
                                    "ask a developer (the preview shows the last build that finished)")]
            for problem in problems:
                _preview["say"](str(problem))

    server.builder = guarded
