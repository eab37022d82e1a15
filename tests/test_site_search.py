"""The site search's index step (clinic_site.postbuild.site_search): Pagefind's pinned binary run
over a built folder, what it leaves published, and the problems it names instead of a traceback."""
from __future__ import annotations

from pathlib import Path

from clinic_site.postbuild import site_search
from tests import harness

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<header><form><input aria-label="Search"> Type to start searching</form></header>
<article data-pagefind-body><h1>{title}</h1><p>{text}</p>
<div data-pagefind-ignore>Use my location</div></article><footer>General information</footer></body></html>"""


def write_site(folder: Path) -> Path:
    for slug, title, text in (("cafe", "The café", "Sjögren’s syndrome and post-op care."),
                              ("plain", "Plain page", "Nothing special here.")):
        (folder / slug).mkdir(parents=True)
        (folder / slug / "index.html").write_text(PAGE.format(title=title, text=text), encoding="utf-8")
    (folder / "admin").mkdir()
    (folder / "admin" / "index.html").write_text("<!doctype html><html><body>Editor</body></html>", encoding="utf-8")
    return folder


def test_the_index_holds_the_marked_articles_only_and_only_the_files_the_search_reads(tmp_path):
    site = write_site(tmp_path / "site")
    assert site_search.write(site) == []
    pages = {page["url"]: page for page in harness.indexed_pages(site)}
    assert set(pages) == {"/cafe/", "/plain/"}   # not the editor: it has no data-pagefind-body
    assert pages["/cafe/"]["meta"]["title"] == "The café"
    assert "Sjögren’s syndrome and post-op care." in pages["/cafe/"]["content"]
    for page in pages.values():   # the header's form, the ignored part and the footer are not search text
        for words in ("Type to start searching", "Use my location", "General information"):
            assert words not in page["content"], (words, page["content"])
    names = {path.removeprefix("pagefind/") for path in site_search.files(site)}
    assert {"pagefind.js", "pagefind-entry.json", "wasm.en.pagefind"} <= names
    assert not [name for name in names if "ui" in name or "worker" in name or "highlight" in name
                or name.startswith("wasm.unknown")], names


def test_indexing_again_replaces_the_index(tmp_path):
    site = write_site(tmp_path / "site")
    assert site_search.write(site) == []
    first = site_search.files(site)
    (site / "pagefind" / "stale.pf_index").write_bytes(b"old")
    assert site_search.write(site) == []
    assert site_search.files(site) == first


def test_a_pagefind_folder_or_page_in_docs_is_named_not_overwritten(tmp_path):
    site = write_site(tmp_path / "site")
    docs = tmp_path / "docs"
    (docs / "pagefind").mkdir(parents=True)
    [problem] = site_search.write(site, "mkdocs.yml", "docs", docs)
    assert (problem.path, problem.line) == ("docs/pagefind", 1)
    assert "site search's index" in problem.message and "rename or remove the folder docs/pagefind" in problem.fix
    assert not (site / "pagefind").exists()
    (docs / "pagefind").rmdir()
    (docs / "pagefind.md").write_text("# A page\n", encoding="utf-8")
    [problem] = site_search.write(site, "mkdocs.yml", "docs", docs)
    assert (problem.path, problem.fix) == ("docs/pagefind.md", "rename or remove the page docs/pagefind.md")


def test_a_missing_binary_is_one_problem_at_the_settings_file(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site")
    monkeypatch.setattr(site_search, "executable", lambda: None)
    [problem] = site_search.write(site, "mkdocs.yml")
    assert (problem.path, problem.line) == ("mkdocs.yml", 1)
    assert "pagefind-bin" in problem.message and "requirements.lock" in problem.fix


def test_a_failing_binary_is_one_problem_naming_what_it_said(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site")
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: cannot read the site' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(site_search, "executable", lambda: fake)
    [problem] = site_search.write(site, "mkdocs.yml")
    assert "Pagefind stopped (Error: cannot read the site)" in problem.message


def test_only_the_marked_pages_are_handed_to_pagefind_and_nothing_is_left_beside_the_site(tmp_path):
    site = write_site(tmp_path / "site")
    assert site_search.marked_pages(site) == ["cafe/index.html", "plain/index.html"]
    assert site_search.write(site) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]   # the folder of links is gone
    assert site_search.marked_pages(site) == ["cafe/index.html", "plain/index.html"]   # pagefind/ is not read


def test_the_built_site_publishes_no_search_code_but_pagefinds(site_dir):
    """Material's lunr, its languages and its search worker are not published with its search
    plugin off (engines/mkdocs/theme_files.py): every script file of the site is one a page runs."""
    scripts = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.js")
               if not path.relative_to(site_dir).as_posix().startswith("admin/")}
    assert scripts and not [path for path in scripts if "lunr" in path or "/workers/" in path], sorted(scripts)
    assert "pagefind/pagefind.js" in scripts
