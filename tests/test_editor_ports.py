"""`clinic edit` and a port another program holds: decap-server's port (--backend-port, 8081) held by
another program (a second `clinic edit` of another copy of the project, say) must stop the command
with a message naming the option, never connect the editor to that program (which would then
write into the other copy's files). Fast: it stops before starting anything."""
from __future__ import annotations

import socket

import pytest

from clinic_site.editor import develop
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
