"""Templates copied from Material, each kept as Material's original plus a patch (tests/test_partials.py).

A few templates in overrides/ are copies of Material's with a small change to the page's
structure that no block override or style can make and that is not left to a script (the
comment at the top of each says what). Each copy's change is kept as a unified diff against
Material's original in tests/material_patches/ (not beside the copy: MkDocs publishes every
non-HTML file of the theme folder with the site). tests/test_partials.py applies each patch to
the installed Material's original and compares the result with the committed copy, so a Material
upgrade that changes an original fails, naming the copy and the command that re-makes it.

Commands, from the project folder:
  .venv/bin/python tests/material_copies.py refresh [NAME ...]
      Rewrite the patch of each copy (or of NAME, for example partials/path.html) from Material's
      installed original and the committed copy. After editing a copy on purpose; a new copy
      gets its first patch this way.
  .venv/bin/python tests/material_copies.py rebase [NAME ...]
      After a Material upgrade: re-make each copy whose original changed (or NAME) from Material's
      new original and its patch, finding each change by the lines around it wherever they
      moved, then refresh its patch. Read `git diff overrides/` afterwards.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import sys
from dataclasses import dataclass
from importlib.metadata import version
from itertools import zip_longest
from pathlib import Path

import material as mkdocs_material

PROJECT_ROOT = Path(__file__).resolve().parents[1]   # the checkout (as tests.harness; this file also runs alone)
MATERIAL = Path(mkdocs_material.__file__).parent / "templates"
OVERRIDES = PROJECT_ROOT / "overrides"
PATCHES = PROJECT_ROOT / "tests" / "material_patches"
COMMAND = ".venv/bin/python tests/material_copies.py"


# ---- unified diffs: read, apply, write ----

HUNK_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
# What the first line of a patch records about the original it was made from (see make_patch).
MADE_FROM = re.compile(r"\tmkdocs-material ([^,\s]+), sha256 ([0-9a-f]{64})$")


class PatchError(Exception):
    """A hunk of a patch whose lines are not in the original (where the patch says they are)."""


@dataclass
class Hunk:
    start: int  # the hunk's first line in the original, counted from 1 (0: the original is empty)
    old: list[str]  # the lines it replaces, as in the original, each with its line ending
    new: list[str]  # the lines that replace them, as in the copy


@dataclass
class Patch:
    material_version: str | None  # None for a patch that does not record them (written by diff -u)
    sha256: str | None
    hunks: list[Hunk]


def parse_patch(text: str) -> Patch:
    """Read a unified diff of one file, as `diff -u` or make_patch writes it."""
    lines = text.splitlines(keepends=True)
    made_from = next((MADE_FROM.search(line.rstrip("\n")) for line in lines if line.startswith("--- ")), None)
    hunks: list[Hunk] = []
    i = 0
    while i < len(lines):
        header = HUNK_HEADER.match(lines[i])
        i += 1
        if not header:
            if hunks and lines[i - 1][:1] in (" ", "-", "+", "\\"):
                raise PatchError(f"line {i} of the patch is past the end of hunk {len(hunks)}: are its counts wrong?")
            continue
        old_count = int(header[2]) if header[2] is not None else 1
        new_count = int(header[4]) if header[4] is not None else 1
        hunk = Hunk(int(header[1]), [], [])
        last: list[list[str]] = []
        while i < len(lines) and (len(hunk.old) < old_count or len(hunk.new) < new_count
                                  or lines[i].startswith("\\")):
            line = lines[i]
            i += 1
            if line.startswith("\\"):  # "\ No newline at end of file": the line before has none
                for side in last:
                    side[-1] = side[-1].rstrip("\n")
                continue
            # An editor that strips trailing spaces leaves an empty context line as "".
            op, content = (line[0], line[1:]) if line.strip("\n") else (" ", "\n")
            if op not in " -+":
                raise PatchError(f"line {i} of the patch is not part of a hunk: {line!r}")
            last = [hunk.old] * (op in " -") + [hunk.new] * (op in " +")
            for side in last:
                side.append(content)
        hunks.append(hunk)
    return Patch(made_from[1] if made_from else None, made_from[2] if made_from else None, hunks)


def apply_patch(original: str, patch: Patch, *, relocate: bool = False) -> str:
    """The original with the patch's hunks applied. Each hunk must find its lines where the
    patch says; with relocate=True (for rebase), wherever they are nearest to that."""
    lines = original.splitlines(keepends=True)
    result: list[str] = []
    done = 0  # lines of the original used so far
    for number, hunk in enumerate(patch.hunks, 1):
        expected = hunk.start - 1 if hunk.old else hunk.start
        size = len(hunk.old)
        places = range(done, len(lines) - size + 1) if relocate else [expected]
        found = [at for at in places if at >= done and lines[at:at + size] == hunk.old]
        if not found:
            wanted = next((line for at, line in enumerate(hunk.old, expected)
                           if at >= len(lines) or lines[at] != line), "")
            raise PatchError(f"hunk {number}, lines {hunk.start}-{hunk.start + size - 1} of the original, no longer "
                             f"matches Material's file" + (f": it does not have {wanted.strip()!r} there"
                                                           if wanted else ""))
        at = min(found, key=lambda place: abs(place - expected))
        result += lines[done:at] + hunk.new
        done = at + size
    return "".join(result + lines[done:])


def make_patch(original: str, copy: str, name: str) -> str:
    """The copy's changes as a unified diff against Material's original (the format of `diff -u`),
    recording the Material version and the original's SHA-256 where diff puts the file's date."""
    made_from = f"mkdocs-material {version('mkdocs-material')}, sha256 {sha256(original)}"
    lines = difflib.unified_diff(original.splitlines(keepends=True), copy.splitlines(keepends=True),
                                 f"material/templates/{name}", f"overrides/{name}", made_from, n=3)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- the copies ----

def copies(patches: Path = PATCHES) -> list[str]:
    """The copied templates, by their path under overrides/ (partials/path.html): one per patch."""
    return sorted(p.relative_to(patches).as_posix().removesuffix(".patch") for p in patches.rglob("*.patch"))


def problem(name: str, material: Path = MATERIAL, overrides: Path = OVERRIDES, patches: Path = PATCHES) -> str | None:
    """Why the copy overrides/NAME is not Material's original plus its patch, or None if it is."""
    patch_file = (patches / f"{name}.patch").relative_to(patches.parent.parent).as_posix()
    if not (material / name).is_file():
        return (f"Material no longer has {name}, so overrides/{name} overrides nothing: see what Material does "
                f"instead, then delete the copy and {patch_file}.")
    original = (material / name).read_text(encoding="utf-8")
    patch = parse_patch((patches / f"{name}.patch").read_text(encoding="utf-8"))
    copy = (overrides / name).read_text(encoding="utf-8")
    try:
        patched: str | None = apply_patch(original, patch)
        failure = None
    except PatchError as error:
        patched, failure = None, str(error)
    # The recorded SHA-256 tells a new Material from a copy or patch edited here; a patch written
    # by hand with `diff -u` records none, and then only the comparison counts.
    changed = patch.sha256 is not None and sha256(original) != patch.sha256
    if patched == copy and not changed:
        return None
    if changed or patch.sha256 is None:
        return (f"Material changed {name}" + ("" if changed else " (or the copy was edited)")
                + f": overrides/{name} is a copy of it with the change in {patch_file}, made from mkdocs-material "
                f"{patch.material_version or '(not recorded)'}, and the installed mkdocs-material "
                f"{version('mkdocs-material')} has a different {name}"
                + (f" ({failure})" if failure else " (the patch still applies, but the copy has Material's old lines)")
                + f". Re-make the copy from Material's new file: `{COMMAND} rebase {name}`; then read "
                f"`git diff overrides/{name}` (Material's change may make ours unneeded, or need it elsewhere), "
                f"build the site and run the tests.")
    if failure:
        return (f"{patch_file} does not apply to Material's {name} ({failure}), although that file is the one "
                f"the patch was made from: the patch was edited by hand. Rewrite it from the copy: "
                f"`{COMMAND} refresh {name}`.")
    assert patched is not None
    line = next(n for n, (a, b) in enumerate(zip_longest(patched.splitlines(), copy.splitlines()), 1) if a != b)
    return (f"overrides/{name} is not Material's {name} plus {patch_file} (they differ from line {line}): "
            f"the copy was changed without its patch. If the change is meant, say so in the comment at the top "
            f"of the copy and rewrite the patch: `{COMMAND} refresh {name}`.")


def original_changed(name: str) -> bool:
    """Whether Material's original of NAME is not the one its patch was made from."""
    patch = parse_patch((PATCHES / f"{name}.patch").read_text(encoding="utf-8"))
    return sha256((MATERIAL / name).read_text(encoding="utf-8")) != patch.sha256


def refresh(name: str, material: Path = MATERIAL, overrides: Path = OVERRIDES, patches: Path = PATCHES) -> None:
    """Write the patch of overrides/NAME from Material's original and the copy."""
    patch = make_patch((material / name).read_text(encoding="utf-8"), (overrides / name).read_text(encoding="utf-8"),
                       name)
    (patches / f"{name}.patch").parent.mkdir(parents=True, exist_ok=True)
    (patches / f"{name}.patch").write_text(patch, encoding="utf-8")


def rebase(name: str, material: Path = MATERIAL, overrides: Path = OVERRIDES, patches: Path = PATCHES) -> None:
    """Re-make overrides/NAME from Material's original and the patch (changes found wherever
    their lines moved), then refresh the patch. PatchError if a change's lines are gone."""
    original = (material / name).read_text(encoding="utf-8")
    patch = parse_patch((patches / f"{name}.patch").read_text(encoding="utf-8"))
    (overrides / name).write_text(apply_patch(original, patch, relocate=True), encoding="utf-8")
    refresh(name, material, overrides, patches)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("refresh", "rebase"):
        print(__doc__)
        return 2
    command, names = argv[0], argv[1:]
    if not names:
        # rebase re-makes only the copies whose original changed, never one edited by hand.
        names = copies() if command == "refresh" else [name for name in copies() if original_changed(name)]
        if not names:
            print("nothing to re-make: each copy's original is still the one its patch was made from")
    for name in names:
        if not (MATERIAL / name).is_file() or not (OVERRIDES / name).is_file():
            print(f"{name}: both Material's templates/{name} and overrides/{name} must exist")
            return 1
        if command == "refresh":
            refresh(name)
            print(f"wrote tests/material_patches/{name}.patch")
            continue
        try:
            rebase(name)
        except PatchError as error:
            print(f"{name}: {error}. Make the change again by hand in overrides/{name}, starting from Material's "
                  f"new file (the old change is in tests/material_patches/{name}.patch), "
                  f"then `{COMMAND} refresh {name}`.")
            return 1
        print(f"re-made overrides/{name} from Material's new file; read `git diff overrides/{name}`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
