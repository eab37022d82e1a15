"""The walks of the build's own folders (clinic_site.folders): what os.walk and pathlib would find,
with no system call per entry, and never through a link."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic_site import folders
from clinic_site.postbuild import _staged_files
from clinic_site.project import remove_links


def _tree(root: Path, outside: Path) -> None:
    """Folders three deep, dotfiles, and every kind of entry a committed folder could hold."""
    (outside / "secret").mkdir(parents=True)
    (outside / "secret" / "key.txt").write_text("outside", encoding="utf-8")
    for folder in ("a/b/c", "a/.hidden", "d", "ünï/cödé"):
        (root / folder).mkdir(parents=True)
    for file in ("top.html", "a/one.md", "a/b/two.html", "a/b/c/three.png", "a/.hidden/x.md", "d/.dot",
                 "ünï/cödé/page.html"):
        (root / file).write_text(file, encoding="utf-8")
    (root / "a" / "to-file").symlink_to(outside / "secret" / "key.txt")
    (root / "a" / "b" / "to-folder").symlink_to(outside / "secret", target_is_directory=True)
    (root / "d" / "dangling").symlink_to(outside / "nothing-here")
    os.mkfifo(root / "d" / "pipe")


def _os_walk_files(root: Path) -> set[str]:
    found = set()
    for folder, _dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        found |= {name if relative == "." else f"{relative}/{name}" for name in names}
    return found


def test_files_are_what_os_walk_lists_and_no_link_is_entered(tmp_path):
    root, outside = tmp_path / "site", tmp_path / "outside"
    _tree(root, outside)
    listed = dict(folders.files(root))
    assert set(listed) == _os_walk_files(root)
    assert "a/b/to-folder" not in listed and not any(path.startswith("a/b/to-folder/") for path in listed)
    assert {"a/to-file", "d/dangling", "d/pipe", "ünï/cödé/page.html", "a/.hidden/x.md"} <= set(listed)
    assert all(Path(absolute) == root / path for path, absolute in listed.items())


def test_entries_list_each_folder_before_its_subfolders_and_a_missing_root_is_empty(tmp_path):
    root, outside = tmp_path / "site", tmp_path / "outside"
    _tree(root, outside)
    order = [path for path, _entry in folders.entries(root)]
    assert len(order) == len(set(order))
    for path in order:
        parent = path.rpartition("/")[0]
        if parent:
            assert order.index(parent) < order.index(path), f"{path} came before its folder"
    assert list(folders.entries(tmp_path / "missing")) == []


def test_staged_files_are_the_regular_files_without_dotfiles(tmp_path):
    root, outside = tmp_path / "staging", tmp_path / "outside"
    _tree(root, outside)
    expected = {path.relative_to(root).as_posix() for path in root.rglob("*")
                if path.is_file() and not path.is_symlink() and not path.name.startswith(".")}
    assert set(_staged_files(root)) == expected
    assert "a/.hidden/x.md" in expected and "d/.dot" not in expected


@pytest.mark.parametrize("keep_is_link", [False, True])
def test_remove_links_removes_every_link_and_odd_entry_and_keeps_the_kept_folder(tmp_path, keep_is_link):
    root, outside = tmp_path / "cache", tmp_path / "outside"
    _tree(root, outside)
    keep = root / "fonts"
    if keep_is_link:
        keep.symlink_to(outside / "secret", target_is_directory=True)
    else:
        keep.mkdir()
        (keep / "font-link").symlink_to(outside / "secret" / "key.txt")   # inside `keep`: left alone
    removed = {path.relative_to(root).as_posix() for path in remove_links(root, keep=keep)}
    assert removed == {"a/to-file", "a/b/to-folder", "d/dangling", "d/pipe"} | ({"fonts"} if keep_is_link else set())
    assert (outside / "secret" / "key.txt").read_text(encoding="utf-8") == "outside", "a link was followed"
    assert keep_is_link or (keep / "font-link").is_symlink()
    assert (root / "a" / "b" / "c" / "three.png").is_file() and (root / "ünï/cödé/page.html").is_file()
    assert not [path for path, entry in folders.entries(root) if entry.is_symlink() and not path.startswith("fonts/")]


def test_remove_links_removes_the_folder_itself_when_it_is_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("x", encoding="utf-8")
    folder = tmp_path / "stage"
    folder.symlink_to(outside, target_is_directory=True)
    assert remove_links(folder) == [folder]
    assert not folder.exists() and (outside / "keep.txt").is_file()
