"""`clinic check`: the build, into a folder thrown away afterwards, without social cards.

It is the same run as `clinic build` (clinic_site.pipeline: stage, engine, post-build), so it
prints exactly the build's problems, in the same words, including those only the post-build
stage finds (the guard, links, feeds); nothing is published. Each problem is printed as
"file, line N: 'field' what is wrong — how to fix it"; a warning said in many places is one line
with its count and places.

Run in the site's folder (or any folder inside it):  .venv/bin/clinic check
Exit status: 1 when there is an error, 0 when there are none (warnings only), 2 when no site is found.

Also here: what the scaffolding commands (clinic new-post, new-guide-page, new-listing) need to
know of a project (`Site`) and the page rules for one new file (`check_file`).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from pathlib import Path

from clinic_site import pipeline
from clinic_site.problems import ERROR, WARNING, Problem, errors, report_lines
from clinic_site.project import Project, Settings, for_command, load_config_text

__all__ = ["ERROR", "WARNING", "Problem", "errors", "check_file", "main", "Site", "load_config_text"]

PREVIEW_URL = "http://127.0.0.1:8000/"


def check_file(file: Path, root: Path, today: dt.date | None = None) -> list[Problem]:
    """The page rules for one Markdown page, without a build (used by the new_* commands)."""
    from clinic_site import content_rules, front_matter
    from clinic_site.sources import read_source

    site = Site.load(root)
    source, refused = front_matter.checked(read_source(file, site.shown(file)))
    facts = content_rules.SiteFacts(frozenset(site.people), tuple(site.categories) if site.categories else None,
                                    site.blog_dir, today or pipeline.clinic_today(root),
                                    samples=frozenset(key for key, person in site.people.items()
                                                      if person.get("sample")))
    found = content_rules.check_page(source, file.relative_to(site.docs_dir).as_posix(), facts)
    return sorted(refused + front_matter.without_refused(found, source))


# ---------------------------------------------------------------- the site, for the commands
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
    def load(cls, root: Path) -> Site:
        from clinic_site import people as people_file

        config = Settings.read(Project(root, root / "mkdocs.yml"))[0].data   # {} when it cannot be read
        docs_dir = root / config.get("docs_dir", "docs")
        blog = next((entry["blog"] or {} for entry in config.get("plugins") or []
                     if isinstance(entry, dict) and "blog" in entry), {})
        finder = (config.get("extra") or {}).get("finder") or {}
        blog_dir = blog.get("blog_dir", "blog")
        people, _problems = people_file.read_people(docs_dir / blog_dir / ".authors.yml", "", "")
        return cls(root=root, docs_dir=docs_dir, people=people, nav=nav_pages(config.get("nav") or []),
                   categories=blog.get("categories_allowed") or None, blog_dir=blog_dir,
                   listings_dir=docs_dir / finder.get("listings_dir", "therapists/listings"),
                   boards_file=docs_dir / finder.get("boards", "therapists/licensing-boards.yml"))

    def shown(self, file: Path) -> str:
        """docs/guide/safety.md: the path as staff see it in the repository."""
        return file.resolve().relative_to(self.root.resolve()).as_posix()


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
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", default=None,
                        help="the site's mkdocs.yml (default: found from the current folder upwards)")
    parser.add_argument("--no-spelling", action="store_true", help="skip the spell check")
    parser.add_argument("--readability", action="store_true",
                        help="kept for old scripts: the reading grade is always checked now")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="check the review dates as on this day (default: today)")
    parser.add_argument("--launch", action="store_true",
                        help="list everything still sample or placeholder, to do before `live: true` "
                             "(exit status 1 until the list is empty)")
    args = parser.parse_args(argv)
    project = for_command("clinic check", args.config_file)
    if project is None:
        return 2
    if args.launch:
        return launch_main(project, args.today)
    started = time.perf_counter()
    problems = pipeline.check(project, day=args.today, spelling=not args.no_spelling)
    for line in report_lines(problems):
        print(line)
    print(summary(problems, time.perf_counter() - started))
    return 1 if errors(problems) else 0


def launch_main(project: Project, day: dt.date | None) -> int:
    """`clinic check --launch`: the launch list, grouped, with counts and where each is fixed;
    exit status 1 until it is empty (and while another error stops the stage)."""
    from clinic_site import launch

    markers, other = pipeline.launch(project, day=day)
    lines = launch.launch_list(markers)
    if lines:
        groups = len({marker.group for marker in markers})
        print(f"Before launch: {len(markers)} thing{'s' if len(markers) != 1 else ''} to do, in {groups} "
              f"group{'s' if groups != 1 else ''} (the launch guide: CONTRIBUTING.md, \"Going live\").")
        for line in lines:
            print(line)
    if other:
        print(f"Other errors ({len(other)}): run `clinic check` for them all")
        for line in report_lines(other):
            print(f"  {line}")
    if lines or other:
        print("Fix these, then run `clinic check --launch` again; set `live: true` in clinic.yml when the list is "
              "empty.")
        return 1
    print("Nothing left to do before launch: set `live: true` in clinic.yml, then `clinic build`.")
    return 0
