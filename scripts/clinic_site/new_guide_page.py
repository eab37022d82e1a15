"""Start a new guide page, with its review details, and add it to the site's menu.

    .venv/bin/clinic new-guide-page "Massage after knee surgery" --reviewer alex-example

Writes docs/guide/<slug>.md from scripts/clinic_site/templates/guide-page.md with the title, a
description (--description, or a TODO that `clinic check` reports until you write it),
reviewed_by (a person's id from docs/blog/.authors.yml), last_reviewed (today, or
--reviewed) and next_review three years later, and a Sources section.

It then adds the page to the end of the Guide section of the menu (nav: in mkdocs.yml);
move that line to change the page's place. With --no-nav, or when mkdocs.yml is laid out
differently, it prints the exact line to add instead. It never overwrites a file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from clinic_site import check, content_rules, pipeline
from clinic_site.new_post import (
    DESCRIPTION_TODO,
    Ask,
    UsageError,
    choose,
    open_in_editor,
    parse_date,
    people_choices,
    project_root,
    render_template,
    report_check,
    slugify,
    terminal_attached,
    write_new_file,
    yaml_value,
)

REVIEW_YEARS = 3
NAV_SECTION = "Guide"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def add_to_nav(config_text: str, page: str, section: str = NAV_SECTION) -> str | None:
    """mkdocs.yml's text with `- page` added at the end of the nav section `section`.

    A careful text edit, so comments and layout stay as they are. Returns the text
    unchanged when the page is already there, and None when the file is laid out in
    a way this cannot edit safely (then the line must be added by hand).
    """
    if page in _section_pages(config_text, section):
        return config_text
    lines = config_text.splitlines(keepends=True)
    nav = next((i for i, line in enumerate(lines) if re.match(r"nav:\s*(#.*)?$", line)), None)
    if nav is None:
        return None
    header = None
    for i in range(nav + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line.startswith((" ", "-", "#")):
            break   # the next top-level key: the end of nav
        if re.match(rf"\s*- {re.escape(section)}:\s*(#.*)?$", line):
            header = i
            break
    if header is None:
        return None
    section_indent = _indent(lines[header])
    last_item, item_indent = None, None
    for i in range(header + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _indent(line) <= section_indent:
            break
        if line.lstrip().startswith("- "):
            item_indent = _indent(line) if item_indent is None else min(item_indent, _indent(line))
        last_item = i
    if last_item is None or item_indent is None:
        return None
    if not lines[last_item].endswith("\n"):
        lines[last_item] += "\n"
    lines.insert(last_item + 1, f"{' ' * item_indent}- {page}\n")
    new_text = "".join(lines)
    # Keep the edit only when mkdocs.yml still reads the same, plus the page in the section.
    try:
        before, after = check.load_config_text(config_text), check.load_config_text(new_text)
    except Exception:  # noqa: BLE001 - any failure to read back means: do not touch the file
        return None
    if page not in _section_pages(new_text, section) or \
            check.nav_pages(after.get("nav")) != check.nav_pages(before.get("nav")) | {page} or \
            {k: v for k, v in after.items() if k != "nav"} != {k: v for k, v in before.items() if k != "nav"}:
        return None
    return new_text


def _section_pages(config_text: str, section: str) -> set[str]:
    try:
        nav = check.load_config_text(config_text).get("nav") or []
    except Exception:  # noqa: BLE001
        return set()
    for item in nav:
        if isinstance(item, dict) and section in item:
            return check.nav_pages(item[section])
    return set()


def create_guide_page(title: str, *, reviewer: str | None = None, description: str | None = None,
                      last_reviewed: dt.date | None = None, root: Path | None = None,
                      ask: Ask | None = None) -> Path:
    """Write the new guide page; returns its file. Raises UsageError."""
    root = root or project_root()
    title = " ".join(title.split())
    if not title:
        raise UsageError("give the page a title, in quotes: "
                         ".venv/bin/clinic new-guide-page \"Massage after knee surgery\"")
    site = check.Site.load(root)
    reviewer = choose("reviewer", reviewer, people_choices(site), ask,
                      "--reviewer ID (people are listed in docs/blog/.authors.yml; add the reviewer there first)")
    if description is not None:
        problems = content_rules.description_problems({"description": description})
        if problems:
            raise UsageError(f"--description {problems[0][1]} — {problems[0][2]}")
    today = pipeline.clinic_today(root)
    last_reviewed = last_reviewed or today
    if last_reviewed > today:
        raise UsageError(f"--reviewed {last_reviewed} is in the future; use the date the review was done")
    text = render_template("guide-page.md", {
        "title": title, "title_yaml": yaml_value(title), "description": yaml_value(description or DESCRIPTION_TODO),
        "reviewer": reviewer, "last_reviewed": last_reviewed.isoformat(),
        "next_review": add_years(last_reviewed, REVIEW_YEARS).isoformat(),
    })
    file = site.docs_dir / "guide" / f"{slugify(title)}.md"
    write_new_file(file, text, root)
    return file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("title", help='the page\'s title, in quotes: "Massage after knee surgery"')
    parser.add_argument("--reviewer", metavar="ID",
                        help="the reviewer's id in docs/blog/.authors.yml, e.g. alex-example")
    parser.add_argument("--description", help="one sentence of 50 to 160 characters for search results "
                        "(default: a TODO to replace)")
    parser.add_argument("--reviewed", metavar="YYYY-MM-DD", help="date of the review (default: today); "
                        f"next_review is {REVIEW_YEARS} years later")
    parser.add_argument("--no-nav", action="store_true", help="do not change mkdocs.yml; print the line to add")
    parser.add_argument("--no-edit", action="store_true", help="do not open the new file in $VISUAL or $EDITOR")
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", default=None,
                        help="the site's mkdocs.yml (default: found from the current folder upwards)")
    args = parser.parse_args(argv)
    try:
        root = project_root(args.config_file)
        file = create_guide_page(args.title, reviewer=args.reviewer, description=args.description,
                                 last_reviewed=parse_date(args.reviewed, "--reviewed"),
                                 root=root, ask=input if terminal_attached() else None)
    except UsageError as error:
        print(f"clinic new-guide-page: {error}", file=sys.stderr)
        return 2
    page = f"guide/{file.name}"
    print(f"Created {file.relative_to(root)}")
    config_file = root / "mkdocs.yml"
    config_text = config_file.read_text(encoding="utf-8")
    new_text = None if args.no_nav else add_to_nav(config_text, page)
    if new_text is not None:
        if new_text != config_text:
            config_file.write_text(new_text, encoding="utf-8")
        print(f"Added it to the menu: the line `- {page}` at the end of the {NAV_SECTION} section of nav: "
              "in mkdocs.yml (move the line to change the page's place).")
    else:
        print(f"Add it to the menu: in mkdocs.yml, under nav: and `- {NAV_SECTION}:`, add this line with the "
              f"same indentation as the other guide pages:\n      - {page}")
    print(f"Preview it at {check.PREVIEW_URL}guide/{file.stem}/ while scripts/serve is running.")
    report_check(file, root)
    if not args.no_edit:
        open_in_editor(file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
