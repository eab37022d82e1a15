"""A named pipe where staff keep a file (a page, a picture, a listing, clinic.yml): named at its
path, in the same words by `clinic check` and `clinic build`, never read. Reading a pipe waits for
a writer: the build waited for good on a page or a listing, and stopped with a traceback
(shutil.SpecialFileError) on a picture."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from devtools.project_copy import copy_project

PIPES = ["docs/pipe.md", "docs/assets/pipe.png", "docs/therapists/listings/pipe.yml"]
WORDS = "is not a file but a named pipe, a device or a socket"


def _run(project, *command: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "clinic_site.cli", *command], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    return [line for line in (done.stdout + done.stderr).splitlines() if WORDS in line]


@pytest.mark.build
def test_a_named_pipe_is_named_at_its_path_and_never_read(tmp_path):
    project = copy_project(tmp_path / "site")
    for path in PIPES:
        os.mkfifo(project / path)
    checked = _run(project, "check", "--no-spelling")
    assert sorted(line.split(",")[0] for line in checked) == sorted(PIPES), checked
    assert _run(project, "build", "--no-spelling", "--site-dir", str(tmp_path / "out")) == checked
    assert not list((tmp_path / "out").iterdir()), "nothing is published"


@pytest.mark.build
def test_clinic_yml_as_a_named_pipe_is_named(tmp_path):
    project = copy_project(tmp_path / "site")
    (project / "clinic.yml").unlink()
    os.mkfifo(project / "clinic.yml")
    assert [line.split(",")[0] for line in _run(project, "check", "--no-spelling")] == ["clinic.yml"]
