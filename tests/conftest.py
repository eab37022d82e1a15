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
# alone at the end while the other workers wait (longest processing time first). Measured test
# seconds per module, both engines' runs together, 2026-12-06, longest first; the other modules
# keep their order after them.
LONGEST_FIRST = ("test_keyboard", "test_lighthouse", "test_accessibility", "test_search_text", "test_finder_browser",
                 "test_home", "test_parity", "test_attack_corpus", "test_security_headers", "test_pipeline",
                 "test_own_names", "test_patient_pages", "test_print", "test_staff_yaml", "test_check",
                 "test_editor", "test_benchmark", "test_browser", "test_finder_input", "test_no_traceback",
                 "test_preview")


def _collection_rank(item: pytest.Item) -> int:
    name = item.module.__name__.rpartition(".")[2] if isinstance(item, pytest.Function) else ""
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that reads the session's built site (it asks for site_dir, directly or through
    base_url, page, site_pages...) runs once per engine of engines(); test_zensical's comparisons
    (which ask for zensical_site beside it) read the MkDocs build as their site_dir."""
    if "engine" in metafunc.fixturenames and "zensical_site" not in metafunc.fixturenames:
        metafunc.parametrize("engine", engines(), indirect=True, scope="session")


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
    """The engine whose build site_dir is: the test's parameter (pytest_generate_tests), MkDocs for
    the comparisons in test_zensical."""
    return getattr(request, "param", "mkdocs")


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
    """Debian's Chromium with the one set of flags (devtools/chromium.py)."""
    try:
        options = chromium.playwright_launch_args()
    except RuntimeError as error:
        pytest.fail(str(error))
    return {**browser_type_launch_args, **options}
