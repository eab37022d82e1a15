"""Issue 21, nothing from outside the project: includes read the snippets folder only, by real path;
every path setting that makes the build read stays inside the project (an absolute path, "..", or
a symbolic link leading out is refused, naming mkdocs.yml, the line and the setting, with the fix);
data files that are links are refused. The run goes on where it can, and stops before reading
anything when the folder it would read from is outside (docs_dir, custom_dir, INHERIT, blog_dir).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project
from clinic_site.stage import snippets
from clinic_site.stage.settings import outside, setting_line
from devtools.project_copy import copy_project
from tests.harness import build_in_process

AVAILABLE = {"abbreviations.md", "notes/intro.md"}


@pytest.mark.parametrize("name, refused", [
    ("abbreviations.md", None), ("notes/intro.md", None), ("notes/../abbreviations.md", None),
    ("nope.md", "not a file"), ("../../.git/config", "outside"), ("/etc/passwd", "outside"),
    ("..\\..\\x.md", "outside"), ("~/secret.md", "outside"), ("C:/x.md", "outside"),
    ("https://example.com/x.md", "web address"), ("file:///etc/passwd", "web address"),
])
def test_an_include_names_a_file_of_the_snippets_folder_or_is_refused(name, refused):
    why = snippets.why_refused(name, AVAILABLE)
    assert (why is None) if refused is None else (why is not None and refused in why), why


def test_include_lines_are_read_as_the_extension_reads_them():
    text = ('# Page\n\n--8<-- "abbreviations.md"\n--8<-- "abbreviations.md:1:3"\n--8<-- \'notes/intro.md:intro\'\n'
            ';--8<-- "escaped.md"\n--8<-- [start:part]\n\n--8<--\nabbreviations.md\n; commented.md\n\n'
            '../outside.md\n--8<--\n  --8<-- "/etc/passwd"\nText naming --8<-- "x.md" mid-line.\n')
    staged, problems = snippets.check_text(text, "docs/page.md", AVAILABLE)
    assert [(problem.line, problem.field) for problem in problems] == [(13, ""), (15, "")]
    lines = staged.split("\n")
    assert lines[12] == "" and lines[14] == "" and len(lines) == len(text.split("\n"))
    assert lines[2] == '--8<-- "abbreviations.md"' and lines[5] == ';--8<-- "escaped.md"'


@pytest.mark.parametrize("value, why", [
    ("docs", None), ("docs/../overrides", None), ("/etc", "root of the machine"), ("../elsewhere", "'..'"),
    ("~/x", "root of the machine"), (5, "not a path"), ("link", "symbolic link"),
])
def test_a_path_setting_stays_inside_by_real_path(tmp_path, value, why):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "overrides").mkdir()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    found = outside(value, root, root)
    assert (found is None) if why is None else (found is not None and why in found), found


def test_a_setting_is_found_on_its_own_line():
    text = "site_name: x\nextra:\n  clinic:\n    logo: a.svg\ntheme:\n  name: material\n  logo: b.svg\n" \
           "plugins:\n  - search\n  - social:\n      cache_dir: .cache/social\n"
    assert setting_line(text, "theme.logo") == 7
    assert setting_line(text, "plugins.social.cache_dir") == 11
    assert setting_line(text, "theme.favicon") == 5


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("inside") / "base")


def _variant(base: Path, tmp_path: Path, old: str, new: str) -> Path:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in mkdocs.yml: update this test"
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "elsewhere").mkdir(exist_ok=True)
    (tmp_path / "elsewhere" / "secret.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return project


FOLDERS = {   # settings of a folder the whole run reads from: refused, and nothing is read
    "docs_dir outside": ("site_url: https://example.org/\n", "site_url: https://example.org/\ndocs_dir: ../elsewhere\n",
                         "docs_dir"),
    "docs_dir absolute": ("site_url: https://example.org/\n", "site_url: https://example.org/\ndocs_dir: /etc\n",
                          "docs_dir"),
    "custom_dir outside": ("  custom_dir: overrides", "  custom_dir: ../elsewhere", "theme.custom_dir"),
    "settings inherited from outside": ("site_url: https://example.org/\n",
                                        "site_url: https://example.org/\nINHERIT: ../elsewhere/base.yml\n", "INHERIT"),
    "blog folder outside": ("      blog_dir: blog", "      blog_dir: ../../elsewhere", "plugins.blog.blog_dir"),
    "card cache absolute": ("      cache_dir: .cache/social", "      cache_dir: /tmp", "plugins.social.cache_dir"),
}


@pytest.mark.parametrize("case", list(FOLDERS))
def test_a_folder_setting_outside_stops_the_run_before_reading_anything(base, tmp_path, case):
    old, new, field = FOLDERS[case]
    project = _variant(base, tmp_path, old, new)
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    named = [problem for problem in checked if problem.path == "mkdocs.yml" and problem.field == field]
    assert named and named[0].line > 1 and " inside " in named[0].fix, checked
    assert not (project / ".cache/stage/check/docs").exists(), "the stage read and staged pages"
    stopped = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False, cards=False)
    assert isinstance(stopped, ProblemsFound)
    assert {str(problem) for problem in stopped.problems} == {str(problem) for problem in checked}


def test_a_logo_through_a_link_inside_docs_is_refused_and_the_run_goes_on(base, tmp_path):
    project = _variant(base, tmp_path, "  font: false ", "  favicon: assets/linked.svg\n  font: false ")
    clinic = project / "clinic.yml"   # the clinic's logo (also the header's logo and the favicon)
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("logo: assets/logo.svg", "logo: assets/linked.svg", 1),
                      encoding="utf-8")
    os.symlink(tmp_path / "elsewhere" / "secret.svg", project / "docs/assets/linked.svg")
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    assert any(problem.field == "theme.favicon" and problem.line > 1 for problem in checked), checked
    assert any(problem.path == "clinic.yml" and problem.field == "logo" and problem.line > 1 for problem in checked)
    assert any(problem.path == "docs/assets/linked.svg" and "symbolic link" in problem.what for problem in checked)
    assert not any("the build stopped" in problem.what for problem in checked)
    assert any(problem.path.startswith("docs/therapists/") for problem in checked) or \
        (project / ".cache/stage/check/docs/index.md").is_file(), "the run did not go on"


def test_a_finder_folder_through_a_link_is_refused(base, tmp_path):
    project = _variant(base, tmp_path, "listings_dir: therapists/listings", "listings_dir: therapists/linked")
    import shutil

    shutil.copytree(project / "docs/therapists/listings", tmp_path / "elsewhere" / "listings")
    os.symlink(tmp_path / "elsewhere" / "listings", project / "docs/therapists/linked", target_is_directory=True)
    os.symlink(tmp_path / "elsewhere" / "secret.svg", project / "docs/therapists/listings/zz-linked.yml")
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    fields = {(problem.path, problem.field) for problem in checked}
    assert ("mkdocs.yml", "extra.finder.listings_dir") in fields, checked
    assert ("docs/therapists/listings/zz-linked.yml", "") in fields
