"""Issue 21: a file saved with Windows line endings ("\\r\\n"), old Mac ones ("\\r") or a UTF-8
byte-order mark reads exactly as the same file saved on Linux: the same front matter, the same
lines, the same problems. Pages go through sources.normalize_newlines; the YAML data files
(mkdocs.yml, .authors.yml, the finder's listings, vocabulary and boards, the claims table) are
read by YAML, which takes every such line ending, and their line numbers by splitlines()."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.project import Project
from clinic_site.sources import normalize_newlines, parse_source
from devtools.project_copy import copy_project

PAGE = ("---\ntitle: A page\ndescription: A page saved on another system, with its description right "
        "where it belongs.\n---\n\n# A page\n\nText.\n")
VARIANTS = {
    "unix": lambda text: text,
    "windows": lambda text: text.replace("\n", "\r\n"),
    "old mac": lambda text: text.replace("\n", "\r"),
    "byte-order mark": lambda text: "\ufeff" + text,
    "byte-order mark and windows": lambda text: "\ufeff" + text.replace("\n", "\r\n"),
    "two byte-order marks": lambda text: "\ufeff\ufeff" + text,
}


@pytest.mark.parametrize("name", VARIANTS)
def test_front_matter_reads_the_same_whatever_the_line_endings(name):
    source = parse_source(VARIANTS[name](PAGE), "docs/page.md")
    assert source.problems == []
    assert source.meta["description"].startswith("A page saved on another system")
    assert source.front_matter_lines == 4
    assert source.text == PAGE


def test_normalizing_keeps_every_line_where_it_was():
    text = "one\r\ntwo\rthree\nfour"
    assert normalize_newlines(text).split("\n") == ["one", "two", "three", "four"]
    assert len(normalize_newlines(text).split("\n")) == len(text.splitlines())


def _problems(project: Path) -> set[str]:
    return {str(problem) for problem in pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)}


@pytest.mark.build
def test_a_project_saved_with_other_line_endings_has_the_same_problems(tmp_path):
    """Every page and YAML file of the project (mkdocs.yml included) saved with Windows line
    endings and a byte-order mark, then with old Mac line endings: the check names exactly the
    problems (file, line, words) of the project as committed."""
    base = copy_project(tmp_path / "base")
    expected = _problems(base)
    for name, convert in (("windows", lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")),
                          ("old-mac", lambda data: data.replace(b"\n", b"\r"))):
        project = tmp_path / name
        shutil.copytree(base, project, symlinks=True)
        files = [project / "mkdocs.yml", *(project / "docs").rglob("*.md"), *(project / "docs").rglob("*.yml")]
        assert any(file.name == ".authors.yml" for file in files)
        for file in files:
            file.write_bytes(convert(file.read_bytes()))
        assert _problems(project) == expected, name
