"""The one static file server of the tests and developer tools: a built site on 127.0.0.1.

Plain by default. Options for what a real host does and some checks need: `gzip` compresses
text responses (Lighthouse judges transfer sizes), `headers` adds response headers chosen by
path (the shipped _headers rules, or linkchecker's unthrottling header), `host_404` answers a
missing file with the site's 404.html and never serves the _headers file itself.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = re.compile(r"^(text/|application/(json|javascript|xml|rss\+xml|manifest\+json)|image/svg\+xml)")
HeadersFor = Callable[[str], dict[str, str]]


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler, quiet, with the options of StaticServer (set on a subclass)."""

    use_gzip = False
    host_404 = False
    headers_for: HeadersFor | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def _path(self) -> str:
        return unquote(urlsplit(self.path).path)

    def send_head(self) -> BinaryIO | io.BytesIO | None:
        target = Path(self.translate_path(self.path))
        if self.host_404 and (self._path() == "/_headers" or not target.exists()):
            return self._send_bytes((Path(self.directory) / "404.html").read_bytes(), "text/html; charset=utf-8",
                                    status=404)
        if self.use_gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            if target.is_dir() and self._path().endswith("/"):
                target = target / "index.html"
            ctype = self.guess_type(str(target))
            if target.is_file() and COMPRESSIBLE.match(ctype):
                body = gzip.compress(target.read_bytes(), compresslevel=6, mtime=0)
                charset = "; charset=utf-8" if ctype.startswith("text/") else ""
                return self._send_bytes(body, ctype + charset, {"Content-Encoding": "gzip", "Vary": "Accept-Encoding",
                                                                "Cache-Control": "max-age=3600"})
        return super().send_head()

    def _send_bytes(self, body: bytes, ctype: str, extra: dict[str, str] | None = None,
                    status: int = 200) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        if self.headers_for is not None:
            for name, value in self.headers_for(self._path()).items():
                self.send_header(name, value)
        super().end_headers()


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that moves on mid-response closes the connection: not an error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class StaticServer:
    """Serves `folder` on 127.0.0.1 at a free port from a background thread; `url` has no
    trailing slash. Use as a context manager, or call close()."""

    def __init__(self, folder: Path, *, use_gzip: bool = False, headers_for: HeadersFor | None = None,
                 host_404: bool = False) -> None:
        options = {"use_gzip": use_gzip, "host_404": host_404,
                   # staticmethod: a plain function stored on the class would be bound to the handler.
                   "headers_for": staticmethod(headers_for) if headers_for else None}
        handler = type("Handler", (StaticHandler,), options)
        self._server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
