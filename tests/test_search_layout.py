"""The header's search dialog is drawn by the site's own stylesheet, whichever engine built the page
(docs/assets/site.css, its first section: Material's rules for the classes
overrides/partials/site-search.html and overrides/assets/search-text.js draw it with). Zensical's
stylesheet has rules for only some of those classes: without the site's, its box was a small bare
field with the icons stacked under it and the results a list in the page's flow on a wide screen,
and on a phone the dialog did not open. These tests read the session's build, so they run under
both engines (`[mkdocs]` and `[zensical]`, README "A second engine").
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.harness import PROJECT_ROOT, settle, type_search

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RESULTS = "li.md-search-result__item"

# Where the page's heading is on the page (not on the screen): opening the search must not move it.
# (The results are <article>s too: the page's is article.md-content__inner.)
HEADING_ON_PAGE = "() => document.querySelector('article.md-content__inner h1').getBoundingClientRect().top + scrollY"
# Boxes in CSS px, read in one call: the dialog's parts, the page's heading and the viewport.
GEOMETRY = """() => {
  const headingOnPage = HEADING_FUNCTION;
  const box = selector => { const e = document.querySelector(selector); if (!e) return null;
    const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height,
            position: getComputedStyle(e).position}; };
  const link = document.querySelector('a.md-search-result__link');
  const atLink = link && (() => { const r = link.getBoundingClientRect();
    return link.contains(document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 20))); })();
  const inSearch = (x, y) => !!document.elementFromPoint(x, y)?.closest('.md-search');
  return {input: box('input.md-search__input'), form: box('form.md-search__form'), inner: box('.md-search__inner'),
          output: box('.md-search__output'), magnifier: box('form label.md-search__icon[for="__search"]'),
          clear: box('.md-search__options button[type="reset"]'), headingOnPage: headingOnPage(),
          firstResultOnTop: atLink,
          coversScreen: [[0.5, 0.5], [0.1, 0.9], [0.9, 0.1], [0.9, 0.95]]
                          .every(([x, y]) => inSearch(innerWidth * x, innerHeight * y)),
          // The page's width: less a scrollbar's gutter, which Zensical's stylesheet keeps (scrollbar-gutter).
          viewport: {width: document.documentElement.getBoundingClientRect().width, height: innerHeight}};
}""".replace("HEADING_FUNCTION", HEADING_ON_PAGE)


def open_search(page: Page, size: dict) -> dict:
    """The home page at `size` with "massage" typed into the search; the open dialog's geometry."""
    page.set_viewport_size(size)
    page.goto("/")
    if size["width"] < 960:   # on a phone the box is behind the magnifier
        page.locator('label.md-header__button[for="__search"]').click()
    type_search(page, "massage")
    expect(page.locator(RESULTS).first).to_be_visible()
    settle(page)
    return page.evaluate(GEOMETRY)


def inside(part: dict, whole: dict, slack: float = 1) -> bool:
    return (part["left"] >= whole["left"] - slack and part["right"] <= whole["right"] + slack
            and part["top"] >= whole["top"] - slack and part["bottom"] <= whole["bottom"] + slack)


def test_on_a_wide_screen_the_open_search_is_a_wide_box_with_its_results_under_it_over_the_page(page: Page):
    page.set_viewport_size(WIDE)
    page.goto("/")
    heading_closed = page.evaluate(HEADING_ON_PAGE)
    seen = open_search(page, WIDE)
    field, form, output = seen["input"], seen["form"], seen["output"]
    # The field: wide once open (688 px at 1280 px; the bare field was 173 by 17), its icons in it.
    assert field["width"] >= 500 and field["height"] >= 32, seen
    assert inside(seen["magnifier"], form) and inside(seen["clear"], form), seen
    # The results: a panel just under the box, as wide as it, over the page and within the
    # screen (it scrolls inside), not a list pushing the page down.
    assert output["position"] in ("absolute", "fixed"), seen
    assert abs(output["top"] - form["bottom"]) <= 4 and abs(output["left"] - form["left"]) <= 2, seen
    assert abs(output["width"] - form["width"]) <= 2 and output["bottom"] <= seen["viewport"]["height"], seen
    assert seen["firstResultOnTop"], seen
    assert abs(seen["headingOnPage"] - heading_closed) <= 1, (heading_closed, seen)


def test_on_a_phone_the_open_search_covers_the_screen(page: Page):
    seen = open_search(page, PHONE)
    inner, form, viewport = seen["inner"], seen["form"], seen["viewport"]
    assert inner["position"] == "fixed" and inner["left"] <= 0 and inner["top"] <= 0, seen
    assert inner["right"] >= viewport["width"] and inner["bottom"] >= viewport["height"], seen
    assert seen["coversScreen"] and seen["firstResultOnTop"], seen
    # The field along the top, its back arrow and clear button 44 px targets in it; the results
    # from under it to the bottom of the screen.
    assert form["top"] <= 0 and form["height"] >= 44 and seen["input"]["width"] >= viewport["width"] - 2, seen
    for target in (seen["magnifier"], seen["clear"]):
        assert target["width"] >= 44 and target["height"] >= 44 and inside(target, form), seen
    assert abs(seen["output"]["top"] - form["bottom"]) <= 1, seen
    assert seen["output"]["bottom"] >= viewport["height"] - 1, seen


def test_every_class_the_search_is_drawn_with_has_rules_in_the_sites_stylesheet():
    """No class of the dialog is left to the engine's theme: each md-search… class the partial and
    search-text.js use is styled in docs/assets/site.css."""
    drawn = set()
    for source in ("overrides/partials/site-search.html", "overrides/assets/search-text.js"):
        drawn |= set(re.findall(r"\bmd-search[\w-]*", (PROJECT_ROOT / source).read_text(encoding="utf-8")))
    stylesheet = (PROJECT_ROOT / "docs/assets/site.css").read_text(encoding="utf-8")
    styled = set(re.findall(r"\.(md-search[\w-]*)", stylesheet))
    assert drawn and not drawn - styled, sorted(drawn - styled)
