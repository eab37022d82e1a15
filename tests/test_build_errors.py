"""The one place the clinic is configured, drafts, and warnings that do not stop a build. What a
contributor sees when they get something wrong is tests/test_parity.py (build and check alike).

The three cases share one copy of the site and its two builds (the first refused, for an old
listing's `clinic:` line; the second once that line is gone): each case changes files of its own
and is judged by what only it changes (the clinic's details on every page, the posts of the blog,
one page's review warning).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from devtools.project_copy import copy_project
from tests.conftest import build_site, is_redirect_stub
from tests.harness import clinic_today, without_cards

REVIEWED = "docs/guide/working-together.md"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    """One copy with the three cases: a new clinic in clinic.yml (and an old listing at the clinic
    still writing its name), a draft post and eleven more posts, a page due for review in ten
    days. Its build with the old listing's line, then without it, into the same folder."""
    project = without_cards(copy_project(tmp_path_factory.mktemp("build-errors") / "project"))   # no card is read
    config, clinic_file = project / "mkdocs.yml", project / "clinic.yml"
    clinic = yaml.safe_load(clinic_file.read_text(encoding="utf-8"))
    edit(clinic_file, clinic["name"], "Lakeside Test Clinic")
    edit(clinic_file, clinic["phone"], "+1-312-555-0199")
    edit(clinic_file, clinic["street"], "9 Test Lane")
    edit(clinic_file, clinic["colors"]["primary"], "#123456")
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

    soon = clinic_today() + dt.timedelta(days=10)
    page = project / REVIEWED
    page.write_text(re.sub(r"(?m)^next_review:.*$", f"next_review: {soon}", page.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")

    site = project / "site"
    refused = build_site(site, config)
    published = (site / "index.html").exists()
    own[0].write_text(old, encoding="utf-8")
    return {"clinic": clinic, "listing": own[0].name, "line": line, "refused": refused, "published": published,
            "built": build_site(site, config), "site": site, "soon": soon, "reviewed": page}


def test_changing_the_clinic_in_clinic_yml_changes_every_page(builds):
    clinic, refused, built, site = builds["clinic"], builds["refused"], builds["built"], builds["site"]
    assert refused.returncode != 0 and not builds["published"]
    assert (f"docs/therapists/listings/{builds['listing']}, line {builds['line']}: 'clinic' is taken from the "
            "clinic's details for a listing with `at_clinic: true` — delete this line") in refused.stdout, \
        refused.stdout
    assert built.returncode == 0, built.stdout
    # Every page of the site (the staff's editor at admin/ is not one: tests/test_editor.py).
    pages = [page.read_text(encoding="utf-8") for page in site.rglob("index.html") if page.parent != site / "admin"]
    pages = [html for html in pages if not is_redirect_stub(html)]
    assert len(pages) > 10
    for html in pages:
        assert "Lakeside Test Clinic" in html and "9 Test Lane" in html
        assert "(312) 555-0199" in html and 'href="tel:+13125550199"' in html  # the footer's phone link
        assert "--md-primary-fg-color: #123456" in html
        assert clinic["name"] not in html and clinic["phone"] not in html


def test_drafts_stay_out_and_the_blog_paginates(builds):
    built, site = builds["built"], builds["site"]
    assert built.returncode == 0, built.stdout
    html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Filler post 11" in html, "the posts were not built"
    assert "Unfinished draft post" not in html
    assert "Unfinished draft post" not in (site / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert (site / "blog" / "page" / "2" / "index.html").is_file()


def test_a_review_due_within_30_days_warns_but_builds(builds):
    built, soon = builds["built"], builds["soon"]
    assert built.returncode == 0, built.stdout
    line = next(n for n, row in enumerate(builds["reviewed"].read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("next_review:"))
    assert (f"{REVIEWED}, line {line}: warning: 'next_review' is due on {soon} "
            "(in 10 days)") in built.stdout
