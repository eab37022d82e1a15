"""Rules every content page must follow: each takes what was read and returns Problems.

Every run (clinic_site.pipeline: the build, the preview and `clinic check`) calls them from its
stage (clinic_site.stage), so they agree by construction. Markup that could run script is not a
page rule: the HTML Markdown makes is held to the sanitiser's allowlist (clinic_site.sanitize).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Iterable

from clinic_site.problems import ERROR, WARNING, Problem, front_matter_line
from clinic_site.safe_names import SAFE_SEGMENT, path_problems, safe_example, safe_path, safe_target
from clinic_site.sources import Source

DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 160
REVIEW_WARNING_DAYS = 30
GUIDE_KEYS = ("title", "description", "reviewed_by", "last_reviewed", "next_review")
PLACEHOLDER = "TODO"
# Blog categories whose posts give health advice and are held to the guide's standard.
HEALTH_CATEGORIES = ("Guide",)
REFERENCES_PAGE = "references.md"


@dataclasses.dataclass(frozen=True)
class SiteFacts:
    """What the page rules need to know about the whole site.

    people:     ids of everyone in the blog's .authors.yml (authors and reviewers); None when the
                file could not be read (its own problem says why): names are then not checked
                against it, so one broken file is one problem, not one per page
    categories: the blog's categories_allowed, or None when any category is allowed
    blog_dir:   the blog's folder inside docs/ ("blog")
    today:      the day review dates are judged against
    """

    people: frozenset[str] | None
    categories: tuple[str, ...] | None
    blog_dir: str
    today: dt.date
    samples: frozenset[str] = frozenset()       # ids of made-up people (`sample: true` in .authors.yml)
    live: bool = False                          # clinic.yml live: the site is public, samples refused
    health_categories: tuple[str, ...] = HEALTH_CATEGORIES


def check_page(source: Source, src_uri: str, site: SiteFacts) -> list[Problem]:
    """Every page rule for one Markdown page (`src_uri` relative to docs/, e.g. "guide/safety.md").

    A page that could not be read gets only its reading problems. Placeholder text (TODO) is an
    error on anything published and a warning in a draft post, which only the preview shows.
    """
    if source.problems:
        return list(source.problems) + path_problems(source, src_uri)
    meta, problems = source.meta, path_problems(source, src_uri)

    def add(key: str, what: str, fix: str = "", severity: str = ERROR) -> None:
        problems.append(Problem(source.path, front_matter_line(source.text, key), key, what, fix, severity))

    is_post = src_uri.startswith(f"{site.blog_dir}/posts/")
    is_draft = is_post and meta.get("draft") is True
    categories: list = meta["categories"] if isinstance(meta.get("categories"), list) else []
    health_post = is_post and bool(set(map(str, categories)) & set(site.health_categories))
    if src_uri.startswith("guide/") or health_post:
        for key, what, fix, severity in guide_page_problems(meta, site.today, site.people, live=site.live):
            if not (health_post and key == "title"):  # a post's title is its first heading
                add(key, what, fix, severity)
        reviewer = meta.get("reviewed_by")
        if reviewer in site.samples and not site.live:   # live: refused by the launch rule (clinic_site.launch)
            add("reviewed_by", f"is '{reviewer}', a sample person: the page has had no real clinical review",
                "name the licensed professional who reviewed it (with `live: true` in clinic.yml this is "
                "an error)", WARNING)
    if health_post and REFERENCES_PAGE not in source.text:
        problems.append(Problem(source.path, front_matter_line(source.text, "categories"), "categories",
                                "puts the post in a health category, but it cites no source",
                                "link each claim to its entry on the references page, for example "
                                "[NICE](../../references.md#nice-2016), as guide pages do"))
    else:
        for key, what, fix in description_problems(meta):
            add(key, what, fix, WARNING if is_draft else ERROR)  # a draft's summary may still be unwritten
    if is_post:
        for key, what, fix, severity in post_problems(meta, site):
            add(key, what, fix, severity)
    placeholder_severity = WARNING if is_draft else ERROR
    placeholder_fix = ("replace it before you delete `draft: true`" if is_draft
                       else "write the text it asks for (a page with TODO in it cannot be published)")
    for key, value in meta.items():
        if isinstance(value, str) and PLACEHOLDER in value:
            add(key, f"still has the placeholder text ({PLACEHOLDER})", placeholder_fix, placeholder_severity)
    # _prose_lines only blanks out what is not prose: a page without the word has no such line
    for number, line in enumerate(_prose_lines(source) if PLACEHOLDER in source.text else (), start=1):
        if re.search(rf"\b{PLACEHOLDER}\b", line):
            problems.append(Problem(source.path, number, "", f"placeholder text ({PLACEHOLDER}) is still on this line",
                                    placeholder_fix + ", then delete the line", placeholder_severity))
    deep = too_deep(source.text)
    if deep is not None:   # the page is left out of the run (stage/pages.py, blocking)
        problems.append(Problem(source.path, deep, "", NESTING_WHAT, NESTING_FIX))
    return problems


# Python-Markdown reads nested lists and quotes recursively and gives up (a RecursionError) near 250
# levels of lists; the engine adapters name a page that still makes it give up the same way
# (emphasis nested in hundreds of pairs: engines/mkdocs/deep_pages.py).
MAX_NESTING = 40
NESTING_WHAT = "nests lists, quotes or emphasis (*, _) more deeply than the Markdown reader can follow"
NESTING_FIX = "flatten it: a few levels of lists or quotes, and emphasis marks in pairs"
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_QUOTE_MARK = re.compile("> ?")   # a quote's ">" with the space it may take
_DEEP_LEAD = re.compile(rf"^[ \t>]{{{MAX_NESTING + 1},}}", re.M)   # a line that may be too deep


def too_deep(text: str) -> int | None:
    """The line number of the first line of a Markdown page nested more than MAX_NESTING levels
    deep (each ">" of a quote a level, with its space, and each 4 columns of indentation besides,
    a tab being 4), None for
    none; lines inside fenced code (``` or ~~~) are code, not nesting."""
    if not _DEEP_LEAD.search(text):   # each level takes a character at least (">" or a tab)
        return None
    fence = ""
    for number, line in enumerate(text.split("\n"), start=1):
        marker = _FENCE.match(line)
        if marker and (not fence or marker.group(1).startswith(fence)):
            fence = "" if fence else marker.group(1)
            continue
        lead = line[:len(line) - len(line.lstrip(" \t>"))]
        if not fence and lead.count(">") + len(_QUOTE_MARK.sub("", lead).expandtabs(4)) // 4 > MAX_NESTING:
            return number
    return None


def link_problems(links: object) -> list[tuple[str, str]]:
    """(what, fix) for a blog post's `links:` (Material's related links: a list of pages or
    {title: page or list}), each of which becomes an address on the page: every target must be
    safe_target (a page path inside docs/ or an http(s) address)."""
    found: list[tuple[str, str]] = []
    fix = ("link to a page by its path inside docs/, for example `- guide/index.md`, or to a web "
           "address starting with https://")

    def visit(item: object) -> None:
        if isinstance(item, list):
            for entry in item:
                visit(entry)
        elif isinstance(item, dict):
            for value in item.values():
                visit(value)
        elif not safe_target(item):
            leaves = isinstance(item, str) and (".." in item.split("/") or item.startswith("/"))
            found.append((f"has the target {item!r}, which " + ("leaves the site folder" if leaves else
                          "is not a page path or an http(s) address"), fix))

    visit(links)
    return found


def person_id_problems(ids: Iterable[object], path: str, text: str) -> list[Problem]:
    """Problems for ids of .authors.yml (shown as `path`, its `text`) that are not one safe
    segment: an id names the person's page (blog/author/<id>/ when author profiles are on) and
    is written into links."""
    found = []
    for person_id in ids:
        if not (isinstance(person_id, str) and SAFE_SEGMENT.fullmatch(person_id)):
            line = next((number for number, item in enumerate(text.splitlines(), start=1)
                         if item.strip().startswith((f"{person_id}:", f"'{person_id}':", f'"{person_id}":'))), 1)
            found.append(Problem(path, line, "authors", f"the id {person_id!r} is not one safe part of an address "
                                 "(an id becomes the person's address and is written into links)",
                                 "use lowercase letters, digits and hyphens, for example "
                                 f"{safe_example(str(person_id))}"))
    return found


def redirect_problems(redirect_maps: object, text: str, path: str = "mkdocs.yml") -> list[Problem]:
    """Problems for the redirects plugin's `redirect_maps` in mkdocs.yml (`text`): each old
    address (key) must be a safe path of a Markdown file (safe_path; it names where the redirect
    page is written, so "../" would write outside the site folder), and each target a page path
    with an optional #anchor or an http(s) address (safe_target; the plugin, mkdocs-redirects
    1.2.3, writes it unescaped into the page's script and attributes)."""
    if not isinstance(redirect_maps, dict):
        return []
    lines = text.splitlines()

    def line_of(key: str) -> int:
        return next((number for number, item in enumerate(lines, start=1)
                     if item.strip().startswith((f"{key}:", f"'{key}':", f'"{key}":'))), 1)

    found = []
    for old, new in redirect_maps.items():
        if not (safe_path(old) and str(old).endswith(".md")):
            leaves = isinstance(old, str) and (".." in old.split("/") or old.startswith("/"))
            found.append(Problem(path, line_of(str(old)), "redirect_maps",
                                 f"the old address {old!r} " + ("leaves the site folder" if leaves else
                                                                "is not a safe path of a Markdown file"),
                                 "write the old page's path inside docs/, for example old-name.md"))
        if not safe_target(new):
            found.append(Problem(path, line_of(str(old)), "redirect_maps",
                                 f"the target {new!r} of {old!r} is not a page path or an http(s) address",
                                 "write the new page's path inside docs/ (for example guide/index.md, with "
                                 "#anchor if needed) or a web address starting with https://"))
    return found


def description_problems(meta: dict) -> list[tuple[str, str, str]]:
    """(key, what, fix) for the page's meta description (what search results show)."""
    description = meta.get("description")
    if not description:
        return [("description", "is missing", f"add `description:` with one sentence of {DESCRIPTION_MIN} to "
                 f"{DESCRIPTION_MAX} characters that sums up the page")]
    if not isinstance(description, str):
        return [("description", "must be plain text", "put the sentence in quotes")]
    length = len(description.strip())
    if not DESCRIPTION_MIN <= length <= DESCRIPTION_MAX:
        return [("description", f"is {length} characters", f"make it {DESCRIPTION_MIN} to {DESCRIPTION_MAX} "
                 "characters (search engines cut longer ones, shorter ones say too little)")]
    return []


def guide_page_problems(meta: dict, today: dt.date, people: Iterable[str] | None = None, *, live: bool = True
                        ) -> list[tuple[str, str, str, str]]:
    """(key, what, fix, severity) for a health guide page: the keys readers' trust rests on.

    `people` are the ids in docs/blog/.authors.yml; reviewed_by must be one of them. A review
    due within REVIEW_WARNING_DAYS is a warning; a passed one an error. Before launch (`live`
    False), a page without its reviewer and review dates is a warning: it says it awaits
    clinical review (as after `clinic remove-samples`); on a live site it is an error.
    """
    awaiting = ("reviewed_by", "last_reviewed", "next_review")
    found: list[tuple[str, str, str, str]] = [
        (key, "is missing", f"add `{key}:` to the front matter (see docs/guide/index.md for an example)",
         WARNING if key in awaiting and not live else ERROR)
        for key in GUIDE_KEYS if key != "description" and not meta.get(key)]
    found += [(key, what, fix, ERROR) for key, what, fix in description_problems(meta)]
    reviewer, known = meta.get("reviewed_by"), sorted(people) if people is not None else None
    if known is not None and reviewer and reviewer not in known:
        found.append(("reviewed_by", f"is '{reviewer}', who is not in docs/blog/.authors.yml",
                      f"use one of {', '.join(known)}, or add the reviewer there", ERROR))
    dates = {}
    for key in ("last_reviewed", "next_review"):
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            found.append((key, f"is {value!r}, not a date", "write a date as YYYY-MM-DD, for example 2026-11-20",
                          ERROR))
        else:
            dates[key] = value
    if len(dates) == 2:
        last, following = dates["last_reviewed"], dates["next_review"]
        if following <= last:
            found.append(("next_review", "must be after last_reviewed", "set it to the date of the next review", ERROR))
        if last > today:
            found.append(("last_reviewed", f"is in the future ({last})", "use the date the review was done", ERROR))
        if following < today:
            found.append(("next_review", f"passed on {following}", "have the page reviewed, then set last_reviewed "
                          "to today and next_review to the next review date", ERROR))
        elif following <= today + dt.timedelta(days=REVIEW_WARNING_DAYS):
            found.append(("next_review", f"is due on {following} (in {(following - today).days} days)",
                          "have the page reviewed, then update last_reviewed and next_review", WARNING))
    return found


def post_problems(meta: dict, site: SiteFacts) -> list[tuple[str, str, str, str]]:
    """(key, what, fix, severity) for a blog post's date, authors, categories and draft flag,
    as Material's blog plugin needs them (a list of authors, a date, allowed categories)."""
    found: list[tuple[str, str, str, str]] = []
    people = ", ".join(sorted(site.people or ()))
    date = meta.get("date")
    created = date.get("created") if isinstance(date, dict) else date
    if created is None:
        found.append(("date", "is missing", "add `date:` and below it `  created: YYYY-MM-DD` (the day it is "
                      "published)", ERROR))
    elif not isinstance(created, dt.date):
        found.append(("date", f"is {created!r}, not a date", "write the date as YYYY-MM-DD, for example "
                      "2026-11-20, without quotes", ERROR))
    authors = meta.get("authors")
    if not authors:
        found.append(("authors", "is missing", f"add `authors:` with a line `  - ID` for each author; ids: {people}"
                      if people else "add the author to docs/blog/.authors.yml first (nobody is there yet), then "
                      "`authors:` here with a line `  - ID` (their id)", ERROR))
    elif not isinstance(authors, list):
        found.append(("authors", f"is written as one value ({authors!r}), not a list",
                      f"write it as a list: `authors:` and below it `  - {authors}`", ERROR))
    else:
        for author in authors:
            if site.people is not None and author not in site.people:
                found.append(("authors", f"'{author}' is not in docs/blog/.authors.yml",
                              f"use one of {people}, or add the person there", ERROR))
    categories = meta.get("categories") or []
    if not isinstance(categories, list):
        found.append(("categories", f"is written as one value ({categories!r}), not a list",
                      f"write it as a list: `categories:` and below it `  - {categories}`", ERROR))
    elif site.categories is not None:
        for category in categories:
            if category not in site.categories:
                near = difflib.get_close_matches(str(category), site.categories, n=1, cutoff=0.5)
                hint = f"did you mean '{near[0]}'? " if near else ""
                found.append(("categories", f"'{category}' is not an allowed category",
                              f"{hint}use one of: {', '.join(site.categories)} (a new one must be added to "
                              "categories_allowed in mkdocs.yml)", ERROR))
    if "links" in meta:
        found += [("links", what, fix, ERROR) for what, fix in link_problems(meta["links"])]
    if meta.get("draft") is True:
        found.append(("draft", "is true: the post shows in the preview but is not published",
                      "delete the line `draft: true` when the post is ready", WARNING))
    return found


def _prose_lines(source: Source) -> list[str]:
    """The page's lines with the front matter, fenced code, inline code and HTML comments
    blanked out (line numbers stay right): where placeholder text would be seen."""
    out, fence, in_comment = [], None, False
    for number, line in enumerate(source.text.split("\n")):
        stripped = line.strip()
        if number < source.front_matter_lines:
            out.append("")
            continue
        if fence:
            out.append("")
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        opening = re.match(r"`{3,}|~{3,}", stripped)
        if opening:
            fence = opening.group(0)
            out.append("")
            continue
        if in_comment:
            if "-->" not in line:
                out.append("")
                continue
            in_comment, line = False, line[line.index("-->") + 3:]
        line = re.sub(r"<!--.*?-->", "", line)
        if "<!--" in line:
            in_comment, line = True, line[:line.index("<!--")]
        out.append(re.sub(r"(`+)(.+?)\1", "", line))
    return out
