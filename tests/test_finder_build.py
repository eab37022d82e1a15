"""Extra builds of the finder (copies of the project with a few listings, built in this process):
an injected listing must show as text and run nothing; a bad listing must stop the build, and
nothing is published."""
import datetime
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from clinic_site.pipeline import Run
from clinic_site.problems import ProblemsFound, report_lines
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, StaticServer, build_in_process

DOCS = PROJECT_ROOT / "docs"
INJECTED = {
    "id": "sample-injected",
    "name": "Sample <script>window.__pwned = 1</script> Injected",
    "clinic": "</script><script>window.__pwned = 2</script> Clinic",
    "bio": 'Bio <img src=x onerror="window.__pwned = 3"> with "quotes" & <b>tags</b>.',
    "street": "1 Example St <svg onload=\"window.__pwned = 4\">",
}
LISTINGS = "docs/therapists/listings"   # as problems name the folder
KEPT = ("sample-avery-sampleton", "sample-finley-sampleton")   # Austin, TX and Denver, CO


def finder_site(tmp_path: Path, extra_listings=(), page_size: int = 50) -> Path:
    """A copy of the project whose finder holds two of the sample listings (plus extras), showing
    `page_size` results at a time; its mkdocs.yml. Built without social cards, in this process."""
    root = copy_project(tmp_path / "project", PROJECT_ROOT)
    folder = root / LISTINGS
    for path in folder.glob("*.yml"):
        if path.stem not in KEPT:
            path.unlink()
    for data in extra_listings:
        (folder / f"{data['id']}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    config = root / "mkdocs.yml"
    setting = "    listings_dir: therapists/listings\n"
    text = config.read_text(encoding="utf-8")
    assert text.count(setting) == 1
    config.write_text(text.replace(setting, f"{setting}    page_size: {page_size}\n"), encoding="utf-8")
    return config


def base_listing() -> dict:
    return yaml.safe_load((DOCS / "therapists/listings/sample-avery-sampleton.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("injected")
    config = finder_site(tmp, extra_listings=[{**base_listing(), **INJECTED}], page_size=2)
    site = tmp / "site"
    run = build_in_process(config, site, cards=False)
    assert isinstance(run, Run), str(run)
    with StaticServer(site) as server:
        yield site, server.url


@pytest.mark.parametrize("path", ["therapists/sample-injected/", "therapists/", "therapists/cities/austin-tx/"])
def test_injected_listing_shows_as_text_and_runs_nothing(injected_site, own_page, path):
    page = own_page
    _site, url = injected_site
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{url}/{path}")
    if path == "therapists/":   # the finder lists therapists once a ZIP code is known (from its data files)
        page.get_by_label("ZIP code").fill("78701")
        page.get_by_label("ZIP code").press("Enter")
    expect(page.get_by_text(INJECTED["name"]).first).to_be_visible()
    if path == "therapists/":
        toggle = page.get_by_role("button", name=re.compile(r"^Filters"))
        if toggle.is_visible():   # on a narrow screen the filters fold behind this button
            toggle.click()
        page.get_by_label("Name, clinic, city or keyword").fill("<script>")  # the filter treats it as text
        expect(page.locator("#finder-list > li:not([hidden])")).to_have_count(1)
        page.get_by_label("Name, clinic, city or keyword").fill("")
    if path == "therapists/sample-injected/":
        expect(page.get_by_text(INJECTED["bio"])).to_be_visible()
        expect(page.get_by_text(INJECTED["clinic"]).first).to_be_visible()
        assert page.title().startswith(INJECTED["name"])
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x], svg[onload]").count() == 0
    assert dialogs == []


def test_injected_listing_json_ld_stays_inside_its_script(injected_site):
    site, _ = injected_site
    soup = BeautifulSoup((site / "therapists/sample-injected/index.html").read_text(encoding="utf-8"), "html.parser")
    [data] = [d for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))
              if d.get("@type") in ("Physiotherapy", "MedicalBusiness")]
    assert data["name"].startswith(INJECTED["name"]) and INJECTED["clinic"] in data["name"]
    executable = [s for s in soup.find_all("script") if s.get("type") in (None, "text/javascript") and s.string]
    assert not any("__pwned" in s.string for s in executable)


# A listing at the clinic as written before the clinic block was the one source of its address.
OLD_AT_CLINIC = {**yaml.safe_load((DOCS / "therapists/listings/sample-iris-testwell.yml").read_text(encoding="utf-8")),
                 "id": "sample-old-at-clinic", "clinic": "Riverbend Clinic", "street": "100 Example Avenue, Suite 5",
                 "city": "Springfield", "state": "IL", "zip": "62701", "latitude": 39.8, "longitude": -89.6495}


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    """One site with every fault of the tests below (a bad listing, a stale one, an old listing at the
    clinic, a directory page without its list of cities), built once: the run names every problem in one pass, and
    the faults are in different files. Returns (project folder, site folder, ProblemsFound)."""
    tmp = tmp_path_factory.mktemp("broken")
    bad = {**base_listing(), "id": "sample-bad", "zip": "1234", "phone": "555-0101", "website": "ftp://example.org"}
    stale = {**base_listing(), "id": "sample-stale", "last_updated": datetime.date(2020, 1, 1)}
    config = finder_site(tmp, extra_listings=[bad, stale, OLD_AT_CLINIC])
    index = config.parent / "docs/therapists/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("<!-- finder:cities -->", ""), encoding="utf-8")
    site = tmp / "site"
    stopped = build_in_process(config, site, cards=False)   # a traceback would fail here, not name problems
    assert isinstance(stopped, ProblemsFound), "the build did not stop"
    return config.parent, site, stopped


def test_a_bad_listing_stops_the_build_and_nothing_is_written(broken_site):
    root, site, stopped = broken_site
    assert str(stopped).startswith("Problems found; fix them and build again:\n")   # what `clinic build` prints
    printed = "\n".join(report_lines(stopped.problems))   # the lines under that heading

    def at(name: str, field: str) -> str:  # "file, line N: 'field'" as the problem names it
        lines = (root / LISTINGS / name).read_text(encoding="utf-8").splitlines()
        line = [n for n, x in enumerate(lines, 1) if x.startswith(field + ":")][0]
        return f"{LISTINGS}/{name}, line {line}: '{field}'"
    assert f"{at('sample-bad.yml', 'zip')} '1234' is not a 5-digit US ZIP — write it like \"78701\", in quotes" \
        in printed
    assert f"{at('sample-bad.yml', 'phone')} '555-0101' cannot be dialled — write a 10-digit" in printed
    assert f"{at('sample-bad.yml', 'website')} 'ftp://example.org' is not a web address" in printed
    assert f"{at('sample-stale.yml', 'last_updated')} 2020-01-01 is more than 12 months ago" in printed
    assert not site.exists() or not list(site.rglob("*.html"))


def test_long_result_lists_show_a_page_at_a_time(injected_site, own_page):
    """This site shows 2 results per page (extra.finder.page_size) of its 3 listings."""
    page = own_page
    _site, url = injected_site
    page.goto(f"{url}/therapists/")
    page.get_by_label("Within").select_option("any")   # the third listing is in Denver
    page.get_by_label("ZIP code").fill("78701")
    page.get_by_label("ZIP code").press("Enter")
    shown = page.locator("#finder-list > li:not([hidden])")
    expect(page.locator("#finder-count")).to_contain_text("3 therapists")
    expect(page.locator("#finder-count")).to_contain_text("The first 2 are listed.")
    expect(shown).to_have_count(2)
    more = page.get_by_role("button", name="Show 1 more")
    more.focus()
    page.keyboard.press("Enter")
    expect(shown).to_have_count(3)
    expect(more).to_be_hidden()


def test_a_directory_page_without_its_list_markers_stops_the_build(broken_site):
    _root, site, stopped = broken_site
    assert ("docs/therapists/index.md, line 1: the line <!-- finder:cities --> is missing — put it back on a line "
            "of its own where that list should appear") in report_lines(stopped.problems)
    assert not site.exists() or not list(site.rglob("*.html"))


def test_an_old_listing_at_the_clinic_stops_the_build_naming_each_line_to_delete(broken_site):
    root, _site, stopped = broken_site
    name = "sample-old-at-clinic.yml"
    lines = (root / LISTINGS / name).read_text(encoding="utf-8").splitlines()
    mine = [problem for problem in stopped.problems if problem.path == f"{LISTINGS}/{name}"]
    assert [(problem.field, lines[problem.line - 1].split(":")[0]) for problem in mine] == [
        (field, field) for field in ("clinic", "street", "city", "state", "zip", "latitude", "longitude")]
    assert all(problem.is_error and problem.fix.startswith("delete this line: the listing shows the clinic's ")
               for problem in mine)
    assert f"{LISTINGS}/{name}, line {lines.index('street: 100 Example Avenue, Suite 5') + 1}: 'street' is taken " \
           "from the clinic's details for a listing with `at_clinic: true` — delete this line: the listing shows the " \
           "clinic's street from clinic.yml (street)" in report_lines(stopped.problems)
