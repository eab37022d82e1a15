"""Shared fixtures: the site is built once per session, served by the one static server, and
opened in Chromium with the one launch configuration; every test gets its tier (tests/harness.py)."""
from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from devtools import chromium
from tests import harness
from tests.harness import PROJECT_ROOT, StaticServer, build_site, is_redirect_stub, session_site

# The engines whose builds the tests that read the built site run against (README, "A second
# engine"): each such test runs once per engine, in the same run, the engine a parameter of its id
# ("test_x[zensical]"). $CLINIC_TEST_ENGINE=mkdocs or =zensical runs them against that one only
# (and, for zensical, only them).
ENGINES = ("mkdocs", "zensical")
ENGINE_VARIABLE = "CLINIC_TEST_ENGINE"


def engines() -> tuple[str, ...]:
    """The engines of this run: $CLINIC_TEST_ENGINE's one, else every one of ENGINES."""
    chosen = os.environ.get(ENGINE_VARIABLE)
    if chosen and chosen not in ENGINES:
        raise pytest.UsageError(f"${ENGINE_VARIABLE} is {chosen!r}: use one of {', '.join(ENGINES)}, or leave it unset")
    return (chosen,) if chosen else ENGINES

# Kept for the modules that import them from here; StaticHandler is the one handler.
QuietHandler = harness.StaticHandler
__all__ = ["PROJECT_ROOT", "QuietHandler", "build_site", "is_redirect_stub"]


# Seconds spent per tier (setup, call and teardown of its tests), printed at the end of a run.
_tier_of_test: dict[str, str] = {}
_seconds_per_tier: dict[str, float] = {}
_tests_run_per_tier: dict[str, set[str]] = {}


# Under pytest-xdist (--dist loadscope) each module runs whole on one worker, and modules are
# handed out in the order they were collected: the longest go first, so that none is left running
# alone at the end while the other workers wait (longest processing time first; pytest_configure
# keeps xdist from reordering them by their number of tests). Measured test seconds per module,
# both engines' runs together, 2026-12-06, longest first (search_text 43, lighthouse 36 since its
# audits run in two processes, attack_corpus 34, keyboard 31 since its focus walks run together,
# accessibility 29, finder_browser 26, parity 26, editor 25, staff_yaml 23, home 23, pipeline 22;
# preview 27 once it ran both engines' previews, measured alone with the other CPU busy);
# the other modules keep their order after them.
LONGEST_FIRST = ("test_search_text", "test_lighthouse", "test_attack_corpus", "test_keyboard", "test_accessibility",
                 "test_preview", "test_finder_browser", "test_parity", "test_editor", "test_staff_yaml", "test_home",
                 "test_pipeline", "test_patient_pages", "test_benchmark", "test_own_names", "test_security_headers",
                 "test_check", "test_browser", "test_site", "test_print", "test_zensical", "test_no_traceback")


def _collection_rank(item: pytest.Item) -> int:
    name = item.module.__name__.rpartition(".")[2] if isinstance(item, pytest.Function) else ""
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that reads the session's built site (it asks for site_dir, directly or through
    base_url, page, site_pages...) runs once per engine of engines(); test_zensical's comparisons
    (which ask for zensical_site beside it) read the MkDocs build as their site_dir."""
    if "engine" in metafunc.fixturenames:
        chosen = ("mkdocs",) if "zensical_site" in metafunc.fixturenames else engines()
        metafunc.parametrize("engine", chosen, indirect=True, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test exactly one tier marker (unit, build or browser), and put the longest
    modules first (LONGEST_FIRST; each module's tests stay together and in their order).
    What Zensical's build does not do yet is marked, strictly, on the tests run against it
    (tests/zensical_differences.py). Under $CLINIC_TEST_ENGINE=zensical only the tests that read
    the session's built site run (what differs between engines is that site)."""
    items.sort(key=_collection_rank)
    from tests.zensical_differences import known_difference
    if engines() == ("zensical",):
        reads_site = [item for item in items if _engine_of(item) == "zensical"]
        config.hook.pytest_deselected(items=[item for item in items if item not in reads_site])
        items[:] = reads_site
    for item in items:
        if _engine_of(item) == "zensical":
            reason = known_difference(_without_engine(item.nodeid))
            if reason:
                item.add_marker(pytest.mark.xfail(reason=f"Zensical: {reason}", strict=True))
        if isinstance(item, pytest.Function):
            tier = harness.tier_of(item)
            if not item.get_closest_marker(tier):
                item.add_marker(getattr(pytest.mark, tier))
            _tier_of_test[item.nodeid] = tier


def _without_engine(nodeid: str) -> str:
    """`nodeid` without its engine parameter, as tests/zensical_differences.py names tests:
    "t.py::test_x[zensical-chromium-phone]" is "t.py::test_x[chromium-phone]", "t.py::test_x[zensical]"
    is "t.py::test_x"."""
    base, bracket, params = nodeid.partition("[")
    parts = params[:-1].split("-") if bracket else []
    if "zensical" not in parts:
        return nodeid
    parts.remove("zensical")
    return f"{base}[{'-'.join(parts)}]" if parts else base


def _engine_of(item: pytest.Item) -> str | None:
    """The engine whose build `item` reads (its `engine` parameter), None for a test that reads none."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("engine") if callspec else None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add each phase's time to its test's tier (the session build counts where it first happens)."""
    # Under pytest-xdist the workers collect and mark the tests; their reports carry the markers.
    tier = _tier_of_test.get(report.nodeid) or next((name for name in harness.TIERS if name in report.keywords), None)
    if tier:
        _seconds_per_tier[tier] = _seconds_per_tier.get(tier, 0.0) + report.duration
        _tests_run_per_tier.setdefault(tier, set()).add(report.nodeid)


def pytest_terminal_summary(terminalreporter) -> None:
    """One line: the time each tier took in this run."""
    if _seconds_per_tier:
        terminalreporter.write_line("time per tier: " + ", ".join(
            f"{tier} {_seconds_per_tier[tier]:.0f} s ({len(_tests_run_per_tier[tier])} tests)"
            for tier in harness.TIERS if tier in _seconds_per_tier))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tell build_site which tier runs now (fixtures included), so a build in a `unit` test fails."""
    harness.current_tier = next((tier for tier in harness.TIERS if item.get_closest_marker(tier)), None)


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    """The engine whose build site_dir is: the test's parameter (pytest_generate_tests). A test has
    none when it reads the site only through request.getfixturevalue: it would read one engine's
    build, not each, and a module-scoped fixture over the site would be made once more for it."""
    if not hasattr(request, "param"):
        raise pytest.UsageError("this test reads the session's built site through request.getfixturevalue: "
                                "ask for the fixture (site_dir, or one made from it) as an argument, so "
                                "that the test runs once per engine")
    return request.param


@pytest.fixture(scope="session")
def site_dir(engine: str, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The project's site, built once per run and engine with `clinic build --engine <engine>` and
    shared, read only, by every pytest-xdist worker (harness.session_site)."""
    target, seconds = session_site(engine, tmp_path_factory, worker_id)
    if seconds is not None:
        print(f"\nsite built in {seconds:.1f} s")
    return target


@pytest.fixture(scope="session")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The checkout's site as `clinic build` builds it with MkDocs (the very build site_dir gives for
    the engine mkdocs), for tests of what MkDocs' build does: they run once, not once per engine."""
    return session_site("mkdocs", tmp_path_factory, worker_id)[0]


@pytest.fixture(scope="session")
def read_page(site_dir: Path):
    """Parsed HTML of a built page, by its site path ('guide/', 'about/')."""
    @functools.cache
    def read(path: str) -> BeautifulSoup:
        file = site_dir / path if path.endswith(".html") else site_dir / path / "index.html"
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    return read


@pytest.fixture(scope="session")
def site_pages(site_dir: Path, read_page) -> dict[str, BeautifulSoup]:
    """Every page of the built site by path ('' is the home page), without redirect stubs and
    without the staff's editor at admin/ (not a page of the site: tests/test_editor.py holds it)."""
    pages = {}
    for html in sorted(site_dir.rglob("index.html")):
        if html.parent == site_dir / "admin":
            continue
        if not is_redirect_stub(html.read_text(encoding="utf-8")):
            relative = html.parent.relative_to(site_dir).as_posix()
            path = "" if relative == "." else f"{relative}/"
            pages[path] = read_page(path)
    return pages


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The session's site on the one static server (plain: no compression, no extra headers)."""
    with StaticServer(site_dir) as server:
        yield server.url


@pytest.fixture(scope="session")
def base_url(site_url: str) -> str:
    """pytest-playwright resolves page.goto("/guide/") against this."""
    return site_url


# ---- one browser context per module, for the modules that ask for it ----
#
# A new context per test (pytest-playwright's `context` and `page`) starts with a cold HTTP cache:
# each test's first page fetches, parses and compiles Material's scripts and styles again, the
# larger share of a page load's CPU. A module marked `pytestmark = pytest.mark.shared_context` gets
# one context for all its tests instead, and a new page for each test, so what lives in a page
# (its viewport, emulated media, routes, init scripts, listeners, sessionStorage, scripts' state)
# ends with the test as before. What lives in the context is kept from leaking by construction:
#   - the context serves only the session's site (site_url), which nothing changes during a run, so
#     its HTTP cache never holds a stale file; a test that opens another address fails and uses
#     own_page or a context of its own (browser.new_context), as one that rebuilds a site does;
#   - its settings cannot be changed (grant_permissions, set_geolocation, set_offline, route,
#     add_init_script, add_cookies, ... raise): a test that needs one makes its own context;
#   - after each test, every page it opened is closed, and what the site's scripts stored (cookies,
#     localStorage, IndexedDB, Cache Storage, service workers: Material keeps its palette and
#     search state there) is cleared, then checked empty, or the test fails in teardown.
# pytest's --tracing/--video/--screenshot (pytest-playwright's per-context artifacts) turn sharing off.
SHARED_CONTEXT_MARK = "shared_context"
LOCKED_CONTEXT_METHODS = ("add_cookies", "add_init_script", "clear_cookies", "clear_permissions", "expose_binding",
                          "expose_function", "grant_permissions", "route", "route_from_har", "route_web_socket",
                          "set_extra_http_headers", "set_geolocation", "set_offline", "set_storage_state",
                          "set_default_timeout", "set_default_navigation_timeout")
# What the site's scripts may have left, read in a page of the site's own origin.
STORED_STATE = """async () => ({
  cookies: document.cookie, localStorage: Object.keys(localStorage),
  indexedDB: (await indexedDB.databases()).map(database => database.name),
  caches: await caches.keys(),
  geolocation: (await navigator.permissions.query({name: 'geolocation'})).state,
  online: navigator.onLine,
})"""
NOTHING_STORED = {"cookies": "", "localStorage": [], "indexedDB": [], "caches": [], "geolocation": "prompt",
                  "online": True}


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist (3.6 on) hands --dist loadscope's modules out by their number of tests, most
    # first, unless told not to (--no-loadscope-reorder): then they go in the order collected,
    # LONGEST_FIRST's.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    config.addinivalue_line("markers", f"{SHARED_CONTEXT_MARK}: the module's tests share one browser context, "
                                       "a new page each (tests/conftest.py)")


class SharedContext:
    """One browser context for a module's tests (see above): new_page() per test, reset() after it."""

    def __init__(self, browser, context_args: dict, site_url: str) -> None:
        self.origin = site_url.rstrip("/")
        self.context = browser.new_context(**context_args)
        self.other_addresses: list[str] = []
        self.context.on("request", self._note_address)
        # A page of the site's own origin that the tests never see, to clear and read what is stored:
        # the server's plain "not found" page (no script, no style).
        self._keeper = self.context.new_page()
        self._keeper.goto(f"{self.origin}/__shared_context__/")
        self._cdp = self.context.new_cdp_session(self._keeper)
        self._clear_cookies = self.context.clear_cookies
        for name in LOCKED_CONTEXT_METHODS:
            setattr(self.context, name, functools.partial(self._locked, name))

    @staticmethod
    def _locked(name: str, *args, **kwargs):
        raise AssertionError(f"context.{name}() in a module that shares one browser context "
                             f"(pytest.mark.{SHARED_CONTEXT_MARK}, tests/conftest.py): it would reach the module's "
                             "next tests; use a context of the test's own (browser.new_context())")

    def _note_address(self, request) -> None:
        if not request.url.startswith((self.origin + "/", "data:", "blob:", "about:")):
            self.other_addresses.append(request.url)

    def new_page(self):
        return self.context.new_page()

    def stored(self) -> dict:
        """What the site's scripts left in the context, read from the site's origin."""
        return self._keeper.evaluate(STORED_STATE)

    def reset(self) -> None:
        """Close the test's pages, clear what the site stored, and check it is gone; fails (in the
        test's teardown) if the test opened another site."""
        for page in self.context.pages:
            if page is not self._keeper:
                page.close()
        self._cdp.send("Storage.clearDataForOrigin", {"origin": self.origin, "storageTypes": "all"})
        self._clear_cookies()
        others, self.other_addresses[:] = self.other_addresses[:], []
        assert not others, (f"a test in a module marked {SHARED_CONTEXT_MARK} opened another site than the "
                            f"session's ({others[:3]}): its files could be cached for the next tests; use own_page")
        left = self.stored()
        assert left == NOTHING_STORED, f"state left in the shared browser context after clearing: {left}"
        assert not self.context.service_workers, self.context.service_workers

    def close(self) -> None:
        self.context.close()


def _shares_context(request: pytest.FixtureRequest) -> bool:
    artifacts = any(request.config.getoption(option, "off") != "off"
                    for option in ("--tracing", "--video", "--screenshot"))
    return request.node.get_closest_marker(SHARED_CONTEXT_MARK) is not None and not artifacts


@pytest.fixture(scope="module")
def shared_context(browser, browser_context_args: dict, site_url: str) -> Iterator[SharedContext]:
    """The module's one context (on the session's site, as pytest-playwright's would be)."""
    shared = SharedContext(browser, browser_context_args, site_url)
    yield shared
    shared.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser, browser_context_args: dict) -> Iterator:
    """pytest-playwright's `page` (a new context for each test), or, in a module marked
    shared_context, a new page in the module's one context, reset after the test. It names
    browser_context_args, as pytest-playwright's `page` does through its context: that is what ties
    a test on a page to the session's site (base_url, site_url, site_dir), so it runs once per
    engine (pytest_generate_tests; and a test's tier is read from it)."""
    if not _shares_context(request):
        yield request.getfixturevalue("context").new_page()
        return
    shared: SharedContext = request.getfixturevalue("shared_context")
    yield shared.new_page()
    shared.reset()


@pytest.fixture
def own_page(browser) -> Iterator:
    """A page in Chromium for a test that opens only a site of its own (its own build on its own
    server, by full address, or set_content): pytest-playwright's `page` without the session's site
    as base_url, so such a test does not wait for the session's build, and is not run once per
    engine (the tests that read the session's site are) on the same MkDocs build of its own."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, its headless shell, with the one set of flags (devtools/chromium.py)."""
    try:
        options = chromium.playwright_launch_args(shell=True)
    except RuntimeError as error:
        pytest.fail(str(error))
    return {**browser_type_launch_args, **options}
