"""The one place the clinic is configured, drafts, and warnings that do not stop a build. What a
contributor sees when they get something wrong is tests/test_parity.py (build and check alike)."""
from __future__ import annotations

import re

import pytest
import yaml

from devtools.project_copy import copy_project
from tests.conftest import build_site, is_redirect_stub
from tests.harness import clinic_today


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_changing_the_clinic_in_clinic_yml_changes_every_page(project):
    config, clinic_file = project / "mkdocs.yml", project / "clinic.yml"
    clinic = yaml.safe_load(clinic_file.read_text(encoding="utf-8"))
    edit(clinic_file, clinic["name"], "Lakeside Test Clinic")
    edit(clinic_file, clinic["phone"], "+1-312-555-0199")
    edit(clinic_file, clinic["street"], "9 Test Lane")
    edit(clinic_file, clinic["colors"]["primary"], "#123456")
    site = project / "site"
    # The clinic's own therapists (at_clinic: true) take the clinic's name and address from the
    # clinic.yml: their files hold none of it, so renaming the clinic renames them too. An old
    # listing that still writes the clinic's name is told which line to delete.
    listings = project / "docs/therapists/listings"
    own = sorted(file for file in listings.glob("*.yml")
                 if yaml.safe_load(file.read_text(encoding="utf-8")).get("at_clinic"))
    assert own and not any("\nclinic:" in file.read_text(encoding="utf-8") for file in own)
    old = own[0].read_text(encoding="utf-8")
    own[0].write_text(old.replace("\nphone:", f"\nclinic: {clinic['name']}\nphone:", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(own[0].read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("clinic:"))
    result = build_site(site, config)
    assert result.returncode != 0 and not (site / "index.html").exists()
    assert (f"docs/therapists/listings/{own[0].name}, line {line}: 'clinic' is taken from the clinic's details "
            "for a listing with `at_clinic: true` — delete this line") in result.stdout, result.stdout
    own[0].write_text(old, encoding="utf-8")
    result = build_site(site, config)
    assert result.returncode == 0, result.stdout
    # Every page of the site (the staff's editor at admin/ is not one: tests/test_editor.py).
    pages = [page.read_text(encoding="utf-8") for page in site.rglob("index.html") if page.parent != site / "admin"]
    pages = [html for html in pages if not is_redirect_stub(html)]
    assert len(pages) > 10
    for html in pages:
        assert "Lakeside Test Clinic" in html and "9 Test Lane" in html
        assert "(312) 555-0199" in html and 'href="tel:+13125550199"' in html  # the footer's phone link
        assert "--md-primary-fg-color: #123456" in html
        assert clinic["name"] not in html and clinic["phone"] not in html


def test_drafts_stay_out_and_the_blog_paginates(project):
    posts = project / "docs" / "blog" / "posts"
    (posts / "draft.md").write_text(
        "---\ndate: 2026-11-21\ndraft: true\ncategories: [Clinic news]\nauthors: [sam-sample]\n"
        "description: A draft post that must not be published until it is ready for readers.\n---\n"
        "# Unfinished draft post\n\nNot ready.\n", encoding="utf-8")
    for number in range(1, 12):
        (posts / f"filler-{number}.md").write_text(
            f"---\ndate: 2026-10-{number:02d}\ncategories: [Clinic news]\nauthors: [sam-sample]\n"
            "description: A short filler post used to test that the blog index splits into pages.\n---\n"
            f"# Filler post {number}\n\nText.\n", encoding="utf-8")
    site = project / "site"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 0, result.stdout
    html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Unfinished draft post" not in html
    assert "Unfinished draft post" not in (site / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert (site / "blog" / "page" / "2" / "index.html").is_file()


def test_a_review_due_within_30_days_warns_but_builds(project):
    import datetime as dt
    soon = clinic_today() + dt.timedelta(days=10)
    page = project / "docs" / "guide" / "working-together.md"
    page.write_text(re.sub(r"(?m)^next_review:.*$", f"next_review: {soon}", page.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")
    result = build_site(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stdout
    line = next(n for n, row in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("next_review:"))
    assert (f"docs/guide/working-together.md, line {line}: warning: 'next_review' is due on {soon} "
            "(in 10 days)") in result.stdout

