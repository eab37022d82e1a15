"""Issue 21, escaping: every text staff write reaches every output escaped exactly once.

One hostile string (quotes, "<", ">", "&amp;", "&#x3C;", a tag and an attribute break-out) is put
into every text setting and front matter field that reaches a page, and into the people of
.authors.yml; the site is built once. Every published page is then read with an HTML parser (the
head's JSON-LD with a JSON parser, the feeds with an XML parser, the search index as the HTML
the theme makes of it): wherever the string's marker shows, in text or in an attribute, the whole
string shows exactly as written (escaped once: a literal "&amp;" reads "&amp;"), and no element
or attribute was made from it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from clinic_site.problems import Problem, ProblemsFound, errors
from devtools.project_copy import copy_project
from tests import harness
from tests.harness import build_in_process

MARK = "Zqx"   # in no page of the site: every place it shows is a place the hostile string reached
HOSTILE = f"""{MARK} "dq" 'sq' <b>bold</b> &amp; &#x3C; "><img src=x onerror=alert(1)>"""
SHORT = f"""{MARK}&amp;<b>"'&#x3C;"""   # the clinic's short name: 24 characters at most
LONG = HOSTILE + " and enough plain words after it to make a description of the right length."


def _yaml(text: str) -> str:
    return json.dumps(text)   # a JSON string is a YAML double-quoted scalar


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {file.name}: update this test"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, list]:
    project = copy_project(tmp_path_factory.mktemp("escaping") / "project")
    config = project / "mkdocs.yml"
    clinic = project / "clinic.yml"   # the clinic's name is also the site's name and author (every build sets them)
    _edit(clinic, "name: Riverbend Medical Massage and Physical Therapy (sample clinic)", f"name: {_yaml(HOSTILE)}")
    _edit(config, "site_description: >-\n  Riverbend Clinic in Springfield, IL: medical massage alongside physical "
          "therapy, with a\n  plain-language guide, sources, review dates and a therapist finder.",
          f"site_description: {_yaml(LONG)}")
    _edit(config, "copyright: General information, not medical advice.",
          f"copyright: {_yaml(HOSTILE)}")
    _edit(config, "  - About: about.md\n", "  - about.md\n  - hostile.md\n")   # titled by the page itself
    _edit(clinic, "short_name: Riverbend Clinic", f"short_name: {_yaml(SHORT)}")
    _edit(clinic, "street: 100 Example Avenue, Suite 5", f"street: {_yaml('100 ' + HOSTILE)}")
    _edit(clinic, "  - name: Medical massage\n    summary: What medical massage is, who gives it, and what "
          "it aims to do alongside physical therapy.",
          f"  - name: {_yaml(HOSTILE)}\n    summary: {_yaml(LONG)}")
    about = project / "docs/about.md"
    _edit(about, "title: About this site", f"title: {_yaml(HOSTILE)}\nsubtitle: {_yaml(HOSTILE)}")
    _edit(about, "description: What this site is for, how we write and review our health pages, and why they "
          "are not a substitute for care.", f"description: {_yaml(LONG)}")
    (project / "docs/hostile.md").write_text(   # no heading of its own: the theme writes the title as its <h1>
        f"---\ntitle: {_yaml(HOSTILE)}\ndescription: {_yaml(LONG)}\n---\n\nA page whose only title is its "
        "front matter.\n", encoding="utf-8")
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    _edit(post, "description: We have published", f"title: {_yaml(HOSTILE)}\ndescription: {_yaml(LONG)}\nold: x")
    _edit(project / "docs/index.md", "offer: Medical massage alongside physical therapy, with therapists who work "
          "as one team", f"offer: {_yaml(HOSTILE)}")
    people = project / "docs/blog/.authors.yml"
    _edit(people, "    name: Riley Example, PT, DPT (sample author)\n"
          "    description: Fictional physical therapist used as a sample author",
          f"    name: {_yaml(HOSTILE)}\n    description: {_yaml(HOSTILE)}")
    site = project / "site"
    run = build_in_process(config, site, spelling=False, cards=False)
    assert not isinstance(run, ProblemsFound), "\n".join(map(str, errors(run.problems)))
    return site, run.problems


def _shows_as_written(value: str, where: str) -> list[str]:
    """[] when `value` holds the marker only as part of a whole hostile string, else what is wrong."""
    if MARK not in value:
        return []
    rest = value.replace(HOSTILE, "").replace(LONG, "").replace(SHORT, "")
    return [f"{where}: {value[:160]!r}"] if MARK in rest else []


def _page_problems(path: str, html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name == "img" and tag.get("src") == "x" or tag.has_attr("onerror"):
            found.append(f"{path}: an element was made from the string: {str(tag)[:120]}")
        if tag.name == "b" and tag.get_text() == "bold":
            found.append(f"{path}: a <b> was made from the string")
        for name, value in tag.attrs.items():
            found += _shows_as_written(" ".join(value) if isinstance(value, list) else value, f"{path} <{tag.name} "
                                       f"{name}>")
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            found += _json_problems(json.loads(tag.string), f"{path} JSON-LD")
    for text in soup.find_all(string=True):
        if text.parent.name not in ("script", "style"):
            found += _shows_as_written(str(text), f"{path} text in <{text.parent.name}>")
    return found


def _json_problems(data: object, where: str) -> list[str]:
    if isinstance(data, dict):
        return [problem for value in data.values() for problem in _json_problems(value, where)]
    if isinstance(data, list):
        return [problem for value in data for problem in _json_problems(value, where)]
    return _shows_as_written(data, where) if isinstance(data, str) else []


def test_the_hostile_string_builds_as_ordinary_text(hostile_site):
    _site, problems = hostile_site
    assert errors(problems) == []


def test_every_page_shows_the_string_exactly_as_written_and_makes_no_markup(hostile_site):
    site, _problems = hostile_site
    found: list[str] = []
    reached = set()
    for file in sorted(site.rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        if MARK in html:
            reached.add(file.relative_to(site).as_posix())
            found += _page_problems(file.relative_to(site).as_posix(), html)
    assert found == []
    assert {"index.html", "about/index.html", "hostile/index.html", "404.html",
            "blog/2026/11/20/welcome-to-our-guide/index.html", "blog/index.html"} <= reached


@pytest.mark.parametrize("page, places", [
    ("about/index.html", ["title", 'meta[property="og:title"]', ".md-header__topic .md-ellipsis",
                          'meta[name="description"]', 'a.md-logo[aria-label]', ".md-copyright__highlight"]),
    ("hostile/index.html", ["h1", "nav.md-nav--primary .md-nav__link"]),
    ("blog/2026/11/20/welcome-to-our-guide/index.html", ["title", ".md-header__topic .md-ellipsis"]),
    ("index.html", [".md-header__topic .clinic-short-name", "address"]),
])
def test_each_place_shows_the_text_once_escaped(hostile_site, page, places):
    site, _problems = hostile_site
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    for selector in places:
        element = soup.select_one(selector) if selector != "nav.md-nav--primary .md-nav__link" else next(
            link for link in soup.select(selector) if MARK in link.get_text())
        assert element is not None, f"{page}: no {selector}"
        shown = element.get("content") or element.get("aria-label") or " ".join(element.get_text().split())
        expected = SHORT if "short-name" in selector else LONG if "description" in selector else HOSTILE
        assert expected in shown or expected == shown, f"{page} {selector}: {shown!r}"


def test_the_structured_data_names_the_page_as_written(hostile_site):
    site, _problems = hostile_site
    soup = BeautifulSoup((site / "hostile/index.html").read_text(encoding="utf-8"), "html.parser")
    blocks = [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
    names = [item["name"] for block in blocks for item in [block, *block.get("itemListElement", [])]
             if isinstance(item, dict) and "name" in item]
    assert HOSTILE in names


def test_the_feeds_and_the_search_index_hold_the_text_as_written(hostile_site):
    site, _problems = hostile_site
    feed = ElementTree.fromstring((site / "feed_rss_created.xml").read_bytes())
    titles = [item.findtext("title") for item in feed.iter("item")]
    assert HOSTILE in titles
    # The search index holds text, which the search shows as text (overrides/assets/search-text.js):
    # the title as written, never read as markup.
    shown = [page["meta"].get("title", "") for page in harness.indexed_pages(site)
             if MARK in page["meta"].get("title", "")]
    assert shown and all(title == HOSTILE for title in shown), shown


@pytest.mark.parametrize("written, shown", [
    ("title \x1b[2J\x1b[31mred", "title \\u001b[2J\\u001b[31mred"),   # a terminal's escape sequences
    ("photo\u202egnp.png", "photo\\u202egnp.png"),                   # right-to-left override
    ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
    ("caf\udce9.md", "caf\\xe9.md"),                                  # the byte 0xE9 of a file name, not UTF-8
    ("plain é 日本 \U0001f337", "plain é 日本 \U0001f337"),
])
def test_a_problem_prints_what_staff_wrote_visibly_once(written, shown):
    """The text of a problem reaches the terminal (and the preview's box) with nothing that could
    act on it or hide: each field of a Problem is made visible once, when the problem is made."""
    problem = Problem(f"docs/{written}", 3, written, f"has {written}", f"rename {written}")
    assert (problem.path, problem.field, problem.what, problem.fix) == \
        (f"docs/{shown}", shown, f"has {shown}", f"rename {shown}")
    str(problem).encode("utf-8")   # strict: prints anywhere
    assert Problem(problem.path, 3, problem.field, problem.what, problem.fix) == problem   # once, never twice


def test_a_problem_names_a_file_or_field_with_a_line_break_on_one_line():
    """A file committed as `docs/new<line break>line.txt` (git allows it) was named on two lines:
    "docs/new" alone, then "line.txt, line 1: has a name no web address can carry …". The place a
    problem starts with (its file, its field) shows a tab or line break as \\uNNNN; its words and
    fix keep theirs as written."""
    problem = Problem("docs/new\nline\t.txt", 1, "a\nb", "has tab\tand\nline", "rename tab\tand\nline")
    assert (problem.path, problem.field) == ("docs/new\\u000aline\\u0009.txt", "a\\u000ab")
    assert (problem.what, problem.fix) == ("has tab\tand\nline", "rename tab\tand\nline")
    assert str(problem).startswith("docs/new\\u000aline\\u0009.txt, line 1: 'a\\u000ab' has tab")
    assert Problem(problem.path, 1, problem.field, problem.what, problem.fix) == problem   # once, never twice
