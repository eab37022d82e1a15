"""Escaped once, for its own format: hard strings come back unchanged from every output.

One copy of the project (scripts/devtools/project_copy.py) holds text that is merely unusual:
ampersands, both quotes, curly apostrophes, "<", accents, emoji, CJK and right-to-left text, in
a page's title and description, a post's title, description and category, an author's name, and
a therapist listing's name and city. It is built ONCE (module fixture), and each output is read
with its own parser:

- HTML text and attributes, <title>, meta description, og: and twitter: (BeautifulSoup);
- JSON-LD (json); the RSS feeds (xml.etree) and the JSON feeds (json); the sitemap (xml.etree);
- the search index (json); the therapist finder's data files (json);
- the social cards: the text Material's social plugin is handed to draw (recorded in the build).

A text that comes back as `&amp;amp;`, `O&#x27;Brien`, cut at a quote or missing its `<` was
escaped twice, or not at all, somewhere.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clinic_site import pipeline
from devtools.project_copy import copy_project
from tests import harness
from tests.harness import PROJECT_ROOT, build_in_process

pytestmark = pytest.mark.build

# The hard strings. Each holds "&", both straight quotes, a curly apostrophe, "<", accents,
# an emoji, CJK and right-to-left (Hebrew) text.
PAGE_TITLE = "Tennis & golfer's elbow: \"what helps?\" 1 < 2, it’s café 🙂 中文 עברית"
PAGE_DESCRIPTION = "Ice & heat: \"which first?\" When 1 < 2 it’s naïve to guess 🙂 中文 עברית, so we ask."
POST_TITLE = "Q&A: \"Can I book?\" 1 < 2 — it’s Zoë’s 🙂 中文 עברית"
POST_DESCRIPTION = "Our desk & phone: \"yes, you can\" book when 1 < 2 — it’s Zoë’s rule 🙂 中文 עברית."
AUTHOR = "Zoë O'Brien & \"Sam\" 1 < 2 it’s 李 דנה"
CATEGORY = "Q&A \"desk\" it’s café"
LISTING_NAME = "Pat O'Brien & \"Zo\" Zoë it’s 1 < 2"
CITY = "Coeur d’Alene & \"Río\""
# The part of each string every font of the social cards can draw (the cards leave out what
# no committed font has, such as emoji: scripts/clinic_site/cards.py).
CARD_PART = {PAGE_TITLE: "Tennis & golfer's elbow: \"what helps?\" 1 < 2, it’s café",
             POST_TITLE: "Q&A: \"Can I book?\" 1 < 2 — it’s Zoë’s"}

PAGE = "docs/round-trip.md"
POST = "docs/blog/posts/round-trip.md"
LISTING = "docs/therapists/listings/sample-round-trip.yml"
BASE_LISTING = "docs/therapists/listings/sample-avery-sampleton.yml"


def yaml_text(value: str) -> str:
    """`value` as a YAML double-quoted scalar (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def make_project(target: Path) -> Path:
    """A copy of the project with a page, a post, an author, a category and a listing holding
    the hard strings."""
    project = copy_project(target)
    # The project's social cards, copied: only the cards of the new pages are drawn (and recorded).
    shutil.copytree(PROJECT_ROOT / ".cache/social", project / ".cache/social", dirs_exist_ok=True)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for old, new in (("not_in_nav: |\n  people/*.md\n", "not_in_nav: |\n  people/*.md\n  round-trip.md\n"),
                     ("      categories_allowed:\n", f"      categories_allowed:\n        - {yaml_text(CATEGORY)}\n")):
        assert old in text, f"mkdocs.yml changed: {old!r} is gone; update this test"
        text = text.replace(old, new, 1)
    config.write_text(text, encoding="utf-8")
    (project / PAGE).write_text(
        f"---\ntitle: {yaml_text(PAGE_TITLE)}\ndescription: {yaml_text(PAGE_DESCRIPTION)}\n---\n\n"
        f"# {PAGE_TITLE.replace('<', '&lt;')}\n\nPlain text.\n", encoding="utf-8")
    (project / POST).write_text(
        f"---\ndate:\n  created: 2026-11-26\nauthors:\n  - round-trip\ncategories:\n  - {yaml_text(CATEGORY)}\n"
        f"description: {yaml_text(POST_DESCRIPTION)}\nslug: round-trip\n---\n\n"
        f"# {POST_TITLE.replace('<', '&lt;')}\n\nPlain text.\n", encoding="utf-8")
    authors = project / "docs/blog/.authors.yml"
    text = authors.read_text(encoding="utf-8")
    person = (f"  round-trip:\n    name: {yaml_text(AUTHOR)}\n    description: A sample person\n"
              "    avatar: assets/avatar-sample.svg\n    url: people/sam-sample/\n")
    authors.write_text(text.replace("\nauthors:\n", "\nauthors:\n" + person, 1), encoding="utf-8")
    listing = (project / BASE_LISTING).read_text(encoding="utf-8")
    for key, value in (("id", "sample-round-trip"), ("name", LISTING_NAME), ("city", CITY)):
        lines = [line for line in listing.splitlines() if line.startswith(f"{key}: ")]
        assert len(lines) == 1, f"{BASE_LISTING} has no single '{key}:' line; update this test"
        listing = listing.replace(lines[0], f"{key}: {yaml_text(value)}", 1)
    (project / LISTING).write_text(listing, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[tuple[str, str]]]:
    """(the built site, the card texts drawn) of the one project copy holding every hard string.
    Built in this process (the outputs are what is read, not the printed words), with Material's
    social plugin's text drawing recorded as (page src_uri, text); without the spell check, as the
    hard strings are not all English."""
    from material.plugins.social.plugin import SocialPlugin

    project = make_project(tmp_path_factory.mktemp("round-trip") / "project")
    drawn: list[tuple[str, str]] = []
    current = threading.local()
    render, typography = SocialPlugin._render, SocialPlugin._render_typography

    def _render(self, layer, page, config):
        current.page = page.file.src_uri
        return render(self, layer, page, config)

    def _render_typography(self, layer, image):
        if layer.typography and layer.typography.content:
            drawn.append((getattr(current, "page", ""), html.unescape(layer.typography.content)))
        return typography(self, layer, image)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SocialPlugin, "_render", _render)
        patch.setattr(SocialPlugin, "_render_typography", _render_typography)
        run = build_in_process(project / "mkdocs.yml", project / "site", spelling=False)
    assert isinstance(run, pipeline.Run), str(run)
    return project / "site", drawn


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"name": key}) or page.find("meta", attrs={"property": key})
    return tag.get("content") if tag is not None else None


def json_ld(page: BeautifulSoup) -> list[dict]:
    """Every JSON-LD item of a page, @graph items included."""
    items = []
    for script in page.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        for item in data if isinstance(data, list) else [data]:
            items += item.get("@graph", [item])
    return items


def strings(data) -> list[str]:
    """Every string anywhere in parsed JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in strings(value)]
    return []


ENTITY = re.compile(r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.I)
POST_PAGE = "blog/2026/11/26/round-trip/index.html"
PAGE_PATH = "round-trip/index.html"


# ---- HTML: text, attributes, <title>, meta, og:, twitter:
@pytest.mark.parametrize(("path", "title", "description"), [(PAGE_PATH, PAGE_TITLE, PAGE_DESCRIPTION),
                                                           (POST_PAGE, POST_TITLE, POST_DESCRIPTION)])
def test_title_and_description_in_the_head(built, path, title, description):
    site, _ = built
    page = soup(site, path)
    assert without_site_name(page.title.string) == title
    assert meta(page, "description") == description
    for key in ("og:title", "twitter:title"):
        assert without_site_name(meta(page, key)) == title, key
    for key in ("og:description", "twitter:description"):
        assert meta(page, key) == description, key


def without_site_name(title: str | None) -> str | None:
    """A <title> or og:title without the " | Riverbend Clinic" the site adds (seo.page_title)."""
    return title.rsplit(" | ", 1)[0] if title else title


def heading(page: BeautifulSoup, selector: str) -> str:
    """A heading's text without its permalink (the toc extension's "¶" link)."""
    found = page.select_one(selector)
    for link in found.select("a.headerlink"):
        link.decompose()
    return found.get_text()


def test_post_text_in_the_page(built):
    site, _ = built
    page = soup(site, POST_PAGE)
    assert heading(page, "article h1") == POST_TITLE
    shown = " ".join(page.get_text(" ").split())
    assert " ".join(AUTHOR.split()) in shown
    assert CATEGORY in [link.get_text(strip=True) for link in page.find_all("a")]
    assert AUTHOR in [image.get("alt") for image in page.find_all("img")] or AUTHOR in [
        link.get("title") for link in page.find_all("a")] or AUTHOR in shown


def test_post_text_on_the_blog_index(built):
    site, _ = built
    index = soup(site, "blog/index.html")
    assert POST_TITLE in [heading.get_text(strip=True) for heading in index.find_all(["h2", "h3"])]
    assert CATEGORY in [link.get_text(strip=True) for link in index.find_all("a")]


def test_listing_text_in_its_page(built):
    site, _ = built
    pages = [path for path in site.glob("therapists/**/sample-round-trip/index.html")]
    assert pages, "the listing's page was not written"
    page = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    assert page.find("h1").get_text(strip=True) == LISTING_NAME
    assert without_site_name(page.title.string) == LISTING_NAME
    assert CITY in " ".join(page.get_text(" ").split())
    assert LISTING_NAME in meta(page, "description") and CITY in meta(page, "description")
    city_pages = [path for path in site.glob("therapists/**/index.html")
                  if CITY in soup(site, path.relative_to(site).as_posix()).find("h1").get_text()]
    assert city_pages, "no page of the finder has the city in its heading"


# ---- JSON-LD
def test_json_ld_holds_plain_text(built):
    site, _ = built
    post = json_ld(soup(site, POST_PAGE))
    posting = next(item for item in post if item.get("@type") == "BlogPosting")
    assert posting["headline"] == POST_TITLE
    assert posting["description"] == POST_DESCRIPTION
    assert AUTHOR in [person.get("name") for person in posting["author"]]
    crumbs = next(item for item in post if item.get("@type") == "BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == POST_TITLE
    listing_page = next(site.glob("therapists/**/sample-round-trip/index.html"))
    texts = strings(json_ld(BeautifulSoup(listing_page.read_text(encoding="utf-8"), "html.parser")))
    assert LISTING_NAME in texts and CITY in texts, texts
    # JSON-LD holds plain text: no HTML entity in any of its strings (breadcrumbs, descriptions too).
    escaped = [text for text in strings(post) + texts if ENTITY.search(text)]
    assert escaped == [], f"HTML entities in JSON-LD: {escaped}"


# ---- Feeds: RSS with an XML parser, JSON Feed with json
def test_rss_feeds(built):
    site, _ = built
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        root = ET.parse(site / name).getroot()
        item = next(item for item in root.iter("item") if "round-trip" in (item.findtext("link") or ""))
        assert item.findtext("title") == POST_TITLE, name
        assert POST_DESCRIPTION in (item.findtext("description") or ""), name
        assert CATEGORY in [category.text for category in item.iter("category")], name
        creators = [element.text for element in item.iter() if element.tag.endswith(("author", "creator"))]
        assert any(AUTHOR in (text or "") for text in creators), (name, creators)


def test_json_feeds(built):
    site, _ = built
    for name in ("feed_json_created.json", "feed_json_updated.json"):
        feed = json.loads((site / name).read_text(encoding="utf-8"))
        item = next(item for item in feed["items"] if "round-trip" in item["url"])
        assert item["title"] == POST_TITLE, name
        assert item.get("summary", item.get("content_text")) == POST_DESCRIPTION, name
        assert AUTHOR in [author.get("name") for author in item.get("authors", [])], name
        assert CATEGORY in item.get("tags", []), name


# ---- Sitemap
def test_sitemap_parses_and_lists_the_pages(built):
    site, _ = built
    root = ET.parse(site / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [element.text for element in root.iterfind(".//s:loc", namespace)]
    assert any(location.endswith("/round-trip/") for location in locations)
    assert any(location.endswith("/blog/2026/11/26/round-trip/") for location in locations)


# ---- The search index
def test_search_index(built):
    """The site search's index (clinic_site.postbuild.site_search) holds each page's title as text, as
    written (the search shows it as text: overrides/assets/search-text.js): curly quotes, dashes,
    accents and "&" kept, escaped nowhere."""
    site, _ = built
    titles = {page["url"]: page["meta"].get("title") for page in harness.indexed_pages(site)}
    page_titles = [title for url, title in titles.items() if url.startswith("/round-trip/")]
    post_titles = [title for url, title in titles.items() if url.startswith("/blog/2026/11/26/round-trip/")]
    assert page_titles == [PAGE_TITLE] and post_titles == [POST_TITLE], (page_titles, post_titles)


# ---- The finder's data
def test_finder_data(built):
    site, _ = built
    found = []
    for file in sorted((site / "therapists").rglob("*.json")):
        found += strings(json.loads(file.read_text(encoding="utf-8")))
    assert found, "the finder wrote no JSON data"
    assert LISTING_NAME in found, "the listing's name is not in the finder's data as plain text"
    assert CITY in found, "the listing's city is not in the finder's data as plain text"
    assert not [text for text in found if "&amp;" in text or "&#" in text or "&quot;" in text]


# ---- Social cards: the text the card code is given
def test_social_card_text(built):
    _site, drawn = built
    for src_uri, title in (("round-trip.md", PAGE_TITLE), ("blog/posts/round-trip.md", POST_TITLE)):
        texts = [text for page, text in drawn if page == src_uri]
        assert any(CARD_PART[title] in text for text in texts), (src_uri, texts)
