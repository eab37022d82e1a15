"""An address a reviewer reads as one host and a browser follows to another is refused in every
field staff write an address in: "https://example.org@evil.example/" goes to evil.example (the part
before "@" is a user name), as does "https://example.org\\@evil.example/" in a browser."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from clinic_site import clinic_settings, people
from clinic_site.finder import schema
from clinic_site.finder.boards import load_boards
from clinic_site.problems import errors

DECEPTIVE = ["https://example.org@evil.example/", "https://example.org:443@evil.example/book",
             "https://user:pass@evil.example", "https://example.org\\@evil.example/"]
FINE = ["https://example.org", "https://example.org/team/@avery", "https://example.org/book?who=a@b.org#top",
        "https://example.org:8443/x"]


@pytest.mark.parametrize("address", DECEPTIVE)
def test_clinic_links_with_a_user_name_are_refused(address):
    what = clinic_settings.url_problem(address)
    assert what is not None and address in what


@pytest.mark.parametrize("address", FINE)
def test_clinic_links_with_an_at_sign_after_the_host_pass(address):
    assert clinic_settings.url_problem(address) is None


def test_a_listing_website_with_a_user_name_is_refused_by_the_check_and_the_form():
    field = schema.BY_NAME["website"]
    for address in DECEPTIVE:
        with pytest.raises(schema.Invalid) as refused:
            field.rule(address, field, None)
        assert "reads as one site and goes to another" in str(refused.value), address
        assert not re.search(schema.WEB_ADDRESS, address), address
    for address in FINE:
        assert field.rule(address, field, None) == address


@pytest.mark.parametrize("address", DECEPTIVE[:3])
def test_a_board_lookup_with_a_user_name_is_refused(tmp_path, address):
    file = tmp_path / "licensing-boards.yml"
    file.write_text(f"TX:\n  massage: {{name: Board, lookup: '{address}'}}\n"
                    "  physical_therapy: {name: Board, lookup: 'https://example.org/look-up'}\n", encoding="utf-8")
    boards, problems = load_boards(file, "docs/therapists/licensing-boards.yml")
    [problem] = errors(problems)
    assert boards is None and (problem.line, problem.field) == (2, "TX.massage.lookup")


@pytest.mark.parametrize("key", ["url", "avatar"])
def test_a_persons_address_with_a_user_name_is_refused(tmp_path, key):
    authors = tmp_path / ".authors.yml"
    for address, refused in [("https://example.org@evil.example/a.png", True), ("https://example.org/a.png", False)]:
        authors.write_text(f"authors:\n  jo:\n    name: Jo\n    {key}: '{address}'\n", encoding="utf-8")
        found = [problem for problem in people.read_people(authors, ".authors.yml", "/")[1]
                 if problem.field.endswith(key)]
        assert bool(found) == refused, (address, found)
        if refused:
            assert found[0].line == 4 and address in found[0].what


def test_the_sample_sites_addresses_still_pass():
    root = Path(__file__).resolve().parents[1]
    text = (root / "clinic.yml").read_text(encoding="utf-8")
    for key in ("booking_url", "directions_url"):
        [address] = re.findall(rf"^{key}: (\S+)", text, flags=re.M)
        assert clinic_settings.url_problem(address) is None
