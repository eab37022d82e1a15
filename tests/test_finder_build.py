"""Small extra builds of the finder: an injected listing must show as text and run
nothing; a bad listing must stop the build before anything is written."""
import datetime
import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.conftest import PROJECT_ROOT, QuietHandler, build_site

DOCS = PROJECT_ROOT / "docs"
INJECTED = {
    "id": "sample-injected",
    "name": "Sample <script>window.__pwned = 1</script> Injected",
    "clinic": "</script><script>window.__pwned = 2</script> Clinic",
    "bio": 'Bio <img src=x onerror="window.__pwned = 3"> with "quotes" & <b>tags</b>.',
    "street": "1 Example St <svg onload=\"window.__pwned = 4\">",
}


def small_site(tmp_path: Path, extra_listings=(), page_size: int = 50) -> Path:
    """A config for a site with only Home and the finder, using two sample listings (plus extras)."""
    docs = tmp_path / "docs"
    (docs / "therapists").mkdir(parents=True)
    shutil.copytree(DOCS / "assets", docs / "assets")
    if (DOCS / ".snippets").is_dir():  # appended to every page (pymdownx.snippets in mkdocs.yml)
        shutil.copytree(DOCS / ".snippets", docs / ".snippets")
    shutil.copy(DOCS / "therapists/index.md", docs / "therapists/index.md")
    shutil.copy(DOCS / "therapists/licensing-boards.yml", docs / "therapists/licensing-boards.yml")
    shutil.copy(DOCS / "therapists/vocabulary.yml", docs / "therapists/vocabulary.yml")
    (docs / "blog").mkdir()
    shutil.copy(DOCS / "blog/.authors.yml", docs / "blog/.authors.yml")  # scripts/hooks/content.py reads it
    (docs / "index.md").write_text("---\ndescription: A small test site with only the home page and the "
                                   "therapist finder.\n---\n\n# Home\n", encoding="utf-8")
    folder = tmp_path / "listings"
    folder.mkdir()
    for name in ("sample-avery-sampleton", "sample-finley-sampleton"):
        shutil.copy(DOCS / f"therapists/listings/{name}.yml", folder)
    for data in extra_listings:
        (folder / f"{data['id']}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    config = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(
        docs_dir=str(docs),
        nav=[{"Home": "index.md"}, {"Find a therapist": "therapists/index.md"}],
        plugins=["search"],
        hooks=[str(PROJECT_ROOT / "scripts/hooks/content.py"), str(PROJECT_ROOT / "scripts/hooks/finder.py")],
    )
    config["theme"]["custom_dir"] = str(PROJECT_ROOT / "overrides")
    config["extra"]["finder"]["listings_dir"] = str(folder)
    config["extra"]["finder"]["page_size"] = page_size
    config["extra"]["clinic"].pop("services", None)   # they link to guide pages, which this site has not
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def base_listing() -> dict:
    return yaml.safe_load((DOCS / "therapists/listings/sample-avery-sampleton.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("injected")
    config = small_site(tmp, extra_listings=[{**base_listing(), **INJECTED}], page_size=2)
    site = tmp / "site"
    result = build_site(site, config)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("path", ["therapists/sample-injected/", "therapists/", "therapists/cities/austin-tx/"])
def test_injected_listing_shows_as_text_and_runs_nothing(injected_site, page, path):
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
    import json

    from bs4 import BeautifulSoup
    site, _ = injected_site
    soup = BeautifulSoup((site / "therapists/sample-injected/index.html").read_text(encoding="utf-8"), "html.parser")
    [data] = [d for d in (json.loads(s.string) for s in soup.find_all("script", type="application/ld+json"))
              if d.get("@type") == "Physiotherapy"]
    assert data["name"].startswith(INJECTED["name"]) and INJECTED["clinic"] in data["name"]
    executable = [s for s in soup.find_all("script") if s.get("type") in (None, "text/javascript") and s.string]
    assert not any("__pwned" in s.string for s in executable)


def test_a_bad_listing_stops_the_build_and_nothing_is_written(tmp_path):
    bad = {**base_listing(), "id": "sample-bad", "zip": "1234", "phone": "555-0101", "website": "ftp://example.org"}
    stale = {**base_listing(), "id": "sample-stale", "last_updated": datetime.date(2020, 1, 1)}
    config = small_site(tmp_path, extra_listings=[bad, stale])
    site = tmp_path / "site"
    result = build_site(site, config)
    assert result.returncode != 0
    assert "Therapist listings have problems; fix them and build again:" in result.stderr

    def at(name: str, field: str) -> str:  # "file, line N: 'field'" as the problem names it
        lines = (tmp_path / "listings" / name).read_text(encoding="utf-8").splitlines()
        return f"listings/{name}, line {[n for n, x in enumerate(lines, 1) if x.startswith(field + ':')][0]}: '{field}'"
    assert f"{at('sample-bad.yml', 'zip')} '1234' is not a 5-digit US ZIP — write it like \"78701\"." in result.stderr
    assert f"{at('sample-bad.yml', 'phone')} '555-0101' cannot be dialled — write a 10-digit" in result.stderr
    assert f"{at('sample-bad.yml', 'website')} 'ftp://example.org' is not a web address" in result.stderr
    assert f"{at('sample-stale.yml', 'last_updated')} 2020-01-01 is more than 12 months ago" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists() or not list(site.rglob("*.html"))


def test_long_result_lists_show_a_page_at_a_time(injected_site, page):
    """This site shows 2 results per page (extra.finder.page_size) of its 3 listings."""
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


def test_a_directory_page_without_its_list_markers_stops_the_build(tmp_path):
    config = small_site(tmp_path)
    index = tmp_path / "docs/therapists/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("<!-- finder:cities -->", ""), encoding="utf-8")
    result = build_site(tmp_path / "site", config)
    assert result.returncode != 0
    assert ("docs/therapists/index.md, line 1: the line <!-- finder:cities --> is missing — put it back on a line "
            "of its own where that list should appear") in result.stderr
    assert "Traceback" not in result.stderr
