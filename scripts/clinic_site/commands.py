"""`clinic build` and `clinic serve`: the site's build and live preview, on the project found from
the current folder (walking up to mkdocs.yml) or named with -f.

    .venv/bin/clinic build                 build into site/ (or --site-dir); stops naming every problem
    .venv/bin/clinic serve                 preview at http://127.0.0.1:8000/, rebuilt on each save
"""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import threading
import time
from pathlib import Path

from clinic_site import engines, pipeline
from clinic_site.check import summary
from clinic_site.problems import ProblemsFound, report_lines
from clinic_site.project import Project, ProjectNotFound


def _project(parser: argparse.ArgumentParser, config_file: str | None) -> Project:
    try:
        return Project.find(config_file)
    except ProjectNotFound as error:
        parser.exit(2, f"{parser.prog}: {error}\n")


def build_main(argv: list[str] | None = None) -> int:
    """`clinic build`: the whole site into its folder; exit status 1 (and an empty folder) on any error."""
    parser = argparse.ArgumentParser(prog="clinic build", description=build_main.__doc__)
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", help="the site's mkdocs.yml "
                        "(default: found from the current folder upwards)")
    parser.add_argument("-d", "--site-dir", type=Path, help="where to write the site (default: site_dir in "
                        "mkdocs.yml, site/)")
    parser.add_argument("--engine", choices=engines.NAMES, default="mkdocs", help="the engine that renders pages")
    parser.add_argument("--no-spelling", action="store_true", help="skip the spell check")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="judge review dates and listings as on this day (default: today)")
    args = parser.parse_args(argv)
    project = _project(parser, args.config_file)
    started = time.perf_counter()
    site_dir = args.site_dir.resolve() if args.site_dir else None
    main = threading.current_thread() is threading.main_thread()
    terminate = signal.signal(signal.SIGTERM, pipeline.stop_on_terminate) if main else None
    try:
        run = pipeline.build(project, site_dir, engine=args.engine, day=args.today, spelling=not args.no_spelling)
    except KeyboardInterrupt:   # the site folder is left empty (pipeline.build): said in a line, no traceback
        print("Build stopped (Ctrl+C, or the job was cancelled): nothing half-built is left in the site folder; "
              "build again")
        return 130
    except ProblemsFound as stop:
        print(stop.heading)
        for line in report_lines(stop.problems):
            print(line)
        print(summary(stop.problems, time.perf_counter() - started).replace("run the check", "build"))
        return 1
    finally:
        if main:
            signal.signal(signal.SIGTERM, terminate)
    for line in report_lines(run.problems):
        print(line)
    target = site_dir or run.settings.site_dir  # type: ignore[union-attr]
    print(f"Built {project.shown(target)}/ in {time.perf_counter() - started:.1f} s"
          + (f", with {len(run.problems)} warning{'s' if len(run.problems) != 1 else ''} to look at soon."
             if run.problems else "."))
    return 0


def serve_main(argv: list[str] | None = None) -> int:
    """`clinic serve`: the live preview; a problem shows in a box on its page, and the rest keeps serving."""
    parser = argparse.ArgumentParser(prog="clinic serve", description=serve_main.__doc__)
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", help="the site's mkdocs.yml "
                        "(default: found from the current folder upwards)")
    parser.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="where to serve (default 127.0.0.1:8000)")
    parser.add_argument("--engine", choices=engines.NAMES, default="mkdocs", help="the engine that renders pages")
    parser.add_argument("--open", action="store_true", help="open the preview in the browser")
    args = parser.parse_args(argv)
    project = _project(parser, args.config_file)
    return engines.adapter(args.engine).serve(project, dev_addr=args.dev_addr, open_in_browser=args.open)
