"""Which project a command works on, and its settings read as data.

A project is the folder that holds `mkdocs.yml`, found from the current folder by walking up
(as git finds `.git`), or named with `-f path/to/mkdocs.yml`. Never the folder this package was
installed from: a second checkout, or a clinic's CI that installs the package without `-e`,
works on its own files. Every cache a build keeps (`.cache/`) belongs to that project.

`Settings` is mkdocs.yml read as plain data with YAML's safe loader (tags such as `!ENV` or
`!!python/name:` are kept as their plain text, never run), and clinic.yml beside it, read as a
staff file (clinic_site.yamlfile): what the stage and the commands need to know. mkdocs.yml is the
developers' file: the engine reads it its own way (clinic_site.engines), with a loader that can
run code, so nothing staff edit is kept in it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from clinic_site import folders, yamlfile
from clinic_site.problems import Problem
from clinic_site.yamlfile import yaml_problem

__all__ = ["CLINIC_NAME", "CONFIG_NAME", "Project", "ProjectNotFound", "Settings", "load_config_text", "yaml_problem"]

CONFIG_NAME = "mkdocs.yml"
CLINIC_NAME = "clinic.yml"   # the clinic's details, beside mkdocs.yml: staff edit it, never mkdocs.yml


class ProjectNotFound(Exception):
    """No mkdocs.yml in the folder given, nor in any folder above it; the message says so."""


@dataclasses.dataclass(frozen=True)
class Project:
    """A clinic website project.

    root:        the folder of its settings file (absolute)
    config_file: its mkdocs.yml (absolute)
    """

    root: Path
    config_file: Path

    @classmethod
    def find(cls, config_file: str | os.PathLike | None = None, start: str | os.PathLike | None = None) -> Project:
        """The project of `config_file` (a path to mkdocs.yml, as `-f` gives it), else the first
        folder from `start` (default: the current folder) upwards that holds mkdocs.yml.
        Raises ProjectNotFound with a message for staff."""
        if config_file is not None:
            file = Path(config_file).expanduser().resolve()
            if file.is_dir():
                file = file / CONFIG_NAME
            if not file.is_file():
                raise ProjectNotFound(f"{config_file} does not exist: give the path of the site's {CONFIG_NAME}")
            return cls(file.parent, file)
        here = Path(start or os.getcwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls(folder, folder / CONFIG_NAME)
        raise ProjectNotFound(f"no {CONFIG_NAME} in {here} or any folder above it: run the command inside the "
                              f"site's folder, or name its settings with -f path/to/{CONFIG_NAME}")

    @property
    def clinic_file(self) -> Path:
        """clinic.yml, beside the settings file: the clinic's details, which staff edit."""
        return self.config_file.parent / CLINIC_NAME

    @property
    def cache_dir(self) -> Path:
        """The project's own cache folder (ZIP positions, social cards, the staged sources)."""
        return self.root / ".cache"

    def shown(self, path: str | os.PathLike) -> str:
        """`path` as staff see it in the repository: relative to the root, with "/"
        ("docs/guide/safety.md"); a path outside the project is shown whole."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return absolute.as_posix()

    def inside(self, path: str | os.PathLike) -> bool:
        """Whether `path`, with every symbolic link followed, is inside the project."""
        return Path(path).resolve().is_relative_to(self.root.resolve())


# ---------------------------------------------------------------- mkdocs.yml and clinic.yml as data
def for_command(prog: str, config_file: str | None) -> Project | None:
    """The project a `clinic` command (`prog`, "clinic check") works on: of `config_file` (-f),
    else found from the current folder upwards; None once the reason there is none is printed
    (the command then exits with status 2)."""
    try:
        return Project.find(config_file)
    except ProjectNotFound as error:
        print(f"{prog}: {error}")
        return None


def load_config_text(text: str) -> dict:
    """mkdocs.yml's text as plain data (tags kept as their plain values, within the limits of
    clinic_site.yamlfile). Raises yaml.YAMLError."""
    data = yamlfile.parse(text, yamlfile.SettingsLoader)
    return data if isinstance(data, dict) else {}


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the stage and the commands read from mkdocs.yml (the engine reads the rest) and the
    clinic's details from clinic.yml.

    data:        mkdocs.yml as plain data
    text:        its text (for line numbers)
    clinic:      clinic.yml as plain data (the clinic's name, address, hours...): {} when it cannot
                 be read, or, while mkdocs.yml still holds the old `extra: clinic:` block and there
                 is no clinic.yml, that block's values, so the rest of the run goes on
    clinic_text: clinic.yml's text ("" when it cannot be read)
    clinic_read: whether `clinic` is clinic.yml's own, to be checked field by field
                 (clinic_settings.check_clinic); when False its problem is already named
    """

    project: Project
    data: dict
    text: str
    clinic: dict = dataclasses.field(default_factory=dict)
    clinic_text: str = ""
    clinic_read: bool = False

    @classmethod
    def read(cls, project: Project) -> tuple[Settings, list[Problem]]:
        """The settings of `project`, and the problems of reading them (an unreadable mkdocs.yml
        gives empty settings and one problem naming its line and the fix; so does an unreadable,
        missing or misplaced clinic block)."""
        shown = project.shown(project.config_file)
        text, problems = yamlfile.read_text(project.config_file, shown)
        if text is None:
            return cls(project, {}, ""), problems
        try:
            data = load_config_text(text)
        except yaml.YAMLError as error:
            return cls(project, {}, text), [yaml_problem(error, shown, text)]
        clinic, clinic_text, clinic_read, problems = _read_clinic(project, data, text)
        return cls(project, data, text, clinic, clinic_text, clinic_read), problems

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def docs_dir(self) -> Path:
        return self.project.root / str(self.data.get("docs_dir") or "docs")

    @property
    def docs_path(self) -> str:
        """docs/ as staff see it ("docs")."""
        return self.project.shown(self.docs_dir)

    @property
    def site_dir(self) -> Path:
        """mkdocs.yml's site_dir, or site/; the project's own site/ when the setting leads out of the
        project (stage.settings names it and the run stops; nothing outside is emptied or written)."""
        folder = self.project.root / str(self.data.get("site_dir") or "site")
        return folder if inside(self.project.root, folder) else self.project.root / "site"

    @property
    def site_url(self) -> str:
        """site_url ending in "/" ("https://example.org/"), or "/" when it is not set."""
        value = self.data.get("site_url")
        return str(value).rstrip("/") + "/" if value else "/"

    @property
    def use_directory_urls(self) -> bool:
        """Always True: `use_directory_urls: false` is refused, naming the setting
        (clinic_site.stage.settings.engine_setting_problems), and the run goes on with folder addresses, as
        the engine then builds (engines/mkdocs/plugin.py on_config), so that is the one problem named."""
        return True

    @property
    def site_name(self) -> str:
        """The site's name: the clinic's name from clinic.yml (the engine's site_name and
        site_author are set from it), else mkdocs.yml's site_name."""
        name = self.clinic.get("name")   # as clinic_settings.clinic_details reads it
        return str(name) if name not in (None, "") else str(self.data.get("site_name") or "")

    @property
    def extra(self) -> dict:
        extra = self.data.get("extra")
        return extra if isinstance(extra, dict) else {}

    def plugin(self, name: str) -> dict | None:
        """The options of plugin `name` as written under `plugins:` ({} when listed without
        options), or None when it is not listed."""
        for entry in self.data.get("plugins") or []:
            if entry == name:
                return {}
            if isinstance(entry, dict) and name in entry:
                options = entry[name]
                return options if isinstance(options, dict) else {}
        return None

    def line_of(self, needle: str) -> int:
        """The first line of mkdocs.yml holding `needle`, or 1."""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if needle in line:
                return number
        return 1


def _read_clinic(project: Project, config: dict, config_text: str) -> tuple[dict, str, bool, list[Problem]]:
    """clinic.yml as (data, text, read, problems), read as a staff file (clinic_site.yamlfile).
    MkDocs loads mkdocs.yml with a loader that can build Python objects, so the clinic's details,
    which staff edit, may not be there: a mkdocs.yml that still holds `extra: clinic:` gets one
    problem saying to move the block, and, without a clinic.yml, the run goes on with its values."""
    problems = []
    extra = config.get("extra")
    old = extra.get("clinic") if isinstance(extra, dict) else None
    if isinstance(extra, dict) and "clinic" in extra:
        root = yamlfile.compose(config_text, yamlfile.SettingsLoader)
        problems.append(Problem(
            project.shown(project.config_file), yamlfile.node_line(root, "extra", "clinic"), "extra.clinic",
            f"holds the clinic's details, which now belong in {CLINIC_NAME} beside it ({CONFIG_NAME} is read in a "
            "way that can run code, so only developers change it)",
            f"move the block: cut the lines below `clinic:` into {CLINIC_NAME}, without their indentation, write out "
            f"each value given as *name (such as *clinic_name), then delete `clinic:` (see CHANGELOG.md)"))
    file = project.clinic_file
    shown = project.shown(file)
    if not file.exists() and not file.is_symlink():
        if not problems:
            problems.append(Problem(shown, 1, "", "does not exist: the clinic's details (name, address, phone, "
                                    "hours and the rest) are read from it",
                                    f"create {CLINIC_NAME} beside {CONFIG_NAME}: copy the sample's from the repository "
                                    "and fill it in (the README lists every field)"))
        return (old if isinstance(old, dict) else {}), "", False, problems
    data, text, found = yamlfile.load_file(file, shown)
    if found:
        return {}, text or "", False, problems + found
    if not isinstance(data, dict):
        what = "is empty" if data is None else "must be `name: value` lines, one per detail of the clinic"
        return {}, text or "", False, problems + [Problem(shown, 1, "", what, "write the clinic's details as "
                                                          "`name: value` lines (the README lists every field), "
                                                          "each at the start of its line")]
    return data, text or "", True, problems


def replace_file(file: Path, data: bytes) -> None:
    """Write `data` to `file` whole: first under a new name no one can guess beside it (made with
    O_EXCL by tempfile), then renamed over it. A link a contributor committed at `file`, or under
    any name beside it, is replaced, never written through to where it points; a reader never
    sees half a file. Raises OSError."""
    descriptor, partial = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(partial, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def read_regular(file: Path) -> bytes | None:
    """The bytes of `file` when it is a regular file, else None: a link (followed by nothing here),
    a device such as /dev/zero, a folder or a missing file. For the caches a contributor could
    commit a link or device in place of (the pair of replace_file)."""
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(descriptor, "rb") as source:
            return source.read() if stat.S_ISREG(os.fstat(source.fileno()).st_mode) else None
    except OSError:
        return None


def inside(root: Path, path: Path) -> bool:
    """Whether `path` is `root` or lies under it, with every link followed (a folder committed
    as a link to elsewhere is not inside)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def remove_links(folder: Path, keep: Path | None = None) -> list[Path]:
    """Make `folder`, one of the build's own working folders under .cache/ (the staging folder,
    the social cards' cache), hold nothing the build could follow out of the project: every
    symbolic link in it (and anything else that is neither a folder nor a regular file: a pipe,
    a device) is removed, the link itself and never what it points to, and so is `folder` itself
    when it is a link. The build then writes, reads and deletes there without following a link a
    contributor committed (a staged page linked to a file in their home folder would be written
    through). `keep`: a folder inside `folder` left untouched (committed files: the card fonts,
    whose links the stage refuses by name). Returns what was removed."""
    removed: list[Path] = []
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
        return [folder]
    kept = None if keep is None else os.path.relpath(keep, folder).replace(os.sep, "/") + "/"
    for inner, entry in folders.entries(folder):   # never enters a link; one listing a folder, no stat an entry
        if kept is not None and inner.startswith(kept):   # inside `keep` (itself is checked, as any entry)
            continue
        if entry.is_symlink() or not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)):
            Path(entry.path).unlink()
            removed.append(Path(entry.path))
    return removed


def open_lock(lock: Path) -> int | None:
    """An open descriptor of the lock file `lock` (made if missing, a link committed in its place
    removed, never followed), holding an exclusive POSIX advisory lock (fcntl.flock) until it is
    closed: the caller's turn among processes of this machine. None where there are no such locks
    (Windows): nothing is serialized there. Raises OSError when the file cannot be opened."""
    try:
        import fcntl
    except ImportError:   # pragma: no cover - not POSIX
        return None
    lock.parent.mkdir(parents=True, exist_ok=True)
    if lock.is_symlink():
        lock.unlink()
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


@contextlib.contextmanager
def locked(lock: Path) -> Iterator[None]:
    """Hold `lock` (open_lock) while the block runs."""
    descriptor = open_lock(lock)
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)


def user_secret(project_root: Path | None = None) -> bytes | None:
    """This user's 32-byte secret for the cache's keys and the file's seal, made on first use in
    a private folder: $XDG_CACHE_HOME/clinic-site/ when that is an absolute path (the XDG rule:
    a relative one is ignored), else ~/.cache/clinic-site/. None where none can be kept safe: the
    folder lies inside the project at `project_root` (where a contributor could commit one), the
    folder or the key is someone else's, a link, or others may write to the folder or read or
    write the key, or it cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    folder = (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "clinic-site"
    file = folder / "reading-key"
    try:
        if project_root is not None and inside(project_root, folder):
            return None
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for path, others in ((folder, stat.S_IWGRP | stat.S_IWOTH), (file, 0o077)):
            if path is file and not os.path.lexists(file):
                _make_key(file)
            info = path.lstat()
            if info.st_uid != os.getuid() or info.st_mode & others or stat.S_ISLNK(info.st_mode):
                return None
        key = file.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def _make_key(file: Path) -> None:
    """A new random key at `file`, whole from the start: written under a name of its own (mkstemp:
    0600, O_EXCL), then linked in place. Another process that made one first keeps its own, and
    nobody reads half a key (a key written in place was read empty by a second process starting
    at the same moment, which then kept its caches nowhere)."""
    descriptor, partial = tempfile.mkstemp(dir=file.parent, prefix=".reading-key.")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(os.urandom(32))
        with contextlib.suppress(FileExistsError):
            os.link(partial, file)
    finally:
        os.unlink(partial)


def seal(payload: bytes, secret: bytes) -> bytes:
    """The keyed BLAKE2b of `payload`, hex: the first line of a sealed cache file (write_sealed)."""
    return hashlib.blake2b(payload, key=secret, digest_size=32).hexdigest().encode("ascii")


def write_sealed(file: Path, payload: bytes, secret: bytes) -> None:
    """`payload` written to the cache `file` (replace_file) under a first line sealing it with this
    user's `secret` (user_secret): read_sealed gives it back, and nothing else. Raises OSError."""
    replace_file(file, seal(payload, secret) + b"\n" + payload)


def read_sealed(file: Path, secret: bytes) -> bytes | None:
    """The payload of the cache `file` when it is a regular file (not a link, a device or a folder)
    that this user's `secret` sealed (write_sealed), else None. What a contributor wrote or changed
    there is never parsed: without the secret, no seal matches."""
    sealed, _, payload = (read_regular(file) or b"").partition(b"\n")
    return payload if hmac.compare_digest(sealed, seal(payload, secret)) else None
