"""Unit tests of the therapist finder's pure functions: validation messages, distance, rendering."""
import datetime as dt
import json
import math
import re
from html.parser import HTMLParser

import pytest

from clinic_site import content_rules
from clinic_site.finder import listings, zip_positions

TODAY = dt.date(2026, 11, 26)
PATH = "docs/therapists/listings/jane-doe.yml"
ZIPS = {"78701": (30.2713, -97.7426, "TX"), "80202": (39.7491, -104.9946, "CO")}
BOARDS = {"TX": {"massage": {"name": "TX massage board", "lookup": "https://example.org/tx-massage"},
                 "physical_therapy": {"name": "TX PT board", "lookup": "https://example.org/tx-pt"}}}
GOOD = {
    "id": "jane-doe", "name": "Jane Doe", "credentials": ["LMT", "CLT"], "license_number": "MT123",
    "license_state": "TX", "license_verified": dt.date(2026, 11, 1), "clinic": "Example Clinic",
    "street": "1 Example St", "city": "Austin", "state": "TX", "zip": "78701",
    "latitude": 30.27, "longitude": -97.74, "phone": "512-555-0101", "website": "https://example.org",
    "specialties": ["lymphatic drainage", "sports injuries"], "payment": ["self-pay", "Medicare"],
    "languages": ["English", "Spanish"], "telehealth": True, "home_visits": False,
    "accepting_new_clients": True, "last_updated": dt.date(2026, 11, 1), "bio": "Plain bio.", "sample": True,
}


def validate(data, **kwargs):
    return listings.validate_listing(data, PATH, today=TODAY, zip_lookup=ZIPS.get, boards=BOARDS,
                                     file_id="jane-doe", **kwargs)


def one_problem(**changes):
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not DELETE}
    listing, problems = validate(data)
    assert listing is None
    assert len(problems) == 1, problems
    return problems[0]


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
    assert one_problem(phone=DELETE) == (f"{PATH}, field 'phone': is missing; add a line like `phone: 512-555-0101`")


def test_optional_fields_may_be_left_out():
    data = {k: v for k, v in GOOD.items() if k not in ("website", "bio")}
    listing, problems = validate(data)
    assert problems == [] and listing.website is None and listing.bio == ""


def test_unknown_field_suggests_the_known_one():
    data = {**GOOD, "phone_number": "512-555-0101"}
    _, [problem] = validate(data)
    assert problem.startswith(f"{PATH}, field 'phone_number': is not a known field; did you mean 'phone'?")


@pytest.mark.parametrize("field, value, what", [
    ("credentials", ["LMT", "RN"], "credential"),
    ("specialties", ["lymphatic drainge"], "specialty"),
    ("languages", ["Klingon"], "language"),
    ("payment", ["bitcoin"], "payment option"),
])
def test_value_outside_a_controlled_list_is_named_with_the_choices(field, value, what):
    problem = one_problem(**{field: value})
    assert problem.startswith(f"{PATH}, field '{field}': '{value[-1]}' is not in the list of {what}s.")
    assert "Use one of:" in problem


def test_misspelled_specialty_gets_a_suggestion():
    assert "Did you mean 'lymphatic drainage'?" in one_problem(specialties=["lymphatic drainge"])


def test_empty_controlled_list_is_reported():
    assert "is empty; list at least one language" in one_problem(languages=[])


@pytest.mark.parametrize("value", ["1234", "787010", "7870A"])
def test_a_zip_that_is_not_5_digits_is_reported_with_the_fix(value):
    assert one_problem(zip=value) == (f"{PATH}, field 'zip': '{value}' is not a 5-digit US ZIP; write it like \"78701\".")


def test_a_zip_written_as_a_number_is_told_to_use_quotes():
    assert "Put quotes around it" in one_problem(zip=8701)


def test_an_unknown_zip_is_reported():
    assert one_problem(zip="00000") == f"{PATH}, field 'zip': '00000' is not a known US ZIP code; check it on the letter or web site"


def test_zip_in_another_state_is_reported():
    problem = one_problem(zip="80202", latitude=39.75, longitude=-104.99)
    assert problem == f"{PATH}, field 'zip': ZIP 80202 is in CO, but state is TX; correct the ZIP or the state"


@pytest.mark.parametrize("value", ["555-0101", "512-555-010", "call us", "012-555-0101", "512-155-0101"])
def test_a_phone_that_cannot_be_dialled_is_reported(value):
    assert one_problem(phone=value).startswith(f"{PATH}, field 'phone': '{value}' cannot be dialled; write a 10-digit")


@pytest.mark.parametrize("value", ["+1 (512) 555-0101", "1-512-555-0101", "512.555.0101"])
def test_dialable_phone_formats_are_accepted(value):
    listing, problems = validate({**GOOD, "phone": value})
    assert problems == [] and listing.tel == "+15125550101"


@pytest.mark.parametrize("value", ["ftp://example.org", "javascript:alert(1)", "example.org", "https://"])
def test_a_website_that_is_not_http_is_reported(value):
    assert one_problem(website=value).startswith(f"{PATH}, field 'website': '{value}' is not a web address; it must start with https://")


def test_position_far_from_the_zip_is_reported_with_miles():
    problem = one_problem(latitude=30.9, longitude=-97.74)
    assert problem.startswith(f"{PATH}, fields 'latitude' and 'longitude': 30.9, -97.74 is 43 miles from ZIP 78701 (more than 25)")


def test_position_within_25_miles_is_accepted():
    assert validate({**GOOD, "latitude": 30.5, "longitude": -97.74})[1] == []


def test_a_listing_not_updated_in_12_months_is_stale():
    problem = one_problem(last_updated=dt.date(2025, 11, 25))
    assert problem == (f"{PATH}, field 'last_updated': 2025-11-25 is more than 12 months ago; confirm every "
                       "detail with the therapist, then set last_updated to today's date (2026-11-26)")
    assert validate({**GOOD, "last_updated": dt.date(2025, 11, 26)})[1] == []


def test_a_date_in_the_future_is_reported():
    assert one_problem(license_verified=dt.date(2027, 1, 1)) == (
        f"{PATH}, field 'license_verified': 2027-01-01 is in the future; use the date it was actually done")


def test_a_date_written_as_text_is_reported():
    assert one_problem(last_updated="Nov 1 2026").startswith(
        f"{PATH}, field 'last_updated': 'Nov 1 2026' is not a date; write it as YYYY-MM-DD")


def test_yes_no_text_is_not_a_boolean():
    assert one_problem(telehealth="sometimes") == f"{PATH}, field 'telehealth': 'sometimes' must be true or false"


def test_id_must_match_the_file_name():
    assert one_problem(id="jane-d") == (f"{PATH}, field 'id': 'jane-d' does not match the file name 'jane-doe.yml'; "
                                        "rename the file to jane-d.yml or set id: jane-doe")


@pytest.mark.parametrize("value", ["Jane Doe", "jane--doe", "-jane"])
def test_id_must_be_a_slug(value):
    assert "must be lowercase letters, digits and single hyphens" in one_problem(id=value)


def test_reserved_ids_are_refused():
    _, [problem] = listings.validate_listing({**GOOD, "id": "cities"}, PATH, today=TODAY, zip_lookup=ZIPS.get)
    assert "'cities' is reserved" in problem


def test_license_state_without_a_board_is_reported():
    assert one_problem(license_state="CO") == (f"{PATH}, field 'license_state': no licensing board is listed for CO; "
                                               "add the state's board look-up pages to docs/therapists/licensing-boards.yml")


def test_overlong_bio_is_reported():
    assert one_problem(bio="x" * 601) == f"{PATH}, field 'bio': is 601 characters; shorten it to 600 or fewer"


def test_a_file_that_is_not_a_mapping_is_reported():
    _, [problem] = validate(["just", "a", "list"])
    assert problem.startswith(f"{PATH}: the file must be a list of 'field: value' lines")


def test_every_problem_in_a_listing_is_reported_at_once():
    _, problems = validate({**GOOD, "zip": "1234", "phone": "x", "website": "ftp://x"})
    assert [p.split(":")[0] for p in problems] == [f"{PATH}, field 'zip'", f"{PATH}, field 'phone'",
                                                  f"{PATH}, field 'website'"]


def test_duplicate_ids_are_reported_with_both_files():
    listing, _ = validate(GOOD)
    problems = listings.check_unique_ids([("a/jane-doe.yml", listing), ("b/jane-doe.yml", listing)])
    assert problems == ["b/jane-doe.yml, field 'id': 'jane-doe' is also the id of a/jane-doe.yml; "
                        "every listing needs its own id (and file name)"]


def write(folder, name, data):
    import yaml
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_load_listings_collects_problems_from_every_file(tmp_path):
    write(tmp_path, "jane-doe.yml", {**GOOD})
    write(tmp_path, "john-doe.yml", {**GOOD, "id": "jane-doe"})          # duplicate id, wrong file name
    write(tmp_path, "bad-zip.yml", {**GOOD, "id": "bad-zip", "zip": "12"})
    (tmp_path / "broken.yml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(listings.ListingError) as raised:
        listings.load_listings(tmp_path, today=TODAY, zip_lookup=ZIPS.get, boards=BOARDS, display_root=tmp_path)
    problems = raised.value.problems
    assert "bad-zip.yml, field 'zip': '12' is not a 5-digit US ZIP; write it like \"78701\"." in problems
    assert any(p.startswith("broken.yml, line 3: the file is not valid YAML") for p in problems)
    assert any(p.startswith("john-doe.yml, field 'id': 'jane-doe' does not match the file name 'john-doe.yml'")
               for p in problems)
    assert len(problems) == 3


def test_load_listings_reports_duplicates_across_files(tmp_path, monkeypatch):
    write(tmp_path, "jane-doe.yml", GOOD)
    write(tmp_path, "jane-doe-2.yml", {**GOOD, "id": "jane-doe-2"})
    listing_a, _ = validate(GOOD)
    found = listings.load_listings(tmp_path, today=TODAY, zip_lookup=ZIPS.get, boards=BOARDS)
    assert [l.id for l in found] == ["jane-doe", "jane-doe-2"]
    assert listings.check_unique_ids([("x.yml", listing_a), ("y.yml", found[0])])


def test_the_shipped_sample_listings_are_valid_and_recent():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    boards = listings.load_boards(root / "docs/therapists/licensing-boards.yml")
    found = listings.load_listings(root / "docs/therapists/listings", today=TODAY, boards=boards,
                                   zip_lookup=zip_positions.lookup)
    assert len(found) >= 25
    assert len(listings.group_by_city(found)) >= 5
    for listing in found:
        assert listing.sample and "Sample" in listing.name
        assert re.fullmatch(r"\d{3}-555-01\d\d", listing.phone)
        assert listing.website.startswith("https://example.org/")
        assert listing.last_updated >= dt.date(2026, 10, 1)


# ---------------------------------------------------------------- distance and helpers
def test_haversine_one_degree_of_latitude_is_69_miles():
    assert listings.haversine_miles(0, 0, 1, 0) == pytest.approx(2 * math.pi * 3958.8 / 360)
    assert listings.haversine_miles(30, -97, 30, -97) == 0


def test_haversine_known_city_pair_and_symmetry():
    austin, denver = (30.2672, -97.7431), (39.7392, -104.9903)
    miles = listings.haversine_miles(*austin, *denver)
    assert 770 < miles < 780  # great-circle Austin-Denver is about 775 miles
    assert miles == pytest.approx(listings.haversine_miles(*denver, *austin))


def test_months_before_handles_short_months():
    assert listings.months_before(dt.date(2028, 2, 29), 12) == dt.date(2027, 2, 28)
    assert listings.months_before(dt.date(2026, 11, 26), 12) == dt.date(2025, 11, 26)


def test_relative_links_between_pages():
    assert listings.rel("therapists/index.md", "therapists/jane-doe.md") == "jane-doe/"
    assert listings.rel("therapists/cities/austin-tx.md", "therapists/jane-doe.md") == "../../jane-doe/"
    assert listings.rel("therapists/jane-doe.md", "therapists/index.md") == "../"
    assert listings.rel("therapists/jane-doe.md", "therapists/cities/austin-tx.md") == "../cities/austin-tx/"


def test_zip_shards_group_by_prefix_and_round():
    table = {"78701": (30.271312, -97.742634, "TX"), "78704": (30.2428, -97.7658, "TX"), "80202": (39.7491, -104.9946, "CO")}
    assert zip_positions.shards(table) == {"78": {"78701": [30.2713, -97.7426], "78704": [30.2428, -97.7658]},
                                           "80": {"80202": [39.7491, -104.9946]}}
    files = dict(zip_positions.shard_files(table))
    assert json.loads(files["therapists/zip/78.json"])["78704"] == [30.2428, -97.7658]


def test_the_zip_cache_is_written_once_then_only_read(tmp_path, monkeypatch):
    table = {"78701": (30.271312, -97.742634, "TX"), "80202": (39.7491, -104.9946, "CO")}
    monkeypatch.setattr(zip_positions, "zip_table", lambda: table)
    (tmp_path / "zipcodes-0.0-prefix2").mkdir()  # an older version's cache: removed once the new one is written
    cache = zip_positions.ZipCache(tmp_path)
    assert cache.lookup("78701") == (30.271312, -97.742634, "TX") and cache.lookup("78702") is None
    assert cache.lookup("99999") is None  # no file for that prefix at all
    assert sorted(p.name for p in tmp_path.iterdir()) == [cache.folder.name]

    def no_table():
        raise AssertionError("the national table was loaded again")
    monkeypatch.setattr(zip_positions, "zip_table", no_table)
    again = zip_positions.ZipCache(tmp_path)
    assert again.lookup("80202") == (39.7491, -104.9946, "CO")
    site = tmp_path / "site"
    again.copy_shards(site)
    assert sorted(p.name for p in (site / "therapists/zip").iterdir()) == ["78.json", "80.json"]
    assert json.loads((site / "therapists/zip/78.json").read_text()) == {"78701": [30.2713, -97.7426]}


def test_a_zip_cache_without_its_complete_mark_is_written_again(tmp_path, monkeypatch):
    monkeypatch.setattr(zip_positions, "zip_table", lambda: {"78701": (30.27, -97.74, "TX")})
    folder = zip_positions.ZipCache(tmp_path).folder
    (folder / "complete").unlink()  # as if it had been left half-written
    (folder / "lookup" / "78.json").write_text("{", encoding="utf-8")
    assert zip_positions.ZipCache(tmp_path).lookup("78701") == (30.27, -97.74, "TX")
    assert (folder / "complete").is_file()


def test_the_zip_table_comes_from_the_zipcodes_package():
    lat, lon, state = zip_positions.lookup("78701")
    assert state == "TX" and listings.haversine_miles(lat, lon, 30.27, -97.74) < 2


# ---------------------------------------------------------------- rendering and escaping
EVIL = {**GOOD, "name": "Jane <script>alert(1)</script> Doe", "clinic": "</script><script>alert(2)</script>",
        "bio": '<img src=x onerror="alert(3)"> & "quotes"', "street": "1 <b>Bold</b> St"}


class TextAndTags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    parser = TextAndTags()
    parser.feed(html)
    return parser


def test_listing_text_is_escaped_in_the_directory_item():
    listing, _ = validate(EVIL)
    html = listings.directory_item(listing, listings.DIRECTORY_URI)
    parsed = parse(html)
    assert {tag for tag, _ in parsed.tags} <= {"li", "a", "span", "br", "small"}
    assert "Jane <script>alert(1)</script> Doe" in "".join(parsed.text)
    assert content_rules.unsafe_markup(html) == []


def test_listing_page_escapes_text_and_has_the_required_parts():
    listing, _ = validate(EVIL)
    page = listings.render_listing_page(listing, BOARDS, report_email="listings@example.org")
    body = page.html
    assert "<script" not in body and "<img" not in body
    assert content_rules.unsafe_markup(body) == []
    text = "".join(parse(body).text)
    assert "Jane <script>alert(1)</script> Doe" in text and '<img src=x onerror="alert(3)"> & "quotes"' in text
    assert 'href="tel:+15125550101"' in body
    assert 'href="https://example.org/tx-massage"' in body  # LMT -> the massage board
    assert "MT123 (TX)" in body
    assert "mailto:listings@example.org?subject=Outdated%20listing%3A%20jane-doe" in body
    assert "Sample listing" in body
    assert page.meta["title"] == "Jane &lt;script&gt;alert(1)&lt;/script&gt; Doe"
    assert page.meta["template"] == "finder-page.html"


def test_a_physical_therapist_links_to_the_pt_board():
    listing, _ = validate({**GOOD, "credentials": ["PT", "DPT"]})
    assert 'href="https://example.org/tx-pt"' in listings.render_listing_page(listing, BOARDS, report_email="a@example.org").html


def test_json_ld_is_physiotherapy_and_cannot_close_its_script():
    listing, _ = validate(EVIL)
    code = listings.listing_jsonld(listing, "https://example.org/therapists/jane-doe/")
    assert "<" not in code and ">" not in code
    data = json.loads(code)
    assert data["@type"] == "Physiotherapy"
    assert data["name"].startswith("Jane <script>alert(1)</script> Doe")
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "1 <b>Bold</b> St",
                               "addressLocality": "Austin", "addressRegion": "TX", "postalCode": "78701",
                               "addressCountry": "US"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 30.27, "longitude": -97.74}
    assert data["telephone"] == "+15125550101" and data["url"] == "https://example.org/therapists/jane-doe/"


def test_city_page_has_title_intro_and_its_listings():
    listing, _ = validate(GOOD)
    page = listings.render_city_page("austin-tx", [listing])
    assert page.meta["title"] == "Medical massage in Austin, TX"
    assert "1 therapist in Austin, TX" in page.html
    assert '<a class="finder-item__name" href="../../jane-doe/">Jane Doe</a>' in page.html
    assert "Sample listings" in page.html


def test_directory_lists_everything_with_filter_data():
    a, _ = validate(GOOD)
    b, _ = listings.validate_listing({**GOOD, "id": "bob", "sample": False, "telehealth": False}, "x", today=TODAY,
                                     zip_lookup=ZIPS.get)
    html = listings.render_directory([a, b], zip_base="zip/")
    assert html.count('class="finder-item"') == 2
    assert 'data-s="lymph sports" data-c="LMT CLT" data-l="en es" data-p="self medicare" data-f="ta"' in html
    assert 'aria-live="polite"' in html and 'data-search-exclude' in html
    assert content_rules.unsafe_markup(html) == []
    for control in ("finder-zip", "finder-q", "finder-s", "finder-c", "finder-l", "finder-p"):
        assert f'<label for="{control}">' in html
    for control in ("finder-t", "finder-h", "finder-a"):
        assert f'<label><input type="checkbox" id="{control}"' in html


def test_a_licensing_board_without_a_lookup_address_is_reported(tmp_path):
    path = tmp_path / "boards.yml"
    path.write_text("TX:\n  massage: {name: Board, lookup: https://example.org}\n"
                    "  physical_therapy: {name: Board, lookup: example.org}\n", encoding="utf-8")
    with pytest.raises(listings.ListingError) as raised:
        listings.load_boards(path)
    assert raised.value.problems == [f"{path}, state 'TX', 'physical_therapy': needs a 'lookup:' address "
                                     "starting with https://"]


def test_json_for_script_escapes_line_separators_and_ampersands():
    code = listings.json_for_script({"a": "x\u2028y & </script>"})
    assert "\u2028" not in code and "&" not in code and "<" not in code
    assert json.loads(code) == {"a": "x\u2028y & </script>"}
