"""Issue 21, "settings staff edit are data": every YAML file staff may edit (clinic.yml, the
listings, vocabulary.yml, licensing-boards.yml, .authors.yml, the claims table, each page's front
matter) and mkdocs.yml as the stage reads it go through one reader (clinic_site/yamlfile.py).

Each kind of file is given what attackers write (a tag that would run a shell command, a
"billion laughs" alias bomb, brackets ten thousand deep, block lists ten thousand deep, a file
over its size limit): each ends in one problem naming the file, within seconds and in bounded
memory, and nothing runs. The clinic's details live in clinic.yml: its values reach every page;
a mkdocs.yml that still holds `extra: clinic:` gets one problem saying to move it, in the same
words from `clinic check` and `clinic build`.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clinic_site import check, claims, people, pipeline, yamlfile
from clinic_site.finder.boards import load_boards
from clinic_site.finder.load import load_listing_files
from clinic_site.finder.vocabulary import load_vocabulary
from clinic_site.problems import ProblemsFound, errors
from clinic_site.project import Project, Settings
from clinic_site.sources import parse_source, read_source
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, build_in_process, build_site

TODAY = dt.date(2026, 11, 26)
LAUGHS = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
          + "".join(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
                    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)))


def attacks(marker: Path) -> dict[str, str]:
    """What attackers write into a YAML file, each under a key `x` (a few are whole documents)."""
    return {"tag": f'x: !!python/object/apply:os.system ["touch {marker}"]\n',
            "alias bomb": LAUGHS,
            "deep brackets": "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
            "deep lists": "x:\n" + "- " * 10_000 + "lol\n",
            "oversize": "x: '" + "lol " * 300_000 + "'\n"}


def _read_clinic(root: Path, text: str) -> list:
    (root / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    (root / "clinic.yml").write_text(text, encoding="utf-8")
    return Settings.read(Project.find(root / "mkdocs.yml"))[1]


def _read_settings(root: Path, text: str) -> list:
    (root / "mkdocs.yml").write_text("site_name: Test\n" + text, encoding="utf-8")
    (root / "clinic.yml").write_text("name: Test\n", encoding="utf-8")
    return Settings.read(Project.find(root / "mkdocs.yml"))[1]


def _read_listing(root: Path, text: str) -> list:
    folder = root / "docs/therapists/listings"
    folder.mkdir(parents=True)
    (folder / "jane-doe.yml").write_text(text, encoding="utf-8")
    vocabulary, _ = load_vocabulary(PROJECT_ROOT / "docs/therapists/vocabulary.yml", "vocabulary.yml")
    return load_listing_files(folder, today=TODAY, zip_lookup=lambda _zip: None, vocabulary=vocabulary, boards=None,
                              root=root)[1]


def _read_authors(root: Path, text: str) -> list:
    (root / ".authors.yml").write_text(text, encoding="utf-8")
    return people.read_people(root / ".authors.yml", ".authors.yml", "/")[1]


def _read_front_matter(root: Path, text: str) -> list:
    (root / "page.md").write_text(f"---\n{text}---\n\n# A page\n", encoding="utf-8")
    return read_source(root / "page.md", "page.md").problems


def _read_vocabulary(root: Path, text: str) -> list:
    (root / "vocabulary.yml").write_text(text, encoding="utf-8")
    return load_vocabulary(root / "vocabulary.yml", "vocabulary.yml")[1]


def _read_boards(root: Path, text: str) -> list:
    (root / "boards.yml").write_text(text, encoding="utf-8")
    return load_boards(root / "boards.yml", "boards.yml", TODAY)[1]


def _read_claims(root: Path, text: str) -> list:
    (root / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    (root / "clinic.yml").write_text("name: Test\n", encoding="utf-8")
    (root / "docs/guide").mkdir(parents=True)
    (root / "docs/guide/claims.yml").write_text(text, encoding="utf-8")
    settings, _ = Settings.read(Project.find(root / "mkdocs.yml"))
    page = parse_source("# T\n\nMassage eased back pain.\n", "docs/guide/t.md")
    return claims.problems(settings, {"guide/t.md": page})


READERS = {"clinic.yml": (_read_clinic, "clinic.yml"),
           "listing": (_read_listing, "docs/therapists/listings/jane-doe.yml"),
           ".authors.yml": (_read_authors, ".authors.yml"), "front matter": (_read_front_matter, "page.md"),
           "vocabulary.yml": (_read_vocabulary, "vocabulary.yml"),
           "licensing-boards.yml": (_read_boards, "boards.yml"),
           "claims.yml": (_read_claims, "docs/guide/claims.yml"), "mkdocs.yml": (_read_settings, "mkdocs.yml")}


@pytest.mark.parametrize("attack", ["tag", "alias bomb", "deep brackets", "deep lists", "oversize"])
@pytest.mark.parametrize("kind", list(READERS))
def test_every_yaml_file_staff_edit_ends_an_attack_in_one_clear_problem(tmp_path, kind, attack):
    reader, shown = READERS[kind]
    marker = tmp_path / "pwned"
    text = attacks(marker)[attack]
    if kind == "front matter" and attack == "oversize":
        text = "x: '" + "lol " * 20_000 + "'\n"   # 80 KB: over the front matter's 64 KB
    tracemalloc.start()
    started = time.process_time()   # this process's CPU seconds: the reader's work, not the machine's other load
    try:
        problems = reader(tmp_path, text)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    seconds = time.process_time() - started
    assert not marker.exists(), "a tag ran a command"
    assert seconds < 10 and peak < 64_000_000, (seconds, peak)
    if kind == "mkdocs.yml" and attack == "tag":   # the developers' file: its tags are kept as plain text
        assert problems == []
        return
    mine = [problem for problem in problems if problem.path == shown]
    assert mine, problems
    problem = mine[0]
    assert problem.is_error and problem.what and problem.fix, problem
    expected = {"tag": "has the tag '!!python/object/apply:os.system', which this file may not use",
                "alias bomb": "uses the YAML alias *a, which this file may not use",
                "deep brackets": "is nested more than 50 levels deep",
                "deep lists": "is nested more than 50 levels deep",
                "oversize": "more than the 1.0 MB it may hold"}[attack]
    if kind == "mkdocs.yml" and attack == "alias bomb":
        expected = "uses more than 20 YAML aliases (*name)"
    if kind == "front matter" and attack == "oversize":
        expected = "KB, more than the 64 KB it may hold"
    assert expected in problem.what, problem
    if attack in ("tag", "deep brackets", "deep lists"):   # what libyaml refuses is named by the pure reader
        assert problem.field == "x", problem


@pytest.mark.parametrize("hidden", ["\\x1b[2J", "\\a", "\\0", "\\x7f", "\\N", "\\u202e", "\\u2066", "\\u202a"])
@pytest.mark.parametrize("kind", [kind for kind in READERS if kind != "mkdocs.yml"])
def test_no_text_staff_write_holds_an_invisible_control_or_reordering_character(tmp_path, kind, hidden):
    """A double-quoted YAML escape makes characters YAML refuses written raw: a terminal's escape,
    a NUL, the right-to-left override that shows "gpj.exe" as "exe.jpg". Each kind of file staff
    edit names it, at its field, with the character shown (problems.visible)."""
    reader, shown = READERS[kind]
    problems = reader(tmp_path, f'x: "Clinic {hidden} news"\n')
    mine = [problem for problem in problems if problem.path == shown]
    assert mine and mine[0].is_error and "invisible character" in mine[0].what, problems
    assert mine[0].field == "x" and "\\u" in mine[0].what, mine[0]


# Slips that leave the rest of a file readable, one a line: (line, the text, its field, what is named).
SLIPS = [(1, "name: Riverside\n", "name", None),
         (2, "hours: !!python/name:os.system x\n", "hours", "has the tag '!!python/name:os.system'"),
         (3, "name: Riverbend\n", "name", "is given twice (lines 1 and 3)"),
         (4, 'note: "Dose: \\u202e05 mg"\n', "note", "holds the invisible character \\u202e"),
         (5, "since: 2026-02-30\n", "since", "is 2026-02-30, which is not a real date"),
         (6, "no: 3\n", "no", "is a name YAML reads as true or false"),
         (7, "team:\n", "team", None),
         (8, "  - first: Sam\n", "team.1.first", None),
         (9, "    first: Kim\n", "team.1.first", "is given twice (lines 8 and 9)"),
         (10, "    born: 1850-01-01\n", "team.1.born", "is 1850-01-01, outside the years 1900 to 2100")]


@pytest.mark.parametrize("kind", [kind for kind in READERS if kind != "mkdocs.yml"])
def test_every_slip_in_a_staff_file_is_named_in_one_run(tmp_path, kind):
    """A file with six slips YAML reading refuses (a tag, a name given twice at two levels, an
    invisible character, a date that does not exist, one outside the years, a name read as true
    or false) gets six problems, each at its line and field, in the file's order: fixing one never
    reveals the next in another run. Every kind of file staff edit, the page's front matter
    counted from its own first line."""
    reader, shown = READERS[kind]
    text = "".join(line for _number, line, _field, _what in SLIPS)
    offset = 1 if kind == "front matter" else 0   # the line '---' above the front matter
    mine = [problem for problem in reader(tmp_path, text) if problem.path == shown]
    expected = [(number + offset, field, what.replace("lines 1 and 3", f"lines {1 + offset} and {3 + offset}")
                 .replace("lines 8 and 9", f"lines {8 + offset} and {9 + offset}"))
                for number, _line, field, what in SLIPS if what]
    assert [(problem.line, problem.field) for problem in mine] == [(line, field) for line, field, _w in expected], mine
    assert all(what in problem.what and problem.fix and problem.is_error
               for problem, (_l, _f, what) in zip(mine, expected, strict=True)), mine


def test_a_file_of_slips_is_named_twenty_at_a_time_and_an_alias_stops_the_reading():
    """A file pasted from elsewhere with a slip on every line is named MAX_REFUSED (20) at a time,
    not in thousands of lines; an alias (`*name`: in a staff file only ever an attack) ends the
    reading, after the slips above it."""
    many = "".join(f"k{number}: !!binary x\n" for number in range(500))
    problems = yamlfile.load_text(many, "many.yml")[1]
    assert [problem.line for problem in problems] == list(range(1, 21))
    aliased = 'a: !!binary x\nb: "\\u202e"\nc: *a\nd: !!binary y\n'
    problems = yamlfile.load_text(aliased, "aliased.yml")[1]
    assert [(problem.line, problem.field) for problem in problems] == [(1, "a"), (2, "b"), (3, "c")], problems
    assert "alias *a" in problems[-1].what


@pytest.mark.parametrize("text", ['x: "שלום \\u200f עולם"\n', 'x: "tab\\there"\n', "x: |\n  two\n  lines\n",
                                  'x: "café 日本 🌷 \\u00ad soft hyphen"\n'])
def test_right_to_left_marks_tabs_and_line_breaks_are_text(tmp_path, text):
    problems = _read_clinic(tmp_path, text)
    assert not [problem for problem in problems if "invisible" in problem.what], problems


@pytest.mark.parametrize("text, field, what", [
    ("name: A\nphone: '1'\nname: B\n", "name", "is given twice (lines 1 and 3)"),
    ("no: Norwegian\n", "no", "is a name YAML reads as true or false"),
    ("2026-01-01: New Year\n", "2026-01-01", "is a name YAML reads as a date"),
    ("[a, b]: c\n", "", "has a list or a mapping where a name belongs"),
    ("? \n: nameless\n", "", "has a ':' with no name before it"),
    ("~: nameless\n", "~", "is a name YAML reads as nothing (null)"),
    ("x: !ENV HOME\n", "x", "has the tag '!ENV', which this file may not use"),
    ("hours:\n  - opens: 2026-02-30\n", "hours.1.opens", "is 2026-02-30, which is not a real date"),
    ("name: A\n---\nname: B\n", "", "holds a second document (a line '---' after the first)"),
])
def test_keys_are_names_given_once_and_values_plain(tmp_path, text, field, what):
    [problem] = _read_clinic(tmp_path, text)
    assert (problem.path, problem.field, problem.what) == ("clinic.yml", field, what)


@pytest.mark.parametrize("value, accepted", [
    ("0001-01-01", False), ("0026-11-20", False), ("1899-12-31", False), ("1900-01-01", True),
    ("2026-11-20", True), ("2100-12-31", True), ("2101-01-01", False), ("1850-06-01 10:00:00", False),
    ("9999-12-31T23:59:59Z", False)])
@pytest.mark.parametrize("loader", ["StaffLoader", "FastStaffLoader"])
def test_every_date_staff_write_is_within_the_years_a_date_here_can_be(value, accepted, loader):
    """One rule in the one YAML reader, for every file and front matter: outside 1900 to 2100 a
    date is a typo, and before US standard time its offset has seconds (no valid ISO 8601)."""
    data, problems = yamlfile.load_text(f"date:\n  created: {value}\n", "docs/blog/posts/a.md",
                                        getattr(yamlfile, loader), first_line=2)
    if accepted:
        assert not problems and data["date"]["created"].year == int(value[:4])
    else:
        [problem] = problems
        assert (problem.line, problem.field) == (3, "date.created"), problem
        assert f"is {value}, outside the years 1900 to 2100" in problem.what


def test_libyaml_and_pure_python_readers_give_the_same_data_and_problems():
    listing = (PROJECT_ROOT / "docs/therapists/listings/sample-arden-sampleton.yml").read_text(encoding="utf-8")
    assert yamlfile.parse(listing, yamlfile.FastStaffLoader) == yamlfile.parse(listing, yamlfile.StaffLoader)
    for text in attacks(Path("/nonexistent/pwned")).values():
        fast = yamlfile.load_text(text, "x.yml", yamlfile.FastStaffLoader)[1]
        slow = yamlfile.load_text(text, "x.yml", yamlfile.StaffLoader)[1]
        assert [p.what for p in fast] == [p.what for p in slow]


def test_a_missing_clinic_yml_is_one_problem(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    settings, [problem] = Settings.read(Project.find(tmp_path / "mkdocs.yml"))
    assert (problem.path, problem.line, problem.field) == ("clinic.yml", 1, "") and not settings.clinic_read
    assert problem.what.startswith("does not exist") and "copy the sample's" in problem.fix


# ---------------------------------------------------------------- whole runs of a project copy
OLD_BLOCK = "extra:\n  clinic:\n" + "".join(
    f"    {line}\n" if line else "\n" for line in (PROJECT_ROOT / "clinic.yml").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#"))


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory) -> Path:
    """A copy as an older site is after pulling this version: mkdocs.yml still holds the clinic
    block (with the alias it used for the name), and there is no clinic.yml."""
    project = copy_project(tmp_path_factory.mktemp("old-block") / "project", PROJECT_ROOT)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    name = next(line for line in OLD_BLOCK.splitlines() if line.startswith("    name: "))
    block = OLD_BLOCK.replace(name, "    name: *clinic_name", 1)
    text = text.replace("site_name: The clinic's website", f"site_name: &clinic_name {name.split(': ', 1)[1]}", 1)
    assert "extra:\n" in text
    config.write_text(text.replace("extra:\n", block, 1), encoding="utf-8")
    (project / "clinic.yml").unlink()
    return project


@pytest.mark.build
def test_an_old_clinic_block_gets_one_move_message_from_check_and_build_alike(upgraded, capsys):
    config = upgraded / "mkdocs.yml"
    line = config.read_text(encoding="utf-8").splitlines().index("  clinic:") + 1
    assert check.main(["-f", str(config), "--no-spelling"]) == 1
    checked = capsys.readouterr().out
    built = build_site(upgraded / "site", config, "--no-spelling")
    assert built.returncode != 0 and "Traceback" not in checked + built.stdout + built.stderr
    moved = [row for row in checked.splitlines() if row.startswith("mkdocs.yml, ")]
    assert moved == [f"mkdocs.yml, line {line}: 'extra.clinic' holds the clinic's details, which now belong in "
                     "clinic.yml beside it (mkdocs.yml is read in a way that can run code, so only developers change "
                     "it) — move the block: cut the lines below `clinic:` into clinic.yml, without their indentation, "
                     "write out each value given as *name (such as *clinic_name), then delete `clinic:` (see "
                     "CHANGELOG.md)"], checked
    assert moved[0] in built.stdout.splitlines(), built.stdout
    # the one error: the run went on with the block's values (no "clinic.yml does not exist", no listing
    # at the clinic without its address), so moving the block is all there is to do
    assert re.search(r"^1 error, ", checked, re.M), checked


CLINIC_BROKEN = ["missing", "a quote never closed", "an alias bomb"]
AUTHORS_BROKEN = ["missing", "a name given twice", "a tag", "an alias bomb"]
AUTHORS = "docs/blog/.authors.yml"
# The runs: (how clinic.yml is broken, how .authors.yml is), None for a file left as it is. Two
# clinic.yml cases share a run with an .authors.yml case; one case of each file runs alone, so that
# whatever takes only the clinic's details, or only the people's, is seen without the other.
UNREADABLE_RUNS = [("a quote never closed", "missing"), ("an alias bomb", "a name given twice"), ("missing", None),
                   (None, "a tag"), (None, "an alias bomb")]


@pytest.fixture(scope="module")
def unreadable(tmp_path_factory) -> dict[tuple[str, str], list]:
    """The errors of each run of UNREADABLE_RUNS, a check of a copy whose clinic.yml, .authors.yml
    or both cannot be read, by (file, how it is broken): two files no other file's problems come
    from, each named at itself, so a run with both shows both are its only errors (five runs, not
    seven)."""
    found = {}
    for number, (clinic_broken, authors_broken) in enumerate(UNREADABLE_RUNS):
        project = copy_project(tmp_path_factory.mktemp(f"unreadable{number}") / "project", PROJECT_ROOT)
        cases = []
        if authors_broken:
            authors = project / AUTHORS
            text = authors.read_text(encoding="utf-8")
            if authors_broken == "missing":
                authors.unlink()
            else:
                tagged = text.replace("\nauthors:\n", "\nauthors: !!python/object/apply:os.system\n", 1)
                authors.write_text({"a name given twice": text + "  riley-example:\n    name: Riley\n", "a tag": tagged,
                                    "an alias bomb": LAUGHS}[authors_broken], encoding="utf-8")
                assert authors.read_text(encoding="utf-8") != text, "the case no longer changes the file: update it"
            cases.append((AUTHORS, authors_broken))
        if clinic_broken:
            clinic = project / "clinic.yml"
            if clinic_broken == "missing":
                clinic.unlink()
            else:
                clinic.write_text({"a quote never closed": "name: 'Riverbend\nphone: x\n",
                                   "an alias bomb": LAUGHS}[clinic_broken], encoding="utf-8")
            cases.append(("clinic.yml", clinic_broken))
        problems = errors(pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False))
        for case in cases:
            found[case] = (problems, {name for name, _broken in cases})
    return found


def _the_one_error_of_each_file(problems: list, broken_files: set[str]) -> None:
    """`problems` are one problem at each file broken in their run, and nothing else."""
    assert sorted(problem.path for problem in problems) == sorted(broken_files), problems


@pytest.mark.build
@pytest.mark.parametrize("broken", CLINIC_BROKEN)
def test_a_clinic_yml_that_cannot_be_read_is_the_one_error_of_a_run(unreadable, broken):
    """The run goes on without the clinic's details, and nothing that takes them (the phone link on
    every page, the listings at the clinic) adds a problem of its own (beside the .authors.yml
    case that shares its run, if any)."""
    problems, broken_files = unreadable[("clinic.yml", broken)]
    _the_one_error_of_each_file(problems, broken_files)


@pytest.mark.build
@pytest.mark.parametrize("broken", AUTHORS_BROKEN)
def test_an_authors_file_that_cannot_be_read_is_the_one_error_of_a_run(unreadable, broken):
    """Every page names people from docs/blog/.authors.yml; when the file itself cannot be read, its
    one problem is the run's only error (beside its clinic.yml case's, if any): no page adds
    "'alex-example' is not in .authors.yml"."""
    problems, broken_files = unreadable[(AUTHORS, broken)]
    _the_one_error_of_each_file(problems, broken_files)


@pytest.mark.build
def test_clinic_yml_values_reach_the_pages_a_run_builds(tmp_path):
    project = copy_project(tmp_path / "project", PROJECT_ROOT)
    clinic = project / "clinic.yml"
    text = clinic.read_text(encoding="utf-8")
    for old, new in (("name: Riverbend Medical Massage and Physical Therapy (sample clinic)", "name: Lakeside Care"),
                     ("short_name: Riverbend Clinic", "short_name: Lakeside"),
                     ("logo: assets/logo.svg", "logo: assets/lake.svg"),
                     ('primary: "#1f5f7a"', 'primary: "#123456"')):
        assert old in text
        text = text.replace(old, new, 1)
    clinic.write_text(text, encoding="utf-8")
    shutil.copy(project / "docs/assets/logo.svg", project / "docs/assets/lake.svg")
    run = build_in_process(project / "mkdocs.yml", project / "site", spelling=False, cards=False)
    assert isinstance(run, pipeline.Run), str(run)
    page = BeautifulSoup((project / "site/guide/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.title.get_text().endswith(" | Lakeside")
    assert page.select_one(".md-header .clinic-short-name").get_text(strip=True) == "Lakeside"
    assert page.find("meta", attrs={"name": "author"})["content"] == "Lakeside Care"   # site_author, from clinic.yml
    assert page.select_one(".md-header a.md-logo img")["src"].endswith("assets/lake.svg")
    assert page.find("link", rel="icon")["href"].endswith("assets/lake.svg")
    assert "--md-primary-fg-color: #123456" in str(page)
    assert "Lakeside Care" in page.select_one(".clinic-footer__name").get_text()


@pytest.mark.build
def test_the_guard_names_clinic_yml_where_the_clinics_name_holds_markup(tmp_path):
    """clinic.yml is one of the shared settings files the guard searches (postbuild.shared_settings):
    whatever the pages do with a name that breaks out of an attribute, it is named at its line."""
    project = copy_project(tmp_path / "project", PROJECT_ROOT)
    clinic = project / "clinic.yml"
    text = clinic.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    clinic.write_text(text.replace(name, 'name: Riverbend" onfocus="alert(1)', 1), encoding="utf-8")
    found = [problem for problem in pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
             if "onfocus" in problem.what]
    line = text.splitlines().index(name) + 1
    assert all((problem.path, problem.line, problem.field) == ("clinic.yml", line, "name") for problem in found), found


@pytest.mark.build
def test_nothing_staff_write_runs_and_each_file_is_named_in_check_and_build(tmp_path):
    """One copy with a command tag in clinic.yml, a listing, .authors.yml and a guide page's front
    matter, and an alias bomb, deep nesting and an oversize file elsewhere: each file named once,
    in the same words by the check and the build, within seconds, and nothing runs."""
    project = copy_project(tmp_path / "project", PROJECT_ROOT)
    marker = tmp_path / "pwned"
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'
    edits = {"clinic.yml": ("email: frontdesk@example.org", f'email: {tag}\nemail_note: "\\u202e"'),
             "docs/therapists/listings/sample-arden-sampleton.yml": ("phone: 217-555-0102", f"phone: {tag}"),
             "docs/blog/.authors.yml": ("authors:\n", f"authors:\n  tagged:\n    name: {tag}\n"),
             "docs/guide/what-is-medical-massage.md": ("reviewed_by: alex-example", f"reviewed_by: {tag}"),
             "docs/guide/claims.yml": ("- page: ", "- page: &p guide/x.md\n  phrase: *p\n- page: "),
             "docs/about.md": ("---\n", "---\ndeep: " + "[" * 10_000 + "]" * 10_000 + "\n")}
    for name, (old, new) in edits.items():
        text = (project / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        (project / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    big = project / "docs/therapists/listings/sample-oversize.yml"
    big.write_text("bio: '" + "lol " * 300_000 + "'\n", encoding="utf-8")
    started = time.perf_counter()
    checked = errors(pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False))
    stopped = build_in_process(project / "mkdocs.yml", project / "site", spelling=False, cards=False)
    assert time.perf_counter() - started < 300
    assert isinstance(stopped, ProblemsFound)
    assert not marker.exists()
    oversize = "docs/therapists/listings/sample-oversize.yml"
    named: dict = {}   # the first problem of each file
    for problem in checked:
        if problem.path in {*edits, oversize} and (not problem.path.endswith(".md")
                                                    or problem.field in ("reviewed_by", "deep")):
            named.setdefault(problem.path, problem)
    assert set(named) == {*edits, oversize}, checked
    assert "tag '!!python/object/apply:os.system'" in named["clinic.yml"].what
    assert "alias *p" in named["docs/guide/claims.yml"].what
    assert "nested more than 50 levels" in named["docs/about.md"].what
    assert "MB, more than the 1.0 MB it may hold" in named[oversize].what
    assert {str(problem) for problem in named.values()} <= {str(problem) for problem in stopped.problems}
    # clinic.yml's two slips, each named, by both: the tag does not hide the invisible character after it
    line = (project / "clinic.yml").read_text(encoding="utf-8").splitlines().index(f"email: {tag}") + 1
    for run in (checked, stopped.problems):
        assert [(problem.line, problem.field) for problem in run if problem.path == "clinic.yml"] == [
            (line, "email"), (line + 1, "email_note")], run


@pytest.mark.parametrize("value, here, there", [
    ("no", "false", "text"), ("Yes", "true", "text"), ("off", "false", "text"), ("1e3", "text", "1000.0"),
    ("3.14e5", "text", "314000.0"), ("012", "10", "12"), ("0o17", "text", "15"), ("1_000", "1000", "text"),
    ("1:20", "80", "text"),
])
def test_front_matter_holds_no_value_the_two_engines_read_apart(tmp_path, value, here, there):
    """Zensical reads the staged front matter again as YAML 1.2, where `draft: no` is the text
    "no" (it stopped the build: "draft must be a Boolean", naming no page) and `title: 1e3` a
    number. A plain value the two read apart is named at its field, with both readings."""
    [problem] = _read_front_matter(tmp_path, f"draft: {value}\n")
    assert (problem.path, problem.line, problem.field) == ("page.md", 2, "draft"), problem
    assert f"({here} here, {there} in Zensical's)" in problem.what and f'"{value}"' in problem.fix, problem


@pytest.mark.parametrize("text", ["draft: true\n", "title: 12 ways to rest\n", "date: 2026-11-20\n", "x: 1.5\n",
                                  "x: 0x1F\n", "x:\n", "x: ~\n", 'title: "no"\n', "x: -3\n", "tags: [neck, back]\n"])
def test_front_matter_the_two_read_alike_passes(tmp_path, text):
    assert _read_front_matter(tmp_path, text) == []


def test_a_name_given_twice_in_front_matter_names_the_files_own_lines(tmp_path):
    """Front matter starts on the file's line 2: the two lines named are the file's (a tester saw
    "lines 1 and 3" for lines 2 and 4)."""
    [problem] = _read_front_matter(tmp_path, "title: A\ndescription: B\ntitle: C\n")
    assert (problem.line, problem.field, problem.what) == (4, "title", "is given twice (lines 2 and 4)")


def test_a_page_or_snippet_line_with_a_hidden_character_is_named(tmp_path):
    """A tester's: "Dose: \\u202e05\\u202c mg" in a page's text showed as "Dose: 50 mg", on the page and
    in the feed; a bell or an escape reached the HTML. Each such line of a page's body, and of an
    included snippet, is named; the rest of the page is still read (one problem a line)."""
    from clinic_site.sources import hidden_lines
    text = ("---\ntitle: T\n---\n\n# T\n\nDose: \u202e05\u202c mg.\n\nA bell \x07 and \x1b[31m red.\n\n"
            "שלום \u200f עולם\n")
    found = hidden_lines(text, "docs/t.md", 3)
    assert [(problem.line, problem.what.split(" (")[0]) for problem in found] == [
        (7, "holds the invisible character \\u202e"), (9, "holds the invisible character \\u0007")]
    assert hidden_lines("plain text\tand tabs\n", "docs/t.md") == []


def test_the_fix_for_a_value_read_two_ways_fits_the_value(tmp_path):
    [number] = _read_front_matter(tmp_path, "title: 1e3\n")
    [answer] = _read_front_matter(tmp_path, "draft: no\n")
    assert number.fix == 'put it in double quotes to keep it as text ("1e3")'
    assert answer.fix == 'put it in double quotes to keep it as text ("no"), or write true or false'
