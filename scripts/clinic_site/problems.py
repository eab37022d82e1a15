"""The one problem model: what every rule returns, and the one way it is printed.

A rule (front matter, listings, clinic settings, links, markup) returns `Problem`s; the
build (scripts/hooks/content.py) and the fast check (`clinic check`) both print them with
`format_problems`, so staff read the same words from either.
"""
from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable

from mkdocs.exceptions import PluginError

ERROR, WARNING = "error", "warning"


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix, located for clinic staff.

    path:     the file as staff see it in the repository: "docs/guide/safety.md", "mkdocs.yml"
    line:     1-based line in that file (1 when the problem is about the whole file)
    field:    the front matter key, setting or data field ("title", "extra.clinic.phone"),
              or "" for the page's text
    what:     what is wrong, in plain words
    fix:      how to fix it, as an instruction
    severity: ERROR stops the build and the check; WARNING is printed only
    """

    path: str
    line: int
    field: str
    what: str
    fix: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        label = "warning: " if self.severity == WARNING else ""
        subject = f"'{self.field}' " if self.field else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{self.path}, line {self.line}: {label}{subject}{self.what}{fix}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Only the problems that stop the build."""
    return [problem for problem in problems if problem.is_error]


def format_problems(problems: Iterable[Problem]) -> str:
    """One line per problem, sorted by file and line, without repeats."""
    return "\n".join(str(problem) for problem in sorted(set(problems)))


def problem_box(problems: Iterable[Problem]) -> str:
    """The preview's box of problems as HTML (Material's "failure" admonition), every text
    escaped once for HTML; "" when there are none. Each item: "file, line N: the problem"."""
    found = sorted(set(problems))
    if not found:
        return ""
    items = "".join(f"<li><code>{html.escape(problem.path)}, line {problem.line}</code>: "
                    f"{html.escape(str(problem).split(': ', 1)[1])}</li>" for problem in found)
    return ('<div class="admonition failure clinic-problems" role="alert"><p class="admonition-title">'
            f"Fix before publishing: the published build stops on these</p><ul>{items}</ul></div>")


def front_matter_line(source: str, key: str) -> int:
    """Line number (1-based) of `key:` in a Markdown file's front matter, or 1 when absent."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith(f"{key}:") or line.startswith(f"{key} :"):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1


class ProblemsFound(PluginError):
    """Raised by a MkDocs hook to stop the build with `problems` (a list of Problem).

    A PluginError, so MkDocs prints the message without a traceback; `clinic check`, which
    runs the build's front half, reads `.problems` from it instead of parsing the message.
    """

    def __init__(self, problems: Iterable[Problem], heading: str = "Problems found; fix them and build again:"):
        self.problems = sorted(set(problems))
        super().__init__(heading + "\n" + format_problems(self.problems))
