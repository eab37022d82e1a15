"""`clinic check` (scripts/clinic_site/check.py): the build, thrown away, as a command — warnings
and errors with file, line and field, exit status, review dates judged on a chosen day, the
spell check and reading grade as rules of the run, and never a traceback. Which content it
refuses, and that the build refuses the same, is tests/test_parity.py."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import subprocess
import sys
import time

import pytest

from clinic_site import check, pipeline
from clinic_site.problems import ERROR, WARNING
from clinic_site.project import Project
from devtools.project_copy import copy_project
from tests.conftest import PROJECT_ROOT
from tests.harness import clinic_today, run_python

GUIDE = "docs/guide/what-is-medical-massage.md"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("check") / "base")


@pytest.fixture
def site(base, tmp_path):
    import shutil

    return shutil.copytree(base, tmp_path / "project", symlinks=True)


def review_dates(site, last: str, following: str) -> None:
    page = site / GUIDE
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^last_reviewed: .*$", f"last_reviewed: {last}", text, count=1)
    page.write_text(re.sub(r"(?m)^next_review: .*$", f"next_review: {following}", text, count=1), encoding="utf-8")


def check_all(site, **options):
    """Every problem `clinic check` finds in the project at `site`."""
    return pipeline.check(Project.find(site / "mkdocs.yml"), **options)


def line_of(site, path: str, prefix: str) -> int:
    lines = (site / path).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(prefix))


def test_the_real_project_passes_in_seconds():
    """In a new interpreter, as CI and staff run it: the suite's cold `clinic check` (the others run warm)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "clinic_site.cli", "check"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout or "All content checks passed" in result.stdout
    assert "Traceback" not in result.stderr
    print(f"\nclinic check on the real project: {seconds:.1f} s")


LISTING = "docs/therapists/listings/sample-avery-sampleton.yml"
DRAFT = "docs/blog/posts/evening-hours.md"
LONG_SENTENCE = ("Notwithstanding considerable methodological heterogeneity, contemporary systematic "
                 "investigations characterize therapeutic massage interventions as potentially "
                 "advantageous supplementary modalities accompanying individualized rehabilitation. ") * 6


def run_check(*args: str) -> tuple[int, str]:
    """`clinic check *args` in this process: its exit status and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = check.main(list(args))
    return status, printed.getvalue()


@pytest.fixture(scope="module")
def warned(base, tmp_path_factory) -> dict:
    """One copy with three faults that are only warnings, each in a file of its own (a review due in
    10 days, a draft post with placeholder text, a listing near its 12 months), so one check names
    all three and passes; the same check on the day after the review is due; and the real `mkdocs
    build --strict` and `clinic build` of it, which pass and print the listing's warning."""
    import shutil

    site = shutil.copytree(base, tmp_path_factory.mktemp("warned") / "project", symlinks=True)
    today = clinic_today()
    due = today + dt.timedelta(days=10)
    review_dates(site, (today - dt.timedelta(days=300)).isoformat(), due.isoformat())
    (site / DRAFT).write_text(
        "---\ndate:\n  created: 2026-11-25\nauthors:\n  - sam-sample\ncategories:\n  - Clinic news\n"
        "description: 'TODO: one sentence'\ndraft: true\n---\n\n# Evening hours\n\nTODO: the opening\n",
        encoding="utf-8")
    old = dt.date.today() - dt.timedelta(days=350)  # under 12 months, but not for 30 days more
    listing = site / LISTING
    listing.write_text(re.sub(r"(?m)^last_updated: .*$", f"last_updated: {old}", listing.read_text(encoding="utf-8")),
                       encoding="utf-8")
    later = (due + dt.timedelta(days=1)).isoformat()
    return {"site": site, "due": due, "old": old, "checked": run_check("-f", str(site / "mkdocs.yml"), "--no-spelling"),
            "later": run_check("-f", str(site / "mkdocs.yml"), "--today", later, "--no-spelling"),
            "built": run_python(["-m", "mkdocs", "build", "--strict", "--site-dir", str(site / "site")], cwd=site),
            "staff": run_python(["-m", "clinic_site.cli", "build", "--no-spelling"], cwd=site / "docs")}


def test_a_review_due_soon_is_a_warning_and_a_passed_one_an_error(warned):
    site, due = warned["site"], warned["due"]
    status, output = warned["checked"]
    assert status == 0, output
    line = line_of(site, GUIDE, "next_review:")
    assert f"{GUIDE}, line {line}: warning: 'next_review' is due on {due} (in 10 days)" in output, output
    assert "0 errors," in output
    status, output = warned["later"]
    assert status == 1, output
    assert f"{GUIDE}, line {line}: 'next_review' passed on {due}" in output
    assert "1 error," in output   # count and noun agree


@pytest.fixture(scope="module")
def faulted(base, tmp_path_factory) -> dict:
    """One copy with faults in files of their own (a review due soon and a long sentence in the
    guide page, an unknown author in a post, a misspelling in the about page), and every problem
    one check with the spell check names in it."""
    import shutil

    site = shutil.copytree(base, tmp_path_factory.mktemp("faulted") / "project", symlinks=True)
    today = clinic_today()
    review_dates(site, (today - dt.timedelta(days=300)).isoformat(), (today + dt.timedelta(days=10)).isoformat())
    post = site / "docs/blog/posts/welcome-to-our-guide.md"
    post.write_text(post.read_text(encoding="utf-8").replace("  - riley-example", "  - riley-exemple"),
                    encoding="utf-8")
    about = site / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nWe recieve patients.\n", encoding="utf-8")
    page = site / GUIDE
    page.write_text(page.read_text(encoding="utf-8") + "\n" + LONG_SENTENCE + "\n", encoding="utf-8")
    return {"site": site, "found": check_all(site)}


def test_problems_carry_file_line_field_and_severity(faulted):
    site, found = faulted["site"], faulted["found"]
    located = {(p.path, p.line, p.field, p.severity) for p in found}
    assert (GUIDE, line_of(site, GUIDE, "next_review:"), "next_review", WARNING) in located
    assert ("docs/blog/posts/welcome-to-our-guide.md", 4, "authors", ERROR) in located
    authors = next(p for p in found if p.field == "authors")
    assert "riley-exemple" in authors.what and "alex-example" in authors.fix


def test_a_draft_with_placeholder_text_passes_with_warnings(warned):
    status, output = warned["checked"]
    assert status == 0, output
    assert f"{DRAFT}, line 14: warning: placeholder text (TODO)" in output
    assert f"{DRAFT}, line 9: warning: 'draft' is true" in output


def test_spelling_mistakes_are_reported_with_file_and_line(faulted):
    about = faulted["site"] / "docs/about.md"
    found = [p for p in faulted["found"] if "recieve" in str(p)]
    assert [(p.path, p.line) for p in found] == [("docs/about.md", len(about.read_text().splitlines()))]


def test_readability_is_a_rule_of_every_run(warned, faulted):
    """The project without the long sentence (the check of `warned`) has no grade problem; with it,
    the page's last line has one, an error."""
    assert not [line for line in warned["checked"][1].splitlines() if "grade" in line]
    page = faulted["site"] / GUIDE
    graded = [p for p in faulted["found"] if "grade" in str(p)]
    assert [(p.path, p.severity) for p in graded] == [(GUIDE, ERROR)]
    assert graded[0].line == len(page.read_text(encoding="utf-8").splitlines())


def test_an_unexpected_failure_is_a_problem_not_a_traceback(site, capsys):
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text(encoding="utf-8") + "\nnot_a_setting: [\n",
                                     encoding="utf-8")
    assert check.main(["-f", str(site / "mkdocs.yml"), "--no-spelling"]) == 1
    output = capsys.readouterr().out
    assert re.match(r"mkdocs.yml, line (\d+): has a bracket that is never closed", output), output
    assert int(re.match(r"mkdocs.yml, line (\d+)", output).group(1)) > 100


def test_the_check_writes_no_site(faulted):
    """`faulted`'s project was only checked: no site folder appeared in it."""
    assert faulted["found"]
    assert not (faulted["site"] / "site").exists()


def test_help_explains_the_command():
    result = subprocess.run([sys.executable, "-m", "clinic_site.cli", "check", "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "--today" in result.stdout and "--no-spelling" in result.stdout and "-f" in result.stdout
    assert "the build, into a folder thrown away" in result.stdout


def test_a_listing_near_its_12_months_is_a_warning_in_the_check_and_the_build(warned):
    site, old = warned["site"], warned["old"]
    status, output = warned["checked"]
    assert status == 0, output
    line = line_of(site, LISTING, "last_updated:")
    expected = f"{LISTING}, line {line}: warning: 'last_updated' is {old}"
    assert expected in output, output
    built = warned["built"]
    assert built.returncode == 0, built.stderr
    assert expected in built.stderr
    staff = warned["staff"]
    assert staff.returncode == 0, staff.stdout + staff.stderr
    assert expected in staff.stdout


@pytest.mark.parametrize("name, old, new, what, fix", [
    ("clinic.yml", "colors:\n  primary:", "colors:\n\tprimary:",
     "has a tab character, which YAML does not allow for indenting",
     "replace the tab with spaces (two spaces per level)"),
    ("clinic.yml", "  accent:", "   accent:",
     "is not indented like the lines around it", "line it up with the other settings at its level"),
    ("mkdocs.yml", "copyright: General information", "copyright: 'General information",
     "has a quote that is never closed", "close the quote at the end of the value"),
])
def test_a_settings_file_staff_break_gets_plain_words(site, capsys, name, old, new, what, fix):
    settings_file = site / name
    text = settings_file.read_text(encoding="utf-8")
    assert old in text
    settings_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert check.main(["-f", str(site / "mkdocs.yml"), "--no-spelling"]) == 1
    output = capsys.readouterr().out
    first = output.splitlines()[0]
    assert first.startswith(f"{name}, line ") and f": {what} — {fix}" in first, output
    assert "Traceback" not in output and "did not find expected key" not in output


# Every file staff may point elsewhere with a symbolic link: settings, people, data, claims, a page,
# a listing (alone: listings are read once the vocabulary is). Whatever a rule had in hand, each
# problem names the file as staff see it.
LINKED = [["clinic.yml", "docs/blog/.authors.yml", "docs/therapists/vocabulary.yml",
           "docs/therapists/licensing-boards.yml", "docs/guide/claims.yml", GUIDE],
          ["docs/therapists/listings/sample-arden-sampleton.yml", "docs/about.md"]]


@pytest.mark.parametrize("linked", LINKED, ids=["settings-and-data", "listing-and-page"])
def test_every_problem_names_its_file_as_staff_see_it_never_where_the_machine_keeps_it(site, tmp_path, linked):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for name in linked:
        target = outside / name.replace("/", "-")
        (site / name).replace(target)
        (site / name).symlink_to(target)
    found = check_all(site)
    named = {problem.path for problem in found}
    assert set(linked) <= named, f"each linked file is named: {sorted(set(linked) - named)}"
    for problem in found:
        assert not problem.path.startswith("/") and str(tmp_path) not in problem.path, problem
        assert ".cache/stage" not in problem.path, problem


def test_a_run_shows_a_staged_or_absolute_path_as_the_file_in_the_repository(base):
    run = pipeline.Run(Project.find(base / "mkdocs.yml"), mode="check", day=clinic_today())
    staged = run.staging_dir / "guide" / "a.md"
    shown = [run.shown(pipeline.Problem(str(path), 3, "title", "is missing", "add it")).path
             for path in (staged, base / "docs/therapists/vocabulary.yml", "docs/about.md")]
    assert shown == ["docs/guide/a.md", "docs/therapists/vocabulary.yml", "docs/about.md"]
