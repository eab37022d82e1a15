"""The finder's data files for the browser: every listing, split by place into small shards.

The directory page (therapists/) holds no listing: overrides/assets/finder.js fetches
therapists/data/index.json (each shard's bounding box and count, and the column names), then
only the shards nearest the visitor's ZIP code or location, nearest first, until every shard
that can hold a therapist within the chosen distance is loaded (or, when nobody is within it,
until the nearest therapist beyond it is known). So what one search downloads depends on how
many therapists are near, not on how many are listed in the country.

Shards are made by cutting the listings' box in two across its wider side (latitude, or
longitude scaled by the cosine of the latitude), again and again, until each part holds at
most `max_per_shard` listings. Dense cities get small boxes, empty
country large ones; a ZIP at a region's edge simply loads the boxes on both sides, since the
browser orders boxes by their distance from the visitor, not by region names.

A shard's file name is a hash of its text, so a browser never mixes an old shard with a new
index, and files that did not change keep their name (and their place in caches).

Every text is JSON-encoded once (json.dumps); finder.js writes it into the page with
textContent only.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from clinic_site.finder.model import Listing
from clinic_site.finder.pages import DIRECTORY_URI, LISTING_URI, rel

SITE_FOLDER = "therapists/data"   # published here; the directory page reads "data/index.json"
INDEX_NAME = "index.json"
# 100 listings make a shard of about 3.5 KB gzip (synthetic listings): few requests in a city,
# where a 25-mile circle holds hundreds, and an index of about 6 KB gzip at 20,000 listings.
# (40 per shard: twice the boxes, and more bytes in all, as small files compress less well.)
MAX_PER_SHARD = 100
# A shard is a list of columns, one value per listing in each, in this order (index.json repeats
# the names; finder.js reads them from there). Columns compress better than rows with gzip (each
# column's values look alike), and sets of codes as bit masks take a byte or two, not a dozen.
COLUMNS = ("url",          # its page, relative to the directory page: "sample-avery-sampleton/"
           "name",
           "credentials",  # codes as the listing orders them, "LMT CLT" (also the credential filter's codes)
           "lat", "lon",   # in 1/10,000 degree (about 11 m) north and east of the shard's south-west corner
           "clinic", "city", "state",
           "tel",          # what follows tel: in the call button, "+15125550101" or "+15125550101;ext=204";
                           # finder.js shows it as clinic_site.phone does, "(512) 555-0101 ext. 204" (the
                           # schema accepts only numbers it can dial). One form, not both: both cost 7%.
           "flags",        # bit mask of FLAGS
           "specialties", "languages", "payment")   # bit masks: bit i = index.json's codes[column][i]
FLAGS = ("telehealth", "home_visits", "accepting_new_clients", "at_clinic", "sample")   # bit 0, 1, ...
MASKED = ("specialties", "languages", "payment")


def flag_mask(listing: Listing) -> int:
    """The yes/no fields as a bit mask (bit i = FLAGS[i]); at_clinic is False when the model lacks it."""
    return sum(1 << bit for bit, name in enumerate(FLAGS) if getattr(listing, name, False))


def code_mask(codes: Iterable[str], order: Sequence[str]) -> int:
    """A set of codes as a bit mask: bit i is set when order[i] is among `codes`."""
    position = {code: bit for bit, code in enumerate(order)}
    return sum(1 << position[code] for code in set(codes))


def codes_in_use(listings: Iterable[Listing]) -> dict[str, list[str]]:
    """For each of MASKED, the codes the listings use, sorted: the bits of its masks."""
    used: dict[str, set[str]] = {name: set() for name in MASKED}
    for listing in listings:
        for name in MASKED:
            used[name].update(getattr(listing, name))
    return {name: sorted(codes) for name, codes in used.items()}


def columns(group: Sequence[Listing], codes: dict[str, list[str]], south: float, west: float,
            from_uri: str = DIRECTORY_URI) -> list[list]:
    """A shard's columns (see COLUMNS); south and west: its box's corner, in degrees."""
    s, w = round(south * 10_000), round(west * 10_000)
    return [
        [rel(from_uri, LISTING_URI.format(id=listing.id)) for listing in group],
        [listing.name for listing in group],
        [" ".join(listing.credentials) for listing in group],
        [round(listing.latitude * 10_000) - s for listing in group],
        [round(listing.longitude * 10_000) - w for listing in group],
        [listing.clinic for listing in group],
        [listing.city for listing in group],
        [listing.state for listing in group],
        [listing.tel for listing in group],
        [flag_mask(listing) for listing in group],
        *([code_mask(getattr(listing, name), codes[name]) for listing in group] for name in MASKED),
    ]


def split(listings: Sequence[Listing], max_per_shard: int = MAX_PER_SHARD) -> list[list[Listing]]:
    """The listings in groups of at most `max_per_shard`, each group close together (k-d tree leaves).

    Deterministic: the same listings always give the same groups, whatever their order."""
    if max_per_shard < 1:
        raise ValueError("max_per_shard must be at least 1")
    ordered = sorted(listings, key=lambda listing: listing.id)
    groups: list[list[Listing]] = []

    def cut(part: list[Listing]) -> None:
        if len(part) <= max_per_shard:
            if part:
                groups.append(part)
            return
        lats = [listing.latitude for listing in part]
        lons = [listing.longitude for listing in part]
        mid_lat = math.radians((min(lats) + max(lats)) / 2)
        by_lat = (max(lats) - min(lats)) >= (max(lons) - min(lons)) * math.cos(mid_lat)
        part = sorted(part, key=(lambda x: (x.latitude, x.longitude, x.id)) if by_lat
                      else (lambda x: (x.longitude, x.latitude, x.id)))
        # At the middle of the box's wider side, so far listings do not stretch a city's box;
        # at the median when that leaves one side empty (many listings at one place).
        middle = (min(lats) + max(lats)) / 2 if by_lat else (min(lons) + max(lons)) / 2
        half = sum(1 for x in part if (x.latitude if by_lat else x.longitude) < middle)
        if half in (0, len(part)):
            half = len(part) // 2
        cut(part[:half])
        cut(part[half:])

    cut(ordered)
    return groups


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def data_files(listings: Iterable[Listing], max_per_shard: int = MAX_PER_SHARD) -> dict[str, str]:
    """{file name: JSON text} of the finder's data: index.json and one file per shard.

    index.json: {"columns": COLUMNS, "flags": FLAGS, "codes": {"specialties": [code, ...], ...},
                 "total": number of listings, "shards": [[file name, south, west, north, east, count], ...]}
    (each box in degrees, rounded outward to 2 decimals, holds every position of its shard);
    <hash>.json: the shard's columns (see columns())."""
    listings = list(listings)
    codes = codes_in_use(listings)
    files: dict[str, str] = {}
    boxes = []
    for group in split(listings, max_per_shard):
        south, west = _down(min(x.latitude for x in group)), _down(min(x.longitude for x in group))
        north, east = _up(max(x.latitude for x in group)), _up(max(x.longitude for x in group))
        text = _json(columns(group, codes, south, west))
        name = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10] + ".json"
        files[name] = text
        boxes.append([name, south, west, north, east, len(group)])
    files[INDEX_NAME] = _json({"columns": list(COLUMNS), "flags": list(FLAGS), "codes": codes,
                               "total": len(listings), "shards": boxes})
    return files


def _down(value: float) -> float:
    """Rounded down to 2 decimals (about 1 km: a box a little larger than its listings, and a
    smaller index.json than with exact corners)."""
    return math.floor(round(value * 100, 6)) / 100


def _up(value: float) -> float:
    return math.ceil(round(value * 100, 6)) / 100


def write(listings: Iterable[Listing], site_dir: Path, max_per_shard: int = MAX_PER_SHARD) -> list[Path]:
    """Write the data files into the built site at therapists/data/ (emptied first); the paths written."""
    folder = Path(site_dir) / SITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):   # shards of listings that changed since the last build
        old.unlink()
    written = []
    for name, text in data_files(listings, max_per_shard).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
