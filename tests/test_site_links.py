"""Links committed in the site folder (site/blog linked to a folder in the builder's home): removed
as links before the engine writes there, never written through. MkDocs empties the site folder but
leaves a link to a folder (shutil.rmtree refuses links; MkDocs ignores the error), then wrote the
blog's pages into the folder it points to."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clinic_site.problems import ProblemsFound
from devtools.project_copy import copy_project
from tests.harness import build_in_process


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("site-links") / "base")


@pytest.mark.build
@pytest.mark.parametrize("engine_name", ["mkdocs", "zensical"])
def test_links_in_the_site_folder_are_never_written_through(base, tmp_path, engine_name):
    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    home = tmp_path / "home"
    (home / "folder").mkdir(parents=True)
    (home / "folder" / "index.html").write_text("someone's page\n", encoding="utf-8")
    (home / "notes.txt").write_text("someone's notes\n", encoding="utf-8")
    site = project / "site"
    (site / "about").mkdir(parents=True)
    (site / "blog").symlink_to(home / "folder", target_is_directory=True)
    (site / "about" / "more").symlink_to(home / "folder", target_is_directory=True)
    (site / "robots.txt").symlink_to(home / "notes.txt")
    built = build_in_process(project / "mkdocs.yml", site, engine=engine_name, spelling=False)
    assert not isinstance(built, ProblemsFound), built
    assert sorted(path.name for path in home.rglob("*")) == ["folder", "index.html", "notes.txt"]
    assert (home / "folder" / "index.html").read_text(encoding="utf-8") == "someone's page\n"
    assert (home / "notes.txt").read_text(encoding="utf-8") == "someone's notes\n"
    assert not [path for path in site.rglob("*") if path.is_symlink()]
    assert (site / "blog" / "index.html").is_file()
