"""Templates compiled once a process (engines/mkdocs/template_cache.py): a new environment per
build reuses what an earlier one compiled, and a template changed on disk (a developer editing
overrides/ while `clinic serve` runs) is compiled again, never served stale."""
from __future__ import annotations

import jinja2

from clinic_site.engines.mkdocs import template_cache


def _environment(folder) -> jinja2.Environment:
    return template_cache.install(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True))


def test_a_changed_template_is_compiled_again_and_an_unchanged_one_is_reused(tmp_path, monkeypatch):
    template_cache.CACHE.clear()
    (tmp_path / "page.html").write_text("<p>{{ text }} one</p>", encoding="utf-8")
    assert _environment(tmp_path).get_template("page.html").render(text="<b>") == "<p>&lt;b&gt; one</p>"
    # A new environment, as MkDocs makes for each build: the template comes from the cache.
    original = jinja2.Environment.compile
    calls: list[str] = []

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        calls.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert _environment(tmp_path).get_template("page.html").render(text="x") == "<p>x one</p>"
    assert calls == [], "an unchanged template was compiled again"
    (tmp_path / "page.html").write_text("<p>{{ text }} two</p>", encoding="utf-8")
    assert _environment(tmp_path).get_template("page.html").render(text="x") == "<p>x two</p>"
    assert calls == ["page.html"]
