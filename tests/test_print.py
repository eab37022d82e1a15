"""Printing: each guide page prints as a clean one- or two-page handout (docs/assets/print.css).

Chromium with print media emulated: the clinic's name and phone at the top, the page's sources, the
review dates and the page's address (URL) at the bottom, no menus or buttons; page.pdf() on US
Letter gives one or two sheets. The screen is left as it was: every rule is inside @media print.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page

from clinic_site.phone import phone_display
from tests.harness import PROJECT_ROOT, project_clinic

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

DOCS = PROJECT_ROOT / "docs"
PRINT_CSS = DOCS / "assets" / "print.css"
GUIDE_PAGES = sorted((DOCS / "guide").glob("*.md"))
CONFIG = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
CLINIC = project_clinic()
PHONE_AS_SHOWN = phone_display(CLINIC["phone"])  # "(217) 555-0100", as the footer shows it
NOT_ON_PAPER = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-path", ".md-top",
                ".md-footer__inner", ".md-content__button", ".md-search", ".md-skip"]


def site_path(source: Path) -> str:
    return "guide/" if source.stem == "index" else f"guide/{source.stem}/"


def pdf_page_count(pdf: bytes) -> int:
    """Chromium writes one uncompressed '/Type /Page' object per sheet (and one '/Type /Pages')."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def box(page: Page, selector: str) -> dict | None:
    return page.evaluate("""selector => {
        const element = document.querySelector(selector);
        if (!element) return null;
        const rect = element.getBoundingClientRect();
        return {top: rect.top + scrollY, bottom: rect.bottom + scrollY, height: rect.height,
                display: getComputedStyle(element).display, text: element.innerText || ""};
    }""", selector)


def test_the_stylesheet_is_used_and_holds_only_print_rules():
    assert "assets/print.css" in CONFIG["extra_css"]
    css = re.sub(r"/\*.*?\*/", "", PRINT_CSS.read_text(encoding="utf-8"), flags=re.S).strip()
    assert css.startswith("@media print {") and css.endswith("}")
    depth, start = 0, css.index("{")
    for position, character in enumerate(css[start:], start):
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth > 0 or position == len(css) - 1, "a rule outside @media print would change the screen"


@pytest.mark.parametrize("source", GUIDE_PAGES, ids=lambda s: s.stem)
def test_a_guide_page_prints_as_a_one_or_two_page_handout(page: Page, source: Path):
    page.goto(f"/{site_path(source)}")
    page.emulate_media(media="print")

    for selector in NOT_ON_PAPER:
        found = box(page, selector)
        assert found is None or found["display"] == "none" or found["height"] == 0, f"{selector} is printed"

    clinic = box(page, ".clinic-footer")
    title = box(page, "article h1")
    assert clinic and clinic["height"] > 0 and CLINIC["name"] in clinic["text"] and PHONE_AS_SHOWN in clinic["text"]
    assert clinic["bottom"] <= title["top"], "the clinic's name and phone come first"

    sources = page.locator("article h2#sources")
    if source.stem != "index":
        assert sources.is_visible() and page.locator("article h2#sources + ul li").count() >= 1

    review = box(page, ".review-info")
    article_text = box(page, "article h1")
    # The review box holds the page's review status: its dates, or that it awaits clinical review
    # (as the line under its title says: a sample reviewer is no review).
    awaiting = page.locator("article .reviewed-line--awaiting").count() == 1
    status = ["This page awaits clinical review"] if awaiting else ["last reviewed", "next review due"]
    assert review and review["height"] > 0 and all(part in review["text"] for part in status), review
    assert "not a substitute for care" in review["text"]
    assert review["top"] > article_text["bottom"]

    canonical = page.locator('link[rel="canonical"]')
    url = canonical.get_attribute("href")
    assert url.endswith(f"/{site_path(source)}")
    address = box(page, 'link[rel="canonical"]')
    shown = page.evaluate("""() => getComputedStyle(document.querySelector('link[rel="canonical"]'), '::before')
                                   .content""")
    assert address["display"] == "block" and address["height"] > 0
    assert shown == f'"Page address: {url}"'
    assert address["top"] >= review["bottom"] - 1, "the page's address is printed last"

    sheets = pdf_page_count(page.pdf(format="Letter"))
    assert 1 <= sheets <= 2, f"{site_path(source)} prints on {sheets} sheets"


def test_the_screen_is_unchanged(page: Page):
    page.goto("/guide/safety-and-contraindications/")
    page.emulate_media(media="screen")
    assert box(page, 'link[rel="canonical"]')["display"] == "none"
    assert box(page, ".md-header")["display"] != "none"
    assert box(page, ".clinic-footer")["top"] > box(page, "article h1")["bottom"]


def test_the_page_counter_counts_sheets():
    two_sheets = b"<< /Type /Pages /Count 2 >> << /Type /Page /Parent 1 0 R >> << /Type/Page >>"
    assert pdf_page_count(two_sheets) == 2
