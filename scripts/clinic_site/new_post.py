"""Start a new blog post: a dated draft with full front matter, opened in your editor.

    .venv/bin/clinic new-post "Title of the post" --author sam-sample --category "Clinic news"

Writes docs/blog/posts/<slug>.md from scripts/clinic_site/templates/blog-post.md with:
date (created: today, or --date), the author (an id from docs/blog/.authors.yml),
the category (one of categories_allowed in mkdocs.yml), the description (--description,
or a TODO that `clinic check` reports until you write it), and `draft: true`, so the
post shows in the preview (scripts/serve) but is not published until you delete that line.
Without --author or --category it asks, when run in a terminal.

It never overwrites a file. It prints the file and its preview address, then opens the
file in $VISUAL or $EDITOR when one is set and you are in a terminal (--no-edit to skip).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from clinic_site import check, content_rules, pipeline
from clinic_site.project import Project, ProjectNotFound

TEMPLATES = Path(__file__).resolve().parent / "templates"
DESCRIPTION_TODO = (f"TODO: write one sentence of {content_rules.DESCRIPTION_MIN} to "
                    f"{content_rules.DESCRIPTION_MAX} characters that sums up the page for search results")
Ask = Callable[[str], str]


# ---------------------------------------------------------------- shared by the new_* commands
class UsageError(Exception):
    """A mistake in what was asked for, explained for clinic staff."""


def project_root(config_file: str | None = None) -> Path:
    """The folder of the site the command works on: of `config_file` (-f), else found from the
    current folder upwards. Raises UsageError when there is none."""
    try:
        return Project.find(config_file).root
    except ProjectNotFound as error:
        raise UsageError(str(error)) from None


def slugify(title: str) -> str:
    """The file name (and web address) for a title, as MkDocs makes heading ids: 'Back pain?' -> back-pain.

    Accents are dropped ('Café' -> cafe); a title in a script with no Latin letters keeps its own
    letters ('診療のお知らせ' -> 診療のお知らせ), which browsers show as typed. Raises UsageError
    when the title has no letters or digits at all."""
    import unicodedata

    from markdown.extensions.toc import slugify as toc_slugify
    from markdown.extensions.toc import slugify_unicode

    slug = toc_slugify(title, "-").strip("-_")
    if not slug:
        slug = slugify_unicode(unicodedata.normalize("NFC", title), "-").strip("-_")
    if not slug:
        raise UsageError(f"the title '{title}' has no letters or digits to make a file name from; "
                         "write the title in words")
    return slug


def yaml_value(value) -> str:
    """A value written the way YAML reads it back unchanged: quoted when needed, lists as [a, b]."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def render_template(name: str, values: dict, templates: Path = TEMPLATES) -> str:
    """scripts/clinic_site/templates/<name> with each ${placeholder} filled in."""
    return string.Template((templates / name).read_text(encoding="utf-8")).substitute(values)


def parse_date(text: str | None, what: str = "--date") -> dt.date | None:
    """The date written as YYYY-MM-DD, or None when none was given (the caller takes the clinic's
    day: clinic_site.pipeline.clinic_today). Raises UsageError."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what} '{text}' is not a date; write it as YYYY-MM-DD, for example 2026-11-20") from None


def choose(what: str, given: str | None, choices: dict[str, str], ask: Ask | None, how: str) -> str:
    """`given` when it is one of `choices` (id -> description), else ask in a terminal, else explain.

    Matching ignores case, so 'clinic news' finds 'Clinic news'.
    """
    listing = "\n".join(f"  {number}. {key}  ({label})" if label != key else f"  {number}. {key}"
                        for number, (key, label) in enumerate(choices.items(), start=1))
    if given is not None:
        for key in choices:
            if key.lower() == given.strip().lower():
                return key
        raise UsageError(f"{what} '{given}' is not known. Use one of:\n{listing}\n{how}")
    if ask is None:
        raise UsageError(f"choose the {what} with {how}; one of:\n{listing}")
    while True:
        answer = ask(f"Which {what}?\n{listing}\nType its number or name: ").strip()
        keys = list(choices)
        if answer.isdigit() and 1 <= int(answer) <= len(keys):
            return keys[int(answer) - 1]
        for key in keys:
            if key.lower() == answer.lower():
                return key
        print(f"'{answer}' is not one of the choices; try again.")


def write_new_file(path: Path, text: str, root: Path) -> None:
    """Write `path`, refusing to replace a file that is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise UsageError(f"{path.relative_to(root)} already exists, so nothing was written. Edit that file, "
                         "or choose a different title (or id) for the new one.") from None


def terminal_attached() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def open_in_editor(path: Path, environ=os.environ, attached: bool | None = None) -> bool:
    """Open `path` in $VISUAL or $EDITOR when one is set and a terminal is attached."""
    editor = environ.get("VISUAL") or environ.get("EDITOR")
    if not editor or not (terminal_attached() if attached is None else attached):
        return False
    subprocess.call([*shlex.split(editor), str(path)])
    return True


def report_check(file: Path, root: Path) -> None:
    """What `clinic check` says about the new page: the TODOs still to write."""
    problems = check.check_file(file, root)
    if problems:
        print("\nStill to do before it can be published (.venv/bin/clinic check reports these until they are done):")
        for problem in problems:
            print(f"  {problem}")


def people_choices(site: check.Site) -> dict[str, str]:
    return {person_id: person.get("name", person_id) for person_id, person in site.people.items()}


# ---------------------------------------------------------------- the blog post
def post_url(date: dt.date, slug: str) -> str:
    """Preview address: mkdocs.yml has post_url_format "{date}/{slug}", dates as yyyy/MM/dd."""
    return f"{check.PREVIEW_URL}blog/{date:%Y/%m/%d}/{slug}/"


def create_post(title: str, *, author: str | None = None, category: str | None = None, date: dt.date | None = None,
                description: str | None = None, root: Path | None = None, ask: Ask | None = None) -> tuple[Path, str]:
    """Write the new post's file; returns (file, preview address). Raises UsageError."""
    root = root or project_root()
    title = " ".join(title.split())
    if not title:
        raise UsageError("give the post a title, in quotes: .venv/bin/clinic new-post \"Title of the post\"")
    site = check.Site.load(root)
    author = choose("author", author, people_choices(site), ask,
                    "--author ID (people are listed in docs/blog/.authors.yml; add a new author there first)")
    categories = {name: name for name in site.categories or []}
    if categories:
        category = choose("category", category, categories, ask,
                          "--category NAME (a new category must first be added to categories_allowed in mkdocs.yml)")
    elif not category:
        raise UsageError("choose a category with --category NAME")
    if description is not None:
        problems = content_rules.description_problems({"description": description})
        if problems:
            raise UsageError(f"--description {problems[0][1]} — {problems[0][2]}")
    date = date or pipeline.clinic_today(root)
    slug = slugify(title)
    text = render_template("blog-post.md", {
        "date": date.isoformat(), "author": author, "category": yaml_value(category),
        "description": yaml_value(description or DESCRIPTION_TODO), "slug": slug, "title": title,
    })
    file = site.docs_dir / site.blog_dir / "posts" / f"{slug}.md"
    write_new_file(file, text, root)
    return file, post_url(date, slug)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("title", help='the post\'s title, in quotes: "Why we added evening hours"')
    parser.add_argument("--author", metavar="ID", help="the author's id in docs/blog/.authors.yml, e.g. sam-sample")
    parser.add_argument("--category", metavar="NAME",
                        help="one of categories_allowed in mkdocs.yml, e.g. \"Clinic news\"")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="publication date (default: today)")
    parser.add_argument("--description", help="one sentence of 50 to 160 characters for search results "
                        "(default: a TODO to replace)")
    parser.add_argument("--no-edit", action="store_true", help="do not open the new file in $VISUAL or $EDITOR")
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", default=None,
                        help="the site's mkdocs.yml (default: found from the current folder upwards)")
    args = parser.parse_args(argv)
    try:
        root = project_root(args.config_file)
        file, url = create_post(args.title, author=args.author, category=args.category,
                                date=parse_date(args.date), description=args.description,
                                root=root, ask=input if terminal_attached() else None)
    except UsageError as error:
        print(f"clinic new-post: {error}", file=sys.stderr)
        return 2
    print(f"Created {file.relative_to(root)}")
    print(f"Preview it at {url} while scripts/serve is running (it is a draft: only the preview shows it).")
    report_check(file, root)
    if not args.no_edit:
        open_in_editor(file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
