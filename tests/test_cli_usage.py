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


def test_staff_documents_and_page_templates_name_only_scripts_that_exist():
    # CONTRIBUTING.md said `.venv/bin/python scripts/check.py` "still works", and every new post's
    # closing note said "scripts/check.py lists anything still to do": the file is long gone.
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    templates = sorted((root / "scripts/clinic_site/templates").glob("*.md"))
    files = [root / "README.md", root / "CONTRIBUTING.md", *templates]
    named = {(file.name, path) for file in files
             for path in re.findall(r"\bscripts/[\w/.-]+\.py\b", file.read_text(encoding="utf-8"))}
    assert named, "the documents name scripts"
    assert [(name, path) for name, path in sorted(named) if not (root / path).is_file()] == []
