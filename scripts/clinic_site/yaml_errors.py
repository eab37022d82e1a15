"""YAML's own reading errors (a tab, a missing space after ':', an unclosed quote or bracket) as
one Problem each, in plain words with the fix: for every YAML file read by clinic_site.yamlfile."""
from __future__ import annotations

import re

import yaml

from clinic_site.problems import Problem

_OPENED_VALUE = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+(['"])(.*)$""")


def unclosed_quote(lines: list[str]) -> int | None:
    """The line (1-based) of the last `key: 'value` whose quote is not closed on its line, or None."""
    for number in range(len(lines), 0, -1):
        match = _OPENED_VALUE.match(lines[number - 1])
        if match:
            quote, rest = match.groups()
            closing = rest.replace(quote * 2, "") if quote == "'" else rest.replace('\\"', "")
            if quote not in closing:
                return number
    return None


def yaml_problem(error: yaml.YAMLError, shown: str, text: str = "") -> Problem:
    """A YAML reading error as one Problem for staff: the line, the reason in plain words and the
    fix (a tab, a missing space after ':', an unclosed quote or bracket each get their own)."""
    from clinic_site.yamlfile import MAX_DEPTH, Refused, problem_of  # yamlfile imports this module
    if isinstance(error, Refused):
        return problem_of(error, shown, text)
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        # a control character written as itself (YAML refuses it before reading the value): its line
        line = text[: error.position].count("\n") + 1 if isinstance(error.position, int) and text else 1
        return Problem(shown, line, "", f"holds the invisible character \\u{error.character:04x} (a control "
                       "character, or one that reverses or reorders how text around it shows)",
                       "delete it: retype the text around it")
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    reason = str(getattr(error, "problem", None) or error).strip()
    context = str(getattr(error, "context", None) or "")
    row = text.splitlines()[line - 1] if text and 0 < line <= len(text.splitlines()) else ""
    if "\t" in row or re.search(r"\btab", reason) or "'\\t'" in reason:   # not "unaccep-tab-le"
        return Problem(shown, line, "", "has a tab character, which YAML does not allow for indenting",
                       "replace the tab with spaces (two spaces per level)")
    opened = unclosed_quote(text.splitlines()[:line])
    if opened is not None:   # a quote left open swallows the lines after it: name where it opened
        return Problem(shown, opened, "", "has a quote that is never closed",
                       quote_fix(text.splitlines()[opened - 1]))
    if "expected <block end>" in reason or "did not find expected key" in reason:
        what = "is not indented like the lines around it"
        fix = "line it up with the other settings at its level (two spaces per level), and put text with ': ' in quotes"
    elif "mapping values are not allowed" in reason:
        what = "has a ': ' inside a value"
        fix = "put the value in double quotes"
    elif "found unexpected end of stream" in reason or "while scanning a quoted scalar" in str(error):
        what = "has a quote that is never closed"
        fix = quote_fix(row)
    elif "maximum nesting depth" in reason:   # libyaml's own limit (1000 brackets), met while scanning
        what = f"is nested more than {MAX_DEPTH} levels deep"
        fix = "a setting needs a few levels at most: check the brackets [ ] and { } and the indentation"
    elif "flow" in reason or "flow" in context or "expected ',' or ']'" in reason or "expected ',' or '}'" in reason:
        what = "has a bracket that is never closed"
        fix = "close the [ or { on the same line, or write the list one '- item' per line"
        opened = getattr(error, "context_mark", None)   # where the bracket opens (YAML stops at the file's end)
        if "flow" in context and opened is not None and opened.line + 1 < line:
            line = opened.line + 1
    elif "undefined alias" in reason:
        what = f"uses an alias ({reason.removeprefix('found undefined alias ')}) that names nothing"
        fix = "write the value itself in place of the *name"
    else:
        what = f"cannot be read as settings ({reason})"
        fix = "check the indentation (two spaces per level) and the quotes and brackets"
    return Problem(shown, line, "", what, fix)


_CURLY_QUOTES = "\u2018\u2019\u201c\u201d"   # ‘ ’ “ ”: what word processors and phones type for ' and "


def quote_fix(row: str) -> str:
    """How to close a quote left open on `row`: a curly quote there does not close a straight one."""
    curly = next((character for character in reversed(row) if character in _CURLY_QUOTES), None)
    if curly is None:
        return "close the quote at the end of the value"
    straight = "'" if curly in "\u2018\u2019" else '"'
    return (f"the line holds a curly quote {curly}, which YAML does not read as a quote: type a straight "
            f"{straight} in its place")
