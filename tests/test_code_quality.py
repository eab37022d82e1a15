"""The linter (ruff) and the type checker (mypy) pass on the project's Python, with the settings
in pyproject.toml; pre-commit runs the same two commands before each commit."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import PROJECT_ROOT

BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess:
    executable = BIN / tool
    assert executable.exists(), f"{executable} is missing: run scripts/setup.sh (it is pinned in requirements.txt)"
    return subprocess.run([str(executable), *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    # Every Python file of the project: scripts/ (package, hooks, commands) and tests/.
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", "scripts", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    # The files to check (scripts/clinic_site, scripts/devtools, scripts/hooks) are set in pyproject.toml.
    result = run("mypy", "--cache-dir", str(PROJECT_ROOT / ".cache" / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("tool, source", [("ruff", "x = 1\nimport os\n"), ("mypy", "x: int = 'one'\n")])
def test_each_tool_fails_on_a_real_problem(tmp_path, tool, source):
    # The two tests above could pass by checking nothing: each tool must fail on a file with a problem.
    bad = tmp_path / "bad.py"
    bad.write_text(source, encoding="utf-8")
    args = ["check", "--no-cache", str(bad)] if tool == "ruff" else [
        "--config-file", str(PROJECT_ROOT / "pyproject.toml"), "--no-incremental", str(bad)]
    result = run(tool, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.py" in result.stdout
