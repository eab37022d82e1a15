"""The blog as the stage sees it: which pages are posts, their dates, and the address each is
published at, worked out before the engine runs (the home page lists the latest posts, and the
structured data and feeds name each post's address).

The address rule is Material's blog plugin's (9.8, `_format_path_for_post`): blog_dir, then
`post_url_format` ("{date}/{slug}") with the date written in `post_url_date_format` ("yyyy/MM/dd",
a Babel pattern) and the slug from `slug:` or the title made lowercase with "-" (pymdownx.slugs).
Zensical's blog module keeps the same settings and rule. The post-build stage checks that every
post was written where this says (clinic_site.postbuild), so a change of rule cannot go unseen.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from typing import Any

from babel.dates import format_date
from pymdownx.slugs import slugify

from clinic_site.feeds import plain_title

_slugify = slugify(case="lower")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


@dataclasses.dataclass(frozen=True)
class BlogSettings:
    """The blog plugin's settings that decide posts and their addresses (mkdocs.yml `plugins: blog:`)."""

    blog_dir: str = "blog"
    post_url_format: str = "{date}/{slug}"
    post_url_date_format: str = "yyyy/MM/dd"
    post_slugify_separator: str = "-"
    categories_allowed: tuple[str, ...] = ()
    draft: bool = False            # publish drafts too (Material's `draft`)
    draft_on_serve: bool = True    # the preview shows drafts

    @classmethod
    def of(cls, options: dict | None) -> BlogSettings | None:
        """From the plugin's options as written ({} when listed bare); None without a blog."""
        if options is None:
            return None
        known = {field.name for field in dataclasses.fields(cls)}
        values = {key: value for key, value in options.items() if key in known}
        if "categories_allowed" in values:
            values["categories_allowed"] = tuple(str(name) for name in values["categories_allowed"] or ())
        return cls(**values)

    @property
    def posts_dir(self) -> str:
        return f"{self.blog_dir}/posts/"


def is_post(src_uri: str, blog: BlogSettings | None) -> bool:
    return blog is not None and src_uri.startswith(blog.posts_dir) and src_uri.endswith(".md")


def post_title(meta: dict, markdown: str) -> str:
    """A post's title as the blog plugin takes it: `title:` or the first "# " heading, as text."""
    if meta.get("title") is not None:
        return str(meta["title"])
    heading = _HEADING.search(markdown)
    return heading.group(1).strip() if heading else ""


def created(meta: dict) -> dt.date | None:
    """The day a post was first published: `date:` or `date: created:`, None when unreadable."""
    value: Any = meta.get("date")
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def updated(meta: dict) -> dt.date | None:
    """`date: updated:` when given, as a day."""
    value: Any = meta.get("date")
    value = value.get("updated") if isinstance(value, dict) else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def post_src_uri(meta: dict, markdown: str, src_uri: str, blog: BlogSettings) -> str | None:
    """Where the blog plugin puts a post ("blog/2026/11/20/welcome-to-our-guide.md", as a page
    source path), or None when its date cannot be read (a rule names that)."""
    day = created(meta)
    if day is None:
        return None
    slug = meta.get("slug") or _slugify(plain_title({}, post_title(meta, markdown)), blog.post_slugify_separator)
    categories = meta.get("categories") if isinstance(meta.get("categories"), list) else []
    path = blog.post_url_format.format(
        categories=_slugify(str(categories[0]), "-") if categories else "",
        date=format_date(day, format=blog.post_url_date_format, locale="en"),
        file=posixpath.basename(src_uri)[:-3], slug=slug)
    return posixpath.join(blog.blog_dir, posixpath.normpath(path.strip("/")) + ".md")


def is_future(meta: dict, today: dt.date | None) -> bool:
    """Whether a post is dated after `today` (the run's day, pipeline.today(): the clinic's day, or
    $CLINIC_TODAY): such a post is a draft until its day comes, whatever the engine's settings."""
    day = created(meta)
    return today is not None and day is not None and day > today


def ahead_warning(meta: dict, today: dt.date) -> tuple[str, str, str] | None:
    """(field, what, fix) of the warning for a post dated after `today` that is not a draft
    anyway: staff see why it is not on the site yet, and that it will be."""
    day = created(meta)
    if day is None or day <= today or meta.get("draft") is True:
        return None
    return ("date", f"is {day.isoformat()}, after today ({today.isoformat()}): the post is a draft until that "
            "day, shown in the preview only",
            "nothing to do if that is meant: the daily build publishes it on that day")


def is_draft(meta: dict, blog: BlogSettings, serving: bool, today: dt.date | None = None) -> bool:
    """Whether a post stays off this run's site: `draft: true`, unless the blog publishes drafts
    (or this is the preview and it shows them); or dated after `today`, unless this is the preview
    and it shows drafts (the blog's `draft: true` setting does not publish a post ahead of its day)."""
    if is_future(meta, today):
        return not (serving and blog.draft_on_serve)
    if meta.get("draft") is not True:
        return False
    return not (blog.draft or (serving and blog.draft_on_serve))
