"""Issue 24, held-back areas "every Markdown feature mkdocs.yml enables works on any page" and
"every id on a page is unique, whatever language or script the headings and excerpts are in".

A copy of the project gets one block that uses every extension of mkdocs.yml's
`markdown_extensions` (abbr, admonition, attr_list, footnotes, md_in_html, tables with column
alignment, toc permalinks, pymdownx.details, superfences, tabbed, snippets) on a page of its own
and, above `<!-- more -->`, in three blog posts, so it is on the blog's index, archive and
category pages three times over, with headings in Latin, Japanese, Greek and Arabic script and
the same heading words in each post. The build must pass (the HTML allowlist takes each
extension's markup), each feature must come out as its extension writes it, and no built page
may give an id twice (read with a parser, the whole site).
"""
from __future__ import annotations

import collections
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound
from devtools.project_copy import copy_project
from tests import harness

FEATURES = """Our LMT team works with your PT.[^visit]

## What to bring

!!! note "Before your visit"

    Bring your referral and a list of your medicines.

??? tip "Folded: parking"

    Parking is behind the building.

=== "Weekdays"

    Come ten minutes early.

=== "Saturday"

    Use the side door.

| Day | Hours |
| :-- | --: |
| Monday | 8 to 6 |

<div class="grid" markdown>
**Bold inside HTML** and a [link to the guide](GUIDE).
</div>

A paragraph with its own class.
{: .clinic-lead }

```text
A block of plain text, kept as it is: <b> stays text.
```

## 予約について

Booking in Japanese.

## Ελληνικά

Greek.

## العربية

Arabic.

## What to bring

The same heading words again.

[^visit]: Bring this page to your first visit.
"""
POST = """---
date: 2026-10-0{n}
authors:
  - riley-example
categories:
  - Clinic news
description: A post whose opening part uses every Markdown feature of the site, number {n} of three alike.
slug: features-{n}
---

# Features post {n}

{features}
<!-- more -->

## After the excerpt

More text.
"""
PAGE = """---
title: Every feature
description: A page that uses every Markdown feature the site enables, to show each one works on any page.
---

# Every feature

{features}
"""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]


def repeated_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [value for value, count in collections.Counter(parser.ids).items() if count > 1]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("markdown") / "project", harness.PROJECT_ROOT)
    for n in (1, 2, 3):
        (root / f"docs/blog/posts/features-{n}.md").write_text(
            POST.format(n=n, features=FEATURES.replace("GUIDE", "../../guide/index.md")), encoding="utf-8")
    (root / "docs/features.md").write_text(PAGE.format(features=FEATURES.replace("GUIDE", "guide/index.md")),
                                           encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - About: about.md\n", "  - About: about.md\n  - Every feature: features.md\n", 1),
                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(project, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("markdown-site")
    run = harness.build_in_process(project / "mkdocs.yml", folder, spelling=False, cards=False)
    assert isinstance(run, pipeline.Run), str(run)
    return folder


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def check_features(scope) -> None:
    """Each extension's markup, as it writes it, inside `scope` (a page's article or an excerpt)."""
    assert scope.select_one("div.admonition.note p.admonition-title").get_text(strip=True) == "Before your visit"
    assert scope.select_one("details.tip summary").get_text(strip=True) == "Folded: parking"
    tabs = scope.select_one("div.tabbed-set")
    inputs = tabs.select("input[type=radio]")
    labels = tabs.select("div.tabbed-labels label")
    assert [label.get_text(strip=True) for label in labels] == ["Weekdays", "Saturday"]
    assert [label["for"] for label in labels] == [tab["id"] for tab in inputs]   # each label works its tab
    assert len({tab["name"] for tab in inputs}) == 1
    assert [cell.get("align") for cell in scope.select("table tr th")] == ["left", "right"]
    assert scope.select_one("div.grid strong").get_text() == "Bold inside HTML"
    assert scope.select_one("p.clinic-lead")
    assert "<b> stays text." in scope.select_one("pre code").get_text()
    assert scope.select_one("abbr[title^='Licensed Massage Therapist']").get_text() == "LMT"   # snippets + abbr
    assert scope.select_one("sup a.footnote-ref")


@pytest.mark.build
def test_every_markdown_feature_works_on_a_page(site):
    page = soup(site, "features")
    article = page.select_one("article")
    check_features(article)
    assert article.select_one(".footnote li").get_text(" ", strip=True).startswith("Bring this page")
    assert not article.select_one("a.headerlink")   # toc: no "¶" permalinks (issue 23), the ids stay
    ids = [heading["id"] for heading in article.select("h2[id]")]
    assert len(ids) == len(set(ids)) == 5   # the same words twice, and every script, each an id of its own
    assert page.select_one("div.grid a")["href"] == "../guide/"


@pytest.mark.build
def test_every_markdown_feature_works_in_a_post_and_its_excerpts(site):
    check_features(soup(site, "blog/2026/10/01/features-1").select_one("article"))
    for view in ("blog", "blog/archive/2026", "blog/category/clinic-news"):
        excerpts = [article for article in soup(site, view).select("article")
                    if article.select_one("div.tabbed-set")]
        assert len(excerpts) == 3, view
        for excerpt in excerpts:
            check_features(excerpt)
        names = [{tab["name"] for tab in excerpt.select("input[type=radio]")} for excerpt in excerpts]
        assert len(set.union(*names)) == 3, "each excerpt's tabs are a group of their own"


@pytest.mark.build
def test_no_page_of_the_site_gives_an_id_twice(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    repeated = {str(path.relative_to(site)): ids for path in pages
                if (ids := repeated_ids(path.read_text(encoding="utf-8")))}
    assert repeated == {}


@pytest.mark.build
def test_an_excerpts_table_of_contents_links_its_own_headings(site):
    page = soup(site, "blog")
    ids = {element["id"] for element in page.select("[id]")}
    local = [link["href"][1:] for link in page.select("nav.md-nav--secondary a[href^='#']")]
    assert local and all(anchor in ids for anchor in local)


@pytest.mark.build
def test_an_id_given_twice_by_hand_is_named_at_its_line(project, tmp_path):
    page = project / "docs/features.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original.replace("## Ελληνικά", "## Ελληνικά {#booking}").replace(
            "## العربية", "## العربية {#booking}"), encoding="utf-8")
        stopped = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False, cards=False)
    finally:
        page.write_text(original, encoding="utf-8")
    assert isinstance(stopped, ProblemsFound)
    [problem] = [problem for problem in stopped.problems if "given twice" in problem.what]
    lines = original.split("\n")
    assert (problem.path, problem.line) == ("docs/features.md", lines.index("## Ελληνικά") + 1)
    assert "'booking'" in problem.what and "{#another-id}" in problem.fix


def test_an_excerpts_ids_and_every_reference_to_them_get_the_posts_prefix():
    """engines/mkdocs/excerpts.scope_ids, on what the extensions write into an excerpt: ids,
    labels' `for=`, aria references (each of several), same-page links (footnotes both ways) and
    tab groups' `name=`, the attribute after a space, a tab or a line break; an excerpt holding
    none of them is returned as it is."""
    from clinic_site.engines.mkdocs.excerpts import scope_ids

    written = ('<p>Hi<sup id="fnref:visit"><a class="footnote-ref" href="#fn:visit">1</a></sup></p>\n'
               '<h2\nid="what">What</h2><div class="footnote"><ol><li id="fn:visit"><a class="footnote-backref"'
               '\thref="#fnref:visit">back</a></li></ol></div><label for="__tabbed_1_1" aria-controls="a b">'
               '</label><input name="__tabbed_1" id="__tabbed_1_1"><a href="../post/#what">post</a>')
    assert scope_ids(written, "P--") == (
        '<p>Hi<sup id="P--fnref:visit"><a class="footnote-ref" href="#P--fn:visit">1</a></sup></p>\n'
        '<h2\nid="P--what">What</h2><div class="footnote"><ol><li id="P--fn:visit"><a class="footnote-backref"'
        '\thref="#P--fnref:visit">back</a></li></ol></div><label for="P--__tabbed_1_1" aria-controls="P--a P--b">'
        '</label><input name="P--__tabbed_1" id="P--__tabbed_1_1"><a href="../post/#what">post</a>')
    assert scope_ids('<label for="__tabbed_2_1">x</label>', "P--") == '<label for="P--__tabbed_2_1">x</label>'
    plain = '<p>Rest, then <a href="../x/">walk</a> <em>gently</em>; data-id="x" named="y"</p>'
    assert scope_ids(plain, "P--") == plain
