"""Text from staff reaches Material's templates escaped exactly once (issue 21).

Material prints some settings and front matter fields as they are, as HTML (`{{ page.meta.title }}`
in the header, `aria-label="{{ config.site_name }}"`, `{{ author.description }}`), and escapes
others (`{{ config.site_name | e }}`, `{{ page.next_page.title | e }}`). No one value fits both, so
each such text is handed to the templates as markupsafe's Markup, escaped once: printed as it is
it shows the text as written, and `| e` leaves it alone. A literal "&amp;" in a title then shows
as "&amp;", and `"><img src=x onerror=…>` shows as those characters, in every place alike.

The plugins read the same values: Material's search copies the title into its index (HTML, which
the theme writes as HTML: escaped once is right), its social cards decode the text before drawing
it (escaped once draws the text as written). The finder's generated pages are escaped by the
stage already (clinic_site.finder.pages): they are marked as such, never escaped twice.
"""
from __future__ import annotations

from markupsafe import Markup, escape

# Settings printed into pages (the header, the menu, <meta>, the footer).
SETTINGS = ("site_name", "site_description", "site_author", "copyright")
# Front matter text printed into pages (header, <h1> of a page without one, menu, <meta>, home page).
PAGE_TEXT = ("title", "subtitle", "description", "offer")
# What the blog shows of each person (.authors.yml).
PERSON_TEXT = ("name", "description")


def once(value: object) -> object:
    """`value` escaped once as Markup when it is text (Markup already is: left as it is)."""
    return escape(value) if isinstance(value, str) else value


def settings(config) -> None:
    """The text settings of MkDocs' `config`, escaped once."""
    for key in SETTINGS:
        if isinstance(config.get(key), str):
            config[key] = once(config[key])


def page_meta(meta: dict, already_escaped: bool = False) -> None:
    """A page's front matter text, escaped once (`already_escaped`: the stage escaped it: only marked)."""
    for key in PAGE_TEXT:
        value = meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            meta[key] = Markup(value) if already_escaped else escape(value)


def authors(plugins) -> None:
    """The blog's people (Material's blog plugin reads them in its on_config), their text escaped once."""
    blog = plugins.get("material/blog")
    for author in (getattr(blog, "authors", None) or {}).values():
        for key in PERSON_TEXT:
            if isinstance(author.get(key), str):
                author[key] = once(author[key])
