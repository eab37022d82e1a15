"""The live preview (`clinic serve`, and a plain `mkdocs serve`) shows a content problem on the page
it belongs to — file, line and fix — keeps serving the rest of the site, and drops the box once
the file is fixed, while the build still stops on the same problem (tests/test_parity.py). The
first three tests run on both engines' previews (`clinic serve --engine zensical` is
clinic_site.preview's); the Zensical one then serves the preview's own tests over HTTP: the reload
script in served pages only, no address reaching a file outside the site, the site's 404 page, a
bad address in one line; and in Chromium an open page reloading itself after a save
(tests/test_preview_server.py tests the same code in this process)."""
from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from devtools.project_copy import copy_project
from tests import harness

pytestmark = [pytest.mark.slow, pytest.mark.build]   # each test starts a preview server, which builds


# `python -m module args…`, with Ctrl+C as Python's own whatever this process inherited: a run in
# the background (`.ci/run &`, nohup) starts with SIGINT ignored, and Python keeps it ignored, so the
# preview would never see the Ctrl+C these tests send it.
LAUNCH = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "module = sys.argv[1]; sys.argv = [module, *sys.argv[2:]]; runpy.run_module(module, run_name='__main__', "
          "alter_sys=True)")


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
    """harness.wait_for, polling every 0.25 s."""
    return harness.wait_for(condition, what, timeout, 0.25)


def problem_box(html: str | None):
    return BeautifulSoup(html, "html.parser").select_one(".clinic-problems") if html else None


@dataclasses.dataclass
class Served:
    """A running preview: its project, address ("http://127.0.0.1:PORT/"), process and engine."""

    project: Path
    url: str
    server: subprocess.Popen
    engine: str | None = None
    output: str = ""

    def stop(self, how: int = signal.SIGTERM) -> int:
        """End the preview with signal `how` (once); its exit status. Fails on a traceback."""
        if not self.output and self.server.returncode is None:
            self.server.send_signal(how)
            self.output = self.server.communicate(timeout=60)[0] or "(no output)"
            assert "Traceback" not in self.output, self.output
        return self.server.returncode


def start(project, command=("clinic_site.cli", "serve"), engine: str | None = None) -> Served:
    """`clinic serve` (with `--engine engine`, or `command`, such as ("mkdocs", "serve")) of `project`
    on a free port, started in its docs/ folder as staff would."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, *command, "--dev-addr", f"127.0.0.1:{port}",
         *(["--engine", engine] if engine else [])],
        cwd=project / "docs" if command[0] == "clinic_site.cli" else project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
    return Served(project, f"http://127.0.0.1:{port}/", server, engine)


@contextlib.contextmanager
def serving(project, command=("clinic_site.cli", "serve")):
    """A preview (see `start`) for the `with` block: yields its address; fails on a traceback."""
    served = start(project, command)
    try:
        yield served.url
    finally:
        served.stop()


def _preview(tmp_path_factory, engine: str) -> Iterator[Served]:
    """A preview with `engine` of a copy with two problems (see `preview`)."""
    project = copy_project(tmp_path_factory.mktemp(f"preview-{engine}") / "project")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace(
        "# About this site\n", "# About this site\n\nTODO: write the opening paragraph\n", 1), encoding="utf-8")
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    post.write_text(post.read_text(encoding="utf-8").replace("  - riley-example", "  - riley-exemple"),
                    encoding="utf-8")
    served = start(project, engine=engine if engine != "mkdocs" else None)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def mkdocs_preview(tmp_path_factory):
    yield from _preview(tmp_path_factory, "mkdocs")


@pytest.fixture(scope="module")
def zensical_preview(tmp_path_factory):
    yield from _preview(tmp_path_factory, "zensical")


@pytest.fixture(params=["mkdocs", "zensical"])
def preview(request) -> Served:
    """One preview per engine of a copy with two problems, shared by the tests of this module in
    their order (one `clinic serve` and its first build per engine): the first test reads it, the
    second reads the same and then fixes both files, the third edits clinic.yml and reads the
    clinic's name wherever the problems are; the Zensical one then serves the preview's own
    tests, and the last test stops each."""
    return request.getfixturevalue(f"{request.param}_preview")


def test_problems_show_on_their_page_and_the_site_keeps_serving(preview):
    url = preview.url
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
    project, url = preview.project, preview.url
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
    project, url = preview.project, preview.url
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


# ---- the preview of engines without their own (clinic_site.preview), on the Zensical preview

RELOAD_TAG = re.compile(r'<script src="/\.clinic-preview/reload\.js" data-build="(?P<build>[^"]+)"></script>')


def served_folder(project: Path) -> Path:
    """The folder the preview serves once it is idle: its newest build."""
    builds = list(project.glob(".cache/preview/zensical-*/build-*"))
    assert builds, "no build folder under .cache/preview/"
    return max(builds, key=lambda folder: int(folder.name.removeprefix("build-")))


def get(url: str, path: str) -> tuple[int, str]:
    """(status, body) of `path` sent exactly as written (no client tidies "/../" away)."""
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_served_pages_reload_after_a_rebuild_and_the_files_on_disk_stay_clean(zensical_preview):
    project, url = zensical_preview.project, zensical_preview.url
    page = wait_for(lambda: fetch(url + "about/"), "the preview to serve /about/")
    assert len(RELOAD_TAG.findall(page)) == 1, "one reload script in each served page"
    script = fetch(url + ".clinic-preview/reload.js")
    assert script is not None and "location.reload" in script and "://" not in script, "same origin only"
    folder = served_folder(project)
    built = list(folder.rglob("*.html"))
    assert len(built) > 20 and not [file for file in built if ".clinic-preview" in file.read_text(encoding="utf-8")]
    assert folder.is_relative_to(project / ".cache") and not list((project / "docs").rglob("*.html"))
    # An open page's wait is answered once a newer build is served, naming it.
    token = RELOAD_TAG.search(page)["build"]
    about = project / "docs/about.md"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(fetch, url + f".clinic-preview/wait?build={token}")
        about.write_text(about.read_text(encoding="utf-8") + "\nA line added while the page was open.\n",
                         encoding="utf-8")
        newer = waiting.result(timeout=120)
    assert newer and newer != token
    page = wait_for(lambda: fetch(url + "about/"), "the rebuilt page")
    assert "A line added while the page was open." in page and RELOAD_TAG.search(page)["build"] == newer
    wait_for(lambda: len(list(folder.parent.glob("build-*"))) == 2, "the builds before the last two to be removed")


def test_an_open_page_reloads_itself_after_a_save(zensical_preview, own_page):
    """In Chromium: the page open at /about/ reloads once a save is built, asking no other site."""
    project, url = zensical_preview.project, zensical_preview.url
    wait_for(lambda: fetch(url + "about/"), "the preview to serve /about/")
    asked: list[str] = []
    own_page.on("request", lambda request: asked.append(request.url))
    own_page.goto(url + "about/")
    own_page.evaluate("window.openBeforeTheSave = true")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA line the open page shows without a click.\n",
                     encoding="utf-8")
    own_page.wait_for_function("!window.openBeforeTheSave && document.body.innerText.includes("
                               "'A line the open page shows without a click.')", timeout=120_000)
    assert asked and [address for address in asked if not address.startswith(url)] == []


def test_a_missing_page_gets_the_sites_own_404_page(zensical_preview):
    project, url = zensical_preview.project, zensical_preview.url
    status, body = get(url, "/no-such-page/")
    assert status == 404
    assert RELOAD_TAG.sub("", body) == (served_folder(project) / "404.html").read_text(encoding="utf-8")
    status, _body = get(url, "/about")   # a folder without its last "/" is sent there
    assert status == 301


def test_no_address_reaches_a_file_outside_the_site(zensical_preview):
    project, url = zensical_preview.project, zensical_preview.url
    secret = project.parent / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    link = project / "docs/leak.txt"
    link.symlink_to(secret)
    try:
        wait_for(lambda: "docs/leak.txt" in (fetch(url + "about/") or ""), "the rebuild that names the link")
        folder = served_folder(project)
        (folder / "planted.txt").symlink_to(secret)                     # links inside the served folder itself
        (folder / "planted").symlink_to(project, target_is_directory=True)
        up = len(folder.relative_to(secret.parent).parts)
        paths = ["/leak.txt", "/planted.txt", "/planted/clinic.yml", "/planted/", "/about/%00"]
        for step in ("../", "%2e%2e/", "%2E%2E%2F", "..%2f", "%2e%2e%5c", "./../"):
            paths += ["/" + step * up + "secret.txt", "/about/" + step * (up + 1) + "secret.txt",
                      "/" + step * (up - 1) + "clinic.yml"]
        for path in paths:
            status, body = get(url, path)
            assert status != 200 and "not for the web" not in body and "short_name" not in body, (path, status)
        assert get(url, "/about/")[0] == 200 and get(url, "/about/../guide/")[0] == 404
    finally:
        link.unlink()   # the preview rebuilds without it, while the tests below run


def test_an_address_it_cannot_serve_at_is_one_line(preview):
    """Before any build, on both engines (MkDocs' own server says a taken port after its first
    build, with a traceback)."""
    taken = urllib.parse.urlsplit(preview.url).netloc   # the running preview's own
    for address, says in (("nonsense", "--dev-addr 'nonsense' is not IP:PORT"),
                          ("127.0.0.1:abc", "'abc' is not a port"), ("127.0.0.1:99999", "'99999' is not a port"),
                          ("300.1.2.3:80", "'300.1.2.3' is not an IP"),
                          (taken, f"{taken}: it is in use (choose another with --dev-addr)")):
        done = subprocess.run([sys.executable, "-m", "clinic_site.cli", "serve", "--dev-addr", address,
                               *(["--engine", preview.engine] if preview.engine else [])],
                              cwd=preview.project / "docs", capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        lines = (done.stdout + done.stderr).strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, (address, lines)
        assert lines[0].startswith("mkdocs.yml: the preview cannot start: ") and says in lines[0], (address, lines)


def test_ctrl_c_ends_the_preview_with_status_0(preview):
    """Last of the module: stops each engine's preview, which said the same lines on both engines:
    where it is, then each build's problems as `clinic build` prints them and one line."""
    assert preview.stop(signal.SIGINT) == 0, preview.output
    name = {"zensical": "Zensical"}.get(preview.engine or "", "MkDocs")
    assert preview.output.startswith(f"Previewing with {name} at {preview.url} (Ctrl+C to stop)\n"), preview.output
    assert re.search(r"^docs/about\.md, line 8: .*placeholder text \(TODO\)", preview.output, re.M), preview.output
    assert re.search(r"^First build: built in \d+\.\d s, \d+ problems", preview.output, re.M), preview.output
    assert re.search(r"^docs/about\.md( and \d+ more)? changed: built in", preview.output, re.M), preview.output
    assert re.search(r"^clinic\.yml changed: built in .*, no problems", preview.output, re.M), preview.output
    assert preview.output.rstrip().endswith("Preview stopped.")
    if preview.engine == "zensical":
        assert not list((preview.project / ".cache/preview").iterdir()), "the preview's builds are removed"


def test_the_mkdocs_preview_says_where_it_is_and_what_each_build_found(tmp_path):
    """`clinic serve` with MkDocs (the default) printed nothing at all: no address, no build, no
    problem. It says them as the Zensical preview does, each line as it happens: the address
    (which answers once the first build is over), every problem in `clinic build`'s words, and a
    line per build naming what changed."""
    project = copy_project(tmp_path / "project")
    about = project / "docs/about.md"
    text = about.read_text(encoding="utf-8")
    about.write_text(text.replace("# About this site\n", "# About this site\n\nTODO: write the opening paragraph\n", 1),
                     encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "clinic_site.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project / "docs", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
    said: list[str] = []

    def read() -> None:
        for line in server.stdout:   # type: ignore[union-attr]
            said.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def line_starting(start: str):
        return lambda: next((line for line in said if line.startswith(start)), None)

    try:
        address = wait_for(line_starting("Previewing with "), "the preview's address line", timeout=120)
        assert address == f"Previewing with MkDocs at {url} (Ctrl+C to stop)", said
        page = wait_for(lambda: fetch(url), f"the page at {url}")
        assert "About this site" in (fetch(url + "about/") or "") and "<html" in page
        built = wait_for(line_starting("First build: "), "the first build's line")
        assert re.fullmatch(r"First build: built in \d+\.\d s, 1 problem \(in a box on their pages\), \d+ warnings?",
                            built), said
        assert any(re.match(r"docs/about\.md, line 8: .*placeholder text \(TODO\)", line) for line in said), said
        about.write_text(text, encoding="utf-8")
        rebuilt = wait_for(line_starting("docs/about.md changed: "), "the rebuild's line")
        assert re.fullmatch(r"docs/about\.md changed: built in \d+\.\d s, no problems, \d+ warnings?", rebuilt), said
        # mkdocs.yml that MkDocs cannot read on a save: one line (MkDocs printed its traceback), still serving.
        config = project / "mkdocs.yml"
        settings = config.read_text(encoding="utf-8")
        assert "  custom_dir: overrides\n" in settings, "mkdocs.yml's custom_dir moved: update this test"
        config.write_text(settings.replace("  custom_dir: overrides\n", "  custom_dir: [overrides\n", 1),
                          encoding="utf-8")
        unread = wait_for(line_starting("mkdocs.yml, line "), "the line naming mkdocs.yml")
        assert re.fullmatch(r"mkdocs\.yml, line \d+: has a bracket that is never closed — .*", unread), said
        assert fetch(url) is not None, "the last build that finished keeps serving"
        config.write_text(settings, encoding="utf-8")
        wait_for(line_starting("mkdocs.yml changed: built in"), "the rebuild once mkdocs.yml is read again")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        reader.join(timeout=10)
    assert server.returncode == 0 and said[-1] == "Preview stopped.", said
    assert not any("Traceback" in line or line.startswith(("INFO", "WARNING", "ERROR")) for line in said), said
