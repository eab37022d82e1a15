"""Each `clinic` command's help and usage errors name the command ("usage: clinic new-post ..."),
not bare "clinic": `clinic new-post` without a title said "clinic: error: ... required: title"."""
from __future__ import annotations

import sys

import pytest

from clinic_site import cli


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_each_commands_help_names_it(capsys, command):
    before = list(sys.argv)
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: clinic {command} ")
    assert sys.argv == before, "the caller's sys.argv is left as it was"


def test_a_missing_argument_names_the_command(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["new-post"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "clinic new-post: error: the following arguments are required: title" in err, err
