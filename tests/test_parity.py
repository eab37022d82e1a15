"""The check is the build: for every bad-content case (tests/fixtures/bad_content.yml) `clinic check`
and `mkdocs build --strict` refuse it with the same problems, in the same words — file, line and
field — and a failed build publishes nothing; what the check accepts builds.

Every case goes through both, but not one project each: a run names every problem (issue 19), so
cases that do not touch the same file share a project. A case that edits one of three sample
pages (a guide page, a post, the about page) and expects its problem there is applied to a copy
of that page under a name of its own (docs/guide/case-7.md; a post's copy gets its own slug), so
such cases never collide; cases on mkdocs.yml or clinic.yml share it when their edits do not
overlap; the people file's cases, the cases that hide others' problems (`alone`) and those that
name problems all over the site (`floods`) share only as groups() allows; the cases that must
pass run together. Each case is still its own test, with its own expectation, read from its
group's one check and one build; test_each_project_names_exactly_the_problems_of_its_cases
shows that each group's run names its cases' problems and nothing else.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from clinic_site import check
from devtools.project_copy import copy_project
from tests.harness import run_python

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "bad_content.yml").read_text(encoding="utf-8"))
# A problem line as both print it: "docs/x.md, line 3: 'title' is missing — add ..."
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s,][^,]*), line (?P<line>\d+): (?:warning: )?(?:'(?P<field>[^']+)' )?")
# Sample pages a case may be moved off, onto a copy of its own: file -> the copy's name (with the case's number).
COPIED = {"docs/guide/what-is-medical-massage.md": "docs/guide/case-{n}.md",
          "docs/about.md": "docs/case-{n}.md",
          "docs/blog/posts/welcome-to-our-guide.md": "docs/blog/posts/case-{n}.md"}
POST_SLUG = "slug: welcome-to-our-guide"
APART = {"docs/blog/.authors.yml"}   # a case on the people file changes what every page reads
SHARED = {"mkdocs.yml", "clinic.yml"}   # settings files: cases whose edits do not overlap share them


def touched(case: dict) -> set[str]:
    return set((case.get("edit") or {}).keys()) | set((case.get("write") or {}).keys()) | \
        set(case.get("delete") or []) | set(case.get("utf16") or []) | set(case.get("bom") or []) | \
        set((case.get("symlink") or {}).keys()) | set(case.get("crlf") or []) | set(case.get("cr") or [])


def on_its_own_copy(case: dict, number: int, base: Path) -> dict:
    """The case moved onto a copy of its page when it edits one sample page and expects its
    problem there; else the case as it is. The copy's lines are the original's, so the expected
    line stays."""
    files = touched(case)
    expect = case.get("expect")
    if case.get("good") or len(files) != 1 or not expect or expect[0] not in files or expect[0] not in COPIED:
        return case
    original = expect[0]
    copy = COPIED[original].format(n=number)
    text = (base / original).read_text(encoding="utf-8")
    edits = (case.get("edit") or {}).get(original)
    if edits:
        old, new = edits
        assert old in text, f"{case['name']}: {old!r} is no longer in {original}; update the fixture"
        text = text.replace(old, new, 1)
    text = (case.get("write") or {}).get(original, text)
    if original.startswith("docs/blog/posts/") and POST_SLUG in text:
        text = text.replace(POST_SLUG, f"slug: case-{number}", 1)
    moved = {"name": case["name"], "write": {copy: text}, "expect": [copy, *expect[1:]],
             **{key: case[key] for key in ("alone", "floods") if key in case}}
    if case.get("also"):
        moved["also"] = [[copy if path == original else path, *rest] for path, *rest in case["also"]]
    for encoding in ("utf16", "bom"):
        if original in (case.get(encoding) or []):
            moved[encoding] = [copy]
    if original in (case.get("delete") or []):
        return case
    return moved


def apart(case: dict) -> bool:
    """A case whose fault changes what every page reads (the people file) or hides other cases'
    problems (`alone`: a settings file made unreadable, a page where the finder writes its own)."""
    return bool(touched(case) & APART or case.get("alone"))


def groups(cases: list[dict]) -> list[list[int]]:
    """Case numbers in groups that can share one project: no two touch the same file, except
    mkdocs.yml or clinic.yml edits whose texts do not overlap; the people file's cases share only
    with each other's kind (never the file), with at most one case marked `alone`, or with cases
    on settings files only (when none is marked `alone`); the cases
    marked `floods` (a live site: every sample marker of the sample site is an error) share only
    with each other, making the same settings edit; the good ones together."""
    found: list[list[int]] = []
    good = [number for number, case in enumerate(cases) if case.get("good")]

    def mixes(case: dict) -> bool:
        """A case on settings files only, or a people file's case not marked alone: these may
        share (the people file changes what pages read, not the settings)."""
        return (touched(case) <= SHARED and not apart(case)) or (apart(case) and not case.get("alone"))

    def settings_edits(case: dict) -> set:
        return {(name, tuple(edit)) for name, edit in (case.get("edit") or {}).items() if name in SHARED}

    for number, case in enumerate(cases):
        if case.get("good"):
            continue
        files = touched(case)
        for group in found:
            members = [cases[member] for member in group]
            shared = files & set().union(*(touched(member) for member in members))
            if case.get("floods") or any(member.get("floods") for member in members):
                if all(member.get("floods") for member in members) and case.get("floods") \
                        and not shared - SHARED and all(settings_edits(member) == settings_edits(case)
                                                        for member in members):
                    group.append(number)
                    break
                continue
            together = members + [case]
            if not (all(apart(one) for one in together) or not any(apart(one) for one in together)
                    or all(mixes(one) for one in together)):
                continue
            if apart(case) and (shared or (case.get("alone") and any(member.get("alone") for member in members))):
                continue
            if shared - SHARED:
                continue
            olds = [(name, edit[0]) for member in members + [case] for name, edit in (member.get("edit") or {}).items()
                    if name in SHARED]
            if any(a != b and a[0] == b[0] and (a[1] in b[1] or b[1] in a[1]) for a in olds for b in olds) \
                    or len(olds) != len(set(olds)):
                continue
            group.append(number)
            break
        else:
            found.append([number])
    return found + ([good] if good else [])


def apply(target: Path, case: dict, applied: set | None = None) -> None:
    """Make the case's changes in the project at `target`; an edit in `applied` (made already by
    another case of the group: the `floods` cases' one settings edit) is not made twice."""
    for name, (old, new) in (case.get("edit") or {}).items():
        if applied is not None and (name, old, new) in applied:
            continue
        if applied is not None:
            applied.add((name, old, new))
        file = target / name
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{case['name']}: {old!r} is no longer in {name}; update the fixture"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    for name, text in (case.get("write") or {}).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    for name in case.get("delete") or []:
        (target / name).unlink()
    for name in case.get("utf16") or []:
        file = target / name
        file.write_bytes(file.read_text(encoding="utf-8").encode("utf-16"))
    for name in case.get("bom") or []:
        file = target / name
        file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    for ending, names in (("\r\n", case.get("crlf") or []), ("\r", case.get("cr") or [])):
        for name in names:   # saved with Windows or old Mac line endings
            file = target / name
            file.write_bytes(file.read_bytes().replace(b"\n", ending.encode("ascii")))
    for name, points_to in (case.get("symlink") or {}).items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).symlink_to(points_to)


def is_named(found: tuple[str, int, str], expected: list) -> bool:
    """Whether the problem `found` (path, line, field) is the one `expected` describes (line 0: any
    line after the first)."""
    path, line, field = expected
    return found[0] == path and found[2] == field and (found[1] == line or (line == 0 and found[1] > 1))


def located(lines: str) -> set[tuple[str, int, str]]:
    """(path, line, field) of every error line in a command's output."""
    found = set()
    for line in lines.splitlines():
        match = PROBLEM_LINE.match(line.strip())
        if match and "warning: " not in line:
            found.add((match.group("path"), int(match.group("line")), match.group("field") or ""))
    return found


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    base = copy_project(tmp_path_factory.mktemp("parity") / "base")
    config = base / "mkdocs.yml"   # the cases' own pages are reached by no menu
    text = config.read_text(encoding="utf-8")
    text = text.replace("not_in_nav: |\n", "not_in_nav: |\n  case-*.md\n", 1)
    # The check draws no social cards, so the build beside it draws none either: the same run, and
    # no card drawn for each case's page (test_cards covers the cards).
    assert "  - social:\n" in text, "mkdocs.yml's social plugin moved; update this fixture"
    config.write_text(text.replace("  - social:\n", "  - social:\n      enabled: false\n", 1), encoding="utf-8")
    return base


PREPARED: list[dict] = []
GROUPS: list[list[int]] = []


@pytest.fixture(scope="module")
def runs(base_project, tmp_path_factory) -> dict[int, dict]:
    """For each group: its project's check output and status, and its build's output, status and site."""
    PREPARED[:] = [on_its_own_copy(case, number, base_project) for number, case in enumerate(CASES)]
    GROUPS[:] = groups(PREPARED)
    results: dict[int, dict] = {}
    for index, group in enumerate(GROUPS):
        project = tmp_path_factory.mktemp(f"group{index}") / "project"
        shutil.copytree(base_project, project, symlinks=True)
        applied: set = set()
        for number in group:
            apply(project, PREPARED[number], applied)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            status = check.main(["-f", str(project / "mkdocs.yml"), "--no-spelling"])
        # The real command line, forked from a warm interpreter (tests/harness.py, run_python): the
        # same words and status as a new one (tests/test_harness_warm.py), a second less a group.
        built = run_python(
            ["-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")], cwd=project,
            env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
                 **{key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}})   # the code under test
        result = {"checked": output.getvalue(), "status": status, "built": built.stdout + built.stderr,
                  "build_status": built.returncode, "site": project / "site", "cases": group}
        for number in group:
            results[number] = result
    return results


@pytest.mark.parametrize("number", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_check_and_build_agree(runs, number):
    case, result = PREPARED[number], runs[number]
    checked, build_output = result["checked"], result["built"]
    names = ", ".join(PREPARED[member]["name"] for member in result["cases"])
    assert "Traceback" not in build_output and "Traceback" not in checked, names
    if case.get("good"):
        assert result["status"] == 0, checked
        assert result["build_status"] == 0, build_output
        return
    assert result["status"] == 1, f"the check accepted it ({names}):\n{checked}"
    assert result["build_status"] != 0, f"the build accepted it ({names}):\n{build_output}"
    assert not list(result["site"].rglob("*.html")), "a failed build must publish nothing"
    from_check, from_build = located(checked), located(build_output)
    assert from_check == from_build, f"check:\n{checked}\nbuild:\n{build_output}"
    path, line, field = case["expect"]
    assert [found for found in from_check if is_named(found, case["expect"])], \
        f"expected {path}, line {line or '>1'}, field {field!r} among:\n{checked}"
    for text_line in checked.splitlines():
        if PROBLEM_LINE.match(text_line):
            assert text_line in build_output, f"the build words it differently: {text_line}"


def test_there_are_at_least_forty_bad_content_cases():
    assert len([case for case in CASES if not case.get("good")]) >= 40


def test_cases_share_projects_and_never_a_file(base_project):
    prepared = [on_its_own_copy(case, number, base_project) for number, case in enumerate(CASES)]
    found = groups(prepared)
    assert sorted(number for group in found for number in group) == list(range(len(CASES)))
    assert len(found) <= len(CASES) // 4, f"{len(found)} projects for {len(CASES)} cases"
    for group in found:
        if all(prepared[number].get("good") for number in group):
            continue   # the cases that must pass: together, they must still pass
        files = [name for number in group for name in touched(prepared[number]) if name not in SHARED]
        assert len(files) == len(set(files)), group


def test_each_project_names_exactly_the_problems_of_its_cases(runs):
    """One run names every problem (issue 19): the check of each group's project names each case's
    problems (`expect`, and `also` where its fault is named in more places) and nothing else, so no
    case vanishes from its group or hides, or stands in for, another's (a case that held only
    beside the live site's case did). Not enumerated: the groups of `floods` cases (a live site
    names every sample marker) and the group of cases on copies of sample pages (a guide page's
    copy has no claims-table entries, so each of its clinical sentences is named); their cases are
    still each found by test_check_and_build_agree."""
    enumerated, wrong = 0, {}
    for group in GROUPS:
        cases = [PREPARED[number] for number in group]
        if any(case.get("good") or case.get("floods") or case is not CASES[number] for number, case in
               zip(group, cases, strict=True)):   # good, floods, or moved onto a copy of its page
            continue
        expected = [problem for case in cases for problem in [case["expect"], *case.get("also", [])]]
        found = located(runs[group[0]]["checked"])
        others = [problem for problem in found if not any(is_named(problem, one) for one in expected)]
        missing = [one for one in expected if not any(is_named(problem, one) for problem in found)]
        if others or missing:
            wrong[", ".join(case["name"] for case in cases)] = {"named, of no case": others, "not named": missing}
        enumerated += 1
    assert wrong == {}
    assert enumerated >= len(GROUPS) - 3, f"only {enumerated} of {len(GROUPS)} groups enumerated"
