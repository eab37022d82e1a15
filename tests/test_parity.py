"""The check is the build's front half: for every bad-content case (tests/fixtures/bad_content.yml)
`clinic check` and `mkdocs build --strict` refuse it with the same problems — file, line and
field — and a failed build publishes nothing; what the check accepts builds."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clinic_site import check
from devtools.project_copy import copy_project
from tests.conftest import PROJECT_ROOT

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "bad_content.yml").read_text(encoding="utf-8"))
# A problem line as both print it: "docs/x.md, line 3: 'title' is missing — add ..."
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s,][^,]*), line (?P<line>\d+): (?:warning: )?(?:'(?P<field>[^']+)' )?")


@pytest.fixture(scope="module")
def base_project(tmp_path_factory) -> Path:
    base = copy_project(tmp_path_factory.mktemp("parity") / "base")
    # The project's own card cache, shared: cards of unchanged pages are not drawn again per case.
    shutil.rmtree(base / ".cache" / "social")
    (base / ".cache" / "social").symlink_to(PROJECT_ROOT / ".cache" / "social", target_is_directory=True)
    return base


def make_case(base: Path, target: Path, case: dict) -> Path:
    """A copy of `base` with the case's changes applied."""
    shutil.copytree(base, target, symlinks=True)
    for name, (old, new) in (case.get("edit") or {}).items():
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
    return target


def located(lines: str) -> set[tuple[str, int, str]]:
    """(path, line, field) of every problem line in a command's output."""
    found = set()
    for line in lines.splitlines():
        match = PROBLEM_LINE.match(line.strip())
        if match and "warning: " not in line:
            found.add((match.group("path"), int(match.group("line")), match.group("field") or ""))
    return found


def run_check(project: Path) -> tuple[int, str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = check.main(["--root", str(project), "--no-spelling"])
    return status, output.getvalue()


def run_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_check_and_build_agree(base_project, tmp_path, case):
    project = make_case(base_project, tmp_path / "project", case)
    status, checked = run_check(project)
    built = run_build(project)
    build_output = built.stdout + built.stderr
    assert "Traceback" not in build_output and "Traceback" not in checked
    if case.get("good"):
        assert status == 0, checked
        assert built.returncode == 0, build_output
        return
    assert status == 1, f"the check accepted it:\n{checked}"
    assert built.returncode != 0, f"the build accepted it:\n{build_output}"
    assert not list((project / "site").rglob("*.html")), "a failed build must publish nothing"
    from_check, from_build = located(checked), located(build_output)
    assert from_check == from_build, f"check:\n{checked}\nbuild:\n{build_output}"
    path, line, field = case["expect"]
    matches = [(p, n, f) for p, n, f in from_check if p == path and f == field and (n == line or (line == 0 and n > 1))]
    assert matches, f"expected {path}, line {line or '>1'}, field {field!r} among:\n{checked}"
    for text_line in checked.splitlines():
        if PROBLEM_LINE.match(text_line):
            assert text_line in build_output, f"the build words it differently: {text_line}"


def test_there_are_at_least_forty_bad_content_cases():
    assert len([case for case in CASES if not case.get("good")]) >= 40
