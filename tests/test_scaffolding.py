"""The scaffolding commands `clinic new-post`, `clinic new-guide-page` and `clinic new-listing`
(clinic_site.new_post, new_guide_page, new_listing): the files they write pass the site's rules."""
from __future__ import annotations

import datetime as dt
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from clinic_site import check, content_rules, new_guide_page, new_listing, new_post, seo
from clinic_site.finder import load_finder, schema, zip_positions
from clinic_site.finder.vocabulary import project_vocabulary
from clinic_site.new_post import UsageError
from clinic_site.problems import errors
from clinic_site.project import Project, Settings
from clinic_site.sources import parse_source
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, clinic_today

DESCRIPTION = "Why the clinic now opens until 8 pm on weekdays, and how to book an evening appointment."


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project (mkdocs.yml, docs/ and the rest a build needs), to write new files into;
    `tmp_path` itself, the folder above it, holds no mkdocs.yml."""
    return copy_project(tmp_path / "project", PROJECT_ROOT)


def clinic(*args: str, cwd: Path, **options) -> subprocess.CompletedProcess:
    """The staff command `clinic ARGS` (clinic_site.cli), run as staff run it: in its own process,
    in the folder `cwd`, without a terminal (so it asks for nothing); the finished process."""
    return subprocess.run([sys.executable, "-m", "clinic_site.cli", *args], cwd=cwd, capture_output=True, text=True,
                          **options)


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
    # run in the project's folder: the command finds its mkdocs.yml there
    result = clinic("new-post", "Evening hours", "--author", "sam-sample", "--category", "Clinic news",
                    "--date", "2026-12-01", cwd=project, env={"PATH": "/usr/bin:/bin", "EDITOR": "false"})
    assert result.returncode == 0, result.stderr
    assert "Created docs/blog/posts/evening-hours.md" in result.stdout
    assert "http://127.0.0.1:8000/blog/2026/12/01/evening-hours/" in result.stdout
    assert "'description' still has the placeholder text" in result.stdout
    again = clinic("new-post", "Evening hours", "--author", "nobody", "--category", "Guide", cwd=project / "docs")
    assert again.returncode == 2 and "clinic new-post: author 'nobody' is not known" in again.stderr


def test_the_editor_opens_only_in_a_terminal(tmp_path):
    file = tmp_path / "post.md"
    file.write_text("", encoding="utf-8")
    editor = {"EDITOR": "sh -c 'echo edited >> \"$0\"'"}
    assert new_post.open_in_editor(file, editor, attached=False) is False
    assert new_post.open_in_editor(file, {}, attached=True) is False
    assert new_post.open_in_editor(file, editor, attached=True) is True
    assert file.read_text(encoding="utf-8") == "edited\n"


@pytest.mark.parametrize("command", ["new-post", "new-guide-page", "new-listing"])
def test_each_command_explains_itself(command, tmp_path):
    result = clinic(command, "--help", cwd=tmp_path)
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
    # run from outside the project, naming its mkdocs.yml with -f
    result = clinic("new-guide-page", "Knee surgery", "--reviewer", "alex-example", "--description", DESCRIPTION,
                    "--no-edit", "-f", str(project / "mkdocs.yml"), cwd=project.parent)
    assert result.returncode == 0, result.stderr
    assert "Added it to the menu: the line `- guide/knee-surgery.md`" in result.stdout
    assert "guide/knee-surgery.md" in check.Site.load(project).nav
    problems = check.check_file(project / "docs/guide/knee-surgery.md", project)
    # the two TODO lines of the template are left, and a warning: the reviewer is a sample person
    assert [(p.line, p.severity) for p in problems] == [(4, check.WARNING), (11, check.ERROR), (17, check.ERROR)]
    result = clinic("new-guide-page", "Hip surgery", "--reviewer", "alex-example", "--no-nav",
                    cwd=project / "docs/guide")   # from a sub-folder: the project is found above it
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


def project_finder(root: Path):
    """The finder as the build loads it (load_finder with the project's settings: clinic.yml
    included, which listings at the clinic take their name and address from)."""
    settings, problems = Settings.read(Project.find(root / "mkdocs.yml"))
    assert problems == []
    return load_finder(settings.extra, settings.docs_dir, root, max(TODAY, clinic_today()),
                       config_file=root / "mkdocs.yml",
                       zip_lookup=zip_positions.cache_for(root / ".cache").lookup, clinic=settings.clinic)


def test_a_new_listing_is_written_in_the_format_the_finder_validates(project):
    file, problems = new_listing.create_listing(LISTING, root=project, today=TODAY)
    assert problems == []
    assert file == project / "docs/therapists/listings/jane-doe.yml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["zip"] == "78701" and data["credentials"] == ["LMT", "CLT"] and data["license_state"] == "TX"
    assert data["last_updated"] == TODAY and data["accepting_new_clients"] is True and data["sample"] is False
    # The build's loader accepts the whole folder with the new file in it.
    finder = project_finder(project)
    assert errors(finder.problems) == []
    assert "jane-doe" in {listing.id for listing in finder.listings}


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


# ---------------------------------------------------------------- new-listing for the clinic's own therapists
PROMPT_END = re.compile(r"[)\]]: $")   # "phone (for example 512-555-0101): ", "id (…) [jane-doe]: "


def in_terminal(args: list[str], cwd: Path, answer: Callable[[str], str],
                timeout: float = 120) -> tuple[int, list[str], str]:
    """Run `clinic ARGS` in the folder `cwd` with a terminal (a pseudo-terminal) as its input and
    output, as staff run it, so it asks for what the options leave out; each question is answered
    with answer(field), `field` being the question's first words ("license state"). Returns (exit
    status, the fields asked for in order, everything it printed). Waits on the command's output,
    never for a fixed time; `timeout` only bounds a command that hangs."""
    import pty

    master, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "clinic_site.cli", *args], cwd=cwd, stdin=child, stdout=child,
                               stderr=child, close_fds=True)
    os.close(child)
    printed, line, asked = "", "", []
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"clinic {args[0]} printed nothing for {timeout} s; so far:\n{printed}")
            try:
                chunk = os.read(master, 4096).decode("utf-8", errors="replace")
            except OSError:   # the command ended and closed the terminal
                break
            if not chunk:
                break
            printed += chunk
            line = (line + chunk).rsplit("\n", 1)[-1]   # the line being written: a question ends with "): " or "]: "
            if PROMPT_END.search(line):
                assert "is required" not in line, f"no answer for a required detail: {line}"
                field = line.split(" (", 1)[0].strip()
                asked.append(field)
                os.write(master, (answer(field) + "\n").encode("utf-8"))
                line = ""
        return process.wait(timeout=max(1.0, deadline - time.monotonic())), asked, printed
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


ANSWERS = {"credentials": "LMT", "license number": "MT012345", "license state": "IL", "phone": "217-555-0102",
           "specialties": "lymphatic drainage", "payment": "self-pay", "clinic": "Riverside Massage",
           "street": "1 Example Street", "city": "Springfield", "state": "IL", "zip": "62704"}
ADDRESS = [field.replace("_", " ") for field in schema.FROM_CLINIC]   # as the questions name them


@pytest.mark.parametrize("at_clinic, asked_too", [("yes", False), ("no", False), ("Yes", True)])
def test_new_listing_in_a_terminal_asks_for_the_address_only_when_not_at_the_clinic(project, at_clinic, asked_too):
    # asked_too: "at clinic" is answered in the terminal (issue 23: a "yes" there once wrote no at_clinic line),
    # after an answer that is neither yes nor no, which is asked again rather than written
    given = [] if asked_too else ["--at-clinic", at_clinic]
    replies = iter(["maybe", at_clinic])
    status, asked, printed = in_terminal(
        ["new-listing", "--name", "Jane Doe", *given, "--today", TODAY.isoformat()], project,
        lambda field: next(replies) if field.endswith("at clinic") else ANSWERS.get(field, ""))   # Enter: the rest
    assert status == 0, printed
    assert {"credentials", "license state", "phone", "specialties"} <= set(asked)   # it did ask
    assert ("at clinic" in asked) is asked_too
    if asked_too:   # "maybe" is asked again, not written
        assert "answer yes or no; at clinic" in asked
    at_clinic = at_clinic.lower()
    vocabulary = project_vocabulary(project / "docs/therapists/vocabulary.yml")
    for field, noun in (("credentials", "credentials"), ("specialties", "specialties")):   # each names its choices
        assert f"{noun} (one or more, with commas, from: {', '.join(vocabulary.terms(field).choices)})" in printed
    file = project / "docs/therapists/listings/jane-doe.yml"
    assert "Created docs/therapists/listings/jane-doe.yml" in printed
    assert "The listing passes every check." in printed
    text = file.read_text(encoding="utf-8")
    written = {line.split(":", 1)[0] for line in text.splitlines() if line and not line.startswith("#")}
    if at_clinic == "yes":
        assert not set(asked) & set(ADDRESS), asked
        assert "at_clinic: true" in text.splitlines()
        assert not written & set(schema.FROM_CLINIC), text   # no clinic name, address or position lines
    else:
        assert [field for field in asked if field in ADDRESS] == ADDRESS   # latitude, longitude: the ZIP's, offered
        assert "at_clinic: false" in text.splitlines()
        assert set(schema.FROM_CLINIC) <= written
    # the build's loader accepts it; at the clinic, with clinic.yml's name and address
    finder = project_finder(project)
    assert errors(finder.problems) == []
    [listing] = [listing for listing in finder.listings if listing.id == "jane-doe"]
    clinic_block = Settings.read(Project.find(project / "mkdocs.yml"))[0].clinic   # clinic.yml
    if at_clinic == "yes":
        assert listing.at_clinic
        assert (listing.clinic, listing.street, listing.city, listing.state, listing.zip) == tuple(
            clinic_block[key] for key in ("name", "street", "city", "state", "zip"))
    else:
        assert not listing.at_clinic
        assert (listing.clinic, listing.street, listing.zip) == ("Riverside Massage", "1 Example Street", "62704")


def test_new_listing_at_the_clinic_needs_no_address_as_options(project):
    options = ["--name", "Jane Doe", "--credentials", "LMT", "--license-number", "MT012345", "--license-state", "IL",
               "--phone", "217-555-0102", "--specialties", "lymphatic drainage", "--payment", "self-pay",
               "--today", TODAY.isoformat()]
    elsewhere = clinic("new-listing", *options, cwd=project)   # not at the clinic: the address is needed
    assert elsewhere.returncode == 2
    assert "these details are missing: --clinic, --street, --city, --state, --zip" in elsewhere.stderr
    assert not (project / "docs/therapists/listings/jane-doe.yml").exists()
    result = clinic("new-listing", *options, "--at-clinic", "yes", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The listing passes every check." in result.stdout
    data = yaml.safe_load((project / "docs/therapists/listings/jane-doe.yml").read_text(encoding="utf-8"))
    assert data["at_clinic"] is True and not set(data) & set(schema.FROM_CLINIC)


@pytest.mark.parametrize("title, slug", [("Back pain?", "back-pain"), ("Café au lait", "cafe-au-lait"),
                                         ("診療のお知らせ", "診療のお知らせ"), ("Закрыто сегодня", "закрыто-сегодня")])
def test_a_title_in_any_language_gets_a_working_address(title, slug):
    assert new_post.slugify(title) == slug


def test_a_title_without_letters_is_refused():
    with pytest.raises(new_post.UsageError, match="no letters or digits"):
        new_post.slugify("!!!")
