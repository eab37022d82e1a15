"""What pages show around their own words: the edit link and the Previous/Next bar.

Pure functions; the MkDocs adapter's on_page_context hands their results to the templates
(clinic_site/engines/mkdocs/plugin.py). What the home page lists besides its Markdown (the latest
posts, each service's page) is computed by the stage (clinic_site/stage/pages.py), and the
preview's problem box is put at the top of a page's article after the build (clinic_site.guard).
"""
from __future__ import annotations


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
