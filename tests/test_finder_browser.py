"""The therapist finder in real Chromium (pytest-playwright) on the session-built site."""
import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from clinic_site.finder import zip_positions

EARTH_RADIUS_MILES = 3958.8


def haversine(lat1, lon1, lat2, lon2):
    """Written out here, independently of scripts/clinic_site/finder/listings.py and finder.js."""
    import math
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def visible_items(page):
    return page.locator("#finder-list > li:not([hidden])")


def test_zip_sorts_nearest_first_with_correct_miles(page, site_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/therapists/")
    page.get_by_label("ZIP code").fill("80206")
    page.get_by_role("button", name="Sort by distance").click()
    expect(page.locator("#finder-count")).to_contain_text("nearest first from ZIP 80206")
    rows = page.eval_on_selector_all(
        "#finder-list > li", "els => els.map(e => [e.dataset.g, e.querySelector('.finder-item__dist').textContent])")
    lat, lon, _ = zip_positions.lookup("80206")
    lat, lon = round(lat, 4), round(lon, 4)  # the shard's precision
    miles = []
    for position, shown in rows:
        plat, plon = map(float, position.split(","))
        expected = haversine(lat, lon, plat, plon)
        value = float(re.fullmatch(r" · ([\d.]+) miles", shown).group(1))
        assert abs(value - expected) <= 0.051, (shown, expected)
        miles.append(expected)
    assert miles == sorted(miles)
    assert miles[0] < 5  # the Denver samples come first
    assert "Denver" in page.locator("#finder-list > li").first.text_content()
    assert "#zip=80206" in page.url
    # the ZIP stays in the browser: only same-site requests, none carrying the ZIP itself
    assert all(urlparse(url).netloc == urlparse(site_url).netloc for url in requests)
    assert not any("80206" in url for url in requests)
    assert any(url.endswith("/therapists/zip/80.json") for url in requests)


def test_unknown_and_malformed_zip_are_explained(page):
    page.goto("/therapists/")
    page.get_by_label("ZIP code").fill("123")
    page.get_by_label("ZIP code").press("Enter")
    expect(page.locator("#finder-near-status")).to_have_text("Enter a 5-digit ZIP code, like 78701.")
    page.get_by_label("ZIP code").fill("00000")
    page.get_by_label("ZIP code").press("Enter")
    expect(page.locator("#finder-near-status")).to_contain_text("ZIP code 00000 was not found")


def test_use_my_location_sorts_by_the_browser_position(browser, site_url):
    context = browser.new_context(geolocation={"latitude": 47.61, "longitude": -122.33}, permissions=["geolocation"])
    page = context.new_page()
    page.goto(site_url + "/therapists/")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#finder-count")).to_contain_text("nearest first from your location")
    assert "Seattle" in page.locator("#finder-list > li").first.text_content()
    assert "47.61" not in page.url and "#" not in page.url  # a position is never put in the URL
    context.close()


def test_filters_narrow_the_list_and_restore_from_the_url(page):
    page.goto("/therapists/")
    total = visible_items(page).count()
    expect(page.locator("#finder-count")).to_have_text(f"{total} therapists, sorted by name.")
    page.get_by_label("Specialty").select_option(label="lymphatic drainage")
    narrowed = visible_items(page).count()
    assert 0 < narrowed < total
    for data in visible_items(page).evaluate_all("els => els.map(e => e.dataset.s)"):
        assert "lymph" in data.split()
    expect(page.locator("#finder-count")).to_have_text(f"Showing {narrowed} of {total} therapists, sorted by name.")
    assert page.url.endswith("#s=lymph")

    page.get_by_label("Telehealth").check()
    both = visible_items(page).count()
    assert both <= narrowed
    for flags in visible_items(page).evaluate_all("els => els.map(e => e.dataset.f)"):
        assert "t" in flags
    page.get_by_label("Name, clinic, city or keyword").fill("zzzz-nothing")
    expect(page.locator("#finder-empty")).to_be_visible()
    page.get_by_label("Name, clinic, city or keyword").fill("")

    page.reload()  # the state comes back from the URL
    expect(page.get_by_label("Specialty")).to_have_value("lymph")
    expect(page.get_by_label("Telehealth")).to_be_checked()
    assert visible_items(page).count() == both

    page.go_back()  # before telehealth was ticked
    expect(page.get_by_label("Telehealth")).not_to_be_checked()
    expect(page.get_by_label("Specialty")).to_have_value("lymph")
    assert visible_items(page).count() == narrowed
    page.go_back()  # no filters
    expect(page.get_by_label("Specialty")).to_have_value("")
    assert visible_items(page).count() == total


def test_a_shared_url_with_zip_and_filters_opens_filtered_and_sorted(page):
    page.goto("/therapists/#zip=97214&l=es&q=sample")
    expect(page.locator("#finder-count")).to_contain_text("nearest first from ZIP 97214")
    expect(page.get_by_label("Language")).to_have_value("es")
    expect(page.get_by_label("Name, clinic, city or keyword")).to_have_value("sample")
    for data in visible_items(page).evaluate_all("els => els.map(e => e.dataset.l)"):
        assert "es" in data.split()


def test_free_text_matches_name_city_and_language_names(page):
    page.goto("/therapists/")
    box = page.get_by_label("Name, clinic, city or keyword")
    box.fill("raleigh")
    assert visible_items(page).count() == 5
    box.fill("spanish")
    for data in visible_items(page).evaluate_all("els => els.map(e => e.dataset.l)"):
        assert "es" in data.split()
    assert page.url.endswith("#q=spanish")


def test_without_javascript_everything_is_listed(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/therapists/")
    items = page.locator("#finder-list > li")
    assert items.count() >= 25
    expect(items.nth(items.count() - 1)).to_be_visible()
    expect(page.locator("#finder-form")).to_be_hidden()
    page.locator("#finder-list a").first.click()
    expect(page.locator("h1")).to_contain_text("Sample Therapist")
    context.close()


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_keyboard_only_use(page):
    page.goto("/therapists/")
    tab_to(page, "#finder-zip")
    page.keyboard.type("78704")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-count")).to_contain_text("nearest first from ZIP 78704")
    tab_to(page, "#finder-q")
    page.keyboard.type("sample")
    tab_to(page, "#finder-s")
    page.keyboard.press("ArrowDown")  # the first specialty
    expect(page.locator("#finder-s")).not_to_have_value("")
    tab_to(page, "#finder-a")
    page.keyboard.press("Space")
    expect(page.locator("#finder-a")).to_be_checked()
    shown = visible_items(page).count()
    expect(page.locator("#finder-count")).to_contain_text(f"Showing {shown} of")
    tab_to(page, "#finder-reset")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-a")).not_to_be_checked()
    expect(page.locator("#finder-count")).to_contain_text("therapists, nearest first from ZIP 78704")
    tab_to(page, "#finder-list a.finder-item__name")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(first)


def test_result_count_is_a_live_region_and_controls_have_labels(page):
    page.goto("/therapists/")
    count = page.locator("#finder-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_attribute("role", "status")
    for label in ("ZIP code", "Name, clinic, city or keyword", "Specialty", "Credential", "Language", "Payment",
                  "Telehealth", "Home visits", "Accepting new clients"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()


def test_site_search_for_a_city_finds_its_city_page(page):
    page.goto("/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Raleigh", delay=30)
    result = page.locator(".md-search-result__item", has_text="Medical massage in Raleigh, NC").first
    expect(result).to_be_visible(timeout=10_000)
    result.locator("a").first.click()
    expect(page.locator("h1")).to_have_text("Medical massage in Raleigh, NC")


def test_the_directory_fits_a_phone_screen(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/therapists/")
    expect(page.locator("#finder-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling


def test_the_directory_does_not_shift_when_the_script_starts(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/therapists/")
    expect(page.locator("#finder-form")).to_be_visible()
    page.wait_for_timeout(300)
    shift = page.evaluate("""() => new Promise(done => {
      let total = 0;
      new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
        .observe({type: "layout-shift", buffered: true});
      setTimeout(() => done(total), 100);
    })""")
    assert shift < 0.02
