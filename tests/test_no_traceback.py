"""Issue 21, no traceback ever: every front matter field the site reads and every field of a person
in .authors.yml, written with several wrong shapes, is a problem naming the file, the line and
the field, in `clinic check` and in `clinic build` alike, word for word, and the run goes on.

Each case is a page (or a person) of its own in one copy of the site, checked once and built
once, so a case that stopped the run would hide the others: every case must be named.
"""
from __future__ import annotations

import json
import os
import re

import pytest

from clinic_site import front_matter, people
from devtools.project_copy import copy_project
from devtools.site_build import MKDOCS_ENV
from tests.harness import build_site, run_python, without_cards

# Wrong shapes, as YAML. A sample that is a right shape for a field is skipped for it (VALID).
SAMPLES = {"list": "[1]", "mapping": "{a: 1}", "number": "5", "word": "soon", "yes": "true", "list of lists": "[[1]]"}
VALID = {"word": {"title", "description", "subtitle", "offer", "reviewed_by", "status"},
         "yes": {"comments", "draft", "pin", "sample"}, "number": {"readtime"}}
POST_FIELDS = {"date", "authors", "categories", "draft", "pin", "readtime"}
PERSON_VALID = {"word": {"name", "description", "slug", "url"}, "yes": {"sample"}}
DESCRIPTION = "One of the pages with a field of the wrong shape, each named by the check and the build."
PERSON = {"name": "Case Person", "description": "A person of a case", "avatar": "assets/avatar-sample.svg",
          "url": "people/sam-sample/"}


def page_cases() -> dict[str, tuple[str, str, int]]:
    """{case: (file, text, line of the field)} for every field of front_matter.FIELDS and sample."""
    cases = {}
    for field in front_matter.FIELDS:
        for sample, value in SAMPLES.items():
            if field in VALID.get(sample, set()):
                continue
            slug = f"{field}-{sample.replace(' ', '-')}"
            if field in POST_FIELDS:
                meta = {"date": "2026-11-25", "authors": "[sam-sample]", "categories": "[Clinic news]",
                        "description": json.dumps(DESCRIPTION), "slug": f"case-{slug}", field: value}
                file = f"docs/blog/posts/case-{slug}.md"
            else:
                meta = {"title": f"Case {slug}", "description": json.dumps(DESCRIPTION), field: value}
                file = f"docs/cases/{slug}.md"
            lines = [f"{key}: {item}" for key, item in meta.items()]
            text = "---\n" + "\n".join(lines) + f"\n---\n\n# Case {slug}\n\nText.\n"
            cases[f"{field}: {sample}"] = (file, text, 2 + list(meta).index(field))
    return cases


def person_cases() -> dict[str, tuple[str, str]]:
    """{case: (person id, field)} for every field of people.FIELDS and sample."""
    return {f"person {field}: {sample}": (f"case-{field}-{sample.replace(' ', '-')}", field)
            for field in people.FIELDS for sample in SAMPLES if field not in PERSON_VALID.get(sample, set())}


PAGES, PEOPLE = page_cases(), person_cases()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    project = without_cards(copy_project(tmp_path_factory.mktemp("shapes") / "project"))   # only words are read
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("not_in_nav: |\n", "not_in_nav: |\n  cases/*.md\n", 1), encoding="utf-8")
    for file, page, _line in PAGES.values():
        (project / file).parent.mkdir(parents=True, exist_ok=True)
        (project / file).write_text(page, encoding="utf-8")
    entries = ""
    for person_id, field in PEOPLE.values():
        sample = person_id.removeprefix(f"case-{field}-").replace("-", " ")
        person = {**PERSON, field: SAMPLES[sample]}
        entries += f"  {person_id}:\n" + "".join(f"    {key}: {value}\n" for key, value in person.items())
    authors = project / "docs/blog/.authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8") + entries, encoding="utf-8")
    checked = run_python(["-m", "clinic_site.cli", "check", "-f", str(config), "--no-spelling"], cwd=project,
                         env={**os.environ, **MKDOCS_ENV})
    built = build_site(project / "site", config, "--no-spelling")
    return {"check": checked.stdout + checked.stderr, "build": built.stdout + built.stderr,
            "authors": authors.read_text(encoding="utf-8"), "status": f"{checked.returncode} {built.returncode}"}


def test_neither_run_ends_in_a_traceback_or_stops_early(outputs):
    for name in ("check", "build"):
        assert "Traceback" not in outputs[name] and "the build stopped" not in outputs[name], outputs[name][-3000:]
    assert outputs["status"] == "1 1"


def _line_of(output: str, prefix: str) -> str | None:
    return next((line for line in output.splitlines() if line.startswith(prefix)), None)


@pytest.mark.parametrize("case", list(PAGES))
def test_a_field_of_the_wrong_shape_is_named_alike_by_check_and_build(outputs, case):
    file, _text, line = PAGES[case]
    field = case.split(":")[0]
    prefix = f"{file}, line {line}: '{field}' "
    checked = _line_of(outputs["check"], prefix)
    assert checked is not None, f"the check does not name {prefix!r}:\n" + "\n".join(
        row for row in outputs["check"].splitlines() if row.startswith(file))
    assert checked in outputs["build"].splitlines(), f"the build words it differently: {checked}"


@pytest.mark.parametrize("case", list(PEOPLE))
def test_a_person_field_of_the_wrong_shape_is_named_alike_by_check_and_build(outputs, case):
    person_id, field = PEOPLE[case]
    lines = outputs["authors"].splitlines()
    start = lines.index(f"  {person_id}:")
    line = next(number for number in range(start + 1, len(lines) + 1) if lines[number - 1].startswith(f"    {field}:"))
    prefix = f"docs/blog/.authors.yml, line {line}: 'authors.{person_id}.{field}' "
    checked = _line_of(outputs["check"], prefix)
    assert checked is not None, f"the check does not name {prefix!r}"
    assert checked in outputs["build"].splitlines(), f"the build words it differently: {checked}"


def test_the_cases_cover_every_field_the_site_reads():
    assert {case.split(":")[0] for case in PAGES} == set(front_matter.FIELDS)
    assert {field for _id, field in PEOPLE.values()} == set(people.FIELDS)
    assert len(PAGES) >= 80 and re.search(r"title: list", " ".join(PAGES))


def test_icons_named_in_settings_must_be_the_theme_s():
    """An unknown icon in `theme: icon:` or a social link stopped the theme's build (TemplateNotFound):
    it is named, with the nearest icon, and taken out before the engine reads it."""
    from clinic_site.engines.mkdocs import theme_dirs
    from clinic_site.project import Project, Settings
    from clinic_site.theme import ThemeFiles, icon_setting_problems
    from tests.harness import PROJECT_ROOT

    files = ThemeFiles(theme_dirs(Settings.read(Project.find(PROJECT_ROOT / "mkdocs.yml"))[0]))
    assert files.has_icon("material/heart") and not files.has_icon("material/nope")
    assert not files.has_icon("../../../etc/passwd") and files.has_template("main.html")
    theme = {"icon": {"menu": "material/nope", "logo": "material/heart", "admonition": {"note": [1]}}}
    social = [{"icon": "fontawesome/brands/github", "link": "https://example.org/"}, {"icon": "x/y"}]
    found, drop = icon_setting_problems(theme, files, "mkdocs.yml", lambda setting: 7, social)
    assert [problem.field for problem in found] == ["theme.icon.menu", "theme.icon.admonition.note",
                                                    "extra.social.2.icon"]
    assert "material/note" in found[0].fix
    assert drop == {"theme.icon.menu", "theme.icon.admonition.note", "extra.social.1"}
