"""The site search's index (issue 26): written after the engine from the pages it built, so it is
the same whichever engine wrote them, and split so a browser downloads only what one query needs.

What is indexed: the article of each page the site's templates mark `data-search-body`
(overrides/main.html: the pages staff write and the stage makes; not the blog's lists, the 404
page or the editor), without what they mark `data-search-ignore` (the finder's controls, the home
page's ZIP form, the review box and disclaimer), scripts, styles and hidden parts. Words a page is
found by beyond its text are given in `<span hidden data-search-keywords="..."
data-search-weight="7">` (a page's tags). The header, menus and footer are outside the article.

Words are split into terms by one rule, the browser's too (postbuild/search_terms.py).

Written to `search-index/` at the top of the site (`FOLDER`), all JSON:

- `index.json`: `{"version": 1, "key": K, "pages": N, "shards": [first term of each shard],
  "word": table("word"), "unassigned": table("unassigned")}`, the only file with a fixed name
  (fetched first, revalidated: clinic_site.headers); the two tables are Python's Unicode data,
  so the browser splits what is typed as the index split the pages, whatever its own Unicode
  version (2.7 KB gzip together);
- `terms/K-I.json`: shard I, `{term: [page, score, page, score, ...]}`, the terms from the
  shard's first term up to the next shard's, about `SHARD_BYTES` each (a term is never split);
  pages are numbers, each after the first written as the difference from the one before; a score
  is BM25 (k1 1.2, b 0.75; Robertson and Zaragoza, "The Probabilistic Relevance Framework", 2009)
  of the term's weighted count in the page, times 100, at least 1;
- `pages/K-P.json`: page P, `{"url": path in the site, "title": its first <h1>, "sections":
  [[anchor, heading, text], ...]}` (a fourth item, the section's keywords, where it has some),
  fetched only for the results drawn, to show their titles, sections and excerpts (as text: the
  script never reads them as HTML).

K is a hash of the whole index, so a browser never mixes files of two builds. A word's weight is
1 in the text, 7 to 2 in an <h1> to <h6>, and the keywords' own weight (the defaults of Pagefind, which
this index replaced: its WebAssembly alone was 72 KB gzip, above the 60 KB the first result may
cost at 20,000 listings). The published allowlist reads these files by a rule about this folder
(clinic_site.published: `SEARCH_FOLDER`).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

from selectolax.lexbor import LexborHTMLParser

from clinic_site.postbuild.search_terms import table, tokens, utf16
from clinic_site.problems import Problem

FOLDER = "search-index"
MARK = b"data-search-body"
_MARK_TEXT = MARK.decode()
SHARD_BYTES = 12_000          # raw JSON per shard, about 3 KB gzip: one typed word fetches one or two
MAX_PAGE_TEXT = 20_000        # characters of text a page file keeps (a city page at 20,000 listings: about 3,000)
MAX_SECTIONS = 100            # sections a page file keeps
HEADING_WEIGHTS = {"h1": 7, "h2": 6, "h3": 5, "h4": 4, "h5": 3, "h6": 2}
K1, B = 1.2, 0.75             # BM25's usual constants (Robertson and Zaragoza 2009)
LEFT_OUT = "[data-search-ignore], script, style, template, noscript, svg"   # and hidden parts (_walk)
BLOCKS = frozenset("address article aside blockquote br dd details div dl dt figcaption figure footer form "
                   "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split())


def write(site_dir: Path, config_shown: str = "mkdocs.yml", docs_path: str = "docs",
          docs_dir: Path | None = None) -> list[Problem]:
    """Index the pages built in `site_dir` into `site_dir`/search-index/ (an index left by an
    earlier build there is replaced); returns the problems met (a folder or page of that name in
    the docs folder `docs_dir`, shown as `docs_path`; a page that cannot be read), never a
    traceback. `config_shown` is the settings file named when the folder cannot be written.
    The post-build stage does the same in its one pass over the pages (`Index`)."""
    site_dir = Path(site_dir)
    problems = prepare(site_dir, docs_path, docs_dir)
    if problems:
        return problems
    index = Index()
    for path in built_pages(site_dir):
        try:
            html = (site_dir / path).read_bytes().decode("utf-8")
            index.add(path, html, index.read(path, html))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, 1, "", f"the site search could not read this built page "
                                    f"({error.__class__.__name__})", "build again; if it stays, ask a developer"))
    return problems or index.write(site_dir, config_shown)


def prepare(site_dir: Path, docs_path: str = "docs", docs_dir: Path | None = None) -> list[Problem]:
    """Before the pages are read: the index's folder taken by a folder or page of the docs folder
    `docs_dir` (shown as `docs_path`) is a problem; an index an earlier build left is removed."""
    for taken, what in ((FOLDER, "folder"), (f"{FOLDER}.md", "page")):   # search-index.md is published at search-index/
        if docs_dir is not None and (Path(docs_dir) / taken).exists():
            return [Problem(f"{docs_path}/{taken}", 1, "", f"is published at {FOLDER}/, where the site search's "
                            "index is written, so it may not be in the docs folder",
                            f"rename or remove the {what} {docs_path}/{taken}")]
    output = Path(site_dir) / FOLDER
    if output.is_dir():
        shutil.rmtree(output)
    return []


class Index:
    """The site search's index as built pages are handed to it, each once, in any order (the
    post-build stage's one pass over the site, or `write`): `add` each HTML page (its path in the
    site, "guide/index.html", and its text), then `write` the index."""

    def __init__(self) -> None:
        self.pages: dict[str, dict] = {}
        self.problems: list[Problem] = []
        self.files: dict[str, str] = {}

    def read(self, path: str, html: str, tree: LexborHTMLParser | None = None) -> dict | None:
        """What the index keeps of one built page (read_page's dict), None for a page not marked
        for the search: a text search first, so pages not marked (20,000 listing pages) are never
        parsed (`tree`: the page already parsed, which read_page changes). Reads only: `add` it."""
        if path.startswith(f"{FOLDER}/") or not path.endswith((".html", ".htm")) or _MARK_TEXT not in html:
            return None
        return read_page(path, html, tree)

    def add(self, path: str, html: str, page: dict | None = None) -> None:
        """Add one built page (its path in the site, "guide/index.html", its text, and what `read`
        gave for it, now or in an earlier run for exactly this text). Pages still marked the old
        way are problems."""
        if "data-pagefind-" in html and _carries_old_marks(html):
            self.problems.append(Problem(
                path, 1, "", "this built page holds data-pagefind- attributes, which the site search no longer "
                "reads (its index is the site's own since issue 26), so what they mark is indexed or left out "
                "wrongly", "in the template that writes it (overrides/), rename data-pagefind-body to "
                "data-search-body and data-pagefind-ignore to data-search-ignore (CHANGELOG.md)"))
        if page is not None:
            self.pages[path] = page

    def write(self, site_dir: Path, config_shown: str = "mkdocs.yml", made: dict[str, str] | None = None
              ) -> list[Problem]:
        """Write the index of the pages added (numbered in the order of their paths) into
        `site_dir`/search-index/ (`made`: its files as index_files made them for these very pages,
        in an earlier run); the problems met reading them or writing it. `files` then holds what
        was written, {path under search-index/: text}."""
        if self.problems:
            return self.problems
        try:
            self.files = made if made is not None else index_files([self.pages[path] for path in sorted(self.pages)])
            output = Path(site_dir) / FOLDER
            (output / "terms").mkdir(parents=True)
            (output / "pages").mkdir()
            for name, text in self.files.items():
                (output / name).write_text(text, encoding="utf-8")
        except OSError as error:
            return [Problem(config_shown, 1, "", f"the site search's index could not be written to {FOLDER}/ "
                            f"({error.__class__.__name__}: {error.strerror or error})",
                            "check the disk has room and the site folder can be written, then build again")]
        return []


def built_pages(site_dir: Path) -> list[str]:
    """The paths in the site ("guide/x/index.html") of its HTML pages, sorted (the index numbers
    pages in this order), the index's own folder left out."""
    found = []
    root = str(site_dir)
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if not (folder == root and name == FOLDER)]
        found += [os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
                  for name in names if name.endswith((".html", ".htm"))]
    return sorted(found)


def _carries_old_marks(html: str | bytes) -> bool:
    """Whether an element of the page `html` has a data-pagefind-body or data-pagefind-ignore
    attribute (not the words written as text, in a code sample)."""
    return bool(LexborHTMLParser(html).css("[data-pagefind-body], [data-pagefind-ignore]"))


def read_page(path: str, html: str, tree: LexborHTMLParser | None = None) -> dict:
    """What the index keeps of the built page at `path` (its HTML `html`): `{"url", "title",
    "sections": [[anchor, heading, text]], "weights": Counter of term -> weighted count,
    "length": number of words}`; a page without a marked article gives no sections. `tree`:
    `html` already parsed with LexborHTMLParser, read instead of parsing again (and changed: the
    parts left out of the index are removed from it)."""
    tree = LexborHTMLParser(html) if tree is None else tree
    # The path as an address: percent-encoded as the engines write their links, so a file name's
    # "#", "?", "%", "\\" or space is part of the path, never a fragment, query or host.
    url = quote(re.sub(r"(^|/)index\.html?$", r"\1", path), safe="/")
    article = tree.css_first(f"[{MARK.decode()}]")
    weights: Counter = Counter()
    if article is None:
        return {"url": url, "title": "", "sections": [], "weights": weights, "length": 0}
    for node in article.css(LEFT_OUT):
        node.decompose()
    h1 = article.css_first("h1")
    title = _text(h1.text(deep=True)) if h1 is not None else ""
    head_title = tree.css_first("title")
    if not title and head_title is not None:
        title = _text(head_title.text()).split(" - ")[0]
    sections: list[list] = [["", title, [], []]]
    _walk(article, sections, weights)
    length = 0
    done = []
    for anchor, heading, parts, keywords in sections:
        text = _text("".join(parts))
        words = tokens(text)
        length += len(words)
        for word in words:
            weights[word] += 1
        if text or anchor or keywords:
            done.append([anchor, heading, text, " ".join(keywords)] if keywords else [anchor, heading, text])
    return {"url": url, "title": title, "sections": _capped(done), "weights": weights, "length": length}


def _capped(sections: list[list]) -> list[list]:
    """`sections` as the page file keeps them: the first MAX_SECTIONS, their text cut (at a word,
    with "…") once the page's text reaches MAX_PAGE_TEXT characters. The file is fetched whole
    for each result drawn, on a phone; every word still counts in the index (the shards), only
    the excerpts and the sections shown under a result come from what is kept."""
    kept, left = [], MAX_PAGE_TEXT
    for section in sections[:MAX_SECTIONS]:
        text = section[2]
        if len(text) > left:
            cut = text[:left].rsplit(" ", 1)[0] if " " in text[:left] else ""
            text = f"{cut} …" if cut else ""
        left = max(0, left - len(text))
        kept.append([section[0], section[1], text, *section[3:]])
    return kept


def _walk(node, sections: list[list], weights: Counter) -> None:
    """Append the text under `node` to the last of `sections` ([anchor, heading, text parts,
    keywords]), starting a section at each heading with an id; headings' words are counted at
    their weight, never in the body; a keywords span's words at its weight, kept with its section;
    hidden parts left out. Not recursive (a stack of the siblings still to read, each level with
    whether its parent is a block), so an article nested thousands of elements deep is read too."""
    stack = [(node.child, False)]
    while stack:
        child, block = stack.pop()
        if child is None:   # the end of a parent's children
            if block:
                sections[-1][2].append(" ")
            continue
        stack.append((child.next, block))
        tag = child.tag
        attributes = child.attributes if not tag.startswith("-") else {}
        if tag == "-text":
            sections[-1][2].append(child.text_content or "")
        elif "data-search-keywords" in attributes:
            said = _text(attributes.get("data-search-keywords"))
            weight = _int(attributes.get("data-search-weight"), 1)
            for word in tokens(said):
                weights[word] += weight
            if said:
                sections[-1][3].append(said)
        elif "hidden" in attributes or attributes.get("aria-hidden") == "true":
            pass
        elif tag in HEADING_WEIGHTS:
            heading = _text(child.text(deep=True))
            words = tokens(heading)
            for word in words:
                weights[word] += HEADING_WEIGHTS[tag]
            anchor = child.attributes.get("id") or ""
            if tag == "h1" and len(sections) == 1 and not "".join(sections[0][2]).strip():
                pass   # the title: section 0's heading
            elif anchor:
                sections.append([anchor, heading, [], []])
            else:   # a heading no link can reach: its words stay in the section's text (weight 1 there)
                sections[-1][2].append(f" {heading} ")
                for word in words:
                    weights[word] -= 1
        elif not tag.startswith("-"):
            inner_block = tag in BLOCKS
            if inner_block:
                sections[-1][2].append(" ")
            stack.append((child.child, inner_block))


def _text(text: str | None) -> str:
    return " ".join((text or "").split())


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(100, int(value or "")))
    except ValueError:
        return default


def index_files(pages: list[dict]) -> dict[str, str]:
    """index.json, the term shards and the page files for `pages` (read_page's dicts), as
    {path under search-index/ ("terms/0a1b2c3d4e-0.json"): text}."""
    count = len(pages)
    average = sum(page["length"] for page in pages) / count if count else 1.0
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for number, page in enumerate(pages):
        for term, weight in page["weights"].items():
            postings[term].append((number, weight))
    shards: list[dict[str, list[int]]] = [{}]
    size = 0
    norms = [K1 * (1 - B + B * page["length"] / max(average, 1.0)) for page in pages]
    for term in sorted(postings, key=utf16):   # the order JavaScript compares strings in (search-text.js)
        found = postings[term]
        idf = math.log(1 + (count - len(found) + 0.5) / (len(found) + 0.5))
        flat, previous = [], 0
        for number, weight in found:
            flat += [number - previous, max(1, round(100 * idf * weight * (K1 + 1) / (weight + norms[number])))]
            previous = number
        cost = len(term) + 6 + len(",".join(map(str, flat)))   # "term":[…], as the shard's JSON writes it
        if size and size + cost > SHARD_BYTES:
            shards.append({})
            size = 0
        shards[-1][term] = flat
        size += cost
    texts = [json.dumps(shard, ensure_ascii=False, separators=(",", ":")) for shard in shards]
    files = [json.dumps({"url": page["url"], "title": page["title"], "sections": page["sections"]},
                        ensure_ascii=False, separators=(",", ":")) for page in pages]
    key = hashlib.sha256("\n".join(texts + files).encode()).hexdigest()[:10]
    firsts = [""] + [next(iter(shard)) for shard in shards[1:]]   # the first shard starts at the smallest string
    manifest = {"version": 1, "key": key, "pages": count, "shards": firsts,
                "word": table("word"), "unassigned": table("unassigned")}
    return {**{f"terms/{key}-{number}.json": text for number, text in enumerate(texts)},
            **{f"pages/{key}-{number}.json": text for number, text in enumerate(files)},
            "index.json": json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))}


def files(site_dir: Path) -> list[str]:
    """The paths (in the site, "search-index/terms/0a1b2c3d4e-0.json") of the search's published
    files, sorted; [] before indexing."""
    output = Path(site_dir) / FOLDER
    return sorted(path.relative_to(site_dir).as_posix() for path in output.rglob("*") if path.is_file())
