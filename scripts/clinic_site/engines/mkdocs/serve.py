"""The live preview with MkDocs' own server: each rebuild is a run in "serve" mode (the plugin's
events start and finish it), so a problem shows in a box on its page and the rest keeps serving.

It says what the Zensical preview says (clinic_site.preview), in the same words: where it is, then
after each build every problem as `clinic build` prints it and one line with what changed, how
long and how many problems (preview_lines.py, called by the plugin's events). MkDocs' own log lines
are not printed (what they say comes back as problems, as under `clinic build`).
"""
from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from clinic_site import preview
from clinic_site.engines.mkdocs import preview_lines
from clinic_site.project import Project, Settings


def serve(project: Project, *, dev_addr: str | None = None, open_in_browser: bool = False,
          say: Callable[[str], None] = preview.print_line) -> int:
    """Serve `project` at http://127.0.0.1:8000/ (or `dev_addr`) until Ctrl+C or SIGTERM; rebuilds on
    each save of a page, data file, template, clinic.yml or mkdocs.yml. Returns the exit status."""
    shown = project.shown(project.config_file)
    try:   # before the first build, in the words of the Zensical preview (MkDocs binds after it, with a traceback)
        host, port = preview.open_address(project, dev_addr)
        held = preview.listen_at(host, port)   # until MkDocs' server listens there (_held_until_bound)
    except ValueError as error:
        say(f"{shown}: the preview cannot start: {error}")
        return 1
    with _held_until_bound(held):
        return _serve(project, shown, host, port, dev_addr, open_in_browser, say)


def _serve(project: Project, shown: str, host: str, port: int, dev_addr: str | None, open_in_browser: bool,
           say: Callable[[str], None]) -> int:
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    from clinic_site.engines.mkdocs.engine import quiet_mkdocs, unreadable_settings

    for line in preview.address_lines("mkdocs", _address(project, host, port), host):
        say(line)
    settings_errors = _SettingsErrors()
    preview_lines.start(say, settings_errors.take)
    in_main = threading.current_thread() is threading.main_thread()
    terminate = signal.signal(signal.SIGTERM, _stop_on_terminate) if in_main else None
    try:
        with quiet_mkdocs(), settings_errors.attached():
            if dev_addr:
                mkdocs_serve.serve(config_file=str(project.config_file), livereload=True,
                                   open_in_browser=open_in_browser, dev_addr=dev_addr)
            else:
                mkdocs_serve.serve(config_file=str(project.config_file), livereload=True,
                                   open_in_browser=open_in_browser)
    except ConfigurationError as error:   # mkdocs.yml that MkDocs cannot read as YAML
        for problem in unreadable_settings(project, error):
            say(str(problem))
        say(f"{shown}: the preview cannot start: fix the problem above and start it again")
        return 1
    except (Abort, OSError) as error:   # OSError: the address taken during the first build
        refused = settings_errors.take()   # MkDocs' own check of mkdocs.yml, before the run
        for problem in unreadable_settings(project, error, refused) if refused else []:
            say(str(problem))
        said = preview_lines.stopped() or bool(refused)
        what = "fix the problems above and start it again" if said else " ".join(str(error).split())
        say(f"{shown}: the preview cannot start: {what}")
        return 1
    except KeyboardInterrupt:   # Ctrl+C or SIGTERM during the first build
        pass
    finally:
        preview_lines.start(None)
        if in_main:
            signal.signal(signal.SIGTERM, terminate)
    say("Preview stopped.")
    return 0


@contextlib.contextmanager
def _held_until_bound(held: socket.socket) -> Iterator[None]:
    """Keep the preview's address (`held`, listening) from the check before the first build until
    MkDocs' server listens there, which it does only once its first build is over: a second preview
    started meanwhile on the same address is told at once, in one line, that it is in use (it passed
    the check, built the whole site, printed every problem, then stopped on "Address already in use")."""
    from mkdocs import livereload

    bind = livereload.LiveReloadServer.server_bind

    def server_bind(server) -> None:
        held.close()   # the address is free for MkDocs' own socket (SO_REUSEADDR) the moment it binds
        bind(server)

    livereload.LiveReloadServer.server_bind = server_bind   # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        livereload.LiveReloadServer.server_bind = bind   # type: ignore[method-assign]
        held.close()


class _SettingsErrors(logging.Handler):
    """MkDocs' own check of mkdocs.yml, before a build's run starts (at the start and on each
    save): the errors it logs, kept to be said in `clinic build`'s words once it stops
    (engine.unreadable_settings), since MkDocs' log is not printed and it then says only "Aborted
    with a configuration error!"."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def take(self) -> list[str]:
        """The errors logged since the last take."""
        taken, self.messages = self.messages, []
        return taken

    @contextlib.contextmanager
    def attached(self) -> Iterator[None]:
        logger = logging.getLogger("mkdocs.config")
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)


def _stop_on_terminate(signum, frame) -> None:
    raise KeyboardInterrupt   # SIGTERM ends the preview as Ctrl+C does (MkDocs removes its folder)


def _address(project: Project, host: str, port: int) -> str:
    """The address MkDocs serves the site at: under site_url's path, as MkDocs mounts it."""
    settings, _problems = Settings.read(project)
    site_url = settings.get("site_url") if settings.data else None
    path = urlsplit(site_url).path.strip("/") if isinstance(site_url, str) else ""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/{path + '/' if path else ''}"
