"""What staff type in the editor's text fields comes back as the same text when the site reads
the file. Decap writes YAML 1.2 (npm `yaml` 1.x, the version decap-cms-core uses): it quotes a
text only when YAML 1.2 would read it as something else; the site reads with PyYAML (YAML 1.1),
where a plain `no`, `on`, `1:30`, `1_000`, `0b1` or `2026-01-05` is false, a number or a date.
Each text field's pattern must refuse exactly those (and still take what Decap quotes, like
"01234" or "5125550101"); a vocabulary code YAML 1.1 misreads must not be a select's value.
Runs Decap's own YAML writer in Node once, for every value at a time: about a second."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from clinic_site.editor import config
from clinic_site.finder.vocabulary import load_vocabulary
from tests.harness import PROJECT_ROOT
from tests.test_editor import VOCABULARY, generated

VALUES = ["yes", "Yes", "NO", "no", "on", "On", "OFF", "off", "y", "n", "true", "False", "null", "Null", "~", "None",
          "0", "7", "012", "01234", "78701", "5125550101", "0o17", "0b101", "0b1_0", "0x1F", "0x1_F", "1_000",
          "+1", "-1", "1.5", "1.", "1e5", "1.0e+5", "1.0e5", "1_0.5", ".5", ".inf", ".NaN", "-.Inf", "1:30",
          "190:20:30", "1:30.5", "12:30", "2026-01-05", "2026-1-5 10:00:00", "2026-01-05T10:00:00Z", "<<", "=",
          "MT012345", "LMT-1234", "512-555-0101", "512.555.0101", "Jane Doe", "On call", "no.", "12:30 pm",
          "jane-doe", "no-pain", "2026", "Austin", "100 Example Street, Suite 2", "https://example.org",
          "A sentence long enough to be a description of a page on this site, with words."]
PHONES = ["512-555-0101", "(512) 555-0101", "+1 512.555.0101", "1-512-555-0101", "512 555 0101 ext. 204",
          "512-555-0101 x204", "512-555-0101 #12", "512-555-0101;ext=204", "512-555-0101, Ext 9", "5125550101",
          "555-0101", "112-555-0101", "512-155-0101", "512-555-01012", "+2 512 555 0101", "1+512 555 0101",
          "512-555-0101 ext. 1234567", "512-555-0101 ext", "Call 512-555-0101", "(512)5550101", "  512-555-0101  ",
          "+1-512-555-0101 EXTENSION 7", "1 1 512 555 0101", "512-555-O101", "+15125550101", "12:30"]
STREETS = ["100 Example Street, Suite 2", "PO Box 12", "P.O. Box 12", "p o box 7", "Post  Office Box 3", "POB 12",
           "pob#4", "Box 12", "  box 12", "12 Box Elder Road", "Boxwood Lane 4", "General Delivery", "Shipbox Lane 1",
           "1 Depot Road", "Postbox Street 2", "100 Main St, P.O.Box 5"]
VALUES += PHONES + STREETS


@pytest.fixture(scope="module")
def written() -> dict[str, str]:
    """{value: the YAML line Decap's writer makes of `v: value`}."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (scripts/setup.sh)")
    script = ("const Y = require('yaml'); const out = {};"
              "for (const v of JSON.parse(process.argv[1])) { const d = new Y.Document(); d.contents = "
              "Y.createNode({v}); out[v] = String(d); } console.log(JSON.stringify(out));")
    done = subprocess.run([node, "-e", script, json.dumps(VALUES)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(text) == {"v": text_value(text)}
    except yaml.YAMLError:
        return False


def text_value(line: str):
    return yaml.load(line, Loader=yaml.BaseLoader)["v"]   # the text as written, every scalar a string


def text_fields(cms: dict) -> list[dict]:
    found = []
    for item in cms["collections"]:
        stack = list(item["fields"])
        while stack:
            field = stack.pop()
            stack += field.get("fields", [])
            if field["widget"] in ("string", "text"):
                found.append(field)
    return found


def test_decap_writes_these_values_as_it_does_in_the_browser(written):
    assert written["no"] == "v: no\n" and written["01234"] == 'v: "01234"\n'


def test_each_text_field_takes_a_value_exactly_when_it_reads_back_as_typed(written):
    fields = text_fields(generated())
    assert {"title", "description", "name", "license_number", "phone", "bio", "id", "zip"} <= {
        field["name"] for field in fields}
    for field in fields:
        assert "pattern" in field, field["name"]
        pattern = re.compile(field["pattern"][0])
        for value in VALUES:
            same = reads_back(written[value]) and text_value(written[value]) == value
            if not same:
                assert not pattern.search(value), (field["name"], value, written[value])
        for value in ("MT012345", "5125550101", "01234", "512-555-0101", "Jane Doe", "On call"):
            plain = re.compile(field["pattern"][0].replace(config.NOT_MISREAD, "", 1))
            if plain.search(value):
                assert pattern.search(value), (field["name"], value)


def test_a_select_never_offers_a_value_yaml_misreads(written, tmp_path):
    text = VOCABULARY.read_text(encoding="utf-8").replace("  en: English\n", '  en: English\n  "no": Norwegian\n')
    (tmp_path / "vocabulary.yml").write_text(text, encoding="utf-8")
    vocabulary, problems = load_vocabulary(tmp_path / "vocabulary.yml", "vocabulary.yml")
    assert vocabulary is not None and not problems
    fields = {field["name"]: field for field in config.listing_fields(vocabulary)}
    values = [option["value"] for name in ("credentials", "specialties", "payment", "languages")
              for option in fields[name]["options"]]
    assert "Norwegian" in values and "no" not in values
    for value in values:
        assert yaml.safe_load(f"v: {value}") == {"v": value}, value   # as Decap writes it: plain


def test_the_browser_reads_each_pattern_as_python_does():
    """Decap tests a pattern with JavaScript's RegExp: it must take the same values as re here."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (scripts/setup.sh)")
    patterns = {field["name"]: field["pattern"][0] for field in text_fields(generated())}
    script = ("const P = JSON.parse(process.argv[1]), V = JSON.parse(process.argv[2]), o = {};"
              "for (const k in P) { o[k] = V.filter(v => RegExp(P[k]).test(v)); } console.log(JSON.stringify(o));")
    done = subprocess.run([node, "-e", script, json.dumps(patterns), json.dumps(VALUES)], capture_output=True,
                          text=True, timeout=30, check=True)
    taken = json.loads(done.stdout)
    assert taken == {name: [value for value in VALUES if re.search(pattern, value)]
                     for name, pattern in patterns.items()}


ADDRESSES = ["https://example.org", "http://example.org/team", "HTTPS://Example.org", "www.example.org",
             "example.org", "https://localhost", "https:// example.org", "ftp://example.org", "https://a.b/c d",
             "mailto:a@example.org", "javascript:alert(1)//x.y"]


def test_the_website_field_takes_what_the_check_takes():
    """A listing's website: the form's pattern and the check's rule are one (schema.WEB_ADDRESS)."""
    from clinic_site.finder.schema import BY_NAME, Invalid
    listings = next(item for item in generated()["collections"] if item["name"] == "listings")
    field = next(item for item in listings["fields"] if item["name"] == "website")
    pattern = re.compile(field["pattern"][0])
    for value in ADDRESSES:
        try:
            BY_NAME["website"].rule(value, BY_NAME["website"], None)
            taken = True
        except Invalid:
            taken = False
        assert bool(pattern.search(value)) == taken, value
    assert not pattern.search("www.example.org")


def test_each_number_field_has_the_checks_limits():
    from clinic_site.finder.schema import BY_NAME, Invalid
    listings = next(item for item in generated()["collections"] if item["name"] == "listings")
    numbers = [field for field in listings["fields"] if field["widget"] == "number"]
    assert {field["name"] for field in numbers} == {"latitude", "longitude"}
    for field in numbers:
        rule = BY_NAME[field["name"]]
        for value in (field["min"], field["max"]):
            rule.rule(value, rule, None)
        for value in (field["min"] - 0.5, field["max"] + 0.5):
            with pytest.raises(Invalid):
                rule.rule(value, rule, None)


def test_the_description_field_takes_what_the_check_takes():
    from clinic_site.content_rules import description_problems
    pattern = re.compile(config.DESCRIPTION_PATTERN[0])
    for text in ["x" * 50, "x" * 49 + " ", " " + "x" * 50, "x" * 160, "x" * 161, "  " + "x" * 160 + "  ",
                 "a " * 25, " a" * 25 + "b", "x" * 48 + " y", "\t" + "x" * 49]:
        assert bool(pattern.search(text)) == (description_problems({"description": text}) == []), repr(text)


def test_on_a_live_site_a_guide_page_needs_its_review_in_the_form():
    vocabulary, _ = load_vocabulary(VOCABULARY, "vocabulary.yml")
    block = {"backend": "github", "repo": "a/b", "branch": "main"}
    for live in (False, True):
        guide = next(item for item in config.cms_config(block, vocabulary, ["ann"], ["News"], live=live)["collections"]
                     if item["name"] == "guide")
        fields = {field["name"]: field for field in guide["fields"]}
        assert [fields[key]["required"] for key in ("reviewed_by", "last_reviewed", "next_review")] == [live] * 3


def test_no_form_asks_for_a_choice_it_does_not_offer():
    """After `clinic remove-samples`, .authors.yml is `authors: {}`: a post needs an author, so the
    editor offers no new post and says why, instead of a form that can never be saved; with no
    `categories_allowed`, the blog takes any category, so they are typed."""
    vocabulary, _ = load_vocabulary(VOCABULARY, "vocabulary.yml")
    block = {"backend": "github", "repo": "a/b", "branch": "main"}
    for people, categories in ((["ann"], ["News"]), ([], ["News"]), (["ann"], []), ([], [])):
        cms = config.cms_config(block, vocabulary, people, categories)
        for item in cms["collections"]:
            for field in item["fields"]:
                if field["widget"] == "select" and field.get("required", True) and item.get("create"):
                    assert field["options"], (people, categories, item["name"], field["name"])
        posts = next(item for item in cms["collections"] if item["name"] == "posts")
        assert posts["create"] == bool(people)
        if not people:
            assert ".authors.yml" in posts["description"]


def test_the_listing_id_says_it_cannot_change_once_saved():
    """Decap saves an existing listing under its first file name whatever its id becomes (seen in
    Chromium: sample-arden-sampleton.yml with id: sample-arden-sampleton-x), which the check refuses."""
    listings = next(item for item in generated()["collections"] if item["name"] == "listings")
    assert "Not to be changed once saved" in next(f for f in listings["fields"] if f["name"] == "id")["hint"]


def test_the_phone_field_takes_what_the_check_dials():
    from clinic_site.phone import parse_phone
    listings = next(item for item in generated()["collections"] if item["name"] == "listings")
    pattern = re.compile(next(f for f in listings["fields"] if f["name"] == "phone")["pattern"][0])
    for value in PHONES:
        assert bool(pattern.search(value)) == (parse_phone(value) is not None), value


def test_the_street_field_refuses_what_the_check_calls_a_po_box():
    from clinic_site.finder.schema import is_po_box
    listings = next(item for item in generated()["collections"] if item["name"] == "listings")
    pattern = re.compile(next(f for f in listings["fields"] if f["name"] == "street")["pattern"][0])
    for value in STREETS:
        assert bool(pattern.search(value)) == (not is_po_box(value)), value


def test_the_listing_id_field_takes_what_the_check_takes():
    from clinic_site.finder.schema import BY_NAME, RESERVED_IDS, Context, Invalid
    listings = next(item for item in generated()["collections"] if item["name"] == "listings")
    pattern = re.compile(next(f for f in listings["fields"] if f["name"] == "id")["pattern"][0])
    rule = BY_NAME["id"]
    for value in [*sorted(RESERVED_IDS), "jane-doe", "zips", "index2", "a--b", "-a", "Jane", "j", "cities-1"]:
        try:
            rule.rule(value, rule, Context(None, None, None, None))
            taken = True
        except Invalid:
            taken = False
        assert bool(pattern.search(value)) == taken, value
