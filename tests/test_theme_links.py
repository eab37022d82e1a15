"""A symbolic link in the theme's own folder (overrides/) leading out of the project: named at
its path, and the run stops before an engine renders or publishes anything through it. Both
engines published overrides/assets/x.css linked to a file in the builder's home at assets/x.css
(and render every template there, through a link too)."""
from __future__ import annotations

from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project
from devtools.project_copy import copy_project
from tests.harness import build_in_process

SECRET = "the notes of someone who builds the site"


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("theme-links")
    project = copy_project(root / "project")
    home = root / "home"
    (home / "folder").mkdir(parents=True)
    (home / "notes.css").write_text(f"/* {SECRET} */\n", encoding="utf-8")
    (home / "footer.html").write_text(f"<p>{SECRET}</p>\n", encoding="utf-8")
    (home / "folder" / "notes.css").write_text(f"/* {SECRET} */\n", encoding="utf-8")
    (project / "overrides/assets/notes.css").symlink_to(home / "notes.css")
    (project / "overrides/assets/more").symlink_to(home / "folder", target_is_directory=True)
    copyright_html = project / "overrides/partials/copyright.html"
    assert copyright_html.is_file(), "overrides/partials/copyright.html moved: update this test"
    copyright_html.unlink()
    copyright_html.symlink_to(home / "footer.html")
    (project / "overrides/partials/inside.html").symlink_to("../main.html")   # inside: not named
    return project


NAMED = ["overrides/assets/more", "overrides/assets/notes.css", "overrides/partials/copyright.html"]


def test_clinic_check_names_each_link_out_of_the_theme_folder(linked):
    checked = pipeline.check(Project.find(linked / "mkdocs.yml"), spelling=False)
    assert sorted(problem.path for problem in checked if problem.is_error) == NAMED, checked
    assert not (linked / ".cache/stage/check/docs").exists(), "the stage read and staged pages"


@pytest.mark.build
@pytest.mark.parametrize("engine_name", ["mkdocs", "zensical"])
def test_the_build_stops_and_publishes_nothing_through_them(linked, tmp_path, engine_name):
    stop = build_in_process(linked / "mkdocs.yml", tmp_path / "site", engine=engine_name, spelling=False)
    assert isinstance(stop, ProblemsFound), stop
    assert sorted(problem.path for problem in stop.problems if problem.is_error) == NAMED
    published = [path for path in (tmp_path / "site").rglob("*") if path.is_file()]
    assert not [path for path in published if SECRET in path.read_text(encoding="utf-8", errors="replace")]


BROKEN = {   # a finder template missing, or one Jinja cannot read: named at its file and line
    "missing": (lambda folder: (folder / "city.html").unlink(), "overrides/finder/city.html", 1, "is missing"),
    "unreadable": (lambda folder: (folder / "state.html").write_text("<p>\n{% if %}\n", encoding="utf-8"),
                   "overrides/finder/state.html", 2, "the template cannot be read"),
}


@pytest.mark.build
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_finder_template_missing_or_unreadable_is_named_not_a_traceback(tmp_path, case):
    """clinic check and clinic build stopped with Jinja's TemplateNotFound or TemplateSyntaxError."""
    break_it, path, line, words = BROKEN[case]
    project = copy_project(tmp_path / "project")
    break_it(project / "overrides/finder")
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    assert [(problem.path, problem.line) for problem in checked if problem.is_error] == [(path, line)], checked
    assert [problem.what for problem in checked if problem.is_error][0].startswith(words)
