"""Check all of the site's content in a few seconds, without building the site.

Checks, with the same rules the build uses:
  - front matter of every page: description; on guide pages also title, reviewed_by
    (a person in docs/blog/.authors.yml) and the review dates; on blog posts the date,
    authors and categories (from mkdocs.yml); placeholder text (TODO) left in a page
  - review dates: a passed next_review is an error, one due within 30 days a warning
  - every page is in the menu (nav: in mkdocs.yml), except blog posts and people pages
  - therapist listings (docs/therapists/listings/*.yml), as scripts/clinic_site/finder/listings.py checks them
  - links between pages: every relative link resolves to a file in docs/, and its
    #anchor to a heading (or {#id}) on that page
  - spelling (scripts/clinic_site/spelling.py), and with --readability the reading grade
    of guide pages (scripts/clinic_site/readability.py)

Run from the project root:  .venv/bin/python scripts/check.py
Each problem is printed as "file, line N: what is wrong — how to fix it".
Exit status: 1 when there is an error, 0 when there are none (warnings only).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import html
import posixpath
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import yaml

from clinic_site.project import PROJECT_ROOT
from clinic_site import content_rules, seo
from clinic_site.finder import listings

ERROR, WARNING = "error", "warning"
PLACEHOLDER = "TODO"
PREVIEW_URL = "http://127.0.0.1:8000/"


# ---------------------------------------------------------------- problems
@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    path: str          # as staff see it: docs/guide/safety.md
    line: int
    message: str       # "what is wrong — how to fix it"
    severity: str = ERROR

    def __str__(self) -> str:
        label = "warning: " if self.severity == WARNING else ""
        return f"{self.path}, line {self.line}: {label}{self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == ERROR]


# ---------------------------------------------------------------- site settings
class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running it: tags like !ENV or !!python/name become plain values."""


def _plain_value(loader, _suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_ConfigLoader.add_multi_constructor("!", _plain_value)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain_value)


def load_config_text(text: str) -> dict:
    return yaml.load(text, Loader=_ConfigLoader) or {}


def load_config(config_file: Path) -> dict:
    return load_config_text(config_file.read_text(encoding="utf-8"))


def nav_pages(nav) -> set[str]:
    """Every Markdown page named in mkdocs.yml's nav: (paths relative to docs/)."""
    found: set[str] = set()
    items = nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, str):
            if item.endswith(".md"):
                found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                found |= nav_pages(value)
        elif isinstance(item, list):
            found |= nav_pages(item)
    return found


def plugin_settings(config: dict, name: str) -> dict | None:
    """A plugin's settings from mkdocs.yml (an empty dict when it is listed without any), or None."""
    for entry in config.get("plugins") or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def _pattern_list(text) -> list[str]:
    if not text:
        return []
    lines = text.splitlines() if isinstance(text, str) else list(text)
    return [line for line in lines if line.strip() and not line.strip().startswith("#")]


@dataclasses.dataclass
class Site:
    root: Path
    docs_dir: Path
    config: dict
    people: dict
    nav: set[str]
    categories: list[str] | None       # None: any category is allowed
    blog_dir: str
    listings_dir: Path
    boards_file: Path

    @classmethod
    def load(cls, root: Path = PROJECT_ROOT) -> "Site":
        config = load_config(root / "mkdocs.yml")
        docs_dir = root / config.get("docs_dir", "docs")
        blog = plugin_settings(config, "blog")
        finder = (config.get("extra") or {}).get("finder") or {}
        authors = docs_dir / (blog or {}).get("blog_dir", "blog") / ".authors.yml"
        return cls(
            root=root, docs_dir=docs_dir, config=config,
            people=seo.load_people(authors, "") if authors.is_file() else {},
            nav=nav_pages(config.get("nav") or []),
            categories=(blog or {}).get("categories_allowed") or None,
            blog_dir=(blog or {}).get("blog_dir", "blog"),
            listings_dir=docs_dir / finder.get("listings_dir", "therapists/listings"),
            boards_file=docs_dir / finder.get("boards", "therapists/licensing-boards.yml"),
        )

    def shown(self, file: Path) -> str:
        """docs/guide/safety.md: the path as staff see it in the repository."""
        return file.resolve().relative_to(self.root.resolve()).as_posix()

    @property
    def _specs(self):
        import pathspec  # MkDocs uses it for exclude_docs and not_in_nav, gitignore style
        if not hasattr(self, "_spec_cache"):
            self._spec_cache = tuple(
                pathspec.GitIgnoreSpec.from_lines(_pattern_list(self.config.get(key)))
                for key in ("exclude_docs", "not_in_nav"))
        return self._spec_cache

    def is_published(self, src: str) -> bool:
        """False for files MkDocs leaves out: dot files, templates/, and exclude_docs."""
        parts = src.split("/")
        if any(part.startswith(".") for part in parts) or parts[0] == "templates":
            return False
        return not self._specs[0].match_file(src)

    def needs_nav_entry(self, src: str) -> bool:
        return (src.endswith(".md") and not src.startswith(self.blog_dir + "/") and src not in self.nav
                and not self._specs[1].match_file(src))


# ---------------------------------------------------------------- Markdown helpers
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(source: str) -> tuple[dict, int, str | None]:
    """(front matter, number of lines it takes, YAML error or None)."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, 0, None
    lines = match.group(0).count("\n")
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return {}, lines, f"{line}:{getattr(error, 'problem', None) or error}"
    if not isinstance(meta, dict):
        return {}, lines, "1:the front matter must be 'key: value' lines"
    return meta, lines, None


def prose_only(source: str, skip_lines: int = 0, code_spans: bool = False) -> list[str]:
    """The file's lines with code blocks, inline code (kept with code_spans=True), HTML comments
    and the front matter blanked out (so line numbers stay right): where links and headings are."""
    lines = source.split("\n")
    out = []
    fence = None
    in_comment = False
    for number, line in enumerate(lines):
        stripped = line.strip()
        if number < skip_lines:
            out.append("")
            continue
        if fence:
            out.append("")
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = re.match(r"`{3,}|~{3,}", stripped).group(0)
            out.append("")
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
                line = " " * len(line[:line.index("-->") + 3]) + line[line.index("-->") + 3:]
            else:
                out.append("")
                continue
        line = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), line)
        if "<!--" in line:
            in_comment = True
            line = line[:line.index("<!--")]
        if not code_spans:
            line = re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line)
        out.append(line)
    return out


_ATX = re.compile(r"^\s*(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HEADING_ATTRS = re.compile(r"\s*\{:?([^}]*)\}\s*$")
_EXPLICIT_ID = re.compile(r"\{:?[^}\n]*?#([\w-]+)[^}\n]*\}")
_HTML_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']""")


def heading_text(markdown_text: str) -> str:
    """A heading's text as the reader sees it (what MkDocs' toc extension slugifies)."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown_text)                 # images
    text = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])", r"\1", text)        # links
    text = re.sub(r"(`+)(.+?)\1", r"\2", text)                                  # inline code
    text = re.sub(r"<[^>]+>", "", text)                                         # HTML tags
    text = re.sub(r"\*+|(?<!\w)_+|_+(?!\w)", "", text)                          # emphasis
    return html.unescape(text)


def anchors(source: str) -> set[str]:
    """Every #anchor a page has: its headings' ids, as MkDocs' toc extension makes them
    (markdown's slugify, _1 _2 ... for repeats), {#id} attributes and HTML id= / name=."""
    from markdown.extensions.toc import slugify, unique

    _meta, skip, _error = split_front_matter(source)
    lines = prose_only(source, skip, code_spans=True)
    ids = set()
    for line in lines:
        ids.update(_EXPLICIT_ID.findall(line))
        ids.update(_HTML_ID.findall(line))
    headings = []
    for index, line in enumerate(lines):
        match = _ATX.match(line)
        if match:
            headings.append(match.group(2))
        elif (_SETEXT.match(line) and index > 0 and lines[index - 1].strip()
              and not _ATX.match(lines[index - 1]) and not re.match(r"\s*([-*+]|\d+[.)])\s", lines[index - 1])):
            headings.append(lines[index - 1].strip())
    for text in headings:
        attrs = _HEADING_ATTRS.search(text)
        if attrs and re.search(r"#[\w-]+", attrs.group(1)):
            continue  # {#id}: already collected
        if attrs:
            text = text[:attrs.start()]
        unique(slugify(heading_text(text).strip(), "-"), ids)
    return ids


_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
    r"\(\s*(?P<target><[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*(?P<target><[^>]*>|\S+)", re.M)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def links(source: str) -> list[tuple[int, str]]:
    """(line number, target) of every Markdown link and image in the page's prose."""
    _meta, skip, _error = split_front_matter(source)
    text = "\n".join(prose_only(source, skip))
    found = []
    for pattern in (_INLINE_LINK, _LINK_DEFINITION):
        for match in pattern.finditer(text):
            target = match.group("target").strip("<>")
            line = text.count("\n", 0, match.start("target")) + 1
            found.append((line, target))
    return sorted(found)


# ---------------------------------------------------------------- checks
def _line_of_text(source: str, needle: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def check_page(site: Site, file: Path, today: dt.date) -> list[Problem]:
    """Front matter, review dates, placeholders and menu entry of one Markdown page."""
    source = file.read_text(encoding="utf-8")
    path = site.shown(file)
    src = file.relative_to(site.docs_dir).as_posix()
    meta, skip, yaml_error = split_front_matter(source)
    if yaml_error:
        line, message = yaml_error.split(":", 1)
        return [Problem(path, int(line), f"the front matter is not valid YAML ({message}) — check the "
                        "indentation, and put text containing ': ' or '#' in quotes")]
    problems: list[Problem] = []

    def add(key: str, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(path, content_rules.front_matter_line(source, key), f"'{key}' {message}", severity))

    if src.startswith("guide/"):
        for key, message in content_rules.check_guide_page(meta, today, people=site.people):
            add(key, message)
        reminder = content_rules.review_due_soon(meta, today)
        if reminder:
            add("next_review", f"{reminder} — have the page reviewed, then update last_reviewed and "
                "next_review", WARNING)
    else:
        for key, message in content_rules.check_description(meta):
            add(key, message)
    if src.startswith(site.blog_dir + "/posts/"):
        problems += _check_post(site, path, source, meta)
    for key, value in meta.items():
        if isinstance(value, str) and PLACEHOLDER in value:
            add(key, f"still has the placeholder text ({PLACEHOLDER}) — replace it with your own words")
    lines = prose_only(source, skip)
    for number, line in enumerate(lines, start=1):
        if re.search(rf"\b{PLACEHOLDER}\b", line):
            problems.append(Problem(path, number, f"placeholder text ({PLACEHOLDER}) is still on this line — "
                                    "write the text it asks for, then delete the line"))
    for number, line in enumerate(lines, start=1):
        for message in content_rules.unsafe_markup(line):
            problems.append(Problem(path, number, message.replace("; ", " — ", 1)))
    if site.needs_nav_entry(src):
        problems.append(Problem(path, 1, f"the page is not in the site's menu — add the line `- {src}` "
                                "to the nav: section of mkdocs.yml (under its section)"))
    return problems


def _check_post(site: Site, path: str, source: str, meta: dict) -> list[Problem]:
    problems = []

    def add(key: str, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(path, content_rules.front_matter_line(source, key), f"'{key}' {message}", severity))

    date = meta.get("date")
    created = date.get("created") if isinstance(date, dict) else date
    if created is None:
        add("date", "is missing — add `date:` and below it `  created: YYYY-MM-DD` (the publication date)")
    elif not isinstance(created, dt.date):
        add("date", f"is {created!r} — write the date as YYYY-MM-DD, for example 2026-11-20, without quotes")
    authors = meta.get("authors")
    if not authors:
        add("authors", f"is missing — add `authors:` with a line `  - ID` for each author; ids: "
            f"{', '.join(sorted(site.people))}")
    else:
        for author in authors if isinstance(authors, list) else [authors]:
            if author not in site.people:
                add("authors", f"'{author}' is not in docs/blog/.authors.yml — use one of "
                    f"{', '.join(sorted(site.people))}, or add the person there")
    categories = meta.get("categories") or []
    if site.categories is not None:
        for category in categories if isinstance(categories, list) else [categories]:
            if category not in site.categories:
                near = difflib.get_close_matches(str(category), site.categories, n=1, cutoff=0.5)
                hint = f"did you mean '{near[0]}'? " if near else ""
                add("categories", f"'{category}' is not an allowed category — {hint}use one of: "
                    f"{', '.join(site.categories)} (a new one must be added to categories_allowed in mkdocs.yml)")
    if meta.get("draft") is True:
        add("draft", "is true: the post shows in the preview but is not published — delete the line "
            "`draft: true` when the post is ready", WARNING)
    return problems


class _Pages:
    """What links can point to: the published files, with their anchors computed once each."""

    def __init__(self, site: Site, generated: set[str], generated_prefixes: tuple[str, ...]):
        self.site = site
        self.files = {file.relative_to(site.docs_dir).as_posix() for file in site.docs_dir.rglob("*")
                      if file.is_file()}
        self.generated = generated
        self.generated_prefixes = generated_prefixes
        self._anchors: dict[str, set[str]] = {}

    def anchors(self, src: str) -> set[str] | None:
        """None for generated pages, whose anchors are not known before the build."""
        if src not in self.files:
            return None
        if src not in self._anchors:
            self._anchors[src] = anchors((self.site.docs_dir / src).read_text(encoding="utf-8"))
        return self._anchors[src]

    def exists(self, src: str) -> bool:
        return (src in self.files and self.site.is_published(src)) or src in self.generated \
            or src.startswith(self.generated_prefixes)


def check_links(site: Site, file: Path, pages: _Pages) -> list[Problem]:
    """Every relative link in the page: the file exists in docs/ and the #anchor is on it."""
    path = site.shown(file)
    src = file.relative_to(site.docs_dir).as_posix()
    here = posixpath.dirname(src)
    problems = []
    for line, target in links(file.read_text(encoding="utf-8")):
        if not target or _SCHEME.match(target) or target.startswith("//"):
            continue  # external (https:, mailto:, tel: ...)
        address, _, anchor = target.partition("#")
        address = unquote(address.split("?", 1)[0])
        if address.startswith("/"):
            problems.append(Problem(path, line, f"the link '{target}' starts with '/' — write it relative to this "
                                    f"file, for example '{posixpath.relpath(address.lstrip('/') or 'index.md', here or '.')}'"))
            continue
        linked = posixpath.normpath(posixpath.join(here, address)) if address else src
        if linked.startswith("../") or linked == "..":
            problems.append(Problem(path, line, f"the link '{target}' points outside docs/ — link only to "
                                    "pages and files inside docs/"))
            continue
        if address and not pages.exists(linked):
            problems.append(Problem(path, line, _missing_file_message(target, linked, here, pages)))
            continue
        if anchor:
            known = pages.anchors(linked)
            if known is not None and anchor not in known:
                where = "this page" if linked == src else f"'{linked}'"
                near = difflib.get_close_matches(anchor, sorted(known), n=1, cutoff=0.5)
                hint = f"did you mean '#{near[0]}'? " if near else ""
                problems.append(Problem(path, line, f"the link '{target}' goes to '#{anchor}', but {where} has no "
                                        f"heading with that anchor — {hint}use the anchor of an existing heading "
                                        "(its text in lowercase, spaces as hyphens) or add {#" + anchor +
                                        "} after the heading"))
    return problems


def _missing_file_message(target: str, linked: str, here: str, pages: _Pages) -> str:
    if linked in pages.files:
        return (f"the link '{target}' points to {linked}, which is not published (exclude_docs in mkdocs.yml) "
                "— link to a published page instead")
    if (linked + "/index.md") in pages.files or linked.rstrip("/") + ".md" in pages.files:
        page = linked + "/index.md" if (linked + "/index.md") in pages.files else linked.rstrip("/") + ".md"
        return (f"the link '{target}' points to a web address, not a file — link to the Markdown file: "
                f"'{posixpath.relpath(page, here or '.')}'")
    if any(src.startswith(linked.rstrip("/") + "/") for src in pages.files):
        return (f"the link '{target}' points to the folder {linked.rstrip('/')}/, not a page — link to one of "
                "its .md files instead")
    candidates = sorted(src for src in pages.files if pages.site.is_published(src))
    near = difflib.get_close_matches(linked, candidates, n=1, cutoff=0.6)
    hint = f"did you mean '{posixpath.relpath(near[0], here or '.')}'? " if near else ""
    return (f"the link '{target}' points to {linked}, which does not exist in docs/ — {hint}"
            "check the spelling and the folder: links are relative to this file")


_LISTING_PROBLEM = re.compile(r"^(?P<path>.+?\.ya?ml)(?:, line (?P<line>\d+))?"
                              r"(?:, fields? '(?P<field>[\w]+)'[^:]*)?: (?P<message>.*)$", re.S)


def listing_problem(site: Site, text: str) -> Problem:
    """A scripts/clinic_site/finder/listings.py message as a Problem, with the line of the field it names."""
    match = _LISTING_PROBLEM.match(text)
    if not match:
        return Problem(site.shown(site.listings_dir), 1, text)
    path, line, field = match.group("path"), match.group("line") or 1, match.group("field")
    message = match.group("message")
    if field:
        message = f"'{field}' {message}"
    return _with_root(site, Problem(path, int(line), message.replace("; ", " — ", 1)))


def check_listings(site: Site, today: dt.date) -> tuple[list[Problem], list]:
    """Problems in the therapist listings (scripts/clinic_site/finder/listings.py's checks), and the valid listings."""
    if not site.listings_dir.is_dir():
        return [], []
    from clinic_site.finder import zip_positions

    try:
        boards = listings.load_boards(site.boards_file) if site.boards_file.is_file() else None
        found = listings.load_listings(site.listings_dir, today=today, boards=boards, display_root=site.root,
                                       zip_lookup=zip_positions.lookup)
    except listings.ListingError as error:
        return [listing_problem(site, problem) for problem in error.problems], []
    problems = []
    soon = listings.months_before(today + dt.timedelta(days=content_rules.REVIEW_WARNING_DAYS), listings.STALE_MONTHS)
    for listing in found:
        if listing.last_updated < soon:
            file = site.listings_dir / f"{listing.id}.yml"
            source = file.read_text(encoding="utf-8")
            problems.append(Problem(site.shown(file), _line_of_text(source, "last_updated:"),
                                    f"'last_updated' is {listing.last_updated}: within "
                                    f"{content_rules.REVIEW_WARNING_DAYS} days the listing will be more than "
                                    f"{listings.STALE_MONTHS} months old and stop the build — confirm every detail "
                                    "with the therapist, then set last_updated to today's date", WARNING))
    return problems, found


def _with_root(site: Site, problem: Problem) -> Problem:
    """Line numbers for listing fields, looked up in the file under the project being checked."""
    if problem.line != 1:
        return problem
    field = re.match(r"'(\w+)'", problem.message)
    file = site.root / problem.path
    if field and file.is_file():
        source = file.read_text(encoding="utf-8")
        for number, row in enumerate(source.splitlines(), start=1):
            if re.match(rf"{re.escape(field.group(1))}\s*:", row):
                return dataclasses.replace(problem, line=number)
    return problem


def check_spelling(site: Site) -> list[Problem]:
    from clinic_site import spelling

    found = []
    for misspelling in spelling.check_docs(site.docs_dir, site.docs_dir / spelling.WORD_LIST.name):
        if misspelling.word == PLACEHOLDER:
            continue  # reported as a placeholder
        path = site.shown(site.docs_dir.parent / misspelling.path)
        prefix = f"{misspelling.path}, line {misspelling.line}: "
        found.append(Problem(path, misspelling.line, misspelling.message().removeprefix(prefix)))
    return found


def check_readability(site: Site) -> list[Problem]:
    from clinic_site import readability

    problems = []
    for file in sorted((site.docs_dir / "guide").glob("*.md")):
        report = readability.page_report(f"docs/guide/{file.name}", file.read_text(encoding="utf-8"))
        if readability.over_limit([report]):
            hardest = report.hardest(1)[0].text if report.sentences else ""
            source = file.read_text(encoding="utf-8")
            line = _line_of_text(source, hardest[:40]) if hardest else 1
            message = readability.failure_message(report).removeprefix(f"{report.path} ")
            problems.append(Problem(site.shown(file), line, message.replace(": shorten", " — shorten", 1)))
    return problems


def check_nav(site: Site, pages: "_Pages") -> list[Problem]:
    """Every page the menu (nav: in mkdocs.yml) names exists."""
    config_text = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    return [Problem("mkdocs.yml", _line_of_text(config_text, page),
                    f"the menu (nav:) lists {page}, which does not exist in docs/ — correct the path, "
                    "or remove the line if the page was deleted")
            for page in sorted(site.nav) if not pages.exists(page)]


def markdown_pages(site: Site) -> list[Path]:
    return [file for file in sorted(site.docs_dir.rglob("*.md"))
            if site.is_published(file.relative_to(site.docs_dir).as_posix())]


def check_all(root: Path = PROJECT_ROOT, *, today: dt.date | None = None, spelling: bool = True,
              readability: bool = False) -> list[Problem]:
    """Every problem in the project at `root`, sorted by file and line."""
    today = today or dt.date.today()
    site = Site.load(root)
    problems = [Problem("mkdocs.yml", 1, message.removeprefix("mkdocs.yml").lstrip(":, "))
                for message in content_rules.check_clinic((site.config.get("extra") or {}).get("clinic"))]
    listing_problems, found = check_listings(site, today)
    problems += listing_problems
    generated = {listings.LISTING_URI.format(id=file.stem) for file in site.listings_dir.glob("*.yml")} \
        if site.listings_dir.is_dir() else set()
    generated |= {listings.CITY_URI.format(slug=slug) for slug in listings.group_by_city(found)}
    # City pages are only known when every listing is valid; then any city link is taken on trust.
    prefixes = (listings.CITY_URI.split("{")[0],) if listing_problems and errors(listing_problems) else ()
    pages = _Pages(site, generated, prefixes)
    problems += check_nav(site, pages)
    for file in markdown_pages(site):
        problems += check_page(site, file, today)
        problems += check_links(site, file, pages)
    if spelling:
        problems += check_spelling(site)
    if readability:
        problems += check_readability(site)
    return sorted(set(problems))


def check_file(file: Path, root: Path = PROJECT_ROOT, today: dt.date | None = None) -> list[Problem]:
    """The page checks and link checks of one Markdown page (used by the new_* commands)."""
    site = Site.load(root)
    pages = _Pages(site, set(), ())
    return sorted(check_page(site, file, today or dt.date.today()) + check_links(site, file, pages))


def summary(problems: list[Problem], seconds: float) -> str:
    found_errors = len(errors(problems))
    warnings = len(problems) - found_errors
    if not problems:
        return f"All content checks passed ({seconds:.1f} s)."
    verdict = "Fix the errors above, then run the check again." if found_errors else \
        "No errors: the site can be published. The warnings above need attention soon."
    return f"{found_errors} error(s), {warnings} warning(s) ({seconds:.1f} s). {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 1 when there is at least one error, 0 otherwise (warnings only). "
               "What each message means and how to fix it: CONTRIBUTING.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readability", action="store_true",
                        help="also check that guide pages read at grade 8 or below (scripts/clinic_site/readability.py)")
    parser.add_argument("--no-spelling", action="store_true", help="skip the spell check")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="check the review dates as on this day (default: today)")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    problems = check_all(args.root, today=args.today, spelling=not args.no_spelling, readability=args.readability)
    for problem in problems:
        print(problem)
    print(summary(problems, time.perf_counter() - started))
    return 1 if errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
