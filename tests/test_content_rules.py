"""Unit tests of the content rules staff meet when they edit pages."""
import dataclasses
import datetime as dt
import json
import random
import re
import unicodedata
from html.parser import HTMLParser

import markdown
import pytest

from clinic_site import content_rules, safe_names, sanitize
from clinic_site.problems import ERROR, WARNING
from clinic_site.sources import parse_source
from clinic_site.stage import addresses

TODAY = dt.date(2026, 11, 26)
GOOD_GUIDE = {
    "title": "Safety",
    "description": "Who should not have medical massage, and what to tell your therapist first.",
    "reviewed_by": "Alex Example, PT, DPT (sample reviewer)",
    "last_reviewed": dt.date(2026, 11, 20),
    "next_review": dt.date(2029, 11, 20),
}


SITE = content_rules.SiteFacts(people=frozenset({"sam-sample"}), categories=("Guide", "Clinic news"),
                               blog_dir="blog", today=TODAY)


def messages(problems):
    """Each rule's (key, what, fix[, severity]) as one line, "key what; fix"."""
    return [f"{key} {what}; {fix}" for key, what, fix, *_severity in problems]


def guide(meta):
    return [problem for problem in content_rules.guide_page_problems(meta, TODAY) if problem[3] == ERROR]


def test_a_complete_guide_page_has_no_problems():
    assert content_rules.guide_page_problems(GOOD_GUIDE, TODAY) == []


@pytest.mark.parametrize("key", ["title", "reviewed_by", "last_reviewed", "next_review", "description"])
def test_each_missing_guide_key_is_named_with_its_fix(key):
    meta = {k: v for k, v in GOOD_GUIDE.items() if k != key}
    [problem] = messages(guide(meta))
    assert problem.startswith(f"{key} is missing; add `{key}:`")


@pytest.mark.parametrize("description, length", [("Too short.", 10), ("x" * 161, 161)])
def test_description_length_outside_50_to_160_is_reported(description, length):
    [problem] = messages(content_rules.description_problems({"description": description}))
    assert f"is {length} characters; make it 50 to 160 characters" in problem


def test_description_at_the_limits_is_accepted():
    assert content_rules.description_problems({"description": "x" * 50}) == []
    assert content_rules.description_problems({"description": "x" * 160}) == []


def test_a_date_written_as_text_is_rejected():
    meta = {**GOOD_GUIDE, "last_reviewed": "20 Nov 2026"}
    [problem] = messages(guide(meta))
    assert "last_reviewed is '20 Nov 2026', not a date; write a date as YYYY-MM-DD" in problem


def test_a_passed_review_date_fails_and_says_what_to_do():
    meta = {**GOOD_GUIDE, "last_reviewed": dt.date(2023, 1, 1), "next_review": dt.date(2026, 1, 1)}
    [problem] = messages(guide(meta))
    assert problem.startswith("next_review passed on 2026-01-01; have the page reviewed")


def test_next_review_must_follow_last_review():
    meta = {**GOOD_GUIDE, "next_review": dt.date(2026, 11, 1), "last_reviewed": dt.date(2026, 11, 20)}
    assert any(line.startswith("next_review must be after last_reviewed") for line in messages(guide(meta)))


def test_review_due_within_30_days_is_a_warning_only_then():
    soon = content_rules.guide_page_problems({**GOOD_GUIDE, "next_review": dt.date(2026, 12, 20)}, TODAY)
    assert [(key, what, severity) for key, what, _fix, severity in soon] == [
        ("next_review", "is due on 2026-12-20 (in 24 days)", WARNING)]
    assert content_rules.guide_page_problems({**GOOD_GUIDE, "next_review": dt.date(2027, 1, 20)}, TODAY) == []


def test_page_problems_name_the_file_the_line_and_the_field():
    source = parse_source("---\ntitle: Safety\ndescription: short\n---\n# Safety\n", "docs/about.md")
    [problem] = content_rules.check_page(source, "about.md", SITE)
    assert (problem.path, problem.line, problem.field) == ("docs/about.md", 3, "description")
    assert str(problem).startswith("docs/about.md, line 3: 'description' is 5 characters — make it 50 to 160")


def test_placeholder_text_is_an_error_when_published_and_a_warning_in_a_draft():
    post = ("---\ndate: 2026-11-20\nauthors: [sam-sample]\ncategories: [Clinic news]\n"
            "description: One sentence of fifty characters or more about the post.\n{draft}---\n\nTODO: write it\n")
    published = content_rules.check_page(parse_source(post.format(draft=""), "docs/blog/posts/a.md"),
                                         "blog/posts/a.md", SITE)
    assert [(p.line, p.severity) for p in published] == [(8, ERROR)]
    draft = content_rules.check_page(parse_source(post.format(draft="draft: true\n"), "docs/blog/posts/a.md"),
                                     "blog/posts/a.md", SITE)
    assert sorted((p.field, p.line, p.severity) for p in draft) == [("", 9, WARNING), ("draft", 6, WARNING)]


def test_authors_written_as_one_value_are_refused_with_the_fix():
    meta = {"date": dt.date(2026, 11, 20), "authors": "sam-sample", "categories": ["Guide"]}
    [problem] = [p for p in content_rules.post_problems(meta, SITE) if p[0] == "authors"]
    assert problem[1] == "is written as one value ('sam-sample'), not a list"
    assert "  - sam-sample" in problem[2]


# ---- markup that could run script: the one guard is the sanitiser's allowlist (clinic_site.sanitize);
# content_rules' blocklist is gone. Each case names the tag or attribute the allowlist takes out.
@pytest.mark.parametrize("html, fragments", [
    ('<p>Hi</p><script>alert(1)</script>', ["<script> is not allowed"]),
    ('<img src="x.png" onerror="alert(1)">', ["onerror= on <img> is not allowed"]),
    ('<a href=" JavaScript:alert(1)">x</a>', ["'JavaScript:alert(1)' is not allowed"]),
    ('<iframe src="https://example.com"></iframe>', ["<iframe> is not allowed"]),
    # Disguises a browser still reads as script (case, no spaces, entities, controls in a scheme).
    ('<IMG SRC=x ONERROR=alert(1)>', ["onerror= on <img>"]),
    ('<svg/onload=alert(1)>', ["onload= on <svg>", "<svg> is not allowed"]),
    ('<a title="a > b" onclick = "alert(1)">x</a>', ["onclick= on <a>"]),
    ('<a href="&#106;avascript:alert(1)">x</a>', ["the address 'javascript:alert(1)' is not allowed"]),
    ('<a href="java&#x09;script&colon;alert(1)">x</a>', ["the address 'java\\tscript:alert(1)'"]),
    ('<a href="\x01VBScript:msgbox(1)">x</a>', ["the address '\\x01VBScript:msgbox(1)'"]),
    ('<object data="DATA:text/html;base64,PHNjcmlwdD4=">', ["data= on <object>", "<object> is not allowed"]),
    ('<p>x</p><ScRiPt src="https://example.com/x.js"></script>', ["<script> is not allowed"]),
])
def test_markup_that_could_run_script_is_found(html, fragments):
    found = [what for what, _needle in sanitize.removed(html)]
    for fragment in fragments:
        assert any(fragment in what for what in found), (fragment, found)
    assert not _blocklist_findings(sanitize.clean(html)), "what the page is published with runs nothing"


def test_a_risky_tag_says_why_and_is_named_on_its_source_line():
    source = parse_source("---\ntitle: T\n---\n\nText.\n\n<ScRiPt>alert(1)</script>\n", "docs/about.md")
    [problem] = sanitize.problems(source, "<p>Text.</p><script>alert(1)</script>")
    assert (problem.path, problem.line, problem.field, problem.is_error) == ("docs/about.md", 7, "", True)
    assert "<script> is not allowed in a page (pages may not run scripts or embed other sites)" in problem.what


@pytest.mark.parametrize("written, line", [
    ("[a](javascript:alert(1))", 9), ("[a]( javascript:alert(1))", 9),
    ('<a href="&#106;avascript:alert(1)">a</a>', 9), ('<a href="java&#x09;script&colon;alert(1)">a</a>', 9),
    ("![a](data:image/svg+xml,x)", 9)])
def test_a_refused_address_is_one_problem_on_its_own_line(written, line):
    # A link's href is allowed: taken out only for its address, it is named once, as that address, at
    # the address's line (not also as "the attribute href= is not allowed", on line 1), however the
    # address is written in the source: with a space before it, or a character reference.
    text = f"---\ntitle: T\n---\n\nA page that says href= in its text.\n\nMore.\n\n{written}\n"
    source = parse_source(text, "docs/about.md")
    html = markdown.markdown(text.split("---\n", 2)[2])
    [problem] = sanitize.problems(source, html)
    assert problem.line == line and problem.what.startswith("the address "), (problem, html)


def test_ordinary_markup_is_allowed():
    html = '<p>See <a href="../safety/">safety</a>.</p><details><summary>More</summary><p>x</p></details>'
    assert sanitize.removed(html) == [] and sanitize.clean(html) == html


def test_an_event_attribute_with_no_value_runs_nothing_but_is_still_named():
    # The blocklist let a valueless event attribute through (it runs nothing); the allowlist takes
    # out every attribute it does not list, and names it, while keeping the allowed `open`.
    html = "<details open onclick><summary>x</summary></details>"
    assert [what for what, _needle in sanitize.removed(html)] == [
        "the attribute onclick= on <details> is not allowed in a page"]
    assert sanitize.clean(html) == '<details open=""><summary>x</summary></details>'


def test_ordinary_prose_is_not_mistaken_for_script():
    # Prose full of "on", entities and links: nothing is named; one event attribute is.
    html = ('<h2 id="on-the-day">On the day</h2><p>Rest on a pillow &amp; put ice on it '
            '(see <a href="https://example.org/notes?x=1&amp;y=2">online notes</a>).</p>')
    assert sanitize.removed(html) == []
    assert [what for what, _ in sanitize.removed(html + '<p onclick="x">')] == [
        "the attribute onclick= on <p> is not allowed in a page"]


def test_the_guard_never_clears_what_the_old_blocklist_found():
    # Random tags built from the pieces disguises are made of: whenever the blocklist the build
    # used to run (kept below as an oracle) finds markup that could run script, the allowlist names
    # something, and the HTML it publishes holds nothing the blocklist would find.
    rng = random.Random(5)
    pick = rng.choice
    tags = ["a", "P", "img", "svg", "script", "ScRipt", "iframe", "form", "Object", "details"]
    names = ["href", "HREF", "src", "data", "title", "class", "on", "onclick", "OnError", "onload", "x-on"]
    gaps = [" ", "\t", "\n", "/", " / ", "\f"]
    spaces = ["\t", "\n", "\x01", " ", "&Tab;", "&#9;", "&NewLine;", "&#x0A;"]

    def disguised(character):  # as a browser would still read it
        character = pick([character, character.upper()])
        return pick([character, f"&#{ord(character)};", f"&#x{ord(character):X};",
                     {":": "&colon;", "/": "&sol;"}.get(character, character)])

    def value():
        if rng.random() < 0.3:
            text = pick(["https://example.org/", "../safety/", "on=x", "a > b", "&amp;", ""])
        else:  # a script URL, each letter perhaps written as an entity, spaces between some
            scheme = pick(["javascript:", "vbscript:", "data:text/html,"])
            text = "".join(disguised(c) + (pick(spaces) if rng.random() < 0.15 else "") for c in scheme)
            text = (pick(spaces) if rng.random() < 0.3 else "") + text + "alert(1)"
        quote = pick(['"', "'", ""])
        return quote + text.replace(quote, "") if quote else text.replace(" ", "").replace(">", "")

    def tag():
        attributes = ""
        for _ in range(rng.randint(0, 3)):
            attributes += pick(gaps) + pick(names)
            if rng.random() < 0.8:
                quoted = value()
                attributes += pick(["=", " = ", "=="]) + quoted + (quoted[:1] if quoted[:1] in "\"'" else "")
        return "<" + pick(tags) + attributes + pick([">", " >", "/>", ""])

    found = 0
    for _ in range(20000):
        html = pick(["", "<p>On the day, ", "text &amp; "]) + tag() + pick(["", "x</a>", tag()])
        if _blocklist_findings(html):
            found += 1
            assert sanitize.removed(html), repr(html)
            assert not _blocklist_findings(sanitize.clean(html)), repr(html)
    assert found > 5000  # the pieces do make unsafe markup often enough to test the claim


# The blocklist content_rules ran before the allowlist became the one guard (0da4882), kept as an
# independent judge of "could run script": forbidden tags, event attributes with a value, script URLs.
# A URL's scheme is read as the WHATWG URL parser reads it (browsers): C0 controls and spaces
# stripped from both ends, tabs and newlines removed everywhere. (The blocklist removed every
# control character, so it also refused "J\x01avascript:", which a browser reads as a relative
# address and the allowlist rightly keeps.)
_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "meta", "link", "style"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")


def _as_browsers_read(url: str) -> str:
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_OR_SPACE)).lower()


class _BlocklistFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") and value is not None:
                self.problems.append(f"{name}= on <{tag}>")
            elif name in _URL_ATTRIBUTES and value and _as_browsers_read(value).startswith(_SCRIPT_SCHEMES):
                self.problems.append(f"{name}= on <{tag}> runs script")


def _blocklist_findings(html: str) -> list[str]:
    finder = _BlocklistFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_pages_at_one_address_name_each_other_on_their_slug_line():
    first = "---\ndate: 2026-11-25\nslug: closed\n---\n"
    found = addresses.address_collisions([
        ("blog/2026/11/25/closed/index.html", "docs/blog/posts/a.md", first, "post"),
        ("blog/2026/11/25/closed/index.html", "docs/blog/posts/b.md", "---\ndate: 2026-11-25\n---\n", "post"),
        ("about/index.html", "docs/about.md", "", "page")])
    assert [(p.path, p.line, p.field) for p in found] == [("docs/blog/posts/a.md", 3, "slug"),
                                                          ("docs/blog/posts/b.md", 1, "slug")]
    assert "docs/blog/posts/b.md (blog/2026/11/25/closed/)" in found[0].what
    assert "slug: closed-2" in found[0].fix


@pytest.mark.parametrize("kind", ["guide", "page", "home", "listing", "city", "state"])
def test_a_page_at_a_taken_address_gets_the_fix_its_kind_allows(kind):
    """Only a blog post has `slug:`: a listing changes its `id:`, any other page its file name,
    and the finder's city and state pages are named on the page that took their address."""
    listing = "name: Avery Sampleton\nid: avery\n"
    mine = ("therapists/avery/index.html", "docs/therapists/avery.md" if kind != "listing" else
            "docs/therapists/listings/avery.yml", listing if kind == "listing" else "---\ntitle: A\n---\n", kind)
    other = ("therapists/avery/index.html", "docs/therapists/avery/index.md", "", "page")
    found = {p.path: p for p in addresses.address_collisions([mine, other])}
    assert "docs/therapists/avery/index.md" in found and "slug" not in found["docs/therapists/avery/index.md"].fix
    if kind in ("city", "state"):
        assert mine[1] not in found   # the finder's page: the fix is on the other
        return
    problem = found[mine[1]]
    assert "slug" not in problem.fix and problem.field != "slug"
    if kind == "listing":
        assert (problem.line, problem.field) == (2, "id") and "id: avery-2" in problem.fix
    else:
        assert (problem.line, problem.field) == (1, "") and "rename or move this file" in problem.fix


GUIDE_POST = ("---\ndate: 2026-11-20\nauthors: [sam-sample]\ncategories: [Guide]\n"
              "description: One sentence of fifty characters or more about the post.\n{extra}---\n\n"
              "# Title\n\n{body}\n")
REVIEWED = "reviewed_by: sam-sample\nlast_reviewed: 2026-11-20\nnext_review: 2029-11-20\n"


def test_a_post_in_a_health_category_is_held_to_the_guide_standard():
    bare = content_rules.check_page(parse_source(GUIDE_POST.format(extra="", body="Text."), "docs/blog/posts/a.md"),
                                    "blog/posts/a.md", SITE)
    # before launch a page without its review awaits it (a warning); a live site refuses it
    assert {p.field for p in bare if p.severity == ERROR} == {"categories"}
    assert {p.field for p in bare if p.severity == WARNING} == {"reviewed_by", "last_reviewed", "next_review"}
    live = content_rules.check_page(parse_source(GUIDE_POST.format(extra="", body="Text."), "docs/blog/posts/a.md"),
                                    "blog/posts/a.md", dataclasses.replace(SITE, live=True))
    assert {p.field for p in live if p.severity == ERROR} == {"reviewed_by", "last_reviewed", "next_review",
                                                              "categories"}
    sourced = GUIDE_POST.format(extra=REVIEWED, body="See [NICE](../../references.md#nice-2016).")
    assert content_rules.check_page(parse_source(sourced, "docs/blog/posts/a.md"), "blog/posts/a.md", SITE) == []
    news = GUIDE_POST.replace("[Guide]", "[Clinic news]").format(extra="", body="Text.")
    assert content_rules.check_page(parse_source(news, "docs/blog/posts/a.md"), "blog/posts/a.md", SITE) == []


def test_a_sample_reviewer_warns_and_is_refused_once_the_site_is_live():
    page = parse_source("---\ntitle: T\ndescription: One sentence of fifty characters or more about the page.\n"
                        + REVIEWED + "---\n", "docs/guide/t.md")
    samples = dataclasses.replace(SITE, samples=frozenset({"sam-sample"}))
    [warning] = content_rules.check_page(page, "guide/t.md", samples)
    assert (warning.field, warning.line, warning.severity) == ("reviewed_by", 4, WARNING)
    # once live, the launch rule refuses it (clinic_site.launch, tests/test_launch.py), named once
    assert content_rules.check_page(page, "guide/t.md", dataclasses.replace(samples, live=True)) == []


def test_a_guide_page_without_a_reviewer_awaits_review_before_launch_and_is_refused_once_live():
    page = parse_source("---\ntitle: T\ndescription: One sentence of fifty characters or more about the page.\n"
                        "---\n", "docs/guide/t.md")
    before = content_rules.check_page(page, "guide/t.md", SITE)
    assert {(problem.field, problem.severity) for problem in before} == {
        ("reviewed_by", WARNING), ("last_reviewed", WARNING), ("next_review", WARNING)}
    live = content_rules.check_page(page, "guide/t.md", dataclasses.replace(SITE, live=True))
    assert {(problem.field, problem.severity) for problem in live} == {
        ("reviewed_by", ERROR), ("last_reviewed", ERROR), ("next_review", ERROR)}


# ---- paths that become addresses: post links, .authors.yml ids, redirect_maps (issue 11)
@pytest.mark.parametrize("target", ["guide/index.md", "blog/posts/a-post.md#before-you-book", "https://example.org/x?a=1",
                                    "http://example.org/"])
def test_safe_targets(target):
    assert safe_names.safe_target(target)


@pytest.mark.parametrize("target", ["../../../etc/passwd.md", "/etc/passwd", "javascript:alert(1)", " JavaScript:x",
                                    "data:text/html,x", 'https://x.example/");alert(1);//', "https://x.example/<b>",
                                    "guide/a b.md", "guide\\a.md", "guide/index.md#a\"b", "", None, ["guide/index.md"]])
def test_unsafe_targets(target):
    assert not safe_names.safe_target(target)


def test_post_links_are_read_at_every_level():
    links = [{"Related": ["guide/index.md", {"Deeper": "../../outside.md"}]}, "javascript:alert(1)"]
    found = content_rules.link_problems(links)
    assert [what for what, _fix in found] == ["has the target '../../outside.md', which leaves the site folder",
                                              "has the target 'javascript:alert(1)', which is not a page path or "
                                              "an http(s) address"]
    assert content_rules.link_problems(["guide/index.md", {"Book": "https://example.org/book"}]) == []


def test_a_post_with_an_unsafe_link_gets_a_problem_on_its_links_line():
    source = parse_source("---\ndate: 2026-11-20\nauthors: [sam]\ncategories: [News]\n"
                          "description: A post about something with enough words to pass the length rule here.\n"
                          "links:\n  - ../../x.md\n---\n\n# Post\n\nText.\n", "docs/blog/posts/p.md")
    facts = content_rules.SiteFacts(frozenset({"sam"}), ("News",), "blog", dt.date(2026, 11, 29))
    found = [problem for problem in content_rules.check_page(source, "blog/posts/p.md", facts)
             if problem.field == "links"]
    assert [(problem.line, problem.is_error) for problem in found] == [(6, True)]


def test_person_ids_must_be_one_safe_segment():
    text = "authors:\n  good-id:\n    name: A\n  ../up:\n    name: B\n  'a\"b':\n    name: C\n"
    found = content_rules.person_id_problems(["good-id", "../up", 'a"b'], "docs/blog/.authors.yml", text)
    assert [(problem.line, problem.field) for problem in found] == [(4, "authors"), (6, "authors")]


def test_redirect_maps_stay_inside_the_site():
    text = "plugins:\n  - redirects:\n      redirect_maps:\n        old.md: guide/index.md\n" \
           "        ../../up.md: guide/index.md\n        other.md: 'https://x.example/\"+alert(1)+\"'\n"
    maps = {"old.md": "guide/index.md", "../../up.md": "guide/index.md", "other.md": 'https://x.example/"+alert(1)+"'}
    found = content_rules.redirect_problems(maps, text)
    assert [(problem.path, problem.line, problem.field) for problem in found] == [
        ("mkdocs.yml", 5, "redirect_maps"), ("mkdocs.yml", 6, "redirect_maps")]
    assert "leaves the site folder" in found[0].what and "is not a page path" in found[1].what
    assert content_rules.redirect_problems(None, "") == []


@pytest.mark.parametrize("value", [
    "Tennis & golfer's elbow: \"what helps?\" 1 < 2, it’s café 🙂 中文 עברית", "Q&A: <3 our staff",
    "About</title><script>alert(1)</script>", "Caf&eacute;", "&#60;b&#62;", "&#x3c;", "Tom &amp; Jerry"])
def test_a_title_is_text_shown_as_written_not_refused_for_what_it_holds(value):
    """Issue 21: front matter is text; every template gets it escaped once (engines/mkdocs/escaping.py,
    tests/test_escaping.py), so markup in a title shows as typed and is no problem."""
    quoted = json.dumps(value, ensure_ascii=False)
    source = parse_source(f"---\ntitle: {quoted}\nsubtitle: {quoted}\n"
                          "description: A page whose title holds characters that HTML would read as markup.\n"
                          "---\n\nText.\n", "docs/page.md")
    assert source.meta["title"] == value
    assert [problem for problem in content_rules.check_page(source, "page.md", SITE)
            if problem.field in ("title", "subtitle")] == []


@pytest.mark.parametrize("name", ["cafe\u0301", "guide/re\u0301sume\u0301", "pi\u00f1a/man\u0303ana",
                                  "\u0391\u0301\u03b8\u03b7\u03bd\u03b1"])
def test_a_file_name_saved_with_accents_apart_from_their_letters_is_named_as_such(name):
    """A Mac can save "café" as "cafe" and a combining accent (NFD): letters only, as staff see
    it, yet not one safe part of an address. The problem says so, instead of "it may hold only
    letters", which staff would read as wrong; the same name saved NFC is accepted."""
    shown = f"docs/{name}.md"
    [problem] = safe_names.path_problems(parse_source("# Page\n", shown), f"{name}.md")
    assert "stores each accent as a mark apart from its letter" in problem.what
    assert "may hold only letters" not in problem.what
    nfc = unicodedata.normalize("NFC", name)
    assert safe_names.path_problems(parse_source("# Page\n", f"docs/{nfc}.md"), f"{nfc}.md") == []


@pytest.mark.parametrize("name", ["a b", "x\"y", "caf\u00e9 menu", "\u0301start"])
def test_a_file_name_with_other_characters_keeps_the_letters_digits_message(name):
    [problem] = safe_names.path_problems(parse_source("# Page\n", f"docs/{name}.md"), f"{name}.md")
    assert "may hold only letters, digits" in problem.what


def test_an_address_the_output_guard_refuses_is_named_at_its_line_when_the_source_has_a_tab():
    # Markdown writes "java<tab>script:" as "java    script:"; the output guard refuses the
    # built address (a browser may read it as javascript:) and names the source line that holds it.
    from clinic_site.guard import located
    text = "---\ntitle: T\n---\n\nText.\n\n[a](java\tscript:alert(1))\n"
    assert located(text, "java    script:alert(1)") == (7, "")
    assert located(text, "nowhere    here") is None


@pytest.mark.parametrize("name, slug, part", [
    ("about\u0430", None, "about\u0430.md"),                     # a Cyrillic "а" at the end of a Latin name
    ("guide/\u0440ain", None, "\u0440ain.md"),                    # Cyrillic "р" for "p"
    ("blog/posts/news", "hell\u03bf-world", "hell\u03bf-world"),  # a Greek "ο" in the slug
])
def test_a_name_mixing_look_alike_alphabets_is_refused(name, slug, part):
    front = f"---\nslug: {slug}\n---\n" if slug else ""
    [problem] = safe_names.path_problems(parse_source(f"{front}# Page\n", f"docs/{name}.md"), f"{name}.md")
    assert problem.what.startswith(f"the name {part!r} mixes letters of the ") and "alphabets" in problem.what


@pytest.mark.parametrize("name", ["caf\u00e9-hours", "\u043e-\u043d\u0430\u0441", "\u03b1\u03b2", "plain-name"])
def test_a_name_in_one_alphabet_passes(name):
    assert safe_names.path_problems(parse_source("# Page\n", f"docs/{name}.md"), f"{name}.md") == []
