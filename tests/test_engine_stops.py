"""A plugin that stops the engine on a page (MkDocs' PluginError) is named once, at that page, in
the same words by `clinic build`, `clinic check` and a plain `mkdocs build`. MkDocs logs the
plugin's words itself after the run has named them: `clinic build` and `clinic check` named the
stop twice (at the page, and again at "mkdocs.yml, line 1" from MkDocs' log), and `mkdocs build`
printed it a second time, bare, under the run's list.
"""
from __future__ import annotations

import re

import pytest

from devtools.project_copy import copy_project
from devtools.site_build import clinic_build, mkdocs_build
from tests.harness import run_python, without_cards

pytestmark = pytest.mark.build

STOPS = "the about page cannot be built here"
HOOK = f'''from mkdocs.exceptions import PluginError


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "about.md":
        raise PluginError("{STOPS}")
    return markdown
'''
# A problem line as the three print it, after MkDocs' "ERROR   -  " where it logs one.
PROBLEM = re.compile(r"^(?:ERROR\s+-\s+)?(?P<line>[^\s].*?, line \d+: .*)$")


def _problem_lines(printed: str) -> list[str]:
    return [match.group("line") for line in printed.splitlines() if (match := PROBLEM.match(line))]


def test_a_plugin_that_stops_the_engine_is_named_once_at_its_page_by_every_command(tmp_path):
    project = without_cards(copy_project(tmp_path / "project"))
    (project / "scripts/hooks/stops.py").write_text(HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - scripts/hooks/clinic.py\n" in text, "mkdocs.yml's hook moved: update this test"
    config.write_text(text.replace("  - scripts/hooks/clinic.py\n",
                                   "  - scripts/hooks/clinic.py\n  - scripts/hooks/stops.py\n", 1), encoding="utf-8")
    built = clinic_build(tmp_path / "clinic-site", config)
    checked = run_python(["-m", "clinic_site.cli", "check", "-f", str(config), "--no-spelling"], cwd=project)
    plain = mkdocs_build(tmp_path / "mkdocs-site", config, strict=False)
    printed = {"clinic build": built.stdout, "clinic check": checked.stdout,
               "mkdocs build": plain.stdout + plain.stderr}
    assert built.returncode == checked.returncode == plain.returncode == 1, printed
    named = (f"docs/about.md, line 1: the build stopped: {STOPS} — correct what it names; if it is unclear, "
             "ask a developer")
    for command, output in printed.items():
        assert "Traceback" not in output, (command, output)
        lines = _problem_lines(output)
        assert lines.count(named) == 1, (command, output)
        assert [line for line in lines if STOPS in line] == [named], (command, output)
        assert [line for line in output.splitlines() if STOPS in line] == [named], (command, output)
