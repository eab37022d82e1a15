"""Unit tests of the finder's data files for the browser (scripts/clinic_site/finder/shards.py)."""
import datetime as dt
import json
import random

import pytest

from clinic_site.finder import shards
from clinic_site.finder.model import Listing

DAY = dt.date(2026, 11, 1)


def listing(number: int, lat: float, lon: float, **changes) -> Listing:
    values = dict(
        id=f"t-{number:05d}", name=f"Test Therapist {number}", credentials=("LMT", "CLT"), license_number="X1",
        license_state="IL", license_verified=DAY, clinic="Example Clinic", street="1 Example St",
        city="Springfield", state="IL", zip="62701", latitude=lat, longitude=lon, phone="217-555-0100",
        website=None, specialties=("lymph", "back"), payment=("self",), languages=("en",), telehealth=False,
        home_visits=False, accepting_new_clients=True, last_updated=DAY, bio="", sample=True)
    values.update(changes)
    return Listing(**values)


def scattered(count: int, seed: int = 3) -> list[Listing]:
    rng = random.Random(seed)
    return [listing(n, rng.uniform(25, 49), rng.uniform(-124, -67)) for n in range(count)]


def decode(files: dict[str, str]) -> list[dict]:
    """Every listing in the files, read back as finder.js reads them (one dict per listing)."""
    index = json.loads(files[shards.INDEX_NAME])
    out = []
    for name, south, west, north, east, count in index["shards"]:
        columns = json.loads(files[name])
        assert len(columns) == len(index["columns"])
        assert all(len(column) == count for column in columns)
        for values in zip(*columns, strict=True):
            row = dict(zip(index["columns"], values, strict=True))
            row["lat"] = round(south + row["lat"] / 10_000, 4)
            row["lon"] = round(west + row["lon"] / 10_000, 4)
            assert south <= row["lat"] <= north and west <= row["lon"] <= east, (row, name)
            row["flags"] = {flag for bit, flag in enumerate(index["flags"]) if row["flags"] >> bit & 1}
            for column in shards.MASKED:
                row[column] = {code for bit, code in enumerate(index["codes"][column]) if row[column] >> bit & 1}
            out.append(row)
    return out


def test_split_keeps_every_listing_once_in_groups_of_at_most_the_limit():
    listings = scattered(1000)
    groups = shards.split(listings, 64)
    assert all(1 <= len(group) <= 64 for group in groups)
    assert sorted(x.id for group in groups for x in group) == sorted(x.id for x in listings)


def test_split_is_the_same_whatever_the_order_of_the_listings():
    listings = scattered(500)
    reordered = list(reversed(listings))
    assert [[x.id for x in g] for g in shards.split(listings, 50)] == \
           [[x.id for x in g] for g in shards.split(reordered, 50)]


def test_split_groups_neighbours_small_boxes_where_listings_are_dense():
    dense = [listing(n, 41.88 + n * 1e-4, -87.63) for n in range(300)]      # one city block
    sparse = [listing(1000 + n, 30 + n, -100 - n) for n in range(10)]      # far apart
    groups = shards.split(dense + sparse, 100)
    dense_ids = {x.id for x in dense}
    # no group mixes the city with the far listings: they are more than max_per_shard apart
    for group in groups:
        ids = {x.id for x in group}
        assert ids <= dense_ids or not ids & dense_ids


def test_identical_positions_still_split():
    same = [listing(n, 39.8, -89.65) for n in range(250)]   # a clinic with many therapists
    groups = shards.split(same, 100)
    assert sorted(len(g) for g in groups) == [62, 62, 63, 63]


def test_split_refuses_a_limit_below_one():
    with pytest.raises(ValueError):
        shards.split(scattered(3), 0)


def test_data_files_round_trip_every_field_the_result_cards_need():
    special = listing(9999, 39.80171, -89.64371, name="Sample Therapist Rory O'Brien",
                      clinic='A "quoted" & <b>clinic</b>',
                      credentials=("PT", "DPT"), phone="(217) 555-0107", specialties=("tmj",),
                      languages=("es", "en"), payment=("medicare", "hsa"), telehealth=True, home_visits=True,
                      accepting_new_clients=False, at_clinic=True, sample=True)
    files = shards.data_files([special, *scattered(300)], 100)
    rows = {row["url"]: row for row in decode(files)}
    assert len(rows) == 301
    row = rows["t-09999/"]   # relative to therapists/, the directory page
    assert row["name"] == "Sample Therapist Rory O'Brien"     # JSON-encoded once: read back as written
    assert row["clinic"] == 'A "quoted" & <b>clinic</b>'
    assert row["credentials"] == "PT DPT"
    assert (row["lat"], row["lon"]) == (39.8017, -89.6437)
    assert (row["city"], row["state"], row["tel"]) == ("Springfield", "IL", "+12175550107")
    assert row["flags"] == {"telehealth", "home_visits", "at_clinic", "sample"}
    assert row["specialties"] == {"tmj"} and row["languages"] == {"es", "en"} and row["payment"] == {"medicare", "hsa"}
    index = json.loads(files[shards.INDEX_NAME])
    assert index["total"] == 301 and sum(box[5] for box in index["shards"]) == 301
    assert index["columns"] == list(shards.COLUMNS)


def test_a_number_with_an_extension_keeps_it():
    files = shards.data_files([listing(1, 40, -90, phone="303-555-0110 ext. 204")])
    assert decode(files)[0]["tel"] == "+13035550110;ext=204"


def test_listing_without_at_clinic_reads_as_not_at_the_clinic():
    assert shards.flag_mask(listing(1, 40, -90, accepting_new_clients=True, sample=False)) == 1 << 2


def test_no_text_can_close_a_script_or_break_the_json():
    evil = listing(1, 40, -90, name='</script><script>alert(1)</script>', city="Spring\u2028field")
    files = shards.data_files([evil])
    [row] = decode(files)
    assert row["name"] == '</script><script>alert(1)</script>' and row["city"] == "Spring\u2028field"


def test_shard_names_follow_their_content():
    listings = scattered(400)
    first = shards.data_files(listings, 100)
    again = shards.data_files(list(reversed(listings)), 100)
    assert first == again
    changed = shards.data_files([listing(0, listings[0].latitude, listings[0].longitude, name="Renamed"),
                                 *listings[1:]], 100)
    assert len(set(changed) - set(first)) == 1   # a new name for the one shard holding listing 0 ...
    assert changed[shards.INDEX_NAME] != first[shards.INDEX_NAME]   # ... which the index names


def test_write_replaces_the_files_of_an_earlier_build(tmp_path):
    shards.write(scattered(300), tmp_path, 100)
    folder = tmp_path / shards.SITE_FOLDER
    stale = {path.name for path in folder.glob("*.json")}
    written = shards.write(scattered(300, seed=9), tmp_path, 100)
    now = {path.name for path in folder.glob("*.json")}
    assert now == {path.name for path in written}
    assert not (stale - {shards.INDEX_NAME}) & now


def test_the_directory_template_reads_the_index_where_it_is_written():
    from pathlib import Path
    template = (Path(__file__).resolve().parent.parent / "overrides/finder/directory.html").read_text()
    # therapists/index.md is the directory page: data/index.json from there is SITE_FOLDER/INDEX_NAME
    assert shards.SITE_FOLDER == "therapists/data"
    assert f'data-index="data/{shards.INDEX_NAME}"' in template
