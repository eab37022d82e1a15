"""The build as staff run it (issue 19): one pass names every problem, the check is the build,
and every command works on the project it is run in.

- Five faults of five kinds in one copy (a post's author, a listing's credential, a page without
  a description, a page holding a script, a broken link): `clinic check`, `clinic build` and
  `mkdocs build --strict` each name all five, each once, in the same words.
- `clinic build` and a plain `mkdocs build --strict` write the same site, byte for byte.
- Found from here: a second checkout, a sub-folder, `-f` from another folder, a site folder
  elsewhere, a folder with no site, and the package installed without `-e`.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_site import cli
from devtools.project_copy import copy_project
from devtools.site_build import MKDOCS_ENV
from tests.harness import PROJECT_ROOT, run_python, without_seconds

GUIDE = "docs/guide/what-is-medical-massage.md"
POST = "docs/blog/posts/welcome-to-our-guide.md"
LISTING = "docs/therapists/listings/sample-avery-sampleton.yml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def clinic(*args: str, cwd: Path, env: dict | None = None, cold: bool = False) -> subprocess.CompletedProcess:
    """The real `python -m clinic_site.cli *args`, in its own process: forked from a warm
    interpreter (tests/harness.py, run_python: the same words and status), or a new one if `cold`."""
    return run_python(["-m", "clinic_site.cli", *args], cwd=cwd, env={**os.environ, **MKDOCS_ENV, **(env or {})},
                      cold=cold)


def clinic_here(*args: str, cwd: Path, monkeypatch, capsys) -> tuple[int, str]:
    """(exit status, what it printed) of `clinic *args` run in this process from folder `cwd`: the
    same command, found from the same folder, without starting an interpreter (the tests above
    run the real processes)."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        status = cli.main(list(args))
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 2
    printed = capsys.readouterr()
    return status, printed.out + printed.err


def line_of(project: Path, path: str, text: str) -> int:
    return next(number for number, line in enumerate((project / path).read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


@pytest.fixture(scope="module")
def five_faults(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A copy with five faults of five kinds, and what `clinic check`, `clinic build` and
    `mkdocs build --strict` print for it."""
    project = copy_project(tmp_path_factory.mktemp("five") / "project")
    edit(project / POST, "  - riley-example", "  - riley-exemple")
    edit(project / LISTING, "credentials: [", "credentials: [LMX, ")
    edit(project / "docs/about.md", "description:", "summary:")
    edit(project / GUIDE, "\n## ", "\n<script>alert(1)</script>\n\nSee [our prices](prices.md).\n\n## ")
    outputs = {"check": clinic("check", "--no-spelling", cwd=project),
               "build": clinic("build", "--no-spelling", cwd=project),
               "mkdocs": run_python(["-m", "mkdocs", "build", "--strict"], cwd=project,
                                    env={**os.environ, **MKDOCS_ENV})}
    for name, result in outputs.items():
        assert result.returncode != 0, f"{name} accepted the faults"
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert not list((project / "site").rglob("*.html")), "a failed build publishes nothing"
    return project, {name: result.stdout + result.stderr for name, result in outputs.items()}


def expected_lines(project: Path) -> list[str]:
    """The start of each of the five problems: file and line (and field, where there is one)."""
    return [f"{POST}, line {line_of(project, POST, 'authors:')}: 'authors' 'riley-exemple'",
            f"{LISTING}, line {line_of(project, LISTING, 'credentials:')}: 'credentials' 'LMX'",
            "docs/about.md, line 1: 'description' is missing",
            f"{GUIDE}, line {line_of(project, GUIDE, '<script>')}: the tag <script> is not allowed",
            f"{GUIDE}, line {line_of(project, GUIDE, 'prices.md')}: the link 'prices.md'"]


@pytest.mark.parametrize("command", ["check", "build", "mkdocs"])
def test_one_run_names_all_five_problems_each_once(five_faults, command):
    project, outputs = five_faults
    printed = [line.split("-  ", 1)[-1].strip() for line in outputs[command].splitlines()]
    for start in expected_lines(project):
        found = [line for line in printed if line.startswith(start)]
        assert len(found) == 1, f"{command}: {start!r} found {len(found)} times in:\n{outputs[command]}"
    problem_lines = [line for line in printed if ", line " in line]
    assert len(problem_lines) == len(set(problem_lines)), "a problem is printed twice"
    errors = [line for line in problem_lines if "warning: " not in line]
    assert len(errors) == 5, "each fault is one problem, and no other problem follows from them:\n" + "\n".join(errors)


def test_the_check_and_both_builds_say_the_same_words(five_faults):
    _project, outputs = five_faults

    def problems(output: str) -> set[str]:
        return {line.split("-  ", 1)[-1].strip() for line in output.splitlines()
                if ", line " in line and "warning: " not in line}

    assert problems(outputs["check"]) == problems(outputs["build"]) == problems(outputs["mkdocs"])


def test_the_link_problem_suggests_a_page_and_the_script_problem_says_why(five_faults):
    project, outputs = five_faults
    link = next(line for line in outputs["check"].splitlines() if "the link 'prices.md'" in line)
    assert "check the spelling and the folder" in link
    script = next(line for line in outputs["check"].splitlines() if "<script>" in line)
    assert "pages may not run scripts" in script


@pytest.mark.build
def test_clinic_build_and_a_plain_mkdocs_build_write_the_same_site(mkdocs_site, tmp_path):
    """`clinic build` of the checkout is the session's build (conftest.py: `clinic build -f mkdocs.yml
    --engine mkdocs`, in its own process), not built a second time here. Both run in a new
    interpreter, as CI does: the suite's cold `mkdocs build --strict`. Then the same command line
    run warm, as the other tests run it (tests/harness.py, run_python): the same words, status and
    site as the cold run (tests/test_harness_warm.py compares the other commands)."""
    command = ["-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "plain")]
    plain = subprocess.run([sys.executable, *command], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           env={**os.environ, **MKDOCS_ENV})
    assert plain.returncode == 0, plain.stderr

    def differing(left: Path, right: Path) -> list[str]:
        found = []

        def compare(report: filecmp.dircmp) -> None:
            found.extend(report.left_only + report.right_only + report.diff_files)
            for sub in report.subdirs.values():
                compare(sub)

        compare(filecmp.dircmp(left, right))
        return found

    assert differing(mkdocs_site, tmp_path / "plain") == []
    (tmp_path / "plain").rename(tmp_path / "cold")
    warm = run_python(command, cwd=PROJECT_ROOT, env={**os.environ, **MKDOCS_ENV})
    assert (warm.returncode, without_seconds(warm.stdout), without_seconds(warm.stderr)) == \
        (plain.returncode, without_seconds(plain.stdout), without_seconds(plain.stderr))
    assert differing(tmp_path / "cold", tmp_path / "plain") == []


# ---- found from here ----

@pytest.fixture(scope="module")
def second(tmp_path_factory) -> Path:
    """A second checkout of the site, with one fault of its own (the real checkout has none)."""
    project = copy_project(tmp_path_factory.mktemp("second") / "checkout")
    edit(project / "docs/about.md", "description:", "summary:")
    return project


@pytest.mark.build
@pytest.mark.parametrize("folder", [".", "docs", "docs/guide", "docs/therapists/listings"])
def test_the_check_works_on_the_checkout_it_is_run_in(second, folder, monkeypatch, capsys):
    status, printed = clinic_here("check", "--no-spelling", cwd=second / folder, monkeypatch=monkeypatch,
                                  capsys=capsys)
    assert status == 1, printed
    assert "docs/about.md, line 1: 'description' is missing" in printed
    assert "Traceback" not in printed


@pytest.mark.build
def test_the_build_keeps_its_caches_in_its_own_project(second, tmp_path, monkeypatch, capsys):
    status, printed = clinic_here("build", "--no-spelling", "-d", str(tmp_path / "site"), cwd=second / "docs",
                                  monkeypatch=monkeypatch, capsys=capsys)
    assert status == 1, printed
    staged = second / ".cache/stage/build/docs/about.md"
    assert staged.is_file() and "summary:" in staged.read_text(encoding="utf-8")
    ours = PROJECT_ROOT / ".cache/stage/build/docs/about.md"
    assert not ours.is_file() or "summary:" not in ours.read_text(encoding="utf-8")


@pytest.mark.build
def test_f_builds_a_site_from_another_folder_with_its_site_folder_elsewhere(tmp_path):
    """The site folder elsewhere is the operator's choice (--site-dir): mkdocs.yml's own site_dir
    stays inside the project (tests/test_inside_project.py), as a contributor may change it."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    staff = clinic("build", "-f", str(config), "--site-dir", str(tmp_path / "published"), cwd=elsewhere)
    assert staff.returncode == 0, staff.stdout + staff.stderr
    assert (tmp_path / "published/index.html").is_file() and (tmp_path / "published/_headers").is_file()
    plain = run_python(["-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(tmp_path / "plain")],
                       cwd=elsewhere, env={**os.environ, **MKDOCS_ENV})
    assert plain.returncode == 0, plain.stderr
    assert "Traceback" not in plain.stderr and (tmp_path / "plain/guide/index.html").is_file()
    # The abbreviations snippet is found from the project, not from the folder the build runs in.
    guide = (tmp_path / "plain/guide/what-is-medical-massage/index.html").read_text(encoding="utf-8")
    assert "<abbr" in guide


def test_a_folder_with_no_site_is_said_plainly(tmp_path, monkeypatch, capsys):
    post = ["A title", "--author", "x", "--category", "y", "--no-edit"]
    for command in ("check", "build", "new-post"):
        status, printed = clinic_here(command, *(post if command == "new-post" else []), cwd=tmp_path,
                                      monkeypatch=monkeypatch, capsys=capsys)
        assert status == 2, printed
        assert "no mkdocs.yml in" in printed and "Traceback" not in printed


@pytest.mark.build
def test_installed_without_e_the_commands_work_on_the_project_they_are_run_in(second, tmp_path):
    target, sources = tmp_path / "installed", tmp_path / "sources"
    # Built from a copy: setuptools writes its build/ folder beside the sources, never in the checkout.
    sources.mkdir()
    shutil.copy(PROJECT_ROOT / "pyproject.toml", sources / "pyproject.toml")
    shutil.copytree(PROJECT_ROOT / "scripts", sources / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                              "--target", str(target), str(sources)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    env = {"PYTHONPATH": str(target)}
    where = clinic("--help", cwd=second, env=env, cold=True)
    assert where.returncode == 0
    found = subprocess.run([sys.executable, "-c", "import clinic_site; print(clinic_site.__file__)"], cwd=second,
                           capture_output=True, text=True, env={**os.environ, **env})
    assert Path(found.stdout.strip()).is_relative_to(target), found.stdout
    checked = clinic("check", "--no-spelling", cwd=second / "docs", env=env, cold=True)
    assert checked.returncode == 1 and "docs/about.md, line 1: 'description' is missing" in checked.stdout, \
        checked.stdout + checked.stderr
    added = clinic("new-listing", "--name", "Pat Installed", "--credentials", "LMT", "--license-number", "MT9",
                   "--license-state", "IL", "--at-clinic", "yes", "--phone", "217-555-0177", "--specialties",
                   "sports injuries", "--payment", "self-pay", "--languages", "English", "--telehealth", "no",
                   "--home-visits", "no", "--accepting-new-clients", "yes", "--sample", "yes", cwd=second, env=env,
                   cold=True)
    assert added.returncode == 0 and "Traceback" not in added.stderr, added.stdout + added.stderr
    assert (second / "docs/therapists/listings/pat-installed.yml").is_file()
    (second / "docs/therapists/listings/pat-installed.yml").unlink()
    assert not (PROJECT_ROOT / "build").exists(), "the install wrote into the checkout"


@pytest.mark.parametrize("src, link, meant", [
    ("guide/a.md", "choosing-a-qualifed-professional.md", "choosing-a-qualified-professional.md"),  # a typo
    ("about.md", "../references.md", "references.md"),                        # one "../" too many
    ("guide/a.md", "references.md#nice-2016", "../references.md#nice-2016"),  # one too few, anchor kept
    ("guide/a.md", "prices.md", None),                                        # nothing like it
    ("guide/a.md", "https://example.org/x.md", None),
])
def test_a_broken_link_suggests_the_page_meant(src, link, meant):
    from clinic_site.engines.mkdocs.warnings import suggest

    pages = ["about.md", "references.md", "guide/a.md", "guide/choosing-a-qualified-professional.md"]
    assert suggest(src, link, pages) == meant


@pytest.mark.unit
def test_a_second_run_of_a_project_waits_for_the_staging_folder_the_first_one_holds(tmp_path):
    """Two runs of one project in one mode never write one staging folder at once: while this
    process holds it, another process cannot take it; once let go, it can. Another mode's folder
    is free all along."""
    from clinic_site import pipeline
    from clinic_site.project import Project

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    run = pipeline.Run(Project.find(tmp_path / "mkdocs.yml"), mode="build")
    probe = ("import fcntl, os, sys\n"
             "descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
             "try:\n    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
             "except BlockingIOError:\n    sys.exit(3)\n")

    def free(mode: str) -> bool:
        lock = run.project.cache_dir / "stage" / f"{mode}.lock"
        lock.parent.mkdir(parents=True, exist_ok=True)
        return subprocess.run([sys.executable, "-c", probe, str(lock)]).returncode == 0

    pipeline.hold_staging(run)
    try:
        pipeline.hold_staging(run)   # a process holds it once, however many runs it makes
        assert not free("build") and free("check")
    finally:
        pipeline.release_staging(run)
    assert free("build")
