"""Shared fixtures: the site is built once per test session and served on 127.0.0.1."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]

# Chromium flags for this offline sandbox: no first-run work, no background
# connections, and every host but 127.0.0.1 unresolvable, so a stray request to
# another host fails instead of waiting.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def build_site(site_dir: Path, config_file: Path = PROJECT_ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict`, as CI and the README do."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config_file), "--site-dir", str(site_dir)],
        cwd=config_file.parent, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    started = time.perf_counter()
    result = build_site(target)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stderr}"
    print(f"\nsite built in {seconds:.1f} s")
    return target


@pytest.fixture(scope="session")
def read_page(site_dir):
    """Parsed HTML of a built page, by its site path ('guide/', 'about/')."""
    @functools.cache
    def read(path: str) -> BeautifulSoup:
        file = site_dir / path if path.endswith(".html") else site_dir / path / "index.html"
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    return read


def is_redirect_stub(html: str) -> bool:
    """mkdocs-redirects' pages that only send the visitor on to a page's new address."""
    return 'http-equiv="refresh"' in html


@pytest.fixture(scope="session")
def site_pages(site_dir, read_page) -> dict[str, BeautifulSoup]:
    """Every page of the built site by path ('' is the home page), without redirect stubs."""
    pages = {}
    for html in sorted(site_dir.rglob("index.html")):
        if not is_redirect_stub(html.read_text(encoding="utf-8")):
            relative = html.parent.relative_to(site_dir).as_posix()
            path = "" if relative == "." else f"{relative}/"
            pages[path] = read_page(path)
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_url(site_dir) -> str:
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(site_url) -> str:
    """pytest-playwright resolves page.goto("/guide/") against this."""
    return site_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: run scripts/test, which installs it (apt-get install -y chromium)"
    return {**browser_type_launch_args, "executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS}


