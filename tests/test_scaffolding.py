"""scripts/new_post.py, new_guide_page.py and new_listing.py: the files they write pass the site's rules."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clinic_site import check, content_rules, new_guide_page, new_listing, new_post, seo
from clinic_site.finder import listings, zip_positions
from clinic_site.new_post import UsageError
from clinic_site.sources import parse_source
from tests.conftest import PROJECT_ROOT

DESCRIPTION = "Why the clinic now opens until 8 pm on weekdays, and how to book an evening appointment."


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the real mkdocs.yml and docs/, to write new files into."""
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(PROJECT_ROOT / "docs", tmp_path / "docs")
    return tmp_path


def front_matter(file: Path) -> dict:
    source = parse_source(file.read_text(encoding="utf-8"), str(file))
    meta, error = source.meta, (source.problems[0] if source.problems else None)
    assert error is None
    return meta


def people(root: Path) -> dict:
    return seo.load_people(root / "docs" / "blog" / ".authors.yml", "")


# ---------------------------------------------------------------- new_post.py
def test_a_new_post_has_full_front_matter_that_passes_the_rules(project):
    file, url = new_post.create_post("Evening hours: now until 8 pm!", author="sam-sample", category="clinic news",
                                     date=dt.date(2026, 12, 1), description=DESCRIPTION, root=project)
    assert file == project / "docs/blog/posts/evening-hours-now-until-8-pm.md"
    assert url == "http://127.0.0.1:8000/blog/2026/12/01/evening-hours-now-until-8-pm/"
    meta = front_matter(file)
    assert meta == {"date": {"created": dt.date(2026, 12, 1)}, "authors": ["sam-sample"],
                    "categories": ["Clinic news"], "description": DESCRIPTION,
                    "slug": "evening-hours-now-until-8-pm", "draft": True}
    assert content_rules.description_problems(meta) == []
    assert set(meta["authors"]) <= set(people(project))
    text = file.read_text(encoding="utf-8")
    assert "\n# Evening hours: now until 8 pm!\n" in text and "\n<!-- more -->\n" in text
    # What is left is the writing: the TODO lines, and the draft reminder (a warning).
    problems = check.check_file(file, project)
    # A draft may hold placeholder text; each placeholder and the draft flag are warnings.
    assert [p.severity for p in problems if p.field == "draft"] == [check.WARNING]
    assert check.errors(problems) == [], problems
    assert len([p for p in problems if "placeholder" in p.what]) == 2


def test_without_a_description_the_check_reports_the_placeholder(project):
    file, _url = new_post.create_post("Our new room", author="riley-example", category="Guide", root=project)
    problems = [str(p) for p in check.check_file(file, project)]
    assert f"{check.Site.load(project).shown(file)}, line 8: warning: 'description' still has the placeholder " \
           "text (TODO) — replace it before you delete `draft: true`" in problems


def test_an_existing_post_is_not_overwritten(project):
    existing = project / "docs/blog/posts/welcome-to-our-guide.md"
    before = existing.read_text(encoding="utf-8")
    with pytest.raises(UsageError, match=r"docs/blog/posts/welcome-to-our-guide.md already exists, so nothing "
                                         r"was written"):
        new_post.create_post("Welcome to our guide", author="sam-sample", category="Guide", root=project)
    assert existing.read_text(encoding="utf-8") == before


@pytest.mark.parametrize("options, message", [
    ({"author": "sam", "category": "Guide"}, "author 'sam' is not known. Use one of:\n  1. alex-example"),
    ({"author": "sam-sample", "category": "News"}, "category 'News' is not known. Use one of:\n  1. Guide\n"
                                                   "  2. Clinic news\n--category NAME"),
    ({"category": "Guide"}, "choose the author with --author ID"),
    ({"author": "sam-sample", "date": "2026-13-01"}, "--date '2026-13-01' is not a date; write it as YYYY-MM-DD"),
    ({"author": "sam-sample", "category": "Guide", "description": "Too short."},
     "--description is 10 characters — make it 50 to 160 characters"),
])
def test_bad_options_are_refused_with_a_clear_message(project, options, message):
    with pytest.raises(UsageError) as error:
        date = new_post.parse_date(options.pop("date")) if "date" in options else None
        new_post.create_post("A post", root=project, date=date, **options)
    assert message in str(error.value)
    assert not (project / "docs/blog/posts/a-post.md").exists()


def test_the_author_and_category_are_asked_for_in_a_terminal(project):
    answers = iter(["9", "3", "Clinic News"])   # 9: not a choice, asked again; 3: the third person
    file, _ = new_post.create_post("Asked", root=project, ask=lambda prompt: next(answers), description=DESCRIPTION)
    meta = front_matter(file)
    assert meta["authors"] == [list(people(project))[2]] and meta["categories"] == ["Clinic news"]


def test_the_command_prints_the_file_and_preview_address_and_opens_the_editor(project):
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts/new_post.py"), "Evening hours", "--author", "sam-sample",
         "--category", "Clinic news", "--date", "2026-12-01", "--root", str(project)],
        capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "EDITOR": "false"})
    assert result.returncode == 0, result.stderr
    assert "Created docs/blog/posts/evening-hours.md" in result.stdout
    assert "http://127.0.0.1:8000/blog/2026/12/01/evening-hours/" in result.stdout
    assert "'description' still has the placeholder text" in result.stdout
    again = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts/new_post.py"), "Evening hours", "--author", "nobody",
         "--category", "Guide", "--root", str(project)], capture_output=True, text=True)
    assert again.returncode == 2 and "clinic new-post: author 'nobody' is not known" in again.stderr


def test_the_editor_opens_only_in_a_terminal(tmp_path):
    file = tmp_path / "post.md"
    file.write_text("", encoding="utf-8")
    editor = {"EDITOR": "sh -c 'echo edited >> \"$0\"'"}
    assert new_post.open_in_editor(file, editor, attached=False) is False
    assert new_post.open_in_editor(file, {}, attached=True) is False
    assert new_post.open_in_editor(file, editor, attached=True) is True
    assert file.read_text(encoding="utf-8") == "edited\n"


@pytest.mark.parametrize("script", ["new_post.py", "new_guide_page.py", "new_listing.py"])
def test_each_command_explains_itself(script):
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / script), "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "usage:" in result.stdout and "never overwrites" in result.stdout


# ---------------------------------------------------------------- new_guide_page.py
def test_a_new_guide_page_passes_the_guide_rules(project):
    file = new_guide_page.create_guide_page("Massage after knee surgery", reviewer="alex-example",
                                            description=DESCRIPTION, last_reviewed=dt.date(2026, 11, 2),
                                            root=project)
    assert file == project / "docs/guide/massage-after-knee-surgery.md"
    meta = front_matter(file)
    assert meta["title"] == "Massage after knee surgery"
    assert meta["last_reviewed"] == dt.date(2026, 11, 2) and meta["next_review"] == dt.date(2029, 11, 2)
    assert content_rules.guide_page_problems(meta, dt.date(2026, 11, 27), people=people(project)) == []
    assert "\n## Sources\n" in file.read_text(encoding="utf-8")


def test_a_guide_page_title_with_a_colon_quotes_and_an_ampersand_is_written_as_yaml_reads_it(project):
    title = 'Tennis & golfer’s elbow: "what helps?"'
    file = new_guide_page.create_guide_page(title, reviewer="alex-example", description=DESCRIPTION,
                                            last_reviewed=dt.date(2026, 11, 2), root=project)
    assert front_matter(file)["title"] == title


def test_a_guide_page_with_a_bad_reviewer_is_refused(project):
    with pytest.raises(UsageError, match="reviewer 'Alex Example' is not known. Use one of:\n  1. alex-example"):
        new_guide_page.create_guide_page("Knee surgery", reviewer="Alex Example", root=project)
    assert not (project / "docs/guide/knee-surgery.md").exists()


def test_a_guide_page_never_overwrites_a_file(project):
    with pytest.raises(UsageError, match="docs/guide/working-together.md already exists"):
        new_guide_page.create_guide_page("Working together", reviewer="alex-example", root=project)


def test_review_dates_three_years_on():
    assert new_guide_page.add_years(dt.date(2026, 11, 27), 3) == dt.date(2029, 11, 27)
    assert new_guide_page.add_years(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)


def test_the_page_is_added_at_the_end_of_the_guide_menu_and_nothing_else_changes():
    text = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    new_text = new_guide_page.add_to_nav(text, "guide/knee-surgery.md")
    old_lines, new_lines = text.splitlines(), new_text.splitlines()
    assert len(new_lines) == len(old_lines) + 1
    added = next(i for i, (a, b) in enumerate(zip(old_lines, new_lines + [""], strict=False)) if a != b)
    assert new_lines[added] == "      - guide/knee-surgery.md"
    assert new_lines[:added] + new_lines[added + 1:] == old_lines
    guide = next(item["Guide"] for item in check.load_config_text(new_text)["nav"]
                 if isinstance(item, dict) and "Guide" in item)
    assert guide[-1] == "guide/knee-surgery.md"
    assert new_guide_page.add_to_nav(new_text, "guide/knee-surgery.md") == new_text   # already there


@pytest.mark.parametrize("config", [
    "site_name: x\n",                                                   # no nav
    "nav:\n  - Home: index.md\n  - Guide: guide/index.md\n",              # Guide is one page, not a section
    "nav:\n  - Home: index.md\n  - Help:\n      - help/index.md\n",       # no Guide section
])
def test_a_menu_it_cannot_edit_safely_is_left_alone(config):
    assert new_guide_page.add_to_nav(config, "guide/knee-surgery.md") is None


def test_the_command_adds_the_page_to_the_menu_and_the_check_accepts_it(project):
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts/new_guide_page.py"), "Knee surgery", "--reviewer",
         "alex-example", "--description", DESCRIPTION, "--no-edit", "--root", str(project)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Added it to the menu: the line `- guide/knee-surgery.md`" in result.stdout
    assert "guide/knee-surgery.md" in check.Site.load(project).nav
    problems = check.check_file(project / "docs/guide/knee-surgery.md", project)
    # the two TODO lines of the template are left, and a warning: the reviewer is a sample person
    assert [(p.line, p.severity) for p in problems] == [(4, check.WARNING), (11, check.ERROR), (17, check.ERROR)]
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts/new_guide_page.py"), "Hip surgery", "--reviewer",
         "alex-example", "--no-nav", "--root", str(project)], capture_output=True, text=True)
    assert "add this line with the same indentation as the other guide pages:\n      - guide/hip-surgery.md" \
        in result.stdout
    assert "guide/hip-surgery.md" not in check.Site.load(project).nav


# ---------------------------------------------------------------- new_listing.py
LISTING = {
    "name": "Jane Doe", "credentials": "lmt, clt", "license_number": "MT012345", "clinic": "Riverside: Massage",
    "street": "100 Example Street", "city": "Austin", "state": "tx", "zip": "78701", "phone": "512-555-0101",
    "specialties": "lymphatic drainage, chronic pain", "payment": "self-pay, workers' compensation",
}
TODAY = dt.date(2026, 11, 27)


def test_a_new_listing_is_written_in_the_format_the_finder_validates(project):
    file, problems = new_listing.create_listing(LISTING, root=project, today=TODAY)
    assert problems == []
    assert file == project / "docs/therapists/listings/jane-doe.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["zip"] == "78701" and data["credentials"] == ["LMT", "CLT"] and data["license_state"] == "TX"
    assert data["last_updated"] == TODAY and data["accepting_new_clients"] is True and data["sample"] is False
    # The build's loader accepts the whole folder with the new file in it.
    found = listings.load_listings(file.parent, today=TODAY, zip_lookup=zip_positions.lookup,
                                   boards=listings.load_boards(project / "docs/therapists/licensing-boards.yml"))
    assert "jane-doe" in {listing.id for listing in found}


def test_listing_problems_are_printed_with_their_line(project):
    bad = {**LISTING, "zip": "80202", "payment": "cash"}   # a Denver ZIP for a Texas address
    file, problems = new_listing.create_listing(bad, root=project, today=TODAY)
    assert file.exists()
    shown = [str(p) for p in problems]
    assert any(p.startswith("docs/therapists/listings/jane-doe.yml, line 12: 'zip' ZIP 80202 is in CO, but state "
                            "is TX") for p in shown), shown
    assert any(p.startswith("docs/therapists/listings/jane-doe.yml, line 18: 'payment' 'cash' is not in the list "
                            "of payment options") for p in shown), shown


def test_a_listing_never_overwrites_a_file(project):
    existing = project / "docs/therapists/listings/sample-avery-sampleton.yml"
    before = existing.read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="sample-avery-sampleton.yml already exists"):
        new_listing.create_listing({**LISTING, "id": "sample-avery-sampleton"}, root=project, today=TODAY)
    assert existing.read_text(encoding="utf-8") == before


def test_missing_details_are_named_or_asked_for(project):
    with pytest.raises(UsageError, match="these details are missing: --phone, --payment"):
        new_listing.create_listing({k: v for k, v in LISTING.items() if k not in ("phone", "payment")},
                                   root=project, today=TODAY)
    asked = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return {"phone": "512-555-0102", "payment": "Medicare"}.get(prompt.split(" (")[0].strip(), "")

    given = {k: v for k, v in LISTING.items() if k not in ("phone", "payment")}
    file, problems = new_listing.create_listing({**given, "id": None}, root=project, today=TODAY, ask=ask)
    assert problems == [] and yaml.safe_load(file.read_text(encoding="utf-8"))["payment"] == ["Medicare"]
    assert any(prompt.startswith("id (") and prompt.endswith("[jane-doe]: ") for prompt in asked)


@pytest.mark.parametrize("title, slug", [("Back pain?", "back-pain"), ("Café au lait", "cafe-au-lait"),
                                         ("診療のお知らせ", "診療のお知らせ"), ("Закрыто сегодня", "закрыто-сегодня")])
def test_a_title_in_any_language_gets_a_working_address(title, slug):
    assert new_post.slugify(title) == slug


def test_a_title_without_letters_is_refused():
    with pytest.raises(new_post.UsageError, match="no letters or digits"):
        new_post.slugify("!!!")
