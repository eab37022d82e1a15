"""The site as a visitor's browser shows it: Chromium driven by Playwright."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import harness

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

SEARCHES = [
    ("effleurage", "guide/circulation-and-swelling/"),
    ("lymphatic", "guide/circulation-and-swelling/"),
    ("contraindications", "guide/safety-and-contraindications/"),
    ("license", "guide/choosing-a-qualified-professional/"),
    ("sports injury", "guide/rehabilitation-posture-and-sports/"),
]


@pytest.fixture
def console_errors(page: Page):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.mark.parametrize("query, expected", SEARCHES)
def test_site_search_puts_the_right_page_first(page: Page, query, expected, console_errors):
    page.goto("/")
    harness.type_search(page, query)
    first_result = page.locator("li.md-search-result__item > a.md-search-result__link").first
    expect(first_result).to_be_visible()
    titles = page.locator("li.md-search-result__item > a.md-search-result__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert expected in first_result.get_attribute("href"), titles
    assert console_errors == []


def test_blog_index_lists_the_posts(page: Page, console_errors):
    page.goto("/blog/")
    expect(page.get_by_role("heading", name="Blog", level=1)).to_be_visible()
    posts = page.locator("article.md-post")
    expect(posts).to_have_count(2)
    expect(posts.first.get_by_role("link", name=re.compile("Continue reading"))).to_be_visible()
    assert console_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_a_blog_post_renders_with_author_date_and_reading_time(page: Page, console_errors, width):
    # Right under the title at every width (overrides/partials/post-meta.html), not at the end of
    # a phone's page under "Metadata".
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 800})
    page.goto("/blog/2026/11/02/medical-massage-and-physical-therapy/")
    expect(page.locator("article h1")).to_be_visible()
    byline = page.locator("article h1 + .post-meta")
    expect(byline.get_by_role("link", name="Sam Sample, LMT (sample author)")).to_be_in_viewport()
    expect(byline.get_by_text(re.compile(r"\d+ min read"))).to_be_in_viewport()
    expect(byline.locator("time").first).to_have_text("November 2, 2026")
    expect(page.get_by_text("Metadata", exact=True)).to_have_count(0)
    expect(page.locator(".md-sidebar--post")).to_be_attached()
    assert console_errors == []


def test_a_category_page_lists_its_posts(page: Page, console_errors):
    page.goto("/blog/category/clinic-news/")
    expect(page.locator("article.md-post")).to_have_count(1)
    assert console_errors == []


def test_navigation_works_at_phone_width(page: Page, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    drawer_button = page.locator('label.md-header__button[for="__drawer"]')
    expect(drawer_button).to_be_visible()
    drawer_button.click()
    nav = page.locator("nav.md-nav--primary")
    # On a phone the Guide section is a sub-menu: open it with the arrow beside "Guide".
    guide_section = nav.locator("li.md-nav__item--nested").filter(
        has=page.get_by_role("link", name="Guide", exact=True))
    guide_section.locator("label.md-nav__link").first.click()
    link = guide_section.get_by_role("link", name=re.compile("safety", re.I))
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/guide/safety-and-contraindications/$"))
    expect(page.locator("article h1")).to_contain_text(re.compile("contraindications", re.I))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert console_errors == []
