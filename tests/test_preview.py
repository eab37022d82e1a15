"""The live preview (`clinic serve`, and a plain `mkdocs serve`) shows a content problem on the page
it belongs to — file, line and fix — keeps serving the rest of the site, and drops the box once
the file is fixed, while the build still stops on the same problem (tests/test_parity.py)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from devtools.project_copy import copy_project

pytestmark = [pytest.mark.slow, pytest.mark.build]   # each test starts a preview server, which builds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition, what: str, timeout: float = 180):
    """Poll `condition()` until it returns something true; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)  # polling interval of a condition wait, not a fixed wait for an outcome
    pytest.fail(f"timed out waiting for {what}")


def problem_box(html: str | None):
    return BeautifulSoup(html, "html.parser").select_one(".clinic-problems") if html else None


@contextlib.contextmanager
def serving(project, command=("clinic_site.cli", "serve")):
    """`clinic serve` (or `command`, such as ("mkdocs", "serve")) of `project` on a free port,
    started in its docs/ folder as staff would: yields its address; fails on a traceback."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", *command, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project / "docs" if command[0] == "clinic_site.cli" else project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
        assert "Traceback" not in output, output


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One preview of a copy with two problems, for the three tests below: the first reads it, the
    second reads the same and then fixes both files, the third edits clinic.yml and reads the
    clinic's name wherever the problems are (one `clinic serve` and its first build, not three)."""
    project = copy_project(tmp_path_factory.mktemp("preview") / "project")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "# About this site\n", "# About this site\n\nTODO: write the opening paragraph\n", 1), encoding="utf-8")
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    post.write_text(post.read_text(encoding="utf-8").replace("  - riley-example", "  - riley-exemple"),
                    encoding="utf-8")
    with serving(project) as url:
        yield project, url


def test_problems_show_on_their_page_and_the_site_keeps_serving(preview):
    project, url = preview
    about = wait_for(lambda: fetch(url + "about/"), "the preview to serve /about/")
    box = problem_box(about)
    assert box is not None, "no problem box on the page that has the problem"
    text = " ".join(box.get_text(" ").split())
    assert "docs/about.md, line 8" in text and "placeholder text (TODO)" in text
    # The post that would stop Material's blog plugin is left out; its problem shows on every page.
    assert "docs/blog/posts/welcome-to-our-guide.md, line 4" in text and "riley-exemple" in text
    home = fetch(url)
    assert home is not None and "docs/blog/posts/welcome-to-our-guide.md, line 4" in home
    assert "docs/about.md, line 8" not in home, "a page's own problem shows on that page only"
    guide = fetch(url + "guide/")
    assert guide is not None and BeautifulSoup(guide, "html.parser").select_one("article h1")


def test_the_box_goes_once_the_file_is_fixed(preview):
    project, url = preview
    wait_for(lambda: problem_box(fetch(url + "about/")), "the problem box")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("TODO: write the opening paragraph\n", ""),
                     encoding="utf-8")
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    post.write_text(post.read_text(encoding="utf-8").replace("riley-exemple", "riley-example"), encoding="utf-8")

    def fixed():
        html = fetch(url + "about/")
        return html is not None and problem_box(html) is None and "About this site" in html

    wait_for(fixed, "the preview to rebuild without the box")



def test_an_edit_of_clinic_yml_rebuilds_the_preview(preview):
    """clinic.yml is beside mkdocs.yml, not in docs/: the preview watches it too."""
    project, url = preview
    wait_for(lambda: "Riverbend Clinic" in (fetch(url + "about/") or ""), "the preview to serve /about/")
    clinic = project / "clinic.yml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("short_name: Riverbend Clinic",
                                                                 "short_name: Lakeside Clinic", 1), "utf-8")
    wait_for(lambda: "Lakeside Clinic" in (fetch(url + "about/") or ""), "the preview to show clinic.yml's edit")


def test_a_listing_problem_shows_at_its_own_address_and_the_rest_keeps_serving(tmp_path):
    project = copy_project(tmp_path / "project")
    listing = project / "docs/therapists/listings/sample-avery-sampleton.yml"
    listing.write_text(listing.read_text(encoding="utf-8").replace("last_updated:", "last_updated: 2020-01-01\nx_old:"),
                       encoding="utf-8")
    with serving(project, ("mkdocs", "serve")) as url:
        about = wait_for(lambda: fetch(url + "about/"), "the preview to serve /about/")
        box = problem_box(about)
        assert box is not None and "docs/therapists/listings/sample-avery-sampleton.yml" in box.get_text()
        # The listing's own address names its problems instead of a bare "page not found".
        own = wait_for(lambda: fetch(url + "therapists/sample-avery-sampleton/"), "the listing's address")
        box = problem_box(own)
        assert box is not None, own
        text = " ".join(box.get_text(" ").split())
        assert "docs/therapists/listings/sample-avery-sampleton.yml, line" in text and "x_old" in text, text
        city = fetch(url + "therapists/cities/austin-tx/")
        assert city is not None and "Sample Therapist" in city   # the rest of the finder keeps serving


def test_code_found_only_in_the_written_page_shows_in_the_box(tmp_path):
    """The output guard under `mkdocs serve`: an author's url with a script URL is seen only in the
    pages as written (the post's author link); the preview shows it in that page's box, naming
    .authors.yml (the build stops on it)."""
    project = copy_project(tmp_path / "project")
    authors = project / "docs/blog/.authors.yml"
    text = authors.read_text(encoding="utf-8")
    assert "    url: people/riley-example/\n" in text
    authors.write_text(text.replace("    url: people/riley-example/\n", "    url: 'javascript:alert(5)'\n", 1),
                       encoding="utf-8")
    line = text.splitlines().index("    url: people/riley-example/") + 1
    with serving(project) as url:
        page = wait_for(lambda: fetch(url + "blog/2026/11/20/welcome-to-our-guide/"), "the preview to serve the post")
        box = problem_box(page)
        assert box is not None, "no problem box on the page whose written HTML holds a script URL"
        text = " ".join(box.get_text(" ").split())
        assert f"docs/blog/.authors.yml, line {line}" in text and "javascript:alert(5)" in text, text
