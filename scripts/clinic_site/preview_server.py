"""The preview's web server (clinic_site.preview): the last finished build over HTTP, on this
computer only, with no engine behind it.

  - only files inside the folder being served: a path that climbs out of it ("/../", "%2e%2e") or
    a link that points out of it is "not found"; a folder's address serves its index.html, and a
    folder named without its last "/" is sent there, as MkDocs' preview does
  - a missing page gets the site's own 404.html, with status 404
  - every HTML page it sends carries one more line, in the response only (never in the files on
    disk): <script src="/.clinic-preview/reload.js">, which waits at /.clinic-preview/wait (a long
    poll, same origin, nothing from elsewhere) and reloads the page once a newer build is served
  - while the first build runs, or when it stopped, every address answers with a short page
    saying so (status 503), which reloads itself when there is a site to show
"""
from __future__ import annotations

import http.server
import ipaddress
import mimetypes
import os
import socket
import sys
import threading
import urllib.parse
from pathlib import Path

from clinic_site import guard
from clinic_site.problems import visible

PREFIX = "/.clinic-preview/"   # the preview's own addresses; a built site has no dot-folder at its top
WAIT_SECONDS = 25.0            # how long /.clinic-preview/wait holds a request before answering "no change"
RELOAD_SCRIPT = """\
(function () {
  var build = document.currentScript && document.currentScript.getAttribute("data-build");
  if (!build) return;
  function wait(delay) {
    setTimeout(function () {
      fetch("/.clinic-preview/wait?build=" + encodeURIComponent(build), {cache: "no-store"})
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
        .then(function (now) { if (now !== build) location.reload(); else wait(0); })
        .catch(function () { wait(1000); });   // the preview restarting or stopped: ask again in a second
    }, delay);
  }
  wait(0);
})();
"""
_WAITING_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                 "<body><main><h1>{title}</h1>{box}</main></body></html>")


class State:
    """What the server shows, shared between the builds (one thread) and the requests (one thread
    each): the folder of the last finished build (None before the first), a token naming that
    build ("<session>-<number>"; pages reload when it changes) and the preview's own problem box
    (HTML, "" when the last build finished)."""

    def __init__(self, session: str) -> None:
        self._changed = threading.Condition()
        self._session = session
        self._number = 0
        self.folder: Path | None = None
        self.notice = ""
        self.closed = False

    @property
    def token(self) -> str:
        return f"{self._session}-{self._number}"

    def show(self, folder: Path | None, notice: str = "") -> None:
        """Serve `folder` (None: keep the one served) with `notice` above each page; every open
        page reloads. The swap is one assignment: a request reads the old folder or the new one."""
        with self._changed:
            if folder is not None:
                self.folder = folder
            self.notice = notice
            self._number += 1
            self._changed.notify_all()

    def wait(self, token: str, seconds: float = WAIT_SECONDS) -> str:
        """The current token once it is not `token`, or after `seconds` (or once the server closes)."""
        with self._changed:
            self._changed.wait_for(lambda: self.token != token or self.closed, timeout=seconds)
            return self.token

    def close(self) -> None:
        """Answer every waiting request now (the preview is stopping)."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()


def locate(folder: Path, url_path: str) -> tuple[Path | None, str | None]:
    """The file inside `folder` that the address `url_path` ("/about/", percent-encoded as sent)
    names: (file, None); (None, "/about/") when it names a folder without its last "/" (send the
    browser there); (None, None) when there is none, or it would be outside `folder` once every
    "..", "%2e%2e" or symbolic link is followed."""
    text = urllib.parse.unquote(url_path)
    parts = [part for part in text.split("/") if part]
    if "\x00" in text or "\\" in text or any(part in (".", "..") for part in parts):
        return None, None
    root = os.path.realpath(folder)
    found = os.path.realpath(os.path.join(root, *parts))
    if os.path.isdir(found) and _within(found, root):
        if not url_path.endswith("/"):
            return None, url_path + "/"
        found = os.path.realpath(os.path.join(found, "index.html"))
    if not _within(found, root) or not os.path.isfile(found):
        return None, None
    return Path(found), None


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def with_reload(html: str, token: str, notice: str = "") -> str:
    """`html` as the preview sends it: the reload script's tag before </body> (or at the end), and
    the preview's own problem box `notice` at the top of the article."""
    if notice:
        html = guard.with_problem_box(html, notice)
    tag = f'<script src="{PREFIX}reload.js" data-build="{token}"></script>'
    at = html.lower().rfind("</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


def local_host(header: str) -> bool:
    """Whether a request's Host header names this computer (localhost, or an IP address with or
    without its port): a page of another site whose name was pointed at 127.0.0.1 (DNS rebinding)
    names its own host, and gets nothing from the preview, drafts included."""
    host = header.strip().lower()
    if host.startswith("["):   # [::1]:8000
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Handler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD of the served folder (see the module's docstring); the server is a `Server`."""

    server: Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass   # one line per rebuild is all the preview prints

    def _answer(self, with_body: bool) -> None:
        state = self.server.state
        if not local_host(self.headers.get("Host", "")):   # another site's name pointed here (DNS rebinding)
            return self._send(403, "text/plain; charset=utf-8", b"The preview answers only its own address\n",
                              with_body)
        address = urllib.parse.urlsplit(self.path)
        if address.path == PREFIX + "reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(), with_body)
        if address.path == PREFIX + "wait":
            token = urllib.parse.parse_qs(address.query).get("build", [""])[0]
            return self._send(200, "text/plain; charset=utf-8", state.wait(token).encode(), with_body)
        folder, token, notice = state.folder, state.token, state.notice   # one build's, whatever swaps meanwhile
        if folder is None:
            title = "The preview stopped: fix the problem below" if notice else "The preview is being built"
            page = with_reload(_WAITING_PAGE.format(title=title, box=notice), token)
            return self._send(503, "text/html; charset=utf-8", page.encode(), with_body)
        file, redirect = locate(folder, address.path)
        if redirect is not None:
            self.send_response(301)
            self.send_header("Location", redirect + (f"?{address.query}" if address.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        status = 200
        if file is None:
            status, (file, _) = 404, locate(folder, "/404.html")
        if file is None:
            return self._send(404, "text/plain; charset=utf-8", b"Not found\n", with_body)
        try:
            body = file.read_bytes()
        except OSError:   # removed by a newer build between the look-up and the read: ask again
            return self._send(503, "text/plain; charset=utf-8", b"Rebuilt meanwhile: reload\n", with_body)
        kind, encoding = mimetypes.guess_type(file.name)
        if kind is None or encoding is not None:   # form.html.gz is not a page: served as bytes, never run
            kind = "application/octet-stream"
        if kind == "text/html":
            body = with_reload(body.decode("utf-8", "replace"), token, notice).encode()
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        return self._send(status, kind, body, with_body)

    def _send(self, status: int, kind: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")   # a reload always shows the newest build
        self.end_headers()
        if with_body:
            self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    """The preview's server on (host, port): a browser that leaves a page mid-answer is no error,
    and anything else that stops an answer is one line, never a traceback. Raises OSError when
    the address cannot be used (clinic_site.preview.open_address says why first)."""

    daemon_threads = True

    def __init__(self, host: str, port: int, state: State) -> None:
        self.state = state
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), Handler)

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(visible(f"The preview could not answer a request: {type(error).__name__}: {error}"), flush=True)
