"""A warm interpreter for the tests' runs of the real commands (`python -m mkdocs build --strict`,
`python -m clinic_site.cli build`, `python -m clinic_site.cli check`, `python -c ...`): started once
per pytest worker (tests/harness.py, run_python), it imports what those commands import (MkDocs,
Material and its plugins, the Markdown extensions, clinic_site) and then, for each run, forks a
child that runs the command as `python` itself would: the module run as __main__ by the runpy
function `-m` calls, in a new __main__ module, the run's folder and environment, its output written
to the files named, its exit status what the interpreter's would be. Starting an interpreter and
importing all that cost about half a second of CPU per run, a fifth of a small build, and the
tests run dozens of them.

Why a process of its own and not a fork of the pytest worker: forking a process with threads is
unsafe (Playwright's driver runs threads in the worker), and this one never starts any; it checks
that before each fork. Why only imports and never a build: an import leaves next to no state a run
depends on (the one found: mkdocs-redirects prints ProperDocs' notice once a process, when not
silenced, so run_python runs such an `mkdocs` run cold; tests/test_harness_warm.py and
test_pipeline.py compare warm and cold runs word for word), while a build leaves caches a cold run
would not have.

Protocol, one JSON object a line on stdin: {"argv": ["-m", "mkdocs", "build", ...] or ["-c", code,
...], "cwd": folder, "env": {...}, "stdout": file, "stderr": file}; answered on stdout with
{"returncode": n} once the child has ended. The server ends when its stdin closes.
"""
from __future__ import annotations

import atexit
import builtins
import importlib
import json
import os
import runpy
import sys
import tempfile
import threading
import traceback
import types

HERE = os.path.abspath(__file__)

# What the commands import (python -X importtime of a cold `mkdocs build`, `clinic build` and
# `clinic check`, the top-level names), never the modules they run as __main__ (mkdocs.__main__,
# clinic_site.cli): runpy warns when the module it runs is already imported. A name missing here
# only costs its import in each child; one no longer installed is passed over.
PRELOAD = ("argparse", "click", "colorama", "concurrent.futures.thread", "dataclasses", "difflib", "email.parser",
           "paginate", "requests", "statistics", "jinja2.sandbox", "markdown", "markdown.extensions.attr_list",
           "markdown.extensions.codehilite", "pygments.formatters.html", "pymdownx.util", "pymdownx.quotes",
           "PIL.ImageDraw", "cairosvg", "mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.config",
           "mkdocs.config.defaults", "mkdocs.plugins", "material.plugins.blog.plugin", "material.plugins.blog.config",
           "material.plugins.blog.readtime", "material.plugins.blog.structure", "material.plugins.social.plugin",
           "material.plugins.social.layout", "mkdocs_redirects.plugin", "clinic_site.pipeline", "clinic_site.check",
           "clinic_site.commands", "clinic_site.claims", "clinic_site.rules", "clinic_site.postbuild",
           "clinic_site.stage", "clinic_site.stage.settings", "clinic_site.engines.mkdocs.engine",
           "clinic_site.engines.mkdocs.plugin")


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def exit_status(stop: SystemExit) -> int:
    """The status the interpreter exits with for an uncaught SystemExit (printing a message, as it does)."""
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=sys.stderr)
    return 1


def run(argv: list[str]) -> int:
    """`python *argv` in this (forked) process: `-m module args…` or `-c code args…`, in a new
    __main__ module, through the same runpy function `python -m` calls."""
    option, target, *args = argv
    main_module = types.ModuleType("__main__")
    main_module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = main_module
    if option == "-m":
        sys.argv = [target, *args]             # runpy sets argv[0] to the module's file, as -m does
        sys.path[0] = os.getcwd()              # -m puts the current folder first on the path
        main = lambda: runpy._run_module_as_main(target, alter_argv=True)  # noqa: E731
    elif option == "-c":
        sys.argv = ["-c", *args]
        sys.path[0] = ""                       # -c puts '' first on the path
        main = lambda: exec(compile(target, "<string>", "exec"), main_module.__dict__)  # noqa: E731
    else:
        raise ValueError(f"only -m and -c runs: {argv!r}")
    try:
        main()
        status = 0
    except SystemExit as stop:
        status = exit_status(stop)
    except BaseException as error:   # what the interpreter prints for an uncaught exception
        frames = error.__traceback__
        while frames is not None and frames.tb_frame.f_code.co_filename == HERE:   # this file's own frames
            frames = frames.tb_next
        traceback.print_exception(type(error), error, frames)
        status = 1
    atexit._run_exitfuncs()   # logging's shutdown and whatever the run registered, as at a real exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    return status


def child(request: dict, keep: set[int]) -> None:
    """In the forked child: become the run the request describes, then exit with its status."""
    status = 70
    try:
        for descriptor in keep:
            os.close(descriptor)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None   # found again from this run's environment, as in a new interpreter
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for descriptor, name in ((1, "stdout"), (2, "stderr")):
            opened = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(opened, descriptor)
            os.close(opened)
        status = run(request["argv"])
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(status)


def serve() -> None:
    # The protocol's own descriptors, away from 0 and 1 so that nothing a run prints reaches them.
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)   # anything the imports print goes to the server's stderr, never into an answer
    preload()
    sys.stdout.flush()
    sys.stderr.flush()
    for line in requests:
        request = json.loads(line)
        # Forking is safe only while this process runs one thread (Python's or any library's).
        threads = len(os.listdir("/proc/self/task"))
        if threading.active_count() != 1 or threads != 1:
            answers.write(json.dumps({"error": f"{threads} threads in the warm server; it cannot fork"}) + "\n")
            answers.flush()
            continue
        pid = os.fork()
        if pid == 0:
            child(request, {requests.fileno(), answers.fileno(), null})
        _, wait_status = os.waitpid(pid, 0)
        answers.write(json.dumps({"returncode": os.waitstatus_to_exitcode(wait_status)}) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
