"""The site search's index (clinic_site.postbuild.site_search), written after the engine from the
built pages: what it holds and leaves out, its files (JSON only, a list of shards, the shards
sorted as the browser compares strings), its terms (the same rule as what is typed), and the
problems it names instead of a traceback. What a browser finds with it: tests/test_search_text.py."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clinic_site import published
from clinic_site.postbuild import search_terms, site_search
from tests import harness

PAGE = """<!doctype html><html lang="en"><head><title>{title} - Clinic</title></head><body>
<header><form><input aria-label="Search"> Type to start searching</form></header>
<article data-search-body><h1 id="top">{title}</h1><p>{text}</p>
<span hidden data-search-weight="7" data-search-keywords="opening hours, directions"></span>
<div data-search-ignore>Use my location</div><script>var secret = "scriptword";</script>
<h2 id="more">More <em>about</em> it</h2><p>Second <strong>sec</strong>tion text.</p>
<h3>Unlinked heading</h3><p>After it.</p></article><footer>General information</footer></body></html>"""


def write_site(folder: Path) -> Path:
    for slug, title, text in (("cafe", "The café", "Sjögren’s syndrome and post-op care."),
                              ("plain", "Plain page", "Nothing special here about the café.")):
        (folder / slug).mkdir(parents=True)
        (folder / slug / "index.html").write_text(PAGE.format(title=title, text=text), encoding="utf-8")
    (folder / "admin").mkdir()
    (folder / "admin" / "index.html").write_text("<!doctype html><html><body>Editor</body></html>", encoding="utf-8")
    return folder


def test_the_index_holds_the_marked_articles_only_as_text_with_their_sections(tmp_path):
    site = write_site(tmp_path / "site")
    assert site_search.write(site) == []
    pages = {page["url"]: page for page in harness.indexed_pages(site)}
    assert set(pages) == {"/cafe/", "/plain/"}   # not the editor: it has no data-search-body
    cafe = pages["/cafe/"]
    assert cafe["meta"]["title"] == "The café"
    assert cafe["sections"] == [["", "The café", "Sjögren’s syndrome and post-op care."],
                                ["more", "More about it", "Second section text. Unlinked heading After it."]]
    for page in pages.values():   # the header's form, the ignored part, the script and the footer are not in it
        for words in ("Type to start searching", "Use my location", "General information", "scriptword", "secret"):
            assert words not in page["content"], (words, page["content"])
        left_out = {"type", "start", "searching", "use", "my", "location", "general", "information", "var", "secret",
                    "scriptword", "editor", "clinic"}
        assert left_out & set(page["terms"]) == set(), page["terms"]
    # the keywords are terms of the page, kept with the section they sit in, never shown as its text
    assert {"opening", "hours", "directions"} <= set(cafe["terms"]) and "directions" not in cafe["content"]
    assert cafe["keywords"] == {"": "opening hours, directions"}
    # a word in the title weighs more than the same word in the text ("cafe": title of one, text of the other)
    assert cafe["terms"]["cafe"] > pages["/plain/"]["terms"]["cafe"] > 0
    assert {"sjogrens", "post", "op", "dont"} - set(cafe["terms"]) == {"dont"}


def test_its_files_are_json_the_allowlist_reads_as_passive_and_named_by_a_hash_of_the_index(tmp_path):
    site = write_site(tmp_path / "site")
    assert site_search.write(site) == []
    files = site_search.files(site)
    assert files and {published.kind_of(path) for path in files} == {"passive"}
    manifest = json.loads((site / "search-index" / "index.json").read_text(encoding="utf-8"))
    key = manifest["key"]
    assert manifest["pages"] == 2 and manifest["shards"][0] == ""
    shards = range(len(manifest["shards"]))
    expected = {"search-index/index.json", *(f"search-index/terms/{key}-{n}.json" for n in shards),
                *(f"search-index/pages/{key}-{n}.json" for n in range(2))}
    assert set(files) == expected
    # the same pages give the same key; a changed page gives another, so a browser never mixes two builds
    assert site_search.write(site) == [] and json.loads((site / "search-index/index.json").read_text())["key"] == key
    (site / "plain" / "index.html").write_text(PAGE.format(title="Plain page", text="Changed."), encoding="utf-8")
    assert site_search.write(site) == [] and json.loads((site / "search-index/index.json").read_text())["key"] != key


def test_shards_are_in_the_order_the_browser_compares_strings_and_each_holds_its_range(tmp_path, monkeypatch):
    """search-text.js picks a term's shard by comparing it with each shard's first term, as
    JavaScript compares strings (UTF-16 code units): a character above U+FFFF (U+20000) sorts
    before U+FA0E there, after it in Python. Small shards, so there are many boundaries."""
    monkeypatch.setattr(site_search, "SHARD_BYTES", 40)
    site = tmp_path / "site"
    words = "zeta alpha \ufa0e \U00020000 \u00e9cole \u4e2d\u6587 ab abc 42 \u0928\u092e\u0938\u094d\u0924\u0947"
    (site / "p").mkdir(parents=True)
    (site / "p" / "index.html").write_text(PAGE.format(title="Words", text=words), encoding="utf-8")
    assert site_search.write(site) == []
    manifest = json.loads((site / "search-index" / "index.json").read_text(encoding="utf-8"))
    firsts = manifest["shards"]
    assert len(firsts) > 5
    assert [search_terms.utf16(first) for first in firsts] == sorted(search_terms.utf16(first) for first in firsts)
    seen = []
    for number, first in enumerate(firsts):
        shard = json.loads((site / "search-index" / "terms" / f"{manifest['key']}-{number}.json").read_text())
        for term in shard:
            assert search_terms.utf16(term) >= search_terms.utf16(first)
            if number + 1 < len(firsts):
                assert search_terms.utf16(term) < search_terms.utf16(firsts[number + 1])
            seen.append(term)
    assert {"\ufa0e", "\U00020000", "ab", "ecole", "42", "\u4e2d\u6587"} <= set(seen)
    assert seen.index("\U00020000") < seen.index("\ufa0e")   # JavaScript's order, not Python's


@pytest.mark.parametrize("text, expected", [
    ("Don’t book POST–OP, café", ["dont", "book", "post", "op", "cafe"]),
    ("DON'T  don‘t", ["dont", "dont"]), ("'quoted'", ["quoted"]), ("rock 'n' roll", ["rock", "n", "roll"]),
    ("2.5 cm", ["2", "5", "cm"]), ("Sjögren’s", ["sjogrens"]), ("ﬁne Ｃafé", ["fine", "cafe"]),
    ("title:massage^2", ["title", "massage", "2"]), ("~*+:^", []), ("日本語!", ["日本語"]),
    ("हिन्दी?", ["हिन्दी"]), ("soft\u00adhyphen", ["softhyphen"]), ("under_score", ["under", "score"]),
])
def test_tokens_follow_the_rule_for_typed_text(text, expected):
    assert search_terms.tokens(text) == expected


def test_indexing_again_replaces_the_index(tmp_path):
    site = write_site(tmp_path / "site")
    assert site_search.write(site) == []
    first = site_search.files(site)
    (site / "search-index" / "terms" / "stale.json").write_text("{}", encoding="utf-8")
    assert site_search.write(site) == []
    assert site_search.files(site) == first


def test_a_search_index_folder_or_page_in_docs_is_named_not_overwritten(tmp_path):
    site = write_site(tmp_path / "site")
    docs = tmp_path / "docs"
    (docs / "search-index").mkdir(parents=True)
    [problem] = site_search.write(site, "mkdocs.yml", "docs", docs)
    assert (problem.path, problem.line) == ("docs/search-index", 1)
    assert "site search's index" in problem.message and "rename or remove the folder docs/search-index" in problem.fix
    assert not (site / "search-index").exists()
    (docs / "search-index").rmdir()
    (docs / "search-index.md").write_text("# A page\n", encoding="utf-8")
    [problem] = site_search.write(site, "mkdocs.yml", "docs", docs)
    assert (problem.path, problem.fix) == ("docs/search-index.md", "rename or remove the page docs/search-index.md")


def test_a_page_that_cannot_be_read_is_a_problem_naming_it_and_nothing_is_half_written(tmp_path):
    site = write_site(tmp_path / "site")
    (site / "cafe" / "index.html").write_bytes(b"<article data-search-body>\xff\xfe bad</article>")
    [problem] = site_search.write(site, "mkdocs.yml")
    assert problem.path == "cafe/index.html" and "UnicodeDecodeError" in problem.message
    assert not (site / "search-index").exists()


def test_only_the_marked_pages_are_read(tmp_path):
    site = write_site(tmp_path / "site")
    marked = [path for path in site_search.built_pages(site) if site_search.MARK in (site / path).read_bytes()]
    assert marked == ["cafe/index.html", "plain/index.html"]
    assert site_search.write(site) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]   # nothing is left beside the site
    # search-index/ is not read
    assert site_search.built_pages(site) == ["admin/index.html", "cafe/index.html", "plain/index.html"]


def test_the_built_site_publishes_no_search_code_but_its_own(site_dir):
    """Material's lunr, its languages and its search worker are not published with its search
    plugin off (engines/mkdocs/theme_files.py), nor any WebAssembly: every script file of the site
    is one a page runs, and the search's index is JSON."""
    scripts = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.js")
               if not path.relative_to(site_dir).as_posix().startswith("admin/")}
    assert scripts and not [path for path in scripts if "lunr" in path or "/workers/" in path
                            or "pagefind" in path], sorted(scripts)
    assert "assets/search-text.js" in scripts
    assert not list(site_dir.rglob("*.wasm")) and not list(site_dir.rglob("*.pagefind"))
    assert {path.suffix for path in (site_dir / "search-index").rglob("*") if path.is_file()} == {".json"}


def test_a_page_still_marked_for_pagefind_is_named_with_the_new_names(tmp_path):
    """A clinic's own template from before issue 26 marks what the search skips with
    data-pagefind-ignore, which the index no longer reads: the form's words would be indexed. The
    page is named with the rename to make; the same words written as text are not flagged."""
    site = write_site(tmp_path / "site")
    page = site / "cafe" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<div data-search-ignore>", "<div data-pagefind-ignore>"),
                    encoding="utf-8")
    (site / "plain" / "index.html").write_text(PAGE.format(title="Plain", text="<code>data-pagefind-ignore</code>"),
                                               encoding="utf-8")
    [problem] = site_search.write(site, "mkdocs.yml")
    assert problem.path == "cafe/index.html" and "data-pagefind-" in problem.message
    assert "data-pagefind-ignore to data-search-ignore" in problem.fix
    assert not (site / "search-index").exists()


def test_the_ascii_shortcut_gives_what_the_full_rule_gives():
    """Most of an English site is ASCII, which tokens() splits with [a-z0-9] (quick); the full rule
    (Unicode's letters, numbers and marks) must give the same terms for every ASCII text."""
    import random
    import string

    inner_apostrophe, word = search_terms._patterns()
    chosen = random.Random(20)
    texts = ["".join(chosen.choice(string.printable) for _ in range(chosen.randint(0, 30))) for _ in range(3000)]
    texts += ["don't", "'quoted'", "a'b'c", "x''y", "2'5", "_a_", "A'B"]
    for text in texts:
        assert search_terms.tokens(text) == word.findall(inner_apostrophe.sub("", search_terms.normalize(text))), text


# A page's address is read from its built file's path, which is a file name, not an address: "#",
# "?", "%", "\" and spaces mean something in an address ("c#/" is "c" with a fragment; a browser
# reads "/\evil.example/" as the host evil.example). The url field is the path percent-encoded
# (as the engines write their links), so it is always a path in this site that leads to the file.
@pytest.mark.parametrize("folder", ["c#", "what?", "100%", "sp ace", "\\evil.example", "%2f%2fevil.example",
                                    "javascript:alert(1)", "café", "a;b", "x'y\"z<>"])
def test_a_pages_url_is_its_path_percent_encoded_whatever_its_file_name(tmp_path, folder):
    from urllib.parse import unquote, urlsplit

    site = tmp_path / "site"
    (site / "guide" / folder).mkdir(parents=True)
    (site / "guide" / folder / "index.html").write_text(PAGE.format(title="Odd", text="Oddly named."),
                                                        encoding="utf-8")
    assert site_search.write(site) == []
    [page] = harness.indexed_pages(site)
    url = page["url"]
    assert re.fullmatch(r"/(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*", url), url   # a path and nothing more
    parts = urlsplit("https://clinic.example" + url)
    assert (parts.netloc, parts.query, parts.fragment) == ("clinic.example", "", "")
    assert unquote(parts.path) == f"/guide/{folder}/"   # the folder the page was built in


def test_a_deeply_nested_page_is_indexed_not_a_traceback(tmp_path):
    """Staff may paste HTML nested thousands of elements deep (a converted document); the walk over
    the article is not recursive, so it never meets Python's recursion limit."""
    site = tmp_path / "site"
    (site / "deep").mkdir(parents=True)
    nested = "<div><blockquote>" * 3000 + "Deepest words" + "</blockquote></div>" * 3000
    (site / "deep" / "index.html").write_text(PAGE.format(title="Deep", text=nested), encoding="utf-8")
    assert site_search.write(site) == []
    [page] = harness.indexed_pages(site)
    assert {"deepest", "words", "scriptword"} & set(page["terms"]) == {"deepest", "words"}
    assert page["sections"][0][2].startswith("Deepest words")
    assert [section[0] for section in page["sections"]] == ["", "more"]   # the headings after it still start sections


def test_the_tables_index_json_gives_the_browser_decode_to_pythons_unicode_data():
    """index.json's "word" and "unassigned" tables (search_terms.table), decoded as search-text.js
    decodes them, hold exactly the characters Python's Unicode data puts in each."""
    import sys
    import unicodedata

    def decode(flat: list[int]) -> set[int]:
        codes, at = set(), 0
        for gap, length in zip(flat[::2], flat[1::2], strict=True):
            start = at + gap
            at = start + length
            codes.update(range(start, at + 1))
        return codes
    assert search_terms._shipped_tables(), (f"{search_terms.TABLES_FILE.name} is missing or was written for another "
                                           "Unicode version: run search_terms.write_tables()")
    word, unknown = decode(search_terms.table("word")), decode(search_terms.table("unassigned"))
    every = range(sys.maxunicode + 1)
    assert word == {code for code in every if unicodedata.category(chr(code))[0] in "LNM"}
    assert {ord("a"), ord("é"), 0x0915, 0x093F, ord("٣")} <= word and not {ord(" "), ord("'"), ord("-")} & word
    assert unknown == {code for code in every if unicodedata.category(chr(code)) == "Cn"
                       and not search_terms._DELETED.match(chr(code))}
    assert not word & unknown


def test_tables_written_for_another_unicode_or_rule_are_not_read(tmp_path, monkeypatch):
    """A tables file from another Python's Unicode data, or from another rule for the characters
    normalize() deletes, is computed again rather than read: the browser must split by the tables
    of the Python that made the index."""
    shipped = json.loads(search_terms.TABLES_FILE.read_text(encoding="utf-8"))
    for stale in ({**shipped, "unidata_version": "13.0.0", "word": [0, 1]}, {**shipped, "deleted": "x", "word": [0, 1]},
                  None):
        file = tmp_path / "tables.json"
        file.write_text("{not json" if stale is None else json.dumps(stale), encoding="utf-8")
        monkeypatch.setattr(search_terms, "TABLES_FILE", file)
        search_terms._shipped_tables.cache_clear()
        search_terms.table.cache_clear()
        try:
            assert search_terms._shipped_tables() is None
            assert search_terms.table("word") == search_terms.computed_table("word") != [0, 1]
        finally:
            search_terms._shipped_tables.cache_clear()
            search_terms.table.cache_clear()


def test_a_huge_page_is_found_by_every_word_but_its_file_stays_small(tmp_path):
    """A page of 5,000 sections (a 6.9 MB page file before) keeps 100 sections and 20,000
    characters of text in its file, fetched whole for each result drawn; a word only its last
    section holds still finds it (the shards hold every word)."""
    site = tmp_path / "site"
    (site / "big").mkdir(parents=True)
    body = "".join(f'<h2 id="s{n}">Section {n}</h2><p>{"filler words here " * 20}</p>' for n in range(5000))
    (site / "big" / "index.html").write_text(
        f"<!doctype html><html><body><article data-search-body><h1>Big</h1>{body}"
        "<p>zanzibarword</p></article></body></html>", encoding="utf-8")
    assert site_search.write(site) == []
    [page] = harness.indexed_pages(site)
    assert len(page["sections"]) == site_search.MAX_SECTIONS
    kept = sum(len(text) for _a, _h, text in page["sections"])
    assert kept <= site_search.MAX_PAGE_TEXT + 2 * site_search.MAX_SECTIONS
    assert page["sections"][-1][2] == ""   # past the budget: the heading only
    [file] = (site / "search-index" / "pages").glob("*.json")
    assert file.stat().st_size < 40_000
    assert "zanzibarword" in page["terms"]
