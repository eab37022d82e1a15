"""`clinic serve` for an engine without a preview of its own (Zensical): the live preview, built by
the same run as `clinic build` (clinic_site.pipeline, "serve" mode: a problem shows in a box on its
page and the rest keeps serving) and served by clinic_site.preview_server. Nothing here imports an
engine: the engine's adapter calls `serve`.

  - each build goes into a fresh folder (.cache/preview/<engine>-<session>/build-<n>/, or a temporary
    folder when .cache is not the project's own); the server swaps to it only once it is finished,
    so a visitor never sees a half-written site; the build before it stays a little (a page being
    sent from it), older ones are removed, and the whole session folder when the preview stops
  - it watches docs/ (with its snippets folder, docs/.snippets), overrides/ (or the theme's
    custom_dir), clinic.yml and mkdocs.yml, as MkDocs' preview does, by reading each file's time and
    size twice a second (less often on a site so large that looking takes over 50 ms; no
    dependency); a burst of saves is one rebuild
  - open pages reload after each rebuild (preview_server's reload script)
  - after each build, every problem as `clinic build` prints it, then one line: what changed, how
    long, how many problems (built_lines, MkDocs' preview says the same); Ctrl+C (or SIGTERM) ends it
    with status 0 (during a build, once it is over: Zensical cannot be stopped halfway without
    ending the process; a second Ctrl+C ends it at once); a build that stops on something
    unforeseen is one problem, shown in a box on the pages of the last good build, which keeps serving
"""
from __future__ import annotations

import contextlib
import errno
import ipaddress
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path

from clinic_site import pipeline, render
from clinic_site.preview_server import Server, State
from clinic_site.problems import Problem, errors, report_lines, visible
from clinic_site.project import Project, Settings

DEFAULT_ADDRESS = "127.0.0.1:8000"
POLL_SECONDS = 0.5    # how often the watched files are looked at
QUIET_SECONDS = 0.3   # a change is built once nothing more changed for this long (a burst of saves: one build)
ENGINE_NAMES = {"mkdocs": "MkDocs", "zensical": "Zensical"}
_EDITOR_FILES = ("~", ".swp", ".swx", ".swo", ".tmp")   # editors' own files beside a page: no rebuild
Snapshot = dict[str, tuple[int, int]]   # path -> (modification time in ns, size in bytes)


def parse_address(text: str | None) -> tuple[str, int]:
    """(host, port) of --dev-addr `text`, read as MkDocs reads it: "IP:PORT", "localhost:PORT" or
    "[IPv6]:PORT"; 127.0.0.1:8000 when None or "". Port 0 means any free port. Raises ValueError
    saying, in one line, what is wrong."""
    value = text or DEFAULT_ADDRESS
    if ":" not in value:
        raise ValueError(f"'{value}' is not IP:PORT, such as {DEFAULT_ADDRESS}")
    host, port = value.rsplit(":", 1)
    if host != "localhost":
        host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
        try:
            host = str(ipaddress.ip_address(host))
        except ValueError:
            raise ValueError(f"'{host}' is not an IP address, such as 127.0.0.1") from None
    if not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise ValueError(f"'{port}' is not a port number (0 to 65535)")
    return host, int(port)


def open_address(project: Project, text: str | None) -> tuple[str, int]:
    """(host, port) of --dev-addr `text`, else of mkdocs.yml's dev_addr, as MkDocs takes them (see
    parse_address), once this computer can listen there now. Raises ValueError saying, in one line,
    why it cannot: "--dev-addr 'x' is not IP:PORT…", "127.0.0.1:8000: it is in use…"; both engines'
    previews print it before building anything."""
    if not text:
        settings, _problems = Settings.read(project)
        configured = settings.get("dev_addr") if settings.data else None
        text = configured if isinstance(configured, str) else None
    try:
        host, port = parse_address(text)
    except ValueError as error:
        raise ValueError(f"--dev-addr {error}") from None
    listen_at(host, port).close()
    return host, port


def listen_at(host: str, port: int) -> socket.socket:
    """A socket listening at (host, port), as the servers listen (SO_REUSEADDR): held, a second
    preview's open_address finds the address in use. Raises ValueError saying why it cannot."""
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the servers do
        listener.bind((host, port))
        listener.listen(1)
    except OSError as error:
        listener.close()
        reason = "it is in use" if error.errno == errno.EADDRINUSE else (error.strerror or str(error)).lower()
        raise ValueError(f"{host}:{port}: {reason} (choose another with --dev-addr)") from None
    return listener


def watched(project: Project) -> list[Path]:
    """What a change rebuilds the preview for: mkdocs.yml, clinic.yml, the docs folder (with its
    snippets folder, docs/.snippets) and the theme's overrides (overrides/ and the theme's
    custom_dir when it is inside the project). Paths that do not exist yet are watched too."""
    settings, _problems = Settings.read(project)
    docs = settings.docs_dir if settings.data else project.root / "docs"
    found = [project.config_file, project.clinic_file, docs, project.root / "overrides"]
    theme = settings.get("theme") if settings.data else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and custom and project.inside(project.root / custom):
        found.append(project.root / custom)
    return list(dict.fromkeys(Path(os.path.abspath(path)) for path in found))


def snapshot(paths: list[Path]) -> Snapshot:
    """Every file at or under `paths` (links not followed, editors' backup and swap files left
    out), with its modification time and size."""
    seen: Snapshot = {}

    def look(path: str) -> None:
        with contextlib.suppress(OSError):
            state = os.lstat(path)
            seen[path] = (state.st_mtime_ns, state.st_size)

    for path in paths:
        if not path.is_dir() or path.is_symlink():
            look(str(path))
            continue
        for folder, _folders, names in os.walk(path):
            for name in names:
                if not (name.endswith(_EDITOR_FILES) or name.startswith(".#")):
                    look(os.path.join(folder, name))
    return seen


def changes(project: Project, before: Snapshot, after: Snapshot) -> str:
    """What changed between two snapshots, in a few words: "docs/about.md changed",
    "docs/a.md and 2 more changed"; "nothing" when nothing did."""
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    if not changed:
        return "nothing"
    more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
    return f"{project.shown(changed[0])}{more} changed"


def address_lines(engine: str, url: str, host: str) -> list[str]:
    """What either engine's preview says first: where it is, and a note when other computers can open it."""
    lines = [f"Previewing with {ENGINE_NAMES.get(engine, engine)} at {url} (Ctrl+C to stop)"]
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        lines.append(f"Note: at {host}, other computers on the network can open the preview, drafts included; "
                     "use --dev-addr 127.0.0.1:8000 to keep it on this computer")
    return lines


def built_lines(why: str, problems: list[Problem], seconds: float) -> list[str]:
    """What either engine's preview says after each build: every problem as `clinic build` prints
    it, then what changed ("First build", "docs/x.md changed"), how long, and how many problems."""
    found = errors(problems)
    warnings = len(problems) - len(found)
    return [*report_lines(problems), f"{why}: built in {seconds:.1f} s, "
            + (f"{_plural(len(found), 'problem')} (in a box on their pages)" if found else "no problems")
            + (f", {_plural(warnings, 'warning')}" if warnings else "")]


def print_line(line: str) -> None:
    print(visible(line), flush=True)   # at once, even into a pipe or a log file; a file's name can act on no terminal


def _seconds(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Preview:
    """The builds of one preview: `build` makes the next one and has `state` serve it once
    finished; `watch` rebuilds after each change. Lines for staff go to `say`."""

    def __init__(self, project: Project, engine: str, state: State, folder: Path,
                 say: Callable[[str], None] = print_line) -> None:
        self.project, self.engine, self.state, self.folder, self.say = project, engine, state, folder, say
        self.builds = 0
        self.paths: list[Path] = []
        self.seen: Snapshot = {}

    def build(self, why: str) -> bool:
        """Build the site into a fresh folder and serve it; `why` starts the line printed ("docs/x.md
        changed"). False when the build stopped on something unforeseen: the last good build keeps
        serving, with that problem in a box on each page (or on a page of its own before any)."""
        self.paths = watched(self.project)
        self.seen = snapshot(self.paths)   # a save from now on is seen, even during the build
        self.builds += 1
        target = self.folder / f"build-{self.builds}"
        started = time.perf_counter()
        caught: list[int] = []
        try:
            with _signals_held(self._stop_now) as caught:
                run = pipeline.build(self.project, target, engine=self.engine, mode="serve")
        except Exception as error:  # noqa: BLE001 - staff get a line and a box, never a traceback
            if caught:
                raise KeyboardInterrupt from None
            shutil.rmtree(target, ignore_errors=True)
            what = f"{type(error).__name__}: {error}".split("\nTraceback", 1)[0]   # one line, no traceback
            what = " ".join(what.replace(str(self.folder), "the preview's folder").split())
            problem = Problem(self.project.shown(self.project.config_file), 1, "",
                              f"the preview's build stopped: {what}", "undo the last change, or ask a developer "
                              "(the preview shows the last build that finished)")
            self.state.show(None, render.problem_box([problem]))
            self.say(f"{why}: the build stopped after {_seconds(started)}: {what}; "
                     + ("still serving the last build" if self.state.folder else "fix it and save again"))
            return False
        if caught:   # Ctrl+C during the build: stop now it is over
            raise KeyboardInterrupt
        served = self.state.folder   # kept a little: a page may still be being sent from it
        self.state.show(target)
        self._remove_old(keep={target.name, served.name if served is not None else ""})
        for line in built_lines(why, run.problems, time.perf_counter() - started):
            self.say(line)
        return True

    def _stop_now(self) -> None:
        """A second Ctrl+C during a build: remove this preview's folder and end the process at once."""
        shutil.rmtree(self.folder, ignore_errors=True)
        os._exit(0)

    def _remove_old(self, keep: set[str]) -> None:
        for old in self.folder.glob("build-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild after each change of the watched files (once a burst of saves is over), until
        Ctrl+C raises KeyboardInterrupt or `stop` is set."""
        stop = stop or threading.Event()
        interval = POLL_SECONDS
        while not stop.wait(interval):
            started = time.perf_counter()
            now = snapshot(self.paths)
            # A large site (70 ms a look at 25,000 files) is looked at less often: at most a tenth of a CPU.
            interval = max(POLL_SECONDS, 10 * (time.perf_counter() - started))
            if now == self.seen:
                continue
            while not stop.wait(QUIET_SECONDS):
                later = snapshot(self.paths)
                if later == now:
                    break
                now = later
            if not stop.is_set():
                self.build(changes(self.project, self.seen, now))


@contextlib.contextmanager
def _signals_held(stop_now: Callable[[], None]) -> Iterator[list[int]]:
    """Ctrl+C and SIGTERM while an engine builds in this process: Zensical ends the whole process
    (status 0, nothing cleaned up) when a signal handler raises inside it, so during the build the
    first signal is only noted in the list yielded (the caller stops once the build is over) and a
    second calls `stop_now`, which ends the process. Outside the main thread, signals are left be."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    terminal = os.dup(1)   # where staff read, even while the engine's own output is hidden

    def note(signum, frame) -> None:
        caught.append(signum)
        if len(caught) == 1:
            os.write(terminal, b"Stopping once this build is over (Ctrl+C again to stop now)\n")
        else:
            os.write(terminal, b"Preview stopped.\n")
            stop_now()

    saved = {number: signal.signal(number, note) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield caught
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        os.close(terminal)


@contextlib.contextmanager
def session_folder(project: Project, engine: str) -> Iterator[Path]:
    """A folder of this preview's own for its builds, removed when it stops: in the project's
    .cache/preview/ (a temporary folder when .cache is a link or not a folder). Folders there of
    previews that ended without removing theirs (the computer stopped) are removed; a running
    preview's folder is held (a POSIX lock), so two previews of one project never share one."""
    cache = project.cache_dir
    base: Path | None = cache / "preview"
    if any(path.is_symlink() or (path.exists() and not path.is_dir()) for path in (cache, cache / "preview")):
        base = None   # never write through a link, wherever it points
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
        _remove_stale(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{engine}-", dir=base))
    held = _hold(folder / ".lock")
    try:
        yield folder
    finally:
        if held is not None:
            os.close(held)
        shutil.rmtree(folder, ignore_errors=True)


def _hold(lock: Path) -> int | None:
    """An open descriptor holding `lock` (fcntl.flock) while this preview runs; None without POSIX locks."""
    try:
        import fcntl
    except ImportError:   # pragma: no cover - not POSIX: stale folders are left
        return None
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _remove_stale(base: Path) -> None:
    try:
        import fcntl
    except ImportError:   # pragma: no cover - not POSIX
        return
    for folder in base.iterdir():
        if folder.is_symlink() or not folder.is_dir():
            continue
        try:
            descriptor = os.open(folder / ".lock", os.O_RDWR | os.O_NOFOLLOW)
        except OSError:   # no lock yet: a preview starting this very moment, or one that never got going
            with contextlib.suppress(OSError):   # or gone: another preview starting removed it first
                if time.time() - folder.stat().st_mtime > 60:
                    shutil.rmtree(folder, ignore_errors=True)
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:   # held: that preview is running
            continue
        finally:
            os.close(descriptor)
        shutil.rmtree(folder, ignore_errors=True)


def _stop_on_terminate(signum, frame) -> None:
    raise KeyboardInterrupt   # SIGTERM ends the preview as Ctrl+C does


def serve(project: Project, *, engine: str, dev_addr: str | None = None, open_in_browser: bool = False,
          say: Callable[[str], None] = print_line) -> int:
    """Preview `project` built with `engine` ("zensical", or "mkdocs") at http://127.0.0.1:8000/ (or
    `dev_addr`, "IP:PORT", or mkdocs.yml's dev_addr) until Ctrl+C or SIGTERM, rebuilding after each
    change. Returns the exit status: 0 once stopped, 1 when it cannot start (open_address: a bad
    address, or one in use), said in one line."""
    shown = project.shown(project.config_file)
    try:
        host, port = open_address(project, dev_addr)
    except ValueError as error:
        say(f"{shown}: the preview cannot start: {error}")
        return 1
    with session_folder(project, engine) as folder:
        state = State(folder.name)
        try:
            server = Server(host, port, state)
        except OSError as error:   # taken since open_address looked
            say(f"{shown}: the preview cannot start: {host}:{port}: {error.strerror or error}")
            return 1
        threading.Thread(target=server.serve_forever, name="clinic-preview", daemon=True).start()
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{server.server_port}/"
        terminate = signal.getsignal(signal.SIGTERM)
        in_main = threading.current_thread() is threading.main_thread()
        if in_main:
            signal.signal(signal.SIGTERM, _stop_on_terminate)
        try:
            for line in address_lines(engine, url, host):
                say(line)
            preview = Preview(project, engine, state, folder, say)
            preview.build("First build")
            if open_in_browser:
                webbrowser.open(url)
            preview.watch()
        except KeyboardInterrupt:
            pass
        finally:
            state.close()
            server.shutdown()
            server.server_close()
            if in_main and terminate is not None:
                signal.signal(signal.SIGTERM, terminate)
    say("Preview stopped.")
    return 0
