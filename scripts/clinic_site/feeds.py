"""The blog's feeds, RSS 2.0 and JSON Feed 1.1: each post's own dates, plain text escaped once.

Pure functions; the post-build stage (clinic_site/postbuild/publish.py) hands them each post's
own front matter and writes what they return. Every text here is plain text (what a reader should
see, "Tennis & golfer's elbow"), and each writer escapes it once for its own format: the RSS
writer through an XML serializer, the JSON writer through `json`. Nothing is escaped by hand.

Specifications followed, cited by section where a rule comes from:
  RSS 2.0       https://www.rssboard.org/rss-specification
  JSON Feed 1.1 https://www.jsonfeed.org/version/1.1/
  RFC 822 dates as RSS 2.0 uses them (with four-digit years, RFC 1123/2822), RFC 3339 for JSON Feed
  XML 1.0 (Fifth Edition) section 2.2, "Characters"
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from email.utils import format_datetime
from typing import Literal

ATOM = "http://www.w3.org/2005/Atom"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("atom", ATOM)
ET.register_namespace("dc", DUBLIN_CORE)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
Order = Literal["created", "updated"]

# XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
# Anything else (most C0 controls, lone surrogates, U+FFFE, U+FFFF) cannot appear in an XML
# document at all, not even as a character reference.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclasses.dataclass(frozen=True)
class Enclosure:
    """A picture of the post (its social card): absolute `url`, MIME `type`, `length` in bytes."""

    url: str
    type: str
    length: int


@dataclasses.dataclass(frozen=True)
class FeedItem:
    """One post as both feeds carry it.

    id, url:      the post's permanent address (absolute URL); `id` is the RSS guid and JSON id
    title:        plain text, as readers should see it
    created:      when the post was written; timezone-aware
    updated:      when it was last changed (equal to `created` if never); timezone-aware
    description:  plain text, or HTML when `description_is_html`
    authors:      display names, plain text
    categories:   plain text
    image:        the post's picture, or None
    """

    id: str
    url: str
    title: str
    created: dt.datetime
    updated: dt.datetime
    description: str = ""
    description_is_html: bool = False
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: Enclosure | None = None


@dataclasses.dataclass(frozen=True)
class Channel:
    """What a feed says about itself. Texts are plain text; addresses are absolute URLs.

    home_url:    the site (RSS <link>, JSON home_page_url)
    rss_url:     this RSS file's own address (atom:link rel="self"), or None
    json_url:    this JSON file's own address (feed_url), or None
    logo_url:    the site's logo (RSS <image>, JSON icon), or None
    language:    a language tag such as "en", or None
    author:      who publishes the feed (JSON top-level authors; RSS has no place for a name:
                 its managingEditor is an email address), or None
    ttl_minutes: how long readers may cache the feed (RSS <ttl>), or None
    stylesheet:  address of an XSL stylesheet for browsers (RSS only), or None
    """

    title: str
    home_url: str
    description: str
    rss_url: str | None = None
    json_url: str | None = None
    logo_url: str | None = None
    language: str | None = None
    ttl_minutes: int | None = None
    generator: str | None = None
    stylesheet: str | None = None
    author: str | None = None


# ---- what goes in ----

class DateError(ValueError):
    """A front matter date a feed cannot use: `field` ("date", "date.created"), `what` is wrong, the `fix`."""

    def __init__(self, field: str, what: str, fix: str):
        self.field, self.what, self.fix = field, what, fix
        super().__init__(f"'{field}' {what}; {fix}")


def _as_datetime(value: object, field: str, zone: dt.tzinfo) -> dt.datetime:
    # datetime is a subclass of date: test it first, or the time of day is lost.
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=zone)
    what = "is missing" if value is None else f"is {value!r}, not a date"
    raise DateError(field, what, "write a date such as 2026-11-25 (or a date and time such as 2026-11-25 09:30:00)")


def post_dates(date: object, zone: dt.tzinfo = dt.UTC) -> tuple[dt.datetime, dt.datetime]:
    """A blog post's (created, updated) from its front matter `date:`, as Material's blog reads it,
    in the clinic's time zone `zone` (clinic_details.zone; UTC when not given).

    Accepts every form Material for MkDocs 9.8.1 accepts (material/plugins/blog/structure/
    options.py, PostDate.pre_validation), as YAML loads them (`datetime.date`/`datetime`):
      date: 2026-11-25                          created: that day in the clinic, from midnight there
                                                (2026-11-25T00:00:00-06:00 in America/Chicago)
      date: 2026-11-25 09:30:00                 created: that time of day in the clinic (no zone given)
      date: 2026-11-25T09:30:00-06:00           created: that instant
      date: {created: ..., updated: ...}        each as above; other keys are ignored
    A post never changed has updated == created. Returns timezone-aware datetimes.
    Raises DateError (a ValueError naming the field) for anything else (no date, a missing
    `created`, a string in quotes): a feed date never falls back to the time of the build.
    """
    if isinstance(date, Mapping):
        created = _as_datetime(date.get("created"), "date.created", zone)
        updated = date.get("updated")
        return created, created if updated is None else _as_datetime(updated, "date.updated", zone)
    created = _as_datetime(date, "date", zone)
    return created, created


def plain_title(meta: Mapping, rendered_title: str | None) -> str:
    """A page's title as plain text.

    A front matter `title:` is plain text already. Otherwise MkDocs 1.6.1 takes the title from
    the first heading as rendered HTML with the tags stripped but the entities kept
    (mkdocs/utils/rendering.py, get_heading_text: "HTML entities are unaffected"), so
    `# Tennis & elbow` arrives as "Tennis &amp; elbow"; its entities are decoded here, once.
    """
    if meta.get("title") is not None:
        return str(meta["title"])
    return html.unescape(rendered_title or "")


def newest_first(items: Iterable[FeedItem], order: Order, length: int | None = None) -> list[FeedItem]:
    """The `length` newest items by `order` ("created" or "updated"), newest first; all if None.

    Ties are broken by address, so the same posts always come out in the same order.
    """
    ordered = sorted(items, key=lambda item: item.id)
    ordered.sort(key=lambda item: getattr(item, order), reverse=True)  # stable: ties keep address order
    return ordered if length is None else ordered[:length]


# ---- dates in each format ----

def rfc822(moment: dt.datetime) -> str:
    """A timezone-aware datetime as RSS 2.0 dates are written ("Date and Time Specification of
    RFC 822, with the exception that the year may be expressed with two characters or four
    characters (four preferred)"): 'Wed, 25 Nov 2026 00:00:00 +0000'. Raises ValueError if naive."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no timezone")
    return format_datetime(moment)


def rfc3339(moment: dt.datetime) -> str:
    """A timezone-aware datetime as JSON Feed 1.1 dates are written (RFC 3339, section "Items",
    date_published): '2026-11-25T00:00:00+00:00'. Raises ValueError if naive."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no timezone")
    return moment.isoformat()


# ---- the RSS 2.0 file ----

def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (section 2.2: most control characters,
    lone surrogates, U+FFFE, U+FFFF); everything else, '&', '<' and quotes included, is kept
    and left to the serializer to escape."""
    return _NOT_XML_CHAR.sub("", text)


def _element(parent: ET.Element, tag: str, text: object = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {name: xml_text(value) for name, value in attributes.items()})
    if text is not None:
        child.text = xml_text(str(text))
    return child


def rss_xml(channel: Channel, items: Sequence[FeedItem], order: Order, pretty: bool = False) -> bytes:
    """The RSS 2.0 document (UTF-8 bytes) of `items` in the order given, dated by `order`.

    Channel (RSS 2.0 "Required channel elements"): title, link, description; then atom:link
    rel="self" (RSS Advisory Board best practice), language, pubDate (the newest item's date by
    `order`), lastBuildDate (the newest change of any item: "the last time the content of the
    channel changed"), ttl, generator, image. No date is the time of the build, so the same
    posts give the same bytes.
    Each item: title, link, description, dc:creator per author (RSS 2.0 <author> must be an
    email address; a name goes in Dublin Core's creator), category per category, guid
    (isPermaLink), pubDate (RFC 822), enclosure (url, type, length, all three required).
    """
    rss = ET.Element("rss", {"version": "2.0"})
    feed = _element(rss, "channel")
    _element(feed, "title", channel.title)
    _element(feed, "link", channel.home_url)
    _element(feed, "description", channel.description)
    if channel.rss_url:
        _element(feed, f"{{{ATOM}}}link", href=channel.rss_url, rel="self", type="application/rss+xml")
    if channel.language:
        _element(feed, "language", channel.language)
    if items:
        _element(feed, "pubDate", rfc822(max(getattr(item, order) for item in items)))
        _element(feed, "lastBuildDate", rfc822(max(max(item.created, item.updated) for item in items)))
    if channel.ttl_minutes is not None:
        _element(feed, "ttl", channel.ttl_minutes)
    if channel.generator:
        _element(feed, "generator", channel.generator)
    if channel.logo_url:
        image = _element(feed, "image")
        _element(image, "url", channel.logo_url)
        _element(image, "title", channel.title)
        _element(image, "link", channel.home_url)
    for item in items:
        entry = _element(feed, "item")
        _element(entry, "title", item.title)
        _element(entry, "link", item.url)
        _element(entry, "description", item.description)
        for author in item.authors:
            _element(entry, f"{{{DUBLIN_CORE}}}creator", author)
        for category in item.categories:
            _element(entry, "category", category)
        _element(entry, "guid", item.id, isPermaLink="true")
        _element(entry, "pubDate", rfc822(getattr(item, order)))
        if item.image and item.image.type and item.image.length is not None:
            _element(entry, "enclosure", url=item.image.url, type=item.image.type, length=str(item.image.length))
    if pretty:
        ET.indent(rss)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if channel.stylesheet:
        # A processing instruction's pseudo-attribute, quoted as an XML attribute value.
        href = html.escape(xml_text(channel.stylesheet).replace("?>", ""), quote=True)
        head += f'<?xml-stylesheet type="text/xsl" href="{href}"?>\n'
    return (head + ET.tostring(rss, encoding="unicode") + "\n").encode("utf-8")


# ---- the JSON Feed 1.1 file ----

def json_feed(channel: Channel, items: Sequence[FeedItem], pretty: bool = False) -> bytes:
    """The JSON Feed 1.1 document (UTF-8 bytes) of `items` in the order given.

    Top level (section "JSON Feed"): version and title (required), home_page_url, feed_url,
    description, icon, language, authors, items (required). Each item (section "Items"): id (required),
    url, title, content_text for a plain-text description or content_html for an HTML one
    ("one or the other must be present"), image, date_published and date_modified (RFC 3339),
    authors, tags. Optional fields without a value are left out, never written as null.
    """
    def item_object(item: FeedItem) -> dict:
        content = "content_html" if item.description_is_html else "content_text"
        data: dict[str, object] = {"id": item.id, "url": item.url, "title": item.title, content: item.description}
        if item.image:
            data["image"] = item.image.url
        data["date_published"] = rfc3339(item.created)
        data["date_modified"] = rfc3339(item.updated)
        if item.authors:
            data["authors"] = [{"name": name} for name in item.authors]
        if item.categories:
            data["tags"] = list(item.categories)
        return data

    optional: dict[str, object] = {
        "home_page_url": channel.home_url, "feed_url": channel.json_url, "description": channel.description,
        "icon": channel.logo_url, "language": channel.language,
        "authors": [{"name": channel.author}] if channel.author else None}
    document = {"version": JSON_FEED_VERSION, "title": channel.title,
                **{key: value for key, value in optional.items() if value},
                "items": [item_object(item) for item in items]}
    return (json.dumps(document, ensure_ascii=False, indent=2 if pretty else None) + "\n").encode("utf-8")
