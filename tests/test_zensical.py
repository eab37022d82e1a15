"""The sample site built with Zensical (`clinic build --engine zensical`, issue 26): built once per
run (shared by the workers) and read with parsers beside the session's MkDocs build. Every page the MkDocs build
makes is there, with the same title, heading, review line and JSON-LD; the feeds and sitemaps
parse and list the same things; the CSP allows exactly the inline code each page runs; a bad page
or a template Zensical cannot render stops the build, named. What Zensical 0.0.73 does not make
(README, "A second engine") is listed in EXPECTED_MISSING, each with its reason.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree as SafeET

from clinic_site import pipeline
from clinic_site.engines.zensical import markdown_guard, neighbours, site_code
from clinic_site.engines.zensical import settings as engine_settings
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project
from clinic_site.stage import menu
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, build_in_process, indexed_pages, session_site
from tests.material_copies import copies
from tests.test_security_headers import headers_for, parse_headers_file
from tests.zensical_differences import KNOWN, known_difference

# Files the MkDocs build publishes and the Zensical build does not, by pattern, and why.
EXPECTED_MISSING = {
    r"search-index/(terms|pages)/[0-9a-f]{10}-\d+\.json":
    "the search index's files are named by a hash of the whole index, which differs where the engines' pages do "
    "(test_the_search_index_holds_the_same_pages_titles_and_text reads them)",
    r"assets/(javascripts|stylesheets)/.*\.[0-9a-f]{8}\.min\.(js|css)(\.map)?": "the theme's bundles: other files",
}
ENGINES = ("mkdocs", "zensical", "check")
SITEMAPS = ("sitemap.xml", "sitemap-index.xml", "sitemap-finder-1.xml")
FEEDS_XML = ("feed_rss_created.xml", "feed_rss_updated.xml")
FEEDS_JSON = ("feed_json_created.json", "feed_json_updated.json")


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The checkout's site built once per run with Zensical, as staff run it, and shared by every
    pytest-xdist worker (harness.session_site, as conftest.py's site_dir: the tests run against
    Zensical's build read this same build)."""
    return session_site("zensical", tmp_path_factory, worker_id)[0]


def files_of(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


@functools.cache   # read once per run: each test reads the same pages of the two builds
def soup(folder: Path, dest: str) -> BeautifulSoup:
    return BeautifulSoup((folder / dest).read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def html_pages(folder: Path) -> list[str]:
    return sorted(dest for dest in files_of(folder) if dest.endswith(".html") and not dest.startswith("admin/"))


def test_every_file_of_the_mkdocs_build_is_published(site_dir, zensical_site):
    missing = {dest for dest in files_of(site_dir) - files_of(zensical_site)
               if not any(re.fullmatch(pattern, dest) for pattern in EXPECTED_MISSING)}
    assert missing == set()
    assert [dest for dest in html_pages(site_dir) if dest.startswith("therapists/")], "the finder's pages are there"


def test_the_search_index_holds_the_same_pages_titles_and_text(site_dir, zensical_site):
    """One index for both engines, built after them (postbuild/site_search.py): the same pages,
    each with the same title and the same words (the markup around them may differ)."""
    def held(folder: Path) -> dict[str, tuple[str, str]]:
        return {page["url"]: (page["meta"].get("title", ""), " ".join(page["content"].split()))
                for page in indexed_pages(folder)}
    mkdocs_index, zensical_index = held(site_dir), held(zensical_site)
    assert len(mkdocs_index) > 20 and "/guide/" in mkdocs_index
    assert sorted(zensical_index) == sorted(mkdocs_index)
    assert [url for url in mkdocs_index if zensical_index[url] != mkdocs_index[url]] == []


def test_every_page_has_the_same_title_heading_and_review_line(site_dir, zensical_site):
    differ = []
    for dest in html_pages(site_dir):
        mkdocs_page, zensical_page = soup(site_dir, dest), soup(zensical_site, dest)
        for selector in ("title", "h1", ".reviewed-line", ".post-meta", ".review-info"):
            if text(mkdocs_page.select_one(selector)) != text(zensical_page.select_one(selector)):
                differ.append((dest, selector, text(zensical_page.select_one(selector))[:80]))
    assert differ == []


def footer_targets(folder: Path, dest: str) -> list[str]:
    """Where each Previous/Next link of a page goes, as a path in the site folder."""
    return [posixpath.normpath(posixpath.join(posixpath.dirname(dest), link["href"]))
            for link in soup(folder, dest).select(".md-footer__inner a")]


def test_previous_and_next_stay_within_a_section_and_no_page_has_an_edit_link(site_dir, zensical_site):
    differ = [dest for dest in html_pages(site_dir)
              if footer_targets(site_dir, dest) != footer_targets(zensical_site, dest)]
    assert differ == []
    assert footer_targets(zensical_site, "guide/what-is-medical-massage/index.html"), "the guide reads on"
    assert [dest for dest in html_pages(zensical_site) if soup(zensical_site, dest).select(".md-content__button")] == []


def test_the_content_of_every_page_is_the_same(site_dir, zensical_site):
    differ = [dest for dest in html_pages(site_dir) if text(soup(site_dir, dest).select_one("article"))
              != text(soup(zensical_site, dest).select_one("article"))]
    assert differ == []


def json_ld(folder: Path, dest: str) -> list[dict]:
    return [json.loads(script.string) for script in soup(folder, dest).select('script[type="application/ld+json"]')]


def test_the_json_ld_of_every_page_parses_and_is_the_same(site_dir, zensical_site):
    pages_with_data = 0
    for dest in html_pages(site_dir):
        found = json_ld(zensical_site, dest)
        pages_with_data += bool(found)
        assert found == json_ld(site_dir, dest), dest
    assert pages_with_data > 30


def test_the_feeds_parse_and_list_the_same_posts(site_dir, zensical_site):
    for name in FEEDS_XML:
        items = SafeET.parse(zensical_site / name).getroot().findall("./channel/item")
        assert [item.findtext("link") for item in items] == \
            [item.findtext("link") for item in SafeET.parse(site_dir / name).getroot().findall("./channel/item")]
        assert items, name
    for name in FEEDS_JSON:
        feed, expected = (json.loads((folder / name).read_text(encoding="utf-8"))
                          for folder in (zensical_site, site_dir))
        assert feed["items"] and all(item["image"].endswith(".png") for item in feed["items"])   # its social card
        assert feed["items"] == expected["items"]
        assert {key: value for key, value in feed.items() if key != "items"} == \
            {key: value for key, value in expected.items() if key != "items"}


def test_the_sitemaps_and_robots_txt_are_the_same(site_dir, zensical_site):
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    for name in SITEMAPS:
        locs = [loc.text for loc in SafeET.parse(zensical_site / name).getroot().iter(f"{namespace}loc")]
        assert locs and locs == [loc.text for loc in SafeET.parse(site_dir / name).getroot().iter(f"{namespace}loc")]
    assert (zensical_site / "robots.txt").read_text() == (site_dir / "robots.txt").read_text()


def inline_hashes(page: BeautifulSoup) -> set[str]:
    scripts = [script.string or "" for script in page.find_all("script")
               if not script.get("src") and script.get("type") not in ("application/ld+json", "application/json")]
    return {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in scripts}


def test_the_csp_allows_each_page_s_inline_code_and_nothing_else(zensical_site):
    rules = parse_headers_file((zensical_site / "_headers").read_text(encoding="utf-8"))
    allowed_anywhere: set[str] = set()
    for dest in ("index.html", "guide/index.html", "blog/index.html", "therapists/index.html",
                 "therapists/states/il/index.html", "about/index.html"):
        path = "/" + dest.removesuffix("index.html")
        policy = headers_for(rules, path).get("Content-Security-Policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        assert script_src, f"no script-src for {path}"
        hashes = set(re.findall(r"'sha256-[^']+'", script_src.group(1)))
        assert inline_hashes(soup(zensical_site, dest)) <= hashes, path
        allowed_anywhere |= hashes
    assert allowed_anywhere


# ---- a bad page or template stops the build, named ----

@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("zensical-copy") / "project")


def built_with(project: Path, relative: str, edit) -> tuple[str, object]:
    """(the file's text before, what a Zensical build returns) with `relative` (inside `project`)
    changed by `edit(text) -> text` for the build, and put back afterwards."""
    file = project / relative
    original = file.read_text(encoding="utf-8")
    file.write_text(edit(original), encoding="utf-8")
    try:
        return original, build_in_process(project / "mkdocs.yml", project / "site", engine="zensical")
    finally:
        file.write_text(original, encoding="utf-8")


def test_a_page_with_a_script_stops_the_build_naming_it(project_copy):
    original, stop = built_with(project_copy, "docs/guide/what-is-medical-massage.md",
                                lambda text: text + "\n\n<script>alert(1)</script>\n")
    assert isinstance(stop, ProblemsFound)
    named = [problem for problem in stop.problems if problem.path == "docs/guide/what-is-medical-massage.md"
             and "<script>" in problem.what]
    assert named and named[0].line == original.count("\n") + 3
    assert list((project_copy / "site").iterdir()) == []   # nothing half-built is published


def test_a_title_zensical_would_print_as_html_stops_the_build_naming_it(project_copy):
    # Zensical prints the menu's titles as HTML on every page: the theme's code comes from its
    # templates (engines/zensical/site_code.py), so this script is no one's and stops the build.
    _original, stop = built_with(project_copy, "docs/guide/glossary.md", lambda text: text.replace(
        'title: "Glossary: words and titles explained"', 'title: "Glossary <script>alert(1)</script>"'))
    assert isinstance(stop, ProblemsFound)
    assert [(problem.path, problem.field) for problem in stop.problems if "alert(1)" in problem.what] == \
        [("docs/guide/glossary.md", "title")]


def test_a_template_zensical_cannot_render_is_named(project_copy):
    original, stop = built_with(project_copy, "overrides/404.html", lambda text: text.replace(
        "{% block content %}", '{% block content %}{{ "ab" | replace("a", "b", 1) }}', 1))
    line = original.splitlines().index(next(row for row in original.splitlines() if "{% block content %}" in row)) + 1
    assert isinstance(stop, ProblemsFound)
    assert [(problem.path, problem.line) for problem in stop.problems if "cannot render" in problem.what] == \
        [("overrides/404.html", line)]
    assert "Traceback" not in str(stop)


BROKEN_LINKS = ("\n\n![A missing picture](../assets/no-such-picture.png)\n\n"
                "<img src=\"no-such-photo.png\" alt=\"x\">\n\n"
                "[A missing page](../no-such-page.md) and [a missing anchor](glossary.md#no-such-heading)\n\n"
                "A link named like a word the page uses before: [massage](massage).\n\n"
                "A line with another problem, TODO, and a [broken link](gone-too.md).\n")


ORPHAN = "---\ntitle: {title}\ndescription: A page that no menu entry names, to see that each engine names it here.\n" \
         "---\n\n# {title}\n\nText.\n"
LINKED_PAGE = "docs/guide/what-is-medical-massage.md"
ADDED = {"docs/orphan.md": ORPHAN.format(title="An orphan page"),
         "docs/guide/hidden.md": ORPHAN.format(title="A hidden guide page"),
         "docs/blog/posts/placed.md": "---\ndate: 2026-10-05\nauthors:\n  - riley-example\ncategories:\n"
                                      "  - Clinic news\ndescription: A post the blog places, with no menu entry of its "
                                      "own, as every post.\n---\n\n# A placed post\n\nText.\n"}


@pytest.fixture(scope="module")
def named_alike(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One copy with the cases below, built with each engine and checked: {"mkdocs": problems,
    "zensical": problems, "check": problems, "last": the linked page's last line before its links}.
    Cases: broken links on a guide page (BROKEN_LINKS), two pages the menu leaves out and a post
    (ADDED), and about.md left out for front matter no one may write (a tag)."""
    project = copy_project(tmp_path_factory.mktemp("named-alike") / "project")
    page = project / LINKED_PAGE
    original = page.read_text(encoding="utf-8")
    page.write_text(original + BROKEN_LINKS, encoding="utf-8")
    for name, text in ADDED.items():
        (project / name).write_text(text, encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("---\n", "---\nx: !!python/name:os.system\n", 1),
                     encoding="utf-8")
    named: dict = {"last": original.count("\n")}
    for engine in ("mkdocs", "zensical"):
        stop = build_in_process(project / "mkdocs.yml", project / "site", engine=engine, spelling=False)
        assert isinstance(stop, ProblemsFound), engine
        named[engine] = [problem for problem in stop.problems if problem.is_error]
    named["check"] = [problem for problem in pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
                      if problem.is_error]
    return named


def test_both_engines_name_each_broken_link_where_it_is_written(named_alike):
    """Zensical writes every link relative to the page's own address ('../no-such-photo.png' on
    guide/what-is-medical-massage/), MkDocs leaves one it cannot resolve as written: both builds
    name each broken link at its line of the page, as the page writes it, in the same words."""
    links = {engine: sorted((problem.line, problem.what) for problem in named_alike[engine]
                            if problem.path == LINKED_PAGE and "link" in problem.what) for engine in ENGINES}
    # the same words from both (two links on one line both named: once, one hid the other)
    assert links["zensical"] == links["mkdocs"] == links["check"], links
    last = named_alike["last"]
    assert [(line, what.split("'")[1]) for line, what in links["mkdocs"]] == [
        (last + 3, "../assets/no-such-picture.png"), (last + 5, "no-such-photo.png"),
        (last + 7, "../no-such-page.md"), (last + 7, "glossary.md#no-such-heading"), (last + 9, "massage"),
        (last + 11, "gone-too.md")], links


def test_both_engines_and_the_check_name_each_page_the_menu_leaves_out(named_alike):
    """A page in docs/ that mkdocs.yml's nav: does not list (omitted_files: warn) is named by the
    stage, so by both engines' builds and the check in the same words; a blog post (placed by the
    blog) is not."""
    menu_problems = {engine: [str(problem) for problem in named_alike[engine] if "menu" in problem.what]
                     for engine in ENGINES}
    assert menu_problems["mkdocs"] == menu_problems["zensical"] == menu_problems["check"] == [
        "docs/guide/hidden.md, line 1: the page is not in the site's menu — add the line `- guide/hidden.md` to "
        "the nav: section of mkdocs.yml (under its section)",
        "docs/orphan.md, line 1: the page is not in the site's menu — add the line `- orphan.md` to the nav: "
        "section of mkdocs.yml (under its section)"], menu_problems


def test_a_page_left_out_for_its_own_problem_is_named_once_on_both_engines(named_alike):
    """A page whose front matter cannot be read is left out and named once: not again through the
    menu entry that names it (MkDocs said "'nav' lists 'about.md', which does not exist") or the
    links to it (Zensical named three pages linking it)."""
    about = {engine: [str(problem) for problem in named_alike[engine] if "about" in str(problem)]
             for engine in ENGINES}
    assert len(about["mkdocs"]) == 1 and about["mkdocs"] == about["zensical"] == about["check"], about
    assert about["mkdocs"][0].startswith("docs/about.md, line 2: 'x' has the tag")


def test_the_menu_lists_pages_at_any_depth_and_patterns_quiet_them():
    nav = [{"Home": "index.md"}, {"Guide": ["guide/index.md", {"Safety": "guide/safety.md"}]}, "./about.md",
           {"Elsewhere": "https://example.org/"}]
    assert menu.nav_pages(nav) == {"index.md", "guide/index.md", "guide/safety.md", "about.md",
                                   "https://example.org/"}


# ---- the adapter's own parts ----

@pytest.mark.parametrize(("html", "dest", "src_uri", "expected"), [
    ('<a href="../cities/a/">', "therapists/x/index.html", "therapists/x.md", '<a href="cities/a/">'),
    ('<a href="../">', "therapists/x/index.html", "therapists/x.md", '<a href="./">'),
    ('<img src="../../assets/a.svg">', "therapists/x/index.html", "therapists/x.md", '<img src="../assets/a.svg">'),
    ('<a href="../x/?a=b#c">', "therapists/x/index.html", "therapists/x.md", '<a href="x/?a=b#c">'),
    ('<a href="tel:+1555"> <a href="#top"> <a href="/abs/">', "therapists/x/index.html", "therapists/x.md",
     '<a href="tel:+1555"> <a href="#top"> <a href="/abs/">'),
    ('<a href="a/">', "therapists/index.html", "therapists/index.md", '<a href="a/">'),
])
def test_generated_pages_addresses_are_written_from_their_source_folder(html, dest, src_uri, expected):
    assert markdown_guard.rebased(html, dest, src_uri) == expected


def test_redirect_pages_are_where_zensical_writes_them():
    assert site_code.redirect_pages({"old.md": "new.md", "a/index.md": "b.md", "index.md": "x.md"}) == \
        {"old/index.html", "a/index.html", "index.html"}
    assert site_code.redirect_pages(None) == set()


def test_the_engine_settings_leave_out_what_zensical_cannot_do_here():
    plugins = [{"search": {"separator": "x"}}, {"social": {"cache_dir": "c"}}, "blog", {"material/social": {}}]
    assert engine_settings._plugins(plugins, lambda options: None) == [{"search": {"enabled": False}}, "blog"]
    given = []
    kept = engine_settings._plugins(plugins, lambda options: given.append(options) or {"cache_dir": "/x"})
    assert given == [{"cache_dir": "c"}, {}]   # the social cards' options: engines/zensical/cards.py
    assert kept == [{"search": {"enabled": False}}, {"social": {"cache_dir": "/x"}}, "blog",
                    {"material/social": {"cache_dir": "/x"}}]
    data = {"theme": {"logo": "a.png", "icon": {"menu": "x", "logo": "y"}}, "extra": {"social": [{"a": 1}, {"b": 2}]}}
    engine_settings._drop(data, frozenset({"theme.logo", "theme.icon.menu", "extra.social.0"}))
    assert data == {"theme": {"icon": {"logo": "y"}}, "extra": {"social": [{"b": 2}]}}


FOOTER = ('<nav class="md-footer__inner md-grid" aria-label="Footer">'
          '<a href="{prev}" class="md-footer__link md-footer__link--prev" aria-label="Previous"><div>P</div></a>'
          '<a href="{next}" class="md-footer__link md-footer__link--next" aria-label="Next"><div>N</div></a></nav>')


def test_previous_and_next_links_to_another_section_are_taken_out():
    known = neighbours.sections(["index.md", {"Guide": ["guide/index.md", "guide/a.md"]}, {"About": "about.md"},
                                 {"Blog": ["blog/index.md"]}], "blog")
    assert known["guide/a/index.html"] == ("Guide",) and known["about/index.html"] == neighbours.TOP
    inside = FOOTER.format(prev="../", next="../../about/")
    assert neighbours.within_sections(inside, "guide/a/index.html", known).count("<a ") == 1
    assert neighbours.within_sections(FOOTER.format(prev="../guide/", next="../blog/"), "about/index.html",
                                      known) == ""
    archive = FOOTER.format(prev="../../", next="../../category/news/")
    assert neighbours.within_sections(archive, "blog/archive/2026/index.html", known) == ""
    post = FOOTER.format(prev="../x/", next="../y/")
    assert neighbours.within_sections(post, "blog/2026/01/02/post/index.html", known) == post   # not in the menu


# The copies of Material's templates in overrides/ (tests/material_patches/) replace Zensical's own
# originals too. Zensical 0.0.73's originals, as reviewed: nav.html, post.html and path.html are
# Material's; header.html tests "search" (not "material/search") and wraps the repository link;
# blog-post.html takes its icons from theme.icon.blog and has the skip target "__skip" (which our
# copy adds under Zensical); languages/en.html adds three strings and calls the table of contents
# "On this page". A Zensical upgrade that changes one fails here: compare it with our copy again.
ZENSICAL_ORIGINALS = {
    "blog-post.html": "42309e68fba0713bd766d7db12729528b52d9c4e5b48732381affdfb18058a9a",
    "partials/header.html": "efcbc9f075685fefdccc113e85fb5a60aa86c0cff7b6a9004683bf2deb39c1df",
    "partials/languages/en.html": "eb94e8e984519d8d85cbc34c6c1d0d2c46b14cab5f774bfda7c2574eec5e792e",
    "partials/nav.html": "af33f6e032f632eb055c365eb5f1a975bf8456152fa768e69a1aad6d470b843f",
    "partials/path.html": "cbde0642861fe91597825d03c1c8cf6876f1fd079045579edea5bf578075d2ca",
    "partials/post.html": "756bb999794dc09dcee2e993a3fb30bf1c22334627ce39d82e82c3464eb35dc7",
}


def test_zensical_s_originals_of_our_copies_are_the_ones_reviewed():
    theme = site_code._theme_dir()
    assert set(ZENSICAL_ORIGINALS) == set(copies()), "a new copy of a template: review Zensical's original too"
    changed = [name for name, digest in ZENSICAL_ORIGINALS.items()
               if hashlib.sha256((theme / name).read_bytes()).hexdigest() != digest]
    assert changed == [], f"Zensical's originals changed: compare them with overrides/ and update the hashes: {changed}"


def test_each_known_difference_names_a_test_that_exists(monkeypatch):
    stale = []
    for pattern in KNOWN:
        module, _, name = pattern.partition("::")
        function = name.split("[", 1)[0]
        if f"def {function}(" not in (PROJECT_ROOT / module).read_text(encoding="utf-8"):
            stale.append(pattern)
    assert stale == [], "tests/zensical_differences.py names tests that are gone: delete them"
    # A pattern's `*` stands for any params (none of today's entries has one).
    monkeypatch.setitem(KNOWN, "tests/test_keyboard.py::test_search_is_used_with_the_keyboard[*-phone]", "why")
    assert known_difference("tests/test_keyboard.py::test_search_is_used_with_the_keyboard[chromium-phone]") == "why"
    assert known_difference("tests/test_keyboard.py::test_search_is_used_with_the_keyboard[chromium-desktop]") is None
    assert known_difference("tests/test_site.py::test_anything") is None
