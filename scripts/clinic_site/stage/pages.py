"""The site's Markdown pages as the stage takes them: each read once, held to the page rules,
given its address, and staged with the values its templates show (the `clinic:` key of its
front matter), or left out of the run when it cannot be built.

Templates call no Python: what a page shows beyond its own words (its <title>, its reviewer and
review dates as text, the home page's services, latest posts and therapists) is computed here and
written into the staged page's front matter as one line, `clinic: {…}` (JSON, which YAML reads).
Staff never write that key: a page that does is refused, so a page cannot forge what the stage says.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import posixpath
import re
from pathlib import Path
from typing import Any

import yaml

from clinic_site import content_rules, feeds, front_matter, seo
from clinic_site.clinic_settings import ClinicDetails
from clinic_site.problems import WARNING, Problem, errors, front_matter_line
from clinic_site.sources import Source, hidden_lines, read_source
from clinic_site.stage import blog as blog_rules
from clinic_site.theme import ThemeFiles

COMPUTED_KEY = "clinic"   # the front matter key the stage writes; staff may not
DATE_LABEL = "{:%B} {.day}, {:%Y}"   # "November 20, 2026"
_FRONT_MATTER = re.compile(r"\A(---[ \t]*\n(?:.*?\n)?)((?:---|\.\.\.)[ \t]*(?:\n|\Z))", re.S)


def day_label(day: dt.date) -> str:
    """"November 20, 2026" (US English, no leading zero)."""
    return DATE_LABEL.format(day, day, day)


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The address of a page inside the site, as MkDocs gives it (mkdocs/structure/files.py):
    "guide/safety.md" -> "guide/safety/", "guide/index.md" -> "guide/", "index.md" -> "";
    without directory URLs "guide/safety.html" and "guide/index.html"."""
    path = src_uri[:-3]
    name = posixpath.basename(path)
    if name in ("index", "README"):
        folder = posixpath.dirname(path)
        return (folder + "/" if folder else "") if use_directory_urls else posixpath.join(folder, "index.html")
    return path + "/" if use_directory_urls else path + ".html"


def dest_path(url: str) -> str:
    """The file a page's address is written to: "guide/" -> "guide/index.html"."""
    return url + "index.html" if url.endswith("/") or url == "" else url


@dataclasses.dataclass
class PageRecord:
    """One page the site publishes, as every later stage needs it.

    src_uri:     its source inside docs/ ("guide/safety.md"), or a generated page's
    shown:       where staff fix it ("docs/guide/safety.md"); a generated page names its data file
    url:         its address inside the site ("guide/safety/"); dest: the file ("guide/safety/index.html")
    kind:        "home", "guide", "post", "page", "listing", "city", "state" or "problem"
    title:       plain text; description: plain text (the meta description)
    lastmod:     YYYY-MM-DD for the sitemap, or None
    sitemap:     "site" (sitemap.xml), "finder" (the finder's own sitemaps) or "" (none)
    structured_data: the JSON-LD objects of its <head>
    article:     blog posts: {"published", "modified", "authors"} for the link-preview tags
    card:        the page whose social card it shows, when it draws none of its own (the finder's)
    """

    src_uri: str
    shown: str
    url: str
    kind: str
    title: str
    description: str
    meta: dict[str, Any]
    lastmod: str | None = None
    sitemap: str = "site"
    structured_data: list[dict] = dataclasses.field(default_factory=list)
    article: dict | None = None
    card: str | None = None

    @property
    def dest(self) -> str:
        return dest_path(self.url)


@dataclasses.dataclass
class PageContext:
    """What the page rules and the computed values need of the whole site."""

    facts: content_rules.SiteFacts
    blog: blog_rules.BlogSettings | None
    people: dict[str, dict]
    clinic: ClinicDetails
    site_url: str
    docs_path: str
    use_directory_urls: bool
    serving: bool
    git_dates: dict[str, str]
    nav: list
    theme: ThemeFiles | None = None   # the theme's templates and icons, to check the names pages give


def read_pages(files: dict[str, Path], context: PageContext) -> tuple[dict[str, Source], list[Problem]]:
    """Every Markdown page read once (by `src_uri`) and held to the page rules."""
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for src_uri, path in files.items():
        source, refused = front_matter.checked(read_source(path, f"{context.docs_path}/{src_uri}"), context.theme)
        sources[src_uri] = source
        problems += refused + front_matter.without_refused(content_rules.check_page(source, src_uri, context.facts),
                                                           source)
        problems += hidden_lines(source.text, source.path, source.front_matter_lines)
        ahead = blog_rules.ahead_warning(source.meta, context.facts.today) \
            if blog_rules.is_post(src_uri, context.blog) and isinstance(source.meta, dict) else None
        if ahead is not None:
            problems.append(Problem(source.path, front_matter_line(source.text, "date"), *ahead, severity=WARNING))
        if isinstance(source.meta, dict) and COMPUTED_KEY in source.meta:
            problems.append(Problem(source.path, front_matter_line(source.text, COMPUTED_KEY), COMPUTED_KEY,
                                    "is a name the site keeps for what it computes", "remove the line"))
    return sources, problems


def blocking(src_uri: str, source: Source, problems: list[Problem], context: PageContext) -> bool:
    """Whether a page cannot be built at all, and is left out of the run: it could not be read,
    its name or slug is not a safe address, it names the site's own key, or it is a post the
    blog could not take (the engine's blog stops on a bad date, author or category), or it nests
    deeper than the Markdown reader follows (content_rules.too_deep)."""
    own = [problem for problem in errors(problems) if problem.path == source.path]
    if not source.readable or any(problem.field in ("slug", COMPUTED_KEY) for problem in own):
        return True
    unbuildable = any(problem.field == "" and ("not a safe part of an address" in problem.what or
                                               "would look like a file's" in problem.what or
                                               problem.what == content_rules.NESTING_WHAT) for problem in own)
    return unbuildable or (blog_rules.is_post(src_uri, context.blog) and bool(own))


def record_for(src_uri: str, source: Source, context: PageContext) -> PageRecord | None:
    """The page's record (its address, kind and head data), or None for a post that stays a draft."""
    meta = source.meta
    kind = "home" if src_uri == "index.md" else "guide" if src_uri.startswith("guide/") else "page"
    url_src = src_uri
    if blog_rules.is_post(src_uri, context.blog):
        assert context.blog is not None
        if blog_rules.is_draft(meta, context.blog, context.serving, context.facts.today):
            return None
        url_src = blog_rules.post_src_uri(meta, source.text, src_uri, context.blog) or src_uri
        kind = "post"
    title = page_title(meta, _body(source), src_uri)
    url = page_url(url_src, context.use_directory_urls)
    description = str(meta.get("description") or "")
    if kind == "home":
        description = seo.home_description(context.clinic)
    record = PageRecord(src_uri, source.path, url, kind, title, description, meta,
                        lastmod=seo.last_modified(meta, context.git_dates.get(source.path)))
    if kind == "post":
        try:
            created, changed = feeds.post_dates(meta.get("date"), context.clinic.zone)
        except feeds.DateError:
            return record   # the page rules name the date; the post is left out of the run
        authors = [context.people[author] for author in meta.get("authors") or [] if author in context.people]
        record.article = {"published": created, "modified": changed,
                          "authors": [author.get("absolute_url") or author["name"] for author in authors],
                          "people": authors}
    record.structured_data = structured_data(record, context)
    return record


def page_title(meta: dict, body: str, src_uri: str) -> str:
    """The page's title as readers see it, in plain text: `title:` exactly as written (front matter
    is text, not HTML: "Tom &amp; Jerry" shows as those characters), else its first "# " heading
    as the Markdown shows it (tags dropped, character references read once), else its file name."""
    written = meta.get("title")
    if isinstance(written, str) and written.strip():
        return written.strip()
    heading = blog_rules.post_title({}, body)
    return _plain(heading) if heading else Path(src_uri).stem.replace("-", " ").capitalize()


def title_as_written(source: Source) -> str:
    """`title:`, else the first "# " heading as written, else ""."""
    return blog_rules.post_title(source.meta, _body(source))


def _body(source: Source) -> str:
    return "\n".join(source.text.split("\n")[source.front_matter_lines:])


def _plain(text: str) -> str:
    """Title text as a reader sees it: tags dropped, entities decoded once."""
    return html.unescape(re.sub(r"<[^>]*>", "", text)).strip()


def structured_data(record: PageRecord, context: PageContext) -> list[dict]:
    """The page's schema.org objects: the clinic on the home page; elsewhere its breadcrumbs and a
    BlogPosting (posts), a MedicalWebPage (reviewed pages) or a WebPage."""
    site_url, meta, url = context.site_url, record.meta, context.site_url + record.url
    if record.kind == "home":
        urls = {service.page: site_url + page_url(service.page, context.use_directory_urls)
                for service in context.clinic.services}
        return [seo.medical_clinic(context.clinic, site_url, urls)]
    items = [seo.breadcrumb_list(breadcrumbs(record, context))]
    if record.kind == "post" and record.article is not None:
        items.append(seo.blog_posting(
            headline=record.title, description=record.description, url=url,
            image=site_url + social_card_path(record, context.use_directory_urls),
            published=record.article["published"], modified=record.article["modified"],
            authors=record.article["people"], site_url=site_url))
    elif review_status(record, context)["reviewed"]:
        items.append(seo.medical_web_page(
            title=record.title, description=record.description, url=url, last_reviewed=meta["last_reviewed"],
            reviewer=context.people[meta["reviewed_by"]], site_url=site_url))
    else:
        items.append(seo.web_page(title=record.title, description=record.description, url=url, site_url=site_url))
    return items


def social_card_path(record: PageRecord, use_directory_urls: bool = True) -> str:
    """Where Material's social plugin puts a page's preview image ("assets/images/social/guide/x.png")."""
    dest = record.dest
    suffix = "/index.html" if use_directory_urls and not record.src_uri.endswith("index.md") else ".html"
    return f"assets/images/social/{dest.replace(suffix, '.png') if dest.endswith(suffix) else dest[:-5] + '.png'}"


def breadcrumbs(record: PageRecord, context: PageContext) -> list[tuple[str, str]]:
    """Home, then each menu section above the page that has its own page, then the page: (name,
    absolute URL). Posts sit under the blog's section."""
    site_url = context.site_url
    crumbs = [("Home", site_url)]
    lookup = record.src_uri
    if record.kind == "post" and context.blog is not None:
        lookup = f"{context.blog.blog_dir}/index.md"
    for title, index_src in _nav_sections(context.nav, lookup):
        if index_src is not None and index_src != record.src_uri:
            crumbs.append((title, site_url + page_url(index_src, context.use_directory_urls)))
    if record.kind == "post" and not any(name == "Blog" for name, _ in crumbs):
        crumbs.append(("Blog", site_url + (context.blog.blog_dir if context.blog else "blog") + "/"))
    return crumbs + [(record.title, site_url + record.url)]


def _nav_sections(nav: list, src_uri: str) -> list[tuple[str, str | None]]:
    """The sections of mkdocs.yml's nav that hold `src_uri`, outermost first: (title, the
    section's own index page or None)."""
    def entries(items: Any) -> list[tuple[str | None, Any]]:
        found: list[tuple[str | None, Any]] = []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found += [(str(key), value) for key, value in item.items()]
            else:
                found.append((None, item))
        return found

    def search(items: Any, trail: list[tuple[str, str | None]]) -> list[tuple[str, str | None]] | None:
        for title, value in entries(items):
            if isinstance(value, str) and value == src_uri:
                return trail
            if isinstance(value, list):
                index = next((child for _t, child in entries(value)
                              if isinstance(child, str) and child.endswith("index.md")), None)
                found = search(value, trail + [(title or "", index)])
                if found is not None:
                    return found
        return None

    return search(nav, []) or []


# ---------------------------------------------------------------- what the templates show
def computed(record: PageRecord, context: PageContext, home: dict | None = None) -> dict:
    """The `clinic:` front matter of a staged page: its <title>; on a health page (`health`) its
    review (`review`, see review_status); `home` adds the home page's lists."""
    values: dict[str, Any] = {"title": seo.home_title(context.clinic) if record.kind == "home"
                              else seo.page_title(record.title, context.clinic)}
    if is_health_page(record, context):
        values["health"] = True
        values["review"] = review_status(record, context)
    if home:
        values.update(home)
    return values


def is_health_page(record: PageRecord, context: PageContext) -> bool:
    """A guide page, or a post in a health category, or any page naming a reviewer."""
    given = record.meta.get("categories")
    categories: list = given if isinstance(given, list) else []
    health_post = record.kind == "post" and bool(set(map(str, categories)) & set(context.facts.health_categories))
    return record.kind == "guide" or health_post or bool(record.meta.get("reviewed_by"))


def review_status(record: PageRecord, context: PageContext) -> dict:
    """Who reviewed a health page and when, shown only when a real person did (issue 22):
    {"reviewed": True, "reviewer": {name, url}, "last_reviewed": {iso, label}, "next_review": {...}}
    when the page names a reviewer in .authors.yml who is not a sample, both dates are real, and
    its file has not changed in git since the review; else {"reviewed": False, "why": ...}, and the
    page says plainly that it awaits clinical review."""
    meta = record.meta
    reviewer = meta.get("reviewed_by")
    person = context.people.get(reviewer) if isinstance(reviewer, str) else None
    if person is None or person.get("sample"):
        return {"reviewed": False, "why": "no licensed professional has reviewed it yet"}
    dates: dict[str, dt.date] = {key: value for key in ("last_reviewed", "next_review")
                                 if isinstance(value := meta.get(key), dt.date) and not isinstance(value, dt.datetime)}
    if len(dates) < 2:
        return {"reviewed": False, "why": "its review dates are not set"}
    changed = context.git_dates.get(record.shown)
    if changed is not None and changed > dates["last_reviewed"].isoformat():
        return {"reviewed": False, "why": f"its text changed on {day_label(dt.date.fromisoformat(changed))}, "
                f"after its last review on {day_label(dates['last_reviewed'])}"}
    return {"reviewed": True, "reviewer": {"name": str(person["name"]), "url": str(person.get("url") or "")},
            **{key: {"iso": value.isoformat(), "label": day_label(value)} for key, value in dates.items()}}


def staged_text(source: Source, values: dict, draft: bool = False, social: dict | None = None) -> str:
    """The page's text with `clinic: {…}` as the last line of its front matter (one is added
    when it has none): every other line is as staff wrote it, unless a field was refused for its shape
    (source.refused): then the front matter is the one checked, on one line, its other lines left
    blank so every line below keeps its number. `draft`: a post dated after the
    run's day, staged (in the preview only) with `draft: true` after its own lines, so the engine's
    blog shows it as the draft it is (YAML takes the last of a repeated key). `social`: the page's
    card options (clinic_site.stage.cards.page_options, the page's own merged in), staged the same
    way after its own lines, for both engines' social plugins."""
    line = ("draft: true\n" if draft else "") + f"{COMPUTED_KEY}: {_yaml_json(values)}\n"
    if social:
        line += f"social: {_yaml_json(social)}\n"
    match = _FRONT_MATTER.match(source.text)
    if match is None:
        return f"---\n{line}---\n\n{source.text}"
    block = match.group(1)
    if source.refused:   # fields refused for their shape never reach the engine: the block as checked
        kept = [_yaml_line(key, value) for key, value in source.meta.items()]
        block = "---\n" + "".join(f"{item}\n" for item in kept) + "\n" * (block.count("\n") - 1 - len(kept))
    return block + line + match.group(2) + source.text[match.end():]


def _yaml_line(key: object, value: object) -> str:
    """`key: value` on one line of YAML that reads back as the same values (dates stay dates)."""
    return yaml.safe_dump({key: value}, default_flow_style=True, allow_unicode=True, width=2**31).strip()[1:-1]


# JSON's escape of a character beyond U+FFFF is a pair of surrogates ("\ud83d\ude42"), which YAML
# does not join: libyaml (MkDocs' front matter loader) refuses it, and MkDocs then drops the whole
# front matter without a word. YAML writes such a character as one "\U0001f642".
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_json(values: dict) -> str:
    """`values` as one line of JSON in ASCII that YAML reads back as the same values (an emoji in
    a title included)."""
    def astral(match: re.Match) -> str:
        code = 0x10000 + ((int(match[2], 16) - 0xD800) << 10) + (int(match[3], 16) - 0xDC00)
        return f"{match[1]}\\U{code:08x}"
    return _SURROGATE_PAIR.sub(astral, json.dumps(values, ensure_ascii=True, default=str))


def latest_posts(records: list[PageRecord], count: int = 3) -> list[dict]:
    """The home page's list: the `count` newest posts, newest first, as {title, url, iso, label,
    description} (plain text; the template escapes it)."""
    posts = sorted(((record.article["published"], record) for record in records
                    if record.kind == "post" and record.article), key=lambda pair: (pair[0], pair[1].url),
                   reverse=True)[:count]
    return [{"title": record.title, "url": record.url, "iso": published.date().isoformat(),
             "label": day_label(published), "description": record.description} for published, record in posts]
