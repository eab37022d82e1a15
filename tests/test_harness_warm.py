"""The warm runs the tests use for the real commands (tests/harness.py, run_python; tests/warm_server.py)
print the same words and exit with the same status as a new interpreter running the same command
line: the tests that compare what `mkdocs build --strict`, `clinic build` and `clinic check` print
may run them warm only because of this. The one difference allowed is the seconds a run says it took.
(`mkdocs build --strict` of the checkout, cold then warm, words and site: tests/test_pipeline.py.)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from devtools.project_copy import copy_project
from devtools.site_build import MKDOCS_ENV
from tests import harness


def same_run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple:
    """The cold and the warm run of `python *args`, after checking they agree."""
    cold = harness.run_python(args, cwd=cwd, env=env, cold=True)
    warm = harness.run_python(args, cwd=cwd, env=env)
    assert warm.args == cold.args
    assert (warm.returncode, harness.without_seconds(warm.stdout), harness.without_seconds(warm.stderr)) == \
        (cold.returncode, harness.without_seconds(cold.stdout), harness.without_seconds(cold.stderr))
    return cold, warm


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    """A copy with two problems (a page without a description, a post by someone unknown)."""
    project = copy_project(tmp_path_factory.mktemp("warm") / "project")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("description:", "summary:", 1), encoding="utf-8")
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    post.write_text(post.read_text(encoding="utf-8").replace("  - riley-example", "  - riley-exemple", 1),
                    encoding="utf-8")
    return project


def test_clinic_check_prints_the_same_warm_and_cold_from_a_sub_folder(faulty):
    """From docs/ (the project is found walking up), with the environment a parity case gives."""
    env = {"PATH": "/usr/bin:/bin", **MKDOCS_ENV,
           **{key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}}
    cold, _warm = same_run(["-m", "clinic_site.cli", "check", "--no-spelling"], faulty / "docs", env)
    assert cold.returncode == 1 and "'riley-exemple'" in cold.stdout, cold.stdout


@pytest.mark.parametrize("args", [
    ["-m", "clinic_site.cli", "no-such-command"],                   # a usage error: status 2, argparse's words
    ["-m", "clinic_site.cli", "check", "--help"],
    ["-c", "import sys; print('out'); sys.exit('stopped: a message')"],   # SystemExit with a message: 1
    ["-c", "import sys; print(sys.argv, __name__); sys.exit(3)", "one", "two"],
    ["-c", "import os; print(os.getcwd(), os.environ['WARM_TEST'])\nraise ValueError('a traceback')"],
], ids=["usage error", "help", "exit message", "argv and status", "traceback"])
def test_exit_status_argv_folder_and_environment_are_a_new_interpreters(tmp_path, args):
    same_run(args, tmp_path, {**os.environ, "WARM_TEST": "set for this run only"})


@pytest.mark.build
def test_a_run_whose_banners_are_not_silenced_runs_cold(tmp_path):
    """mkdocs-redirects prints ProperDocs' notice as it is imported, when the command is `mkdocs`
    and DISABLE_MKDOCS_2_WARNING is not "true" (Material prints its own banner likewise): the warm
    interpreter imported it already, silently, so such a run must start an interpreter of its own,
    and prints the notice as a new one does."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# A page\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\nplugins:\n  - redirects\n",
                                         encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in MKDOCS_ENV}
    cold, _warm = same_run(["-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")], tmp_path, env)
    assert "ProperDocs" in cold.stderr and "end of life" in cold.stderr, \
        "the banners are no longer printed: update this test"


def test_the_warm_server_runs_no_thread_it_would_fork(tmp_path):
    """A fork copies only the thread that forks: the server checks it runs one thread before each
    fork (a run is refused otherwise); it has run the runs above, so it holds."""
    result = harness.run_python(["-c", "import threading; print(threading.active_count())"], cwd=tmp_path)
    assert result.stdout == "1\n" and result.returncode == 0
    assert harness._warm_servers, "the run was not warm"
    assert sys.executable == result.args[0]
