"""Issue 21, nothing from outside the project: includes read the snippets folder only, by real path;
every path setting that makes the build read stays inside the project (an absolute path, "..", or
a symbolic link leading out is refused, naming mkdocs.yml, the line and the setting, with the fix);
data files that are links are refused. The run goes on where it can, and stops before reading
anything when the folder it would read from is outside (docs_dir, custom_dir, INHERIT, blog_dir).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project
from clinic_site.stage import snippets
from clinic_site.stage.settings import outside, setting_line
from devtools.project_copy import copy_project
from tests.harness import build_in_process

AVAILABLE = {"abbreviations.md", "notes/intro.md"}


@pytest.mark.parametrize("name, refused", [
    ("abbreviations.md", None), ("notes/intro.md", None), ("notes/../abbreviations.md", None),
    ("nope.md", "not a file"), ("../../.git/config", "outside"), ("/etc/passwd", "outside"),
    ("..\\..\\x.md", "outside"), ("~/secret.md", "outside"), ("C:/x.md", "outside"),
    ("https://example.com/x.md", "web address"), ("file:///etc/passwd", "web address"),
])
def test_an_include_names_a_file_of_the_snippets_folder_or_is_refused(name, refused):
    why = snippets.why_refused(name, AVAILABLE)
    assert (why is None) if refused is None else (why is not None and refused in why), why


def test_include_lines_are_read_as_the_extension_reads_them():
    text = ('# Page\n\n--8<-- "abbreviations.md"\n--8<-- "abbreviations.md:1:3"\n--8<-- \'notes/intro.md:intro\'\n'
            ';--8<-- "escaped.md"\n--8<-- [start:part]\n\n--8<--\nabbreviations.md\n; commented.md\n\n'
            '../outside.md\n--8<--\n  --8<-- "/etc/passwd"\nText naming --8<-- "x.md" mid-line.\n')
    staged, problems = snippets.check_text(text, "docs/page.md", AVAILABLE)
    assert [(problem.line, problem.field) for problem in problems] == [(13, ""), (15, "")]
    lines = staged.split("\n")
    assert lines[12] == "" and lines[14] == "" and len(lines) == len(text.split("\n"))
    assert lines[2] == '--8<-- "abbreviations.md"' and lines[5] == ';--8<-- "escaped.md"'


@pytest.mark.parametrize("value, why", [
    ("docs", None), ("docs/../overrides", None), ("/etc", "root of the machine"), ("../elsewhere", "'..'"),
    ("~/x", "root of the machine"), (5, "not a path"), ("link", "symbolic link"),
])
def test_a_path_setting_stays_inside_by_real_path(tmp_path, value, why):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "overrides").mkdir()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    found = outside(value, root, root)
    assert (found is None) if why is None else (found is not None and why in found), found


def test_a_setting_is_found_on_its_own_line():
    text = "site_name: x\nextra:\n  clinic:\n    logo: a.svg\ntheme:\n  name: material\n  logo: b.svg\n" \
           "plugins:\n  - search\n  - social:\n      cache_dir: .cache/social\n"
    assert setting_line(text, "theme.logo") == 7
    assert setting_line(text, "plugins.social.cache_dir") == 11
    assert setting_line(text, "theme.favicon") == 5


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("inside") / "base")


def _variant(base: Path, tmp_path: Path, old: str, new: str) -> Path:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in mkdocs.yml: update this test"
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "elsewhere").mkdir(exist_ok=True)
    (tmp_path / "elsewhere" / "secret.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return project


FOLDERS = {   # settings of a folder the whole run reads from: refused, and nothing is read
    "docs_dir outside": ("site_url: https://example.org/\n", "site_url: https://example.org/\ndocs_dir: ../elsewhere\n",
                         "docs_dir"),
    "docs_dir absolute": ("site_url: https://example.org/\n", "site_url: https://example.org/\ndocs_dir: /etc\n",
                          "docs_dir"),
    "custom_dir outside": ("  custom_dir: overrides", "  custom_dir: ../elsewhere", "theme.custom_dir"),
    "settings inherited from outside": ("site_url: https://example.org/\n",
                                        "site_url: https://example.org/\nINHERIT: ../elsewhere/base.yml\n", "INHERIT"),
    "blog folder outside": ("      blog_dir: blog", "      blog_dir: ../../elsewhere", "plugins.blog.blog_dir"),
    "card cache absolute": ("      cache_dir: .cache/social", "      cache_dir: /tmp", "plugins.social.cache_dir"),
}


@pytest.mark.parametrize("case", list(FOLDERS))
def test_a_folder_setting_outside_stops_the_run_before_reading_anything(base, tmp_path, case):
    old, new, field = FOLDERS[case]
    project = _variant(base, tmp_path, old, new)
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    named = [problem for problem in checked if problem.path == "mkdocs.yml" and problem.field == field]
    assert named and named[0].line > 1 and " inside " in named[0].fix, checked
    assert not (project / ".cache/stage/check/docs").exists(), "the stage read and staged pages"
    stopped = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False, cards=False)
    assert isinstance(stopped, ProblemsFound)
    assert {str(problem) for problem in stopped.problems} == {str(problem) for problem in checked}


def test_a_logo_through_a_link_inside_docs_is_refused_and_the_run_goes_on(base, tmp_path):
    project = _variant(base, tmp_path, "  font: false ", "  favicon: assets/linked.svg\n  font: false ")
    clinic = project / "clinic.yml"   # the clinic's logo (also the header's logo and the favicon)
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("logo: assets/logo.svg", "logo: assets/linked.svg", 1),
                      encoding="utf-8")
    os.symlink(tmp_path / "elsewhere" / "secret.svg", project / "docs/assets/linked.svg")
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    assert any(problem.field == "theme.favicon" and problem.line > 1 for problem in checked), checked
    assert any(problem.path == "clinic.yml" and problem.field == "logo" and problem.line > 1 for problem in checked)
    assert any(problem.path == "docs/assets/linked.svg" and "symbolic link" in problem.what for problem in checked)
    assert not any("the build stopped" in problem.what for problem in checked)
    assert any(problem.path.startswith("docs/therapists/") for problem in checked) or \
        (project / ".cache/stage/check/docs/index.md").is_file(), "the run did not go on"


def test_a_finder_folder_through_a_link_is_refused(base, tmp_path):
    project = _variant(base, tmp_path, "listings_dir: therapists/listings", "listings_dir: therapists/linked")
    import shutil

    shutil.copytree(project / "docs/therapists/listings", tmp_path / "elsewhere" / "listings")
    os.symlink(tmp_path / "elsewhere" / "listings", project / "docs/therapists/linked", target_is_directory=True)
    os.symlink(tmp_path / "elsewhere" / "secret.svg", project / "docs/therapists/listings/zz-linked.yml")
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    fields = {(problem.path, problem.field) for problem in checked}
    assert ("mkdocs.yml", "extra.finder.listings_dir") in fields, checked
    assert ("docs/therapists/listings/zz-linked.yml", "") in fields


# ---- the build's working folders under .cache/: nothing committed there is followed out ----

def _outside(tmp_path: Path) -> dict[str, Path]:
    """Files and a folder outside the project, as a contributor's links would name them."""
    outside = tmp_path / "home"
    outside.mkdir()
    files = {name: outside / name for name in ("bashrc", "notes.txt", "lock", "photo.png")}
    for name, file in files.items():
        file.write_text(f"the {name} of someone who builds the site\n", encoding="utf-8")
    files["folder"] = outside / "folder"
    files["folder"].mkdir()
    return files


def _unchanged(files: dict[str, Path]) -> None:
    for name, file in files.items():
        if name == "folder":
            assert list(file.iterdir()) == [], f"the build wrote into {file}"
        else:
            assert file.read_text(encoding="utf-8") == f"the {name} of someone who builds the site\n", file


@pytest.mark.build
@pytest.mark.parametrize("engine_name", ["mkdocs", "zensical"])
def test_links_committed_in_the_builds_working_folders_are_never_followed(base, tmp_path, engine_name):
    """Links committed where the build writes its working files (the staged pages, the staging
    folder's record of what it wrote, its lock, Zensical's settings file and card folder, the
    card plugin's cache) are removed as links, never written, read or deleted through: the site
    builds and every file outside the project is as it was."""
    import json
    import shutil

    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    files = _outside(tmp_path)
    stage = project / ".cache" / "stage"
    root = stage / "build"
    (root / "docs" / "guide").mkdir(parents=True, exist_ok=True)
    for link, target in ((root / "docs" / "about.md", files["bashrc"]),
                         (root / "docs" / "guide" / "glossary.md", files["notes.txt"]),
                         (stage / "build.lock", files["lock"]),
                         (root / "mkdocs.yml", files["notes.txt"]),
                         (root / "social", files["folder"]),
                         (root / "snippets", files["folder"]),
                         (project / ".cache" / "social" / "assets", files["folder"])):
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        link.unlink(missing_ok=True)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    # A record of what the staging folder held, naming files outside it: nothing it names is deleted.
    (root / "docs" / ".clinic-stage.json").write_text(json.dumps({f"../../../../../home/{name}": "t0" for name in
                                                                 ("bashrc", "notes.txt", "photo.png")}))
    built = build_in_process(project / "mkdocs.yml", tmp_path / "site", engine=engine_name, spelling=False)
    assert not isinstance(built, ProblemsFound), built
    _unchanged(files)
    assert not [path for path in (project / ".cache").rglob("*") if path.is_symlink()
                and "zip-positions" not in path.name and "fonts" not in path.parts]
    about = (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert "About this site" in about and "someone who builds" not in about


@pytest.mark.build
def test_a_cache_folder_that_is_a_link_stops_the_run_before_it_writes(base, tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    files = _outside(tmp_path)
    shutil.rmtree(project / ".cache")
    (project / ".cache").symlink_to(files["folder"], target_is_directory=True)
    stop = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert isinstance(stop, ProblemsFound)
    assert [(problem.path, problem.line) for problem in stop.problems if problem.is_error] == [(".cache", 1)]
    _unchanged(files)


@pytest.mark.build
@pytest.mark.parametrize("value", [".", "docs/..", ".cache"])
def test_a_card_cache_outside_cache_is_refused_before_any_link_of_the_project_is_removed(base, tmp_path, value):
    """`cache_dir: .` had the check remove every link of the project (node_modules, .venv's python)."""
    project = _variant(base, tmp_path, "      cache_dir: .cache/social", f"      cache_dir: {value}")
    (project / "tools").symlink_to(tmp_path / "elsewhere", target_is_directory=True)   # a link of the project's own
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    assert [(problem.path, problem.field) for problem in checked if problem.is_error] == \
        [("mkdocs.yml", "plugins.social.cache_dir")], checked
    assert (project / "tools").is_symlink() and (project / "node_modules").is_symlink()


@pytest.mark.build
def test_a_card_cache_that_is_a_link_out_is_named_and_no_card_is_written_there(base, tmp_path):
    """.cache/social committed as a link to a folder outside (holding the fonts, so everything else
    checks): the build wrote every card and its list there."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    elsewhere = tmp_path / "home" / "social"
    shutil.copytree(project / ".cache" / "social", elsewhere)
    shutil.rmtree(project / ".cache" / "social")
    (project / ".cache" / "social").symlink_to(elsewhere, target_is_directory=True)
    before = {path: path.read_bytes() for path in elsewhere.rglob("*") if path.is_file()}
    stop = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert isinstance(stop, ProblemsFound), stop
    assert [(problem.path, problem.line) for problem in stop.problems if problem.is_error] == [(".cache/social", 1)]
    assert {path: path.read_bytes() for path in elsewhere.rglob("*") if path.is_file()} == before


@pytest.mark.build
def test_a_card_font_that_is_a_link_is_named_and_no_card_reads_it(base, tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    family = project / ".cache" / "social" / "fonts" / "DejaVu Sans Condensed"
    real = tmp_path / "home-Bold.ttf"
    shutil.move(family / "Bold.ttf", real)
    (family / "Bold.ttf").symlink_to(real)
    stop = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert isinstance(stop, ProblemsFound)
    assert [(problem.path, "is a link" in problem.what) for problem in stop.problems if problem.is_error] == \
        [(".cache/social/fonts/DejaVu Sans Condensed/Bold.ttf", True)]


POST_FORMAT = '      post_url_format: "{date}/{slug}"\n'
CARD_OPTIONS = "      cards_layout_options:\n"
PLACES = {   # plugin options naming a place to write or read, and the social cards' fixed settings
    "blog archive up": (POST_FORMAT, POST_FORMAT + '      archive_url_format: "../../../../../../out/{date}"\n',
                        "plugins.blog.archive_url_format"),
    "blog categories absolute": (POST_FORMAT, POST_FORMAT + '      categories_url_format: "/tmp/out/{slug}"\n',
                                 "plugins.blog.categories_url_format"),
    "blog posts up": (POST_FORMAT, '      post_url_format: "../../../../out/{slug}"\n', "plugins.blog.post_url_format"),
    "blog authors up": (POST_FORMAT, POST_FORMAT + '      authors_profiles_url_format: "..\\\\..\\\\out/{slug}"\n',
                        "plugins.blog.authors_profiles_url_format"),
    "blog archive date format": (POST_FORMAT, POST_FORMAT + "      archive_url_date_format: \"'../../../out/a'yyyy\"\n",
                                 "plugins.blog.archive_url_date_format"),
    "blog post date format": (POST_FORMAT, POST_FORMAT + "      post_url_date_format: \"'../../../out/p'yyyy\"\n",
                              "plugins.blog.post_url_date_format"),
    "blog category separator": (POST_FORMAT, POST_FORMAT + '      categories_slugify_separator: "/../../../out/"\n',
                                "plugins.blog.categories_slugify_separator"),
    "blog people file up": ('      authors_file: "{blog}/.authors.yml"', '      authors_file: "{blog}/../../../x.yml"',
                            "plugins.blog.authors_file"),
    "cards folder": (CARD_OPTIONS, "      cards_dir: ../../../out\n" + CARD_OPTIONS, "plugins.social.cards_dir"),
    "cards layout folder": (CARD_OPTIONS, "      cards_layout_dir: /tmp\n" + CARD_OPTIONS,
                            "plugins.social.cards_layout_dir"),
    "cards layout": (CARD_OPTIONS, "      cards_layout: evil\n" + CARD_OPTIONS, "plugins.social.cards_layout"),
    "cards logo": (CARD_OPTIONS, CARD_OPTIONS + "        logo: /tmp/red.png\n",
                   "plugins.social.cards_layout_options.logo"),
    "cards background": (CARD_OPTIONS, CARD_OPTIONS + "        background_image: ../../red.png\n",
                         "plugins.social.cards_layout_options.background_image"),
}


@pytest.mark.build
@pytest.mark.parametrize("case", list(PLACES))
def test_a_plugin_setting_that_names_a_place_outside_stops_the_run_before_the_engine(base, tmp_path, case):
    """A blog address or a card setting in mkdocs.yml that leads out (MkDocs wrote a blog's
    archive pages and cards outside the project from `archive_url_format: ../../../x/{date}`) is
    named at its line by the check and the build alike, and the engine never runs."""
    old, new, field = PLACES[case]
    project = _variant(base, tmp_path, old, new)
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    named = [problem for problem in checked if problem.path == "mkdocs.yml" and problem.field == field]
    assert len(named) == 1 and named[0].line > 1 and named[0].is_error, checked
    assert not (project / ".cache/stage/check/docs").exists(), "the stage went on"
    stopped = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False, engine="zensical")
    assert isinstance(stopped, ProblemsFound)
    assert {str(problem) for problem in stopped.problems} == {str(problem) for problem in checked}
    assert not (tmp_path / "out").exists() and not list((tmp_path / "site").glob("*"))


@pytest.mark.build
def test_a_site_folder_setting_outside_is_refused_and_nothing_there_is_emptied(base, tmp_path):
    """A tester's: `site_dir: ../victim` in mkdocs.yml made the build empty a folder outside the
    project (its file deleted). mkdocs.yml's site_dir stays inside, as the folders the run reads
    do; `clinic build --site-dir` may still name any folder."""
    project = _variant(base, tmp_path, "site_url: https://example.org/\n",
                       "site_url: https://example.org/\nsite_dir: ../victim\n")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious", encoding="utf-8")
    checked = pipeline.check(Project.find(project / "mkdocs.yml"), spelling=False)
    assert [(problem.path, problem.field) for problem in checked if problem.is_error] == [("mkdocs.yml", "site_dir")]
    stopped = build_in_process(project / "mkdocs.yml", None, spelling=False, cards=False)
    assert isinstance(stopped, ProblemsFound)
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious"


# ---- a plain `mkdocs build` says a stop before the engine as `clinic build` does: each problem once ----

def _overrides_through_a_link(project: Path, tmp_path: Path) -> None:
    import shutil

    shutil.move(project / "overrides", tmp_path / "elsewhere" / "overrides")
    (project / "overrides").symlink_to(tmp_path / "elsewhere" / "overrides", target_is_directory=True)


def _cache_a_file(project: Path, tmp_path: Path) -> None:
    import shutil

    shutil.rmtree(project / ".cache")
    (project / ".cache").write_text("a file committed where the build keeps its working files\n", encoding="utf-8")


STOPS = {   # what stops the run before the engine, each of another kind: an edit of mkdocs.yml, or a change
    "custom_dir through a link leading out": _overrides_through_a_link,
    ".cache a file": _cache_a_file,
    "docs_dir outside": FOLDERS["docs_dir outside"][:2],
    "blog archive up": PLACES["blog archive up"][:2],
}
PROBLEM = re.compile(r"^(?:ERROR\s+-\s+)?(?P<line>[^\s].*?, line \d+: .*)$")


def _problem_lines(printed: str) -> list[str]:
    return [match.group("line") for line in printed.splitlines() if (match := PROBLEM.match(line))]


@pytest.mark.build
@pytest.mark.parametrize("case", list(STOPS))
def test_plain_mkdocs_build_names_a_stop_before_the_engine_once_in_clinic_builds_words(base, tmp_path, case):
    """mkdocs.yml's `custom_dir` through a link leading out: a plain `mkdocs build` printed the
    problem three times, once inside "mkdocs.yml, line 1: the build stopped: mkdocs.yml, line 48:
    … — correct what it names". Any problem that stops the run before the engine is now printed
    once, in the same words and lines as `clinic build` prints it."""
    from devtools.site_build import clinic_build, mkdocs_build

    stop = STOPS[case]
    if isinstance(stop, tuple):
        project = _variant(base, tmp_path, *stop)
    else:
        import shutil

        project = tmp_path / "project"
        shutil.copytree(base, project, symlinks=True)
        (tmp_path / "elsewhere").mkdir()
        stop(project, tmp_path)
    clinic = clinic_build(tmp_path / "clinic-site", project / "mkdocs.yml")
    plain = mkdocs_build(tmp_path / "mkdocs-site", project / "mkdocs.yml")
    printed = plain.stdout + plain.stderr
    expected = _problem_lines(clinic.stdout)
    assert clinic.returncode == 1 and expected and clinic.stdout.startswith("Problems found;"), clinic.stdout
    assert plain.returncode == 1 and "Traceback" not in printed, printed
    assert _problem_lines(printed) == expected, printed
    assert printed.count("Problems found; fix them and build again:") == 1, printed
    assert "the build stopped" not in printed, printed
