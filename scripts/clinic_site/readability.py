"""Readability report: the Flesch-Kincaid grade of every content page in docs/, two ways.

Guide pages (docs/guide/*.md) must be grade 6 or below: the NHS aims at a reading
age of 9 to 11, about US grade 4 to 6. Blog posts that give health advice (in a
health category such as "Guide", like the original article) must be grade 8 or
below; clinic news has no limit. The grade is computed on what a reader reads as running text:
paragraphs and list items. Left out: front matter, code, headings and admonition
titles (labels, not sentences), lists and tables of links (navigation), and
citations (a block with a URL or DOI, a "Source:" line, or an entry right under
a source's heading on the references page). Inline citations such as "([Huang](../references.md#huang-2013))"
are dropped too. Words and syllables are counted by textstat, offline.

The strict measure, beside it, reads the BUILT page (site/<page>/index.html, from
`mkdocs build`): the article's text as a reader sees it, with headings, admonition titles, code,
figures and the Sources section left out, what the templates add around the page (review line,
review box and disclaimer, a post's byline) left out too, and each bulleted or numbered list
read as one sentence: its items joined with commas, following the line that introduces it
(a long list after a long lead-in is one long sentence to a reader). Inline citations stay.
The grade is textstat's own Flesch-Kincaid grade of that text, for pages of over 80 words;
guide pages must be grade 7 or below this way.

Run from the project root:  .venv/bin/clinic readability  (build the site first for the strict
measure: .venv/bin/mkdocs build --strict). It prints each page's grade both ways and its hardest
sentences, and exits with status 1, naming the sentences to shorten, when a guide page or health
post is over its limit either way.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from clinic_site.spelling import markdown_lines, plain_text

GUIDE_GRADE_LIMIT = 6.0
# Blog posts in these categories give health advice: held to HEALTH_POST_GRADE_LIMIT.
HEALTH_POST_CATEGORIES = ("Guide",)
HEALTH_POST_GRADE_LIMIT = 8.0
HARDEST_SHOWN = 3
MIN_WORDS_TO_RANK = 6
# Generated or data pages: not prose written for readers. Folders whose name starts
# with a dot (docs/.snippets/, the abbreviations appended to every page) are not pages.
SKIPPED_DIRS = ("therapists/listings",)
# The strict measure: the built site's article text (see the module's docstring).
STRICT_GUIDE_GRADE_LIMIT = 7.0
STRICT_MIN_WORDS = 80
# Not article text: labels, code and figures, and what the templates add around the page.
_NOT_ARTICLE_TEXT = ("h1, h2, h3, h4, h5, h6, .admonition-title, summary, pre, code, figure, script, style, "
                     ".reviewed-line, .review-info, .post-meta")

_BLOCK_START = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+|\s*#{1,6}\s|\s*\||\s*(?:!!!|\?\?\?\+?)\s|\s*<")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LABEL = re.compile(r"^\s*(?:#{1,6}\s|(?:!!!|\?\?\?\+?)\s|\|)")       # heading, admonition title, table row
_LINK_ONLY = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)[\s,.;–-]*)+$")    # "[Read the guide](guide/index.md)"
_INLINE_CITATION = re.compile(r"\s*\((?:\s*(?:see\s+)?\[[^\]]*\]\([^)]*\)[\s,;]*)+\)")
# A citation: has a URL or DOI, starts "Source:", or ends with a year (". 2016.").
_CITATION = re.compile(r"https?://|\bdoi[:.]|^\W*sources?\W*:|\.\s+(?:19|20)\d\d\.?\s*$", re.I)
_ANCHORED_HEADING = re.compile(r"#{1,6}\s.*\{\s*#[\w-]+\s*\}\s*$")
_FINDING_LABEL = re.compile(r"\*\*[\w ]+:\*\*")
_EMPHASIS = re.compile(r"[*_]{1,3}")
# Split after . ! or ? (and any closing quote or bracket) when a new sentence starts.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "et al.", "Dr.", "vs.", "St.", "U.S.", "No.")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        return flesch_kincaid(self.words, 1, self.syllables)


@dataclass(frozen=True)
class PageReport:
    path: str
    sentences: tuple[Sentence, ...]
    categories: tuple[str, ...] = ()

    @property
    def grade(self) -> float:
        words = sum(sentence.words for sentence in self.sentences)
        syllables = sum(sentence.syllables for sentence in self.sentences)
        return flesch_kincaid(words, len(self.sentences), syllables)

    def hardest(self, count: int = HARDEST_SHOWN) -> list[Sentence]:
        # A one- or two-word list item ("pregnancy") gets a huge grade from its
        # syllables alone but cannot be shortened, so only real sentences rank.
        ranked = [sentence for sentence in self.sentences if sentence.words >= MIN_WORDS_TO_RANK]
        return sorted(ranked, key=lambda sentence: sentence.grade, reverse=True)[:count]

    @property
    def is_guide(self) -> bool:
        return self.path.startswith("docs/guide/")

    @property
    def is_health_post(self) -> bool:
        return self.path.startswith("docs/blog/posts/") and any(
            category in HEALTH_POST_CATEGORIES for category in self.categories)

    def limit(self, guide_limit: float = GUIDE_GRADE_LIMIT) -> float | None:
        """The highest grade allowed for this page, or None when it has no limit."""
        if self.is_guide:
            return guide_limit
        if self.is_health_post:
            return HEALTH_POST_GRADE_LIMIT
        return None

    @property
    def kind(self) -> str:
        return "guide pages" if self.is_guide else "blog posts that give health advice"


def flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    """The Flesch-Kincaid grade level (Kincaid et al., 1975)."""
    if not words or not sentences:
        return 0.0
    return round(0.39 * words / sentences + 11.8 * syllables / words - 15.59, 1)


def prose_blocks(source: str) -> list[str]:
    """The page's paragraphs and list items as plain text, without labels, link lists or citations."""
    blocks = _markdown_blocks(source)
    return [text for index, block in enumerate(blocks)
            if _is_running_text(blocks, index) and (text := _block_text(block))]


def _markdown_blocks(source: str) -> list[str]:
    """Paragraphs, list items, headings and table rows, each joined onto one line."""
    blocks: list[list[str]] = []
    previous = None
    for number, line in markdown_lines(source, front_matter_keys=()):
        if not line.strip():
            previous = None
            continue
        if previous is not None and number == previous + 1 and not _BLOCK_START.match(line):
            blocks[-1].append(line.strip())
        else:
            blocks.append([line.strip()])
        previous = number
    return [" ".join(lines) for lines in blocks]


def _is_running_text(blocks: list[str], index: int) -> bool:
    block = blocks[index]
    if _LABEL.match(block) or _LINK_ONLY.match(_LIST_MARKER.sub("", block)) or _CITATION.search(block):
        return False
    return not _is_source_entry(blocks, index)


def _is_source_entry(blocks: list[str], index: int) -> bool:
    """The citation right under a source's heading on the references page: the heading
    has an {#anchor} and the block after the citation starts with a label like **Finding:**."""
    return (0 < index < len(blocks) - 1 and _ANCHORED_HEADING.match(blocks[index - 1]) is not None
            and _FINDING_LABEL.match(blocks[index + 1]) is not None)


def _block_text(block: str) -> str:
    text = plain_text(_INLINE_CITATION.sub("", _LIST_MARKER.sub("", block)))
    text = _EMPHASIS.sub("", text).replace("[", "").replace("]", "")
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)   # "see our blog ." once the link target is gone
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    pieces = _SENTENCE_END.split(text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and sentences[-1].endswith(_ABBREVIATIONS):
            sentences[-1] += " " + piece   # "et al. The" is one sentence
        else:
            sentences.append(piece)
    return [sentence.strip() for sentence in sentences if re.search(r"[A-Za-z]", sentence)]


def measure(sentence: str) -> Sentence:
    # textstat 0.7.4 counts syllables with pyphen's bundled hyphenation dictionaries: no download.
    import warnings
    with warnings.catch_warnings():   # textstat 0.7.4 imports pkg_resources, which warns on import
        warnings.simplefilter("ignore", UserWarning)
        import textstat
    return Sentence(sentence, textstat.lexicon_count(sentence), textstat.syllable_count(sentence))


def page_report(path: str, source: str, categories: tuple[str, ...] | None = None) -> PageReport:
    """The reading grade of one page; `categories` (a post's, as its front matter was read) spares
    reading the front matter again."""
    sentences = [measure(sentence) for block in prose_blocks(source) for sentence in split_sentences(block)]
    return PageReport(path, tuple(sentences), _categories(source) if categories is None else categories)


def _categories(source: str) -> tuple[str, ...]:
    """The `categories:` of a page's front matter (blog posts), or ()."""
    if not source.startswith("---"):
        return ()
    from clinic_site.sources import parse_source  # front matter as every page's is read (bounded, safe)
    categories = parse_source(source, "").meta.get("categories")
    return tuple(str(category) for category in categories) if isinstance(categories, list) else ()


def over_limit(reports: list[PageReport], limit: float = GUIDE_GRADE_LIMIT) -> list[PageReport]:
    """Pages over their limit: `limit` for guide pages, HEALTH_POST_GRADE_LIMIT for health posts."""
    return [report for report in reports
            if (page_limit := report.limit(limit)) is not None and report.grade > page_limit]


def failure_message(report: PageReport, limit: float = GUIDE_GRADE_LIMIT) -> str:
    sentences = "; ".join(f'"{sentence.text}" (grade {sentence.grade})' for sentence in report.hardest())
    page_limit = report.limit(limit)
    page_limit = limit if page_limit is None else page_limit
    if not sentences:   # every sentence under MIN_WORDS_TO_RANK words: long words, not long sentences
        return (f"{report.path} is grade {report.grade}, over the limit of {page_limit:g} for {report.kind}: "
                "shorten its words: use shorter, everyday words, or add plain sentences that explain them")
    return (f"{report.path} is grade {report.grade}, over the limit of {page_limit:g} for {report.kind}: "
            f"shorten these sentences: {sentences}")


def strict_text(html: str) -> str:
    """The article text of a built page as the strict measure reads it (see the module's docstring):
    each list becomes one sentence of its items joined with commas, added to the paragraph just
    before it (the line introducing it) or standing alone; then every paragraph or table cell
    is one block, ended with a full stop when it has no end mark of its own."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    sources = article.find("h2", id="sources")
    if sources is not None:
        for sibling in sources.find_next_siblings():
            if sibling.name in ("h1", "h2"):
                break
            sibling.decompose()
        sources.decompose()
    # Innermost lists first, so a nested list is already text inside its parent's item.
    for listing in reversed(article.find_all(["ul", "ol"])):
        items = [_strict_block(item.get_text(" ")).rstrip(" .;:,") for item in listing.find_all("li", recursive=False)]
        sentence = ", ".join(item for item in items if item) + "."
        before = listing.find_previous_sibling()
        if before is not None and before.name == "p":
            before.append(" " + sentence)
            listing.decompose()
        else:
            paragraph = soup.new_tag("p")
            paragraph.string = sentence
            listing.replace_with(paragraph)
    for element in article.select(_NOT_ARTICLE_TEXT):
        element.decompose()
    blocks = [_strict_block(block.get_text(" ")) for block in article.find_all(["p", "td", "th", "dt", "dd"])]
    return " ".join(block if block[-1] in ".!?:" else block + "." for block in blocks if block)


def _strict_block(text: str) -> str:
    """Whitespace made single, and none left inside brackets or before punctuation ("( Mayo ) ." -> "(Mayo).")."""
    text = re.sub(r"\s+([.,;:!?)\]])", r"\1", " ".join(text.split()))
    return re.sub(r"([(\[])\s+", r"\1", text)


def strict_grade(text: str) -> float | None:
    """textstat's Flesch-Kincaid grade of the text, or None when it has STRICT_MIN_WORDS words or fewer."""
    import textstat
    return textstat.flesch_kincaid_grade(text) if textstat.lexicon_count(text) > STRICT_MIN_WORDS else None


def built_file(site_dir: Path, page: str, source: str = "") -> Path | None:
    """Where the build wrote a page ("docs/guide/x.md"): guide/x/index.html, guide/index.html for
    guide/index.md, and a blog post under blog/ by its slug; None when it is not there."""
    relative = Path(*Path(page).parts[1:]).with_suffix("")   # without the docs folder
    folder = relative.parent if relative.name == "index" else relative
    found = site_dir / folder / "index.html"
    if not found.is_file() and (slug := re.search(r"^slug:\s*(\S+)\s*$", source, flags=re.M)):
        found = next(site_dir.glob(f"blog/**/{slug.group(1)}/index.html"), found)
    return found if found.is_file() else None


@dataclass(frozen=True)
class StrictReport:
    """A page's strict grade (None at STRICT_MIN_WORDS words or fewer), its hardest sentences read
    that way, and whether its build predates its source."""
    grade: float | None
    hardest: tuple[Sentence, ...] = ()
    stale: bool = False


def strict_report(html: str, stale: bool = False) -> StrictReport:
    """The strict measure of one built page's HTML."""
    text = strict_text(html)
    sentences = PageReport("", tuple(measure(sentence) for sentence in split_sentences(text))).hardest()
    return StrictReport(strict_grade(text), tuple(sentences), stale)


def strict_reports(reports: list[PageReport], site_dir: Path, docs_dir: Path) -> dict[str, StrictReport]:
    """The strict measure of each page that has been built, by the page's path ("docs/guide/x.md")."""
    measured = {}
    for report in reports:
        source_file = docs_dir / Path(*Path(report.path).parts[1:])
        built = built_file(site_dir, report.path, source_file.read_text(encoding="utf-8"))
        if built is not None:
            measured[report.path] = strict_report(built.read_text(encoding="utf-8"),
                                                  built.stat().st_mtime < source_file.stat().st_mtime)
    return measured


def strict_over_limit(reports: list[PageReport], strict: dict[str, StrictReport]) -> list[PageReport]:
    """Guide pages over STRICT_GUIDE_GRADE_LIMIT the strict way."""
    return [report for report in reports if report.is_guide and (measured := strict.get(report.path))
            and measured.grade is not None and measured.grade > STRICT_GUIDE_GRADE_LIMIT]


def content_pages(docs_dir: Path) -> list[Path]:
    return [file for file in sorted(docs_dir.rglob("*.md"))
            if not any(file.relative_to(docs_dir).as_posix().startswith(skipped + "/") for skipped in SKIPPED_DIRS)
            and not any(part.startswith(".") for part in file.relative_to(docs_dir).parts)]


def check_docs(docs_dir: Path) -> list[PageReport]:
    return [page_report(str(Path(docs_dir.name) / file.relative_to(docs_dir)), file.read_text(encoding="utf-8"))
            for file in content_pages(docs_dir)]


def format_report(reports: list[PageReport], limit: float = GUIDE_GRADE_LIMIT,
                  strict: dict[str, StrictReport] | None = None) -> list[str]:
    strict = strict or {}
    lines = [f"Flesch-Kincaid grade of each page (guide pages must be {limit:g} or below, "
             f"blog posts in {', '.join(HEALTH_POST_CATEGORIES)} {HEALTH_POST_GRADE_LIMIT:g} or below), "
             f"and the strict grade of the built page (guide pages {STRICT_GUIDE_GRADE_LIMIT:g} or below; "
             "'-': not built, or 80 words or fewer):"]
    for report in reports:
        measured = strict.get(report.path)
        shown = f"{measured.grade:5.1f}" if measured and measured.grade is not None else "    -"
        flags = [" OVER THE LIMIT"] if report in over_limit([report], limit) else []
        flags += [" STRICT GRADE OVER THE LIMIT"] if strict_over_limit([report], strict) else []
        flags += [" (built before the last edit: build again)"] if measured and measured.stale else []
        lines.append(f"  {report.grade:5.1f}  strict {shown}  {report.path} "
                     f"({len(report.sentences)} sentences){''.join(flags)}")
        lines += [f"                        {sentence.grade:5.1f}  {sentence.text}" for sentence in report.hardest()]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Exit status: 0 when every guide page and health post is within "
                                            "its limit, both ways, 1 otherwise.")
    parser.add_argument("--docs", type=Path, default=None, help="folder of Markdown pages (default: docs/)")
    parser.add_argument("-f", "--config-file", default=None, help="the site's mkdocs.yml (default: found from here)")
    parser.add_argument("--limit", type=float, default=GUIDE_GRADE_LIMIT,
                        help=f"highest grade allowed for guide pages (default: {GUIDE_GRADE_LIMIT:g})")
    parser.add_argument("--site", type=Path, default=None,
                        help="the built site the strict measure reads (default: the site_dir of mkdocs.yml, "
                             "site/, as `clinic build` writes it)")
    args = parser.parse_args(argv)
    if args.docs is None or args.site is None:
        from clinic_site.project import Project, Settings
        settings = Settings.read(Project.find(args.config_file))[0]
        args.docs = args.docs or settings.docs_dir
        args.site = args.site or settings.site_dir
    reports = check_docs(args.docs)
    strict = strict_reports(reports, args.site, args.docs)
    print("\n".join(format_report(reports, args.limit, strict)))
    if not strict:
        print(f"No built pages in {args.site}: build the site (.venv/bin/clinic build) for the strict grade.")
    failing = over_limit(reports, args.limit)
    for report in failing:
        print(failure_message(report, args.limit))
    strict_failing = strict_over_limit(reports, strict)
    for report in strict_failing:
        sentences = "; ".join(f'"{sentence.text}" (grade {sentence.grade})' for sentence in strict[report.path].hardest)
        print(f"{report.path} is strict grade {strict[report.path].grade}, over the limit of "
              f"{STRICT_GUIDE_GRADE_LIMIT:g} for guide pages: split long lists and their lead-ins, and shorten "
              f"these sentences as the strict measure reads them: {sentences}")
    return 1 if failing or strict_failing else 0


if __name__ == "__main__":
    sys.exit(main())
