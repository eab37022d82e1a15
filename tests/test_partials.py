"""Templates copied from Material: each copy must be Material's installed original plus its patch
(tests/material_copies.py says why and how), and no copy goes untracked: every partial, and every
template Material also has, is the project's own (PROJECT_TEMPLATES) or such a copy. Then what
moved out of the copies into main.html and overrides/assets/a11y.js.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from clinic_site import pipeline
from devtools.project_copy import copy_project
from tests.harness import build_in_process
from tests.material_copies import (
    COMMAND,
    MATERIAL,
    OVERRIDES,
    PATCHES,
    PatchError,
    apply_patch,
    copies,
    make_patch,
    parse_patch,
    problem,
    rebase,
    refresh,
)

# Templates in overrides/ that are the project's own, not copies: every partial, and every
# template that Material also has, must be one of these or have a patch.
PROJECT_TEMPLATES = {
    "main.html": "the site's block overrides (Material's main.html only extends base.html)",
    "404.html": "the clinic's own 'page not found' page",
    "partials/site-search.html": "the header's site search (search-index/; Material's search plugin is off)",
    "partials/copyright.html": "the clinic footer from mkdocs.yml, in place of Material's copyright line",
    "partials/review.html": "review dates and the medical disclaimer (Material has no such partial)",
    "partials/source.html": "left empty: Material's repository link asks GitHub's API for counts on every visit",
    "partials/call-button.html": "the clinic's Call button in the header of every page (partials/header.html)",
    "partials/reviewed-line.html": "'Medically reviewed by' under a health page's title (main.html)",
    "partials/post-meta.html": "a blog post's authors, dates and reading time under its title (blog-post.html)",
    "partials/care.html": "the clinic's call and booking at the end of health pages and the 404 page (issue 23)",
    "partials/clinic-booking.html": "the clinic's booking on a clinic therapist's listing (finder-page.html)",
    "partials/sample-notice.html": "the sample site's notice on every page, from clinic.yml's sample: (main.html)",
    "partials/tags.html": "left empty: page tags feed the search only; Zensical would show them under the title",
    "partials/replace-first.html": "a macro both engines render: Jinja's replace(old, new, 1), which MiniJinja lacks",
}


# ---- tests: the reader and writer of patches ----

EDITS = {
    "a line changed": ("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nD\ne\nf\ng\nh\n"),
    "lines added at the start": ("a\nb\n", "x\ny\na\nb\n"),
    "lines removed at the end": ("a\nb\nc\nd\n", "a\nb\n"),
    "two changes far apart": ("".join(f"{n}\n" for n in range(30)), "".join(f"{n}\n" for n in range(30))
                              .replace("2\n", "two\n", 1).replace("27\n", "twenty-seven\nmore\n", 1)),
    "no newline at the end of the original": ("a\nb", "a\nb\nc\n"),
    "no newline at the end of the copy": ("a\nb\n", "a\nB"),
    "an empty original": ("", "new\n"),
}


@pytest.mark.parametrize(("original", "copy"), EDITS.values(), ids=EDITS.keys())
def test_a_patch_made_here_turns_the_original_into_the_copy(original, copy):
    assert apply_patch(original, parse_patch(make_patch(original, copy, "partials/x.html"))) == copy


def test_reads_a_patch_as_gnu_diff_writes_it():
    # `diff -u` output with dates, a context line whose lone space an editor stripped, and a
    # last line without a newline on both sides.
    patch = ("--- old.html\t2026-11-29 20:30:48.722339470 +0000\n"
             "+++ new.html\t2026-11-29 20:29:30.860496182 +0000\n"
             "@@ -1,5 +1,5 @@\n"
             " <div>\n"
             "-  <nav>\n"
             "+  <div>\n"
             "\n"
             " </div>\n"
             "-end\n"
             "\\ No newline at end of file\n"
             "+END\n"
             "\\ No newline at end of file\n")
    parsed = parse_patch(patch)
    assert parsed.sha256 is None
    assert apply_patch("<div>\n  <nav>\n\n</div>\nend", parsed) == "<div>\n  <div>\n\n</div>\nEND"
    # A hunk without counts stands for one line.
    assert apply_patch("a\n", parse_patch("--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n")) == "b\n"
    # Counts that say less than the hunk holds (a hand-edited patch) are an error, not a shorter hunk.
    with pytest.raises(PatchError, match="past the end of hunk 1"):
        parse_patch(patch.replace("@@ -1,5 +1,5 @@", "@@ -1,4 +1,4 @@"))


def test_a_hunk_must_find_its_lines_where_the_patch_says_unless_relocated():
    original = "".join(f"{n}\n" for n in range(20))
    patch = parse_patch(make_patch(original, original.replace("10\n", "ten\n"), "partials/x.html"))
    moved = "new first line\n" + original
    with pytest.raises(PatchError, match="hunk 1, lines 8-14 of the original, no longer matches"):
        apply_patch(moved, patch)
    assert apply_patch(moved, patch, relocate=True) == moved.replace("10\n", "ten\n")
    with pytest.raises(PatchError, match="hunk 1"):
        apply_patch(original.replace("9\n", "nine\n"), patch, relocate=True)


# ---- tests: the copies ----

@pytest.mark.parametrize("name", copies())
def test_each_copy_is_materials_installed_original_plus_its_patch(name):
    found = problem(name)
    assert found is None, found


def project_copy(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    """Folders under tmp_path standing for Material's templates, overrides/ and the patches,
    holding NAME's original, copy and patch."""
    material, overrides = tmp_path / "material", tmp_path / "overrides"
    patches = tmp_path / "tests" / "material_patches"
    for source, target in ((MATERIAL / name, material / name), (OVERRIDES / name, overrides / name),
                           (PATCHES / f"{name}.patch", patches / f"{name}.patch")):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return material, overrides, patches


@pytest.mark.parametrize("name", copies())
def test_a_change_to_materials_original_fails_and_rebase_remakes_the_copy(tmp_path, name):
    material, overrides, patches = project_copy(tmp_path, name)
    original = (material / name).read_text(encoding="utf-8")
    patch = parse_patch((patches / f"{name}.patch").read_text(encoding="utf-8"))
    first = patch.hunks[0]
    removed = first.start - 1 + first.old.index(next(line for line in first.old if line not in first.new))
    untouched = first.start - 1 + len(first.old)  # the line after the first hunk: in no hunk
    assert not any(hunk.start - 1 <= untouched < hunk.start - 1 + len(hunk.old) for hunk in patch.hunks)

    def changed_line(number: int) -> str:
        lines = original.splitlines(keepends=True)
        lines[number] = "{#- new -#} " + lines[number]
        return "".join(lines)

    changes = {
        "a line the patch leaves alone": changed_line(untouched),
        "a line the patch replaces": changed_line(removed),
        "a line added at the end": original + "<p>new</p>\n",
    }
    for what, changed in changes.items():
        (material / name).write_text(changed, encoding="utf-8")
        # Applying the patch alone already tells: it fails, or does not give the committed copy.
        try:
            assert apply_patch(changed, patch) != (overrides / name).read_text(encoding="utf-8"), what
        except PatchError:
            pass
        found = problem(name, material, overrides, patches)
        assert found is not None, what
        assert found.startswith(f"Material changed {name}: overrides/{name} is a copy"), found
        assert f"`{COMMAND} rebase {name}`" in found, found
    # The documented command re-makes a copy from a new original whose change is elsewhere:
    # Material's new line and ours are both in it, and the check passes again.
    (material / name).write_text(changes["a line added at the end"], encoding="utf-8")
    rebase(name, material, overrides, patches)
    remade = (overrides / name).read_text(encoding="utf-8")
    assert remade == (OVERRIDES / name).read_text(encoding="utf-8") + "<p>new</p>\n"
    assert problem(name, material, overrides, patches) is None


@pytest.mark.parametrize("name", copies())
def test_a_copy_edited_without_its_patch_fails_until_refreshed(tmp_path, name):
    material, overrides, patches = project_copy(tmp_path, name)
    copy = overrides / name
    copy.write_text(copy.read_text(encoding="utf-8") + "<p>edited</p>\n", encoding="utf-8")
    found = problem(name, material, overrides, patches)
    assert found is not None and "the copy was changed without its patch" in found, found
    assert f"`{COMMAND} refresh {name}`" in found, found
    refresh(name, material, overrides, patches)
    assert problem(name, material, overrides, patches) is None


def test_every_partial_and_every_template_material_also_has_is_the_projects_own_or_a_patched_copy():
    templates = sorted(p.relative_to(OVERRIDES).as_posix() for p in OVERRIDES.rglob("*") if p.is_file())
    tracked = set(PROJECT_TEMPLATES) | set(copies())
    untracked = [name for name in templates
                 if (name.startswith("partials/") or (MATERIAL / name).exists()) and name not in tracked]
    assert not untracked, (
        f"{untracked}: a partial, or a template Material also has, that is neither listed in PROJECT_TEMPLATES in "
        f"tests/test_partials.py (the project's own) nor a copy with a patch. For a copy of Material's file: say "
        f"what changed in a comment at its top, then `{COMMAND} refresh NAME` writes its patch.")
    assert not [name for name in PROJECT_TEMPLATES if name not in templates], "PROJECT_TEMPLATES lists a missing file"
    assert not [name for name in copies() if not (OVERRIDES / name).is_file() or not (MATERIAL / name).is_file()], (
        "a patch in tests/material_patches/ whose copy in overrides/ or original in Material is gone: delete it")
    assert not set(PROJECT_TEMPLATES) & set(copies()), "a template both listed as the project's own and patched"


@pytest.mark.parametrize("name", [name for name in PROJECT_TEMPLATES if (MATERIAL / name).exists()])
def test_the_projects_own_templates_are_not_copies_of_materials(name):
    # A near-copy listed as the project's own would escape the check above.
    ours = [line.strip() for line in (OVERRIDES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    theirs = {line.strip() for line in (MATERIAL / name).read_text(encoding="utf-8").splitlines()}
    shared = [line for line in ours if line in theirs]
    assert len(shared) < len(ours) / 2, f"overrides/{name} shares {len(shared)} of {len(ours)} lines with Material's"


def test_a_patch_written_by_diff_u_works_too(tmp_path):
    # A patch made by hand with `diff -u original copy` records no SHA-256: the comparison decides.
    name = copies()[0]
    material, overrides, patches = project_copy(tmp_path, name)
    made_here = (patches / f"{name}.patch").read_text(encoding="utf-8")
    as_diff_writes_it = re.sub(r"\tmkdocs-material .*", "\t2026-11-29 20:30:48 +0000", made_here, count=1)
    assert as_diff_writes_it != made_here
    (patches / f"{name}.patch").write_text(as_diff_writes_it, encoding="utf-8")
    assert problem(name, material, overrides, patches) is None
    (material / name).write_text("{#- new -#}\n" + (material / name).read_text(encoding="utf-8"), encoding="utf-8")
    found = problem(name, material, overrides, patches)
    assert found is not None and found.startswith(f"Material changed {name} (or the copy was edited)"), found


@pytest.mark.parametrize("name", copies())
def test_each_copy_starts_by_saying_what_changed_and_where_its_patch_is(name):
    first = (OVERRIDES / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"{{#- Copy of Material's {name}, changed (tests/material_patches/{name}.patch"), first


# ---- tests: what moved out of copies into main.html and a11y.js ----

def test_a_page_without_headings_gets_a_skip_link_to_its_content_blog_posts_too(tmp_path):
    # Material's skip link needs a heading; main.html gives other pages one, and its target,
    # which blog-post.html renders too (its content block replaces main.html's).
    project = copy_project(tmp_path / "project")
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    text = post.read_text(encoding="utf-8").replace("\n---\n", "\ntitle: Welcome to our guide\n---\n", 1)
    post.write_text(re.sub(r"^#+ .*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    site = tmp_path / "site"
    run = build_in_process(project / "mkdocs.yml", site, cards=False)   # skip links only: no social cards drawn
    assert isinstance(run, pipeline.Run), str(run)
    pages = {html.parent.relative_to(site).as_posix(): BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
             for html in site.rglob("index.html")}
    post_page = pages["blog/2026/11/20/welcome-to-our-guide"]
    assert [a["href"] for a in post_page.select("a.md-skip")] == ["#__content"]
    assert post_page.select_one("article.md-content__inner > #__content"), "the post's skip link has no target"
    for path, soup in pages.items():
        for link in soup.select("a.md-skip"):
            assert soup.find(id=link["href"].removeprefix("#")), f"/{path}/: the skip link goes nowhere"


def test_materials_icon_toggles_and_search_dialog_are_named_by_a11y_js(page):
    # Once copied partials (header.html, nav-item.html, search.html): the toggles that only
    # Material's script opens get a name and a place in the Tab order from a11y.js; the search
    # dialog is named by its own template (partials/site-search.html).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    toggles = {'label.md-header__button[for="__drawer"]': "Menu", 'label.md-header__button[for="__search"]': "Search",
               'label.md-nav__link[for="__nav_2"]': "Guide pages"}
    for selector, name in toggles.items():
        expect(page.locator(selector)).to_have_text(name)  # a <label> is read by its text
        expect(page.locator(selector)).to_have_attribute("tabindex", "0")
    page.locator('label.md-header__button[for="__drawer"]').click()  # the menu, hidden until opened
    expect(page.locator('nav[aria-labelledby="__nav_2_label"]')).to_have_accessible_name("Guide pages")
    expect(page.locator('.md-search[role="dialog"]')).to_have_accessible_name("Search")
