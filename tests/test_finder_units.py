"""Unit tests of the therapist finder: the listing schema's problems (file, line, field, what,
fix), the settings, the vocabulary and boards files, distance, and the rendered HTML."""
import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from clinic_site.finder import pages, schema, zip_positions
from clinic_site.finder.boards import load_boards
from clinic_site.finder.load import load_listing_files
from clinic_site.finder.model import haversine_miles, months_before
from clinic_site.finder.vocabulary import project_vocabulary
from clinic_site.problems import Problem, errors
from clinic_site.project import Project, Settings
from clinic_site.us_states import NOT_ACCEPTED
from tests.harness import PROJECT_ROOT, clinic_today

ROOT = PROJECT_ROOT
TODAY = dt.date(2026, 11, 26)
PATH = "docs/therapists/listings/jane-doe.yml"
ZIPS = {"78701": (30.2713, -97.7426, "TX"), "80202": (39.7491, -104.9946, "CO")}
BOARDS = {"TX": {"massage": {"name": "TX massage board", "lookup": "https://example.org/tx-massage"},
                 "physical_therapy": {"name": "TX PT board", "lookup": "https://example.org/tx-pt"}}}
VOCABULARY = project_vocabulary(ROOT / "docs/therapists/vocabulary.yml")
SECRET = b"z" * 32
ZIP_POSITIONS = zip_positions.cache_for(ROOT / ".cache")   # the project's own cache of the zipcodes package
PROJECT_CLINIC = Settings.read(Project.find(ROOT / "mkdocs.yml"))[0].clinic   # the project's clinic.yml
GOOD = {
    "id": "jane-doe", "name": "Jane Doe", "credentials": ["LMT", "CLT"], "license_number": "MT123",
    "license_state": "TX", "license_verified": dt.date(2026, 11, 1), "clinic": "Example Clinic",
    "street": "1 Example St", "city": "Austin", "state": "TX", "zip": "78701",
    "latitude": 30.27, "longitude": -97.74, "phone": "512-555-0101", "website": "https://example.org",
    "specialties": ["lymphatic drainage", "sports injuries"], "payment": ["self-pay", "Medicare"],
    "languages": ["English", "Spanish"], "telehealth": True, "home_visits": False,
    "accepting_new_clients": True, "last_updated": dt.date(2026, 11, 1), "bio": "Plain bio.", "sample": True,
}


def validate(data, source=None, **kwargs):
    """The schema's result for `data` as the file PATH; `source` (the file's text) gives lines."""
    options = {"boards": BOARDS, "file_id": "jane-doe", **kwargs}
    return schema.validate_listing(data, PATH, today=TODAY, zip_lookup=ZIPS.get, vocabulary=VOCABULARY,
                                   source=source, **options)


def one_problem(**changes) -> Problem:
    """The single problem of GOOD with `changes`, checked in its file text (so it has its line)."""
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not DELETE}
    source = yaml.safe_dump(data, sort_keys=False)
    listing, problems = validate(data, source)
    assert listing is None
    assert len(problems) == 1, problems
    [problem] = problems
    assert problem.path == PATH and problem.severity == "error"
    if problem.field in data:  # the line of the field in the file
        assert source.splitlines()[problem.line - 1].startswith(f"{problem.field}:"), (problem, source)
    return problem


DELETE = object()


def test_a_good_listing_validates_to_codes():
    listing, problems = validate(GOOD)
    assert problems == []
    assert listing.specialties == ("lymph", "sports")
    assert listing.payment == ("self", "medicare")
    assert listing.languages == ("en", "es")
    assert listing.tel == "+15125550101"
    assert listing.city_key == "austin-tx"


def test_missing_field_names_file_field_and_example():
    problem = one_problem(phone=DELETE)
    assert (problem.line, problem.field, problem.what, problem.fix) == (
        1, "phone", "is missing", "add a line like `phone: 512-555-0101`")
    assert str(problem) == f"{PATH}, line 1: 'phone' is missing — add a line like `phone: 512-555-0101`"


def test_optional_fields_may_be_left_out():
    data = {k: v for k, v in GOOD.items() if k not in ("website", "bio")}
    listing, problems = validate(data)
    assert problems == [] and listing.website is None and listing.bio == ""


def test_unknown_field_suggests_the_known_one():
    data = {**GOOD, "phone_number": "512-555-0101"}
    source = yaml.safe_dump(data, sort_keys=False)
    _, [problem] = validate(data, source)
    line = source.splitlines().index("phone_number: 512-555-0101") + 1
    assert (problem.path, problem.line, problem.field, problem.what) == (
        PATH, line, "phone_number", "is not a known field")
    assert problem.fix.startswith("did you mean 'phone'?")


@pytest.mark.parametrize("field, value, what", [
    ("credentials", ["LMT", "RN"], "credentials"),
    ("specialties", ["lymphatic drainge"], "specialties"),
    ("languages", ["Klingon"], "languages"),
    ("payment", ["bitcoin"], "payment options"),
])
def test_value_outside_a_controlled_list_is_named_with_the_choices(field, value, what):
    problem = one_problem(**{field: value})
    assert problem.field == field
    assert problem.what == f"'{value[-1]}' is not in the list of {what}"
    assert "Use one of:" in problem.fix and "docs/therapists/vocabulary.yml" in problem.fix


def test_misspelled_specialty_gets_a_suggestion():
    assert one_problem(specialties=["lymphatic drainge"]).fix.startswith("Did you mean 'lymphatic drainage'?")


def test_every_unknown_term_of_a_list_is_reported():
    _, problems = validate({**GOOD, "languages": ["Klingon", "English", "Elvish"]})
    assert [(p.field, p.what) for p in problems] == [("languages", "'Klingon' is not in the list of languages"),
                                                     ("languages", "'Elvish' is not in the list of languages")]


def test_terms_are_taken_by_label_or_code_in_any_case():
    listing, problems = validate({**GOOD, "languages": ["english", "ES"], "credentials": ["lmt"]})
    assert problems == [] and listing.languages == ("en", "es") and listing.credentials == ("LMT",)


def test_empty_controlled_list_is_reported():
    problem = one_problem(languages=[])
    assert (problem.field, problem.what) == ("languages", "is empty")
    assert problem.fix == "list at least one language, for example [English, Spanish]"


@pytest.mark.parametrize("value", ["1234", "787010", "7870A"])
def test_a_zip_that_is_not_5_digits_is_reported_with_the_fix(value):
    problem = one_problem(zip=value)
    assert (problem.field, problem.what, problem.fix) == ("zip", f"'{value}' is not a 5-digit US ZIP",
                                                          'write it like "78701", in quotes')


@pytest.mark.parametrize("written, read, fix", [(62701, "62701", '"62701"'), (1234, "1234", '"01234"'),
                                                 (0o1234, "668", '"00668"')])
def test_a_zip_read_as_a_number_says_to_quote_it(written, read, fix):
    problem = one_problem(zip=written)
    assert problem.field == "zip" and problem.what.startswith(f"{read} was read as a number, not as a ZIP code")
    assert problem.fix.startswith(f"put the five digits in quotes, like {fix}")


def test_a_tab_in_a_listing_says_to_replace_it_with_spaces(tmp_path):
    write(tmp_path, "jane-doe.yml", GOOD)
    file = tmp_path / "jane-doe.yml"
    file.write_text(file.read_text(encoding="utf-8").replace("\nname:", "\n\tname:", 1), encoding="utf-8")
    _, [problem] = load_folder(tmp_path)
    assert problem.what == "has a tab character, which YAML does not allow for indenting"
    assert problem.fix == "replace the tab with spaces (two spaces per level)"
    assert problem.line == line_of(file, "\tname:")


def test_a_zip_written_as_a_number_is_told_to_use_quotes():
    assert one_problem(zip=8701).fix.startswith('put the five digits in quotes, like "08701"')


def test_an_unknown_zip_is_reported():
    problem = one_problem(zip="00000")
    assert (problem.field, problem.what, problem.fix) == ("zip", "'00000' is not a known US ZIP code",
                                                          "check it on the letter or web site")


def test_zip_in_another_state_is_reported():
    problem = one_problem(zip="80202", latitude=39.75, longitude=-104.99)
    assert (problem.field, problem.what, problem.fix) == ("zip", "ZIP 80202 is in CO, but state is TX",
                                                          "correct the ZIP or the state")


@pytest.mark.parametrize("value", ["555-0101", "512-555-010", "call us", "012-555-0101", "512-155-0101"])
def test_a_phone_that_cannot_be_dialled_is_reported(value):
    problem = one_problem(phone=value)
    assert (problem.field, problem.what) == ("phone", f"'{value}' cannot be dialled")
    assert problem.fix.startswith("write a 10-digit")


@pytest.mark.parametrize("value", ["+1 (512) 555-0101", "1-512-555-0101", "512.555.0101"])
def test_dialable_phone_formats_are_accepted(value):
    listing, problems = validate({**GOOD, "phone": value})
    assert problems == [] and listing.tel == "+15125550101"


@pytest.mark.parametrize("value", ["512-555-0101 ext. 204", "(512) 555-0101 x204", "512.555.0101 extension 204"])
def test_a_phone_with_an_extension_is_accepted_shown_and_dialled(value):
    listing, problems = validate({**GOOD, "phone": value})
    assert problems == []
    assert (listing.phone_display, listing.phone_tel) == ("(512) 555-0101 ext. 204", "tel:+15125550101;ext=204")
    assert listing.tel == "+15125550101;ext=204"   # the templates write href="tel:{{ l.tel }}"
    assert listing.phone_e164 == "+15125550101"


def test_every_state_district_and_territory_of_the_zip_data_is_accepted():
    """Each state code the zipcodes package has positions for: a listing there validates (one of
    its ZIPs, at that ZIP's position, with a board for it), unless us_states.NOT_ACCEPTED says why
    not; then the state is refused by name."""
    table = zip_positions.zip_table()
    first_zip = {}
    for zip_code, (lat, lon, state) in sorted(table.items()):
        first_zip.setdefault(state, (zip_code, lat, lon))
    assert {"GU", "PR", "VI", "AS", "MP", "DC", "TX"} <= set(first_zip)
    for state, (zip_code, lat, lon) in sorted(first_zip.items()):
        data = {**GOOD, "state": state, "license_state": state, "zip": zip_code, "latitude": lat, "longitude": lon}
        listing, problems = schema.validate_listing(
            data, PATH, today=TODAY, zip_lookup=table.get, vocabulary=VOCABULARY, file_id="jane-doe",
            boards={state: BOARDS["TX"]})
        if state in NOT_ACCEPTED:
            assert listing is None and {p.field for p in problems} == {"state", "license_state"}, state
            assert problems[0].what == f"'{state}' is not a US state, district or territory"
        else:
            assert problems == [], (state, problems)
            assert listing.state == state


@pytest.mark.parametrize("value", ["ftp://example.org", "javascript:alert(1)", "example.org", "https://"])
def test_a_website_that_is_not_http_is_reported(value):
    problem = one_problem(website=value)
    assert (problem.field, problem.what) == ("website", f"'{value}' is not a web address")
    assert problem.fix.startswith("it must start with https://")


def test_position_far_from_the_zip_is_reported_with_miles():
    problem = one_problem(latitude=30.9, longitude=-97.74)
    assert problem.field == "latitude"
    assert problem.what == "latitude and longitude 30.9, -97.74 are 43 miles from ZIP 78701 (more than 25)"


def test_position_within_25_miles_is_accepted():
    assert validate({**GOOD, "latitude": 30.5, "longitude": -97.74})[1] == []


def test_a_listing_not_updated_in_12_months_is_stale():
    problem = one_problem(last_updated=dt.date(2025, 11, 25))
    assert (problem.field, problem.what, problem.fix) == (
        "last_updated", "2025-11-25 is more than 12 months ago",
        "confirm every detail with the therapist, then set last_updated to today's date (2026-11-26)")
    assert validate({**GOOD, "last_updated": dt.date(2025, 11, 26)})[1] == []


def test_a_date_in_the_future_is_reported():
    problem = one_problem(license_verified=dt.date(2027, 1, 1))
    assert (problem.field, problem.what, problem.fix) == (
        "license_verified", "2027-01-01 is in the future", "use the date it was actually done")


def test_a_date_written_as_text_is_reported():
    problem = one_problem(last_updated="Nov 1 2026")
    assert (problem.field, problem.what) == ("last_updated", "'Nov 1 2026' is not a date")
    assert problem.fix.startswith("write it as YYYY-MM-DD")


def test_yes_no_text_is_not_a_boolean():
    problem = one_problem(telehealth="sometimes")
    assert (problem.field, problem.what) == ("telehealth", "'sometimes' must be true or false")


@pytest.mark.parametrize("field, value", [("name", ["a", "list"]), ("latitude", "north"), ("longitude", 200),
                                          ("sample", "yes"), ("license_state", "Texas")])
def test_values_of_the_wrong_type_are_reported_at_their_field(field, value):
    assert one_problem(**{field: value}).field == field


def test_id_must_match_the_file_name():
    problem = one_problem(id="jane-d")
    assert (problem.field, problem.what, problem.fix) == (
        "id", "'jane-d' does not match the file name 'jane-doe.yml'",
        "rename the file to jane-d.yml or set id: jane-doe")


@pytest.mark.parametrize("value", ["Jane Doe", "jane--doe", "-jane"])
def test_id_must_be_a_slug(value):
    assert "must be lowercase letters, digits and single hyphens" in one_problem(id=value).what


def test_reserved_ids_are_refused():
    _, [problem] = validate({**GOOD, "id": "cities"}, file_id=None, boards=None)
    assert problem.field == "id" and "'cities' is reserved" in problem.what


def test_license_state_without_a_board_is_reported():
    problem = one_problem(license_state="CO")
    assert (problem.field, problem.what, problem.fix) == (
        "license_state", "no licensing board is listed for CO",
        "add the state's board look-up pages to docs/therapists/licensing-boards.yml")


def test_overlong_bio_is_reported():
    problem = one_problem(bio="x" * 601)
    assert (problem.field, problem.what, problem.fix) == ("bio", "is 601 characters", "shorten it to 600 or fewer")


@pytest.mark.parametrize("field", [field.name for field in schema.FIELDS if field.type == "text"
                                   and field.rule in (schema.text, schema.street)])
def test_every_line_of_text_has_a_limit_counted_after_its_spaces_are_tidied(field):
    """A name, clinic, street, city or license number is one line on a card: LINE_MAX characters,
    counted as shown (runs of spaces as one); a bio, BIO_MAX. No text field is without a limit."""
    limit = next(item.max_length for item in schema.FIELDS if item.name == field)
    assert limit in (schema.LINE_MAX, schema.BIO_MAX)
    words = (limit + 1) // 3   # "Ab Ab ... Ab": 3 characters a word but the last, once tidied
    spaced = "  " + "  \t ".join(["Ab"] * words) + "\t\n"
    assert len(spaced) > limit >= len(" ".join(spaced.split()))
    for fits in ("x" * limit, spaced):
        assert not [p for p in validate({**GOOD, field: fits})[1] if p.field == field], fits
    problem = one_problem(**{field: "y" * (limit + 1)})
    assert (problem.field, problem.what, problem.fix) == (field, f"is {limit + 1} characters",
                                                          f"shorten it to {limit} or fewer")


def test_a_file_that_is_not_a_mapping_is_reported():
    _, [problem] = validate(["just", "a", "list"])
    assert (problem.path, problem.line, problem.field) == (PATH, 1, "")
    assert problem.what.startswith("the file must be a list of 'field: value' lines")


def test_every_problem_in_a_listing_is_reported_at_once():
    _, problems = validate({**GOOD, "zip": "1234", "phone": "x", "website": "ftp://x"})
    assert [(p.path, p.field) for p in problems] == [(PATH, "zip"), (PATH, "phone"), (PATH, "website")]


def test_duplicate_ids_are_reported_with_both_files():
    listing, _ = validate(GOOD)
    problems = schema.check_unique_ids([("a/jane-doe.yml", listing), ("b/jane-doe.yml", listing)])
    assert problems == [Problem("b/jane-doe.yml", 1, "id", "'jane-doe' is also the id of a/jane-doe.yml",
                                "every listing needs its own id (and file name)")]


def write(folder, name, data):
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def load_folder(folder, **options):
    return load_listing_files(folder, today=TODAY, zip_lookup=ZIPS.get, vocabulary=VOCABULARY,
                              boards=options.pop("boards", BOARDS), root=options.pop("root", folder), **options)


def line_of(file: Path, text: str) -> int:
    """The 1-based line of the file that starts with `text`."""
    return [n for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(text)][0]


def test_load_listings_collects_problems_from_every_file(tmp_path):
    write(tmp_path, "jane-doe.yml", {**GOOD})
    write(tmp_path, "john-doe.yml", {**GOOD, "id": "jane-doe"})          # duplicate id, wrong file name
    write(tmp_path, "bad-zip.yml", {**GOOD, "id": "bad-zip", "zip": "12"})
    (tmp_path / "broken.yml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    found, problems = load_folder(tmp_path)
    assert [listing.id for listing in found] == ["jane-doe"]
    assert Problem("bad-zip.yml", line_of(tmp_path / "bad-zip.yml", "zip: '12'"), "zip",
                   "'12' is not a 5-digit US ZIP", 'write it like "78701", in quotes') in problems
    assert any((p.path, p.line, p.field) == ("broken.yml", 2, "") and p.what == "has a bracket that is never closed"
               for p in problems)
    assert any((p.path, p.line, p.field) == ("john-doe.yml", 1, "id")
               and p.what == "'jane-doe' does not match the file name 'john-doe.yml'" for p in problems)
    assert len(problems) == 3


def test_a_listing_file_that_is_not_utf8_is_a_problem_not_a_traceback(tmp_path):
    write(tmp_path, "jane-doe.yml", GOOD)
    (tmp_path / "jane-doe.yml").write_bytes((tmp_path / "jane-doe.yml").read_bytes().replace(b"Jane Doe", b"Jan\xe9"))
    _, [problem] = load_folder(tmp_path)
    assert (problem.path, problem.line, problem.what) == ("jane-doe.yml", 2, "the file is not UTF-8 text")


def test_load_listings_reports_duplicates_across_files(tmp_path):
    write(tmp_path, "jane-doe.yml", GOOD)
    write(tmp_path, "jane-doe-2.yml", {**GOOD, "id": "jane-doe-2"})
    listing_a, _ = validate(GOOD)
    found, problems = load_folder(tmp_path)
    assert problems == [] and [listing.id for listing in found] == ["jane-doe", "jane-doe-2"]
    assert schema.check_unique_ids([("x.yml", listing_a), ("y.yml", found[0])])


def test_every_problem_prints_as_one_line_with_file_line_field_and_fix(tmp_path):
    write(tmp_path, "jane-doe.yml", {**GOOD, "zip": "12"})
    found, problems = load_folder(tmp_path)
    line = line_of(tmp_path / "jane-doe.yml", "zip:")
    assert found == []
    assert [str(problem) for problem in problems] == [
        f"jane-doe.yml, line {line}: 'zip' '12' is not a 5-digit US ZIP — write it like \"78701\", in quotes"]


def test_the_shipped_sample_listings_are_valid_and_recent():
    boards, problems = load_boards(ROOT / "docs/therapists/licensing-boards.yml", "boards")
    assert errors(problems) == []  # warnings: board addresses nobody has confirmed yet (tests/test_boards.py)
    found, problems = load_listing_files(ROOT / "docs/therapists/listings", today=clinic_today(), boards=boards,
                                         vocabulary=VOCABULARY, zip_lookup=ZIP_POSITIONS.lookup,
                                         clinic=PROJECT_CLINIC)
    assert problems == []
    assert len(found) >= 25
    assert len(pages.group_by_city(found)) >= 5
    for listing in found:
        assert listing.sample and "Sample" in listing.name
        assert re.fullmatch(r"\d{3}-555-01\d\d( ext\. \d+)?", listing.phone)
        assert listing.website.startswith("https://example.org/")
        assert listing.last_updated >= dt.date(2026, 10, 1)


# ---------------------------------------------------------------- distance and helpers
def test_haversine_one_degree_of_latitude_is_69_miles():
    assert haversine_miles(0, 0, 1, 0) == pytest.approx(2 * math.pi * 3958.8 / 360)
    assert haversine_miles(30, -97, 30, -97) == 0


def test_haversine_known_city_pair_and_symmetry():
    austin, denver = (30.2672, -97.7431), (39.7392, -104.9903)
    miles = haversine_miles(*austin, *denver)
    assert 770 < miles < 780  # great-circle Austin-Denver is about 775 miles
    assert miles == pytest.approx(haversine_miles(*denver, *austin))


def test_months_before_handles_short_months():
    assert months_before(dt.date(2028, 2, 29), 12) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2026, 11, 26), 12) == dt.date(2025, 11, 26)


def test_relative_links_between_pages():
    assert pages.rel("therapists/index.md", "therapists/jane-doe.md") == "jane-doe/"
    assert pages.rel("therapists/cities/austin-tx.md", "therapists/jane-doe.md") == "../../jane-doe/"
    assert pages.rel("therapists/jane-doe.md", "therapists/index.md") == "../"
    assert pages.rel("therapists/jane-doe.md", "therapists/cities/austin-tx.md") == "../cities/austin-tx/"


def test_zip_shards_group_by_prefix_and_round():
    table = {"78701": (30.271312, -97.742634, "TX"), "78704": (30.2428, -97.7658, "TX"),
             "80202": (39.7491, -104.9946, "CO")}
    assert zip_positions.shards(table) == {"78": {"78701": [30.2713, -97.7426], "78704": [30.2428, -97.7658]},
                                           "80": {"80202": [39.7491, -104.9946]}}
    files = dict(zip_positions.shard_files(table))
    assert json.loads(files["therapists/zip/78.json"])["78704"] == [30.2428, -97.7658]


def test_the_zip_cache_is_written_once_then_only_read(tmp_path, monkeypatch):
    table = {"78701": (30.271312, -97.742634, "TX"), "80202": (39.7491, -104.9946, "CO")}
    monkeypatch.setattr(zip_positions, "zip_table", lambda: table)
    (tmp_path / "zipcodes-0.0-prefix2").mkdir()  # an older version's cache: removed once the new one is written
    cache = zip_positions.ZipCache(tmp_path, SECRET)
    assert cache.lookup("78701") == (30.271312, -97.742634, "TX") and cache.lookup("78702") is None
    assert cache.lookup("99999") is None  # no file for that prefix at all
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", cache.folder.name]

    def no_table():
        raise AssertionError("the national table was loaded again")
    monkeypatch.setattr(zip_positions, "zip_table", no_table)
    again = zip_positions.ZipCache(tmp_path, SECRET)
    assert again.lookup("80202") == (39.7491, -104.9946, "CO")
    site = tmp_path / "site"
    again.copy_shards(site)
    assert sorted(p.name for p in (site / "therapists/zip").iterdir()) == ["78.json", "80.json"]
    assert json.loads((site / "therapists/zip/78.json").read_text()) == {"78701": [30.2713, -97.7426]}


def test_a_zip_cache_without_its_complete_mark_is_written_again(tmp_path, monkeypatch):
    monkeypatch.setattr(zip_positions, "zip_table", lambda: {"78701": (30.27, -97.74, "TX")})
    folder = zip_positions.ZipCache(tmp_path, SECRET).folder
    (folder / "complete").unlink()  # as if it had been left half-written
    (folder / "lookup" / "78.json").write_text("{", encoding="utf-8")
    assert zip_positions.ZipCache(tmp_path, SECRET).lookup("78701") == (30.27, -97.74, "TX")
    assert (folder / "complete").is_file()


def test_a_cache_another_build_finished_meanwhile_is_kept_for_the_builds_reading_it(tmp_path, monkeypatch):
    """Two builds start at once on a fresh clone: both find no cache. The second looks again once
    the first has written one (under the cache's lock), and keeps the first one's: the folder the
    first build reads from is never deleted under it (it was, and that build called every ZIP
    code of the clinic's listings unknown)."""
    monkeypatch.setattr(zip_positions, "zip_table", lambda: {"78701": (30.27, -97.74, "TX")})
    first = zip_positions.ZipCache(tmp_path, SECRET)
    read_from = (first.folder / "lookup" / "78.json").stat().st_ino
    verified = zip_positions.ZipCache._verified
    looks: list[bool] = []

    def looked_early(cache) -> bool:   # the second build's first look came before the first had finished
        looks.append(verified(cache) if looks else False)
        return looks[-1]
    monkeypatch.setattr(zip_positions.ZipCache, "_verified", looked_early)
    second = zip_positions.ZipCache(tmp_path, SECRET)
    assert looks == [False, True]
    assert (first.folder / "lookup" / "78.json").stat().st_ino == read_from
    assert first.lookup("78701") == second.lookup("78701") == (30.27, -97.74, "TX")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", first.folder.name], "its own copy is deleted"


def test_without_a_private_folder_the_zip_cache_is_the_processs_own_and_goes_with_it(tmp_path):
    """No user secret (no private folder can be made): the cache is written to a temporary folder
    of the process, which ends with it, run after run (each left one behind)."""
    import subprocess
    import sys
    code = ("from pathlib import Path; from clinic_site.finder import zip_positions; "
            "cache = zip_positions.ZipCache(Path('unused'), None); "
            "assert cache.lookup('78701')[2] == 'TX' and cache.folder.is_dir(); print(cache.folder)")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    for _run in range(2):
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert Path(result.stdout.strip()).is_relative_to(tmp_path / "tmp")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_the_zip_table_comes_from_the_zipcodes_package():
    lat, lon, state = ZIP_POSITIONS.lookup("78701")
    assert state == "TX" and haversine_miles(lat, lon, 30.27, -97.74) < 2


# ---------------------------------------------------------------- listings at the site's own clinic
CLINIC = {"name": "Riverside Massage and PT", "street": "100 Example Street, Suite 2", "city": "Austin", "state": "TX",
          "zip": 78701, "latitude": 30.2713, "longitude": -97.7426, "phone": "512-555-0100"}   # as clinic.yml
AT_CLINIC = {**{k: v for k, v in GOOD.items() if k not in schema.FROM_CLINIC}, "at_clinic": True}


def test_a_listing_at_the_clinic_takes_the_clinics_name_address_and_position():
    assert set(schema.FROM_CLINIC) == {"clinic", "street", "city", "state", "zip", "latitude", "longitude"}
    listing, problems = validate(AT_CLINIC, yaml.safe_dump(AT_CLINIC, sort_keys=False), clinic=CLINIC)
    assert problems == []
    assert listing.at_clinic
    assert (listing.clinic, listing.street, listing.city, listing.state, listing.zip) == (
        "Riverside Massage and PT", "100 Example Street, Suite 2", "Austin", "TX", "78701")   # the ZIP as text
    assert (listing.latitude, listing.longitude) == (30.2713, -97.7426)
    assert listing.city_key == "austin-tx"
    # renaming the clinic renames every listing at it, with nothing to change in the listing files
    renamed, problems = validate(AT_CLINIC, clinic={**CLINIC, "name": "Riverbend Clinic"})
    assert problems == [] and renamed.clinic == "Riverbend Clinic"


def test_an_old_listing_at_the_clinic_is_told_to_delete_each_line_the_clinic_block_gives():
    old = {**GOOD, "at_clinic": True}   # written before the clinic block was the one source
    source = yaml.safe_dump(old, sort_keys=False)
    listing, problems = validate(old, source, clinic=CLINIC)
    assert listing is None
    assert [problem.field for problem in problems] == list(schema.FROM_CLINIC)   # one per line, in file order
    lines = source.splitlines()
    for problem in problems:
        key = schema.FROM_CLINIC[problem.field]
        assert (problem.path, problem.severity) == (PATH, "error")
        assert lines[problem.line - 1].startswith(f"{problem.field}:"), (problem, source)   # the line to delete
        assert problem.what == "is taken from the clinic's details for a listing with `at_clinic: true`"
        assert problem.fix == f"delete this line: the listing shows the clinic's {key} from clinic.yml ({key})"
    assert str(problems[0]) == (
        f"{PATH}, line {lines.index('clinic: Example Clinic') + 1}: 'clinic' is taken from the clinic's details for "
        "a listing with `at_clinic: true` — delete this line: the listing shows the clinic's name from clinic.yml "
        "(name)")
    # only the lines still there are named
    some = {**AT_CLINIC, "street": "1 Example St", "zip": "78701"}
    _, problems = validate(some, yaml.safe_dump(some, sort_keys=False), clinic=CLINIC)
    assert sorted(problem.field for problem in problems) == ["street", "zip"]


def test_a_listing_at_the_clinic_with_empty_lines_as_the_editor_writes_them():
    """The editor (Decap) writes a field typed and then cleared as `city: ""` (and a number as
    `latitude: ""`): an empty line gives no value, so it is not one to delete, and the clinic's
    is taken, as for a line left out; the same for null (`street:`)."""
    for empty in ("", None):
        data = {**AT_CLINIC, "city": empty, "latitude": empty, "street": empty}
        listing, problems = validate(data, yaml.safe_dump(data, sort_keys=False), clinic=CLINIC)
        assert problems == [], problems
        assert (listing.city, listing.latitude, listing.street) == ("Austin", 30.2713, "100 Example Street, Suite 2")


def test_a_listing_not_at_the_clinic_keeps_its_own_address():
    listing, problems = validate({**GOOD, "at_clinic": False}, clinic=CLINIC)
    assert problems == [] and (listing.clinic, listing.street) == ("Example Clinic", "1 Example St")
    _, problems = validate({**AT_CLINIC, "at_clinic": False}, clinic=CLINIC)
    assert {problem.field for problem in problems} == set(schema.FROM_CLINIC)   # each "is missing"
    assert all(problem.what == "is missing" for problem in problems)


@pytest.mark.parametrize("missing", list(schema.FROM_CLINIC.values()))
def test_a_clinic_block_without_a_value_the_listing_takes_is_one_clear_problem(missing):
    source = yaml.safe_dump(AT_CLINIC, sort_keys=False)
    clinic = {key: value for key, value in CLINIC.items() if key != missing}
    listing, [problem] = validate(AT_CLINIC, source, clinic=clinic)
    assert listing is None
    assert (problem.path, problem.line, problem.field) == (
        PATH, source.splitlines().index("at_clinic: true") + 1, "at_clinic")
    assert problem.what == f"is true, but the clinic's details in clinic.yml have no {missing} to take"
    assert problem.fix == f"add `{missing}:` to clinic.yml"
    # not also "is missing — add a line like …" for the listing file, which would then be told to delete it
    _, problems = validate(AT_CLINIC, source, clinic={**clinic, missing: ""})
    assert [p.field for p in problems] == ["at_clinic"]


def test_without_a_clinic_block_each_value_an_at_clinic_listing_needs_is_named_once():
    _, problems = validate(AT_CLINIC, clinic=None)
    assert [problem.field for problem in problems] == ["at_clinic"] * len(schema.FROM_CLINIC)
    assert [problem.fix for problem in problems] == [
        f"add `{key}:` to clinic.yml" for key in schema.FROM_CLINIC.values()]


def test_when_clinic_yml_cannot_be_read_a_listing_at_the_clinic_is_left_out_without_more_problems():
    # clinic.yml's own problem is named once (clinic_site.project.Settings.read); its listings add none
    listing, problems = validate(AT_CLINIC, clinic=schema.CLINIC_UNREADABLE)
    assert listing is None and problems == []
    old = {**GOOD, "at_clinic": True, "colour": "blue"}   # a listing's own problems are still named
    _, problems = validate(old, clinic=schema.CLINIC_UNREADABLE)
    assert [problem.field for problem in problems] == ["colour"]


def test_the_shipped_listings_at_the_clinic_show_the_clinic_blocks_address():
    files = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
             for path in (ROOT / "docs/therapists/listings").glob("*.yml")}
    ours = {name for name, data in files.items() if data.get("at_clinic")}
    assert len(ours) >= 3
    assert not [name for name in ours if set(files[name]) & set(schema.FROM_CLINIC)]   # no copies left to drift
    found, problems = load_listing_files(ROOT / "docs/therapists/listings", today=clinic_today(), boards=None,
                                         vocabulary=VOCABULARY, zip_lookup=ZIP_POSITIONS.lookup, clinic=PROJECT_CLINIC)
    assert problems == []
    for listing in found:
        if listing.id in ours:
            assert (listing.clinic, listing.street, listing.city, listing.state, listing.zip, listing.latitude,
                    listing.longitude) == tuple(PROJECT_CLINIC[key] for key in schema.FROM_CLINIC.values())
    assert {listing.id for listing in found if listing.at_clinic} == ours


def test_a_zip_cache_anyone_else_wrote_or_linked_is_written_again_and_never_through(tmp_path, monkeypatch):
    """A tester's: .cache/zip-positions committed as a link made `clinic check` write into the
    folder it named and delete what was there; a file committed in its site/ folder was
    published, and a link there was followed (a file from outside published as a shard). The
    folder is trusted only as sealed by this user, with no link and nothing added."""
    monkeypatch.setattr(zip_positions, "zip_table", lambda: {"78701": (30.27, -97.74, "TX")})
    victim = tmp_path / "victim"
    (victim / "zipcodes-keepme").mkdir(parents=True)
    (victim / "zipcodes-keepme" / "file.txt").write_text("precious", encoding="utf-8")
    root = tmp_path / "cache" / "zip-positions"
    root.parent.mkdir()
    root.symlink_to(victim, target_is_directory=True)
    cache = zip_positions.ZipCache(root, SECRET)
    assert cache.lookup("78701") == (30.27, -97.74, "TX")
    assert not root.is_symlink() and [p.name for p in victim.iterdir()] == ["zipcodes-keepme"]
    assert (victim / "zipcodes-keepme" / "file.txt").read_text(encoding="utf-8") == "precious"
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("outside", encoding="utf-8")
    for plant in (lambda: (cache.site_dir / "assets-evil.js").write_text("alert(1)", encoding="utf-8"),
                  lambda: (cache.site_dir / "therapists/zip/secret.json").symlink_to(secret_file),
                  lambda: (cache.folder / "lookup" / "78.json").write_text('{"78701": "ab"}', encoding="utf-8")):
        plant()
        again = zip_positions.ZipCache(root, SECRET)
        site = tmp_path / f"site-{len(list(tmp_path.glob('site-*')))}"
        again.copy_shards(site)
        assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == \
            ["therapists/zip/78.json"]
        assert again.lookup("78701") == (30.27, -97.74, "TX")
    other = zip_positions.ZipCache(root, b"o" * 32)   # sealed by someone else: written again for this one
    assert other.lookup("78701") == (30.27, -97.74, "TX")
