"""`clinic serve` with MkDocs on an mkdocs.yml that MkDocs cannot read: the problem is said in
`clinic build`'s words (the same line `clinic check` prints), at the start and on a save.

MkDocs' server loads mkdocs.yml itself before any run starts; what it says ("MkDocs encountered an
error parsing the configuration file: while parsing a flow sequence …", the file's absolute path)
is not what `clinic build` says of the same file ("has a bracket that is never closed — …").
"""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.project import Project
from devtools.project_copy import copy_project

SLIPS = {
    "a bracket never closed": lambda text: text.replace("  custom_dir: overrides\n", "  custom_dir: [overrides\n", 1),
    "bytes that are not UTF-8": lambda text: text + "# caf\udce9\n",
    "a tab for indentation": lambda text: text.replace("  custom_dir: overrides\n", "\tcustom_dir: overrides\n", 1),
    # read, then refused by MkDocs' own check of the settings ("The path set in custom_dir ('/…/nowhere') does
    # not exist.", at line 1), where the stage names the setting at its line
    "a theme folder that is not there": lambda text: text.replace("  custom_dir: overrides\n",
                                                                  "  custom_dir: nowhere\n", 1),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("settings") / "site")


def _write(config: Path, text: str) -> None:
    config.write_bytes(text.encode("utf-8", "surrogateescape"))


def _checked(root: Path) -> list[str]:
    """What `clinic check` says of the project as it is (its errors, one line each)."""
    return [str(problem) for problem in pipeline.check(Project.find(root / "mkdocs.yml"), spelling=False)
            if problem.severity == "error"]


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_the_preview_names_unreadable_settings_as_the_check_does(project, slip):
    from clinic_site.engines.mkdocs import preview_lines
    from clinic_site.engines.mkdocs.serve import _SettingsErrors, serve

    config = project / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8")
    assert "  custom_dir: overrides\n" in settings, "mkdocs.yml's custom_dir moved: update this test"
    try:
        _write(config, SLIPS[slip](settings))
        expected = _checked(project)
        assert len(expected) == 1 and expected[0].startswith("mkdocs.yml, line "), expected
        said: list[str] = []
        status = serve(Project.find(config), dev_addr=f"127.0.0.1:{_free_port()}", say=said.append)
        assert status == 1, said
        assert said[1:-1] == expected, said   # the address first, then the problem, then "cannot start"
        assert said[-1].startswith("mkdocs.yml: the preview cannot start: fix the problem"), said

        # On a save, while serving: MkDocs' server rebuilds through the guard, which says the same line.
        def rebuild() -> None:
            from mkdocs.config import load_config

            load_config(config_file=str(config))   # what MkDocs' server does first at each rebuild

        class Server:
            builder = staticmethod(rebuild)

        server = Server()
        saved: list[str] = []
        refused = _SettingsErrors()
        preview_lines.start(saved.append, refused.take)
        try:
            with refused.attached():
                preview_lines.guard(server, Project.find(config))
                server.builder()
        finally:
            preview_lines.start(None)
        assert saved == expected, saved
    finally:
        config.write_text(settings, encoding="utf-8")
