"""`clinic edit`: the browser editor against this copy of the project, for trying it out and for tests.

It starts Decap's proxy server (decap-server, from node_modules, pinned in package-lock.json) on
127.0.0.1, writing straight into the project's files (MODE=fs: review them with `clinic check`
and `git diff`, then commit), and serves the editor at http://127.0.0.1:<port>/admin/ with
`local_backend` pointing at that server, beside the last `clinic build` (site/), whose styles the
preview uses. Only this command ever writes `local_backend`: the build
never does (tests/test_editor.py checks the published config). Nothing is reachable from other
machines: both servers listen on 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from clinic_site import project as project_module
from clinic_site.editor import ADMIN_DIR, bundle, config

HOST = "127.0.0.1"
SERVER = Path("node_modules/decap-server/dist/index.js")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _check_free(port: int) -> None:
    """Raise naming --backend-port when another program holds decap-server's `port`: the editor would
    otherwise reach that program (another copy's decap-server writes into that copy's files)."""
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError as error:
            raise RuntimeError(f"port {port} on {HOST}, for decap-server, cannot be used ({error.strerror}): another "
                               "program (another `clinic edit`?) holds it; stop it or choose another port with "
                               "--backend-port") from None


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    """Return once `port` accepts connections; raise if `process` ends or it takes `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"decap-server stopped (exit {process.returncode}) before it listened")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.05)   # polling a condition: the server is up as soon as it accepts
    raise RuntimeError(f"decap-server did not listen on {HOST}:{port} within {seconds:.0f} s")


class _Server(http.server.ThreadingHTTPServer):
    """The editor's static server: a browser that stops a download (a page left) is no error."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def session(root: Path, port: int = 0, backend_port: int = 0, site: Path | None = None) -> Iterator[str]:
    """Run the editor for the project at `root`; yields the editor's address
    ("http://127.0.0.1:<port>/admin/"). `site`: a built site served beside it, whose styles the
    preview then uses. Raises RuntimeError naming what is missing or wrong."""
    project = project_module.Project.find(root / "mkdocs.yml")
    settings, problems = project_module.Settings.read(project)
    backend_port = backend_port or free_port()
    local = f"http://{HOST}:{backend_port}"
    cms, found = config.for_project(settings, local_backend_url=f"{local}/api/v1")
    installed, missing = bundle.find(project.root)
    node = shutil.which("node")
    wrong = problems + found + missing
    if cms is None and not wrong:
        raise RuntimeError(f"the editor is switched off in {project.shown(project.config_file)} (`editor: false` under "
                           "`extra:`): remove that line to use it")
    if cms is None or installed is None or wrong or node is None or not (project.root / SERVER).is_file():
        raise RuntimeError("\n".join([str(problem) for problem in wrong] or [
            "Node.js and decap-server are needed: run scripts/setup.sh (npm ci) and try again"]))
    with tempfile.TemporaryDirectory(prefix="clinic-edit-") as folder:
        page = bundle.page(settings.site_name, bundle.policy(config.api_origin(cms["backend"]), local, meta=True))
        styles = bundle.stylesheets(site, list(settings.get("extra_css") or []))
        bundle.write(Path(folder) / ADMIN_DIR, installed, page, config.config_yaml(cms), styles)
        for child in site.iterdir() if site is not None and site.is_dir() else ():
            if child.name != ADMIN_DIR:   # the built site's files beside the editor, as published
                (Path(folder) / child.name).symlink_to(child.resolve(), target_is_directory=child.is_dir())
        environment = {**os.environ, "BIND_HOST": HOST, "PORT": str(backend_port), "MODE": "fs",
                       "GIT_REPO_DIRECTORY": str(project.root), "LOG_LEVEL": "warn"}
        # cwd: the empty folder, so decap-server reads no .env file of the project's.
        handler = functools.partial(_Quiet, directory=folder)
        try:
            server = _Server((HOST, port), handler)
        except OSError as error:
            raise RuntimeError(f"port {port} on {HOST} cannot be used ({error.strerror}): choose another with "
                               "--port") from None
        try:
            _check_free(backend_port)
        except RuntimeError:
            server.server_close()
            raise
        process = subprocess.Popen([node, str(project.root / SERVER)], cwd=folder, env=environment)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        try:
            _wait_for_port(backend_port, process)
            thread.start()
            yield f"http://{HOST}:{server.server_address[1]}/{ADMIN_DIR}/"
        finally:
            server.shutdown() if thread.is_alive() else None
            server.server_close()
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()


def main(argv: list[str] | None = None) -> int:
    """`clinic edit`: the editor for this copy of the project until Ctrl+C."""
    parser = argparse.ArgumentParser(prog="clinic edit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-f", "--config-file", help="the site's mkdocs.yml (default: found from this folder)")
    parser.add_argument("--port", type=int, default=8010, help="the editor's port (default 8010)")
    parser.add_argument("--backend-port", type=int, default=8081, help="decap-server's port (default 8081)")
    options = parser.parse_args(argv)
    project = project_module.for_command("clinic edit", options.config_file)
    if project is None:
        return 2
    # Stopped with SIGTERM as with Ctrl+C: leave the with-block, so decap-server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settings, _ = project_module.Settings.read(project)
    site = settings.site_dir if (settings.site_dir / "index.html").is_file() else None
    try:
        with session(project.root, options.port, options.backend_port, site) as url:
            print(f"The editor is at {url} (this computer only). It writes into {project.root}: run "
                  "`clinic check`, look at `git diff`, then commit. Stop it with Ctrl+C.", flush=True)
            if site is None:
                print("The preview shows plain text: run `clinic build` first for the site's own styles.")
            threading.Event().wait()
    except RuntimeError as error:
        print(f"clinic edit: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


__all__ = ["free_port", "main", "session"]
