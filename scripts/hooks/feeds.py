"""MkDocs hook: the blog's feeds with each post's own dates and every text escaped once.

mkdocs-rss-plugin 1.19.0 still chooses the posts and gathers their addresses, descriptions,
authors, categories and card pictures; this hook corrects what it gets wrong and no setting
of it changes (the rules are pure functions in scripts/clinic_site/feeds.py):

- Dates. `date_from_meta` reads one front matter key, `date.created`: a post written with
  Material's flat form `date: 2026-11-25` has none, so the plugin dates it at the time of the
  build (it jumps to the top of the feed), and a post without `updated:` gets the build time in
  the "updated" feed; the channel's pubDate and lastBuildDate are the build time as well.
- Escaping. Its RSS template escapes titles that MkDocs has already escaped (`&amp;amp;`),
  and writes author names, categories and the site name (in <source> and <image>) without
  escaping, so one `&` or `<` makes the feed malformed XML; its JSON feed carries the escaped
  title and puts a plain-text description in content_html.

on_env (every page has been read; the plugin has not yet chosen the newest posts): give each
post it collected its dates from the front matter and its title as plain text.
on_post_build (after the plugin has written its files): write the RSS and JSON files again
from the same posts with clinic_site.feeds.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from clinic_site import feeds
from clinic_site.problems import Problem, ProblemsFound, front_matter_line

PLUGIN_VERSION = "1.19.0"  # the version this hook reads; tests/test_feeds.py checks the attributes


def _rss_plugins(config) -> list:
    from mkdocs_rss_plugin.plugin import GitRssPlugin

    plugins = [plugin for plugin in config.plugins.values()
               if isinstance(plugin, GitRssPlugin) and plugin.config.enabled]
    for plugin in plugins:
        missing = [name for name in ("pages_to_filter", "feed_created", "feed_updated") if not hasattr(plugin, name)]
        if missing:
            raise PluginError(f"mkdocs-rss-plugin no longer has {', '.join(missing)}; scripts/hooks/feeds.py "
                              f"was written for version {PLUGIN_VERSION}: update the hook or pin the plugin")
    return plugins


def on_env(env, config, files):
    problems = []
    root = Path(config.config_file_path).resolve().parent
    for plugin in _rss_plugins(config):
        for post in plugin.pages_to_filter:
            page = post._mkdocs_page_ref
            try:
                post.created, post.updated = feeds.post_dates(page.meta.get("date"))
            except feeds.DateError as error:
                source = Path(page.abs_src_path)
                line = front_matter_line(source.read_text(encoding="utf-8"), "date")
                problems.append(Problem(Path(os.path.relpath(source, root)).as_posix(), line, error.field,
                                        error.what, error.fix))
            post.title = feeds.plain_title(page.meta, page.title)
    if problems:
        raise ProblemsFound(problems, "Blog posts whose feed dates cannot be read; fix them and build again:")
    return env


@event_priority(-100)  # after the rss plugin has written its files
def on_post_build(config):
    for plugin in _rss_plugins(config):
        settings = plugin.config
        orders: tuple[tuple[Any, Literal["created", "updated"], str, str], ...] = (
            (plugin.feed_created, "created", settings.feeds_filenames.rss_created,
             settings.feeds_filenames.json_created),
            (plugin.feed_updated, "updated", settings.feeds_filenames.rss_updated,
             settings.feeds_filenames.json_updated))
        for feed, order, rss_name, json_name in orders:
            items = feeds.newest_first((_item(post, settings.abstract_chars_count) for post in feed.entries), order)
            channel = feeds.Channel(
                title=feed.title or "", home_url=feed.html_url or "", description=feed.description or "",
                rss_url=feed.rss_url, json_url=feed.json_url, logo_url=feed.logo_url, language=feed.language,
                ttl_minutes=feed.ttl, generator=feed.generator, stylesheet=feed.stylesheet, author=feed.author)
            site_dir = Path(config.site_dir)
            if settings.rss_feed_enabled:
                (site_dir / rss_name).write_bytes(feeds.rss_xml(channel, items, order, settings.pretty_print))
            if settings.json_feed_enabled:
                (site_dir / json_name).write_bytes(feeds.json_feed(channel, items, settings.pretty_print))


def _item(post, abstract_chars_count: int) -> feeds.FeedItem:
    """One post as the rss plugin collected it (models.PageInformation), corrected in on_env."""
    image = post.image
    return feeds.FeedItem(
        id=post.guid, url=post.link, title=post.title, created=post.created, updated=post.updated,
        description=post.description or "",
        description_is_html=feeds.description_is_html(post._mkdocs_page_ref.meta, abstract_chars_count),
        authors=tuple(post.authors or ()), categories=tuple(post.categories or ()),
        image=feeds.Enclosure(*image) if image and image[0] else None)
