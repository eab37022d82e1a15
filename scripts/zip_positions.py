"""ZIP code -> position, built offline from the `zipcodes` package, served as small shards.

Data source and licenses (checked for zipcodes==3.0.0, pinned in requirements.txt):
- the `zipcodes` package itself is MIT-licensed (Sean Pianka);
- the latitude/longitude it ships come from GeoNames (geonames.org), licensed
  CC BY 4.0: we publish derived positions, so the directory page credits GeoNames;
- its other fields (city names, ZIP types) come from unitedstateszipcodes.org and the
  USPS; we publish only the ZIP and its position.

The site serves one JSON file per 3-digit ZIP prefix (therapists/zip/787.json,
about 1 kB each), so a visitor's browser downloads only the shard for the ZIP
typed, from this site: the ZIP never leaves the browser.
"""
from __future__ import annotations

import functools
import json
from typing import Iterable, Mapping

Position = tuple[float, float, str]  # latitude, longitude, state


@functools.cache
def zip_table() -> dict[str, Position]:
    """Every US ZIP that has a position in the zipcodes package data."""
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


def lookup(zip_code: str, table: Mapping[str, Position] | None = None) -> Position | None:
    return (zip_table() if table is None else table).get(zip_code)


def shards(table: Mapping[str, Position], digits: int = 3) -> dict[str, dict[str, list[float]]]:
    """{'787': {'78701': [30.2713, -97.7426], ...}, ...}: positions rounded to 4 decimals (~11 m)."""
    out: dict[str, dict[str, list[float]]] = {}
    for zip_code in sorted(table):
        lat, lon, _state = table[zip_code]
        out.setdefault(zip_code[:digits], {})[zip_code] = [round(lat, 4), round(lon, 4)]
    return out


def shard_files(table: Mapping[str, Position], folder: str = "therapists/zip") -> Iterable[tuple[str, str]]:
    """(site path, compact JSON text) for every shard."""
    for prefix, positions in shards(table).items():
        yield f"{folder}/{prefix}.json", json.dumps(positions, separators=(",", ":"))
