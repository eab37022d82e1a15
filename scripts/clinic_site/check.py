"""`clinic check`: every content check in seconds: the build's front half, without writing a site.

It is the build's front half: it loads mkdocs.yml as MkDocs does (`load_config`) and runs
MkDocs' build up to the moment pages would be written (MkDocs 1.6 `build()`: on_config,
on_pre_build, on_files, on_nav, reading and rendering every page, on_env), with the same
hooks, so it finds exactly what `mkdocs build --strict` would stop on, in the same words.
Social cards are not drawn. On top of the build's rules it checks spelling, and with
--readability the reading grade of guide pages.

Run from the project root:  .venv/bin/clinic check     (or .venv/bin/python scripts/check.py)
Each problem is printed as "file, line N: 'field' what is wrong — how to fix it".
Exit status: 1 when there is an error, 0 when there are none (warnings only).
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import re
import time
from pathlib import Path

import yaml

from clinic_site.problems import ERROR, WARNING, Problem, ProblemsFound, errors
from clinic_site.project import PROJECT_ROOT

__all__ = ["ERROR", "WARNING", "Problem", "errors", "check_all", "check_file", "front_half", "main"]

PREVIEW_URL = "http://127.0.0.1:8000/"
TODAY_VARIABLE = "CLINIC_TODAY"  # YYYY-MM-DD: judge review dates as on this day (build and check)
SKIPPED_PLUGINS = ("material/social",)  # draws images; finds no content problem


def front_half(root: Path = PROJECT_ROOT) -> list[Problem]:
    """Run the build of the project at `root` up to writing pages; every problem it stops on.

    Never raises for content: a configuration error, a plugin's own error or an unexpected
    failure becomes a Problem naming mkdocs.yml (or the file MkDocs names).
    """
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from clinic_site import mkdocs_warnings

    config_file = root / "mkdocs.yml"
    # The problems are printed once, as problems; MkDocs' own log lines are not shown.
    quiet = logging.NullHandler()
    logging.getLogger("mkdocs").addHandler(quiet)
    config = None
    try:
        said = mkdocs_warnings.WarningCollector()
        said.attach()
        try:
            config = load_config(str(config_file), strict=True)
        except (ConfigurationError, Abort) as error:
            reasons = "; ".join(record.getMessage() for record in said.records) or str(error)
            line = re.search(r"line (\d+)", reasons)
            reasons = re.sub(r'\s*in "[^"]*", line \d+, column \d+:?', "", " ".join(reasons.split()))
            return [Problem("mkdocs.yml", int(line.group(1)) if line else 1, "",
                            f"the settings cannot be read: {reasons}",
                            "correct the setting it names (see the README)")]
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            return [Problem("mkdocs.yml", mark.line + 1 if mark else 1, "",
                            f"the settings are not valid YAML ({getattr(error, 'problem', None) or error})",
                            "check the indentation (two spaces per level) and the quotes and brackets")]
        finally:
            said.detach()
        for name in SKIPPED_PLUGINS:  # out of the collection and out of its events (MkDocs 1.6 PluginCollection)
            skipped = config.plugins.pop(name, None)
            for methods in config.plugins.events.values():
                methods[:] = [method for method in methods if getattr(method, "__self__", None) is not skipped]
        config.plugins.on_startup(command="build", dirty=False)
        try:
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = mkdocs_build.get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            mkdocs_build.set_exclusions(files, config)
            nav = mkdocs_build.get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            for file in files.documentation_pages():
                page = file.page if file.page is not None else mkdocs_build.Page(None, file, config)
                mkdocs_build._populate_page(page, config, files)
            env = config.plugins.on_env(env, config=config, files=files)
            render_pages(config, files, nav, env)
        except ProblemsFound as stop:
            return sorted(set(stop.problems) | _collected(config))
        except PluginError as error:
            return [Problem("mkdocs.yml", 1, "", f"the build stopped: {error}", "correct what it names")]
        except Exception as error:  # noqa: BLE001 - staff get a line to act on, never a traceback
            current = getattr(config, "_current_page", None)
            where = f"docs/{current.file.src_uri}" if current is not None else "mkdocs.yml"
            return [Problem(where, 1, "", f"the build stopped: {type(error).__name__}: {error}",
                            "correct what it names; if it is unclear, ask a developer")]
        finally:
            with contextlib.suppress(Exception):  # a plugin's clean-up of what a stopped build never made
                config.plugins.on_shutdown()
        return sorted(_collected(config))
    finally:
        logging.getLogger("mkdocs").removeHandler(quiet)


def render_pages(config, files, nav, env) -> None:
    """The build's next steps, without writing anything: every page the build would write is
    rendered through its template with the same events (on_page_context, on_post_page; the
    theme's .html templates such as 404.html through on_post_template), so the output guard
    (headers.OutputGuard, in scripts/hooks/content.py) reads what the build would write. The
    files the build copies as they are (.html, .svg) and the redirects plugin's pages are
    handed to the same guard. What it finds the hook returns with the rest of its problems.
    Source of the steps: MkDocs 1.6 mkdocs/commands/build.py (build, _build_page, _build_template)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.files import InclusionLevel

    from clinic_site import headers

    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for name in config.theme.static_templates:
        if name.endswith(".html"):
            template = env.get_template(name)
            mkdocs_build._build_template(name, template, files, config, nav)
    for file in doc_files:
        page = file.page
        if page is None:
            continue
        config._current_page = page
        page.active = True
        try:
            context = mkdocs_build.get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            config.plugins.on_post_page(template.render(context), page=page, config=config)
        finally:
            page.active = False
            config._current_page = None
    copied = {file.dest_uri: Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
              for file in [*files.static_pages(), *files.media_files()]
              if file.abs_src_path and file.dest_uri.endswith((".html", ".svg"))
              and file.inclusion.is_included()}
    hook = _content_hook(config)
    if hook is not None:
        hook.guard_unwritten({**copied, **headers.redirect_pages(config)})


def _content_hook(config):
    """The hook module scripts/hooks/content.py as MkDocs loaded it (None when not listed)."""
    return next((plugin for plugin in config.plugins.values() if hasattr(plugin, "guard_unwritten")), None)


def _collected(config) -> set[Problem]:
    """Warnings too: every problem the hooks collected (a hook module's `collected_problems()`)."""
    found: set[Problem] = set()
    for plugin in config.plugins.values():
        collected = getattr(plugin, "collected_problems", None)
        if callable(collected):
            found |= set(collected())
    return found


def check_all(root: Path = PROJECT_ROOT, *, today: dt.date | None = None, spelling: bool = True,
              readability: bool = False) -> list[Problem]:
    """Every problem in the project at `root`, sorted by file and line. `today` judges review
    dates (default: today), for the build's front half too."""
    previous = os.environ.get(TODAY_VARIABLE)
    if today is not None:
        os.environ[TODAY_VARIABLE] = today.isoformat()
    try:
        problems = front_half(root)
    finally:
        if today is not None:
            if previous is None:
                os.environ.pop(TODAY_VARIABLE, None)
            else:
                os.environ[TODAY_VARIABLE] = previous
    try:
        site = Site.load(root)
    except (OSError, yaml.YAMLError):
        return sorted(set(problems))  # the front half has said what is wrong with mkdocs.yml
    if spelling:
        problems += check_spelling(site)
    if readability:
        problems += check_readability(site)
    return sorted(set(problems))


def today() -> dt.date:
    """The day review dates are judged against: $CLINIC_TODAY (YYYY-MM-DD) if set, else today."""
    value = os.environ.get(TODAY_VARIABLE)
    return dt.date.fromisoformat(value) if value else dt.date.today()


def check_file(file: Path, root: Path = PROJECT_ROOT, today: dt.date | None = None) -> list[Problem]:
    """The page rules for one Markdown page, without a build (used by the new_* commands)."""
    from clinic_site import content_rules
    from clinic_site.sources import read_source

    site = Site.load(root)
    source = read_source(file, site.shown(file))
    facts = content_rules.SiteFacts(frozenset(site.people), tuple(site.categories) if site.categories else None,
                                    site.blog_dir, today or dt.date.today(),
                                    samples=frozenset(key for key, person in site.people.items()
                                                      if person.get("sample")))
    return sorted(content_rules.check_page(source, file.relative_to(site.docs_dir).as_posix(), facts))


# ---------------------------------------------------------------- the site, for the commands
class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml text without running it: tags like !ENV become plain values. For the
    new_* commands, which edit mkdocs.yml's text and must read it back to compare."""


def _plain_value(loader, _suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _plain_value)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain_value)


def load_config_text(text: str) -> dict:
    """mkdocs.yml's text as plain data (tags kept as their plain values)."""
    return yaml.load(text, Loader=_ConfigLoader) or {}


def nav_pages(nav) -> set[str]:
    """Every Markdown page named in mkdocs.yml's nav: (paths relative to docs/)."""
    found: set[str] = set()
    for item in nav if isinstance(nav, list) else [nav]:
        if isinstance(item, str):
            if item.endswith(".md"):
                found.add(item)
        elif isinstance(item, (dict, list)):
            for value in item.values() if isinstance(item, dict) else item:
                found |= nav_pages(value)
    return found


@dataclasses.dataclass
class Site:
    """What the staff commands need to know of the project at `root`, read from mkdocs.yml."""

    root: Path
    docs_dir: Path
    people: dict
    nav: set[str]
    categories: list[str] | None       # None: any category is allowed
    blog_dir: str
    listings_dir: Path
    boards_file: Path

    @classmethod
    def load(cls, root: Path = PROJECT_ROOT) -> Site:
        from clinic_site import seo

        config = load_config_text((root / "mkdocs.yml").read_text(encoding="utf-8-sig"))
        docs_dir = root / config.get("docs_dir", "docs")
        blog = next((entry["blog"] or {} for entry in config.get("plugins") or []
                     if isinstance(entry, dict) and "blog" in entry), {})
        finder = (config.get("extra") or {}).get("finder") or {}
        blog_dir = blog.get("blog_dir", "blog")
        people, _problems = seo.read_people(docs_dir / blog_dir / ".authors.yml", "", "")
        return cls(root=root, docs_dir=docs_dir, people=people, nav=nav_pages(config.get("nav") or []),
                   categories=blog.get("categories_allowed") or None, blog_dir=blog_dir,
                   listings_dir=docs_dir / finder.get("listings_dir", "therapists/listings"),
                   boards_file=docs_dir / finder.get("boards", "therapists/licensing-boards.yml"))

    def shown(self, file: Path) -> str:
        """docs/guide/safety.md: the path as staff see it in the repository."""
        return file.resolve().relative_to(self.root.resolve()).as_posix()


def _line_of_text(source: str, needle: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if needle in line:
            return number
    return 1


# ---------------------------------------------------------------- checks the build does not make
def check_spelling(site: Site) -> list[Problem]:
    from clinic_site import spelling

    found = []
    for misspelling in spelling.check_docs(site.docs_dir, site.docs_dir / spelling.WORD_LIST.name):
        if misspelling.word == "TODO":
            continue  # reported as a placeholder
        path = site.shown(site.docs_dir.parent / misspelling.path)
        prefix = f"{misspelling.path}, line {misspelling.line}: "
        what, _, fix = misspelling.message().removeprefix(prefix).partition("; ")
        found.append(Problem(path, misspelling.line, "", what, fix))
    return found


def check_readability(site: Site) -> list[Problem]:
    from clinic_site import readability

    problems = []
    for file in sorted((site.docs_dir / "guide").glob("*.md")):
        report = readability.page_report(f"docs/guide/{file.name}", file.read_text(encoding="utf-8"))
        if readability.over_limit([report]):
            hardest = report.hardest(1)[0].text if report.sentences else ""
            source = file.read_text(encoding="utf-8")
            line = _line_of_text(source, hardest[:40]) if hardest else 1
            message = readability.failure_message(report).removeprefix(f"{report.path} ")
            what, _, fix = message.partition(": shorten")
            problems.append(Problem(site.shown(file), line, "", what, "shorten" + fix if fix else ""))
    return problems


def summary(problems: list[Problem], seconds: float) -> str:
    """The closing line: counts, time, and what to do next."""
    found_errors = len(errors(problems))
    warnings = len(problems) - found_errors
    if not problems:
        return f"All content checks passed ({seconds:.1f} s)."
    verdict = "Fix the errors above, then run the check again." if found_errors else \
        "No errors: the site can be published. The warnings above need attention soon."
    def count(n: int, noun: str) -> str:
        return f"{n} {noun}" + ("" if n == 1 else "s")
    return f"{count(found_errors, 'error')}, {count(warnings, 'warning')} ({seconds:.1f} s). {verdict}"


def main(argv: list[str] | None = None) -> int:
    """`clinic check`: print every problem; exit status 1 when any is an error."""
    parser = argparse.ArgumentParser(
        prog="clinic check", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 1 when there is at least one error, 0 otherwise (warnings only). "
               "What each message means and how to fix it: CONTRIBUTING.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readability", action="store_true",
                        help="also check the reading grade of guide pages (scripts/clinic_site/readability.py)")
    parser.add_argument("--no-spelling", action="store_true", help="skip the spell check")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="check the review dates as on this day (default: today)")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    problems = check_all(args.root, today=args.today, spelling=not args.no_spelling, readability=args.readability)
    for problem in problems:
        print(problem)
    print(summary(problems, time.perf_counter() - started))
    return 1 if errors(problems) else 0
