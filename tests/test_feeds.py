"""The blog's RSS 2.0 and JSON Feed 1.1 files: the posts' own dates, hard text intact, the same bytes
from the same posts (issue 13 item 1, issue 11 "Escaped once"). clinic_site/feeds.py (the formats) and
clinic_site/postbuild/publish.py (the writer: the post-build stage writes the feeds from the posts'
own front matter; mkdocs-rss-plugin is gone)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import types
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree as SafeET
from material.plugins.blog.structure.config import PostConfig

from clinic_site import feeds, pipeline
from clinic_site.postbuild import publish
from clinic_site.project import Project, Settings
from clinic_site.sources import parse_source
from clinic_site.stage.pages import PageRecord
from devtools.project_copy import copy_project
from tests import harness

UTC = dt.UTC
CHICAGO = ZoneInfo("America/Chicago")   # the sample clinic's time_zone (mkdocs.yml)
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
FEED_FILES = ("feed_rss_created.xml", "feed_rss_updated.xml", "feed_json_created.json", "feed_json_updated.json")
# RFC 3339 section 5.6, date-time: full-date "T" full-time, with a "Z" or numeric offset.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

# Text staff really type: ampersands, both quotes, curly apostrophes and quotes, '<', accents,
# emoji, CJK, right-to-left (Hebrew, Arabic), and what looks like an entity or a tag.
HARD_TITLE = "Tennis & golfer's elbow: \"what helps?\""
# (No tag or character reference: the theme shows titles as HTML, so the build refuses them; content_rules.)
HARD_FM_TITLE = "Ice < heat? Café “rules”, O’Brien’s 日本語 — עברית 🌷 & “bold” <3"
HARD_DESCRIPTION = "Ice & heat: \"which\" first? O’Brien’s <b>tips</b> — café, naïve, 日本語, עברית, العربية 🌷."
HARD_AUTHOR = "Dana O’Brien & “Sam” <PT> 李 דנה 🌷"
HARD_CATEGORY = "Hands & feet <\"Über\"> 日本 עברית 🌷"


# ---- unit: clinic_site.feeds ----

def material_dates(date: object) -> tuple[dt.datetime, dt.datetime | None]:
    """What Material's blog makes of a front matter `date:` (its own PostConfig validation)."""
    config = PostConfig("post.md")
    config.load_dict({"date": date})
    errors, _ = config.validate()
    assert not errors, errors
    return config.date["created"], config.date.get("updated")


@pytest.mark.parametrize("date, created, updated", [
    (dt.date(2026, 11, 25), dt.datetime(2026, 11, 25, tzinfo=UTC), dt.datetime(2026, 11, 25, tzinfo=UTC)),
    (dt.datetime(2026, 11, 25, 9, 30), dt.datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
     dt.datetime(2026, 11, 25, 9, 30, tzinfo=UTC)),
    (dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-6))),
     dt.datetime(2026, 11, 25, 15, 30, tzinfo=UTC), dt.datetime(2026, 11, 25, 15, 30, tzinfo=UTC)),
    ({"created": dt.date(2026, 11, 2)}, dt.datetime(2026, 11, 2, tzinfo=UTC), dt.datetime(2026, 11, 2, tzinfo=UTC)),
    ({"created": dt.date(2026, 11, 2), "updated": dt.datetime(2026, 11, 20, 8, 15)},
     dt.datetime(2026, 11, 2, tzinfo=UTC), dt.datetime(2026, 11, 20, 8, 15, tzinfo=UTC)),
    ({"created": dt.date(2026, 11, 2), "updated": dt.date(2026, 11, 20), "reviewed": dt.date(2026, 11, 21)},
     dt.datetime(2026, 11, 2, tzinfo=UTC), dt.datetime(2026, 11, 20, tzinfo=UTC)),
], ids=["flat date", "flat naive datetime", "flat datetime with offset", "created only", "created and updated",
        "other keys ignored"])
def test_post_dates_read_every_form_material_accepts(date, created, updated):
    assert feeds.post_dates(date) == (created, updated)
    material_created, material_updated = material_dates(date)  # the same instant Material shows
    assert material_created == created and (material_updated or material_created) == updated
    assert created.tzinfo is not None and updated.tzinfo is not None


@pytest.mark.parametrize("date, created", [
    (dt.date(2026, 11, 24), "2026-11-24T00:00:00-06:00"),             # midnight at the clinic, standard time
    (dt.date(2026, 7, 4), "2026-07-04T00:00:00-05:00"),               # daylight saving time
    (dt.datetime(2026, 11, 24, 9, 30), "2026-11-24T09:30:00-06:00"),  # a time of day, no zone: the clinic's
    (dt.datetime(2026, 11, 24, 9, 30, tzinfo=UTC), "2026-11-24T09:30:00+00:00"),   # an instant stays one
    ({"created": dt.date(2026, 3, 8)}, "2026-03-08T00:00:00-06:00"),  # the day clocks change, at 2 am
])
def test_post_dates_are_in_the_clinics_time_zone(date, created):
    """Issue 24: a date-only date is that day in the clinic's zone, from midnight there; the
    time of day written survives a round trip through both feed formats."""
    moment, updated = feeds.post_dates(date, CHICAGO)
    assert moment.isoformat() == created and moment == updated
    assert moment.date() == (date["created"] if isinstance(date, dict) else date if not isinstance(date, dt.datetime)
                             else date.date())
    assert parsedate_to_datetime(feeds.rfc822(moment)) == moment
    assert dt.datetime.fromisoformat(feeds.rfc3339(moment)) == moment


@pytest.mark.parametrize("date, field", [
    (None, "date"), ("2026-11-25", "date"), ({"updated": dt.date(2026, 11, 20)}, "date.created"),
    ({"created": dt.date(2026, 11, 2), "updated": "soon"}, "date.updated"),
])
def test_post_dates_refuse_what_is_not_a_date_instead_of_using_the_build_time(date, field):
    with pytest.raises(feeds.DateError) as caught:
        feeds.post_dates(date)
    assert caught.value.field == field and "2026-11-25" in caught.value.fix


def test_plain_title_decodes_the_heading_once_and_keeps_a_front_matter_title_as_written():
    # MkDocs 1.6.1 gives a heading's title with entities kept: "&amp;", "&quot;", "&lt;".
    assert feeds.plain_title({}, "Tennis &amp; golfer's elbow: &quot;what helps?&quot; &lt;3") == \
        "Tennis & golfer's elbow: \"what helps?\" <3"
    assert feeds.plain_title({"title": "Ice &amp; heat <b>"}, "ignored") == "Ice &amp; heat <b>"
    assert feeds.plain_title({}, None) == ""


def item(id: str, created: dt.datetime, updated: dt.datetime | None = None, **fields) -> feeds.FeedItem:
    return feeds.FeedItem(id=id, url=id, title=fields.pop("title", id), created=created,
                          updated=updated or created, **fields)


def test_newest_first_orders_by_the_chosen_date_and_breaks_ties_by_address():
    day = dt.datetime(2026, 11, 1, tzinfo=UTC)
    a = item("https://x.example/a/", day, day + dt.timedelta(days=9))
    b = item("https://x.example/b/", day + dt.timedelta(days=1))
    c = item("https://x.example/c/", day)
    assert feeds.newest_first([c, a, b], "created") == [b, a, c]
    assert feeds.newest_first([c, b, a], "updated") == [a, b, c]
    assert feeds.newest_first([b, c, a], "created", length=2) == [b, a]


def test_rfc822_and_rfc3339_dates_read_back_as_the_same_instant():
    moment = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    assert feeds.rfc822(moment) == "Wed, 25 Nov 2026 09:30:00 -0600"
    assert parsedate_to_datetime(feeds.rfc822(moment)) == moment
    assert RFC3339.match(feeds.rfc3339(moment)) and dt.datetime.fromisoformat(feeds.rfc3339(moment)) == moment
    for write in (feeds.rfc822, feeds.rfc3339):
        with pytest.raises(ValueError):
            write(dt.datetime(2026, 11, 25))


def test_xml_text_drops_only_what_xml_cannot_hold():
    assert feeds.xml_text("a\x00b\x0bc\x1fd\ufffee\uffff") == "abcde"
    kept = "tab\tline\ncr\r & < > \" ' ’ é 日本 עברית 🌷 \ue000"
    assert feeds.xml_text(kept) == kept


CHANNEL = feeds.Channel(title="Smith & Jones <clinic>", home_url="https://x.example/?a=1&b=2",
                        description="Care & \"rest\"", rss_url="https://x.example/feed.xml?x=1&y=2",
                        json_url="https://x.example/feed.json", logo_url="https://x.example/logo.png",
                        language="en", ttl_minutes=60, generator="gen & co", stylesheet='a"b?>.xsl',
                        author="Smith & Jones <clinic>")
HARD_ITEM = item("https://x.example/p/?q=1&r=2", dt.datetime(2026, 11, 2, tzinfo=UTC),
                 dt.datetime(2026, 11, 20, 8, 15, tzinfo=UTC), title=HARD_TITLE,
                 description=HARD_DESCRIPTION + "\x0b", authors=(HARD_AUTHOR, "Second <author>"),
                 categories=(HARD_CATEGORY,),
                 image=feeds.Enclosure("https://x.example/card.png?a&b", "image/png", 1234))


@pytest.mark.parametrize("order", ["created", "updated"])
def test_rss_xml_is_well_formed_and_gives_back_every_text_unchanged(order):
    document = feeds.rss_xml(CHANNEL, [HARD_ITEM], order)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" ')
    root = SafeET.fromstring(document)
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert [channel.findtext(tag) for tag in ("title", "link", "description")] == \
        [CHANNEL.title, CHANNEL.home_url, CHANNEL.description]
    assert channel.find(ATOM_LINK).get("href") == CHANNEL.rss_url
    assert channel.findtext("generator") == "gen & co" and channel.find("image").findtext("title") == CHANNEL.title
    (entry,) = channel.findall("item")
    assert entry.findtext("title") == HARD_TITLE
    assert entry.findtext("description") == HARD_DESCRIPTION  # the vertical tab XML cannot hold is left out
    assert [creator.text for creator in entry.findall(DC_CREATOR)] == [HARD_AUTHOR, "Second <author>"]
    assert [category.text for category in entry.findall("category")] == [HARD_CATEGORY]
    assert entry.findtext("link") == entry.findtext("guid") == HARD_ITEM.id
    assert parsedate_to_datetime(entry.findtext("pubDate")) == getattr(HARD_ITEM, order)
    assert parsedate_to_datetime(channel.findtext("pubDate")) == getattr(HARD_ITEM, order)
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == HARD_ITEM.updated
    assert entry.find("enclosure").attrib == {"url": HARD_ITEM.image.url, "type": "image/png", "length": "1234"}


def test_rss_xml_leaves_out_an_enclosure_of_unknown_size_and_dates_of_an_empty_feed():
    no_size = dataclasses.replace(HARD_ITEM, image=feeds.Enclosure("https://x.example/c.png", "image/png", None))
    entry = SafeET.fromstring(feeds.rss_xml(CHANNEL, [no_size], "created")).find("channel/item")
    assert entry.find("enclosure") is None
    empty = SafeET.fromstring(feeds.rss_xml(dataclasses.replace(CHANNEL, stylesheet=None), [], "created"))
    assert empty.find("channel/pubDate") is None and empty.find("channel/item") is None


def test_json_feed_gives_back_every_text_unchanged_and_writes_no_nulls():
    html_item = dataclasses.replace(HARD_ITEM, id="https://x.example/h/", description="<p>A &amp; B</p>",
                                    description_is_html=True, image=None, authors=(), categories=())
    document = json.loads(feeds.json_feed(dataclasses.replace(CHANNEL, language=None), [HARD_ITEM, html_item]))
    assert document["version"] == "https://jsonfeed.org/version/1.1" and document["title"] == CHANNEL.title
    assert "language" not in document and document["feed_url"] == CHANNEL.json_url
    assert document["authors"] == [{"name": CHANNEL.author}]
    plain, rich = document["items"]
    assert plain["title"] == HARD_TITLE and plain["content_text"] == HARD_DESCRIPTION + "\x0b"
    assert "content_html" not in plain and rich["content_html"] == "<p>A &amp; B</p>" and "content_text" not in rich
    assert plain["authors"] == [{"name": HARD_AUTHOR}, {"name": "Second <author>"}]
    assert plain["tags"] == [HARD_CATEGORY] and plain["image"] == HARD_ITEM.image.url
    assert dt.datetime.fromisoformat(plain["date_published"]) == HARD_ITEM.created
    assert dt.datetime.fromisoformat(plain["date_modified"]) == HARD_ITEM.updated
    assert not {"image", "authors", "tags"} & set(rich)
    assert None not in [*document.values(), *plain.values(), *rich.values()]


# ---- unit: the writer (clinic_site.postbuild.publish.write_feeds) on a run made by hand ----

WRITER_SETTINGS = """site_name: Placeholder
site_url: https://x.example/sub
site_description: Care & "rest"
plugins:
  - blog
"""
WRITER_CLINIC = """name: Smith & Jones <clinic>
"""


def writer_run(tmp_path, posts: dict[str, tuple[str, dict, str]]):
    """A run as the post-build stage sees it: settings read from a real mkdocs.yml, and one staged
    record and source per post ({src_uri: (front matter text, meta, url)})."""
    (tmp_path / "mkdocs.yml").write_text(WRITER_SETTINGS, encoding="utf-8")
    (tmp_path / "clinic.yml").write_text(WRITER_CLINIC, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    settings, problems = Settings.read(Project.find(tmp_path / "mkdocs.yml"))
    assert problems == []
    records, sources = {}, {}
    people = [{"name": HARD_AUTHOR}, {"name": "Second <author>"}]
    for src_uri, (front_matter, meta, url) in posts.items():
        sources[src_uri] = parse_source(f"---\n{front_matter}---\n\n# Post\n", f"docs/{src_uri}")
        records[src_uri] = PageRecord(src_uri, f"docs/{src_uri}", url, "post", HARD_TITLE, HARD_DESCRIPTION, meta,
                                      article={"people": people})
    records["about.md"] = PageRecord("about.md", "docs/about.md", "about/", "page", "About", "About us", {})
    staged = types.SimpleNamespace(settings=settings, records=records, sources=sources,
                                   clinic=types.SimpleNamespace(logo=None, zone=UTC))
    return pipeline.Run(Project.find(tmp_path / "mkdocs.yml"), staged=staged)


def test_the_writer_dates_each_post_by_its_front_matter_and_names_a_post_it_cannot_date(tmp_path):
    """The writer's feeds carry each post's own dates and texts (no time of the build), every post
    (never another page), and a post whose date it cannot read is left out and named at its `date:` line."""
    run = writer_run(tmp_path, {
        "blog/posts/flat.md": ("title: x\ndate: 2026-11-25\n",
                               {"date": dt.date(2026, 11, 25), "categories": [HARD_CATEGORY]}, "blog/2026/11/25/flat/"),
        "blog/posts/both.md": ("date:\n  created: 2026-10-01\n  updated: 2026-11-27 08:15:00\n",
                               {"date": {"created": dt.date(2026, 10, 1),
                                         "updated": dt.datetime(2026, 11, 27, 8, 15)}}, "blog/2026/10/01/both/"),
        "blog/posts/undated.md": ("title: x\nslug: x\ndate: soon\n", {"title": "x", "slug": "x", "date": "soon"},
                                  "blog/undated/")})
    site = tmp_path / "site"
    site.mkdir()
    [problem] = publish.write_feeds(run, site)
    assert str(problem) == ("docs/blog/posts/undated.md, line 4: 'date' is 'soon', not a date — write a date such as "
                            "2026-11-25 (or a date and time such as 2026-11-25 09:30:00)")
    for order, (rss_name, json_name) in publish.FEED_FILES.items():
        channel = SafeET.fromstring((site / rss_name).read_bytes()).find("channel")
        assert channel.findtext("title") == "Smith & Jones <clinic>" and channel.findtext("link") == "https://x.example/sub/"
        assert channel.find(ATOM_LINK).get("href") == f"https://x.example/sub/{rss_name}"
        entries = channel.findall("item")
        assert [entry.findtext("link") for entry in entries] == (
            ["https://x.example/sub/blog/2026/11/25/flat/", "https://x.example/sub/blog/2026/10/01/both/"]
            if order == "created" else
            ["https://x.example/sub/blog/2026/10/01/both/", "https://x.example/sub/blog/2026/11/25/flat/"])
        flat, both = sorted(entries, key=lambda entry: entry.findtext("link"))[::-1]
        assert parsedate_to_datetime(flat.findtext("pubDate")) == dt.datetime(2026, 11, 25, tzinfo=UTC)
        both_date = dt.datetime(2026, 10, 1) if order == "created" else dt.datetime(2026, 11, 27, 8, 15)
        assert parsedate_to_datetime(both.findtext("pubDate")) == both_date.replace(tzinfo=UTC)
        assert flat.findtext("title") == HARD_TITLE and flat.findtext("description") == HARD_DESCRIPTION
        assert [creator.text for creator in flat.findall(DC_CREATOR)] == [HARD_AUTHOR, "Second <author>"]
        assert [category.text for category in flat.findall("category")] == [HARD_CATEGORY]
        assert flat.find("enclosure") is None   # no social card was drawn
        document = json.loads((site / json_name).read_bytes())
        assert document["feed_url"] == f"https://x.example/sub/{json_name}"
        # The description as written: plain text, never HTML.
        assert [entry["content_text"] for entry in document["items"]] == [HARD_DESCRIPTION] * 2
        assert {entry["date_published"] for entry in document["items"]} == {"2026-11-25T00:00:00+00:00",
                                                                           "2026-10-01T00:00:00+00:00"}


def test_the_writer_gives_a_post_its_social_card_as_an_enclosure(tmp_path):
    """The card is read where Material's social plugin draws it (stage.pages.social_card_path), with its size."""
    run = writer_run(tmp_path, {"blog/posts/flat.md": ("date: 2026-11-25\n", {"date": dt.date(2026, 11, 25)},
                                                       "blog/2026/11/25/flat/")})
    card = tmp_path / "site" / "assets" / "images" / "social" / "blog" / "2026" / "11" / "25" / "flat.png"
    card.parent.mkdir(parents=True)
    card.write_bytes(b"\x89PNG" + bytes(96))
    assert publish.write_feeds(run, tmp_path / "site") == []
    entry = SafeET.fromstring((tmp_path / "site" / "feed_rss_created.xml").read_bytes()).find("channel/item")
    assert entry.find("enclosure").attrib == {"url": "https://x.example/sub/assets/images/social/blog/2026/11/25/flat.png",
                                              "type": "image/png", "length": "100"}


# ---- build: a copy of the project with hard posts, built twice ----

# (file, front matter, heading) and the dates each feed must give the post: a date or time without a
# zone is the clinic's (mkdocs.yml time_zone: America/Chicago), an instant with one stays that instant.
POSTS = {
    "flat-date.md": (f"""date: 2026-11-25
authors:
  - hard-author
categories:
  - {json.dumps(HARD_CATEGORY, ensure_ascii=False)}
description: {json.dumps(HARD_DESCRIPTION, ensure_ascii=False)}
slug: flat-date""", "# Tennis & golfer's elbow: \"what helps?\"",
                     dt.datetime(2026, 11, 25, tzinfo=CHICAGO), dt.datetime(2026, 11, 25, tzinfo=CHICAGO)),
    "dict-date.md": (f"""title: {json.dumps(HARD_FM_TITLE, ensure_ascii=False)}
date:
  created: 2026-10-01T09:30:00-05:00
  updated: 2026-11-27 08:15:00
authors:
  - hard-author
  - sam-sample
categories:
  - Clinic news
description: A post whose dates are written as a dictionary, with a time of day and a timezone.
slug: dict-date""", "# Dates as a dictionary",
                     dt.datetime(2026, 10, 1, 14, 30, tzinfo=UTC), dt.datetime(2026, 11, 27, 8, 15, tzinfo=CHICAGO)),
    "flat-datetime.md": ("""date: 2026-09-15 14:45:00
authors:
  - riley-example
categories:
  - Clinic news
description: A post whose date is written flat, as one date and time of day, without a timezone.
slug: flat-datetime""", "# A date and a time",
                         dt.datetime(2026, 9, 15, 14, 45, tzinfo=CHICAGO),
                         dt.datetime(2026, 9, 15, 14, 45, tzinfo=CHICAGO)),
}
TITLES = {"flat-date.md": HARD_TITLE, "dict-date.md": HARD_FM_TITLE, "flat-datetime.md": "A date and a time"}
# Two build times years apart (mkdocs.utils.get_build_timestamp reads SOURCE_DATE_EPOCH):
# a feed that showed the build time anywhere would differ between the two builds.
BUILD_TIMES = ("1700000000", "1800000000")


@pytest.fixture(scope="module")
def hard_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("feeds") / "project")
    posts = project / "docs" / "blog" / "posts"
    for name, (front_matter, heading, _, _) in POSTS.items():
        (posts / name).write_text(f"---\n{front_matter}\n---\n\n{heading}\n\nA short paragraph.\n", encoding="utf-8")
    authors = project / "docs" / "blog" / ".authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8") + f"""  hard-author:
    name: {json.dumps(HARD_AUTHOR, ensure_ascii=False)}
    description: A sample author with a name that is hard to escape
    avatar: assets/avatar-sample.svg
""", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    allowed = "      categories_allowed:\n"
    assert allowed in text
    config.write_text(text.replace(allowed, f"{allowed}        - {json.dumps(HARD_CATEGORY, ensure_ascii=False)}\n"),
                      encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(hard_project, tmp_path_factory) -> list[dict[str, bytes]]:
    """The four feed files of two builds of the same project, at two build times (in this process:
    the feeds are what is read, not the printed words; the spell check is left out, as the hard
    texts are not English)."""
    results = []
    with pytest.MonkeyPatch.context() as patch:
        for build_time in BUILD_TIMES:
            patch.setenv("SOURCE_DATE_EPOCH", build_time)  # MkDocs reads it at build time
            site = tmp_path_factory.mktemp("feeds-site")
            run = harness.build_in_process(hard_project / "mkdocs.yml", site, spelling=False)
            assert isinstance(run, pipeline.Run), str(run)
            results.append({name: (site / name).read_bytes() for name in FEED_FILES})
            results[-1]["cards"] = {str(path.relative_to(site)): path.stat().st_size
                                    for path in (site / "assets" / "images" / "social").rglob("*.png")}
    return results


def rss(built, name: str):
    return SafeET.fromstring(built[0][name]).find("channel")


def items_by_link(channel) -> dict[str, object]:
    return {entry.findtext("link").rsplit("/", 2)[-2]: entry for entry in channel.findall("item")}


@pytest.mark.build
@pytest.mark.parametrize("name", ["feed_rss_created.xml", "feed_rss_updated.xml"])
def test_rss_feeds_are_well_formed_rss_2_0_with_rfc_822_dates(built, name):
    root = SafeET.fromstring(built[0][name])  # raises on malformed XML
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for tag in ("title", "link", "description"):  # RSS 2.0, "Required channel elements"
        assert channel.findtext(tag), tag
    entries = channel.findall("item")
    assert len(entries) >= 5
    dates = []
    for entry in entries:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert entry.findtext(tag), (tag, entry.findtext("link"))
        assert entry.findtext("guid") == entry.findtext("link")
        dates.append(parsedate_to_datetime(entry.findtext("pubDate")))
        assert dates[-1].tzinfo is not None
    assert dates == sorted(dates, reverse=True), "newest first"
    assert parsedate_to_datetime(channel.findtext("pubDate")) == dates[0]
    # Each post's picture is the social card the theme drew for it, with the card's own size.
    cards = built[0]["cards"]
    enclosures = [entry.find("enclosure").attrib for entry in entries]
    assert len(enclosures) == len(entries) and all(enclosure["type"] == "image/png" for enclosure in enclosures)
    for enclosure in enclosures:
        path = enclosure["url"].removeprefix("https://example.org/")
        assert cards.get(path) == int(enclosure["length"]), (path, sorted(cards))


@pytest.mark.build
@pytest.mark.parametrize("name", ["feed_json_created.json", "feed_json_updated.json"])
def test_json_feeds_are_json_feed_1_1_with_rfc_3339_dates(built, name):
    document = json.loads(built[0][name])
    assert document["version"] == "https://jsonfeed.org/version/1.1" and document["title"]
    assert document["feed_url"].endswith(name)
    assert len(document["items"]) >= 5
    for entry in document["items"]:
        assert entry["id"] and ("content_text" in entry or "content_html" in entry)
        for key in ("date_published", "date_modified"):
            assert RFC3339.match(entry[key]), entry[key]
    order = "date_published" if "created" in name else "date_modified"
    dates = [dt.datetime.fromisoformat(entry[order]) for entry in document["items"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.build
def test_every_feed_date_is_the_front_matter_date(built):
    for order, rss_name, json_name in (("created", "feed_rss_created.xml", "feed_json_created.json"),
                                       ("updated", "feed_rss_updated.xml", "feed_json_updated.json")):
        entries = items_by_link(rss(built, rss_name))
        json_items = {entry["id"].rsplit("/", 2)[-2]: entry for entry in json.loads(built[0][json_name])["items"]}
        for name, (_, _, created, updated) in POSTS.items():
            slug = name.removesuffix(".md")
            expected = created if order == "created" else updated
            assert parsedate_to_datetime(entries[slug].findtext("pubDate")) == expected, (rss_name, name)
            assert dt.datetime.fromisoformat(json_items[slug]["date_published"]) == created, name
            assert dt.datetime.fromisoformat(json_items[slug]["date_modified"]) == updated, name
        # The sample post written with only `created:` is dated by it in the "updated" feed too.
        welcome = dt.datetime(2026, 11, 20, tzinfo=CHICAGO)   # the clinic's time zone (mkdocs.yml time_zone)
        assert parsedate_to_datetime(entries["welcome-to-our-guide"].findtext("pubDate")) == welcome


@pytest.mark.build
def test_hard_strings_come_back_unchanged_from_both_feeds(built):
    for rss_name, json_name in (("feed_rss_created.xml", "feed_json_created.json"),
                                ("feed_rss_updated.xml", "feed_json_updated.json")):
        entries = items_by_link(rss(built, rss_name))
        json_items = {entry["id"].rsplit("/", 2)[-2]: entry for entry in json.loads(built[0][json_name])["items"]}
        for name, title in TITLES.items():
            slug = name.removesuffix(".md")
            assert entries[slug].findtext("title") == title and json_items[slug]["title"] == title
        flat, both = entries["flat-date"], entries["dict-date"]
        assert flat.findtext("description") == HARD_DESCRIPTION
        assert json_items["flat-date"]["content_text"] == HARD_DESCRIPTION
        assert [creator.text for creator in flat.findall(DC_CREATOR)] == [HARD_AUTHOR]
        assert [creator.text for creator in both.findall(DC_CREATOR)] == \
            [HARD_AUTHOR, "Sam Sample, LMT (sample author)"]
        assert json_items["flat-date"]["authors"] == [{"name": HARD_AUTHOR}]
        assert [category.text for category in flat.findall("category")] == [HARD_CATEGORY]
        assert json_items["flat-date"]["tags"] == [HARD_CATEGORY]


@pytest.mark.build
def test_two_builds_of_the_same_posts_give_byte_identical_feeds(built):
    first, second = built
    for name in FEED_FILES:
        assert first[name] == second[name], f"{name} differs between two builds of the same content"
