"""What the post-build stage's parsers read in each built page, remembered for the next run.

The guard's reading of a page (clinic_site.published.read_html: every element against the
allowlist, the inline code, ids and links) and the site search's (site_search.read_page) depend
only on the page's text, its place in the site, the site's own code (guard.SiteCode) and the
code that reads them. A rebuild writes most pages exactly as before (`clinic serve` rebuilds on
every save; CI keeps `.cache/`), and reading them again was most of the post-build stage: at
1,000 posts, 1.3 s of CPU of its 2.4 s (parsing 0.5 s, the guard's walk 0.45 s, the search's
reading 0.37 s).

So each page's two readings are remembered in the project's cache (`.cache/readings.json`)
under a key made from all of the above: any change to the page, its place, the site's code or
the reading code's files reads it afresh. Only what the parsers read is remembered, never a
verdict: what a page may hold is judged from its reading on every run (guard.OutputGuard.judge),
so a page with a finding is named, at its source line, every time.

The file lies in the project's folder, where anyone who can commit can put one, so nothing in it
is trusted that this machine did not write. Its first line seals the rest: a BLAKE2b keyed with a
secret kept outside the project, in a folder only this user can write (`~/.cache/clinic-site/`,
mode 0700; never a folder inside the project, where a key could be committed; the key itself
0600). A file that is not a regular file (a link, a device) or whose seal does not match is never
parsed. The pages' keys are keyed with the same secret, and the search index's files are written
only under the names site_search.index_files gives. The file is written under a fresh name and
renamed over the old one (project.replace_file), so a link committed there or beside it is
replaced, never written through. Where no private folder can be made, nothing is remembered.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import selectolax

from clinic_site import guard, published, text_normalize
from clinic_site.postbuild import search_terms, site_search
from clinic_site.project import inside, read_sealed, write_sealed

FILE = "readings.json"   # in the project's .cache/: the MkDocs build's (file_for)


def file_for(engine: str) -> str:
    """The readings file of an engine's builds, in the project's .cache/: one each, as the two
    engines write different pages (and the site's code is in every key), so a build with one
    engine leaves the other's readings as they were ("readings.json", "readings-zensical.json")."""
    return FILE if engine == "mkdocs" else f"readings-{re.sub(r'[^a-z0-9]+', '-', engine.lower())}.json"
FORMAT = "4"
# The fields of a reading that are lists of strings: the file keeps each string once (the menu's
# links and ids repeat on every page), and each entry the places of its own.
STRINGS = ("scripts", "styles", "ids", "repeated", "refs", "script_files")
# The code that reads a page: a change to any of these files (or to the Python, its Unicode data or
# the HTML parser running them) reads every page afresh.
READERS = (*(str(path) for path in sorted(Path(published.__file__).parent.glob("*.py"))), guard.__file__,
           site_search.__file__, search_terms.__file__, str(search_terms.TABLES_FILE), text_normalize.__file__)


class Readings:
    """The remembered readings of one run: `get` a page's, `put` one just read, `save` at the end
    (only the pages of this run are kept). `code` is the site's own code (guard.SiteCode); with
    no `secret` (None) nothing is remembered or kept."""

    def __init__(self, file: Path, code: guard.SiteCode, secret: bytes | None,
                 project_root: Path | None = None) -> None:
        self.file, self.secret, self.hits = file, secret, 0
        self.kept: dict[str, dict] = {}
        self.keys: dict[str, str] = {}   # each page's key, by its place: what the search index is made from
        self.index: dict = {}            # the site search's files, and the key of the pages they index
        digest = hashlib.blake2b(FORMAT.encode(), digest_size=16)
        parts = [Path(reader).read_bytes() for reader in READERS] + [
            json.dumps([sys.version, unicodedata.unidata_version, selectolax.__version__, code.root,
                        code.host]).encode(),
            *(json.dumps(sorted(group)).encode() for group in
              (code.scripts, code.styles, code.script_files, code.allowed_hosts, code.redirects))]
        for part in parts:   # each with its length: no two inputs run together into the same digest
            digest.update(len(part).to_bytes(8, "big") + part)
        self.context = digest.digest()
        self.known: dict[str, dict] = {}
        self.known_index: dict = {}
        self.strings: list[str] = []   # the file's strings, each once: entries give their places in it
        if secret is None or (project_root is not None and not inside(project_root, file.parent)):
            self.secret = None   # the cache folder is a link out of the project: nothing kept there
            return
        data = _unsealed(file, secret)
        if isinstance(data, dict):
            self.known = data["pages"] if isinstance(data.get("pages"), dict) else {}
            index = data.get("index")
            self.known_index = index if isinstance(index, dict) else {}
            self.strings = data["strings"] if isinstance(data.get("strings"), list) else []

    def key(self, dest: str, data: bytes) -> str | None:
        """The key of the page published as `data` (its bytes) at `dest`; None without a secret."""
        if self.secret is None:
            return None
        digest = hashlib.blake2b(self.context, key=self.secret, digest_size=20)
        digest.update(dest.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str | None, dest: str) -> tuple[published.Reading, dict | None] | None:
        """(the guard's reading, the search's reading or None) of the page at `dest` whose `key`
        (`key`) a run read before; else None."""
        entry = self.known.get(key) if key is not None else None
        if not isinstance(entry, dict):
            return None
        try:
            table = self.strings
            entry = {**entry, **{field: [table[place] for place in entry[field]] for field in STRINGS}}
            reading = published.Reading(findings=[(what, needle) for what, needle in entry["findings"]],
                                        scripts=set(entry["scripts"]), styles=set(entry["styles"]),
                                        ids=set(entry["ids"]), repeated=set(entry["repeated"]),
                                        refs=entry["refs"], script_files=entry["script_files"])
            search = entry["search"]
            if search is not None:
                search = {**search, "weights": Counter(search["weights"])}
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self.kept[key] = entry   # type: ignore[index]  # key is a str here: entry was found under it
        self.keys[dest] = key    # type: ignore[assignment]
        self.hits += 1
        return reading, search

    def put(self, key: str | None, dest: str, reading: published.Reading, search: dict | None) -> None:
        """Remember what the parsers read in the page at `dest` whose `key` is `key` (the guard's
        reading, and the search's or None)."""
        if key is None:
            return
        self.keys[dest] = key
        self.kept[key] = {"findings": reading.findings, "scripts": sorted(reading.scripts),
                          "styles": sorted(reading.styles), "ids": sorted(reading.ids),
                          "repeated": sorted(reading.repeated), "refs": reading.refs,
                          "script_files": reading.script_files, "search": search}

    def _pages_key(self, dests: list[str]) -> str | None:
        """The key of exactly these pages as this run read them (None when one was not read here)."""
        if self.secret is None or any(dest not in self.keys for dest in dests):
            return None
        digest = hashlib.blake2b(self.context, key=self.secret, digest_size=20)
        for dest in sorted(dests):
            digest.update(f"{dest}\0{self.keys[dest]}\0".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def index_files(self, dests: list[str]) -> dict[str, str] | None:
        """The site search's files (site_search.index_files) made by a run whose indexed pages were
        exactly the pages at `dests`, each as this run read it; else None."""
        key = self._pages_key(dests)
        files = self.known_index.get("files")
        if key is None or self.known_index.get("key") != key or not isinstance(files, dict) \
                or not all(isinstance(name, str) and _INDEX_FILE.fullmatch(name) and isinstance(text, str)
                           for name, text in files.items()):
            return None
        return files

    def keep_index(self, dests: list[str], files: dict[str, str]) -> None:
        """Remember the site search's files made from the pages at `dests` (none: nothing was written)."""
        key = self._pages_key(dests)
        if key is not None and files is self.known_index.get("files"):
            self.index = self.known_index   # the files remembered: the same as the file holds
        else:
            self.index = {"key": key, "files": files} if key is not None and files else {}

    def save(self) -> None:
        """Keep this run's pages (and no others) for the next run; a failure to write is no problem.
        A run that read every page of the file, and no other, with the same search index, leaves
        it as it is."""
        if self.secret is None:
            return
        if self.hits == len(self.known) == len(self.kept) and self.index is self.known_index:
            return
        places: dict[str, int] = {}
        pages = {key: {**entry, **{field: [places.setdefault(text, len(places)) for text in entry[field]]
                                   for field in STRINGS}} for key, entry in self.kept.items()}
        data = {"format": FORMAT, "strings": list(places), "pages": pages, "index": self.index}
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_sealed(self.file, payload, self.secret)
        except OSError:
            pass


# The names of the site search's files (site_search.index_files): nothing else is written from the file.
_INDEX_FILE = re.compile(r"index\.json|(?:terms|pages)/[0-9a-f]{10}-[0-9]+\.json")


def _unsealed(file: Path, secret: bytes):
    """The data of the readings `file` when this user's `secret` sealed it (project.read_sealed), else None."""
    payload = read_sealed(file, secret)
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None
