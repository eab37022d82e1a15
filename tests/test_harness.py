"""The harness's tiers are exact: every test has one, builds are found, and a unit test cannot build."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import harness


def _helper_that_builds() -> None:
    harness.mkdocs_build(Path("site"))


def _builds_through_a_helper() -> None:
    _helper_that_builds()


def _runs_mkdocs_as_a_command() -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build"], check=True)


def _builds_through_the_harness(tmp_path_factory, worker_id) -> Path:
    return harness.session_site("zensical", tmp_path_factory, worker_id)[0]   # as test_zensical's fixture


def _reads_a_file() -> str:
    return Path("mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.unit  # it names the helpers above but only reads their code: nothing is built
def test_a_build_is_found_through_helpers_and_commands():
    assert harness._calls_build(iter([_builds_through_a_helper]))
    assert harness._calls_build(iter([_runs_mkdocs_as_a_command]))
    assert harness._calls_build(iter([_builds_through_the_harness]))
    assert not harness._calls_build(iter([_reads_a_file]))


def test_every_test_of_the_run_has_exactly_one_tier(request):
    for item in request.session.items:
        tiers = [tier for tier in harness.TIERS if item.get_closest_marker(tier)]
        assert len(tiers) == 1, (item.nodeid, tiers)


@pytest.mark.unit  # what it checks: build_site refuses to run in the unit tier
def test_a_unit_test_that_builds_fails_with_the_fix(tmp_path):
    with pytest.raises(AssertionError, match="mark it @pytest.mark.build"):
        harness.build_site(tmp_path / "site")
    assert not (tmp_path / "site").exists()


LATE_FOCUS = """<button id="late">Late</button><script>{
  const button = document.getElementById("late");
  // Like Material's search box: the look changes a few frames after the focus, by script.
  button.addEventListener("focus", () => requestAnimationFrame(() => requestAnimationFrame(
    () => requestAnimationFrame(() => { button.dataset.state = "open"; }))));
}</script>"""


LATER_FOCUS = """<button id="late">Later</button><script>{
  const button = document.getElementById("late");
  button.addEventListener("focus", () => setTimeout(() => { button.dataset.state = "open"; }, 300));
}</script>"""


def test_settled_reads_what_a_script_changes_frames_after_a_focus(own_page):
    """settled() reads once what it reads stops changing (a change three frames after the focus),
    and once what the page is known to do has happened (`ready`), however many frames later."""
    page = own_page
    read = "() => document.activeElement.dataset.state || 'closed'"
    page.set_content(LATE_FOCUS)
    page.keyboard.press("Tab")
    assert harness.settled(page, read) == "open"
    page.set_content(LATER_FOCUS)
    page.keyboard.press("Tab")
    assert harness.settled(page, read, ready="() => document.activeElement.dataset.state === 'open'") == "open"
