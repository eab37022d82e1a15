"""Walking a folder the build owns (the staging folder, the site folder) without following links
and without a system call per entry.

`os.walk` asks the file system about every folder again before it enters it (an `lstat`, to
skip links), and `Path.is_file`, `is_dir` and `is_symlink` ask once per call. The site folder of
1,000 posts holds about 2,300 folders and 3,700 files, walked several times a build: some
10,000 calls (issue 20). `os.scandir` already says what each entry is (the file system's entry
type, read with the folder's listing), so the walks here read each folder once and nothing else.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def entries(root: Path | str) -> Iterator[tuple[str, os.DirEntry]]:
    """(path inside `root` with "/" between parts, entry) of everything under `root`, each
    folder's entries before those of its subfolders (as os.walk). A symbolic link is given as an
    entry and never entered; a folder that cannot be read is skipped, as os.walk skips it.
    Raises nothing for a missing `root` (no entries)."""
    folders = [("", os.fspath(root))]
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                found = list(listing)
        except OSError:
            continue
        inner = []
        for entry in found:
            path = prefix + entry.name
            yield path, entry
            if entry.is_dir(follow_symlinks=False):
                inner.append((path + "/", entry.path))
        folders.extend(reversed(inner))


def files(root: Path | str) -> Iterator[tuple[str, str]]:
    """(path inside `root` with "/", absolute path) of every entry under `root` that is not a
    folder: regular files, and links and other entries (as os.walk lists them among a folder's
    files; a link to a folder is neither listed nor entered)."""
    for path, entry in entries(root):
        if not entry.is_dir():   # follows a link: a link to a folder is a folder here, as in os.walk
            yield path, entry.path
