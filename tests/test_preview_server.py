"""The preview of engines without their own (clinic_site.preview, preview_server), in this process
and without a real build: the address it serves at, which files an address may reach, a burst of
saves as one rebuild, and a build that stops on something unforeseen while the last good one keeps
serving. tests/test_preview.py runs it whole, with Zensical."""
from __future__ import annotations

import os
import threading
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site import preview as preview_module
from clinic_site.preview_server import Server, State, locate
from clinic_site.project import Project
from tests import harness


def wait_for(condition, what: str, timeout: float = 30):
    """harness.wait_for, polling every 0.02 s."""
    return harness.wait_for(condition, what, timeout, 0.02)


@pytest.mark.parametrize("text, expected", [
    (None, ("127.0.0.1", 8000)), ("", ("127.0.0.1", 8000)), ("0.0.0.0:9000", ("0.0.0.0", 9000)),
    ("localhost:8001", ("localhost", 8001)), ("[::1]:8002", ("::1", 8002)), ("127.0.0.1:0", ("127.0.0.1", 0))])
def test_the_address_is_read_as_mkdocs_reads_it(text, expected):
    assert preview_module.parse_address(text) == expected


@pytest.mark.parametrize("text, says", [
    ("8000", "'8000' is not IP:PORT"), ("example.org:80", "'example.org' is not an IP address"),
    ("127.0.0.1:", "'' is not a port"), ("127.0.0.1:-1", "'-1' is not a port"), ("127.0.0.1:65536", "'65536'"),
    ("127.0.0.1:８０", "is not a port")])
def test_a_bad_address_is_refused_in_one_line(text, says):
    with pytest.raises(ValueError, match=says) as refused:
        preview_module.parse_address(text)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("host, note", [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                        ("0.0.0.0", True), ("192.168.1.20", True)])
def test_the_first_lines_say_the_address_and_whether_other_computers_reach_it(host, note):
    """Both engines' previews start with these lines; `--dev-addr localhost:8000`, which the
    address reader takes as MkDocs does, ended the Zensical preview with a traceback here."""
    lines = preview_module.address_lines("mkdocs", f"http://{host}:8000/", host)
    assert lines[0] == f"Previewing with MkDocs at http://{host}:8000/ (Ctrl+C to stop)"
    assert len(lines) == 1 + note and all(f"Note: at {host}, other computers" in line for line in lines[1:])


def test_an_address_reaches_only_files_inside_the_served_folder(tmp_path):
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "about/index.html").write_text("about", encoding="utf-8")
    (site / "style.css").write_text("css", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (site / "inside.css").symlink_to(site / "style.css")        # a link within the site is followed
    (site / "out.txt").symlink_to(tmp_path / "secret.txt")      # one out of it is not
    (site / "outside").symlink_to(tmp_path, target_is_directory=True)
    assert locate(site, "/about/") == (site / "about/index.html", None)
    assert locate(site, "/about") == (None, "/about/")
    assert locate(site, "/%61bout/index.html") == (site / "about/index.html", None)
    assert locate(site, "/inside.css") == ((site / "style.css").resolve(), None)
    for path in ("/out.txt", "/outside/secret.txt", "/outside/", "/outside", "/../secret.txt", "/%2e%2e/secret.txt",
                 "/about/..%2f..%2fsecret.txt", "/about/%2E%2E/%2E%2E/secret.txt", "/..\\secret.txt",
                 "/style.css%00.html", "/missing.html", "/about/../style.css"):
        assert locate(site, path) == (None, None), path


def _project(root: Path) -> Project:
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    return Project(root, root / "mkdocs.yml")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_a_build_that_stops_leaves_the_last_good_one_serving_with_the_problem(tmp_path, monkeypatch):
    project = _project(tmp_path / "project")
    said: list[str] = []
    builds: list[Path] = []

    def build(project, target, *, engine, mode):
        assert mode == "serve" and not target.exists(), "each build into a fresh folder"
        builds.append(target)
        if len(builds) == 2:
            target.mkdir()
            raise RuntimeError(f"something nobody foresaw in {target}")
        target.mkdir()
        (target / "index.html").write_text(f"<html><body><article><h1>Build {len(builds)}</h1></article></body></html>",
                                           encoding="utf-8")
        return types.SimpleNamespace(problems=[])

    monkeypatch.setattr(pipeline, "build", build)
    state = State("test")
    server = Server("127.0.0.1", 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    try:
        status, page = _get(url)
        assert status == 503 and "being built" in page and ".clinic-preview/reload.js" in page
        folder = tmp_path / "session"
        folder.mkdir()
        preview = preview_module.Preview(project, "zensical", state, folder, said.append)
        assert preview.build("First build")
        status, page = _get(url)
        assert status == 200 and "Build 1" in page and "clinic-problems" not in page
        assert not preview.build("docs/x.md changed")
        status, page = _get(url)
        assert status == 200 and "Build 1" in page, "the last good build keeps serving"
        assert "clinic-problems" in page and "RuntimeError: something nobody foresaw" in page
        assert str(folder) not in page and not builds[1].exists()
        assert said[-1].startswith("docs/x.md changed: the build stopped after") and "still serving" in said[-1]
        assert preview.build("docs/x.md changed")
        status, page = _get(url)
        assert "Build 3" in page and "clinic-problems" not in page
        assert sorted(path.name for path in folder.iterdir()) == ["build-1", "build-3"]
        assert preview.build("docs/x.md changed")
        assert sorted(path.name for path in folder.iterdir()) == ["build-3", "build-4"], "older builds go"
        assert all("Traceback" not in line and "\n" not in line for line in said)
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def test_a_burst_of_saves_is_one_rebuild_naming_what_changed(tmp_path, monkeypatch):
    project = _project(tmp_path / "project")

    def build(project, target, *, engine, mode):
        target.mkdir()
        return types.SimpleNamespace(problems=[])

    monkeypatch.setattr(pipeline, "build", build)
    monkeypatch.setattr(preview_module, "POLL_SECONDS", 0.05)
    said: list[str] = []
    preview = preview_module.Preview(project, "zensical", State("test"), tmp_path / "session", said.append)
    (tmp_path / "session").mkdir()
    preview.build("First build")
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,))
    watcher.start()
    try:
        (project.root / "docs/about.md.swp").write_text("an editor's own file", encoding="utf-8")
        for number in range(5):
            (project.root / f"docs/page-{number}.md").write_text("# A page\n", encoding="utf-8")
        (project.root / "clinic.yml").write_text("name: Test\n", encoding="utf-8")
        wait_for(lambda: len(said) == 2, "the rebuild")
        assert said[1].startswith("clinic.yml and 5 more changed: built in"), said
        os.remove(project.root / "docs/page-0.md")
        wait_for(lambda: len(said) == 3, "the rebuild after a page is removed")
        assert said[2].startswith("docs/page-0.md changed: built in"), said
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_a_stale_preview_folder_goes_and_a_running_ones_stays(tmp_path):
    import fcntl

    project = _project(tmp_path / "project")
    base = project.cache_dir / "preview"
    stale, running = base / "zensical-stale", base / "zensical-running"
    for folder in (stale, running):
        (folder / "build-1").mkdir(parents=True)
        (folder / ".lock").touch()
    held = os.open(running / ".lock", os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        with preview_module.session_folder(project, "zensical") as folder:
            assert folder.parent == base and folder.is_dir()
            assert not stale.exists() and running.is_dir()
        assert not folder.exists()
    finally:
        os.close(held)


def test_a_cache_folder_that_is_a_link_is_not_written_through(tmp_path):
    project = _project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project.cache_dir.mkdir()
    (project.cache_dir / "preview").symlink_to(elsewhere, target_is_directory=True)
    with preview_module.session_folder(project, "zensical") as folder:
        assert folder.is_dir() and not folder.is_relative_to(project.root) and not list(elsewhere.iterdir())
    assert not folder.exists()


def test_ctrl_c_during_a_build_stops_once_the_build_is_over(tmp_path, monkeypatch, capfd):
    """Zensical ends the process, cleaning nothing, when a signal handler raises inside its build:
    the preview notes the first Ctrl+C and stops after the build instead."""
    import signal

    project = _project(tmp_path / "project")
    finished: list[Path] = []
    before = signal.getsignal(signal.SIGINT)   # Python's own; ignored when the run was started in the background

    def build(project, target, *, engine, mode):
        os.kill(os.getpid(), signal.SIGINT)   # Python runs the handler at once, here in the main thread
        target.mkdir()
        finished.append(target)
        return types.SimpleNamespace(problems=[])

    monkeypatch.setattr(pipeline, "build", build)
    (tmp_path / "session").mkdir()
    preview = preview_module.Preview(project, "zensical", State("test"), tmp_path / "session", lambda line: None)
    with pytest.raises(KeyboardInterrupt):
        preview.build("First build")
    assert finished, "the build went on to its end"
    assert "Stopping once this build is over" in capfd.readouterr().out
    assert signal.getsignal(signal.SIGINT) is before, "Ctrl+C is handled again as before the build"


def test_the_address_is_free_before_anything_is_built_and_mkdocs_yml_may_name_it(tmp_path):
    import socket

    project = _project(tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ValueError, match=f"^127.0.0.1:{port}: it is in use"):
            preview_module.open_address(project, f"127.0.0.1:{port}")
        (project.root / "mkdocs.yml").write_text(f"site_name: Test\ndev_addr: 127.0.0.1:{port}\n", encoding="utf-8")
        with pytest.raises(ValueError, match="it is in use"):
            preview_module.open_address(project, None)
    assert preview_module.open_address(project, None) == ("127.0.0.1", port)
    assert preview_module.open_address(project, "127.0.0.1:0") == ("127.0.0.1", 0), "--dev-addr first"
    with pytest.raises(ValueError, match="^--dev-addr 'x' is not an IP address"):
        preview_module.open_address(project, "x:y")


def test_a_first_build_that_stops_is_a_page_of_its_own_in_one_line(tmp_path, monkeypatch):
    project = _project(tmp_path / "project")

    def build(project, target, *, engine, mode):
        raise ValueError(f"the engine stopped here\nTraceback (most recent call last):\n  File {target}")

    monkeypatch.setattr(pipeline, "build", build)
    said: list[str] = []
    state = State("test")
    (tmp_path / "session").mkdir()
    preview = preview_module.Preview(project, "zensical", state, tmp_path / "session", said.append)
    server = Server("127.0.0.1", 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert not preview.build("First build")
        status, page = _get(f"http://127.0.0.1:{server.server_port}/any/page/")
        assert status == 503 and "The preview stopped" in page and "ValueError: the engine stopped here" in page
        assert ".clinic-preview/reload.js" in page, "it reloads once a build finishes"
        assert said == ["First build: the build stopped after 0.0 s: ValueError: the engine stopped here; "
                        "fix it and save again"]
    finally:
        state.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("header, local", [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("LOCALHOST", True), ("[::1]:8000", True), ("::1", True),
    ("192.168.1.20:8000", True), ("evil.example:8000", False), ("127.0.0.1.nip.io:8000", False), ("", False),
    ("localhost.evil.example", False)])
def test_the_preview_answers_only_requests_for_its_own_address(header, local):
    from clinic_site.preview_server import local_host
    assert local_host(header) is local


def test_a_compressed_page_is_served_as_bytes_and_another_sites_name_gets_nothing(tmp_path):
    """A tester's: docs/assets/form.html.gz (stored, not compressed) came back as text/html with
    its script, and pic.svg.gz as image/svg+xml; and a page of another site whose name points at
    127.0.0.1 (DNS rebinding) could read the preview, drafts included."""
    import http.client

    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<html><body>home</body></html>", encoding="utf-8")
    for name in ("form.html.gz", "pic.svg.gz", "page.html.br"):
        (site / "assets" / name).write_bytes(b"<script>alert(1)</script>")
    state = State("test")
    state.show(site)
    server = Server("127.0.0.1", 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name in ("form.html.gz", "pic.svg.gz", "page.html.br"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", f"/assets/{name}")
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200 and response.getheader("Content-Type") == "application/octet-stream", name
            assert body == b"<script>alert(1)</script>", "served as it is, without the reload script"
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/", headers={"Host": "evil.example"})
        response = connection.getresponse()
        assert response.status == 403 and b"home" not in response.read()
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
    finally:
        server.shutdown()
        server.server_close()
