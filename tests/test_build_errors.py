"""What a contributor sees when they get something wrong, and the one place the clinic is configured."""
from __future__ import annotations

import re

import pytest
import yaml

from devtools.project_copy import copy_project
from tests.conftest import build_site, is_redirect_stub


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_build_fails_with(project, *expected):
    site = project / "site"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode != 0
    for text in expected:
        assert text in result.stderr, result.stderr
    assert not list(site.rglob("*.html")), "a failed build must publish nothing"


def test_changing_the_clinic_in_mkdocs_yml_changes_every_page(project):
    config = project / "mkdocs.yml"
    clinic = yaml.safe_load(config.read_text(encoding="utf-8"))["extra"]["clinic"]
    edit(config, clinic["name"], "Lakeside Test Clinic")
    edit(config, clinic["phone"], "+1-312-555-0199")
    edit(config, clinic["street"], "9 Test Lane")
    edit(config, clinic["colors"]["primary"], "#123456")
    site = project / "site"
    result = build_site(site, config)
    assert result.returncode == 0, result.stderr
    pages = [page.read_text(encoding="utf-8") for page in site.rglob("index.html")]
    pages = [html for html in pages if not is_redirect_stub(html)]
    assert len(pages) > 10
    for html in pages:
        assert "Lakeside Test Clinic" in html and "+1-312-555-0199" in html and "9 Test Lane" in html
        assert "--md-primary-fg-color: #123456" in html
        assert clinic["name"] not in html and clinic["phone"] not in html


def test_a_guide_page_without_a_good_description_stops_the_build(project):
    page = project / "docs" / "guide" / "safety-and-contraindications.md"
    text = page.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("description:"))
    page.write_text(re.sub(r"(?m)^description:.*$", "description: Too short.", text, count=1), encoding="utf-8")
    assert_build_fails_with(
        project, f"docs/guide/safety-and-contraindications.md, line {line}: 'description' is 10 characters; "
                 "make it 50 to 160 characters")


def test_a_guide_page_past_its_review_date_stops_the_build(project):
    page = project / "docs" / "guide" / "working-together.md"
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^last_reviewed:.*$", "last_reviewed: 2020-01-01", text, count=1)
    page.write_text(re.sub(r"(?m)^next_review:.*$", "next_review: 2023-01-01", text, count=1), encoding="utf-8")
    assert_build_fails_with(project, "docs/guide/working-together.md, line",
                            "'next_review' passed on 2023-01-01; have the page reviewed")


def test_a_script_written_into_markdown_stops_the_build(project):
    page = project / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<img src="x.png" onerror="alert(1)">\n'
                    "\n<script>alert('x')</script>\n", encoding="utf-8")
    assert_build_fails_with(project, "docs/about.md: <script> is not allowed",
                            "docs/about.md: the attribute onerror= on <img> is not allowed")


def test_a_mistyped_blog_category_stops_the_build(project):
    edit(project / "docs" / "blog" / "posts" / "welcome-to-our-guide.md", "- Clinic news", "- Clinic nesw")
    assert_build_fails_with(project, "Clinic nesw")


def test_a_broken_link_between_pages_stops_the_build(project):
    page = project / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [safety](guide/no-such-page.md) and "
                    "[swelling](guide/circulation-and-swelling.md#no-such-heading).\n", encoding="utf-8")
    assert_build_fails_with(project, "guide/no-such-page.md", "no-such-heading")


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
    assert result.returncode == 0, result.stderr
    html = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Unfinished draft post" not in html
    assert "Unfinished draft post" not in (site / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert (site / "blog" / "page" / "2" / "index.html").is_file()


def test_a_review_due_within_30_days_warns_but_builds(project):
    import datetime as dt
    soon = dt.date.today() + dt.timedelta(days=10)
    page = project / "docs" / "guide" / "working-together.md"
    page.write_text(re.sub(r"(?m)^next_review:.*$", f"next_review: {soon}", page.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")
    result = build_site(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    assert f"Warning: docs/guide/working-together.md: review due on {soon} (in 10 days)" in result.stderr


def test_an_unknown_reviewer_stops_the_build(project):
    edit(project / "docs" / "guide" / "working-together.md", "reviewed_by: alex-example", "reviewed_by: alex-exampel")
    assert_build_fails_with(project, "docs/guide/working-together.md, line 4: 'reviewed_by' is 'alex-exampel', "
                                     "who is not in docs/blog/.authors.yml; use one of alex-example")
