"""What pages show around their own words: the edit link, the Previous/Next bar, and what the
home page lists besides its Markdown (the latest blog posts, each service's page address).

Pure functions; scripts/hooks/layout.py hands their results to the templates (overrides/home.html,
overrides/main.html).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic_site.feeds import plain_title

# The preview's problem box (clinic_site.problems.problem_box), which the content hook puts
# before a page's content: its first and last characters.
PROBLEM_BOX_START = '<div class="admonition failure clinic-problems"'
PROBLEM_BOX_END = "</ul></div>"


@dataclass(frozen=True)
class PostLink:
    """A blog post as the home page lists it."""
    title: str  # plain text
    url: str  # site-relative, as MkDocs gives it ("blog/2026/11/20/welcome-to-our-guide/")
    date: dt.date
    description: str

    @property
    def date_label(self) -> str:
        return f"{self.date:%B} {self.date.day}, {self.date.year}"


def latest_posts(posts, count: int = 3) -> list[PostLink]:
    """The `count` newest of the blog plugin's posts (its `blog.posts`: drafts are already left
    out of a build), newest first, by the date each was first published."""
    def created(post) -> dt.date:
        value = post.config.date.created
        return value.date() if isinstance(value, dt.datetime) else value

    newest = sorted(posts, key=created, reverse=True)[:count]
    # Plain text (a title from the post's heading keeps its entities: "Tennis &amp; elbow"),
    # escaped once by the template.
    return [PostLink(title=plain_title(post.meta or {}, post.title), url=post.url, date=created(post),
                     description=str((post.meta or {}).get("description") or "")) for post in newest]


def edit_url(url: str | None, serving: bool) -> str | None:
    """The "Edit this page" address: only in the local preview (`mkdocs serve`), where staff
    edit; the published site has none (its visitors are patients, not editors)."""
    return url if serving else None


def neighbour(page, other):
    """`other` (the page's previous or next page) when both are in the same section of the menu
    (their parent), else None: the Previous/Next bar reads through a section (the guide), and
    does not send a reader from the home page to the guide, from the therapist finder to the
    blog, or from the blog's front page to a list of its categories."""
    parent = getattr(page, "parent", None)
    if other is None or parent is None or getattr(other, "parent", None) is not parent:
        return None
    return other


def split_problem_box(content: str) -> tuple[str, str]:
    """(the preview's problem box, the rest) of a page's content; ("", content) without a box.
    The home page shows its Markdown halfway down, and the box at the top instead."""
    if not content.startswith(PROBLEM_BOX_START) or PROBLEM_BOX_END not in content:
        return "", content
    end = content.index(PROBLEM_BOX_END) + len(PROBLEM_BOX_END)
    return content[:end], content[end:]
