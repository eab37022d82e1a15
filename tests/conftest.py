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

# The engine of the session's build: $CLINIC_TEST_ENGINE=zensical runs the tests that read the built
# site against Zensical's output (README, "A second engine"); MkDocs when unset.
ENGINE_VARIABLE = "CLINIC_TEST_ENGINE"

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
# seconds per module, 2026-12-05, longest first; the other modules keep their order after them.
LONGEST_FIRST = ("test_attack_corpus", "test_finder_browser", "test_keyboard", "test_accessibility", "test_own_names",
                 "test_lighthouse", "test_parity", "test_check", "test_home", "test_pipeline", "test_patient_pages",
                 "test_staff_yaml", "test_search_text", "test_finder_input", "test_security_headers")


def _collection_rank(item: pytest.Item) -> int:
    name = item.module.__name__.rpartition(".")[2] if isinstance(item, pytest.Function) else ""
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test exactly one tier marker (unit, build or browser), and put the longest
    modules first (LONGEST_FIRST; each module's tests stay together and in their order).
    Under $CLINIC_TEST_ENGINE=zensical only the tests that read the session's built site run (what
    differs between engines is that site; scripts/test runs this pass after the whole suite),
    and what Zensical's build does not do yet is marked, strictly (tests/zensical_differences.py)."""
    items.sort(key=_collection_rank)
    if os.environ.get(ENGINE_VARIABLE) == "zensical":
        from tests.zensical_differences import known_difference
        reads_site = [item for item in items if "site_dir" in getattr(item, "fixturenames", ())
                      and "zensical_site" not in getattr(item, "fixturenames", ())]
        config.hook.pytest_deselected(items=[item for item in items if item not in reads_site])
        items[:] = reads_site
        for item in items:
            reason = known_difference(item.nodeid)
            if reason:
                item.add_marker(pytest.mark.xfail(reason=f"Zensical: {reason}", strict=True))
    for item in items:
        if isinstance(item, pytest.Function):
            tier = harness.tier_of(item)
            if not item.get_closest_marker(tier):
                item.add_marker(getattr(pytest.mark, tier))
            _tier_of_test[item.nodeid] = tier


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
def site_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The project's site, built once per run with `clinic build` (the engine of
    $CLINIC_TEST_ENGINE) and shared, read only, by every pytest-xdist worker (harness.session_site)."""
    target, seconds = session_site(os.environ.get(ENGINE_VARIABLE, "mkdocs"), tmp_path_factory, worker_id)
    if seconds is not None:
        print(f"\nsite built in {seconds:.1f} s")
    return target


@pytest.fixture(scope="session")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The checkout's site as `clinic build` builds it with MkDocs (in the first pass, the very build
    site_dir gives), for tests of what MkDocs' build does: the Zensical pass, which selects the
    tests that ask for site_dir, does not run them."""
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
    as base_url, so such a test does not wait for the session's build, and the Zensical pass (the
    tests that read the session's site, run again) does not run it a second time on the same
    MkDocs build of its own."""
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
