"""Issue 24: the therapist finder takes what people really give it, in Chromium.

- A ZIP code as people paste it: spaces around it, ZIP+4, words around it, full-width digits
  (overrides/assets/finder.js zipOf; the boxes no longer cut what is pasted to 5 characters, nor
  refuse it as a pattern mismatch).
- "Use my location" when the browser never answers (a permission question left open, a
  position that never comes): after 15 seconds (here shortened through the finder's
  data-locate-ms) the status says so and points to the ZIP box, which takes the focus.

The checkout's site (the session's MkDocs build), served by the one static server.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from devtools.static_server import StaticServer
from tests.harness import PROJECT_ROOT

NEVER_ANSWERS = """navigator.geolocation.getCurrentPosition = function () { window.__asked = true; };"""


@pytest.fixture(scope="module")
def finder_site(mkdocs_site):
    """The checkout's site: the session's MkDocs build (conftest.mkdocs_site; a build of a copy of
    the project of its own cost a whole build more), on a server of its own. What the finder
    does with what is typed is its script's, the same in each engine's build: these tests run once."""
    with StaticServer(mkdocs_site) as server:
        yield server.url


@pytest.fixture
def finder(browser, finder_site):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


@pytest.mark.parametrize("pasted", [" 62704 ", "62704\t", "62704-1234", "62704 - 1234", "62704 1234", "62704–1234",
                                    "ZIP 62704", "zip: 62704", "Springfield, IL 62704", "Springfield, IL 62704-1234.",
                                    "６２７０４", "100 Example Avenue, Springfield, IL 62704"])
def test_a_zip_code_is_taken_as_people_paste_it(finder, finder_site, pasted):
    finder.goto(finder_site + "/therapists/")
    box = finder.get_by_label("ZIP code")
    box.fill(pasted)                 # as a paste puts it: the whole text at once
    expect(box).to_have_value(pasted)   # nothing cut off before the finder reads it
    finder.get_by_role("button", name="Search", exact=True).click()
    expect(finder.locator("#finder-count")).to_contain_text("of ZIP 62704, nearest first")
    expect(box).to_have_value("62704")   # the box shows the ZIP it searched
    expect(box).not_to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("typed", ["6270", "627041", "IL", "62 704"])
def test_what_holds_no_zip_code_is_named(finder, finder_site, typed):
    finder.goto(finder_site + "/therapists/")
    box = finder.get_by_label("ZIP code")
    box.fill(typed)
    box.press("Enter")
    expect(finder.locator("#finder-count")).to_have_text("Enter a 5-digit ZIP code, like 62704, to see therapists "
                                                         "near you.")
    expect(box).to_have_attribute("aria-invalid", "true")


def test_the_home_pages_zip_box_takes_a_pasted_zip_plus_4(finder, finder_site):
    finder.goto(finder_site + "/")
    box = finder.locator("#home-zip-code")
    box.fill("62704-1234")
    box.press("Enter")   # the form is sent: no pattern refuses it
    expect(finder.locator("#finder-count")).to_contain_text("of ZIP 62704, nearest first")
    expect(finder.get_by_label("ZIP code")).to_have_value("62704")
    expect(finder).to_have_url(re.compile(r"/therapists/#zip=62704$"))


def test_a_location_that_never_comes_gives_way_to_the_zip_box(browser, finder_site):
    context = browser.new_context()
    context.add_init_script(NEVER_ANSWERS)
    page = context.new_page()
    page.goto(finder_site + "/therapists/")
    page.locator("#finder").evaluate("root => root.setAttribute('data-locate-ms', '500')")
    page.get_by_role("button", name="Use my location").click()
    status = page.locator("#finder-count")
    expect(status).to_contain_text("Asking your browser for your location")
    assert page.evaluate("window.__asked") is True
    expect(status).to_have_text("Your location did not arrive, so no therapists are listed. Enter your ZIP code "
                                "in the ZIP code box above instead.")
    expect(page.get_by_label("ZIP code")).to_be_focused()
    expect(page.locator("#finder-list > li")).to_have_count(0)
    context.close()


def test_the_finder_waits_15_seconds_for_a_location_at_most():
    script = (PROJECT_ROOT / "overrides/assets/finder.js").read_text(encoding="utf-8")
    assert re.search(r"var LOCATE_MS = 15000;", script)
    assert "timeout: LOCATE_MS" in script   # the browser's own timeout is the same
