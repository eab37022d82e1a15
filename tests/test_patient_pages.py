"""The patient half of issue 23, on the built site: care one tap away on every health page, a 404
page that helps, search that finds what a patient means, pages that read comfortably on a cheap
phone, and privacy said truly with JavaScript on and off.

Built HTML is read with a parser (the session's build); what Chromium shows is measured at 390 px
wide, one page load per page, many checks per load.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

from clinic_site import clinic_settings, pipeline
from devtools.project_copy import copy_project
from tests import harness
from tests.harness import PROJECT_ROOT, build_in_process, project_clinic, settle
from tests.test_accessibility import describe, run_axe
from tests.test_search_text import search

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

CLINIC = clinic_settings.clinic_details(project_clinic())
PHONE = {"width": 390, "height": 844}
GUIDE_PAGE = "/guide/safety-and-contraindications/"
POST = "/blog/2026/11/02/medical-massage-and-physical-therapy/"


def listings() -> dict[str, dict]:
    """The finder's listings by id (the file name without .yml: their page is therapists/<id>/)."""
    found = {}
    for path in sorted((PROJECT_ROOT / "docs/therapists/listings").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.stem] = data
    return found


AT_CLINIC = sorted(name for name, data in listings().items() if data.get("at_clinic") is True)
ELSEWHERE = sorted(name for name, data in listings().items() if data.get("at_clinic") is not True)


# ---- care one tap away (built HTML) ----

def care_links(scope) -> dict[str, str]:
    """{"call": href, "book": href or absent} of the care box in `scope`."""
    box = scope.select_one("section.care-actions")
    assert box is not None, "no care box (partials/care.html)"
    links = {}
    for link in box.select("a.care-button"):
        text = link.get_text(" ", strip=True)
        links["call" if text.startswith("Call") else "book" if text.startswith("Book") else text] = link["href"]
    return links


@pytest.mark.build
def test_every_health_page_ends_with_the_clinics_call_and_booking(site_pages):
    assert CLINIC.booking_url, "the sample clinic.yml has a booking_url: this test checks it is offered"
    health = {path: page for path, page in site_pages.items() if page.select_one("article aside.review-info")}
    assert len([p for p in health if p.startswith("guide/")]) >= 15 and any(p.startswith("blog/20") for p in health)
    for path, page in health.items():
        article = page.select_one("article")
        last = [child for child in article.find_all(recursive=False) if child.name][-1]
        assert last.name == "section" and "care-actions" in last["class"], \
            f"{path}: ends with {last.name} {last.get('class')}"
        assert care_links(article) == {"call": CLINIC.phone_tel, "book": CLINIC.booking_url}, path
        assert CLINIC.phone_display in last.get_text(" ", strip=True)
    # Pages that give no health advice have no care box of their own.
    for path in ("about/", "references/", "therapists/"):
        assert site_pages[path].select_one("section.care-actions") is None, path


@pytest.mark.build
def test_a_clinic_therapists_listing_offers_the_clinics_booking(read_page):
    assert AT_CLINIC and ELSEWHERE
    for name in AT_CLINIC:
        page = read_page(f"therapists/{name}/")
        booking = page.select("article .clinic-booking a")
        assert [a["href"] for a in booking] == [CLINIC.booking_url], name
        # In the Contact section: after the therapist's own line, before "Credentials and license".
        heading = page.select_one("article h2#credentials")
        assert booking[0].find_parent("p").find_next("h2") is heading, name
    for name in ELSEWHERE:
        assert read_page(f"therapists/{name}/").select_one(".clinic-booking") is None, name


@pytest.mark.build
def test_without_a_booking_link_the_call_is_the_way_to_book(tmp_path):
    """clinic.yml without booking_url: no "Book" button anywhere in the care box, and a clinic
    therapist's listing names the front desk's number instead of a booking link."""
    from bs4 import BeautifulSoup
    project = copy_project(tmp_path / "project")
    settings = project / "clinic.yml"
    text = settings.read_text(encoding="utf-8")
    assert re.search(r"^booking_url: .*$", text, flags=re.M)
    settings.write_text(re.sub(r"^booking_url: .*\n", "", text, flags=re.M), encoding="utf-8")
    run = build_in_process(project / "mkdocs.yml", project / "site", cards=False)
    assert isinstance(run, pipeline.Run), str(run)

    def read(path: str) -> BeautifulSoup:
        return BeautifulSoup((project / "site" / path).read_text(encoding="utf-8"), "html.parser")

    for path in (f"{GUIDE_PAGE.strip('/')}/index.html", f"{POST.strip('/')}/index.html", "404.html"):
        article = read(path).select_one("article")
        assert care_links(article) == {"call": CLINIC.phone_tel}, path
        assert "book online" not in article.select_one("section.care-actions").get_text(), path
    booking = read(f"therapists/{AT_CLINIC[0]}/index.html").select_one(".clinic-booking")
    assert booking.select_one("a.care-button") is None
    assert [a["href"] for a in booking.select("a")] == [CLINIC.phone_tel]
    assert "To book, call the front desk at" in booking.get_text(" ", strip=True)


@pytest.mark.build
def test_the_404_page_leads_a_lost_patient_on(read_page):
    page = read_page("404.html")
    article = page.select_one("article")
    hrefs = [a["href"] for a in article.select("a[href]")]
    assert any(h.rstrip("/").endswith("therapists") for h in hrefs), hrefs     # the finder
    assert any(h.rstrip("/").endswith("guide") for h in hrefs), hrefs          # the guide
    assert article.select_one("button.lost-search__open[hidden]")   # search: shown by a11y.js
    assert page.select_one("label.md-header__button[for=__search]")
    assert care_links(article) == {"call": CLINIC.phone_tel, "book": CLINIC.booking_url}


# ---- search (the index as built) ----

@pytest.mark.build
def test_the_search_index_holds_the_clinics_details_and_never_the_finders_form(site_dir: Path):
    """The site search's index (clinic_site.postbuild.site_search): the home page's "Where to find
    us" section holds the clinic's details and the page is found by the words people search it by
    (overrides/home.html's keywords), the finder's page by its tags, and no page holds the words
    of the finder's form, the header's search or the disclaimer."""
    pages = {page["url"]: page for page in harness.indexed_pages(site_dir)}
    texts = " ".join(f"{page['meta'].get('title', '')} {page['content']}" for page in pages.values())
    for form_words in ("Name, clinic, city or keyword", "Use my location", "Within", "Filters",
                       "Type to start searching", "General information, not medical advice"):
        assert form_words not in texts, form_words
    home = pages["/"]
    [text] = [text for anchor, _heading, text in home["sections"] if anchor == "home-visit"]   # its section
    for expected in ("hours", "Phone", CLINIC.phone_display, CLINIC.street, CLINIC.zip,
                     *(line.days_label for line in CLINIC.hours_lines)):
        assert expected in text, (expected, text)
    for keyword in ("opening", "hours", "phone", "address", "directions", "location"):
        assert keyword in home["terms"], keyword
    assert "address" in home["keywords"]["home-visit"]   # the words of that section, found by the search there
    assert {"near", "me"} <= set(pages["/therapists/"]["terms"])   # its tags ("medical massage near me")
    listing_pages = [url for url in pages if url.startswith("/therapists/") and url != "/therapists/"
                     and not url.startswith(("/therapists/cities/", "/therapists/states/"))]
    assert listing_pages == [], "listing pages are left out of the index (search: exclude); their city page lists them"


@pytest.mark.browser
def test_search_finds_the_clinics_hours_and_contact_and_puts_the_finder_first_for_near_me(page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    for typed in ("hours", "open", "phone", "address"):
        page.locator("input.md-search__input").fill("")
        results = search(page, typed, typed)
        assert results[0]["path"] == "/", (typed, results[:3])
        assert "Where to find us" in results[0]["text"], typed
        assert page.locator(".md-search-result__link[href*='#home-visit']").count() == 1
    for typed in ("massage near me", "therapist near me"):
        page.locator("input.md-search__input").fill("")
        results = search(page, typed, typed)
        assert results[0]["path"] == "/therapists/", (typed, [r["path"] for r in results[:5]])
    # The search's own words: pages, not "documents".
    meta = page.locator(".md-search-result__meta").text_content()
    assert re.fullmatch(r"\d+ pages found", meta), meta


# ---- reading on a cheap phone (Chromium at 390 px) ----

# Every visible text node of the page's main content (breadcrumb and article) with its font size,
# outside code, sup and sub; the empty space between the header and the first line of content;
# and each line of a paragraph, list item or cell that holds no letter or digit (a comma or a
# dash left alone on a line when a link would not wrap with its sentence).
MEASURE = """() => {
  const header = document.querySelector(".md-header").getBoundingClientRect();
  const scope = document.querySelector(".md-main__inner");
  const hiddenAway = el => el.closest("code, pre, sup, sub, kbd, .visually-hidden, .finder-sr, [hidden]");
  const drawer = el => el.closest(".md-sidebar--primary, .md-sidebar--secondary");   // the phone's menus
  const small = [];
  let first = null, nodes = 0;
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.data.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    const el = node.parentElement;
    if (!rects.length || drawer(el) || !el.checkVisibility({visibilityProperty: true})) continue;
    nodes += 1;
    const top = Math.min(...rects.map(r => r.top)) + window.scrollY;
    if (first === null || top < first.top) first = {top, text: node.data.trim().slice(0, 40)};
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 14 && !hiddenAway(el))
      small.push(`${size}px <${el.tagName.toLowerCase()} class="${el.className}"> ${node.data.trim().slice(0, 40)}`);
  }
  const lone = [];
  for (const block of scope.querySelectorAll("p, li, td, dd")) {
    const lines = new Map();
    const w = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) {
      const n = w.currentNode;
      for (let i = 0; i < n.length; i++) {
        const r = document.createRange();
        r.setStart(n, i); r.setEnd(n, i + 1);
        const rect = r.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        const key = Math.round(rect.bottom);
        lines.set(key, (lines.get(key) || "") + n.data[i]);
      }
    }
    for (const text of lines.values())
      if (text.trim() && !/[\\p{L}\\p{N}]/u.test(text))
        lone.push(`${JSON.stringify(text.trim())} in "${block.textContent.trim().slice(0, 50)}"`);
  }
  return {gap: first.top - (header.bottom + window.scrollY), first: first.text, small, lone, nodes};
}"""

PHONE_PAGES = {
    "home": "/",
    "guide": GUIDE_PAGE,
    "post": POST,
    "listing": f"/therapists/{AT_CLINIC[0]}/",
    "city": "/therapists/cities/springfield-il/",
    "404": "/404.html",
    "finder": "/therapists/#zip=62701",
}


@pytest.mark.browser
@pytest.mark.parametrize("path", PHONE_PAGES.values(), ids=PHONE_PAGES.keys())
def test_a_phone_shows_readable_text_close_under_the_header_with_links_that_wrap(page: Page, path):
    page.set_viewport_size(PHONE)
    response = page.goto(path)
    assert response is not None and response.ok
    if "#zip=" in path:
        expect(page.locator(".finder-card").first).to_be_visible()   # the results, badges included
    settle(page)
    found = page.evaluate(MEASURE)
    assert found["nodes"] > 10
    assert found["small"] == [], f"{path}: text under 14 px at 390 px:\n" + "\n".join(found["small"])
    assert 0 <= found["gap"] <= 24, f"{path}: {found['gap']:.0f} px between the header and {found['first']!r}"
    assert found["lone"] == [], f"{path}: lines holding only punctuation:\n" + "\n".join(found["lone"])
    # No documentation furniture: no "¶" marks, no "Back to index", no bare address as link text.
    assert page.locator("a.headerlink").count() == 0
    assert page.get_by_text("Back to index").count() == 0
    bare = page.locator("article a[href]").evaluate_all(
        "links => links.map(a => a.textContent.trim()).filter(t => /^(https?:\\/\\/|doi:|www\\.)/i.test(t))")
    assert bare == [], bare


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/404.html", f"/therapists/{AT_CLINIC[0]}/"], ids=["404", "clinic-listing"])
def test_the_new_parts_pass_axe_and_search_opens_from_the_404_page(page: Page, path, width):
    # Guide pages and posts, with their care box, are in tests/test_accessibility.py at both widths.
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    page.goto(path)
    expect(page.locator(".care-actions, .clinic-booking").first).to_be_visible()
    violations = run_axe(page)
    assert not violations, f"{path} at {width} px\n" + describe(violations)
    if path != "/404.html":
        return
    button = page.get_by_role("button", name="Search this site")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("input.md-search__input")).to_be_focused()


@pytest.mark.browser
def test_no_left_menu_holding_only_the_page_itself_on_a_wide_screen(page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/therapists/")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-sidebar--secondary")).to_be_visible()   # the on-page contents stay
    page.goto(GUIDE_PAGE)
    menu = page.locator(".md-sidebar--primary")
    expect(menu).to_be_visible()   # the guide's own menu stays
    expect(menu.get_by_role("link", name="Warning signs", exact=False).first).to_be_visible()


# ---- privacy said truly ----

@pytest.mark.browser
def test_the_home_pages_zip_never_reaches_the_host_with_javascript_on_or_off(browser, base_url):
    sent: list[str] = []
    for scripts in (True, False):
        context = browser.new_context(base_url=base_url, java_script_enabled=scripts, viewport=PHONE)
        page = context.new_page()
        page.on("request", lambda request: sent.append(request.url))
        page.goto("/")
        form, instead = page.locator("form.home-zip"), page.locator(".home-zip-nojs a")
        if scripts:
            expect(instead).to_be_hidden()
            page.locator("#home-zip-code").fill("62701")
            page.locator("form.home-zip button").click()
            expect(page.locator("#finder-count")).to_contain_text("of ZIP 62701")
            assert urlsplit(page.url).query == "" and urlsplit(page.url).fragment.startswith("zip=62701")
            help_text = page.locator("#finder-privacy").text_content()
            assert "exact ZIP code and location stay in your browser" in help_text
            assert "downloads the lists for your area from this site" in help_text
        else:
            expect(form).to_be_hidden()        # nothing to type that would be sent as ?zip=
            expect(instead).to_be_visible()
            instead.click()
            page.wait_for_url(re.compile(r"/therapists/#therapists-by-state-and-city$"))
            expect(page.locator(".finder-nojs")).to_be_visible()
        context.close()
    assert [url for url in sent if "62701" in urlsplit(url).path + urlsplit(url).query] == []
    article = (PROJECT_ROOT / "docs/therapists/index.md").read_text(encoding="utf-8")
    assert "nothing you type here is sent" not in article
