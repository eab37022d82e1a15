"""The site search's index (issue 26): Pagefind, run over the built folder after the engine, so
it is the same whichever engine wrote the pages.

What is indexed: the article of each page the site's templates mark `data-pagefind-body`
(overrides/main.html: the pages staff write and the stage makes; not the blog's lists, the 404
page or the editor), without what they mark `data-pagefind-ignore` (the finder's controls, the
home page's ZIP form, the review box and disclaimer). The header, menus and footer are outside
the article. Pagefind folds accents itself ("cafe" finds "café") and splits the index into
chunks, so a browser fetches only the chunks a query needs (overrides/assets/search-text.js).

Written to `pagefind/` at the top of the site: the script the browser imports (pagefind.js), its
WebAssembly (wasm.<language>.pagefind), the index's entry and metadata (pagefind-entry.json,
*.pf_meta), chunks (index/*.pf_index) and each page's fragment (fragment/*.pf_fragment). Pagefind's
own UI files and its worker are removed: the site has its own small result list and runs the
search in the page (`noWorker`), which keeps what is downloaded before the first result small.
The published allowlist reads these files by a rule about this folder (clinic_site.published:
`PAGEFIND_FOLDER`).

The binary comes with the pinned `pagefind-bin` package (nothing is downloaded at build time).
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from clinic_site.problems import Problem

FOLDER = "pagefind"
# Pagefind's files the site does not use: its ready-made UIs, their styles, its highlighter and
# its web worker (the search runs in the page).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")
TIMEOUT_SECONDS = 600   # 20,000 listing pages index in well under a minute here
FIX = "ask a developer: reinstall the pinned packages (pip install --require-hashes -r requirements.lock)"


def executable() -> Path | None:
    """The Pagefind binary shipped by the pinned pagefind-bin package, or None without it."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def write(site_dir: Path, config_shown: str = "mkdocs.yml", docs_path: str = "docs",
          docs_dir: Path | None = None) -> list[Problem]:
    """Index the pages built in `site_dir` into `site_dir`/pagefind/ (an index left by an earlier
    build there is replaced); returns the problems met (the binary missing or failing, a folder of
    that name in the docs folder `docs_dir`, shown as `docs_path`), each named at `config_shown`
    (the settings file) or that folder, never a traceback."""
    output = Path(site_dir) / FOLDER
    for taken, what in ((FOLDER, "folder"), (f"{FOLDER}.md", "page")):   # pagefind.md is published at pagefind/
        if docs_dir is not None and (Path(docs_dir) / taken).exists():
            return [Problem(f"{docs_path}/{taken}", 1, "", f"is published at {FOLDER}/, where the site search's "
                            "index is written, so it may not be in the docs folder",
                            f"rename or remove the {what} {docs_path}/{taken}")]
    if output.is_dir():
        shutil.rmtree(output)
    binary = executable()
    if binary is None:
        return [Problem(config_shown, 1, "", "the site search could not be indexed: Pagefind's binary (the "
                        "pagefind-bin package) is not installed", FIX)]
    marked = marked_pages(site_dir)
    try:
        with _only(site_dir, marked) as folder:
            command = [str(binary), "--site", str(folder), "--output-path", str(output), "--silent"]
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return [Problem(config_shown, 1, "", f"the site search could not be indexed: Pagefind did not run "
                        f"({error.__class__.__name__}: {error})", FIX)]
    if done.returncode != 0 or not (output / "pagefind.js").is_file():
        said = " ".join((done.stderr or done.stdout or "").split())[:300] or f"exit status {done.returncode}"
        return [Problem(config_shown, 1, "", f"the site search could not be indexed: Pagefind stopped ({said})", FIX)]
    _remove_unused(output)
    return []


MARK = b"data-pagefind-body"


def marked_pages(site_dir: Path) -> list[str]:
    """The paths in the site ("guide/x/index.html") of the pages marked for the index: Pagefind
    indexes those only once any page is marked, so the others (20,000 listing pages) need not
    be handed to it at all (it would spend about 0.7 s per 1,000 pages reading them)."""
    found = []
    root = str(site_dir)
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if not (folder == root and name == FOLDER)]
        for name in names:
            if name.endswith((".html", ".htm")):
                path = os.path.join(folder, name)
                with open(path, "rb") as file:
                    if MARK in file.read():
                        found.append(os.path.relpath(path, root).replace(os.sep, "/"))
    return sorted(found)


@contextlib.contextmanager
def _only(site_dir: Path, pages: list[str]):
    """A folder holding only `pages` of `site_dir` (hard links, or copies where the file system
    has none), beside it, removed afterwards; `site_dir` itself when no page is marked (Pagefind
    then indexes every page's <body>)."""
    if not pages:
        yield site_dir
        return
    site_dir = Path(site_dir)
    try:
        folder = Path(tempfile.mkdtemp(prefix=".pagefind-pages-", dir=site_dir.parent))
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="pagefind-pages-"))
    try:
        for page in pages:
            target = folder / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / page, target)
            except OSError:
                shutil.copyfile(site_dir / page, target)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_unused(output: Path) -> None:
    """Leave in `output` only the files the site's search reads: no UI, no worker, and the
    WebAssembly of the languages the index holds (pagefind-entry.json) only."""
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    try:
        languages = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        wanted = {f"wasm.{language['wasm']}.pagefind" for language in languages.values()}
    except (OSError, ValueError, KeyError, TypeError):
        return
    for file in output.glob("wasm.*.pagefind"):
        if file.name not in wanted:
            file.unlink()
    playground = output / "playground"
    if playground.is_dir():
        shutil.rmtree(playground)


def files(site_dir: Path) -> list[str]:
    """The paths (in the site, "pagefind/index/en_1a2b3c4.pf_index") of the search's published
    files, sorted; [] before indexing."""
    output = Path(site_dir) / FOLDER
    return sorted(path.relative_to(site_dir).as_posix() for path in output.rglob("*") if path.is_file())

