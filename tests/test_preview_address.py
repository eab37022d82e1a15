"""Two MkDocs previews on one address: the second is told in one line, before it builds anything.

MkDocs' server listens only once its first build is over; `clinic serve` checks the address before
that build, so a second preview started while the first was building passed the check, built the
whole site, printed every problem and then stopped on "[Errno 98] Address already in use"."""
from __future__ import annotations

import socket

import pytest

from clinic_site import preview
from clinic_site.project import Project
from devtools.project_copy import copy_project


class _Stop(Exception):
    """Raised by the test's `say` to end the preview where the test has seen what it needs."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_address_is_held_from_the_check_until_mkdocs_listens(tmp_path):
    from clinic_site.engines.mkdocs.serve import serve

    project = Project.find(copy_project(tmp_path / "site") / "mkdocs.yml")
    address = f"127.0.0.1:{_free_port()}"
    second: list[str] = []

    def say(line: str) -> None:   # the address line: said before the first build starts
        assert line.startswith("Previewing with MkDocs at "), line
        try:
            preview.open_address(project, address)   # a second `clinic serve` starting now
        except ValueError as error:
            second.append(str(error))
        raise _Stop

    with pytest.raises(_Stop):
        serve(project, dev_addr=address, say=say)
    assert second == [f"{address}: it is in use (choose another with --dev-addr)"], second
    assert preview.open_address(project, address) == ("127.0.0.1", int(address.split(":")[1])), \
        "the address is let go once the preview ends"

