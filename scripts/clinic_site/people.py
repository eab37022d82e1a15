"""Everyone named on the site, from the blog's .authors.yml, each field checked for its shape.

A person's name and description are shown as text, their avatar is an image the pages load, and
their url is a link (their page on this site, or their own address). A field of the wrong shape
(`url: 5`, `avatar: [1]`, `name: {a: 1}`, a script address) is a problem naming the file, the
line and the field, with the fix; the field is then left out (a name falls back to the person's
id), so no template, plugin or structured data meets it, and the run goes on.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clinic_site import safe_names, yamlfile
from clinic_site.problems import Problem
from clinic_site.seo import absolute_url

Check = Callable[[object, Path], "tuple[str, str] | None"]
_IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")


def _text(value: object, _docs: Path) -> tuple[str, str] | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"is {value!r}, not text", "write it as text on the same line, in double quotes if it holds ': '"


def _address(value: object, _docs: Path) -> tuple[str, str] | None:
    """A whole http(s) address, or a page of this site ("people/alex-example/", "/people/x/")."""
    page = value.strip("/") if isinstance(value, str) else value
    if safe_names.safe_target(value) or (page and safe_names.safe_target(page)):
        return None
    return (f"is {value!r}, which is not a page path or an http(s) address",
            "write the person's page on this site, such as people/alex-example/, or a whole address "
            "starting with https://")


def _avatar(value: object, docs_dir: Path) -> tuple[str, str] | None:
    fix = "put the picture in docs/assets/ and write its path from docs/, such as assets/avatar-sample.svg"
    if isinstance(value, str) and value.lower().startswith("https://") and safe_names.safe_target(value):
        return None
    if not (isinstance(value, str) and safe_names.safe_path(value)):
        return f"is {value!r}, which is not a path inside docs/", fix
    if not value.lower().endswith(_IMAGE_SUFFIXES):
        return f"is '{value}', which is not a picture ({', '.join(_IMAGE_SUFFIXES)})", fix
    file = docs_dir / value
    if not file.is_file() or file.is_symlink() or not file.resolve().is_relative_to(docs_dir.resolve()):
        return f"is '{value}', which is not a file in docs/", fix
    return None


def _segment(value: object, _docs: Path) -> tuple[str, str] | None:
    if isinstance(value, str) and safe_names.safe_path(value) and "/" not in value:
        return None
    return f"is {value!r}, not one safe part of an address", "use lowercase letters, digits and hyphens only"


def _yes_no(value: object, _docs: Path) -> tuple[str, str] | None:
    return None if isinstance(value, bool) else (f"is {value!r}, not true or false", "write true or false")


# What the blog needs of every person (Material 9.8 refuses the whole file without them).
REQUIRED = {"name": "their name and credentials, as shown on the site",
            "description": "one line on who they are", "avatar": "a picture in docs/assets/, such as "
            "assets/avatar-sample.svg"}
# Every field of a person the site reads, with its check.
FIELDS: dict[str, Check] = {"name": _text, "description": _text, "avatar": _avatar, "url": _address,
                            "slug": _segment, "sample": _yes_no}


def _field_line(lines: list[str], person_id: object, key: str | None) -> int:
    """The line of `person_id:` under authors (key None), or of `key:` in that person's block."""
    start = next((number for number, line in enumerate(lines, start=1)
                  if line.strip().startswith((f"{person_id}:", f"'{person_id}':", f'"{person_id}":'))), 0)
    if not start or key is None:
        return start or 1
    indent = len(lines[start - 1]) - len(lines[start - 1].lstrip())
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip().startswith(f"{key}:"):
            return number
    return start


def read_people(authors_file: Path, shown_path: str, site_url: str) -> tuple[dict[str, dict], list[Problem]]:
    """Everyone in .authors.yml by id, each field checked (FIELDS), with `absolute_url` (their
    address made whole with site_url, for structured data), and the problems: the file missing,
    not a staff file clinic_site.yamlfile can read (not valid YAML, a tag, an alias, too
    large or too deep), without `authors:`, or a person or field of the wrong shape."""
    def problem(line: int, what: str, fix: str, field: str = "authors") -> Problem:
        return Problem(shown_path, line, field, what, fix)

    if not authors_file.is_file():
        return {}, [problem(1, "the file is missing", "restore it: it lists everyone named on the site "
                            "(see the README), with `authors:` and an entry per person")]
    data, text, found = yamlfile.load_file(authors_file, shown_path)
    if found or text is None:
        return {}, [Problem(item.path, item.line, item.field or "authors", item.what, item.fix) for item in found]
    listed = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(listed, dict):
        return {}, [problem(1, "has no `authors:` list of people", "start the file with `authors:` and an entry "
                            "per person, indented by two spaces")]
    lines = text.splitlines()
    docs_dir = authors_file.parent.parent
    people: dict[str, dict] = {}
    problems: list[Problem] = []
    for person_id, entry in listed.items():
        if not isinstance(entry, dict):
            problems.append(problem(_field_line(lines, person_id, None), f"the person '{person_id}' is "
                                    f"{entry!r}, not a list of fields", f"write `name:` and the person's other "
                                    f"fields under {person_id}, indented by two more spaces"))
            entry = {}
        for key in REQUIRED:
            if key not in entry:
                problems.append(problem(_field_line(lines, person_id, None), f"the person '{person_id}' has no "
                                        f"{key}", f"add `{key}:` under {person_id} ({REQUIRED[key]})",
                                        field=f"authors.{person_id}.{key}"))
        person = dict(entry)
        for key, check in FIELDS.items():
            if key in person and (wrong := check(person[key], docs_dir)) is not None:
                problems.append(problem(_field_line(lines, person_id, key), *wrong, field=f"authors.{person_id}.{key}"))
                del person[key]
        person.setdefault("name", str(person_id))   # the run goes on: the problem above stops it at the end
        person["absolute_url"] = absolute_url(person.get("url"), site_url)
        people[person_id] = person
    return people, problems
