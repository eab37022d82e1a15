"""`clinic edit` and a port another program holds: decap-server's port (--backend-port, 8081) held by
another program (a second `clinic edit` of another copy of the project, say) must stop the command
with a message naming the option, never connect the editor to that program (which would then
write into the other copy's files). Fast: it stops before starting anything."""
from __future__ import annotations

import socket

import pytest

from clinic_site.editor import develop
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT


@pytest.mark.parametrize("which", ["backend_port", "port"])
def test_a_port_in_use_stops_the_command_naming_the_option(which):
    with socket.socket() as taken:
        taken.bind((develop.HOST, 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with pytest.raises(RuntimeError) as stopped, develop.session(PROJECT_ROOT, **{which: busy}):
            pytest.fail("the editor started with a port another program holds")
    option = "--backend-port" if which == "backend_port" else "--port"
    assert f"port {busy}" in str(stopped.value) and option in str(stopped.value)


def test_a_project_the_editor_cannot_start_for_is_named_not_node(tmp_path):
    """`clinic edit` with the editor switched off, or a word list or .authors.yml it cannot read:
    the message names that (file, line, fix), not "Node.js is needed"."""
    project = copy_project(tmp_path / "project")
    authors = project / "docs/blog/.authors.yml"
    text = authors.read_text(encoding="utf-8")
    authors.write_text(text.replace("  alex-example:\n", "  alex-example:\n\tname: x\n", 1), encoding="utf-8")
    with pytest.raises(RuntimeError) as stopped, develop.session(project):
        pytest.fail("started")
    assert "docs/blog/.authors.yml" in str(stopped.value) and "Node.js" not in str(stopped.value)
    authors.write_text(text, encoding="utf-8")
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("\nextra:\n", "\nextra:\n  editor: false\n", 1),
                        encoding="utf-8")
    with pytest.raises(RuntimeError) as stopped, develop.session(project):
        pytest.fail("started")
    assert "editor: false" in str(stopped.value) and "Node.js" not in str(stopped.value)
