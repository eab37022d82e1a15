"""Unit tests of the finder's settings (`extra: finder:`, a FinderConfig), its vocabulary and
licensing boards files, and check_finder: every mistake is a Problem with file, line and field."""
import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from clinic_site.finder import check_finder, load_finder, schema
from clinic_site.finder.boards import load_boards
from clinic_site.finder.settings import FinderConfig, load_settings
from clinic_site.finder.vocabulary import load_vocabulary
from clinic_site.problems import WARNING, Problem, errors
from clinic_site.project import Project, Settings
from tests.harness import PROJECT_ROOT
from tests.test_finder_units import AT_CLINIC, CLINIC, GOOD, ZIPS

ROOT = PROJECT_ROOT
TODAY = dt.date(2026, 11, 26)
VOCABULARY_FILE = ROOT / "docs/therapists/vocabulary.yml"
BOARDS_FILE = ROOT / "docs/therapists/licensing-boards.yml"
CONFIG = """\
site_name: Test
extra:
  finder:
    listings_dir: therapists/listings
    report_email: {email}
    page_size: {size}
    listing_dir: typo
nav:
  - index.md
"""


def line_of(text: str, start: str) -> int:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start)][0]


# ---------------------------------------------------------------- settings
def test_settings_default_when_mkdocs_yml_has_none():
    settings, problems = load_settings({}, None)
    assert problems == []
    assert dataclasses.asdict(settings) == {
        "listings_dir": "therapists/listings", "boards": "therapists/licensing-boards.yml",
        "vocabulary": "therapists/vocabulary.yml", "report_email": "listings@example.org", "page_size": 50}
    assert isinstance(settings, FinderConfig)
    assert settings.path("boards", Path("/site/docs")) == Path("/site/docs/therapists/licensing-boards.yml")


def test_bad_settings_are_problems_at_their_line_in_mkdocs_yml(tmp_path):
    text = CONFIG.format(email="not-an-address", size="many")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    extra = yaml.safe_load(text)["extra"]
    settings, problems = load_settings(extra, tmp_path / "mkdocs.yml")
    by_field = {problem.field: problem for problem in problems}
    assert sorted(by_field) == ["extra.finder.listing_dir", "extra.finder.page_size", "extra.finder.report_email"]
    email = by_field["extra.finder.report_email"]
    assert (email.path, email.line, email.what) == ("mkdocs.yml", line_of(text, "    report_email"),
                                                    "'not-an-address' is not an email address")
    size = by_field["extra.finder.page_size"]
    assert (size.line, size.what) == (line_of(text, "    page_size"), "'many' is not a whole number of 1 or more")
    typo = by_field["extra.finder.listing_dir"]
    assert (typo.line, typo.what) == (line_of(text, "    listing_dir"), "is not a finder setting")
    assert typo.fix.startswith("did you mean 'listings_dir'?")
    assert settings.page_size == 50 and settings.report_email == "listings@example.org"  # defaults meanwhile


@pytest.mark.parametrize("finder, field", [("nonsense", "extra.finder"), ({"page_size": 0}, "extra.finder.page_size"),
                                           ({"page_size": True}, "extra.finder.page_size"),
                                           ({"listings_dir": 3}, "extra.finder.listings_dir"),
                                           ({"vocabulary": ""}, "extra.finder.vocabulary")])
def test_settings_of_the_wrong_type_are_named(finder, field):
    _settings, [problem] = load_settings({"finder": finder}, None)
    assert (problem.path, problem.line, problem.field) == ("mkdocs.yml", 1, field)


# ---------------------------------------------------------------- vocabulary
def vocabulary_problems(tmp_path, text: str) -> list[Problem]:
    file = tmp_path / "vocabulary.yml"
    file.write_text(text, encoding="utf-8")
    vocabulary, problems = load_vocabulary(file, "docs/therapists/vocabulary.yml")
    assert vocabulary is None and problems
    return problems


def shipped_vocabulary() -> str:
    return VOCABULARY_FILE.read_text(encoding="utf-8")


def test_the_shipped_vocabulary_loads_in_its_order():
    vocabulary, problems = load_vocabulary(VOCABULARY_FILE, "docs/therapists/vocabulary.yml")
    assert problems == []
    assert list(vocabulary.credentials.labels)[:3] == ["LMT", "PT", "DPT"]
    assert vocabulary.specialties.labels["lymph"] == "lymphatic drainage"
    assert vocabulary.physical_therapy_credentials == {"PT", "DPT", "PTA"}


def test_a_missing_vocabulary_file_is_a_problem(tmp_path):
    vocabulary, [problem] = load_vocabulary(tmp_path / "nope.yml", "docs/therapists/vocabulary.yml")
    assert vocabulary is None
    assert (problem.path, problem.line, problem.field, problem.what) == (
        "docs/therapists/vocabulary.yml", 1, "", "the vocabulary file does not exist")
    assert "restore docs/therapists/vocabulary.yml" in problem.fix


def test_vocabulary_that_is_not_yaml_gives_the_line(tmp_path):
    text = shipped_vocabulary().replace("  tmj: jaw (TMJ) pain", "  tmj: jaw: TMJ pain")
    [problem] = vocabulary_problems(tmp_path, text)
    assert problem.line == line_of(text, "  tmj:") and problem.what == "has a ': ' inside a value"
    assert problem.fix == "put the value in double quotes"


def test_a_repeated_label_is_reported_at_its_line(tmp_path):
    text = shipped_vocabulary().replace("  cigna: Cigna", "  cigna: Aetna")
    [problem] = vocabulary_problems(tmp_path, text)
    assert (problem.path, problem.line, problem.field) == ("docs/therapists/vocabulary.yml", line_of(text, "  cigna:"),
                                                           "payment.cigna")
    assert problem.what == f"the label 'Aetna' is already used by aetna on line {line_of(text, '  aetna:')}"


def test_a_code_yaml_reads_as_a_yes_no_word_is_reported(tmp_path):
    text = shipped_vocabulary().replace("  asl: American Sign Language",
                                        "  asl: American Sign Language\n  no: Norwegian")
    [problem] = vocabulary_problems(tmp_path, text)
    # every staff file's rule (clinic_site.yamlfile): a key is a name, and `no` is read as false
    assert (problem.line, problem.field) == (line_of(text, "  no:"), "languages.no")
    assert problem.what == "is a name YAML reads as true or false" and "in quotes" in problem.fix


def test_a_term_without_a_label_and_a_missing_list_are_reported(tmp_path):
    text = shipped_vocabulary().replace("  ko: Korean", "  ko:")
    text = text[:text.index("payment:")] + text[text.index("languages:"):]
    problems = vocabulary_problems(tmp_path, text)
    assert [(p.line, p.field, p.what) for p in problems] == [
        (1, "payment", "is missing"), (line_of(text, "  ko:"), "languages.ko", "has no label")]


def test_physical_therapy_credentials_must_be_credentials(tmp_path):
    text = shipped_vocabulary().replace("[PT, DPT, PTA]", "[PT, RPT]")
    [problem] = vocabulary_problems(tmp_path, text)
    assert (problem.line, problem.field, problem.what) == (
        line_of(text, "physical_therapy_credentials"), "physical_therapy_credentials", "RPT is not in credentials")


# ---------------------------------------------------------------- licensing boards
def boards_problems(tmp_path, text: str) -> list[Problem]:
    file = tmp_path / "boards.yml"
    file.write_text(text, encoding="utf-8")
    boards, problems = load_boards(file, "docs/therapists/licensing-boards.yml")
    assert boards is None and errors(problems)
    return errors(problems)


def test_a_licensing_board_without_a_lookup_address_is_reported(tmp_path):
    text = ("TX:\n  massage: {name: Board, lookup: https://example.org}\n"
            "  physical_therapy: {name: Board, lookup: example.org}\n")
    [problem] = boards_problems(tmp_path, text)
    assert (problem.path, problem.line, problem.field, problem.what) == (
        "docs/therapists/licensing-boards.yml", 3, "TX.physical_therapy.lookup",
        "needs a 'lookup:' address starting with https://")


def test_malformed_boards_files_are_problems_not_tracebacks(tmp_path):
    [problem] = boards_problems(tmp_path, "TX:\n  massage: {name: Board\n")
    assert problem.line == 2 and problem.what == "has a bracket that is never closed"   # where it opens
    [problem] = boards_problems(tmp_path, "- TX\n- CO\n")
    assert (problem.line, problem.field) == (1, "") and "must list states" in problem.what
    problems = boards_problems(tmp_path, "Texas:\n  massage: x\nCO: 3\n")
    assert [(p.line, p.field, p.what) for p in problems] == [
        (1, "Texas", "is not a US state's two-letter code"), (3, "CO.massage", "is missing"),
        (3, "CO.physical_therapy", "is missing")]
    boards, [problem] = load_boards(tmp_path / "missing.yml", "docs/therapists/licensing-boards.yml")
    assert boards is None and (problem.line, problem.what) == (1, "the licensing boards file does not exist")



def test_a_territory_may_have_licensing_boards(tmp_path):
    """Guam, the Virgin Islands and the other territories are states here (clinic_site.us_states)."""
    file = tmp_path / "boards.yml"
    file.write_text("".join(f"{code}:\n  massage: {{name: Board, lookup: https://example.org/{code}}}\n"
                            f"  physical_therapy: {{name: Board, lookup: https://example.org/{code}/pt}}\n"
                            for code in ("GU", "VI", "AS", "MP", "PR", "DC")), encoding="utf-8")
    boards, problems = load_boards(file, "docs/therapists/licensing-boards.yml", today=TODAY)
    assert errors(problems) == [] and sorted(boards) == ["AS", "DC", "GU", "MP", "PR", "VI"]


# ---------------------------------------------------------------- check_finder
def project(tmp_path, listing: dict | None = None) -> Path:
    """A project with the finder's files: mkdocs.yml, vocabulary, boards and one listing."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\nextra:\n  finder:\n    page_size: 20\n", encoding="utf-8")
    therapists = tmp_path / "docs/therapists"
    (therapists / "listings").mkdir(parents=True)
    shutil.copy(VOCABULARY_FILE, therapists)
    shutil.copy(BOARDS_FILE, therapists)
    listing = listing or GOOD
    (therapists / "listings" / f"{listing['id']}.yml").write_text(yaml.safe_dump(listing, sort_keys=False), "utf-8")
    return tmp_path


def check(root: Path, today=TODAY):
    """check_finder on the project at `root`, without the shipped boards table's warnings (addresses
    nobody has confirmed yet: tests/test_boards.py), which are not about the listings tested here."""
    settings, _problems = Settings.read(Project.find(root / "mkdocs.yml"))   # mkdocs.yml and clinic.yml
    found, problems = check_finder(settings.extra, root / "docs", root, today, zip_lookup=ZIPS.get,
                                   clinic=settings.clinic)
    return found, [problem for problem in problems if not problem.path.endswith("licensing-boards.yml")
                   or problem.severity != WARNING]


def test_check_finder_returns_the_valid_listings(tmp_path):
    found, problems = check(project(tmp_path))
    assert problems == [] and [listing.id for listing in found] == ["jane-doe"]
    assert load_finder({"finder": {"page_size": 20}}, tmp_path / "docs", tmp_path, TODAY,
                       zip_lookup=ZIPS.get).settings.page_size == 20


def test_check_finder_names_an_unknown_term_with_file_line_and_field(tmp_path):
    root = project(tmp_path, {**GOOD, "payment": ["cash"]})
    found, [problem] = check(root)
    text = (root / "docs/therapists/listings/jane-doe.yml").read_text(encoding="utf-8")
    assert found == []
    assert (problem.path, problem.line, problem.field, problem.what) == (
        "docs/therapists/listings/jane-doe.yml", line_of(text, "payment:"), "payment",
        "'cash' is not in the list of payment options")


def test_check_finder_without_the_vocabulary_or_boards_file_is_problems_not_tracebacks(tmp_path):
    root = project(tmp_path)
    (root / "docs/therapists/vocabulary.yml").unlink()
    (root / "docs/therapists/licensing-boards.yml").write_text("TX: [unclosed\n", encoding="utf-8")
    found, problems = check(root)
    assert found == []
    assert [(p.path, p.line, p.what) for p in problems] == [
        ("docs/therapists/vocabulary.yml", 1, "the vocabulary file does not exist"),
        ("docs/therapists/licensing-boards.yml", 1, "has a bracket that is never closed")]


def test_check_finder_reports_a_missing_listings_folder_at_its_setting(tmp_path):
    root = project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: Test\nextra:\n  finder:\n    listings_dir: nowhere\n", "utf-8")
    _found, [problem] = check(root)
    assert (problem.path, problem.line, problem.field, problem.what) == (
        "mkdocs.yml", 4, "extra.finder.listings_dir", "the folder docs/nowhere does not exist")


def test_check_finder_warns_of_a_listing_about_to_go_stale(tmp_path):
    root = project(tmp_path)
    found, problems = check(root, today=dt.date(2027, 10, 20))
    assert not errors(problems) and len(found) == 1
    [warning] = problems
    assert (warning.field, warning.severity) == ("last_updated", WARNING)
    assert warning.what == ("is 2026-11-01: within 30 days the listing will be more than 12 months old "
                            "and stop the build")


def test_check_finder_gives_listings_at_the_clinic_the_details_of_clinic_yml(tmp_path):
    root = project(tmp_path, AT_CLINIC)
    (root / "clinic.yml").write_text(yaml.safe_dump(CLINIC), "utf-8")
    [listing], problems = check(root)
    assert problems == []
    assert (listing.clinic, listing.street, listing.zip) == (CLINIC["name"], CLINIC["street"], "78701")
    # an old file that still holds the clinic's address: each line named, to delete
    old = {**GOOD, "at_clinic": True}
    (root / "docs/therapists/listings/jane-doe.yml").write_text(yaml.safe_dump(old, sort_keys=False), "utf-8")
    text = (root / "docs/therapists/listings/jane-doe.yml").read_text(encoding="utf-8")
    found, problems = check(root)
    assert found == []
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("docs/therapists/listings/jane-doe.yml", line_of(text, f"{field}:"), field) for field in schema.FROM_CLINIC]
    assert all(p.fix.startswith("delete this line") for p in problems)
