"""Issue 24, held-back area: every documented MkDocs setting a clinic may reasonably change
either works, with every generated link intact, or is refused with a message naming the setting.

- site_url with a path (a GitHub Pages project site, https://<user>.github.io/<repo>/) together
  with another site_dir: builds, and the post-build link check (which follows every internal link
  and #anchor of every page, the generated ones included) finds nothing; every address the site
  writes for other sites to read (feeds, sitemaps, robots.txt, canonical links, structured data)
  is under the path, and no page links to the host's root.
- use_directory_urls: false: refused, one problem naming mkdocs.yml, its line and the setting
  (clinic_site.stage.settings.engine_setting_problems says why).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound, errors
from clinic_site.project import Project
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT

SUBPATH = "https://example.org/riverbend-clinic/"


def _copy(tmp_path: Path, extra_settings: str) -> Path:
    root = copy_project(tmp_path / "project", PROJECT_ROOT)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nsite_url: https://example.org/\n" in text
    config.write_text(text.replace("\nsite_url: https://example.org/\n", "\n" + extra_settings), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    root = _copy(tmp_path_factory.mktemp("subpath"), f"site_url: {SUBPATH}\nsite_dir: public\n")
    run = pipeline.build(Project.find(root / "mkdocs.yml"), None, spelling=False, cards=False)   # its own site_dir
    assert errors(run.problems) == []
    return root / "public"


@pytest.mark.build
def test_a_site_url_with_a_path_and_another_site_dir_build_with_every_link_intact(subpath_site):
    assert (subpath_site / "index.html").is_file() and (subpath_site / "therapists/index.html").is_file()
    root_links = []
    for page in subpath_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(href=True) + soup.find_all(src=True):
            value = element.get("href") or element.get("src")
            if value.startswith("/") and not value.startswith("//") and not value.startswith("/riverbend-clinic/"):
                root_links.append((str(page.relative_to(subpath_site)), value))
    assert root_links == []
    canonical = [BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("link", rel="canonical")
                 for page in subpath_site.rglob("*.html")]
    # (a redirect page's canonical link is relative to it: under the path too)
    assert all(link["href"].startswith(SUBPATH) or not link["href"].startswith(("/", "http"))
               for link in canonical if link is not None)


@pytest.mark.build
def test_addresses_for_other_sites_are_under_the_sites_path(subpath_site):
    addresses = re.findall(r"https?://example\.org/[^\s<\"]*", (subpath_site / "sitemap.xml").read_text())
    addresses += re.findall(r"https?://example\.org/[^\s<\"]*", (subpath_site / "feed_rss_created.xml").read_text())
    addresses += [item["url"] for item in json.loads((subpath_site / "feed_json_created.json").read_text())["items"]]
    assert addresses and all(address.startswith(SUBPATH) for address in addresses)
    assert f"Sitemap: {SUBPATH}sitemap-index.xml" in (subpath_site / "robots.txt").read_text()
    home = BeautifulSoup((subpath_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("link", rel="canonical")["href"] == SUBPATH
    [clinic] = [json.loads(script.string) for script in home.select('script[type="application/ld+json"]')]
    assert clinic["@id"] == SUBPATH + "#clinic" and clinic["logo"].startswith(SUBPATH)


@pytest.mark.build
def test_use_directory_urls_false_is_refused_naming_the_setting(tmp_path):
    root = _copy(tmp_path, "site_url: https://example.org/\nuse_directory_urls: false\n")
    with pytest.raises(ProblemsFound) as stopped:
        pipeline.build(Project.find(root / "mkdocs.yml"), tmp_path / "site", spelling=False, cards=False)
    [problem] = errors(stopped.value.problems)   # one problem, not one per broken link
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    assert (problem.path, problem.line, problem.field) == ("mkdocs.yml", lines.index("use_directory_urls: false") + 1,
                                                            "use_directory_urls")
    assert "delete the line" in problem.fix
    assert list((tmp_path / "site").iterdir()) == []   # nothing half-built is published
