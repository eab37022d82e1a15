"""Generate synthetic therapist listings (for benchmarks and tests).

Every listing is obviously fictional (names like "Synthetic Therapist 0042 Example",
555-01xx phone numbers, example.org web sites, sample: true) and valid: real ZIP
codes in the states that docs/therapists/licensing-boards.yml covers, with a
position within a mile of the ZIP's.

    .venv/bin/python scripts/devtools/generate_listings.py --count 5000 --out /tmp/listings
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import yaml

from clinic_site import pipeline
from clinic_site.finder import zip_positions
from clinic_site.finder.boards import load_boards
from clinic_site.finder.vocabulary import project_vocabulary
from devtools import checkout

PROJECT_ROOT = checkout()   # the checkout found from the current folder

BOARDS = PROJECT_ROOT / "docs" / "therapists" / "licensing-boards.yml"
FIRST = ["Avery", "Blake", "Casey", "Dana", "Emerson", "Finley", "Gray", "Harper", "Jordan", "Kai",
         "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor", "Wren"]
CLINIC_WORDS = ["Example", "Sample", "Placeholder", "Demo", "Fictional"]
VOCABULARY = project_vocabulary(PROJECT_ROOT / "docs" / "therapists" / "vocabulary.yml")
AREA_CODES = {"TX": "512", "CO": "303", "OR": "503", "IL": "312", "WA": "206", "NC": "919"}


def synthetic_listing(number: int, rng: random.Random, zip_rows: list[tuple[str, float, float, str, str]],
                      today: dt.date) -> dict:
    zip_code, lat, lon, state, city = rng.choice(zip_rows)
    credentials = rng.choice([["LMT"], ["LMT", "CLT"], ["PT", "DPT"], ["PTA"], ["LMT", "BCTMB"], ["PT", "OCS"],
                              ["DPT", "SCS"]])
    first = FIRST[number % len(FIRST)]
    return {
        "id": f"synthetic-{number:05d}",
        "name": f"Synthetic Therapist {number:05d} {first} Example",
        "credentials": credentials,
        "license_number": f"SYN{number:06d}",
        "license_state": state,
        "license_verified": today - dt.timedelta(days=rng.randint(0, 150)),
        "clinic": f"{rng.choice(CLINIC_WORDS)} Therapy Clinic {number % 97}",
        "street": f"{100 + number % 900} Example Street",
        "city": city,
        "state": state,
        "zip": zip_code,
        "latitude": round(lat + rng.uniform(-0.01, 0.01), 5),
        "longitude": round(lon + rng.uniform(-0.01, 0.01), 5),
        "phone": f"{AREA_CODES.get(state, '212')}-555-01{number % 100:02d}",
        "website": f"https://example.org/synthetic-{number:05d}",
        "specialties": rng.sample(list(VOCABULARY.specialties.labels.values()), rng.randint(1, 4)),
        "payment": rng.sample(list(VOCABULARY.payment.labels.values()), rng.randint(1, 5)),
        "languages": ["English"] + rng.sample([v for v in VOCABULARY.languages.labels.values() if v != "English"],
                                              rng.randint(0, 2)),
        "telehealth": rng.random() < 0.3,
        "home_visits": rng.random() < 0.2,
        "accepting_new_clients": rng.random() < 0.7,
        "last_updated": today - dt.timedelta(days=rng.randint(0, 200)),
        "bio": "Synthetic listing generated for benchmarks; not a real therapist.",
        "sample": True,
    }


def zip_rows_for(states) -> list[tuple[str, float, float, str, str]]:
    import zipcodes

    rows = []
    for row in zipcodes.list_all():
        if row["state"] in states and row.get("zip_code_type") == "STANDARD" and row.get("active"):
            position = zip_positions.cache_for(PROJECT_ROOT / ".cache").lookup(row["zip_code"])
            if position:
                rows.append((row["zip_code"], position[0], position[1], row["state"], row["city"]))
    return rows


def write_listing(data: dict, folder: Path) -> Path:
    path = folder / f"{data['id']}.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def generate(count: int, out: Path, *, seed: int = 1, today: dt.date | None = None) -> list[Path]:
    today = today or pipeline.clinic_today(checkout())   # the clinic's day, as the build judges dates
    boards, problems = load_boards(BOARDS, str(BOARDS))
    if boards is None:
        raise SystemExit("\n".join(str(problem) for problem in problems))
    states = sorted(boards)
    rows = zip_rows_for(set(states))
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    return [write_listing(synthetic_listing(n, rng, rows, today), out) for n in range(1, count + 1)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100, help="how many listings (default 100)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write <id>.yml files into")
    parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable output (default 1)")
    args = parser.parse_args(argv)
    paths = generate(args.count, args.out, seed=args.seed)
    print(f"wrote {len(paths)} listings to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
