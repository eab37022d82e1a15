"""What pages show around their own words: the edit link, the Previous/Next bar, the marks on
lists of links.

Pure functions; the MkDocs adapter's on_page_context hands their results to the templates
(clinic_site/engines/mkdocs/plugin.py). What the home page lists besides its Markdown (the latest
posts, each service's page) is computed by the stage (clinic_site/stage/pages.py), and the
preview's problem box is put at the top of a page's article after the build (clinic_site.guard).
"""
from __future__ import annotations

import re


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


# A list item that is one link and nothing else, as Markdown writes it (tight or loose list).
_LINK_ITEM = re.compile(r"<li>(\s*(?:<p>)?<a\b[^>]*>(?:(?!</a>).)*?</a>(?:</p>)?\s*)</li>", re.S)


def mark_link_items(html: str) -> str:
    """`html` with each list item that holds one link and nothing else marked
    `<li class="link-item">`: on a phone such a link stands on its own, so it is a 44 px target
    (docs/assets/site.css), while a link inside a sentence stays inline and wraps with its words
    (WCAG 2.5.8's inline exception; issue 23). CSS cannot tell the two apart: text is not an
    element."""
    return _LINK_ITEM.sub(r'<li class="link-item">\1</li>', html)
