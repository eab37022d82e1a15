"""The therapist finder in real Chromium (pytest-playwright) on the session-built site: a ZIP
search on a phone and a desktop, result cards, the distance limit, the URL, typing, tap targets
and axe. Expected results are worked out here from the listing files and a haversine of our own."""
import math
import re
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import expect

from clinic_site.finder import zip_positions
from clinic_site.phone import phone_display, phone_tel
from clinic_site.pipeline import Run
from devtools.generate_listings import generate
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, StaticServer, build_in_process, type_search
from tests.test_accessibility import describe, run_axe
from tests.test_finder_site import listing_files

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

EARTH_RADIUS_MILES = 3958.8
LISTINGS_DIR = PROJECT_ROOT / "docs/therapists/listings"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def haversine(lat1, lon1, lat2, lon2):
    """Written out here, independently of scripts/clinic_site/finder/model.py and finder.js."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def listings(root=PROJECT_ROOT):
    """The listing files of the project at `root` as the site shows them: as written, with the clinic
    block's name, address and position in the listings at the clinic (tests/test_finder_site.py)."""
    return list(listing_files(root).values())


def zip_position(zip_code):
    lat, lon, _ = zip_positions.cache_for(PROJECT_ROOT / ".cache").lookup(zip_code)
    return round(lat, 4), round(lon, 4)   # the ZIP file's precision, as finder.js reads it


def by_distance(zip_code):
    """(miles, listing) for every listing, nearest first, from the listing files."""
    lat, lon = zip_position(zip_code)
    return sorted(((haversine(lat, lon, x["latitude"], x["longitude"]), x) for x in listings()),
                  key=lambda pair: (pair[0], pair[1]["name"]))


def miles_text(miles: float) -> str:
    """A distance as finder.js shows it: tenths of a mile under 100 miles, whole miles (with a
    thousands comma) from there."""
    if miles < 0.1:
        return "under 0.1 miles"
    return (f"{miles:.1f}" if miles < 100 else f"{round(miles):,}") + " miles"


def test_distances_are_shown_in_tenths_near_by_and_whole_miles_far_away(page):
    page.goto("/therapists/")
    search(page, "99501")   # Anchorage, AK: every sample listing is over 1,000 miles away
    miles, nearest = by_distance("99501")[0]
    assert miles > 1000
    expect(page.locator("#finder-count")).to_contain_text(f"The nearest is {nearest['name']}, {miles_text(miles)} away")
    assert "," in miles_text(miles) and "." not in miles_text(miles)


def cards(page):
    return page.locator("#finder-list > li")


def card_rows(page):
    """(name, miles shown) of every card, in order."""
    return page.eval_on_selector_all("#finder-list > li", """els => els.map(e => [
        e.querySelector('.finder-card__name').textContent, e.querySelector('.finder-card__dist').textContent])""")


def search(page, zip_code):
    page.get_by_label("ZIP code").fill(zip_code)
    page.get_by_label("ZIP code").press("Enter")


def therapists(n):
    return f"{n} therapist" if n == 1 else f"{n} therapists"


def test_zip_search_on_a_phone_shows_the_first_result_in_the_first_viewport(page):
    page.set_viewport_size(PHONE)
    page.goto("/therapists/")
    expect(page.get_by_role("button", name="Filters (0)")).to_be_visible()
    expect(page.get_by_label("Specialty")).to_be_hidden()   # folded away on a phone
    search(page, "62704")
    near = [pair for pair in by_distance("62704") if pair[0] <= 25]
    assert near, "the clinic's samples are in Springfield"
    expect(page.locator("#finder-count")).to_have_text(
        f"{therapists(len(near))} within 25 miles of ZIP 62704, nearest first.")
    expect(cards(page)).to_have_count(len(near))
    box = cards(page).first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    # focus went to the count (read by screen readers; the phone's keyboard closes)
    assert page.evaluate("document.activeElement.id") == "finder-count"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling


def test_cards_show_distance_clinic_call_button_and_listing_link(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/therapists/")
    search(page, "80206")
    expected = [(miles, x) for miles, x in by_distance("80206") if miles <= 25]
    expect(page.locator("#finder-count")).to_contain_text(f"{therapists(len(expected))} within 25 miles of ZIP 80206")
    rows = card_rows(page)
    assert [name for name, _ in rows] == [x["name"] for _, x in expected]
    for (_, shown), (miles, _) in zip(rows, expected, strict=True):
        # shown to 0.1 mile, from positions kept to 4 decimals (11 m) in the data files
        assert abs(float(re.fullmatch(r"([\d.]+) miles", shown).group(1)) - miles) <= 0.05 + 0.01, (shown, miles)
    first, listing = cards(page).first, expected[0][1]
    call = first.locator("a[href^='tel:']")
    expect(call).to_have_attribute("href", phone_tel(listing["phone"]))   # the site's one phone rule
    expect(call).to_contain_text(f"Call {phone_display(listing['phone'])}")
    expect(first).to_contain_text(f"{listing['clinic']}, {listing['city']}, {listing['state']}")
    expect(first).to_contain_text(", " + ", ".join(listing["credentials"]))
    expect(first).to_contain_text("Accepting new clients" if listing["accepting_new_clients"]
                                  else "Not accepting new clients")
    assert cards(page).locator("a[href^='tel:']").count() == len(expected)
    first.get_by_role("link", name=re.compile("Full listing")).click()
    expect(page.locator("h1")).to_have_text(listing["name"])


def test_the_clinics_own_therapists_are_labelled(page):
    page.goto("/therapists/#zip=62701&w=10")
    ours = {x["name"] for x in listings() if x.get("at_clinic")}
    assert ours
    labelled = page.locator("#finder-list > li", has=page.locator(".finder-badge--clinic"))
    expect(labelled).to_have_count(len(ours))
    assert set(labelled.locator(".finder-card__name").all_text_contents()) == ours
    expect(labelled.first).to_contain_text("At our clinic")


def test_the_distance_limit_hides_far_results(page):
    page.goto("/therapists/#zip=80206&w=10")
    expected = [x["name"] for miles, x in by_distance("80206") if miles <= 10]
    farther = [x["name"] for miles, x in by_distance("80206") if 10 < miles <= 100]
    expect(page.locator("#finder-count")).to_have_text(
        f"{therapists(len(expected))} within 10 miles of ZIP 80206, nearest first.")
    assert [name for name, _ in card_rows(page)] == expected
    page.get_by_label("Within").select_option("100")
    expect(cards(page)).to_have_count(len(expected) + len(farther))


def test_nobody_within_the_limit_names_the_nearest_and_widens(page):
    zip_code = "67202"   # Wichita, KS: no listing within 100 miles
    miles, nearest = by_distance(zip_code)[0]
    assert miles > 100
    page.goto("/therapists/")
    search(page, zip_code)
    status = page.locator("#finder-count")
    expect(status).to_have_text(
        f"No therapist within 25 miles of ZIP {zip_code}. The nearest is {nearest['name']}, "
        f"{miles_text(miles)} away in {nearest['city']}, {nearest['state']}.")
    expect(cards(page)).to_have_count(0)   # the list agrees with the count
    widen = page.get_by_role("button", name="Search at any distance")
    widen.click()
    expect(status).to_contain_text(f"at any distance from ZIP {zip_code}, nearest first")
    assert card_rows(page)[0][0] == nearest["name"]
    assert "w=any" in page.url


def test_an_unknown_zip_after_a_known_one_leaves_no_stale_sort(page):
    page.goto("/therapists/")
    search(page, "80206")
    expect(page.locator("#finder-count")).to_contain_text("within 25 miles of ZIP 80206")
    assert cards(page).count() > 0
    search(page, "00000")
    expect(page.locator("#finder-count")).to_have_text(
        "ZIP code 00000 was not found, so no therapists are listed. Check the ZIP code, or use your location.")
    expect(cards(page)).to_have_count(0)
    expect(page.get_by_label("ZIP code")).to_have_attribute("aria-invalid", "true")
    assert "zip=" not in page.url
    search(page, "123")
    expect(page.locator("#finder-count")).to_have_text(
        "Enter a 5-digit ZIP code, like 62704, to see therapists near you.")
    expect(cards(page)).to_have_count(0)


def test_filters_and_the_limit_restore_from_the_url(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/therapists/#zip=60614&w=50")
    expected = [x for miles, x in by_distance("60614") if miles <= 50]
    expect(cards(page)).to_have_count(len(expected))
    page.get_by_label("Specialty").select_option(label="neck and back pain")
    narrowed = [x for x in expected if "neck and back pain" in x["specialties"]]
    assert 0 < len(narrowed) < len(expected)
    expect(page.locator("#finder-count")).to_have_text(
        f"{therapists(len(narrowed))} matching your filters within 50 miles of ZIP 60614, nearest first.")
    expect(cards(page)).to_have_count(len(narrowed))
    assert page.url.endswith("#zip=60614&w=50&s=back")
    page.get_by_label("Accepting new clients").check()
    both = [x for x in narrowed if x["accepting_new_clients"]]
    expect(cards(page)).to_have_count(len(both))

    page.reload()  # the choices come back from the URL
    expect(page.get_by_label("Within")).to_have_value("50")
    expect(page.get_by_label("Specialty")).to_have_value("back")
    expect(page.get_by_label("Accepting new clients")).to_be_checked()
    expect(page.get_by_label("ZIP code")).to_have_value("60614")
    expect(cards(page)).to_have_count(len(both))
    page.go_back()   # before "accepting" was ticked
    expect(page.get_by_label("Accepting new clients")).not_to_be_checked()
    expect(cards(page)).to_have_count(len(narrowed))


def test_the_home_pages_zip_in_the_query_string_sorts_on_load(page, site_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/therapists/?zip=97214")
    expect(page.locator("#finder-count")).to_contain_text("within 25 miles of ZIP 97214, nearest first")
    expect(page.get_by_label("ZIP code")).to_have_value("97214")
    assert card_rows(page)[0][0] == by_distance("97214")[0][1]["name"]
    expect(page).to_have_url(re.compile(r"/therapists/#zip=97214$"))   # out of the query: not sent on reload
    # everything fetched is on this site; after the page itself, no request carries the ZIP
    assert all(urlparse(url).netloc == urlparse(site_url).netloc for url in requests)
    assert not any("97214" in url for url in requests[1:])
    assert any(url.endswith("/therapists/zip/97.json") for url in requests)
    assert any(url.endswith("/therapists/data/index.json") for url in requests)


def test_a_curly_apostrophe_finds_a_straight_one(page):
    [listing] = [x for x in listings() if "O'Brien" in x["name"]]
    page.set_viewport_size(DESKTOP)
    page.goto(f"/therapists/#zip={listing['zip']}")
    expect(cards(page).first).to_be_visible()
    page.get_by_label("Name, clinic, city or keyword").fill("o\u2019brien")
    expect(page.locator("#finder-count")).to_have_text(
        f"1 therapist matching your filters within 25 miles of ZIP {listing['zip']}, nearest first.")
    assert [name for name, _ in card_rows(page)] == [listing["name"]]


def test_free_text_matches_city_and_language_names(page):
    page.goto("/therapists/#zip=27601&w=any")
    box = page.get_by_label("Name, clinic, city or keyword")
    box.fill("raleigh")
    raleigh = [x for x in listings() if x["city"] == "Raleigh"]
    expect(cards(page)).to_have_count(len(raleigh))
    box.fill("spanish")
    spanish = [x for x in listings() if "Spanish" in x["languages"]]
    expect(cards(page)).to_have_count(len(spanish))
    expect(page).to_have_url(re.compile(r"#zip=27601&w=any&q=spanish$"))   # once typing pauses


def test_use_my_location_sorts_by_the_browser_position(browser, site_url):
    context = browser.new_context(geolocation={"latitude": 47.61, "longitude": -122.33}, permissions=["geolocation"])
    page = context.new_page()
    page.goto(site_url + "/therapists/")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#finder-count")).to_contain_text("within 25 miles of your location, nearest first")
    expect(cards(page).first).to_contain_text("Seattle")
    assert "47.61" not in page.url and "zip=" not in page.url  # a position is never put in the URL
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_tap_targets_are_at_least_44_px(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/therapists/#zip=80206")
    expect(cards(page).first).to_be_visible()
    if viewport is PHONE:
        page.get_by_role("button", name="Filters (0)").click()
        expect(page.get_by_label("Specialty")).to_be_visible()
    else:   # beside the results
        expect(page.get_by_role("button", name=re.compile("Filters"))).to_be_hidden()
        side, results = page.locator("#finder-filters").bounding_box(), page.locator("#finder-list").bounding_box()
        assert side["x"] + side["width"] <= results["x"] and side["y"] < results["y"] + results["height"]
    small = page.evaluate("""() => {
      const targets = [...document.querySelectorAll(
        '#finder button, #finder select, #finder input:not([type=checkbox]), #finder a, #finder label.finder-check')];
      return targets.filter(e => e.getClientRects().length).map(e => {
        const r = e.getBoundingClientRect();
        return [e.id || e.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)];
      }).filter(([, w, h]) => w < 44 || h < 44);
    }""")
    assert small == []
    assert page.locator("#finder label.finder-check").count() == 3   # each checkbox's target is its label


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_with_results_shown(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/therapists/")
    search(page, "60614")
    expect(cards(page).first).to_be_visible()
    if viewport is PHONE:
        page.get_by_role("button", name="Filters (0)").click()
    violations = run_axe(page)
    assert not violations, describe(violations)


def test_without_javascript_the_finder_is_hidden_and_cities_lead_to_listings(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/therapists/")
    expect(page.locator("#finder")).to_be_hidden()   # no dead form
    expect(page.get_by_label("ZIP code")).to_be_hidden()
    # but a line saying why there is no ZIP box (the home page's ZIP form lands here too)
    expect(page.locator(".finder-nojs")).to_be_visible()
    expect(page.locator(".finder-nojs")).to_contain_text("needs JavaScript")
    link = page.locator("article a[href*='cities/']").first
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_contain_text("Medical massage in")
    context.close()


def test_with_javascript_the_no_javascript_note_is_hidden(page):
    page.goto("/therapists/")
    expect(page.get_by_label("ZIP code")).to_be_visible()
    expect(page.locator(".finder-nojs")).to_be_hidden()


def tab_to(page, selector, limit=80, key="Tab"):
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the {key} key")


def test_keyboard_only_use(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/therapists/")
    tab_to(page, "#finder-zip")
    page.keyboard.type("78704")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-count")).to_contain_text("within 25 miles of ZIP 78704")
    tab_to(page, "#finder-q", key="Shift+Tab")
    page.keyboard.type("sample")
    tab_to(page, "#finder-s")
    page.keyboard.press("ArrowDown")  # the first specialty
    expect(page.locator("#finder-s")).not_to_have_value("")
    tab_to(page, "#finder-a")
    page.keyboard.press("Space")
    expect(page.locator("#finder-a")).to_be_checked()
    expect(page.locator("#finder-count")).to_contain_text("matching your filters within 25 miles")
    tab_to(page, "#finder-reset")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-a")).not_to_be_checked()
    expect(page.locator("#finder-count")).to_contain_text("within 25 miles of ZIP 78704, nearest first")
    tab_to(page, "#finder-list a.finder-card__page")
    name = page.evaluate("document.activeElement.closest('li').querySelector('.finder-card__name').textContent")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(name)


def test_result_count_is_a_live_region_and_controls_have_labels(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/therapists/")
    count = page.locator("#finder-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_attribute("role", "status")
    for label in ("ZIP code", "Within", "Name, clinic, city or keyword", "Specialty", "Credential", "Language",
                  "Payment", "Telehealth", "Home visits", "Accepting new clients"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()


def test_the_phone_filters_button_counts_the_filters_in_use(page):
    page.set_viewport_size(PHONE)
    page.goto("/therapists/#zip=80206&s=lymph&t=1&q=sample")
    toggle = page.get_by_role("button", name="Filters (3)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Specialty")).to_have_value("lymph")
    page.get_by_role("button", name="Clear all filters").click()
    expect(page.get_by_role("button", name="Filters (0)")).to_be_visible()


def test_site_search_for_a_city_finds_its_city_page(page):
    page.goto("/")
    type_search(page, "Raleigh")
    result = page.locator(".md-search-result__item", has_text="Medical massage in Raleigh, NC").first
    expect(result).to_be_visible(timeout=10_000)
    result.locator("a").first.click()
    expect(page.locator("h1")).to_have_text("Medical massage in Raleigh, NC")


def test_the_directory_does_not_shift_when_the_script_starts(page):
    page.set_viewport_size(PHONE)
    page.goto("/therapists/")
    expect(page.locator("#finder")).to_be_visible()
    page.wait_for_function("document.getElementById('finder').classList.contains('finder--on')")
    page.wait_for_load_state("load")
    shift = page.evaluate("""() => new Promise(done => {
      let total = 0;
      new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
        .observe({type: "layout-shift", buffered: true});
      requestAnimationFrame(() => requestAnimationFrame(() => done(total)));
    })""")
    assert shift < 0.02


# ---- many listings: the data split into several files (scripts/clinic_site/finder/shards.py)
INJECTED = {   # markup in a listing's text: shown as text on its card, never run
    "id": "sample-injected",
    "name": 'Sample <img src=x onerror="window.__pwned = 1"> Injected',
    "clinic": "</script><script>window.__pwned = 2</script> Clinic & Co",
}
@pytest.fixture(scope="module")
def spread_site(tmp_path_factory):
    """A copy of the project with 300 synthetic listings more (several data files), built and served."""
    root = copy_project(tmp_path_factory.mktemp("spread") / "project")
    generate(300, root / "docs/therapists/listings", seed=5)
    injected = {**yaml.safe_load((LISTINGS_DIR / "sample-avery-sampleton.yml").read_text(encoding="utf-8")),
                **INJECTED}
    (root / "docs/therapists/listings/sample-injected.yml").write_text(yaml.safe_dump(injected), encoding="utf-8")
    run = build_in_process(root / "mkdocs.yml", root / "site", cards=False)   # no test here looks at cards
    assert isinstance(run, Run), str(run)[-3000:]
    with StaticServer(root / "site") as server:
        yield root, server.url


def expected_near(root, zip_code, miles):
    """Names within `miles` of the ZIP, nearest first, from the listing files of the project at `root`
    (positions to 4 decimals, as in the data files, so a listing on the limit falls on the same side)."""
    lat, lon = zip_position(zip_code)
    found = sorted((haversine(lat, lon, round(x["latitude"], 4), round(x["longitude"], 4)), x["name"])
                   for x in listings(root))
    return [name for d, name in found if d <= miles], found


def test_with_several_data_files_the_results_are_those_of_the_whole_directory(spread_site, own_page):
    page = own_page
    root, url = spread_site
    data = root / "site/therapists/data"
    files = len(list(data.glob("*.json"))) - 1
    assert files >= 4
    zips = sorted({x["zip"] for x in listings(root)})[::60] + ["62704"]
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    for zip_code in zips:
        names, _ = expected_near(root, zip_code, 10)
        page.goto("about:blank")   # a new page load for each ZIP
        fetched.clear()
        page.goto(f"{url}/therapists/#zip={zip_code}&w=10")
        expect(page.locator("#finder-count")).to_contain_text(f"of ZIP {zip_code}")
        assert [name for name, _ in card_rows(page)] == names[:50], zip_code
        shards_fetched = [u for u in fetched if "/therapists/data/" in u and not u.endswith("/index.json")]
        assert 1 <= len(shards_fetched) < files, (zip_code, shards_fetched)   # only the near ones


def test_with_several_data_files_nobody_near_names_the_nearest(spread_site, own_page):
    page = own_page
    root, url = spread_site
    _, found = expected_near(root, "67202", 25)
    miles, name = found[0]
    page.goto(f"{url}/therapists/#zip=67202")
    expect(page.locator("#finder-count")).to_contain_text(f"The nearest is {name}, {miles_text(miles)} away")


def test_with_several_data_files_any_distance_lists_the_nearest_of_all(spread_site, own_page):
    page = own_page
    root, url = spread_site
    _, found = expected_near(root, "62704", 0)
    page.goto(f"{url}/therapists/#zip=62704&w=any")
    expect(page.locator("#finder-count")).to_have_text(
        f"{len(found)} therapists at any distance from ZIP 62704, nearest first. The first 50 are listed.")
    assert [name for name, _ in card_rows(page)] == [name for _, name in found[:50]]
    # with a filter, and data files still unread: as many as are known for sure, nearest first
    page.get_by_label("Telehealth").check()
    telehealth = {x["name"] for x in listings(root) if x["telehealth"]}
    nearest = [name for _, name in found if name in telehealth][:50]
    expect(page.locator("#finder-count")).to_contain_text("matching your filters")
    assert [name for name, _ in card_rows(page)] == nearest


def test_markup_in_listing_text_shows_as_text_on_the_card(spread_site, own_page):
    page = own_page
    _, url = spread_site
    page.goto(f"{url}/therapists/#zip=78701&w=10&q=injected")
    card = cards(page).first
    expect(card.locator(".finder-card__name")).to_have_text(INJECTED["name"])
    expect(card).to_contain_text(INJECTED["clinic"])
    assert card.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned") is None
