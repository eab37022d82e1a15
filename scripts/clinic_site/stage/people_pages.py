"""A page for every person of .authors.yml whose `url` is a page of this site that nobody wrote.

A guide page's "Medically reviewed by" line and a post's author link to the person's `url`
(people/<id>/). A new reviewer added to docs/blog/.authors.yml only would make every such link a
"page not found"; instead the stage makes their page from their entry: their name, their
description, and the pages they reviewed and the posts they wrote. A page written by hand
(docs/people/<id>.md) always wins, and says more.
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterable

from markupsafe import escape

from clinic_site import seo, yamlfile
from clinic_site.problems import Problem
from clinic_site.sources import Source
from clinic_site.stage.finder import Generated
from clinic_site.stage.pages import PageContext, PageRecord, page_url, structured_data

# A page's description is 50 to 160 characters (content_rules); a short entry gets this added.
_MIN, _MAX = 50, 160


def missing_pages(people: dict[str, dict], sources: dict[str, Source]) -> dict[str, str]:
    """{src_uri ("people/jo-real.md"): person id} for each person whose url is a page of this
    site with no Markdown file behind it."""
    found = {}
    for person_id, person in people.items():
        url = str(person.get("url") or "")
        if not url or "://" in url or url.startswith(("mailto:", "tel:", "#")):
            continue
        path = url.strip("/").split("#")[0]
        if not path or path.endswith((".md", ".html")):
            continue
        if f"{path}.md" in sources or f"{path}/index.md" in sources:
            continue
        found[f"{path}.md"] = person_id
    return found


# Where the pages made for people go: an address elsewhere may be one the build makes for itself
# (the blog's archive and categories, search-index/), and a made page would take it or lose it.
FOLDER = "people/"


def stray_problems(people: dict[str, dict], sources: dict[str, Source], authors_text: str,
                   authors_shown: str, generated: Iterable[str] = ()) -> list[Problem]:
    """A person whose `url` is an address of this site that no page holds, outside people/: no page
    is made there (generate), and this names the setting. An address the stage makes a page for
    (`generated`: a therapist's own listing page) is a page."""
    found = []
    made = {uri.removesuffix("/index.md").removesuffix(".md") for uri in generated}
    for uri, person_id in sorted(missing_pages(people, sources).items()):
        if uri.startswith(FOLDER) or uri.removesuffix(".md") in made:
            continue
        url = people[person_id].get("url")
        line = yamlfile.node_line(_composed(authors_text), "authors", person_id, "url")
        found.append(Problem(authors_shown, line, f"authors.{person_id}.url",
                             f"is '{url}', which no page in docs/ holds; a page is made for a person only in "
                             f"{FOLDER} (elsewhere it could take an address the site uses itself)",
                             f"write {FOLDER}{person_id}/, or the address of an existing page, or the person's own "
                             "https:// address"))
    return found


def _composed(text: str):
    try:
        return yamlfile.compose(text, yamlfile.SettingsLoader)
    except Exception:   # noqa: BLE001 - the file's own reader names what is wrong with it
        return None


def _description(person: dict) -> str:
    name, text = str(person.get("name") or ""), str(person.get("description") or "").strip().rstrip(".")
    sentence = f"{name}: {text}." if text else f"{name}, named on this site."
    if len(sentence) < _MIN:
        sentence += " Their pages and posts on this site."
    return sentence if len(sentence) <= _MAX else sentence[:_MAX - 1].rsplit(" ", 1)[0] + "…"


def relative(target: str, url: str, directory_urls: bool) -> str:
    """The link from the page at `url` to the page at `target` (both site addresses, "" the home)."""
    here = url.rstrip("/") if directory_urls else posixpath.dirname(url)
    href = posixpath.relpath(target.rstrip("/") or ".", here or ".")
    return href + "/" if directory_urls and (target.endswith("/") or not target) else href


def generate(people: dict[str, dict], sources: dict[str, Source], records: dict[str, PageRecord],
             context: PageContext, authors_shown: str) -> dict[str, Generated]:
    """The people pages to make, by src_uri, each named (for problems) by .authors.yml."""
    made: dict[str, Generated] = {}
    for uri, person_id in missing_pages(people, sources).items():
        if not uri.startswith(FOLDER):
            continue   # named by stray_problems
        person = people[person_id]
        name = str(person.get("name") or person_id)
        url = page_url(uri, context.use_directory_urls)

        def link(record: PageRecord, url: str = url) -> str:
            return f'<li><a href="{escape(relative(record.url, url, context.use_directory_urls))}">' \
                   f'{escape(record.title)}</a></li>'

        reviewed = [record for record in records.values() if record.meta.get("reviewed_by") == person_id]
        wrote = [record for record in records.values() if record.kind == "post"
                 and person_id in (record.meta.get("authors") or [])]
        parts = [f"<h1>{escape(name)}</h1>"]
        if person.get("description"):
            parts.append(f"<p>{escape(str(person['description']))}</p>")
        if reviewed:
            parts.append("<h2>Pages reviewed</h2><ul>" + "".join(map(link, sorted(reviewed, key=lambda r: r.title)))
                         + "</ul>")
        if wrote:
            parts.append("<h2>Posts</h2><ul>" + "".join(map(link, sorted(wrote, key=lambda r: r.title))) + "</ul>")
        description = _description(person)
        # A generated page's title and description reach Material's templates as they are (marked
        # escaped already: engines/mkdocs/escaping.page_meta): escaped here once, as the finder's
        # are; the record keeps the plain text (structured data, the head's tags escape it there).
        settings = {"title": str(escape(name)), "description": str(escape(description))}
        record = PageRecord(uri, authors_shown, url, "page", name, description, {"title": name,
                                                                                 "description": description})
        record.structured_data = structured_data(record, context)
        meta = {**settings, "clinic": {"title": seo.page_title(name, context.clinic), "generated": True}}
        made[uri] = Generated(meta, "\n".join(parts), record)
    return made
