"""The files of docs/ as the stage takes them, and the staging folder it writes for the engine.

Everything the engine builds from is in the staging folder, and only what the stage put there:
the pages (with their computed front matter), the pages the site generates (the finder's, the
preview's problem pages), and the files published as they are. Data files (listings, the
vocabulary, the licensing boards, the claims table, the snippets) are read by the stage and never
staged, so no engine setting can publish them. A symbolic link anywhere in docs/ is refused and
never followed: it could publish a file from outside the project (the build's environment,
/etc/passwd).

The folder is written incrementally: a file whose bytes are unchanged is left alone, so the
preview's file watcher sees only real changes, and a file no longer staged is deleted.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from clinic_site.problems import INVISIBLE, Problem
from clinic_site.yamlfile import special_file

MANIFEST = ".clinic-stage.json"   # in the staging folder: what the stage wrote last time, by hash


# Files a browser runs as script whatever page loads them: never published from docs/ (issue 21).
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs")
# Compressed files: their content is never read by the output guard, and a host that serves
# precompressed copies (nginx's gzip_static, brotli_static) sends page.html.gz for page.html.
COMPRESSED_SUFFIXES = (".gz", ".br", ".zst", ".zstd")


@dataclasses.dataclass
class DocsFiles:
    """docs/ as found: Markdown pages and other files by their path inside docs/ ("guide/x.md"),
    each with its real path; the data files the stage reads; problems (symbolic links)."""

    pages: dict[str, Path]
    assets: dict[str, Path]
    problems: list[Problem]


def walk(docs_dir: Path, shown_docs: str, data: Iterable[Path]) -> DocsFiles:
    """Every file of `docs_dir` but dotfiles, dot-folders and the data files or folders `data`
    (absolute paths), without following any symbolic link: a link is a problem and is left out.
    shown_docs: docs/ as staff see it ("docs")."""
    skipped = {Path(os.path.abspath(path)) for path in data}
    pages: dict[str, Path] = {}
    assets: dict[str, Path] = {}
    problems: list[Problem] = []
    if not docs_dir.is_dir():
        return DocsFiles(pages, assets, [Problem(shown_docs, 1, "docs_dir", "the folder does not exist",
                                                 "create it, or set docs_dir in mkdocs.yml to the folder of pages")])
    for folder, dirs, names in os.walk(docs_dir, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            path = here / name
            if name.startswith(".") or path in skipped:
                dirs.remove(name)
            elif path.is_symlink():
                dirs.remove(name)
                problems.append(_link_problem(path, docs_dir, shown_docs))
            elif unpublishable(name):
                dirs.remove(name)
                problems.append(_name_problem(path, docs_dir, shown_docs))
        for name in names:
            path = here / name
            if name.startswith(".") or path in skipped:
                continue
            if unpublishable(name):
                problems.append(_name_problem(path, docs_dir, shown_docs))
                continue
            if path.is_symlink():
                problems.append(_link_problem(path, docs_dir, shown_docs))
                continue
            uri = path.relative_to(docs_dir).as_posix()
            if not path.is_file():   # a named pipe (reading it waits for good), a device, a socket
                problems.append(special_file(f"{shown_docs}/{uri}"))
                continue
            if name.lower().endswith(COMPRESSED_SUFFIXES):
                problems.append(Problem(f"{shown_docs}/{uri}", 1, "", "is a compressed file: the build cannot check "
                                        "what is inside, and some hosts serve about.html.gz in place of about.html",
                                        "publish the file itself, not compressed (hosts compress what they send)"))
                continue
            if name.lower().endswith(SCRIPT_SUFFIXES):
                problems.append(Problem(f"{shown_docs}/{uri}", 1, "", "is a script: nothing in docs/ may run in a "
                                        "visitor's browser (the site's own scripts are the theme's, in overrides/, "
                                        "which developers change)", "remove the file; if the site needs a new "
                                        "script, ask a developer to add it to overrides/assets/"))
                continue
            (pages if name.endswith(".md") else assets)[uri] = path
    return DocsFiles(dict(sorted(pages.items())), dict(sorted(assets.items())), problems)


def unpublishable(name: str) -> bool:
    """A file or folder name no address can carry as written: not UTF-8 text (Python reads such
    bytes as lone surrogates), or holding a control or invisible formatting character (a line
    break, a right-to-left override that shows "gpj.exe" as "exe.jpg"): Unicode categories Cc,
    Cf and Cs."""
    return any(unicodedata.category(character) in INVISIBLE for character in name)


def _name_problem(path: Path, docs_dir: Path, shown_docs: str) -> Problem:
    uri = path.relative_to(docs_dir).as_posix()   # Problem shows what cannot be printed (problems.visible)
    return Problem(f"{shown_docs}/{uri}", 1, "", "has a name no web address can carry as written (a byte that is "
                   "not UTF-8 text, or an invisible or control character, shown here as \\x.. or \\u....)",
                   "rename it with plain letters, digits, - and _")


def _link_problem(path: Path, docs_dir: Path, shown_docs: str) -> Problem:
    shown = f"{shown_docs}/{path.relative_to(docs_dir).as_posix()}"
    return Problem(shown, 1, "", "is a symbolic link: the site publishes only files that are really in docs/",
                   "replace the link with a copy of the file it points to (if that file belongs on the site)")


def write(staging: Path, texts: Mapping[str, str], copies: Mapping[str, Path]) -> int:
    """Make `staging` hold exactly `texts` ({path: text}) and `copies` ({path: file to copy}):
    unchanged files are left as they are, files no longer named are deleted. Returns how many
    files were written."""
    staging.mkdir(parents=True, exist_ok=True)
    manifest_file = staging / MANIFEST
    try:
        before: dict[str, str] = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    if not isinstance(before, dict) or not all(isinstance(uri, str) and _own_path(uri) for uri in before):
        before = {}   # not one this function wrote: it names nothing to delete (a committed "../../x" would)
    after: dict[str, str] = {}
    written = 0
    for uri, text in texts.items():
        data = text.encode("utf-8")
        stamp = "t" + hashlib.blake2b(data, digest_size=16).hexdigest()
        after[uri] = stamp
        target = staging / uri
        if before.get(uri) != stamp or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += 1
    for uri, source in copies.items():
        status = source.stat()
        stamp = f"c{status.st_size}:{status.st_mtime_ns}"
        after[uri] = stamp
        target = staging / uri
        if before.get(uri) != stamp or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written += 1
    for uri in set(before) - set(after):
        with contextlib.suppress(OSError):
            (staging / uri).unlink()
    _remove_empty_folders(staging)
    manifest_file.write_text(json.dumps(after), encoding="utf-8")
    return written


def _own_path(uri: str) -> bool:
    """A path this function could have staged: relative, with no '..', '.' or empty part."""
    parts = uri.split("/")
    return bool(uri) and "\\" not in uri and not uri.startswith("/") and \
        all(part not in ("", ".", "..") for part in parts)


def _remove_empty_folders(staging: Path) -> None:
    for folder, _dirs, _files in os.walk(staging, topdown=False):
        if Path(folder) != staging and not any(Path(folder).iterdir()):
            with contextlib.suppress(OSError):
                Path(folder).rmdir()
