"""The built site: pages, navigation, review information, the article's ideas, the feed."""
from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.utils.meta import get_data

from clinic_site import clinic_settings, content_rules, pipeline
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, build_in_process, clinic_today, project_clinic

DOCS = PROJECT_ROOT / "docs"
GUIDE_SOURCES = sorted((DOCS / "guide").glob("*.md"))
POST_SOURCES = sorted((DOCS / "blog" / "posts").glob("*.md"))
DISPLAY_DATE = "%B %-d, %Y"


PEOPLE = yaml.safe_load((DOCS / "blog" / ".authors.yml").read_text(encoding="utf-8"))["authors"]
CONFIG = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]


def site_path(source: Path) -> str:
    """docs/guide/safety.md -> guide/safety/ ; docs/guide/index.md -> guide/"""
    relative = source.relative_to(DOCS).with_suffix("")
    return "" if relative.name == "index" and relative.parent == Path(".") else \
        (f"{relative.parent}/" if relative.name == "index" else f"{relative}/")


def front_matter(source: Path) -> dict:
    return get_data(source.read_text(encoding="utf-8"))[1]


def test_the_guide_has_a_page_for_each_topic():
    topics = ["what-is-medical-massage", "pain-relief-and-muscle-relaxation", "circulation-and-swelling",
              "working-together", "choosing-a-qualified-professional", "safety-and-contraindications",
              "rehabilitation-posture-and-sports"]
    assert {source.stem for source in GUIDE_SOURCES} >= set(topics)


@pytest.mark.parametrize("source", GUIDE_SOURCES, ids=lambda s: s.stem)
def test_every_guide_page_is_built_and_in_the_navigation(source, read_page):
    nav_paths = {urljoin("http://site/", a["href"]).removeprefix("http://site/")
                 for a in read_page("").select("nav.md-nav--primary a.md-nav__link[href]")}
    assert site_path(source) in nav_paths, sorted(nav_paths)
    assert read_page(site_path(source)).select_one("article h1")


@pytest.mark.parametrize("source", GUIDE_SOURCES, ids=lambda s: s.stem)
def test_guide_front_matter_follows_the_rules(source):
    problems = content_rules.guide_page_problems(front_matter(source), clinic_today())
    assert [problem for problem in problems if problem[3] == "error"] == []


AWAITING = "no licensed professional has reviewed it yet"   # why a page with a sample reviewer awaits review


@pytest.mark.parametrize("source", GUIDE_SOURCES, ids=lambda s: s.stem)
def test_guide_pages_say_they_await_clinical_review_and_show_the_disclaimer(source, read_page):
    # The sample site's reviewers are sample people: no page claims a review that did not happen
    # (issue 22). A page a real person reviewed: test_a_page_a_real_person_reviewed_shows_who_and_when.
    meta = front_matter(source)
    assert PEOPLE[meta["reviewed_by"]].get("sample"), f"{source.name}: reviewed by a real person on the sample site"
    page = read_page(site_path(source))
    article = page.select_one("article")
    line = article.h1.find_next_sibling()
    assert line["class"] == ["reviewed-line", "reviewed-line--awaiting"]
    assert " ".join(line.get_text().split()) == f"Awaiting clinical review: {AWAITING}."
    review_line = page.select_one(".review-info__dates")
    assert " ".join(review_line.get_text().split()) == (
        f"This page awaits clinical review: {AWAITING}. Until a licensed professional has reviewed it, check "
        "anything here with your own doctor or therapist before you act on it.")
    assert review_line.a is None and "Medically reviewed" not in article.get_text()
    disclaimer = page.select_one(".review-info__disclaimer").get_text()
    assert "not a substitute for care" in disclaimer and "emergency, call 911" in disclaimer
    assert page.select_one('meta[name="description"]')["content"] == meta["description"]


@pytest.fixture(scope="module")
def reviewed_site(tmp_path_factory) -> Path:
    """A copy of the project whose guide reviewer is a real person (`sample: true` taken off in
    .authors.yml), built once in this process without cards: each guide page and the health post
    then show who reviewed them and when. The copy has no git history, so no page's text changed
    after its review."""
    project = copy_project(tmp_path_factory.mktemp("reviewed") / "project")
    authors = project / "docs/blog/.authors.yml"
    text = authors.read_text(encoding="utf-8")
    real = re.sub(r"(\n  alex-example:\n(?:    (?!sample:).*\n)*)    sample: true[^\n]*\n", r"\1", text, count=1)
    assert real != text, ".authors.yml no longer marks alex-example as a sample: update this test"
    authors.write_text(real, encoding="utf-8")
    run = build_in_process(project / "mkdocs.yml", project / "site", cards=False)
    assert isinstance(run, pipeline.Run), str(run)
    return project / "site"


def test_a_page_a_real_person_reviewed_shows_who_and_when(reviewed_site):
    def read(path: str) -> BeautifulSoup:
        return BeautifulSoup((reviewed_site / path / "index.html").read_text(encoding="utf-8"), "html.parser")

    for source in GUIDE_SOURCES:
        meta, path = front_matter(source), site_path(source)
        reviewer = PEOPLE[meta["reviewed_by"]]
        page = read(path)
        # The line under the title, linking the reviewer's page.
        line = page.select_one("article").h1.find_next_sibling()
        assert line["class"] == ["reviewed-line"], path
        assert " ".join(line.get_text().split()) == (f"Medically reviewed by {reviewer['name']} · "
                                                     f"Last reviewed {meta['last_reviewed'].strftime(DISPLAY_DATE)}")
        assert urljoin(f"http://site/{path}", line.a["href"]) == f"http://site/{reviewer['url']}", path
        # The review box at the end, with both dates.
        review_line = page.select_one(".review-info__dates")
        assert review_line.a.get_text() == reviewer["name"]
        assert urljoin(f"http://site/{path}", review_line.a["href"]) == f"http://site/{reviewer['url']}"
        assert " ".join(review_line.get_text().split()) == (
            f"Reviewed by {reviewer['name']}, last reviewed {meta['last_reviewed'].strftime(DISPLAY_DATE)}, "
            f"next review due {meta['next_review'].strftime(DISPLAY_DATE)}.")
        assert "not a substitute for care" in page.select_one(".review-info__disclaimer").get_text()
        # Search engines read the same review: a MedicalWebPage with its reviewer and date.
        data = {block["@type"]: block for block in (json.loads(script.string) for script in
                                                    page.select('script[type="application/ld+json"]'))}
        medical = data["MedicalWebPage"]
        assert medical["lastReviewed"] == meta["last_reviewed"].isoformat(), path
        assert medical["reviewedBy"]["name"] == reviewer["name"]
        assert medical["reviewedBy"]["url"] == SITE_URL + reviewer["url"]
        assert medical["url"] == SITE_URL + path and "WebPage" not in data
    # A health post names its reviewer under its byline and ends with the review box too.
    post = read("blog/2026/11/02/medical-massage-and-physical-therapy")
    byline = post.select_one("article h1").find_next_sibling()
    assert "post-meta" in byline["class"]
    reviewed = byline.find_next_sibling()
    assert reviewed["class"] == ["reviewed-line"] and PEOPLE["alex-example"]["name"] in reviewed.get_text()
    assert post.select_one("article .review-info .review-info__disclaimer")


def review(meta: dict, git_dates: dict[str, str], people: dict) -> dict:
    """The stage's review status of a guide page with this front matter."""
    from clinic_site.sources import parse_source
    from clinic_site.stage import pages as stage_pages
    from clinic_site.stage.blog import BlogSettings

    facts = content_rules.SiteFacts(people=frozenset(people), categories=None, blog_dir="blog",
                                    today=dt.date(2026, 12, 1))
    context = stage_pages.PageContext(facts, BlogSettings(), people, clinic_settings.clinic_details(
        project_clinic()), SITE_URL, "docs", True, False, git_dates, [])
    text = "---\n" + "".join(f"{key}: {value}\n" for key, value in meta.items()) + "---\n\n# Page\n"
    record = stage_pages.record_for("guide/x.md", parse_source(text, "docs/guide/x.md"), context)
    return stage_pages.review_status(record, context)


def test_a_review_is_shown_only_when_a_real_person_did_it_and_the_text_has_not_changed_since():
    people = {"pat": {"name": "Pat Real, PT", "url": "people/pat/"},
              "sam": {"name": "Sam Sample", "url": "people/sam/", "sample": True}}
    dated = {"reviewed_by": "pat", "last_reviewed": "2026-11-20", "next_review": "2029-11-20"}
    assert review(dated, {}, people)["reviewed"] is True
    assert review(dated, {"docs/guide/x.md": "2026-11-20"}, people)["reviewed"] is True   # changed on the review day
    changed = review(dated, {"docs/guide/x.md": "2026-11-21"}, people)
    assert changed == {"reviewed": False, "why": "its text changed on November 21, 2026, after its last review on "
                                                 "November 20, 2026"}
    assert review({**dated, "reviewed_by": "sam"}, {}, people) == {"reviewed": False, "why": AWAITING}
    assert review({**dated, "reviewed_by": "nobody"}, {}, people) == {"reviewed": False, "why": AWAITING}
    undated = {key: value for key, value in dated.items() if key != "next_review"}
    assert review(undated, {}, people) == {"reviewed": False, "why": "its review dates are not set"}


def test_every_page_has_a_description_of_50_to_160_characters(site_pages):
    for path, page in site_pages.items():
        description = page.select_one('meta[name="description"]')
        assert description and 50 <= len(description["content"]) <= 160, path


IDEAS = yaml.safe_load((PROJECT_ROOT / "tests" / "content_ideas.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("idea", IDEAS, ids=lambda idea: idea["idea"][:60])
def test_each_idea_of_the_original_article_is_on_its_page(idea, read_page):
    text = " ".join(read_page(site_path(DOCS / idea["page"])).select_one("article").get_text().split()).lower()
    missing = [phrase for phrase in idea["phrases"] if phrase.lower() not in text]
    assert not missing, f"{idea['page']} lacks {missing} for: {idea['idea']}"


def test_the_feed_is_valid_rss_listing_every_post(site_dir):
    channel = ET.parse(site_dir / "feed_rss_created.xml").getroot().find("channel")
    titles = {item.findtext("title") for item in channel.findall("item")}
    post_titles = {front_matter(source).get("title") or
                   source.read_text(encoding="utf-8").split("\n# ", 1)[1].splitlines()[0]
                   for source in POST_SOURCES}
    assert titles == post_titles
    site_url = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    for item in channel.findall("item"):
        assert item.findtext("link").startswith(f"{site_url}blog/")
    image_url = channel.find("image").findtext("url")
    assert image_url.startswith(site_url) and (site_dir / image_url.removeprefix(site_url)).is_file()


def test_the_first_post_is_the_article_and_links_into_the_guide(read_page):
    post = read_page("blog/2026/11/02/medical-massage-and-physical-therapy/")
    links = {a["href"] for a in post.select("article a[href]")}
    for source in GUIDE_SOURCES:
        if source.stem != "index":
            assert any(f"guide/{source.stem}/" in href for href in links), source.stem
    assert "min read" in post.get_text()


def test_blog_index_archive_and_category_pages_exist(site_dir):
    for path in ("blog/index.html", "blog/archive/2026/index.html",
                 "blog/category/guide/index.html", "blog/category/clinic-news/index.html"):
        assert (site_dir / path).is_file(), path


def test_every_page_shows_the_clinic_footer(site_pages):
    clinic = project_clinic()
    for path, page in site_pages.items():
        footer = page.select_one(".clinic-footer")
        phone = clinic_settings.clinic_details(clinic)  # the footer shows the number as people write it
        assert footer and clinic["name"] in footer.get_text() and phone.phone_display in footer.get_text(), path
        assert footer.select_one("a[href^='tel:']")["href"] == phone.phone_tel, path


@pytest.mark.parametrize("source", GUIDE_SOURCES, ids=lambda s: s.stem)
def test_guide_pages_have_no_edit_link_on_the_published_site(source, read_page):
    # "Edit this page" is for staff in the preview only (clinic_site.layout.edit_url); there it links
    # the page's Markdown file (tests/test_home.py, test_the_edit_link_shows_in_the_preview_only).
    links = read_page(site_path(source)).select('a[rel="edit"]')
    assert links == [], links
    # No repository widget: its script would ask the GitHub API for star counts.
    assert not read_page(site_path(source)).select('[data-md-component="source"]')


def test_social_cards_are_drawn_on_one_thread():
    # With more than one thread, Material 9.8.1's social plugin can leave a build waiting for
    # ever (two card threads waiting on one layer that is never submitted): seen here in two
    # runs of this suite out of two. Its default is one thread less than the machine's cores.
    plugins = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    [social] = [p["social"] for p in plugins if isinstance(p, dict) and "social" in p]
    assert social.get("concurrency") == 1
