"""Issue 24, "Correct as published": what the site publishes says what staff meant.

One copy of the project, built in process (no cards, no spelling: they are not what is read here)
on a fixed day ($CLINIC_TODAY, as the run judges by pipeline.today()), with:
- a post dated 2026-11-24 (a date only: that day in the clinic's time zone, America/Chicago);
- a post dated after the day of the build (a draft until its day comes);
- a post of 2025 (its archive and category pages take its date in the sitemap);
- a lunch break (two rows of hours for the weekdays);
- an author whose `url:` is their own web address.
Feeds are read with an XML parser and json, head data with BeautifulSoup and json.
"""
from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree as SafeET

from clinic_site import new_post, pipeline
from devtools.project_copy import copy_project
from tests import harness

CHICAGO = ZoneInfo("America/Chicago")
BUILD_DAY = "2026-12-05"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OWN_ADDRESS = "https://www.linkedin.com/in/sample-person-24/"

POSTS = {
    "thanksgiving-hours.md": """---
date: 2026-11-24
authors:
  - web-author
categories:
  - Clinic news
description: Our opening hours around Thanksgiving, when the clinic closes early and opens again on the Monday after.
slug: thanksgiving-hours
---

# Thanksgiving hours

We close early on Wednesday and open again on Monday.
""",
    "closed-for-the-holidays.md": """---
date: 2026-12-24
authors:
  - riley-example
categories:
  - Clinic news
description: The clinic is closed for the holidays from December 24 to January 1 and opens again on January 2.
slug: closed-for-the-holidays
---

# Closed for the holidays

The clinic is closed from December 24 to January 1.
""",
    "last-year.md": """---
date: 2025-06-10
authors:
  - riley-example
categories:
  - Clinic news
description: A post from last year, so that its archive and category pages have a date of their own to show.
slug: last-year
---

# A post from last year

A short paragraph from last year.
""",
}
LUNCH_HOURS = """hours:
  - days: [Monday, Tuesday, Wednesday, Thursday, Friday]
    opens: "08:00"
    closes: "12:00"
  - days: [Monday, Tuesday, Wednesday, Thursday, Friday]
    opens: "13:00"
    closes: "18:00"
  - days: [Saturday]
    opens: "09:00"
    closes: "13:00"
"""


LISTING = """id: {id}
name: Sample Therapist {name}
credentials: [LMT]
license_number: MT-SAMPLE-{number}
license_state: TX
license_verified: 2026-11-20
clinic: Sample Fort Worth Clinic {number}
street: {number} Example Street
city: {city}
state: TX
zip: "76102"
latitude: 32.7589
longitude: -97.328
phone: 817-555-0{number}
specialties: [sports injuries]
payment: [self-pay]
languages: [English]
telehealth: false
home_visits: false
accepting_new_clients: true
last_updated: 2026-11-20
sample: true
"""
# One city written two ordinary ways, and the spelling most listings use.
FORT_WORTH = {"sample-fort-one": ("Fort One", "Fort Worth", "141"), "sample-fort-two": ("Fort Two", "Ft. Worth", "142"),
              "sample-fort-three": ("Fort Three", "Fort  Worth", "143")}


def _replace_hours(clinic_file: Path) -> None:
    lines = clinic_file.read_text(encoding="utf-8").split("\n")
    start = lines.index("hours:")
    end = next(number for number in range(start + 1, len(lines)) if not lines[number].startswith("  "))
    clinic_file.write_text("\n".join(lines[:start] + LUNCH_HOURS.rstrip("\n").split("\n") + lines[end:]),
                           encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("published") / "project", harness.PROJECT_ROOT)
    for name, text in POSTS.items():
        (root / "docs/blog/posts" / name).write_text(text, encoding="utf-8")
    authors = root / "docs/blog/.authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8") + f"""  web-author:
    name: Web Author, LMT (sample author)
    description: A sample author whose url is their own web address
    avatar: assets/avatar-sample.svg
    url: {OWN_ADDRESS}
""", encoding="utf-8")
    _replace_hours(root / "clinic.yml")
    for listing_id, (name, city, number) in FORT_WORTH.items():
        (root / "docs/therapists/listings" / f"{listing_id}.yml").write_text(
            LISTING.format(id=listing_id, name=name, city=city, number=number), encoding="utf-8")
    return root


def _build(project: Path, site: Path, mode: str = "build") -> pipeline.Run:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(pipeline.TODAY_VARIABLE, BUILD_DAY)
        if mode == "build":
            run = harness.build_in_process(project / "mkdocs.yml", site, spelling=False, cards=False)
        else:   # the preview's pass, written to a folder as `clinic serve` writes it
            run = pipeline.build(harness.Project.find(project / "mkdocs.yml"), site, mode=mode, spelling=False,
                                 cards=False)
    assert isinstance(run, pipeline.Run), str(run)
    return run


@pytest.fixture(scope="module")
def site(project, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("published-site")
    _build(project, folder)
    return folder


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def json_ld(soup: BeautifulSoup, type_name: str) -> dict:
    [found] = [data for script in soup.select('script[type="application/ld+json"]')
               for data in [json.loads(script.string)] if data.get("@type") == type_name]
    return found


def rss_items(site: Path, name: str) -> dict[str, ET.Element]:
    channel = SafeET.fromstring((site / name).read_bytes()).find("channel")
    return {entry.findtext("link"): entry for entry in channel.findall("item")}


def json_items(site: Path, name: str) -> dict[str, dict]:
    return {entry["url"]: entry for entry in json.loads((site / name).read_text(encoding="utf-8"))["items"]}


def sitemap(site: Path) -> dict[str, str | None]:
    root = SafeET.fromstring((site / "sitemap.xml").read_bytes())
    return {entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod") for entry in root}


# ---------------------------------------------------------------- dates in the clinic's time
THANKSGIVING = "https://example.org/blog/2026/11/24/thanksgiving-hours/"
MIDNIGHT_IN_CHICAGO = dt.datetime(2026, 11, 24, tzinfo=CHICAGO)   # 2026-11-24T00:00:00-06:00


@pytest.mark.build
def test_a_date_only_post_is_that_day_in_the_clinics_time_zone_in_both_feeds(site):
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        published = parsedate_to_datetime(rss_items(site, name)[THANKSGIVING].findtext("pubDate"))
        assert published == MIDNIGHT_IN_CHICAGO and published.utcoffset() == dt.timedelta(hours=-6), name
        assert published.date() == dt.date(2026, 11, 24)
    for name in ("feed_json_created.json", "feed_json_updated.json"):
        entry = json_items(site, name)[THANKSGIVING]
        for key in ("date_published", "date_modified"):
            moment = dt.datetime.fromisoformat(entry[key])
            assert moment == MIDNIGHT_IN_CHICAGO and entry[key] == "2026-11-24T00:00:00-06:00", (name, key)


@pytest.mark.build
def test_a_date_only_post_is_that_day_in_the_clinics_time_zone_in_its_head(site):
    soup = page(site, "blog/2026/11/24/thanksgiving-hours")
    posting = json_ld(soup, "BlogPosting")
    assert posting["datePublished"] == posting["dateModified"] == "2026-11-24T00:00:00-06:00"
    for prop in ("article:published_time", "article:modified_time"):
        value = soup.find("meta", property=prop)["content"]
        assert dt.datetime.fromisoformat(value) == MIDNIGHT_IN_CHICAGO, prop


# ---------------------------------------------------------------- posts dated ahead
AHEAD = "blog/2026/12/24/closed-for-the-holidays/"


@pytest.mark.build
def test_a_post_dated_after_the_build_is_not_published_anywhere(site):
    assert not (site / AHEAD).exists()
    assert not (site / "blog/archive/2026/page/2").exists()
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml", "feed_json_created.json",
                 "feed_json_updated.json", "sitemap.xml"):
        assert "closed-for-the-holidays" not in (site / name).read_text(encoding="utf-8"), name
    indexed = harness.indexed_pages(site)   # the site search's index
    assert indexed and not [page["url"] for page in indexed if "closed-for-the-holidays" in page["url"]
                            or "Closed for the holidays" in page["content"]]
    assert "2026-12-24" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    for html_file in site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "closed-for-the-holidays" not in text and "Closed for the holidays" not in text, html_file


@pytest.mark.build
def test_a_post_dated_after_the_build_is_published_on_its_day(project, tmp_path):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(pipeline.TODAY_VARIABLE, "2026-12-24")
        run = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False, cards=False)
    assert isinstance(run, pipeline.Run), str(run)
    assert (tmp_path / "site" / AHEAD / "index.html").is_file()
    assert "https://example.org/" + AHEAD in rss_items(tmp_path / "site", "feed_rss_created.xml")


@pytest.mark.build
def test_the_preview_shows_a_post_dated_ahead_as_a_draft(project, tmp_path):
    run = _build(project, tmp_path / "preview", mode="serve")
    assert (tmp_path / "preview" / AHEAD / "index.html").is_file()
    index = BeautifulSoup((tmp_path / "preview/blog/index.html").read_text(encoding="utf-8"), "html.parser")
    [excerpt] = [article for article in index.select("article")
                 if article.find("a", href=lambda href: href and "closed-for-the-holidays" in href)]
    assert excerpt.select_one(".md-draft"), "marked as a draft, as the blog marks drafts"
    [warning] = [problem for problem in run.problems if problem.path.endswith("closed-for-the-holidays.md")
                 and problem.field == "date"]
    assert "after today" in warning.what and not warning.is_error


# ---------------------------------------------------------------- a lunch break
@pytest.mark.build
def test_a_lunch_break_shows_in_the_footer_and_on_the_home_page(site):
    home = page(site, ".")
    for table in (home.select_one("table.clinic-footer__hours"), home.select_one("table.home-hours")):
        rows = {row.th.get_text(" ", strip=True): " ".join(row.td.get_text(" ", strip=True).split())
                for row in table.select("tbody tr")}
        assert rows == {"Monday to Friday": "8 am to noon and 1 pm to 6 pm", "Saturday": "9 am to 1 pm"}
    times = [time["datetime"] for time in home.select("table.home-hours time")]
    assert times == ["08:00", "12:00", "13:00", "18:00", "09:00", "13:00"]


@pytest.mark.build
def test_a_lunch_break_is_two_opening_hours_specifications(site):
    clinic = json_ld(page(site, "."), "MedicalClinic")
    monday = sorted((spec["opens"], spec["closes"]) for spec in clinic["openingHoursSpecification"]
                    if "Monday" in spec["dayOfWeek"])
    assert monday == [("08:00", "12:00"), ("13:00", "18:00")]


# ---------------------------------------------------------------- an author's own address
@pytest.mark.build
def test_an_authors_own_web_address_is_kept_as_it_is(site):
    soup = page(site, "blog/2026/11/24/thanksgiving-hours")
    [author] = json_ld(soup, "BlogPosting")["author"]
    assert author["url"] == OWN_ADDRESS
    assert [tag["content"] for tag in soup.find_all("meta", property="article:author")] == [OWN_ADDRESS]
    other = page(site, "blog/2026/11/20/welcome-to-our-guide")   # a page on this site: after site_url
    [riley] = json_ld(other, "BlogPosting")["author"]
    assert riley["url"] == "https://example.org/people/riley-example/"


# ---------------------------------------------------------------- sitemap dates
@pytest.mark.build
def test_blog_pages_in_the_sitemap_take_the_dates_of_the_posts_they_list(site):
    dates = sitemap(site)
    assert dates["https://example.org/blog/archive/2025/"] == "2025-06-10"
    assert dates["https://example.org/blog/archive/2026/"] == "2026-11-24"
    assert dates["https://example.org/blog/category/guide/"] == "2026-11-20"   # updated 2026-11-20
    assert dates["https://example.org/blog/category/clinic-news/"] == "2026-11-24"
    assert dates["https://example.org/blog/"] == "2026-11-24"   # a post appeared
    assert max(date for date in dates.values() if date) <= BUILD_DAY


# ---------------------------------------------------------------- one place, one page
@pytest.mark.build
def test_a_city_written_two_ordinary_ways_makes_one_city_page(site):
    cities = sorted(path.name for path in (site / "therapists/cities").iterdir() if "worth" in path.name)
    assert cities == ["fort-worth-tx"]
    city = page(site, "therapists/cities/fort-worth-tx")
    assert city.find("h1").get_text(strip=True) == "Medical massage in Fort Worth, TX"
    listed = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in city.select("a.finder-item__name")}
    assert listed == set(FORT_WORTH)
    for listing_id in FORT_WORTH:   # each listing's city links to the one page
        listing = page(site, f"therapists/{listing_id}")
        [href] = [a["href"] for a in listing.find("address").find_all("a")]
        assert href.rstrip("/").endswith("cities/fort-worth-tx")
    state = page(site, "therapists/states/tx")
    assert [a.get_text(strip=True) for a in state.find_all("a") if "fort-worth" in a.get("href", "")
            and "cities" in a["href"]] == ["Fort Worth, TX"]


# ---------------------------------------------------------------- the rules, without a build
def test_a_person_url_is_kept_when_whole_and_put_after_site_url_when_site_relative():
    from clinic_site import seo
    site = "https://example.org/clinic/"
    assert seo.absolute_url(OWN_ADDRESS, site) == OWN_ADDRESS
    assert seo.absolute_url("http://example.net/me", site) == "http://example.net/me"
    assert seo.absolute_url("people/alex-example/", site) == "https://example.org/clinic/people/alex-example/"
    assert seo.absolute_url("/people/alex-example/", site) == "https://example.org/clinic/people/alex-example/"
    assert seo.absolute_url("", site) is None and seo.absolute_url(None, site) is None


@pytest.mark.parametrize("serving, draft_on_serve, publish_drafts, expected", [
    (False, True, False, True), (False, True, True, True),   # the blog's `draft: true` does not publish it early
    (True, True, False, False), (True, False, False, True),  # the preview shows it when it shows drafts
])
def test_a_post_dated_ahead_is_a_draft_until_its_day(serving, draft_on_serve, publish_drafts, expected):
    from clinic_site.stage.blog import BlogSettings, is_draft
    blog = BlogSettings(draft=publish_drafts, draft_on_serve=draft_on_serve)
    meta = {"date": dt.date(2026, 12, 24)}
    assert is_draft(meta, blog, serving, dt.date(2026, 12, 23)) is expected
    assert is_draft(meta, blog, serving, dt.date(2026, 12, 24)) is False   # its day has come
    assert is_draft({"date": {"created": dt.datetime(2026, 12, 24, 9, 0)}}, blog, serving, dt.date(2026, 12, 23)) \
        is expected


def test_the_run_judges_by_the_clinics_day_unless_told_the_day(monkeypatch):
    monkeypatch.setenv(pipeline.TODAY_VARIABLE, "2026-12-24")
    assert pipeline.today(ZoneInfo("Pacific/Kiritimati")) == dt.date(2026, 12, 24)
    monkeypatch.delenv(pipeline.TODAY_VARIABLE)
    now = dt.datetime.now(dt.UTC)
    assert pipeline.today(ZoneInfo("Pacific/Kiritimati")) == now.astimezone(ZoneInfo("Pacific/Kiritimati")).date() \
        or dt.datetime.now(dt.UTC).date() != now.date()   # (unless midnight passed in between)


def test_the_deploy_workflow_rebuilds_every_day():
    import yaml
    workflow = yaml.safe_load((harness.PROJECT_ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]   # YAML 1.1 reads `on:` as true
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*") and minute.isdigit() and hour.isdigit()


@pytest.mark.parametrize("one, other", [("St. Louis", "Saint Louis"), ("St Louis", "saint louis"),
                                        ("Ft. Worth", "Fort Worth"), ("Mt. Vernon", "Mount Vernon"),
                                        ("Port St. Lucie", "Port Saint Lucie"), ("Cañon City", "Canon City"),
                                        ("Coeur d'Alene", "Coeur d’Alene"), ("Winston-Salem", "Winston Salem")])
def test_one_place_written_two_ordinary_ways_has_one_slug(one, other):
    from clinic_site.finder.model import city_slug
    assert city_slug(one, "MO") == city_slug(other, "MO")
    assert city_slug("Springfield", "IL") != city_slug("Springfield", "MO")
    assert city_slug("Stanford", "CA") == "stanford-ca" and city_slug("Mtn. View", "CA") == "mountain-view-ca"


def test_a_city_page_is_titled_by_one_spelling():
    from clinic_site.finder.model import city_name
    assert city_name(["St. Louis", "Saint Louis"]) == "Saint Louis"   # a tie: the words written out
    assert city_name(["St. Louis", "St. Louis", "Saint Louis"]) == "St. Louis"   # the most used
    assert city_name(["Austin"]) == "Austin"


@pytest.mark.parametrize("street", ["PO Box 12", "P.O. Box 12", "P. O. Box 44", "po box 9", "Post Office Box 3",
                                    "POB 12", "Box 12", "General Delivery", "12 Main St, PO Box 4"])
def test_a_po_box_is_refused_as_a_listings_street(street):
    from tests.test_finder_units import GOOD, validate
    listing, problems = validate({**GOOD, "street": street})
    assert listing is None
    [problem] = problems
    assert problem.field == "street" and "PO box" in problem.what and "street address" in problem.fix


@pytest.mark.parametrize("street", ["1 Example St", "5 Post Office Square", "12 Box Elder St", "1 Boxwood Rd",
                                    "100 Example Avenue, Suite 5"])
def test_a_street_that_is_a_place_is_kept(street):
    from tests.test_finder_units import GOOD, validate
    listing, problems = validate({**GOOD, "street": street})
    assert problems == [] and listing is not None and listing.street == street


def test_a_po_box_is_refused_as_the_clinics_street():
    from clinic_site import clinic_settings
    from tests.test_clinic_settings import CLINIC
    [problem] = clinic_settings.check_clinic({**CLINIC, "street": "P.O. Box 100"})
    assert (problem.path, problem.field) == ("clinic.yml", "street") and "PO box" in problem.what


def test_the_clinics_day_is_what_staff_commands_tests_and_tools_take_as_today(tmp_path, monkeypatch):
    """One day for everything that writes or judges a date (pipeline.clinic_today): the clinic's,
    from clinic.yml's time zone, not the machine's. The sample clinic is in Chicago; a copy moved
    to the Line Islands (UTC+14) is on another day for ten hours of every day, and a new post
    written there without --date is dated that day."""
    monkeypatch.delenv(pipeline.TODAY_VARIABLE, raising=False)
    project = copy_project(tmp_path / "project")
    clinic = project / "clinic.yml"
    text = clinic.read_text(encoding="utf-8")
    assert "time_zone: America/Chicago" in text
    assert pipeline.clinic_today(project) == dt.datetime.now(ZoneInfo("America/Chicago")).date()
    clinic.write_text(text.replace("time_zone: America/Chicago", "time_zone: Pacific/Kiritimati"), encoding="utf-8")
    line_islands = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert pipeline.clinic_today(project) == line_islands
    file, _ = new_post.create_post("A day of its own", author="alex-example", category="Clinic news",
                                   root=project)
    assert f"created: {line_islands.isoformat()}" in file.read_text(encoding="utf-8")
