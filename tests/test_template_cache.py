"""Templates compiled once (engines/mkdocs/template_cache.py): a new environment per build reuses
what an earlier one compiled, in this process or (from Jinja's private folder) in an earlier one;
a template changed on disk (a developer editing overrides/ while `clinic serve` runs) is compiled
again, never served stale; and nothing compiled is kept in the project."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import jinja2
import pytest

from clinic_site.engines.mkdocs import template_cache
from tests.harness import PROJECT_ROOT


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    original = jinja2.Environment.compile
    calls: list[str] = []

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        calls.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return calls


def _environment(folder, cache) -> jinja2.Environment:
    return template_cache.install(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True),
                                  cache)


def test_a_changed_template_is_compiled_again_and_an_unchanged_one_is_reused(tmp_path, compiled):
    cache = template_cache.TemplateCache()
    (tmp_path / "page.html").write_text("<p>{{ text }} one</p>", encoding="utf-8")
    assert _environment(tmp_path, cache).get_template("page.html").render(text="<b>") == "<p>&lt;b&gt; one</p>"
    assert compiled == ["page.html"]
    # A new environment, as MkDocs makes for each build: the template comes from the cache.
    assert _environment(tmp_path, cache).get_template("page.html").render(text="x") == "<p>x one</p>"
    assert compiled == ["page.html"], "an unchanged template was compiled again"
    (tmp_path / "page.html").write_text("<p>{{ text }} two</p>", encoding="utf-8")
    assert _environment(tmp_path, cache).get_template("page.html").render(text="x") == "<p>x two</p>"
    assert compiled == ["page.html", "page.html"]


def test_a_copy_of_the_project_reuses_its_templates_and_a_different_one_is_its_own(tmp_path, compiled):
    """Keyed by name: the same template read from another folder (a copy of the project) is not
    compiled again; another source under the same name is compiled and rendered as written, in
    either order, never the other folder's."""
    cache = template_cache.TemplateCache()
    first, copy, other = tmp_path / "first", tmp_path / "copy", tmp_path / "other"
    for folder, text in ((first, "<p>{{ text }} same</p>"), (copy, "<p>{{ text }} same</p>"),
                         (other, "<p>{{ text }} other</p>")):
        folder.mkdir()
        (folder / "page.html").write_text(text, encoding="utf-8")
    assert _environment(first, cache).get_template("page.html").render(text="a") == "<p>a same</p>"
    assert _environment(copy, cache).get_template("page.html").render(text="b") == "<p>b same</p>"
    assert compiled == ["page.html"], "the copy's identical template was compiled again"
    assert _environment(other, cache).get_template("page.html").render(text="c") == "<p>c other</p>"
    assert _environment(first, cache).get_template("page.html").render(text="d") == "<p>d same</p>"
    assert compiled == ["page.html"] * 3


def test_the_next_process_reads_compiled_templates_from_the_private_folder(tmp_path, compiled):
    """A second cache on the same folder stands for the next `clinic check`: nothing is compiled
    again; a changed source, or a stored file that is not compiled code, is compiled again."""
    folder, disk = tmp_path / "templates", tmp_path / "disk"
    folder.mkdir()
    disk.mkdir()
    (folder / "page.html").write_text("<p>{{ text }}</p>", encoding="utf-8")
    assert _environment(folder, template_cache.TemplateCache(disk)).get_template("page.html").render(text="a")
    assert compiled == ["page.html"]
    assert _environment(folder, template_cache.TemplateCache(disk)).get_template("page.html").render(text="b") \
        == "<p>b</p>"
    assert compiled == ["page.html"], "the next process compiled it again"
    (disk / "__jinja2_other-program.cache").write_bytes(b"another Jinja program's")
    [stored] = [file for file in disk.iterdir() if file.name.startswith("clinic-site-")]
    stored.write_bytes(b"not compiled code")
    assert _environment(folder, template_cache.TemplateCache(disk)).get_template("page.html").render(text="c") \
        == "<p>c</p>"
    (folder / "page.html").write_text("<b>{{ text }}</b>", encoding="utf-8")
    assert _environment(folder, template_cache.TemplateCache(disk)).get_template("page.html").render(text="d") \
        == "<b>d</b>"
    assert compiled == ["page.html"] * 3
    template_cache.TemplateCache(disk).clear()
    assert [file.name for file in disk.iterdir()] == ["__jinja2_other-program.cache"], "clear() took another's file"


def test_compiled_templates_are_kept_only_in_this_users_private_folder():
    disk = template_cache.cache().disk
    assert disk is not None, "Jinja could not make its private folder on this machine"
    folder = Path(disk.directory)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
    assert not folder.resolve().is_relative_to(PROJECT_ROOT.resolve())
