"""The browser context a module's tests share (tests/conftest.py, pytest.mark.shared_context): what
one test leaves in it is gone for the next, and what it cannot clear, a test cannot set."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.conftest import NOTHING_STORED, SharedContext
from tests.harness import StaticServer

pytestmark = pytest.mark.shared_context

# What Material and the site's scripts could keep: every kind of storage a page can write.
STORE_EVERYTHING = """async () => {
  localStorage.setItem('__palette', 'dark');
  sessionStorage.setItem('__search', 'massage');
  document.cookie = 'seen=1; path=/; max-age=3600';
  await new Promise(done => { const request = indexedDB.open('clinic'); request.onsuccess = () => done(); });
  await caches.open('clinic');
}"""


def test_a_test_stores_everything_and_cannot_change_the_contexts_settings(page: Page):
    page.goto("/")
    page.evaluate(STORE_EVERYTHING)
    assert page.evaluate("localStorage.length") == 1
    for change in (lambda: page.context.grant_permissions(["geolocation"]),
                   lambda: page.context.set_geolocation({"latitude": 1, "longitude": 2}),
                   lambda: page.context.set_offline(True),
                   lambda: page.context.add_init_script("window.x = 1"),
                   lambda: page.context.route("**/*", lambda route: route.abort())):
        with pytest.raises(AssertionError, match="shares one browser context"):
            change()
    # What lives in the page is the test's own and ends with it.
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(reduced_motion="reduce")


def test_the_next_test_finds_nothing_of_it(page: Page, site_url: str):
    page.goto("/")
    left = page.evaluate("""async () => ({
        localStorage: localStorage.length, sessionStorage: sessionStorage.length, cookies: document.cookie,
        indexedDB: (await indexedDB.databases()).length, caches: (await caches.keys()).length,
        geolocation: (await navigator.permissions.query({name: 'geolocation'})).state,
        reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches, width: innerWidth})""")
    assert left == {"localStorage": 0, "sessionStorage": 0, "cookies": "", "indexedDB": 0, "caches": 0,
                    "geolocation": "prompt", "reducedMotion": False, "width": 1280}
    # The test's page and the context's own, hidden one: the last test's page was closed.
    assert [other.url for other in page.context.pages if other != page] == [f"{site_url}/__shared_context__/"]


def test_reset_fails_when_something_stays_or_another_site_was_opened(browser, browser_context_args, site_url,
                                                                     tmp_path):
    shared = SharedContext(browser, browser_context_args, site_url)
    try:
        page = shared.new_page()
        page.goto("/")
        page.evaluate(STORE_EVERYTHING)
        assert shared.stored() != NOTHING_STORED
        shared.reset()
        assert shared.stored() == NOTHING_STORED
        # The check itself: storage the clearing missed fails the test.
        shared.new_page().goto("/")
        shared._cdp.send = lambda *args, **kwargs: None   # clearing that does nothing
        shared.context.pages[-1].evaluate("localStorage.setItem('left', '1')")
        with pytest.raises(AssertionError, match="state left"):
            shared.reset()
        del shared._cdp.send
        shared.reset()
        (tmp_path / "index.html").write_text("<p>another site</p>", encoding="utf-8")
        with StaticServer(tmp_path) as other:
            shared.new_page().goto(other.url + "/")
            with pytest.raises(AssertionError, match="opened another site"):
                shared.reset()
    finally:
        shared.close()
