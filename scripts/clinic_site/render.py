"""HTML the site writes outside the engine's templates, from templates of its own with
autoescaping on, so every text is escaped once: the preview's problem box and a page's
link-preview tags (templates/html/)."""
from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import jinja2

from clinic_site.problems import Problem

PROBLEM_HEADING = "Fix before publishing: the published build stops on these"


@functools.cache
def _environment() -> jinja2.Environment:
    folder = Path(__file__).parent / "templates" / "html"
    # auto_reload off: these templates are the package's own and change only with it (each page's
    # tags would otherwise look at the template's file again: a stat a page).
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True, auto_reload=False,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


def problem_box(problems: Iterable[Problem], heading: str = PROBLEM_HEADING) -> str:
    """The preview's box for `problems` (sorted, each once); "" when there are none."""
    found = sorted(set(problems))
    if not found:
        return ""
    return _environment().get_template("problem-box.html").render(problems=found, heading=heading).strip()


def meta_tags(tags: Iterable[tuple[str, str, str]]) -> str:
    """<meta kind="key" content="value"> for each (kind, key, value) with a value, one per line."""
    return _environment().get_template("social-tags.html").render(
        tags=[tag for tag in tags if tag[2]]).strip()
