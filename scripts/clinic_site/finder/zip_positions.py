"""ZIP code -> position, built offline from the `zipcodes` package, served as small shards.

Data source and licenses (checked for zipcodes==3.0.0, pinned in requirements.txt):
- the `zipcodes` package itself is MIT-licensed (Sean Pianka);
- the latitude/longitude it ships come from GeoNames (geonames.org), licensed
  CC BY 4.0: we publish derived positions, so the directory page credits GeoNames;
- its other fields (city names, ZIP types) come from unitedstateszipcodes.org and the
  USPS; we publish only the ZIP and its position.

The site serves one JSON file per 2-digit ZIP prefix (therapists/zip/78.json, about
12 kB, 3.5 kB compressed, 99 files), so a visitor's browser downloads only the shard
for the ZIP typed, from this site, which learns only the first two digits. (Three
digits made 917 files of 0.4 kB compressed: more files to build and deploy, and a
smaller area given away, for little saving on a phone.)

Loading the national table takes about 0.7 s, which every build would pay. So
the shards (and, for checking listings, the same positions with their state)
are written once into .cache/zip-positions/zipcodes-<version>-prefix2-<user>/ (one for each
user's secret: two users building one checkout never delete each other's) and each build
copies the shards and reads only the look-up files its listings need.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path

from clinic_site.project import locked, read_sealed, user_secret, write_sealed

Position = tuple[float, float, str]  # latitude, longitude, state

SITE_FOLDER = "therapists/zip"  # where the shards are published
PREFIX_DIGITS = 2  # shard and look-up files: therapists/zip/78.json holds 78xxx
CACHE_FOLDER = "zip-positions"  # inside the project's own .cache/


_OWNED = re.compile(r"zipcodes-.+-prefix\d+-[0-9a-f]{12}")   # a user's folder (ZipCache.folder): another's is kept


def zip_table() -> dict[str, Position]:
    """Every US ZIP that has a position in the zipcodes package data (slow: use ZipCache)."""
    import zipcodes  # imported here: loading its data takes about half a second

    table = {}
    for row in zipcodes.list_all():
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if lat == 0 and lon == 0:
            continue
        table[row["zip_code"]] = (lat, lon, row.get("state") or "")
    return table


def by_prefix(table: Mapping[str, Position], digits: int = PREFIX_DIGITS) -> dict[str, dict[str, Position]]:
    """{'78': {'78701': (30.271312, -97.742634, 'TX'), ...}, ...}, in ZIP order."""
    out: dict[str, dict[str, Position]] = {}
    for zip_code in sorted(table):
        out.setdefault(zip_code[:digits], {})[zip_code] = table[zip_code]
    return out


def shards(table: Mapping[str, Position], digits: int = PREFIX_DIGITS) -> dict[str, dict[str, list[float]]]:
    """{'78': {'78701': [30.2713, -97.7426], ...}, ...}: positions rounded to 4 decimals (~11 m)."""
    return {prefix: {zip_code: [round(lat, 4), round(lon, 4)] for zip_code, (lat, lon, _state) in group.items()}
            for prefix, group in by_prefix(table, digits).items()}


def shard_files(table: Mapping[str, Position], folder: str = SITE_FOLDER) -> Iterable[tuple[str, str]]:
    """(site path, compact JSON text) for every shard."""
    for prefix, positions in shards(table).items():
        yield f"{folder}/{prefix}.json", json.dumps(positions, separators=(",", ":"))


class ZipCache:
    """The shards and look-up files of one zipcodes version, on disk.

    <folder>/site/therapists/zip/<prefix>.json   published as they are (the build copies them)
    <folder>/lookup/<prefix>.json                {zip: [lat, lon, state]} for checking listings
    <folder>/complete                            the digest of every file above, sealed with this
                                                 user's secret (project.write_sealed)

    The folder is trusted only as this process's user wrote it: every file it holds listed in
    `complete` with its digest, no link and nothing else anywhere in it. A folder committed or
    changed by anyone else (a link to a folder elsewhere, a file added to site/, a look-up file
    cut short) is written again, and the cache root, when a link, is replaced by a folder: the
    build never writes, deletes or publishes through it. `secret`: project.user_secret's; None
    (no private folder for one) keeps the cache in a temporary folder of this process, removed
    as the process ends.
    """

    def __init__(self, cache_root: Path, secret: bytes | None = None) -> None:
        self.secret = secret
        if secret is None:   # this process's own, removed as it ends
            cache_root = Path(tempfile.mkdtemp(prefix="clinic-zip-"))
            atexit.register(shutil.rmtree, cache_root, ignore_errors=True)
        # One folder for each user's secret: the caches of two users (or two XDG_CACHE_HOME, as CI and
        # a developer have) building one checkout at once are each the other's "written by someone
        # else", and each deleted the other's under the build reading it (every ZIP code unknown).
        mine = f"-{hashlib.blake2b(b'zip-positions', key=secret, digest_size=6).hexdigest()}" if secret else ""
        self.folder = Path(cache_root) / f"zipcodes-{version('zipcodes')}-prefix{PREFIX_DIGITS}{mine}"
        self.mine = mine
        self.site_dir = self.folder / "site"  # laid out as in the built site
        if not self._verified():
            self._write()
        self._lookup = functools.cache(self._read_prefix)

    @staticmethod
    def _manifest(folder: Path) -> dict[str, str] | None:
        """{path inside `folder`: BLAKE2b of its bytes} of every file but `complete`; None when
        the folder holds a link, or anything that is neither a file nor a folder."""
        found: dict[str, str] = {}
        for here, dirs, names in os.walk(folder, followlinks=False):
            for name in [*dirs, *names]:
                path = Path(here) / name
                if path.is_symlink() or not (path.is_dir() or path.is_file()):
                    return None
            for name in names:
                path = Path(here) / name
                relative = path.relative_to(folder).as_posix()
                if relative != "complete":
                    found[relative] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        return found

    def _verified(self) -> bool:
        if self.secret is None or self.folder.parent.is_symlink() or self.folder.is_symlink() \
                or not self.folder.is_dir():
            return False
        sealed = read_sealed(self.folder / "complete", self.secret)
        try:
            return sealed is not None and json.loads(sealed) == self._manifest(self.folder)
        except ValueError:
            return False

    def _write(self) -> None:
        root = self.folder.parent
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            root.unlink()   # committed in the build's own cache: replaced, never written through
        root.mkdir(parents=True, exist_ok=True)
        # One process at a time looks again, writes and swaps: a cache another build finished
        # meanwhile is kept, never deleted under the builds reading it (the suite's workers, all
        # starting on a fresh clone, once read a look-up file gone and called the clinic's ZIP codes
        # unknown), and the processes that wait do not load the national table for nothing.
        with locked(root / ".lock"):
            if self._verified():
                return
            table = zip_table()
            # Written aside, then renamed into place: a build stopped half-way never leaves a
            # cache that looks complete but is not.
            work = Path(tempfile.mkdtemp(prefix=".writing-", dir=root))
            for path, text in shard_files(table):
                (work / "site" / path).parent.mkdir(parents=True, exist_ok=True)
                (work / "site" / path).write_text(text, encoding="utf-8")
            (work / "lookup").mkdir()
            for prefix, positions in by_prefix(table).items():
                (work / "lookup" / f"{prefix}.json").write_text(json.dumps(positions), encoding="utf-8")
            if self.secret is not None:
                write_sealed(work / "complete", json.dumps(self._manifest(work)).encode("utf-8"), self.secret)
            if self.folder.is_symlink() or self.folder.is_file():
                self.folder.unlink()
            elif self.folder.is_dir():   # not this user's, or changed since: moved aside, then deleted
                aside = Path(tempfile.mkdtemp(prefix=".old-", dir=root))
                os.rename(self.folder, aside / "old")
                shutil.rmtree(aside, ignore_errors=True)
            os.rename(work, self.folder)
            for old in root.glob("zipcodes-*"):  # this user's other versions or layouts: no longer used
                if old != self.folder and (old.name.endswith(self.mine) or not _OWNED.fullmatch(old.name)):
                    old.unlink() if old.is_symlink() or not old.is_dir() else shutil.rmtree(old, ignore_errors=True)

    def copy_shards(self, site_dir: Path) -> None:
        """Put every shard into the built site, at therapists/zip/<prefix>.json."""
        shutil.copytree(self.site_dir, site_dir, dirs_exist_ok=True, copy_function=shutil.copyfile)

    def _read_prefix(self, prefix: str) -> dict[str, list]:
        try:
            found = json.loads((self.folder / "lookup" / f"{prefix}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def lookup(self, zip_code: str) -> Position | None:
        """(latitude, longitude, state) of a ZIP, or None if the package has no position for it."""
        found = self._lookup(str(zip_code)[:PREFIX_DIGITS]).get(str(zip_code))
        return tuple(found) if isinstance(found, list) and len(found) == 3 else None


@functools.cache
def cache_for(cache_dir: Path) -> ZipCache:
    """The ZIP positions of the project whose cache folder is `cache_dir` (its `.cache/`), in
    `.cache/zip-positions/` (written on first use), one object per folder and process."""
    cache = Path(os.path.abspath(cache_dir))
    return ZipCache(cache / CACHE_FOLDER, user_secret(cache.parent))
