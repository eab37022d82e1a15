"""Two source files the site, a host or a staff member's computer takes for one
(clinic_site.stage.addresses): names that differ only in letter case (guide/Glossary.md beside
guide/glossary.md, a folder Guide/ beside guide/, Logo.png beside logo.png) or only in how an
accented letter is stored (crème.png typed on a Mac and elsewhere, as NFC or NFD), and a page and a
copied file at one address (about.md and about/index.html; a file where the finder writes a
listing's page). On a Mac or Windows checkout git keeps one of the two, and a host that ignores case
serves one for the other: each source is named, with a fix, in the same words by the check and the
build, and nothing is published.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound, errors
from clinic_site.project import Project
from clinic_site.stage import addresses
from devtools.project_copy import copy_project
from tests.harness import build_in_process


def _nfd(text: str) -> str:   # é as e and a separate accent, as some Macs save names
    return unicodedata.normalize("NFD", text)


def _nfc(text: str) -> str:   # é as one character, as most keyboards type it
    return unicodedata.normalize("NFC", text)


# ---- The rule over published outputs, without a build: (file in the site, source, text, kind).

def _page(address: str, source: str, kind: str = "page") -> tuple[str, str, str, str]:
    return (address, source, "", kind)


def test_two_folders_differing_in_case_are_named_as_the_folders_once():
    """Guide/ beside guide/: the two folders are named, not each page in them, and a page in both
    (index.md) is not named again for the same clash."""
    found = addresses.address_collisions([
        _page("guide/index.html", "docs/guide/index.md"), _page("guide/safety/index.html", "docs/guide/safety.md"),
        _page("Guide/index.html", "docs/Guide/index.md"), _page("Guide/extra/index.html", "docs/Guide/extra.md")])
    assert sorted(problem.path for problem in found) == ["docs/Guide", "docs/guide"], found
    problem = next(problem for problem in found if problem.path == "docs/Guide")
    assert "docs/guide (guide/)" in problem.what and "only in letter case" in problem.what, problem
    assert problem.fix.startswith("rename one of them"), problem


def test_a_clash_inside_a_folder_is_named_beside_a_clash_of_the_folder_itself():
    """Guide/ beside guide/, and guide/Glossary.md beside guide/glossary.md: two clashes, each named."""
    found = addresses.address_collisions([
        _page("guide/glossary/index.html", "docs/guide/glossary.md"),
        _page("guide/Glossary/index.html", "docs/guide/Glossary.md"),
        _page("Guide/extra/index.html", "docs/Guide/extra.md")])
    assert sorted(problem.path for problem in found) == ["docs/Guide", "docs/guide", "docs/guide/Glossary.md",
                                                         "docs/guide/glossary.md"], found


def test_names_differing_only_in_how_an_accent_is_stored_are_named():
    """équipe/ typed as one character per letter (NFC) and as letters with separate accents (NFD),
    as a folder and as a file's name."""
    found = addresses.address_collisions([
        _page(_nfc("équipe/a.png"), _nfc("docs/équipe/a.png"), "file"),
        _page(_nfd("équipe/b.png"), _nfd("docs/équipe/b.png"), "file"),
        _page(_nfc("assets/crème.png"), _nfc("docs/assets/crème.png"), "file"),
        _page(_nfd("assets/crème.png"), _nfd("docs/assets/crème.png"), "file")])
    assert sorted(problem.path for problem in found) == sorted(
        [_nfc("docs/équipe"), _nfd("docs/équipe"), _nfc("docs/assets/crème.png"), _nfd("docs/assets/crème.png")])
    assert all("how an accented letter is stored" in problem.what for problem in found), found
    assert all("type the accented letters again" in problem.fix for problem in found), found


def test_each_kind_gets_its_own_fix_and_generated_pages_are_named_on_the_other():
    """A post differing in case gives its `slug:` line, a listing its `id:` line; the finder's city
    page and a person's page (made from data) are not named: the staff page that took a name like
    theirs is."""
    post = "---\ndate: 2026-11-25\nslug: Closed\n---\n"
    found = addresses.address_collisions([
        ("blog/2026/11/25/Closed/index.html", "docs/blog/posts/a.md", post, "post"),
        ("blog/2026/11/25/closed/index.html", "docs/blog/posts/b.md", "---\ndate: 2026-11-25\n---\n", "post"),
        ("therapists/avery/index.html", "docs/therapists/listings/avery.yml", lambda: "name: A\nid: avery\n",
         "listing"),
        _page("therapists/Avery/index.html", "docs/therapists/Avery.md"),
        _page("therapists/cities/chicago-il/index.html", "docs/therapists/listings/x.yml", "city"),
        _page("therapists/cities/Chicago-il/index.html", "docs/therapists/cities/Chicago-il.md"),
        _page("people/alex/index.html", "docs/blog/.authors.yml", "person"),
        _page("people/Alex/index.html", "docs/people/Alex.md")])
    named = {problem.path: problem for problem in found}
    assert sorted(named) == ["docs/blog/posts/a.md", "docs/blog/posts/b.md", "docs/people/Alex.md",
                             "docs/therapists/Avery.md", "docs/therapists/cities/Chicago-il.md",
                             "docs/therapists/listings/avery.yml"], found
    assert (named["docs/blog/posts/a.md"].line, named["docs/blog/posts/a.md"].field) == (3, "slug")
    assert (named["docs/therapists/listings/avery.yml"].line, named["docs/therapists/listings/avery.yml"].field) \
        == (2, "id")
    assert named["docs/therapists/Avery.md"].fix.startswith("rename one of them")


def test_after_the_build_a_name_like_the_builds_own_file_is_named_once():
    """Over the site folder: Robots.txt (a copied file) beside the build's robots.txt is named at its
    source; the build's own files are never named (two of them alike are nobody's to fix), nor a
    clash between the stage's outputs again (the stage named it)."""
    files = ["robots.txt", "Robots.txt", "assets/logo.png", "assets/Logo.png", "assets/stylesheets/main.css",
             "Assets/x.png", "LICENSE.txt", "license.txt"]
    found = addresses.own_file_collisions(files, [], {"Robots.txt": "docs/Robots.txt", "assets/logo.png":
                                                      "docs/assets/logo.png", "assets/Logo.png": "docs/assets/Logo.png",
                                                      "Assets/x.png": "docs/Assets/x.png"}, "docs")
    assert [problem.path for problem in found] == ["docs/Robots.txt"], found
    assert "the build's own robots.txt" in found[0].what


def test_one_spelling_in_many_places_is_no_clash_and_an_unread_listing_stays_unread():
    """The same folder holding many files, names alike only across folders (guide/a and blog/a),
    and a name with an accent written one way only: nothing; a listing is read only when it clashes."""
    def unread() -> str:
        raise AssertionError("a listing that clashes with nothing is read")
    assert addresses.address_collisions([
        _page("guide/a/index.html", "docs/guide/a.md"), _page("guide/b/index.html", "docs/guide/b.md"),
        _page("blog/a/index.html", "docs/blog/a.md"), _page("Straße/index.html", "docs/Straße.md"),
        _page(_nfc("café/index.html"), _nfc("docs/café.md")), _page("assets/logo.png", "docs/assets/logo.png", "file"),
        ("therapists/avery/index.html", "docs/therapists/listings/avery.yml", unread, "listing")]) == []


# ---- One copy of the project with every case, checked and built.

PAGE = ("---\ntitle: A page\ndescription: A page whose name differs from another only in letter case or accents.\n"
        "---\n\nText.\n")
PAGES = ["guide/Glossary.md", "Guide/extra.md", "therapists/Sample-arden-sampleton.md",
         "therapists/cities/Chicago-il.md"]
COPIED = {"assets/Logo.png": "assets/logo.png", _nfc("assets/crème.png"): "assets/logo.png",
          _nfd("assets/crème.png"): "assets/logo.png", _nfd("équipe/a.png"): "assets/logo.png",
          _nfc("équipe/b.png"): "assets/logo.png",
          "references/index.html": None, "therapists/sample-avery-sampleton/index.html": None,
          "Sitemap.xml": None, "Search-Index/logo.png": "assets/logo.png"}
# Files the site reads but never publishes as they are, beside one whose name differs only in case or
# accents: a Mac or Windows checkout keeps one of the two (a data folder's file, .authors.yml, a snippet).
UNPUBLISHED = {"therapists/listings/Readme.md": "therapists/listings/README.md",
               "blog/.Authors.yml": "blog/.authors.yml",
               ".snippets/Abbreviations.md": ".snippets/abbreviations.md",
               _nfd(".snippets/abréviations.md"): ".snippets/abbreviations.md",
               _nfc(".snippets/abréviations.md"): ".snippets/abbreviations.md"}
EXPECTED = {   # every problem of the run: (path, line, field)
    ("docs/guide/Glossary.md", 1, ""), ("docs/guide/glossary.md", 1, ""),   # a page beside a sample page
    ("docs/Guide", 1, ""), ("docs/guide", 1, ""),   # a folder beside the guide's
    ("docs/assets/Logo.png", 1, ""), ("docs/assets/logo.png", 1, ""),   # an image beside the logo
    (_nfc("docs/assets/crème.png"), 1, ""), (_nfd("docs/assets/crème.png"), 1, ""),
    (_nfc("docs/équipe"), 1, ""), (_nfd("docs/équipe"), 1, ""),   # a folder's name, NFD and NFC
    ("docs/references/index.html", 1, ""), ("docs/references.md", 1, ""),   # a copied file at a page's address
    # a copied file where the finder writes a listing's page: the listing's id is named too
    ("docs/therapists/sample-avery-sampleton/index.html", 1, ""),
    ("docs/therapists/listings/sample-avery-sampleton.yml", 2, "id"),
    # a page differing in case from a listing's page, and from a city's page (generated: not named)
    ("docs/therapists/Sample-arden-sampleton.md", 1, ""),
    ("docs/therapists/listings/sample-arden-sampleton.yml", 2, "id"),
    ("docs/therapists/cities/Chicago-il.md", 1, ""),
    # names only the built site shows beside them: the build's own sitemap.xml and search-index/
    ("docs/Sitemap.xml", 1, ""), ("docs/Search-Index", 1, ""),
    # files never published as they are: each of a pair named (unpublished_collisions)
    ("docs/therapists/listings/README.md", 1, ""), ("docs/therapists/listings/Readme.md", 1, ""),
    ("docs/blog/.Authors.yml", 1, ""), ("docs/blog/.authors.yml", 1, ""),
    ("docs/.snippets/Abbreviations.md", 1, ""), ("docs/.snippets/abbreviations.md", 1, ""),
    (_nfd("docs/.snippets/abréviations.md"), 1, ""), (_nfc("docs/.snippets/abréviations.md"), 1, ""),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("same-names")
    project = copy_project(root / "project")
    docs = project / "docs"
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "not_in_nav: |\n" in text
    config.write_text(text.replace("not_in_nav: |\n", "not_in_nav: |\n" + "".join(
        f"  {page}\n" for page in PAGES), 1), encoding="utf-8")
    for page in PAGES:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text(PAGE, encoding="utf-8")
    for name, like in COPIED.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes((docs / like).read_bytes() if like else b"<p>A page of its own.</p>\n")
    for name, like in UNPUBLISHED.items():   # data and dotfiles: never published, still lost on a checkout
        (docs / name).write_bytes((docs / like).read_bytes())
    checked = errors(pipeline.check(Project.find(config), spelling=False))
    built = build_in_process(config, root / "site", spelling=False, cards=False)
    return {"checked": checked, "built": built, "site": root / "site"}


@pytest.mark.build
def test_check_and_build_name_every_source_the_same_and_publish_nothing(run):
    checked, built = run["checked"], run["built"]
    assert isinstance(built, ProblemsFound), "the build accepted it"
    assert [str(problem) for problem in checked] == [str(problem) for problem in errors(built.problems)]
    assert not [file for file in Path(run["site"]).rglob("*") if file.is_file()], "a failed build publishes nothing"
    assert {(problem.path, problem.line, problem.field) for problem in checked} == EXPECTED, checked
    assert len(checked) == len(EXPECTED), checked


@pytest.mark.build
def test_each_source_is_named_with_the_other_and_a_plain_fix(run):
    by_path = {problem.path: problem for problem in run["checked"]}
    logo = by_path["docs/assets/Logo.png"]
    assert "docs/assets/logo.png (assets/logo.png)" in logo.what and "only in letter case" in logo.what, logo
    assert logo.fix.startswith("rename one of them"), logo
    accent = by_path[_nfd("docs/équipe")]
    assert "accented letter" in accent.what and "one folder" in accent.what, accent
    own = by_path["docs/Sitemap.xml"]
    assert "differs from the build's own sitemap.xml only in letter case" in own.what, own
    assert own.fix.startswith("rename it: the build writes its own"), own
    assert "the build's own search-index/ only in letter case" in by_path["docs/Search-Index"].what
    copied = by_path["docs/references/index.html"]
    assert "the same address as docs/references.md (references/)" in copied.what, copied
    assert "rename or move this file" in copied.fix, copied


@pytest.mark.build
def test_files_never_published_are_named_too_with_the_other_and_the_fix(run):
    """A data file or dotfile beside one named alike: both named, each naming the other; accents
    stored two ways say so."""
    by_path = {problem.path: problem for problem in run["checked"]}
    readme = by_path["docs/therapists/listings/Readme.md"]
    assert "differs from docs/therapists/listings/README.md only in letter case" in readme.what, readme
    assert "keeps only one of the files" in readme.what and readme.fix.startswith("rename one of them")
    accent = by_path[_nfd("docs/.snippets/abréviations.md")]
    assert "how an accented letter is stored" in accent.what, accent


def test_unpublished_collisions_leave_published_pairs_to_the_address_rule(tmp_path):
    """Two pages alike (published: named by address_collisions, not twice), three files alike of
    which one is data (all three named), and one spelling alone (nothing)."""
    for name in ("a.md", "A.md", "data/x.yml", "data/X.yml", "Data/x.yml", "data/y.yml", _nfc("café.yml")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = addresses.unpublished_collisions(tmp_path, ["a.md", "A.md"], "docs")
    assert sorted(problem.path for problem in found) == ["docs/Data/x.yml", "docs/data/X.yml", "docs/data/x.yml"]
    assert all(problem.line == 1 and "only in letter case" in problem.what for problem in found), found
