"""The one way the tests and developer tools run a real `mkdocs build` (in a subprocess, as a
clinic's own CI may), and the in-process build of the project's own command (`clinic build`)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Silence the MkDocs 2 banners: they tell staff to install other software and bury the real errors.
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def mkdocs_build(site_dir: Path | str, config_file: Path | str, *, strict: bool = True,
                 quiet: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build` of `config_file` into `site_dir`, from the config's folder; returns the finished
    process (output captured as text) and leaves judging it to the caller."""
    config_file = Path(config_file)
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file), "--site-dir", str(site_dir)]
    command += ["--strict"] * strict + ["--quiet"] * quiet
    return subprocess.run(command, cwd=config_file.parent, capture_output=True, text=True,
                          env={**os.environ, **MKDOCS_ENV})


def clinic_build_arguments(site_dir: Path | str, config_file: Path | str, *args: str) -> list[str]:
    """The interpreter's arguments of `clinic build` of `config_file` into `site_dir`
    (["-m", "clinic_site.cli", "build", ...]), run from the config's folder with MKDOCS_ENV."""
    return ["-m", "clinic_site.cli", "build", "-f", str(config_file), "-d", str(site_dir), *args]


def clinic_build(site_dir: Path | str, config_file: Path | str, *args: str) -> subprocess.CompletedProcess:
    """`clinic build` of `config_file` into `site_dir`, as staff run it; the finished process."""
    return subprocess.run([sys.executable, *clinic_build_arguments(site_dir, config_file, *args)],
                          cwd=Path(config_file).parent, capture_output=True, text=True,
                          env={**os.environ, **MKDOCS_ENV})
