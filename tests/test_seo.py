"""What search engines and link previews read: titles, descriptions, cards, structured data, sitemap."""
from __future__ import annotations

import datetime as dt
import json
import re
import struct
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
import yaml
from mkdocs.utils.meta import get_data

from clinic_site import clinic_settings
from tests.harness import PROJECT_ROOT, project_clinic

CONFIG = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]
CLINIC = project_clinic()
DETAILS = clinic_settings.clinic_details(CLINIC)
DOCS = PROJECT_ROOT / "docs"
PEOPLE = yaml.safe_load((DOCS / "blog" / ".authors.yml").read_text(encoding="utf-8"))["authors"]


def structured_data(page) -> dict[str, dict]:
    """Each JSON-LD block of a page, by its @type; json.loads fails on invalid JSON."""
    blocks = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    return {block["@type"]: block for block in blocks}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_page_has_a_unique_title(site_pages):
    titles = Counter(page.title.get_text() for page in site_pages.values())
    assert [title for title, count in titles.items() if count > 1] == []


def test_every_page_has_a_canonical_url_and_a_preview_card(site_pages, site_dir):
    for path, page in site_pages.items():
        assert page.select_one('link[rel="canonical"]')["href"] == SITE_URL + path, path
        meta = {tag.get("property") or tag.get("name"): tag.get("content") for tag in page.select("meta")}
        for key in ("og:title", "og:description", "og:url", "og:image", "twitter:card", "twitter:title",
                    "twitter:description", "twitter:image"):
            assert meta.get(key), f"{path} lacks {key}"
        assert meta["og:url"] == SITE_URL + path and meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        assert image.startswith(SITE_URL) and image == meta["twitter:image"]
        assert png_size((site_dir / image.removeprefix(SITE_URL)).read_bytes()) == (1200, 630), path


def test_preview_cards_differ_from_page_to_page(site_pages, site_dir):
    # except the finder's listing and city pages, which show their state page's card (tests/test_finder_site.py)
    own = [page for path, page in site_pages.items() if not re.fullmatch(r"therapists/(cities/)?[^/]+/", path)]
    images = {page.select_one('meta[property="og:image"]')["content"] for page in own}
    assert len(images) == len(own)


def test_the_home_page_describes_the_clinic(site_pages):
    clinic = structured_data(site_pages[""])["MedicalClinic"]
    assert clinic["@id"] == SITE_URL + "#clinic"
    assert clinic["name"] == CLINIC["name"] and clinic["telephone"] == DETAILS.phone_e164 == "+12175550100"
    assert clinic["url"] == SITE_URL and clinic["image"] == SITE_URL + CLINIC["logo"]
    assert clinic["address"] == {"@type": "PostalAddress", "streetAddress": CLINIC["street"],
                                 "addressLocality": CLINIC["city"], "addressRegion": CLINIC["state"],
                                 "postalCode": CLINIC["zip"], "addressCountry": "US"}
    assert clinic["geo"] == {"@type": "GeoCoordinates", "latitude": CLINIC["latitude"],
                             "longitude": CLINIC["longitude"]}
    assert clinic["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": row["days"], "opens": row["opens"],
         "closes": row["closes"]} for row in CLINIC["hours"]]
    assert clinic["potentialAction"]["target"]["urlTemplate"] == CLINIC["booking_url"]
    assert [service["name"] for service in clinic["availableService"]] == [s["name"] for s in CLINIC["services"]]


def test_the_clinic_is_described_on_the_home_page_only_and_referred_to_by_its_id(site_pages):
    for path, page in site_pages.items():
        blocks = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
        clinics = [block for block in blocks if block.get("@type") == "MedicalClinic"]
        assert len(clinics) == (1 if path == "" else 0), path
        if path:  # each page's own object (WebPage, MedicalWebPage, BlogPosting) names its publisher by @id
            [own] = [block for block in blocks if "publisher" in block]
            assert own["publisher"] == {"@id": SITE_URL + "#clinic"}, path


def test_titles_name_the_clinic(site_pages):
    home = site_pages[""].title.get_text()
    assert len(home) <= 60, home
    for part in (DETAILS.short_name, DETAILS.city, DETAILS.state, DETAILS.services[0].name):
        assert part in home, (part, home)
    for path, page in site_pages.items():
        if path:
            assert page.title.get_text().endswith(f" | {DETAILS.short_name}"), path
            assert page.select_one('meta[property="og:title"]')["content"] == page.title.get_text(), path


def test_the_home_description_names_the_clinic_its_place_and_services(site_pages):
    description = site_pages[""].select_one('meta[name="description"]')["content"]
    for part in (DETAILS.short_name, DETAILS.city_state, DETAILS.services[0].name.lower(),
                 DETAILS.services[1].name.lower()):
        assert part in description, (part, description)
    assert site_pages[""].select_one('meta[property="og:description"]')["content"] == description


def test_blog_posts_are_articles_for_link_previews(site_pages):
    for path, page in site_pages.items():
        meta = {tag.get("property"): tag["content"] for tag in page.select("meta[property]")}
        if not path.startswith("blog/2"):
            assert meta["og:type"] == "website", path
            continue
        source = next((DOCS / "blog" / "posts").glob(f"{path.rstrip('/').rsplit('/', 1)[-1]}.md"))
        front = get_data(source.read_text(encoding="utf-8"))[1]
        assert meta["og:type"] == "article", path
        assert meta["article:published_time"].startswith(str(front["date"]["created"])), path
        authors = [tag["content"] for tag in page.select('meta[property="article:author"]')]
        assert authors == [SITE_URL + PEOPLE[author]["url"] for author in front["authors"]], path


def test_every_page_below_home_has_breadcrumbs_ending_at_itself(site_pages):
    for path, page in site_pages.items():
        if path == "":
            continue
        crumbs = structured_data(page)["BreadcrumbList"]["itemListElement"]
        assert crumbs[0]["item"] == SITE_URL and crumbs[-1]["item"] == SITE_URL + path, path
        assert [crumb["position"] for crumb in crumbs] == list(range(1, len(crumbs) + 1))


@pytest.mark.parametrize("source", sorted((DOCS / "guide").glob("*.md")), ids=lambda s: s.stem)
def test_guide_pages_awaiting_review_claim_no_review_to_search_engines(source, read_page):
    # The sample site's reviewer is a sample person: its guide pages are plain WebPages, with no
    # lastReviewed or reviewedBy (issue 22). A page a real person reviewed is a MedicalWebPage with
    # both: test_site.py, test_a_page_a_real_person_reviewed_shows_who_and_when.
    meta = get_data(source.read_text(encoding="utf-8"))[1]
    assert PEOPLE[meta["reviewed_by"]].get("sample"), f"{source.name}: reviewed by a real person on the sample site"
    path = "guide/" if source.stem == "index" else f"guide/{source.stem}/"
    data = structured_data(read_page(path))
    assert set(data) == {"BreadcrumbList", "WebPage"}
    page = data["WebPage"]
    assert page["url"] == SITE_URL + path and page["description"] == meta["description"]
    assert not {"lastReviewed", "reviewedBy"} & set(page)


def test_blog_posts_are_blog_postings(site_pages):
    posts = {path: page for path, page in site_pages.items() if path.startswith("blog/2")}
    assert len(posts) == 2
    for page in posts.values():
        post = structured_data(page)["BlogPosting"]
        assert post["publisher"] == {"@id": SITE_URL + "#clinic"}
        assert post["headline"] == " ".join(page.select_one("article h1").get_text().split()).rstrip("¶ ")
        assert post["datePublished"] <= post["dateModified"]
        assert post["author"] and all(author["name"] for author in post["author"])
        assert post["image"] == page.select_one('meta[property="og:image"]')["content"]


def test_people_named_on_the_site_have_pages_linked_from_their_work(read_page):
    for person in PEOPLE.values():
        page = read_page(person["url"])
        assert " ".join(page.select_one("article h1").get_text().split()).rstrip("¶ ") == person["name"]
    post = read_page("blog/2026/11/02/medical-massage-and-physical-therapy/")
    assert post.find("a", string=PEOPLE["sam-sample"]["name"])


def test_the_sitemap_lists_every_page_with_its_own_last_modified_date(site_pages, site_dir):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    # sitemap.xml and the finder's sitemaps, as sitemap-index.xml names them (clinic_site.finder.sitemaps)
    files = [loc.text.removeprefix(SITE_URL) for loc in ET.parse(site_dir / "sitemap-index.xml").getroot().iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert files[0] == "sitemap.xml"
    entries = {url.findtext("s:loc", namespaces=namespace): url.findtext("s:lastmod", namespaces=namespace)
               for name in files for url in ET.parse(site_dir / name).getroot()}
    assert {SITE_URL + path for path in site_pages} <= set(entries)
    safety = get_data((DOCS / "guide" / "safety-and-contraindications.md").read_text(encoding="utf-8"))[1]
    assert entries[SITE_URL + "guide/safety-and-contraindications/"] == safety["last_reviewed"].isoformat()
    post = get_data((DOCS / "blog" / "posts" / "welcome-to-our-guide.md").read_text(encoding="utf-8"))[1]
    assert entries[SITE_URL + "blog/2026/11/20/welcome-to-our-guide/"] == str(
        post["date"].get("updated") or post["date"]["created"])
    assert len(set(entries.values())) > 1, "every page has the same date: the build date, not the real one"


def test_robots_txt_points_to_the_sitemap(site_dir):
    assert f"Sitemap: {SITE_URL}sitemap-index.xml" in (site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()


def test_the_404_page_offers_ways_on(read_page):
    page = read_page("404.html")
    assert page.select_one("article h1").get_text() == "We can't find that page"
    links = {a["href"] for a in page.select("article a")}
    assert {"/guide/", "/blog/", SITE_URL} <= links


def test_an_old_address_redirects_to_the_page_it_became(site_dir):
    redirects = CONFIG["plugins"][[next(iter(p)) if isinstance(p, dict) else p
                                   for p in CONFIG["plugins"]].index("redirects")]["redirects"]["redirect_maps"]
    for old in redirects:
        html = (site_dir / old.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' in html
        target = html.split('url=', 1)[1].split('"', 1)[0]
        resolved = (site_dir / old.removesuffix(".md") / target / "index.html").resolve()
        assert resolved.is_file(), (old, target)
        assert "<h1" in resolved.read_text(encoding="utf-8")


def test_structured_data_cannot_close_its_script_element():
    from clinic_site.seo import script_json
    text = script_json({"name": "</script><script>alert(1)</script> & co"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & co"


def test_last_modified_prefers_front_matter_dates_then_git():
    import datetime as dt

    from clinic_site.seo import git_dates, last_modified
    log = "2026-11-20\n\ndocs/a.md\ndocs/b.md\n2026-10-01\n\ndocs/a.md\ndocs/c.md\n"
    assert git_dates(log) == {"docs/a.md": "2026-11-20", "docs/b.md": "2026-11-20", "docs/c.md": "2026-10-01"}
    assert last_modified({"date": {"created": dt.date(2026, 1, 2), "updated": dt.date(2026, 3, 4)}}, "x") == \
        "2026-03-04"
    assert last_modified({"last_reviewed": dt.date(2026, 5, 6)}, "2026-11-20") == "2026-05-06"
    assert last_modified({}, "2026-11-20") == "2026-11-20"


def test_json_ld_is_plain_text_safe_in_a_script_element():
    from clinic_site.seo import script_json
    text = script_json({"name": "Pat O'Brien & \"Sons\" <b>"})
    assert "&#" not in text and "&amp;" not in text and "<" not in text
    assert json.loads(text)["name"] == "Pat O'Brien & \"Sons\" <b>"


def test_preview_tags_are_escaped_once():
    from bs4 import BeautifulSoup

    from clinic_site.render import meta_tags
    from clinic_site.seo import replace_head_tags, social_tags
    description = 'Why "ice" & heat <help> the O\'Brien way'
    tags = social_tags(title='A "quoted" title | Riverbend Clinic', description=description,
                       url="https://example.org/a/", site_name="Riverbend Clinic",
                       image={"url": "https://example.org/a.png", "type": "image/png", "width": "1200",
                              "height": "630"},
                       article={"published": dt.date(2026, 11, 20), "modified": dt.date(2026, 11, 21),
                                "authors": ["https://example.org/people/a/"]})
    page_text = f'<html><head><meta name="description" content="{description}">\n' \
              f'<meta property="og:type" content="website" />\n<meta property="og:title" content="x "y"" />\n' \
              f'</head><body></body></html>'
    assert ("property", "og:description", description) in tags
    assert ("name", "twitter:card", "summary_large_image") in tags
    assert all(value for _kind, _name, value in tags)   # a tag without a value is left out
    out = replace_head_tags(page_text, written=description, description=description, tags=meta_tags(tags))
    page = BeautifulSoup(out, "html.parser")
    assert page.select_one('meta[name="description"]')["content"] == description
    assert page.select_one('meta[property="og:description"]')["content"] == description
    assert page.select_one('meta[name="twitter:description"]')["content"] == description
    assert page.select_one('meta[property="og:title"]')["content"] == 'A "quoted" title | Riverbend Clinic'
    assert [tag["content"] for tag in page.select('meta[property="og:type"]')] == ["article"]
    assert page.select_one('meta[property="article:published_time"]')["content"] == "2026-11-20"
    assert page.select_one('meta[property="og:image:width"]')["content"] == "1200"


def test_the_home_title_fits_in_60_characters_whatever_the_names():
    from clinic_site.seo import home_title
    assert home_title(DETAILS) == "Riverbend Clinic: Medical massage in Springfield, IL"
    long_city = clinic_settings.clinic_details({**CLINIC, "city": "Rancho Santa Margarita Heights"})
    assert len(home_title(long_city)) <= 60 and "Rancho Santa Margarita Heights" in home_title(long_city)


def test_head_texts_are_escaped_once(site_pages, read_page):
    # Read by a parser, no text keeps an entity: one left over would mean it was escaped twice.
    entity = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
    for path, page in {**site_pages, "404.html": read_page("404.html")}.items():
        texts = [page.title.get_text()] + [tag["content"] for tag in page.select(
            'meta[name="description"], meta[property^="og:"], meta[name^="twitter:"], meta[property^="article:"]')]
        assert [text for text in texts if entity.search(text)] == [], path
    assert read_page("404.html").title.get_text() == f"Page not found | {DETAILS.short_name}"
    call = read_page("404.html").select_one("article a[href^='tel:']")
    assert (call["href"], call.get_text(" ", strip=True)) == (DETAILS.phone_tel, f"Call {DETAILS.phone_display}")


def test_the_clinic_object_leaves_out_what_the_block_does_not_give():
    from clinic_site.seo import medical_clinic
    bare = clinic_settings.clinic_details({**CLINIC, "booking_url": None, "directions_url": None, "email": None,
                                           "latitude": None, "longitude": None, "services": []})
    data = medical_clinic(bare, "https://example.org/")
    assert data["@id"] == "https://example.org/#clinic" and data["telephone"] == "+12175550100"
    assert not {"potentialAction", "geo", "hasMap", "email", "availableService"} & set(data)
    full = medical_clinic(DETAILS, "https://example.org/", {"guide/what-is-medical-massage.md": "https://x/y/"})
    assert full["potentialAction"]["@type"] == "ReserveAction" and full["hasMap"] == CLINIC["directions_url"]
    assert full["availableService"][0] == {"@type": "MedicalTherapy", "name": "Medical massage", "url": "https://x/y/",
                                           "description": CLINIC["services"][0]["summary"]}


def test_pages_name_the_clinic_by_its_id_only():
    from clinic_site.seo import blog_posting, medical_web_page, web_page
    site = "https://example.org/"
    post = blog_posting(headline="H", description="D", url=site + "p/", image=site + "i.png",
                        published=dt.date(2026, 11, 20), modified=dt.datetime(2026, 11, 21, 9, 30),
                        authors=[{"name": "Sam Sample", "absolute_url": site + "people/sam/"}], site_url=site)
    assert (post["datePublished"], post["dateModified"]) == ("2026-11-20", "2026-11-21T09:30:00")
    reviewed = medical_web_page(title="T", description="D", url=site + "g/", last_reviewed=dt.date(2026, 1, 2),
                                reviewer={"name": "Alex Example"}, site_url=site)
    plain = web_page(title="About", description="", url=site + "about/", site_url=site)
    for data in (post, reviewed, plain):
        assert data["publisher"] == {"@id": site + "#clinic"}
    assert "description" not in plain
