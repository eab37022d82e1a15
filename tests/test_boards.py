"""The licensing boards table (docs/therapists/licensing-boards.yml): a look-up page or, until
someone finds it, the board's website; the date a person last confirmed the address; and what a
listing page says about both."""
from __future__ import annotations

import datetime as dt

import jinja2
import pytest

from clinic_site.finder.boards import load_boards
from clinic_site.finder.vocabulary import project_vocabulary
from clinic_site.problems import WARNING, errors
from tests.harness import PROJECT_ROOT

ROOT = PROJECT_ROOT
SHOWN = "docs/therapists/licensing-boards.yml"
TODAY = dt.date(2026, 11, 29)


def load(tmp_path, text: str, today: dt.date = TODAY):
    file = tmp_path / "boards.yml"
    file.write_text(text, encoding="utf-8")
    return load_boards(file, SHOWN, today)


def entry(**fields: str) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields.items()) + "}"


def state(massage: str, physical_therapy: str) -> str:
    return f"TX:\n  massage: {massage}\n  physical_therapy: {physical_therapy}\n"


CHECKED = entry(name="Board", lookup="https://example.org/lookup", checked="2026-11-01")


def test_a_confirmed_look_up_page_is_accepted_without_warnings(tmp_path):
    boards, problems = load(tmp_path, state(CHECKED, CHECKED))
    assert problems == []
    assert boards["TX"]["massage"] == {"name": "Board", "lookup": "https://example.org/lookup", "website": None,
                                       "checked": dt.date(2026, 11, 1)}


@pytest.mark.parametrize(("fields", "field", "what"), [
    (dict(name="Board", website="https://example.org"), "TX.massage.lookup", "is not known yet"),
    (dict(name="Board", lookup="https://example.org"), "TX.massage.checked", "is missing: nobody has confirmed"),
    (dict(name="Board", lookup="https://example.org", checked="2025-10-01"), "TX.massage.checked",
     "is 2025-10-01: the address was last confirmed more than 12 months ago"),
])
def test_unconfirmed_old_or_website_only_addresses_are_warnings_on_their_line(tmp_path, fields, field, what):
    boards, problems = load(tmp_path, state(entry(**fields), CHECKED))
    assert boards is not None  # warnings: the build goes on
    [problem] = problems
    assert (problem.path, problem.line, problem.field, problem.severity) == (SHOWN, 2, field, WARNING)
    assert problem.what.startswith(what)


@pytest.mark.parametrize(("fields", "field", "what"), [
    (dict(name="Board"), "TX.massage.lookup", "needs a 'lookup:' address starting with https://"),
    (dict(name="Board", website="http://example.org"), "TX.massage.website",
     "needs a 'website:' address starting with https://"),
    (dict(name="Board", lookup="https://example.org", checked="soon"), "TX.massage.checked",
     "is 'soon', which is not a date"),
    (dict(name="Board", lookup="https://example.org", checked="2027-01-01"), "TX.massage.checked",
     "is 2027-01-01, which is in the future"),
])
def test_a_missing_address_or_an_impossible_date_stops_the_build(tmp_path, fields, field, what):
    boards, problems = load(tmp_path, state(entry(**fields), CHECKED))
    assert boards is None
    assert [(p.line, p.field, p.what) for p in errors(problems)] == [(2, field, what)]


def test_the_shipped_table_warns_for_every_address_nobody_has_confirmed():
    """No address in the shipped table has been confirmed by a person (they were written offline),
    so each one warns until a person checks it and adds `checked:`; none is an error."""
    boards, problems = load_boards(ROOT / SHOWN, SHOWN, TODAY)
    assert boards is not None and errors(problems) == []
    warned = {problem.field.rsplit(".", 1)[0] for problem in problems}
    assert warned == {f"{code}.{kind}" for code in boards for kind in ("massage", "physical_therapy")
                      if boards[code][kind]["checked"] is None}
    assert boards["OR"]["physical_therapy"]["name"] == "Oregon Board of Physical Therapy"
    assert boards["WA"]["massage"]["lookup"] is None  # moved to a new system in 2025: not yet found


def test_north_carolinas_state_title_lmbt_is_a_massage_credential():
    vocabulary = project_vocabulary(ROOT / "docs/therapists/vocabulary.yml")
    assert "LMBT" in vocabulary.credentials.labels
    assert "LMBT" not in vocabulary.physical_therapy_credentials


LISTING_TEMPLATE = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "overrides"), autoescape=True)


@pytest.mark.parametrize(("board", "link", "says"), [
    ({"name": "Texas Board", "lookup": "https://example.org/l", "website": None, "checked": dt.date(2026, 11, 2)},
     ("https://example.org/l", "Check this license with the Texas Board"), "(link last checked November 2, 2026)"),
    ({"name": "Oregon Board", "lookup": None, "website": "https://example.org/", "checked": None},
     ("https://example.org/", "Oregon Board website"), "(link not yet checked by the clinic)"),
])
def test_a_listing_page_links_the_boards_page_and_says_when_it_was_checked(board, link, says):
    from bs4 import BeautifulSoup

    source = (ROOT / "overrides/finder/listing.html").read_text(encoding="utf-8")
    line = next(text for text in source.splitlines() if text.startswith("<p><strong>License:"))
    html = LISTING_TEMPLATE.from_string(line).render(
        l={"license_number": "MT-1", "license_state": "TX"}, t={"license_verified": ("2026-11-01", "November 1, 2026")},
        board=board)
    paragraph = BeautifulSoup(html, "html.parser").p
    anchor = paragraph.find("a")
    assert (anchor["href"], anchor.get_text()) == link
    assert says in paragraph.get_text(" ", strip=True).replace(" )", ")")
