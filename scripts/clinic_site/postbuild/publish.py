"""The files the post-build stage writes beside the pages: the blog's RSS and JSON feeds, the
sitemaps and robots.txt, and the finder's data
files and ZIP positions. Each is made from what the stage knows (the posts' own dates, the
pages' content dates), never from the time of the build.
"""
from __future__ import annotations

import gzip
import html
import posixpath
import re
from pathlib import Path

from clinic_site import feeds, seo
from clinic_site.finder import shards, sitemaps, zip_positions
from clinic_site.problems import Problem, front_matter_line
from clinic_site.stage.pages import PageRecord, social_card_path

FEED_LENGTH = 20          # posts in each feed (the newest)
FEED_TTL_MINUTES = 1440   # readers may keep a feed a day
FEED_FILES = {"created": ("feed_rss_created.xml", "feed_json_created.json"),
              "updated": ("feed_rss_updated.xml", "feed_json_updated.json")}


def write_all(run, site_dir: Path, by_dest: dict[str, PageRecord]) -> list[Problem]:
    """Write every file above into `site_dir`; returns the problems met (a post whose dates the
    feeds cannot use)."""
    staged = run.staged
    settings = staged.settings
    site_url = settings.site_url
    problems = write_feeds(run, site_dir) if settings.plugin("blog") is not None else []
    post_dates = {record.url: record.lastmod for record in by_dest.values()
                  if record.kind == "post" and record.article and record.lastmod}
    blog_index = f"{staged.context.blog.blog_dir}/index.md" if staged.context.blog else None
    site_entries: list[tuple[str, str | None]] = []
    for dest, src_uri in sorted(run.output.pages.items()):
        record = by_dest.get(dest)
        url = site_url + (dest.removesuffix("index.html") if settings.use_directory_urls else dest)
        if record is None and src_uri is None:   # the blog's own views: as new as the newest post they list
            site_entries.append((url, listed_posts_date(site_dir, dest, post_dates)))
        elif record is not None and record.sitemap == "site":
            lastmod = record.lastmod
            if record.kind == "home" or record.src_uri == blog_index:   # they list the latest posts
                lastmod = max(filter(None, (lastmod, listed_posts_date(site_dir, dest, post_dates))), default=None)
            site_entries.append((url, lastmod))
    sitemap = sitemaps.urlset(site_entries)
    (site_dir / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode("utf-8"), mtime=0))
    finder_entries = [(site_url + record.url, record.lastmod) for record in by_dest.values()
                      if record.sitemap == "finder"]
    sitemaps.write(site_dir, site_url, finder_entries)
    (site_dir / "robots.txt").write_text(seo.robots_txt(site_url), encoding="utf-8")
    zip_positions.cache_for(run.project.cache_dir).copy_shards(site_dir)
    if staged.finder is not None:
        shards.write(staged.finder.listings, site_dir)
    return problems


_HREF = re.compile(r'<a\b[^>]*?\shref="([^"#?]*)', re.I)


def listed_posts_date(site_dir: Path, dest: str, post_dates: dict[str, str]) -> str | None:
    """The newest date (YYYY-MM-DD, each post's own sitemap date) of the posts the page written
    at `dest` links to, or None when it links to none: a blog page (index, page 2, archive,
    category) changes when a post it lists appears or changes, never with the build. `post_dates`:
    {a post's address in the site ("blog/2026/11/20/x/"): its date}."""
    try:
        text = (site_dir / dest).read_text(encoding="utf-8")
    except OSError:
        return None
    folder = posixpath.dirname(dest)
    found = []
    for href in _HREF.findall(text):
        if "://" in href or href.startswith(("/", "mailto:", "tel:")) or not href:
            continue
        target = posixpath.normpath(posixpath.join(folder, html.unescape(href)))
        for key in (target, target + "/", target.removesuffix("index.html")):
            if key in post_dates:
                found.append(post_dates[key])
                break
    return max(found, default=None)


def write_feeds(run, site_dir: Path) -> list[Problem]:
    """The blog's feeds, newest first by when each post was written (feed_*_created) and last
    changed (feed_*_updated), from the posts' own front matter dates."""
    staged = run.staged
    settings = staged.settings
    site_url = settings.site_url
    items, problems = [], []
    for record in staged.records.values():
        if record.kind != "post":
            continue
        try:
            created, updated = feeds.post_dates(record.meta.get("date"), staged.clinic.zone)
        except feeds.DateError as error:
            source = staged.sources[record.src_uri]
            problems.append(Problem(source.path, front_matter_line(source.text, "date"), error.field, error.what,
                                    error.fix))
            continue
        card = social_card_path(record, settings.use_directory_urls)
        image = feeds.Enclosure(site_url + card, "image/png", (site_dir / card).stat().st_size) \
            if (site_dir / card).is_file() else None
        people = record.article["people"] if record.article else []
        categories = record.meta.get("categories") if isinstance(record.meta.get("categories"), list) else []
        items.append(feeds.FeedItem(
            id=site_url + record.url, url=site_url + record.url, title=record.title, created=created,
            updated=updated, description=record.description, authors=tuple(str(person["name"]) for person in people),
            categories=tuple(str(category) for category in categories), image=image))
    logo = _logo_png(staged)
    for order, (rss_name, json_name) in FEED_FILES.items():
        chosen = feeds.newest_first(items, order, FEED_LENGTH)  # type: ignore[arg-type]
        channel = feeds.Channel(
            title=settings.site_name, home_url=site_url,
            description=str(settings.get("site_description") or ""), rss_url=site_url + rss_name,
            json_url=site_url + json_name, logo_url=site_url + logo if logo else None, language="en",
            ttl_minutes=FEED_TTL_MINUTES, generator="clinic-site",
            author=settings.site_name or None)   # the engine's site_author: clinic.yml's name too
        (site_dir / rss_name).write_bytes(feeds.rss_xml(channel, chosen, order))  # type: ignore[arg-type]
        (site_dir / json_name).write_bytes(feeds.json_feed(channel, chosen))
    return problems


def _logo_png(staged) -> str | None:
    """The clinic's logo as a PNG beside it (feed readers do not show SVG), if there is one."""
    logo = staged.clinic.logo
    if not logo:
        return None
    png = logo.rsplit(".", 1)[0] + ".png"
    return png if (staged.settings.docs_dir / png).is_file() else None
