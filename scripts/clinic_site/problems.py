"""The one problem model: what every rule returns, and the one way it is printed.

Every rule (front matter, listings, clinic settings, links, markup, spelling, claims) returns
`Problem`s; a run collects them all and goes on, and stops once at the end
(clinic_site.pipeline). The build, the preview and `clinic check` print them with `report_lines`,
so staff read the same words from each. Nothing here knows which engine builds the site.
"""
from __future__ import annotations

import dataclasses
import itertools
import unicodedata
from collections.abc import Iterable

ERROR, WARNING = "error", "warning"


# Unicode categories no terminal or address shows as written: control, formatting (invisible,
# reordering) and lone surrogates (a byte that was not UTF-8).
INVISIBLE = ("Cc", "Cf", "Cs")


def visible(text: str, *, name: bool = False) -> str:
    """`text` safe to print on a terminal and plain to read: a byte that was not UTF-8 (which
    Python reads as a lone surrogate) as \\xNN, a control or invisible formatting character (a
    terminal's escape sequences, a right-to-left override, a zero-width space) as \\uNNNN; tabs,
    line breaks and every other character as they are. Unicode categories Cs, Cc and Cf. A `name`
    (a file's, a field's: the place a problem line starts with) shows its tabs and line breaks as
    \\uNNNN too: a file named with a line break is named on one line."""
    def shown(character: str) -> str:
        code = ord(character)
        if 0xDC80 <= code <= 0xDCFF:   # surrogateescape's stand-in for the byte code - 0xDC00
            return f"\\x{code - 0xDC00:02x}"
        if (character in "\t\n" and not name) or unicodedata.category(character) not in INVISIBLE:
            return character
        return f"\\u{code:04x}"
    return "".join(shown(character) for character in text)


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix, located for clinic staff.

    path:     the file as staff see it in the repository: "docs/guide/safety.md", "mkdocs.yml"
    line:     1-based line in that file (1 when the problem is about the whole file)
    field:    the front matter key, setting or data field ("title", "phone" of clinic.yml, "extra.finder.page_size"),
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

    def __post_init__(self) -> None:
        for name in ("path", "field", "what", "fix"):   # printed once, visibly, whatever staff wrote
            value = getattr(self, name)
            if isinstance(value, str) and not value.isprintable():
                object.__setattr__(self, name, visible(value, name=name in ("path", "field")))

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"

    @property
    def message(self) -> str:
        """The problem without its place: "warning: 'field' what — fix"."""
        label = "warning: " if self.severity == WARNING else ""
        subject = f"'{self.field}' " if self.field else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{label}{subject}{self.what}{fix}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """Only the problems that stop the build."""
    return [problem for problem in problems if problem.is_error]


def format_problems(problems: Iterable[Problem]) -> str:
    """One line per problem, sorted by file and line, without repeats."""
    return "\n".join(str(problem) for problem in sorted(set(problems)))


# A warning said in more places than this is printed once, with its count and places.
GROUP_AFTER = 2


def report_lines(problems: Iterable[Problem]) -> list[str]:
    """The lines a run prints: every problem once, grouped by file and ordered by line
    ("docs/guide/x.md, line 5: 'title' is missing — write a title"). A warning that repeats the
    same words in more than GROUP_AFTER places (a sample reviewer on 16 pages) is one line with
    its count and places, so a new warning does not drown among old ones. Errors are never grouped:
    each is a place to edit."""
    found = sorted(set(problems))
    by_words = {key: list(group) for key, group in itertools.groupby(
        sorted((problem for problem in found if not problem.is_error), key=_words), key=_words)}
    shown: set[Problem] = set()
    lines = []
    for problem in found:
        if problem in shown:
            continue
        same = by_words.get(_words(problem), [problem]) if not problem.is_error else [problem]
        if len(same) > GROUP_AFTER:
            places = "; ".join(f"{item.path}, line {item.line}" for item in same)
            lines.append(f"{problem.message} ({len(same)} places: {places})")
            shown.update(same)
        else:
            lines.append(str(problem))
            shown.add(problem)
    return lines


def _words(problem: Problem) -> tuple[str, str, str, str]:
    return (problem.field, problem.what, problem.fix, problem.severity)


def front_matter_line(source: str, key: str) -> int:
    """Line number (1-based) of `key:` in a Markdown file's front matter, or 1 when absent."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith(f"{key}:") or line.startswith(f"{key} :"):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1


class ProblemsFound(Exception):
    """A run stopped with `problems` (a list of Problem), printed one per line under `heading`.

    Raised once, at the end of a run (clinic_site.pipeline), never by a single rule: a rule
    returns its problems and the run goes on. The MkDocs adapter turns it into MkDocs' own
    error (clinic_site.engines.mkdocs), so `mkdocs build` prints it without a traceback.
    """

    def __init__(self, problems: Iterable[Problem], heading: str = "Problems found; fix them and build again:"):
        self.problems = sorted(set(problems))
        self.heading = heading
        super().__init__(heading + "\n" + "\n".join(report_lines(self.problems)))
