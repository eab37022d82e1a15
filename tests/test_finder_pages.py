"""Unit tests of the finder's HTML (overrides/finder/*.html through clinic_site.finder.pages):
escaping by Jinja's autoescape, the parts each page needs, and the JSON-LD."""
import json
import re
from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup

from clinic_site import guard
from clinic_site.finder import pages, schema
from tests.harness import PROJECT_ROOT
from tests.test_finder_units import AT_CLINIC, BOARDS, CLINIC, GOOD, TODAY, VOCABULARY, ZIPS, validate

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


OVERRIDES = PROJECT_ROOT / "overrides"
PAGES = pages.Pages(pages.standalone_environment(OVERRIDES), VOCABULARY, BOARDS, "listings@example.org")
# Tags that could run script or show another site (the old blocklist's, content_rules before the
# pipeline): none may be in the finder's HTML, whatever a listing file holds.
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "meta", "link", "style"}


def code_in(html: str) -> list:
    """What in the finder's HTML could run or load anything: what the output guard refuses in a
    built page that holds none of the theme's own code (a script, a style, an on...= or style=
    attribute, a script URL, a frame; clinic_site.guard), and any tag of FORBIDDEN_TAGS. [] when safe."""
    found = guard.unlisted_code(html, "therapists/index.html", guard.SiteCode())
    return found + sorted({tag for tag, _ in parse(html).tags} & FORBIDDEN_TAGS)


def test_code_in_finds_what_could_run():
    assert code_in('<p>Plain <a href="https://example.org/">text</a></p>') == []
    for html in ('<script>alert(1)</script>', '<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
                 '<p style="color:red">x</p>', '<iframe src="https://example.org"></iframe>', '<form action="/x">'):
        assert code_in(html), html


def test_listing_text_is_escaped_in_the_city_pages_entry():
    # (Pages.item, the directory's entry, is gone: a city page lists the same entries.)
    listing, _ = validate(EVIL)
    html = PAGES.city("austin-tx", [listing])
    [item] = BeautifulSoup(html, "html.parser").select("li.finder-item")
    parsed = parse(str(item))
    assert {tag for tag, _ in parsed.tags} <= {"li", "a", "div", "span", "br", "small"}
    text = "".join(parsed.text)
    assert "Jane <script>alert(1)</script> Doe" in text
    assert "</script><script>alert(2)</script>" in text and "1 <b>Bold</b> St" in text   # clinic and street too
    assert code_in(html) == []


def test_listing_page_escapes_text_and_has_the_required_parts():
    listing, _ = validate(EVIL)
    body = PAGES.listing(listing)
    assert "<script" not in body and "<img" not in body
    assert code_in(body) == []
    text = "".join(parse(body).text)
    assert "Jane <script>alert(1)</script> Doe" in text and '<img src=x onerror="alert(3)"> & "quotes"' in text
    assert 'href="tel:+15125550101"' in body
    assert 'href="https://example.org/tx-massage"' in body  # LMT -> the massage board
    assert "MT123 (TX)" in body
    assert "mailto:listings@example.org?subject=Outdated%20listing%3A%20jane-doe" in body
    assert "Sample listing" in body
    meta = pages.listing_meta(listing)
    assert meta["title"] == "Jane &lt;script&gt;alert(1)&lt;/script&gt; Doe"
    assert meta["template"] == "finder-page.html"


def test_a_physical_therapist_links_to_the_pt_board():
    listing, _ = validate({**GOOD, "credentials": ["PT", "DPT"]})
    assert 'href="https://example.org/tx-pt"' in PAGES.listing(listing)


@pytest.mark.parametrize("credentials, schema_type, specialty", [
    (["PT", "DPT"], "Physiotherapy", "PhysicalTherapy"), (["LMT", "PTA"], "Physiotherapy", "PhysicalTherapy"),
    (["LMT"], "MedicalBusiness", None), (["LMT", "CLT"], "MedicalBusiness", None)])
def test_json_ld_types_a_listing_by_who_practises_there(credentials, schema_type, specialty):
    """Issue 24: Physiotherapy with medicalSpecialty PhysicalTherapy only where a PT or PTA
    practises (vocabulary.yml physical_therapy_credentials); a massage-only practice is a MedicalBusiness."""
    listing, _ = validate({**GOOD, "credentials": credentials})
    data = json.loads(pages.listing_jsonld(listing, "https://example.org/therapists/jane-doe/", VOCABULARY))
    assert data["@type"] == schema_type and data.get("medicalSpecialty") == specialty


def test_json_ld_cannot_close_its_script():
    listing, _ = validate(EVIL)
    code = pages.listing_jsonld(listing, "https://example.org/therapists/jane-doe/", VOCABULARY)
    assert "<" not in code and ">" not in code
    data = json.loads(code)
    assert data["name"].startswith("Jane <script>alert(1)</script> Doe")
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "1 <b>Bold</b> St",
                               "addressLocality": "Austin", "addressRegion": "TX", "postalCode": "78701",
                               "addressCountry": "US"}
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 30.27, "longitude": -97.74}
    assert data["telephone"] == "+15125550101" and data["url"] == "https://example.org/therapists/jane-doe/"
    assert data["availableService"] == [{"@type": "MedicalTherapy", "name": "lymphatic drainage"},
                                        {"@type": "MedicalTherapy", "name": "sports injuries"}]


def test_city_page_has_title_intro_and_its_listings():
    listing, _ = validate(GOOD)
    html = PAGES.city("austin-tx", [listing])
    assert pages.city_meta([listing])["title"] == "Medical massage in Austin, TX"
    assert "1 listed therapist in Austin, TX" in html      # count and noun agree
    assert '<a class="finder-item__name" href="../../jane-doe/">Jane Doe</a>' in html
    assert 'href="tel:+15125550101">Call (512) 555-0101<span class="finder-sr">, Jane Doe</span></a>' in html
    assert '<a href="../../states/tx/">Other cities in Texas</a>' in html
    assert "Sample listings" in html
    assert code_in(html) == []


def test_counts_and_nouns_agree():
    assert pages.therapists(1) == "1 listed therapist" and pages.therapists(20000) == "20,000 listed therapists"
    one, _ = validate(GOOD)
    two, _ = validate({**GOOD, "id": "bob", "name": "Bob", "city": "Round Rock"}, file_id="bob")
    state = PAGES.state("TX", pages.group_by_city([one, two]))
    assert "2 listed therapists in 2 cities in Texas" in state and "(1 therapist)" in state
    assert "in 1 city in Texas" in PAGES.state("TX", pages.group_by_city([one]))
    assert "1 listed therapist in 1 city" in pages.state_meta("TX", pages.group_by_city([one]))["description"]


def test_search_and_cards_settings_of_the_finder_pages():
    listing, _ = validate(GOOD)
    # listing pages stay out of the site search index; their city page carries their names
    assert pages.listing_meta(listing)["search"] == {"exclude": True}
    assert pages.city_meta([listing])["search"] == {"boost": 0.5}
    # no card of their own for listing and city pages; the state page has one
    assert pages.listing_meta(listing)["social"] == pages.city_meta([listing])["social"] == {"cards": False}
    assert "social" not in pages.state_meta("TX", {"austin-tx": [listing]})
    city = PAGES.city("austin-tx", [listing])
    indexed = re.sub(r"<(section|div|p)[^>]* data-search-ignore>.*?</\1>", "", city, flags=re.S)
    assert "Jane Doe" in indexed and "Example Clinic" not in indexed and "555" not in indexed


def test_the_directory_lists_states_then_cities_with_one_line_per_city():
    listings = [validate({**GOOD, "id": f"t{n}", "name": f"T{n}", "city": city, "state": state, "zip": zip_code,
                          "latitude": lat, "longitude": lon, "license_state": state}, file_id=f"t{n}", boards=None)[0]
                for n, (city, state, zip_code, lat, lon) in enumerate(
                    [("Austin", "TX", "78701", 30.27, -97.74)] * 3 + [("Denver", "CO", "80202", 39.75, -104.99)])]
    assert all(listings)
    html = PAGES.city_links(pages.group_by_city(listings))
    assert code_in(html) == []
    parsed = parse(html)
    headings = re.findall(r'<h3 class="finder-state"><a href="([^"]+)">(\w+)</a> <small>([^<]+)</small></h3>', html)
    assert headings == [("states/co/", "Colorado", "1 listed therapist"),
                        ("states/tx/", "Texas", "3 listed therapists")]
    assert re.findall(r'<li><a href="([^"]+)">(\w+)</a> \(([^)]+)\)</li>', html) == [
        ("cities/denver-co/", "Denver", "1 therapist"), ("cities/austin-tx/", "Austin", "3 therapists")]
    assert "T0" not in "".join(parsed.text)   # no listing on the directory
    assert 'data-search-ignore' in html and " id=" not in html


def test_directory_has_every_control_and_every_term_as_a_choice():
    a, _ = validate(GOOD)
    b, _ = schema.validate_listing({**GOOD, "id": "bob", "sample": False, "telehealth": False}, "x", today=TODAY,
                                   zip_lookup=ZIPS.get, vocabulary=VOCABULARY)
    html = PAGES.directory([a, b], zip_base="zip/")
    assert 'aria-live="polite"' in html and 'data-search-ignore' in html
    assert code_in(html) == []
    for control in ("finder-zip", "finder-q", "finder-s", "finder-c", "finder-l", "finder-p"):
        assert f'<label for="{control}">' in html
    for control in ("finder-t", "finder-h", "finder-a"):
        assert re.search(f'<label[^>]*><input type="checkbox" id="{control}"', html)
    # every term of the vocabulary is a choice of its filter, by its code
    for name, control in (("specialties", "s"), ("languages", "l"), ("payment", "p"), ("credentials", "c")):
        select = re.search(rf'<select id="finder-{control}".*?</select>', html).group()
        assert sorted(re.findall(r'<option value="(\w+)">', select)) == sorted(VOCABULARY.terms(name).labels)


def test_the_templates_escape_with_autoescaping_not_python():
    # board names and addresses come from a file staff edit: Jinja escapes them, quotes in attributes too
    lookup = 'https://example.org/?q="x"&y=<z>'
    boards = {"TX": {"massage": {"name": 'Board "A" & <B>', "lookup": lookup},
                     "physical_therapy": BOARDS["TX"]["massage"]}}
    listing, _ = validate(GOOD)
    renderer = pages.Pages(pages.standalone_environment(OVERRIDES), VOCABULARY, boards, "listings@example.org")
    body = renderer.listing(listing)
    [link] = [attrs for tag, attrs in parse(body).tags if tag == "a" and attrs.get("href", "").startswith("https://example.org/?")]
    assert link["href"] == lookup
    assert "&#34;x&#34;&amp;y=&lt;z&gt;" in body and 'Board &#34;A&#34; &amp; &lt;B&gt;' in body


@pytest.mark.parametrize("from_uri", ["therapists/index.md", "therapists/jane-doe.md", "therapists/cities/austin-tx.md",
                                      "index.md", "about.md", "a/b/c/index.md"])
def test_links_worked_out_once_per_folder_equal_rel(from_uri):
    fresh = pages.Pages(pages.standalone_environment(OVERRIDES), VOCABULARY, BOARDS, "listings@example.org")
    for to_uri in ["therapists/jane-doe.md", "therapists/bob.md", "therapists/index.md", "therapists/cities/x-tx.md",
                   "therapists/cities/y-co.md", "index.md", "other.md", "a/b/index.md"]:
        assert fresh._rel(from_uri, to_uri) == pages.rel(from_uri, to_uri), (from_uri, to_uri)


def test_json_for_script_escapes_line_separators_and_ampersands():
    code = pages.json_for_script({"a": "x\u2028y & </script>"})
    assert "\u2028" not in code and "&" not in code and "<" not in code
    assert json.loads(code) == {"a": "x\u2028y & </script>"}


def test_a_listing_at_the_clinic_says_so_on_its_page_and_its_city_page_and_is_a_clinic_therapist():
    ours, _ = validate(AT_CLINIC, clinic=CLINIC)   # in Austin, like Bob
    other, _ = validate({**GOOD, "id": "bob", "name": "Bob"}, file_id="bob", clinic=CLINIC)
    assert ours.at_clinic and not other.at_clinic     # optional: left out means false
    assert "At our clinic" in "".join(parse(PAGES.listing(ours)).text)
    shown = "".join(parse(PAGES.listing(ours)).text)   # the clinic block's name and address, not the file's
    assert CLINIC["name"] in shown and CLINIC["street"] in shown
    assert "At our clinic" not in "".join(parse(PAGES.listing(other)).text)
    city = PAGES.city("austin-tx", [ours, other])
    items = re.findall(r"<li class=\"finder-item\".*?</li>", city)
    assert ["At our clinic" in item for item in items] == [False, True]   # by name: Bob, then Jane
    [mine] = pages.clinic_therapists([other, ours])
    assert (mine.name, mine.credentials, mine.url, mine.accepting_new_clients) == (
        "Jane Doe", ["LMT", "CLT"], "therapists/jane-doe/", True)


def test_at_clinic_must_be_true_or_false():
    _, problems = validate({**GOOD, "at_clinic": "yes"})
    assert [(p.field, p.what) for p in problems] == [("at_clinic", "'yes' must be true or false")]


def test_the_directory_names_a_states_busiest_cities_and_links_its_page_for_all():
    """A state with more cities than CITIES_PER_STATE: the busiest are named (by name), then one link
    to the state's page, which names every city and every therapist (two clicks to any listing)."""
    limit = pages.CITIES_PER_STATE
    towns = [f"Town {chr(65 + n)}" for n in range(limit + 3)]
    listings = [validate({**GOOD, "id": f"t{n}-{k}", "name": f"Therapist {n} {k}", "city": town},
                         file_id=f"t{n}-{k}")[0]
                for n, town in enumerate(towns) for k in range(1 + (n == len(towns) - 1) * 5)]
    assert all(listings)
    cities = pages.group_by_city(listings)
    html = PAGES.city_links(cities)
    named = re.findall(r'<li><a href="cities/[^"]+">([^<]+)</a>', html)
    busiest = towns[-1]   # six listings; the others one each, so the first by name fill the rest
    assert len(named) == limit and busiest in named and named == sorted(named)
    assert set(named) - {busiest} == set(towns[:limit - 1])
    assert re.findall(r'<p class="finder-state-more"><a href="states/tx/">([^<]+)</a></p>', html) == [
        f"All {len(towns)} cities in Texas"]
    state = BeautifulSoup(PAGES.state("TX", pages.group_by_state(cities)["TX"]), "html.parser")
    people = {a.get_text() for a in state.select(".finder-state-people a")}
    assert people == {listing.name for listing in listings}
    assert code_in(html) == []


def test_the_directory_does_not_grow_with_the_listings_beyond_one_line_per_city():
    def listing(n, city):
        return validate({**GOOD, "id": f"t{n}", "name": f"Therapist {n}", "city": city}, file_id=f"t{n}")[0]
    few = [listing(n, city) for n, city in enumerate(["Austin", "Round Rock"])]
    many = [listing(n, ["Austin", "Round Rock"][n % 2]) for n in range(300)]
    assert PAGES.directory(few, zip_base="zip/") == PAGES.directory(many, zip_base="zip/")
    small, large = PAGES.city_links(pages.group_by_city(few)), PAGES.city_links(pages.group_by_city(many))
    def shape(html):   # the counts and their nouns aside
        return re.sub(r"\d+ (listed )?therapists?\b", "N", html)
    assert shape(small) == shape(large)
    assert large.count("<li>") == 2 and "Therapist 1" not in large
