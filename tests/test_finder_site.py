"""The therapist finder in the site built once per session (the real `clinic build`)."""
import functools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import yaml

from clinic_site import pipeline
from clinic_site.finder import load_finder, schema, sitemaps, zip_positions
from clinic_site.problems import errors
from clinic_site.project import Project, Settings
from tests import harness
from tests.harness import PROJECT_ROOT


@functools.cache
def listing_files(root: Path = PROJECT_ROOT) -> dict[str, dict]:
    """The listing files of the project at `root` as written (id -> data), with the clinic's name,
    address and position filled into each listing at the clinic (`at_clinic: true`), whose file holds
    none of them, as the build fills them: load_finder with the project's settings (its clinic.yml)."""
    settings, problems = Settings.read(Project.find(root / "mkdocs.yml"))
    finder = load_finder(settings.extra, settings.docs_dir, root, pipeline.today(), config_file=root / "mkdocs.yml",
                         zip_lookup=zip_positions.cache_for(root / ".cache").lookup, clinic=settings.clinic)
    assert problems == [] and errors(finder.problems) == [], problems + finder.problems
    shown = {listing.id: listing for listing in finder.listings}
    found = {}
    for path in sorted(finder.settings.path("listings_dir", settings.docs_dir).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("at_clinic"):
            data.update({field: getattr(shown[path.stem], field) for field in schema.FROM_CLINIC})
        found[path.stem] = data
    return found


SAMPLES = listing_files()
SAMPLE_IDS = sorted(SAMPLES)
IN_IL = Counter(data["city"] for data in SAMPLES.values() if data["state"] == "IL")   # city -> listings


def _links(read_page, path: str, selector: str = "article a[href]") -> set[str]:
    """The site paths the page at `path` links to from its content (relative links resolved)."""
    base = "https://example.org/" + path
    found = set()
    for a in read_page(path).select(selector):
        url = urljoin(base, a["href"]).split("#")[0]
        if url.startswith("https://example.org/"):
            found.add(url.removeprefix("https://example.org/"))
    return found


def test_every_listing_is_two_clicks_from_the_directory_without_scripts(read_page, site_dir):
    # What a visitor without JavaScript can follow: the directory's list of states and cities,
    # then a city page's list; walked link by link, two clicks deep.
    directory = read_page("therapists/")
    plain = directory.select_one(".finder-states")
    assert plain is not None and plain.find_parent(attrs={"hidden": True}) is None
    first = _links(read_page, "therapists/", ".finder-states a[href]")
    reached = set(first)
    for path in first:
        assert (site_dir / path / "index.html").is_file(), path
        reached |= _links(read_page, path)
    listings = {f"therapists/{i}/" for i in SAMPLE_IDS}
    assert listings <= reached
    assert len(SAMPLE_IDS) >= 25


def test_the_directory_page_holds_no_listing(read_page):
    page = read_page("therapists/")
    assert not page.select(".finder-item") and not page.select("#finder-list li")
    links = _links(read_page, "therapists/", "a[href]")
    assert not links & {f"therapists/{i}/" for i in SAMPLE_IDS}
    assert "Sample Therapist" not in page.select_one("article").get_text()


def test_the_directory_lists_states_and_cities_with_counts_linking_to_their_pages(read_page, site_dir):
    plain = read_page("therapists/").select_one(".finder-states")
    states = plain.select("h3.finder-state")
    assert [h.a.get_text() for h in states] == ["Colorado", "Illinois", "North Carolina", "Oregon", "Texas",
                                                "Washington"]
    illinois = states[1]
    assert illinois.a["href"] == "states/il/"
    assert illinois.small.get_text() == f"{sum(IN_IL.values())} listed therapists"
    cities = [li.get_text(" ", strip=True) for li in illinois.find_next_sibling("ul").select("li")]
    assert cities == [f"{city} ({n} therapist{'' if n == 1 else 's'})" for city, n in sorted(IN_IL.items())]
    assert IN_IL["Springfield"] == 3
    # one line per city, no listing: the list does not grow with the listings in a city
    assert len(plain.select("li")) == len(list((site_dir / "therapists/cities").iterdir()))
    assert not plain.select("li.finder-item") and "Sample Therapist" not in plain.get_text()


def test_a_state_page_lists_its_cities_and_is_linked_from_them(read_page):
    page = read_page("therapists/states/il/")
    assert page.find("h1").get_text() == "Medical massage in Illinois"
    assert f"{sum(IN_IL.values())} listed therapists in 2 cities in Illinois" in page.get_text(" ", strip=True)
    assert _links(read_page, "therapists/states/il/", ".finder-state-cities > li > a") == {
        "therapists/cities/chicago-il/", "therapists/cities/springfield-il/"}
    # and under each city its therapists, so that every listing is two clicks from the directory
    in_illinois = {f"therapists/{i}/" for i, data in SAMPLES.items() if data["state"] == "IL"}
    assert _links(read_page, "therapists/states/il/", ".finder-state-people a") == in_illinois
    assert "therapists/states/il/" in _links(read_page, "therapists/cities/chicago-il/")
    assert "therapists/" in _links(read_page, "therapists/states/il/")


def test_the_clinics_own_therapists_say_at_our_clinic(read_page):
    clinic = Settings.read(Project.find(PROJECT_ROOT / "mkdocs.yml"))[0].clinic   # clinic.yml
    for path in ("therapists/sample-iris-testwell/", "therapists/sample-arden-sampleton/",
                 "therapists/sample-briar-example/"):
        page = read_page(path)
        assert page.select_one(".finder-badge--clinic").get_text() == "At our clinic"
        assert "100 Example Avenue, Suite 5" in page.find("address").get_text()
        # the clinic block's name and address, which the listing file does not hold
        assert page.find("address").get_text("|") == (
            f"{clinic['name']}|{clinic['street']}|{clinic['city']}|, {clinic['state']} {clinic['zip']}")
    city = read_page("therapists/cities/springfield-il/")
    assert len(city.select("li.finder-item .finder-badge--clinic")) == 3
    assert not read_page("therapists/sample-avery-sampleton/").select(".finder-badge--clinic")


def test_directory_is_in_the_nav_with_a_description_and_ordering_note(read_page):
    page = read_page("therapists/")
    assert any(a.get_text(strip=True) == "Find a therapist" for a in page.select("nav.md-nav--primary a"))
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert 50 <= len(description) <= 160
    note = page.find(id="how-results-are-ordered").find_next("p").get_text(" ", strip=True)
    assert "nearest first" in note and "Nobody pays to be listed" in note


def test_finder_script_loads_on_the_directory_only(read_page):
    def scripts(path):
        return [s.get("src", "") for s in read_page(path).find_all("script")]
    assert any(src.endswith("assets/finder.js") for src in scripts("therapists/"))
    assert not any("finder.js" in src for src in scripts("therapists/sample-avery-sampleton/"))
    assert not any("finder.js" in src for src in scripts(""))


def test_a_listing_page_has_license_board_call_report_and_json_ld(read_page):
    page = read_page("therapists/sample-avery-sampleton/")
    text = page.get_text(" ", strip=True)
    assert page.find("h1").get_text() == "Sample Therapist Avery Sampleton"
    assert "Sample listing" in text and "not a real therapist" in text
    assert "MT-SAMPLE-1001 (TX)" in text and "last verified" in text and "Listing last updated" in text
    board = page.find("a", string=re.compile("Check this license"))
    assert board["href"] == "https://www.tdlr.texas.gov/LicenseSearch/"
    assert page.find("a", href="tel:+15125550101")
    report = page.find("a", string="Report outdated information")["href"]
    assert report.startswith("mailto:listings@example.org?subject=Outdated%20listing%3A%20sample-avery-sampleton")
    assert "Austin" in page.find("address").get_text()
    # A massage therapist's practice (LMT, CLT): a MedicalBusiness, not Physiotherapy (issue 24).
    [data] = [d for d in (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))
              if d.get("@type") == "MedicalBusiness"]
    assert "medicalSpecialty" not in data
    assert data["address"]["@type"] == "PostalAddress" and data["address"]["postalCode"] == "78701"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert data["telephone"] == "+15125550101"
    assert data["url"] == "https://example.org/therapists/sample-avery-sampleton/"


def test_one_city_page_per_city_with_listings_only(site_dir, read_page):
    cities = sorted(p.name for p in (site_dir / "therapists/cities").iterdir())
    assert cities == ["austin-tx", "chicago-il", "denver-co", "portland-or", "raleigh-nc", "seattle-wa",
                      "springfield-il"]
    assert sorted(p.name for p in (site_dir / "therapists/states").iterdir()) == ["co", "il", "nc", "or", "tx", "wa"]
    page = read_page("therapists/cities/austin-tx/")
    assert page.find("h1").get_text() == "Medical massage in Austin, TX"
    assert page.title.get_text().startswith("Medical massage in Austin, TX")
    in_austin = sum(data["city"] == "Austin" for data in SAMPLES.values())
    assert f"{in_austin} listed therapists in Austin, TX" in page.get_text(" ", strip=True)
    items = page.select("li.finder-item")
    assert len(items) == in_austin
    for li in items:   # a call button (a 44 px target on phones, tests/test_accessibility.py) naming whom it calls
        call = li.select_one('a.md-button[href^="tel:+1"]')
        assert call.get_text().startswith("Call (") and li.a.get_text() in call.get_text()
    assert page.select_one(".finder-sample-note")
    links = [a["href"] for a in read_page("therapists/").select(".finder-cities a")]
    assert sorted(links) == sorted(f"cities/{c}/" for c in cities)


def test_the_finders_pages_have_the_menus_top_level_with_links_that_work(read_page, site_dir):
    # overrides/partials/nav.html draws the menu of the finder's generated pages pruned (Material's
    # navigation.prune): every top-level entry of the menu any page outside it shows, each section
    # as one link to its first page, with links that work from each page; the same on all of them.
    def menu(url):
        sidebar = read_page(url).select_one("div.md-sidebar--primary")
        for tag in sidebar.select("[href], [src]"):  # relative links and images, as absolute paths
            for name in ("href", "src"):
                if tag.get(name):
                    tag[name] = urljoin("https://example.org/" + url, tag[name])
        return sidebar

    def top_level(sidebar):
        return [" ".join(li.find(["a", "label"]).get_text().split())
                for li in sidebar.select("nav.md-nav--primary > ul > li")]

    people_page = menu("people/alex-example/")  # not in the menu either, drawn in full
    pages = ["therapists/sample-avery-sampleton/", "therapists/sample-finley-sampleton/",
             "therapists/cities/austin-tx/", "therapists/cities/denver-co/", "therapists/states/il/",
             "therapists/states/tx/"]
    menus = [menu(url) for url in pages]
    assert all(str(found) == str(menus[0]) for found in menus), "the pruned menu differs between pages"
    assert top_level(menus[0]) == top_level(people_page)
    assert len(menus[0].select("li")) < len(people_page.select("li")) / 2
    for link in menus[0].select("a[href]"):
        path = link["href"].removeprefix("https://example.org/").split("#")[0]
        assert (site_dir / path / "index.html").is_file() or (site_dir / path).is_file(), link["href"]
    assert "https://example.org/guide/" in {a["href"] for a in menus[0].select("a[href]")}
    # the page's own title is still its own
    assert read_page("therapists/sample-finley-sampleton/").title.get_text().startswith("Sample Therapist Finley")


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _sitemap(path: Path) -> dict[str, str | None]:
    root = ET.parse(path).getroot()
    return {url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod") for url in root}


def test_sitemap_xml_holds_the_sites_own_pages_and_an_index_names_the_finders(site_dir):
    # Material's JavaScript fetches sitemap.xml on every page load: it holds no finder page.
    own = _sitemap(site_dir / "sitemap.xml")
    assert "https://example.org/therapists/" in own and "https://example.org/guide/" in own
    assert not [loc for loc in own if re.search(r"/therapists/.+", loc)]
    index = ET.parse(site_dir / "sitemap-index.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    named = [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert named == ["https://example.org/sitemap.xml", "https://example.org/sitemap-finder-1.xml"]
    finder = _sitemap(site_dir / "sitemap-finder-1.xml")
    assert len(finder) <= sitemaps.MAX_URLS
    expected = {f"https://example.org/therapists/{i}/" for i in SAMPLE_IDS} | {
        f"https://example.org/therapists/{kind}/{p.name}/" for kind in ("cities", "states")
        for p in (site_dir / "therapists" / kind).iterdir()}
    assert set(finder) == expected
    assert finder["https://example.org/therapists/sample-avery-sampleton/"] == "2026-11-10"  # its last_updated
    robots = (site_dir / "robots.txt").read_text().splitlines()
    assert "Sitemap: https://example.org/sitemap-index.xml" in robots


def test_finder_sitemaps_split_at_the_protocols_limit(tmp_path):
    entries = [(f"https://example.org/therapists/t{n}/", "2026-11-01") for n in range(5)]
    names = sitemaps.write(tmp_path, "https://example.org/", entries, max_urls=2)
    assert names == ["sitemap-finder-1.xml", "sitemap-finder-2.xml", "sitemap-finder-3.xml", "sitemap-index.xml"]
    assert [len(_sitemap(tmp_path / name)) for name in names[:3]] == [2, 2, 1]
    assert sitemaps.urlset([("https://example.org/a?b&c", None)]).count("&amp;") == 1


def test_search_finds_cities_by_name_and_therapists_by_name_through_their_city(site_dir):
    pages = {page["url"]: page for page in harness.indexed_pages(site_dir)}   # the site search's index
    assert pages["/therapists/cities/austin-tx/"]["meta"]["title"] == "Medical massage in Austin, TX"
    # listing pages are left out of the index; their names are in their city page's text, and only those
    assert not [url for url in pages if re.fullmatch(r"/therapists/sample-[^/]+/", url)]
    austin = pages["/therapists/cities/austin-tx/"]["content"]
    assert "Sample Therapist Avery Sampleton" in austin
    assert "Sample Austin Medical Massage Clinic" not in austin and "555" not in austin
    assert "Medical massage in Illinois" == pages["/therapists/states/il/"]["meta"]["title"]
    assert "Chicago" not in pages["/therapists/states/il/"]["content"]   # its city list is not indexed
    # the directory's lists are left out of the index (each city has its own page)
    assert "Sample Therapist Avery" not in pages["/therapists/"]["content"]
    assert "Springfield (3" not in pages["/therapists/"]["content"]


def test_listing_and_city_pages_show_their_states_card(read_page, site_dir):
    def card(path):
        tag = read_page(path).find("meta", property="og:image")
        return tag["content"] if tag else None
    il = card("therapists/states/il/")
    assert il == "https://example.org/assets/images/social/therapists/states/il.png"
    assert (site_dir / "assets/images/social/therapists/states/il.png").is_file()
    assert card("therapists/cities/chicago-il/") == card("therapists/sample-iris-testwell/") == il
    assert card("therapists/sample-avery-sampleton/") == card("therapists/states/tx/")
    twitter = read_page("therapists/sample-iris-testwell/").find("meta", attrs={"name": "twitter:image"})
    assert twitter["content"] == il
    # no card is drawn for a listing or a city page
    assert not (site_dir / "assets/images/social/therapists/sample-iris-testwell.png").exists()
    assert not (site_dir / "assets/images/social/therapists/cities").exists()


def test_zip_shards_are_small_and_match_the_package(site_dir):
    shard = json.loads((site_dir / "therapists/zip/78.json").read_text())
    lat, lon, _ = zip_positions.cache_for(PROJECT_ROOT / ".cache").lookup("78701")
    assert shard["78701"] == [round(lat, 4), round(lon, 4)]
    shards = {p.stem: p.stat().st_size for p in (site_dir / "therapists/zip").glob("*.json")}
    # One file per 2-digit prefix (00-99 minus the few unused), none over 20 kB before compression.
    assert 95 <= len(shards) <= 100 and all(len(prefix) == 2 for prefix in shards)
    assert max(shards.values()) < 20_000


def test_listing_data_files_are_not_published(site_dir):
    assert not (site_dir / "therapists/listings").exists()
    assert not (site_dir / "therapists/licensing-boards.yml").exists()
