"""Issue 12: the home page (overrides/home.html, docs/index.md) and what every page shows around
its words (header, tabs, edit link, Previous/Next bar, guide and post bylines, type and targets).

Built HTML is read with BeautifulSoup; what a visitor sees is measured in Chromium at a phone
(390x844) and a desktop (1280x800) size.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

from clinic_site import clinic_settings, layout
from tests.harness import PROJECT_ROOT, project_clinic, settle

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

CONFIG = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
CLINIC = clinic_settings.clinic_details(project_clinic())
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
GUIDE_PAGE = "/guide/safety-and-contraindications/"
BLOG_POST = "/blog/2026/11/02/medical-massage-and-physical-therapy/"
FINDER = "/therapists/"
TOP_SECTIONS = ["Home", "Guide", "Find a therapist", "Blog", "About", "References"]


def link(soup, text: str):
    """The first link whose words contain `text`."""
    return next(a for a in soup.select("a[href]") if text in " ".join(a.get_text().split()))


def absolute(page_path: str, href: str) -> str:
    """A link's site path ("guide/what-is-medical-massage/"), from the page it is on."""
    return urlsplit(urljoin(f"http://site/{page_path}", href)).path.removeprefix("/")


# ---- the rules: the stage's home lists (clinic_site.stage.pages), clinic_site.layout ----

def staged_posts(*posts: tuple[str, str, str]) -> list:
    """The stage's records of blog posts given as (file name, `date:` line's value, heading), as
    the home page's list is made from them; drafts are left out by the stage itself."""
    from clinic_site import content_rules
    from clinic_site.sources import parse_source
    from clinic_site.stage import pages as stage_pages
    from clinic_site.stage.blog import BlogSettings

    facts = content_rules.SiteFacts(people=frozenset(), categories=None, blog_dir="blog", today=dt.date(2026, 12, 1))
    context = stage_pages.PageContext(facts, BlogSettings(), {}, CLINIC, "https://example.org/", "docs", True,
                                      False, {}, [])
    records = []
    for name, date, heading in posts:
        draft = "draft: true\n" if name.startswith("draft") else ""
        text = f"---\ndate: {date}\ndescription: A post.\nslug: {name}\n{draft}---\n\n# {heading}\n\nText.\n"
        record = stage_pages.record_for(f"blog/posts/{name}.md", parse_source(text, f"docs/blog/posts/{name}.md"),
                                        context)
        if record is not None:
            records.append(record)
    return records


def test_latest_posts_are_the_newest_first_and_at_most_the_count():
    from clinic_site.stage.pages import latest_posts

    records = staged_posts(("old", "2026-01-05 10:00:00", "Old"), ("new", "2026-11-20 09:00:00", "New"),
                           ("middle", "2026-06-01", "Middle"), ("oldest", "2025-03-01 08:00:00", "Oldest"),
                           ("draft", "2026-12-01", "Draft"))
    latest = latest_posts(records, 3)
    assert [item["title"] for item in latest] == ["New", "Middle", "Old"]   # the draft is not published
    assert latest[0]["iso"] == "2026-11-20" and latest[0]["label"] == "November 20, 2026"
    assert latest[0]["url"] == "blog/2026/11/20/new/" and latest[0]["description"] == "A post."
    assert latest_posts([], 3) == []
    # A title taken from the post's heading keeps its entities as written; the home page gets plain text.
    [entity] = latest_posts(staged_posts(("tennis", "2026-01-01", "Tennis &amp; elbow")), 3)
    assert entity["title"] == "Tennis & elbow"


def test_the_edit_link_is_kept_only_in_the_preview():
    assert layout.edit_url("https://example.org/edit/main/docs/index.md", serving=True).endswith("index.md")
    assert layout.edit_url("https://example.org/edit/main/docs/index.md", serving=False) is None
    assert layout.edit_url(None, serving=True) is None


def test_the_preview_problem_box_comes_before_the_home_pages_words():
    # The preview's box is put at the top of the written page's article (on the home page before
    # the hero and the "Why you can trust this site" words), its texts escaped once.
    from bs4 import BeautifulSoup

    from clinic_site.guard import with_problem_box
    from clinic_site.problems import Problem
    from clinic_site.render import problem_box

    box = problem_box([Problem("docs/index.md", 3, "offer", "is <b>odd</b></div>", "fix it")])
    home = ('<html><body><main><article class="md-content__inner md-typeset"><section class="home-hero">'
            '<h1>Clinic</h1></section><section aria-labelledby="home-trust"><ul><li>Sources cited</li></ul>'
            '</section></article></main></body></html>')
    page = BeautifulSoup(with_problem_box(home, box), "html.parser")
    first = page.select_one("article").find(True)
    assert "clinic-problems" in first["class"]
    assert first.select_one("li").get_text() == "docs/index.md, line 3: 'offer' is <b>odd</b></div> — fix it"
    assert page.select_one("article section.home-hero") and not page.select("section .clinic-problems")
    assert problem_box([]) == ""


def test_previous_and_next_only_within_one_section():
    guide, blog, categories = SimpleNamespace(title="Guide"), SimpleNamespace(title="Blog"), SimpleNamespace()
    home, finder = SimpleNamespace(parent=None), SimpleNamespace(parent=None)
    guide_index, guide_page = SimpleNamespace(parent=guide), SimpleNamespace(parent=guide)
    blog_index, category = SimpleNamespace(parent=blog), SimpleNamespace(parent=categories)
    assert layout.neighbour(home, guide_index) is None            # home -> guide
    assert layout.neighbour(guide_index, home) is None            # guide -> home
    assert layout.neighbour(guide_index, guide_page) is guide_page
    assert layout.neighbour(guide_page, finder) is None           # the guide's last page -> the finder
    assert layout.neighbour(finder, guide_page) is None
    assert layout.neighbour(blog_index, category) is None         # the blog -> a list of its categories
    assert layout.neighbour(guide_page, None) is None


# ---- the built home page ----

def test_home_page_is_its_own_template_without_toc_edit_link_or_next_bar(read_page):
    home = read_page("")
    assert home.select_one("article .home-hero"), "the home page is not rendered by overrides/home.html"
    assert [h1.get_text(strip=True) for h1 in home.select("article h1")] == [CLINIC.name]
    assert home.select_one(".md-sidebar--secondary").has_attr("hidden"), "the home page shows a table of contents"
    assert not home.select("a[rel=edit], .md-content__button")
    assert not home.select(".md-footer__link"), "the home page closes with a Previous/Next bar"


def test_home_page_says_what_and_where_with_call_booking_and_zip(read_page):
    home = read_page("")
    hero = home.select_one(".home-hero")
    offer = " ".join(hero.select_one(".home-hero__offer").get_text().split())
    assert offer.endswith(f" in {CLINIC.city}, {CLINIC.state}.")
    call = link(hero, "Call")
    assert " ".join(call.get_text().split()) == f"Call {CLINIC.phone_display}" == "Call (217) 555-0100"
    assert call["href"] == CLINIC.phone_tel == "tel:+12175550100"
    book = link(hero, "Book an appointment")
    assert book["href"] == CLINIC.book_href
    form = hero.select_one("form")
    assert form["method"] == "get" and absolute("", form["action"]) == "therapists/"
    field = form.select_one("input[name=zip]")
    assert field["inputmode"] == "numeric" and field["autocomplete"] == "postal-code"
    label = form.select_one(f"label[for={field['id']}]")
    assert label.get_text(strip=True) == "Find a therapist near you"


def test_home_page_cards_link_each_service_to_its_guide_page(read_page):
    home = read_page("")
    cards = home.select("section[aria-labelledby=home-services] li.home-card")
    assert len(cards) == len(CLINIC.services) > 0
    for card, service in zip(cards, CLINIC.services, strict=True):
        link = card.select_one("h3 a")
        assert link.get_text(strip=True) == service.name
        expected = service.page.removesuffix(".md").removesuffix("index") + ("" if service.page.endswith(
            "index.md") else "/")
        assert absolute("", link["href"]) == expected
        assert service.summary in card.get_text()


def test_home_page_says_why_to_trust_it_honestly(read_page):
    page = read_page("")
    trust = page.select_one("section[aria-labelledby=home-trust]")
    text = " ".join(trust.get_text().split())
    assert "waiting for clinical review" in text
    # that the site is a sample is said once, from clinic.yml's `sample: true` (issue 23), not by these words
    assert "sample" not in text.lower()
    notice = page.select_one(".md-banner .clinic-sample-notice")
    assert notice is not None and "made up" in notice.get_text()
    assert "Sample content for a fictional clinic." in page.select_one(".clinic-footer__sample").get_text()
    for claim in ("Sources cited", "No ads and no tracking"):
        assert claim in text
    assert {absolute("", a["href"]) for a in trust.select("a")} >= {"about/", "references/"}


def test_home_page_shows_address_hours_table_and_directions(read_page):
    visit = read_page("").select_one("section[aria-labelledby=home-visit]")
    address = " ".join(visit.select_one("address").get_text().split())
    assert CLINIC.street in address and f"{CLINIC.city}, {CLINIC.state} {CLINIC.zip}" in address
    rows = [[" ".join(cell.get_text().split()) for cell in row.select("th, td")]
            for row in visit.select("table tbody tr")]
    assert rows == [[row.days_label, f"{row.opens_label} to {row.closes_label}"] for row in CLINIC.hours]
    assert rows[0] == ["Monday to Friday", "8 am to 6 pm"]
    directions = link(visit, "Get directions")
    assert CLINIC.directions_url and directions["href"] == CLINIC.directions_url


def test_home_page_lists_the_latest_blog_posts(read_page, site_dir):
    posts = read_page("").select("section[aria-labelledby=home-posts] li.home-card")
    assert 2 <= len(posts) <= 3
    dates = [dt.date.fromisoformat(item.time["datetime"]) for item in posts]
    assert dates == sorted(dates, reverse=True)
    for item in posts:
        target = absolute("", item.h3.a["href"])
        assert target.startswith("blog/20") and (site_dir / target / "index.html").is_file()
        title = read_page(target).select_one("article h1")
        for permalink in title.select(".headerlink"):
            permalink.extract()
        assert item.h3.a.get_text(strip=True) == title.get_text(strip=True)


def test_home_page_lists_the_clinics_own_therapists(read_page, site_dir):
    section = read_page("").select_one("section[aria-labelledby=home-therapists]")
    listings = [yaml.safe_load(path.read_text(encoding="utf-8"))
                for path in (PROJECT_ROOT / "docs/therapists/listings").glob("*.yml")]
    at_clinic = [listing for listing in listings if listing.get("at_clinic") is True]
    if not at_clinic:
        assert section is None
        return
    cards = section.select("li.home-card")
    assert len(cards) == len(at_clinic)
    noun = "therapist works" if len(cards) == 1 else "therapists work"
    assert f"{len(cards)} {noun} at our clinic." in section.get_text()
    for card in cards:
        assert (site_dir / absolute("", card.h3.a["href"]) / "index.html").is_file()


# ---- every built page ----

def test_no_edit_link_anywhere_in_the_built_site(site_pages):
    assert len(site_pages) > 40
    with_edit = [path for path, soup in site_pages.items()
                 if soup.select("a[rel=edit]") or soup.find("a", href=re.compile(r"/edit/"))
                 or soup.find(attrs={"title": re.compile("Edit this page", re.I)})]
    assert with_edit == []


@pytest.mark.build   # `mkdocs serve` builds (through tests.test_preview.serving, which tier_of cannot see)
@pytest.mark.slow
def test_the_edit_link_shows_in_the_preview_only(tmp_path):
    # `mkdocs serve` of a copy of the project: staff editing see "Edit this page" on a guide page
    # (the home page has none, even here); the built site has none (the test above).
    from bs4 import BeautifulSoup

    from devtools.project_copy import copy_project
    from tests.test_preview import fetch, serving, wait_for

    project = copy_project(tmp_path / "project")
    # A post naming an unknown author: its problem shows in the preview's box on every page.
    post = project / "docs/blog/posts/welcome-to-our-guide.md"
    post.write_text(post.read_text(encoding="utf-8").replace("  - riley-example", "  - riley-exemple"),
                    encoding="utf-8")
    with serving(project) as url:
        guide = BeautifulSoup(wait_for(lambda: fetch(url + GUIDE_PAGE.lstrip("/")), "the preview"), "html.parser")
        edit = guide.select("article a[rel=edit]")
        assert [a["href"] for a in edit] == [
            CONFIG["repo_url"] + "/" + CONFIG["edit_uri"] + "guide/safety-and-contraindications.md"]
        home = BeautifulSoup(fetch(url) or "", "html.parser")
        assert home.select_one(".home-hero") and not home.select("a[rel=edit]")
        # On the home page the box comes first, before the clinic's name, not among its words.
        first = home.select_one("article .clinic-problems, article .home-hero")
        assert "clinic-problems" in first["class"] and "riley-exemple" in first.get_text()
        assert not home.select("section[aria-labelledby=home-trust] .clinic-problems")


def test_every_page_header_has_the_short_name_and_a_call_link(site_pages):
    for path, soup in site_pages.items():
        assert soup.select_one(".md-header .clinic-short-name").get_text(strip=True) == CLINIC.short_name, path
        call = soup.select_one(".md-header a.clinic-call")
        assert call["href"] == CLINIC.phone_tel, path
        assert call["aria-label"] == f"Call {CLINIC.phone_display}", path


AWAITING = "Awaiting clinical review: no licensed professional has reviewed it yet."


def test_a_guide_page_says_its_review_status_right_under_its_title(read_page):
    # The sample site's reviewer is a sample person, so the line says the page awaits clinical
    # review (issue 22); the line naming a real reviewer: test_site.py, test_a_page_a_real_person_reviewed_....
    article = read_page(GUIDE_PAGE.strip("/") + "/").select_one("article")
    line = article.h1.find_next_sibling()
    assert "reviewed-line" in line["class"]
    assert " ".join(line.get_text().split()) == AWAITING
    assert article.select_one(".review-info .review-info__disclaimer"), "the review box left the page's end"


def test_a_blog_post_has_its_byline_under_the_title_and_no_metadata_label(read_page):
    soup = read_page(BLOG_POST.strip("/") + "/")
    line = soup.select_one("article h1").find_next_sibling()
    assert "post-meta" in line["class"]
    text = " ".join(line.get_text().split())
    assert re.search(r"By Sam Sample, LMT \(sample author\)", text), text
    assert re.search(r"November 2, 2026", text) and re.search(r"\d+ min read", text), text
    assert "Metadata" not in soup.get_text()
    # A health post (reviewed_by) says its review status under the byline and ends with the review box.
    reviewed = line.find_next_sibling()
    assert "reviewed-line" in reviewed["class"] and " ".join(reviewed.get_text().split()) == AWAITING
    assert soup.select_one("article .review-info .review-info__disclaimer")


def test_previous_next_bar_only_within_the_guide(read_page):
    assert read_page("guide/what-is-medical-massage/").select(".md-footer__link")
    for path in ("", "therapists/", "blog/", "about/"):
        assert not read_page(path).select(".md-footer__link"), path


# ---- in Chromium ----

def in_viewport(page: Page, selector: str) -> dict:
    """The element's box, and whether it lies wholly inside the window."""
    return page.locator(selector).evaluate("""el => { const r = el.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                inside: r.width > 0 && r.top >= 0 && r.left >= 0
                        && r.bottom <= innerHeight && r.right <= innerWidth}; }""")


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_call_booking_and_zip_box_are_in_the_first_screen(page: Page, size):
    page.set_viewport_size(size)
    page.goto("/")
    settle(page)
    for what, selector in {"name": "article h1", "offer": ".home-hero__offer",
                           "call": ".home-hero a[href^='tel:']",
                           "book": ".home-hero__actions a:nth-child(2)",
                           "zip box": "#home-zip-code", "zip label": "label[for=home-zip-code]",
                           "zip button": ".home-zip button"}.items():
        box = in_viewport(page, selector)
        assert box["inside"], f"{what} is not inside the first screen at {size}: {box}"
    book = page.locator("article").get_by_role("link", name="Book an appointment")
    expect(book).to_have_attribute("href", CLINIC.book_href)


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("path", ["/", GUIDE_PAGE, FINDER])
def test_header_shows_the_whole_short_name_and_a_call_button(page: Page, width, path):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    settle(page)
    name = page.locator(".md-header .clinic-short-name")
    expect(name).to_have_text(CLINIC.short_name)
    # The name and the header's first title line around it hold all its text (nothing cut off
    # sideways or below), and the name lies inside the header.
    sizes = name.evaluate("""el => { const topic = el.parentElement, header = el.closest('.md-header');
        const r = el.getBoundingClientRect(), h = header.getBoundingClientRect();
        return {scroll: el.scrollWidth, client: el.clientWidth, topicScroll: topic.scrollWidth,
                topicClient: topic.clientWidth, topicScrollHeight: topic.scrollHeight,
                topicClientHeight: topic.clientHeight, inHeader: r.top >= h.top && r.bottom <= h.bottom}; }""")
    assert sizes["scroll"] <= sizes["client"] and sizes["topicScroll"] <= sizes["topicClient"], sizes
    assert sizes["topicScrollHeight"] <= sizes["topicClientHeight"] and sizes["inHeader"], sizes
    call = page.get_by_role("link", name=f"Call {CLINIC.phone_display}").and_(page.locator(".md-header a"))
    expect(call).to_be_visible()
    expect(call).to_contain_text("Call")
    expect(call).to_have_attribute("href", CLINIC.phone_tel)
    box = in_viewport(page, ".md-header a.clinic-call")
    assert box["inside"] and box["bottom"] - box["top"] >= 44 and box["right"] - box["left"] >= 44, box
    name_box = name.bounding_box()
    assert name_box["x"] + name_box["width"] <= box["left"], "the name runs under the Call button"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("name", ["Riverbend Medical Massag", "Lakeside Physio and Spa", "Northwestern Rehabilitat"])
def test_a_short_name_as_long_as_allowed_fits_the_header_at_320_px(page: Page, name):
    # clinic_settings.SHORT_NAME_MAX characters, in words that wrap badly: the header's CSS
    # gives them up to three lines inside the header, none cut off (the name put in the page).
    assert len(name) <= clinic_settings.SHORT_NAME_MAX
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(GUIDE_PAGE)
    sizes = page.locator(".md-header .clinic-short-name").evaluate("""(el, name) => { el.textContent = name;
        const topic = el.parentElement, r = el.getBoundingClientRect();
        const h = el.closest('.md-header').getBoundingClientRect();
        const call = document.querySelector('.md-header .clinic-call').getBoundingClientRect();
        return {fitsWide: el.scrollWidth <= el.clientWidth && topic.scrollWidth <= topic.clientWidth,
                fitsHigh: topic.scrollHeight <= topic.clientHeight && r.top >= h.top && r.bottom <= h.bottom,
                beforeCall: r.right <= call.left}; }""", name)
    assert sizes == {"fitsWide": True, "fitsHigh": True, "beforeCall": True}, sizes


def test_every_top_section_is_visible_without_scrolling_on_a_desktop(page: Page):
    page.set_viewport_size(DESKTOP)
    for path in ("/", GUIDE_PAGE, FINDER):
        page.goto(path)
        settle(page)
        tabs = page.locator("nav.md-tabs")
        for title in TOP_SECTIONS:
            link = tabs.get_by_role("link", name=title, exact=True)
            expect(link).to_be_visible()
            box = link.bounding_box()
            assert box and 0 <= box["y"] and box["y"] + box["height"] <= DESKTOP["height"], (path, title, box)
        assert page.evaluate("scrollY") == 0


def test_without_javascript_the_zip_form_gives_way_to_the_state_and_city_lists(browser, base_url):
    # Issue 23: sent without JavaScript the form put the ZIP code in the address the host sees
    # (?zip=), while the finder, which needs JavaScript, could not use it. Now the form is hidden
    # and a link leads to the lists of states and cities (tests/test_patient_pages.py checks that
    # the ZIP code never reaches the host, with JavaScript on or off).
    context = browser.new_context(java_script_enabled=False, base_url=base_url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_label("Find a therapist near you")).to_be_hidden()
        page.get_by_role("link", name="Find a therapist by state and city").click()
        page.wait_for_url(re.compile(r"/therapists/#therapists-by-state-and-city$"))
        expect(page.locator("article h1")).to_be_visible()
        expect(page.locator("article a[href*='cities/']").first).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_zip_form_opens_the_finder_sorted_from_that_zip(page: Page, size):
    # With JavaScript the finder (C's overrides/assets/finder.js) reads ?zip= and sorts nearest first;
    # the expected order is worked out here from the listing files.
    page.set_viewport_size(size)
    page.goto("/")
    page.get_by_label("Find a therapist near you").fill("62701")
    page.get_by_label("Find a therapist near you").press("Enter")
    expect(page.locator("#finder-count")).to_contain_text("of ZIP 62701, nearest first")
    assert urlsplit(page.url).path == "/therapists/"
    rows = page.eval_on_selector_all("#finder-list > li", """els => els.map(e => [
        e.querySelector('.finder-card__name').textContent, e.querySelector('.finder-card__dist').textContent])""")
    assert rows and rows[0][0] == nearest_first("62701")[0][1], rows[:3]
    miles = [float(re.sub(r"[^\d.]", "", shown) or 0) for _, shown in rows]
    assert miles == sorted(miles), rows


def nearest_first(zip_code: str) -> list[tuple[float, str]]:
    """(miles, name) of every listing, nearest to `zip_code` first, from the listing files and the
    ZIP positions the build uses; a listing at the clinic is where the clinic block says
    (schema.validate_listing fills its position from it). Distances by the haversine formula,
    written out here independently of clinic_site/finder/model.py and finder.js."""
    from clinic_site.finder import zip_positions

    lat, lon, _state = zip_positions.cache_for(PROJECT_ROOT / ".cache").lookup(zip_code)
    lat, lon = round(lat, 4), round(lon, 4)   # the ZIP file's precision, as finder.js reads it
    found = []
    for path in sorted((PROJECT_ROOT / "docs/therapists/listings").glob("*.yml")):
        listing = yaml.safe_load(path.read_text(encoding="utf-8"))
        if listing.get("at_clinic") is True:
            listing = {**listing, "latitude": project_clinic()["latitude"],
                       "longitude": project_clinic()["longitude"]}
        p1, p2 = math.radians(lat), math.radians(listing["latitude"])
        a = math.sin((p2 - p1) / 2) ** 2 + \
            math.cos(p1) * math.cos(p2) * math.sin(math.radians(listing["longitude"] - lon) / 2) ** 2
        found.append((2 * 3958.8 * math.asin(math.sqrt(a)), listing["name"]))
    return sorted(found)


# What every visible control measures, except links inside running text: WCAG 2.5.8's inline
# exception (a link in a sentence is sized by the sentence's line height; making it 44 px tall
# would break the text apart). Such a link sits in a paragraph, list item, table cell or caption
# with other words around it.
TARGET_SIZES = """() => {
  const inline = el => {
    if (el.tagName !== 'A') return false;
    const block = el.parentElement.closest('p, li, td, th, dd, dt, figcaption, blockquote, address');
    if (!block || block.closest('nav, .md-header, .md-tabs')) return false;
    const own = el.textContent.trim();
    const all = block.textContent.replace(/\\s+/g, ' ').trim();
    return all.length > own.length + 3;
  };
  const out = [];
  for (const el of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex="0"]')) {
    if (el.matches('.md-toggle, .md-option, .md-skip')) continue;
    if (el.closest('[hidden], [inert], [aria-hidden="true"]')) continue;
    if (el.matches('label') && !el.matches('.md-header__button, .md-nav__link, .md-search__icon')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: false})) continue;
    if (inline(el)) continue;
    if (r.width < 44 || r.height < 44) {
      const name = (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40);
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${name}" `
               + `${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["/", GUIDE_PAGE, BLOG_POST, FINDER], ids=["home", "guide", "blog-post", "finder"])
def test_every_control_on_a_phone_is_at_least_44_px(page: Page, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    settle(page)
    small = page.evaluate(TARGET_SIZES)
    assert small == [], f"{path} at 390 px: controls smaller than 44x44 CSS px:\n" + "\n".join(small)


@pytest.mark.parametrize("path", ["/", GUIDE_PAGE, BLOG_POST, FINDER], ids=["home", "guide", "blog-post", "finder"])
def test_titles_are_normal_weight_full_contrast_and_text_at_least_16_px(page: Page, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    title = page.locator("article h1").first
    assert int(title.evaluate("el => getComputedStyle(el).fontWeight")) == 400
    assert title.evaluate("el => getComputedStyle(el).color") == "rgba(0, 0, 0, 0.87)"
    sizes = page.locator("article p").evaluate_all(
        "ps => ps.filter(p => p.offsetParent && p.textContent.trim())"
        "        .map(p => parseFloat(getComputedStyle(p).fontSize))")
    assert sizes and min(sizes) >= 16, sizes


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_guide_and_post_bylines_show_in_the_first_screen(page: Page, size):
    page.set_viewport_size(size)
    for path, selector in ((GUIDE_PAGE, "article .reviewed-line"), (BLOG_POST, "article .post-meta")):
        page.goto(path)
        settle(page)
        box = in_viewport(page, selector)
        assert box["inside"], f"{path} at {size}: {box}"
