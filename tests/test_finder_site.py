"""The therapist finder in the site built once per session (real `mkdocs build --strict`)."""
import json
import re
from pathlib import Path
from urllib.parse import urljoin

from clinic_site.finder import zip_positions

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_IDS = sorted(p.stem for p in (PROJECT_ROOT / "docs/therapists/listings").glob("*.yml"))


def test_directory_lists_every_listing_in_plain_html(read_page, site_dir):
    page = read_page("therapists/")
    items = page.select("#finder-list > li.finder-item")
    assert len(items) == len(SAMPLE_IDS) >= 25
    hrefs = sorted(li.select_one("a.finder-item__name")["href"] for li in items)
    assert hrefs == [f"{i}/" for i in SAMPLE_IDS]
    for href in hrefs:
        assert (site_dir / "therapists" / href / "index.html").is_file()
    assert "finder-form" in page.select_one("#finder-form")["class"]  # shown only when scripts run (finder.css)
    assert "Sample listings" in page.select_one(".finder-sample-note").get_text()


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
    [data] = [d for d in (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))
              if d.get("@type") == "Physiotherapy"]
    assert data["address"]["@type"] == "PostalAddress" and data["address"]["postalCode"] == "78701"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert data["telephone"] == "+15125550101"
    assert data["url"] == "https://example.org/therapists/sample-avery-sampleton/"


def test_one_city_page_per_city_with_listings_only(site_dir, read_page):
    cities = sorted(p.name for p in (site_dir / "therapists/cities").iterdir())
    assert cities == ["austin-tx", "chicago-il", "denver-co", "portland-or", "raleigh-nc", "seattle-wa"]
    assert not (site_dir / "therapists/cities/springfield-il").exists()  # the clinic's city has no listing
    page = read_page("therapists/cities/austin-tx/")
    assert page.find("h1").get_text() == "Medical massage in Austin, TX"
    assert page.title.get_text().startswith("Medical massage in Austin, TX")
    assert "5 therapists in Austin, TX" in page.get_text(" ", strip=True)
    assert len(page.select("li.finder-item")) == 5
    assert page.select_one(".finder-sample-note")
    links = [a["href"] for a in read_page("therapists/").select(".finder-cities a")]
    assert sorted(links) == sorted(f"cities/{c}/" for c in cities)


def test_listing_and_city_pages_have_the_menu_any_page_outside_it_has(read_page):
    # overrides/finder-page.html draws their menu once per folder and reuses it: it must be
    # what Material draws for any page outside the menu, with links that work from each page.
    def menu(url):
        sidebar = read_page(url).select_one("div.md-sidebar--primary")
        for tag in sidebar.select("[href], [src]"):  # relative links and images, as absolute paths
            for name in ("href", "src"):
                if tag.get(name):
                    tag[name] = urljoin("https://example.org/" + url, tag[name])
        return str(sidebar)
    people_page = menu("people/alex-example/")  # not in the menu either, drawn as usual
    assert "https://example.org/therapists/" in people_page
    for url in ["therapists/sample-avery-sampleton/", "therapists/sample-finley-sampleton/",
                "therapists/cities/austin-tx/", "therapists/cities/denver-co/"]:
        assert menu(url) == people_page, url
    # the page's own title is still its own
    assert read_page("therapists/sample-finley-sampleton/").title.get_text().startswith("Sample Therapist Finley")


def test_generated_pages_are_in_the_sitemap_and_search_index(site_dir):
    sitemap = (site_dir / "sitemap.xml").read_text()
    for page in ("therapists/", "therapists/sample-avery-sampleton/", "therapists/cities/denver-co/"):
        assert f"<loc>https://example.org/{page}</loc>" in sitemap
    listing = re.search(r"<loc>https://example.org/therapists/sample-avery-sampleton/</loc>\s*<lastmod>([\d-]+)",
                        sitemap)
    assert listing.group(1) == "2026-11-10"  # the listing's last_updated
    docs = json.loads((site_dir / "search/search_index.json").read_text())["docs"]
    by_location = {doc["location"]: doc for doc in docs}
    assert by_location["therapists/cities/austin-tx/"]["title"] == "Medical massage in Austin, TX"
    assert "therapists/sample-avery-sampleton/" in by_location
    # the directory's long list is left out of the index (each listing has its own page)
    assert "Sample Therapist Avery" not in json.dumps(by_location["therapists/"])


def test_zip_shards_are_small_and_match_the_package(site_dir):
    shard = json.loads((site_dir / "therapists/zip/78.json").read_text())
    lat, lon, _ = zip_positions.lookup("78701")
    assert shard["78701"] == [round(lat, 4), round(lon, 4)]
    shards = {p.stem: p.stat().st_size for p in (site_dir / "therapists/zip").glob("*.json")}
    # One file per 2-digit prefix (00-99 minus the few unused), none over 20 kB before compression.
    assert 95 <= len(shards) <= 100 and all(len(prefix) == 2 for prefix in shards)
    assert max(shards.values()) < 20_000


def test_listing_data_files_are_not_published(site_dir):
    assert not (site_dir / "therapists/listings").exists()
    assert not (site_dir / "therapists/licensing-boards.yml").exists()
