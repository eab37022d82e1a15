"""The site search finds what people type (issues 13, 24, 26): typed in Chromium, key by key, into a
copy of the site with one more guide page that holds "post-op", "Don’t" (curly), "CAFÉ" and
"Sjögren", and one more listing at the clinic, a therapist whose name has accents.

What holds it: the site's index, built after the engine (clinic_site.postbuild.site_search), whose
terms are folded by the same rule as the query; the typed query normalized, searched as words only and exact
phrases put first (overrides/assets/search-text.js, with window.clinicNormalize from
overrides/assets/normalize.js).
"""
from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from clinic_site import pipeline
from clinic_site.text_normalize import normalize
from devtools.project_copy import copy_project
from devtools.static_server import StaticServer
from tests.conftest import SharedContext
from tests.harness import build_in_process

PAGE = "guide/getting-ready-for-surgery/"
GUIDE_PAGE = """---
title: Getting ready for surgery
description: What to bring to your first visit after surgery, and when to book a massage around your follow-up visits.
reviewed_by: alex-example
last_reviewed: 2026-11-29
next_review: 2029-11-29
---

# Getting ready for surgery

## Your plan after surgery

Bring your post-op instructions to your first visit. Don’t book a massage on the same day as a
follow-up with your surgeon.

## The café

The CAFÉ by the front desk sells water and tea.

## Dry eyes and mouth

Tell us if you have Sjögren’s syndrome: we keep water at hand.

## Forms

Our forms never ask you to type code such as `<img src=x onerror=alert(1)>`.
"""
LISTING = "sample-arden-sampleton.yml"   # a listing at the clinic (Springfield), copied with a name with accents
THERAPIST = "Sample Therapist Zoë Núñez"
ITEMS = "li.md-search-result__item"   # one per page: the page, then its matching sections


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    """The project with the page above added to the guide, built and served; its URL."""
    project = copy_project(tmp_path_factory.mktemp("search") / "project")
    (project / "docs" / "guide" / "getting-ready-for-surgery.md").write_text(GUIDE_PAGE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      - guide/glossary.md\n" in text
    config.write_text(text.replace("      - guide/glossary.md\n",
                                   "      - guide/glossary.md\n      - guide/getting-ready-for-surgery.md\n", 1),
                      encoding="utf-8")
    words = project / "docs" / ".spelling-words.txt"
    words.write_text(words.read_text(encoding="utf-8").rstrip("\n") + "\nSjögren\n", encoding="utf-8")
    listings = project / "docs" / "therapists" / "listings"
    listing = (listings / LISTING).read_text(encoding="utf-8")
    assert "id: sample-arden-sampleton\nname: Sample Therapist Arden Sampleton\n" in listing
    listing = listing.replace("id: sample-arden-sampleton\nname: Sample Therapist Arden Sampleton\n",
                              f"id: sample-zoe-nunez\nname: {THERAPIST}\n").replace("PT-SAMPLE-1032", "PT-SAMPLE-1099")
    (listings / "sample-zoe-nunez.yml").write_text(listing, encoding="utf-8")
    # In this process, without social cards: they play no part in search, and drawing them all
    # would double the build.
    run = build_in_process(config, project / "site", cards=False)
    assert isinstance(run, pipeline.Run), str(run)
    with StaticServer(project / "site") as server:
        yield server.url


@pytest.fixture(scope="module")
def _search_tab(browser, search_site):
    """One tab for the module's searches: opening a page again would load the index's files again."""
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def _tabs(browser, search_site):
    """One browser context for the tabs tests open of their own (conftest.SharedContext): a new
    context per tab fetched and compiled Material's scripts and read the index's files again."""
    shared = SharedContext(browser, {}, search_site)
    yield shared
    shared.close()


@pytest.fixture
def new_tab(_tabs):
    """Opens a new tab on the search site for this test; after it, its tabs are closed and what
    they stored is cleared (and checked gone)."""
    yield _tabs.new_page
    _tabs.reset()


@pytest.fixture
def search_page(_search_tab, search_site):
    """The home page with an empty search box and no results shown: opened again if the last test
    left it, else its box emptied (so no result of an earlier query can be taken for this one's).
    Fails the test on any script error or console error while it ran."""
    page = _search_tab
    errors: list[str] = []

    def on_error(error) -> None:
        errors.append(str(error))

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("pageerror", on_error)
    page.on("console", on_console)
    if page.url != search_site + "/":
        page.goto(search_site + "/")
    else:
        box = page.locator("input.md-search__input")
        box.fill("")   # emptying the box, not typing a query: what a query finds is typed key by key
        box.dispatch_event("input")
        page.keyboard.press("Escape")
        expect(page.locator(ITEMS)).to_have_count(0)
    yield page
    page.remove_listener("pageerror", on_error)
    page.remove_listener("console", on_console)
    assert errors == []


def search(page: Page, typed: str, terms: str) -> list[dict]:
    """Type `typed` key by key into the search box and return the results, one per page, best
    first ({"path": the page's address, "text": all the item shows}), once the answer to the
    whole query is shown: search-text.js puts the query's words (`terms`, space separated) in
    the ?h= of each result's address, so the answer to "post-o" is never taken for the answer
    to "post-op"."""
    box = page.locator("input.md-search__input")
    box.click()
    # Key by key, without a pause between keys: search-text.js searches once typing pauses for
    # QUIET_MS (120 ms) either way, and what is waited for below is the answer to the whole query.
    box.press_sequentially(typed)
    expect(box).to_have_value(typed)   # the box shows what was typed, not the normalized query
    page.wait_for_function(
        """terms => [...document.querySelectorAll(".md-search-result__link")]
                      .some(a => new URL(a.href).searchParams.get("h") === terms)""", arg=terms)
    return page.locator(ITEMS).evaluate_all(
        """items => items.map(li => ({path: new URL(li.querySelector("a").href).pathname,
                                      text: li.textContent}))""")


def path_of(result: dict) -> str:
    return result["path"].lstrip("/")


def test_curly_and_straight_apostrophes_give_the_same_results(search_page, new_tab, search_site):
    curly = search(search_page, "don’t", "don't")
    again = new_tab()
    again.goto(search_site + "/")
    straight = search(again, "don't", "don't")
    assert curly == straight
    assert path_of(curly[0]).startswith(PAGE)
    assert "don't" in normalize(curly[0]["text"])


def test_post_op_puts_the_pages_holding_the_phrase_first(search_page):
    results = search(search_page, "post-op", "post op")
    assert "post-op" in normalize(results[0]["text"]) and path_of(results[0]).startswith(PAGE)
    # Pages with only "post" or "op..." are still found, after it: the OR search is kept.
    others = [r for r in results if "post-op" not in normalize(r["text"])]
    assert len(others) >= 2
    holding = [i for i, r in enumerate(results) if "post-op" in normalize(r["text"])]
    assert holding == list(range(len(holding)))
    # Enter opens the first result.
    search_page.locator("input.md-search__input").press("Enter")
    search_page.wait_for_url(re.compile(re.escape(PAGE)))


@pytest.mark.parametrize("typed, terms", [("post–op", "post op"), ("post—op", "post op"), ("POST‑OP", "post op")])
def test_every_dash_finds_what_the_hyphen_finds(search_page, typed, terms):
    results = search(search_page, typed, terms)
    assert path_of(results[0]).startswith(PAGE) and "post-op" in normalize(results[0]["text"])


@pytest.mark.parametrize("typed", ["CAFÉ", "Cafe", "café"])
def test_capitals_and_accents_find_the_same_section(search_page, typed):
    results = search(search_page, typed, "cafe")
    assert path_of(results[0]).startswith(PAGE)
    assert "cafe" in normalize(results[0]["text"])


def test_search_highlight_marks_the_words_on_the_opened_page(search_page):
    search(search_page, "post-op", "post op")
    section = search_page.locator(f"{ITEMS} a[href*='{PAGE}'][href*='h=post+op']").first
    assert parse_qs(urlsplit(section.get_attribute("href")).query)["h"] == ["post op"]
    section.click()
    search_page.wait_for_url(re.compile(re.escape(PAGE)))
    marks = search_page.locator("article mark")
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_text_contents()} >= {"post", "op"}


@pytest.mark.parametrize("typed, terms, marked", [
    ("don’t", "don't", {"Don’t"}),         # the page writes it curly: the query is straight
    ("cafe", "cafe", {"café", "CAFÉ"}),    # the page writes it with an accent
])
def test_search_highlight_marks_words_the_page_writes_differently(search_page, typed, terms, marked):
    search(search_page, typed, terms)
    section = search_page.locator(f"{ITEMS} a[href*='{PAGE}?h='][href*='#']").first   # a section
    assert parse_qs(urlsplit(section.get_attribute("href")).query)["h"] == [terms]
    section.click()
    search_page.wait_for_url(re.compile(re.escape(PAGE)))
    marks = search_page.locator("article mark")
    expect(marks.first).to_be_visible()
    assert set(marks.all_text_contents()) == marked


# Issue 24: any character may be typed. Punctuation made a word no page holds ("cafe#", "(cafe)",
# "cafe." found nothing; Pagefind found nothing for "~cafe"): search-text.js searches the letters
# and digits only, keeping an apostrophe or hyphen inside a word.
@pytest.mark.parametrize("typed", ["cafe?", "¿cafe?", "(cafe)", "cafe:", "~cafe", "^cafe", "cafe^", "-cafe",
                                   "+cafe", "cafe*", '"cafe"', "#cafe", "cafe…", "«cafe»", "cafe 🌷", "cafe.",
                                   "cafe!!!", "@cafe", "cafe_", "{cafe}", "cafe|", "cafe\\", "'cafe'", "cafe/"])
def test_punctuation_typed_with_a_word_still_finds_it(search_page, typed):
    warnings: list[str] = []
    search_page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    results = search(search_page, typed, "cafe")
    assert path_of(results[0]).startswith(PAGE) and "cafe" in normalize(results[0]["text"])
    assert not [text for text in warnings if "Invalid query" in text]


@pytest.mark.parametrize("typed, searched", [
    ("don't", "don't"), ("post-op", "post-op"), ("-post-op-", "post-op"), ("2.5 cm", "2.5 cm"), ("cafe.", "cafe"),
    ("title:massage", "title massage"), ("massage^2", "massage 2"), ("~*+:^", ""), ("日本語!", "日本語"),
    ("हिन्दी?", "हिन्दी"), ("'quoted'", "quoted")])
def test_what_is_searched_keeps_words_and_drops_the_rest(search_page, typed, searched):
    assert search_page.evaluate("typed => window.clinicSearchable(window.clinicNormalize(typed))", typed) == searched


def test_punctuation_alone_is_an_empty_query_not_an_error(search_page):
    warnings: list[str] = []
    search_page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    box = search_page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("~^:*", delay=20)
    expect(box).to_have_value("~^:*")
    box.press_sequentially("cafe", delay=20)   # and a word typed after it is searched
    search_page.wait_for_function("() => document.querySelectorAll('li.md-search-result__item').length > 0")
    assert not [text for text in warnings if "Invalid query" in text]


@pytest.mark.parametrize("typed", ["Sjogren", "sjögren", "SJOGREN’S"])
def test_a_name_typed_without_its_accent_finds_the_page_that_writes_it(search_page, typed):
    results = search(search_page, typed, normalize(typed))
    assert path_of(results[0]).startswith(PAGE), results[:3]


@pytest.mark.parametrize("typed", ["Zoe Nunez", "zoë núñez", "nunez"])
def test_a_therapists_name_typed_without_accents_finds_the_page_that_lists_them(search_page, typed):
    results = search(search_page, typed, normalize(typed))
    assert THERAPIST in results[0]["text"] or path_of(results[0]) == "therapists/cities/springfield-il/", results[:3]
    listing_pages = [r for r in results if path_of(r) == "therapists/cities/springfield-il/"]
    assert listing_pages, [r["path"] for r in results]   # the city page lists every therapist of its city


@pytest.mark.parametrize("typed", ["Use my location", "Name, clinic, city or keyword", "Clear all filters"])
def test_the_finders_form_is_never_a_search_result(search_page, typed):
    """The finder's controls are marked data-search-ignore: their words may find pages that say
    them in their text, never the words of the form."""
    searched = search_page.evaluate("t => window.clinicSearchable(window.clinicNormalize(t))", typed)
    box = search_page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(typed)
    expect(search_page.locator(".md-search-result__list")).to_have_attribute("data-searched", searched)
    meta = search_page.locator(".md-search-result__meta")
    expect(meta).to_have_text(re.compile(r"^(No pages found|\d+ pages? found)$"))
    shown = search_page.locator(ITEMS).all_text_contents()
    assert not [text for text in shown if normalize(typed) in normalize(text)], (searched, shown)


def test_a_result_shows_the_pages_words_as_text_with_the_words_found_marked(search_page):
    """The excerpt is drawn from text and <mark>s only: markup a page writes as text ("<img ...>"
    in a code span) is shown as those characters, never built into an element."""
    results = search(search_page, "onerror", "onerror")
    assert path_of(results[0]).startswith(PAGE)
    assert "<img src=x onerror=alert(1)>" in results[0]["text"]
    first = search_page.locator(ITEMS).first
    assert first.locator("img, script, code").count() == 0
    assert any("onerror" in text.lower() for text in first.locator("mark").all_text_contents())   # the word found


def _token_corpus() -> list[str]:
    """Strings to split both ways: the normalization table's hard strings, then 400 made from
    characters that sit on the rule's edges (apostrophes and quotes of every kind, dashes, marks
    alone and after letters, digits of other scripts, letters above U+FFFF, invisible characters,
    punctuation, spaces of every kind), the same ones on every run (a fixed seed)."""
    import random

    from tests.test_text_normalize import EXPECTED
    edges = ("'’‘`´ʼ\"“”-–—‑−_.,:;!?()[]{}<>/\\@#^~*+=|&%$ \t\n\u00a0\u2009\u3000\u00ad\u200b\u200d\ufeff"
             "\u0301\u0308\u0327\u093f\u094d\u064e\u20d7\ufe20aAzZéÉøßıİǅﬁﬀＡａ０٣੩२𝐀𝟘\U00020000\ufa0e中文日本한국"
             "हिन्दीعربيةעבריתΩωЖж0123456789²½Ⅻ①")
    chosen = random.Random(26)
    made = ["".join(chosen.choice(edges) for _ in range(chosen.randint(1, 14))) for _ in range(400)]
    return [text for text, _ in EXPECTED] + made


# The browser's terms as one JSON string: Playwright hands a list back item by item (about 1 s for
# a list of 45,000 terms), a string at once.
TOKENS = "text => JSON.stringify(window.clinicSearchTokens(text))"
TOKENS_OF_EACH = "texts => JSON.stringify(texts.map(text => window.clinicSearchTokens(text)))"
# Every code point but the surrogates, each between two letters, CHUNK code points to a text. The
# browser writes each text itself and sends back two SHA-256 digests: of the text (so it is known to
# be the text Python split) and of its terms as JSON. Sending the texts and their terms back and
# forth took most of the test's 20 to 30 s; the terms are read only when the digests differ.
CHUNK = 40_000
DIGESTS = """async ([start, end]) => {
  const parts = [];
  for (let code = start; code < end; code++) {
    if (code < 0xD800 || code > 0xDFFF) parts.push("a" + String.fromCodePoint(code) + "b");
  }
  const text = parts.join(" ");
  const digest = async value => [...new Uint8Array(await crypto.subtle.digest("SHA-256",
      new TextEncoder().encode(value)))].map(byte => byte.toString(16).padStart(2, "0")).join("");
  return [await digest(text), await digest(JSON.stringify(window.clinicSearchTokens(text)))];
}"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_browser_splits_text_into_the_same_terms_as_the_index(search_page):
    """A word typed and the same word in a page meet only if search-text.js's clinicSearchTokens
    and search_terms.tokens (the index's) give the same terms: the same rule in two languages,
    compared on strings made to sit on its edges, then on every character there is, each between
    two letters ("a" + it + "b"). The browser's Unicode is newer than Python's: it splits by the
    index's tables (index.json), so characters Python does not know yet split the same way."""
    from clinic_site.postbuild.search_terms import tokens
    search(search_page, "cafe", "cafe")   # the index, and its tables, are read
    texts = _token_corpus()
    in_browser = json.loads(search_page.evaluate(TOKENS_OF_EACH, texts))
    differ = [(text, got, tokens(text)) for text, got in zip(texts, in_browser, strict=True) if got != tokens(text)]
    assert differ == [], differ[:5]
    for start in range(0x20, 0x110000, CHUNK):
        end = min(start + CHUNK, 0x110000)
        chunk = [code for code in range(start, end) if not 0xD800 <= code <= 0xDFFF]
        text = " ".join(f"a{chr(code)}b" for code in chunk)
        expected = tokens(text)
        text_digest, terms_digest = search_page.evaluate(DIGESTS, [start, end])
        assert text_digest == sha256(text), f"the browser wrote another text for U+{start:04X} to U+{end - 1:04X}"
        if terms_digest == sha256(json.dumps(expected, ensure_ascii=False, separators=(",", ":"))):
            continue
        got = json.loads(search_page.evaluate(TOKENS, text))   # the digests differ: compare the terms
        if got != expected:   # name the first characters split differently
            each = json.loads(search_page.evaluate(TOKENS_OF_EACH, [f"a{chr(code)}b" for code in chunk]))
            differ = [hex(code) for code, terms in zip(chunk, each, strict=True) if terms != tokens(f"a{chr(code)}b")]
            assert differ == [], differ[:10]
            assert got == expected, f"U+{start:04X} to U+{end - 1:04X} split differently as a whole"


def empty_box(page: Page) -> None:
    """The search box emptied, no result of an earlier query left (as the search_page fixture does)."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.dispatch_event("input")
    expect(page.locator(ITEMS)).to_have_count(0)


# Set into the box and Enter pressed in one task: no search has started for the text yet (typing
# waits for a pause), as when a patient types fast and presses Enter at once.
TYPE_AND_ENTER = """typed => {
    const box = document.querySelector("input.md-search__input");
    box.value = typed;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true, cancelable: true}));
}"""


def test_enter_opens_the_first_result_of_what_the_box_holds_even_before_it_is_drawn(search_page, search_site):
    """Enter opened the first result drawn: of "neck" when "neck pregnancy" was typed fast (the
    list still answered the first word), nothing at all on a page just opened."""
    expected = search(search_page, "neck pregnancy", "neck pregnancy")[0]["path"]
    empty_box(search_page)
    assert search(search_page, "neck", "neck")[0]["path"] != expected
    search_page.evaluate(TYPE_AND_ENTER, "neck pregnancy")
    search_page.wait_for_url(lambda url: urlsplit(url).path == expected, timeout=10_000)
    search_page.goto(search_site + "/")
    search_page.locator("input.md-search__input").click()
    search_page.evaluate(TYPE_AND_ENTER, "neck pregnancy")
    search_page.wait_for_url(lambda url: urlsplit(url).path == expected, timeout=10_000)


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800), (1280, 4000)])
def test_every_result_counted_can_be_reached_by_scrolling(new_tab, search_site, width, height):
    """Results come ten at a time, more when the list is scrolled to its end; on a tall screen
    the first ten did not fill the panel, no scroll could come, and the rest were never drawn."""
    page = new_tab()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(search_site + "/")
    if width < 600:   # on a phone the magnifier opens the search
        page.locator("label.md-header__button[for=__search]").click()
    search(page, "sample", "sample")
    count = int(re.fullmatch(r"(\d+) pages found", page.locator(".md-search-result__meta").text_content()).group(1))
    assert count > 10   # more than the first ten
    wrap = page.locator(".md-search__scrollwrap")
    for _ in range(count):
        drawn = page.locator(ITEMS).count()
        if drawn == count:
            break
        wrap.evaluate("wrap => wrap.scrollTo(0, wrap.scrollHeight)")
        page.wait_for_function("n => document.querySelectorAll('li.md-search-result__item').length > n",
                               arg=drawn, timeout=10_000)
    expect(page.locator(ITEMS)).to_have_count(count)


def test_a_word_found_hundreds_of_times_on_the_opened_page_marks_the_first_200(search_page, search_site):
    """Marking every word a term begins on a long page froze it for seconds (155,000 marks took
    10 s); the first 200 in the article are marked, the rest left as they are."""
    search_page.goto(search_site + "/references/?h=a")
    marks = search_page.locator("article mark")
    expect(marks.first).to_be_visible()
    assert marks.count() == 200
    assert all(normalize(text).startswith("a") for text in marks.all_text_contents())


def test_a_tab_opened_before_the_site_was_built_again_still_searches(new_tab, search_site):
    """index.json names the build's files by its key; a tab that read it before a new build asks
    for files that are gone. The search fetches index.json again and answers."""
    page = new_tab()
    served = []

    def old_build_first(route):
        response = route.fetch()
        manifest = response.json()
        served.append(manifest["key"])
        if len(served) == 1:
            manifest = {**manifest, "key": "0000000000"}   # the key of a build whose files are gone
        route.fulfill(response=response, json=manifest)

    page.route("**/search-index/index.json", old_build_first)
    page.goto(search_site + "/")
    results = search(page, "lymph", "lymph")
    assert results and len(served) == 2
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^\d+ pages? found$"))


@pytest.mark.parametrize("broken", ["index.json", "terms/", "pages/"])
@pytest.mark.parametrize("how", ["404", "not JSON"])
def test_a_broken_index_says_search_is_not_available(new_tab, search_site, broken, how):
    # The broken files come from the tab's own route: Playwright turns the HTTP cache off for a tab
    # whose requests are routed, and a routed answer never enters it, so the next tests get the real files.
    page = new_tab()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(f"**/search-index/{broken}*", lambda route: route.fulfill(status=404, body="gone")
               if how == "404" else route.fulfill(status=200, body="{oops", content_type="application/json"))
    page.goto(search_site + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("lymph", delay=20)
    expect(page.locator(".md-search-result__meta")).to_have_text("Search is not available right now")
    expect(page.locator(ITEMS)).to_have_count(0)
    assert errors == []   # no uncaught error


def test_a_results_sections_are_those_holding_the_most_of_the_words_typed(search_page):
    """The two sections shown under a page were its first two holding any word: for "back pain",
    warning signs showed "Signs of a torn artery in the neck" (it says "pain") before "Back pain
    with these signs"; now those holding both words, by their heading first."""
    search(search_page, "back pain", "back pain")
    item = search_page.locator(ITEMS).filter(has=search_page.locator("a[href^='/guide/warning-signs/']")).first
    headings = item.locator("a.md-search-result__link h2").all_text_contents()
    assert headings and all({"back", "pain"} <= set(normalize(heading).split()) for heading in headings), headings


@pytest.mark.parametrize("typed", ["back pain", "cafe", "post-op", "massage"])
def test_a_result_never_shows_the_same_excerpt_twice(search_page, typed):
    """A page's own excerpt comes from a section not shown under it: the best section shown both
    as the page's excerpt and as a section repeated the same words on a phone."""
    search(search_page, typed, " ".join(typed.replace("-", " ").split()))
    for item in search_page.locator(ITEMS).all():
        excerpts = [" ".join(text.split()) for text in item.locator("article p").all_text_contents()]
        assert len(excerpts) == len(set(excerpts)), excerpts


def test_an_excerpt_shows_where_the_most_of_the_words_typed_are(search_page):
    """An excerpt starts near the first place whose next few words hold the most of the words
    typed, not at the first one found: for "back pain" the warning signs page showed a list of
    sources at its first "pain", with no "back" in sight."""
    results = search(search_page, "back pain", "back pain")
    assert path_of(results[0]) == "guide/warning-signs/", results[:2]
    page_link = search_page.locator(ITEMS).first.locator("a.md-search-result__link").first
    marked = {normalize(text) for text in page_link.locator("mark").all_text_contents()}
    assert {"back", "pain"} <= marked, marked
