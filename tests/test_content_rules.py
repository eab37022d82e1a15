"""Unit tests of the content rules staff meet when they edit pages."""
import datetime as dt
import random

import pytest

from clinic_site import content_rules

TODAY = dt.date(2026, 11, 26)
GOOD_GUIDE = {
    "title": "Safety",
    "description": "Who should not have medical massage, and what to tell your therapist first.",
    "reviewed_by": "Alex Example, PT, DPT (sample reviewer)",
    "last_reviewed": dt.date(2026, 11, 20),
    "next_review": dt.date(2029, 11, 20),
}


def messages(problems):
    return [f"{key} {text}" for key, text in problems]


def test_a_complete_guide_page_has_no_problems():
    assert content_rules.check_guide_page(GOOD_GUIDE, TODAY) == []


@pytest.mark.parametrize("key", ["title", "reviewed_by", "last_reviewed", "next_review", "description"])
def test_each_missing_guide_key_is_named_with_its_fix(key):
    meta = {k: v for k, v in GOOD_GUIDE.items() if k != key}
    [problem] = messages(content_rules.check_guide_page(meta, TODAY))
    assert problem.startswith(f"{key} is missing; add `{key}:`")


@pytest.mark.parametrize("description, length", [("Too short.", 10), ("x" * 161, 161)])
def test_description_length_outside_50_to_160_is_reported(description, length):
    [problem] = messages(content_rules.check_description({"description": description}))
    assert f"is {length} characters; make it 50 to 160 characters" in problem


def test_description_at_the_limits_is_accepted():
    assert content_rules.check_description({"description": "x" * 50}) == []
    assert content_rules.check_description({"description": "x" * 160}) == []


def test_a_date_written_as_text_is_rejected():
    meta = {**GOOD_GUIDE, "last_reviewed": "20 Nov 2026"}
    [problem] = messages(content_rules.check_guide_page(meta, TODAY))
    assert "last_reviewed is '20 Nov 2026'; write a date as YYYY-MM-DD" in problem


def test_a_passed_review_date_fails_and_says_what_to_do():
    meta = {**GOOD_GUIDE, "last_reviewed": dt.date(2023, 1, 1), "next_review": dt.date(2026, 1, 1)}
    [problem] = messages(content_rules.check_guide_page(meta, TODAY))
    assert problem.startswith("next_review passed on 2026-01-01; have the page reviewed")


def test_next_review_must_follow_last_review():
    meta = {**GOOD_GUIDE, "next_review": dt.date(2026, 11, 1), "last_reviewed": dt.date(2026, 11, 20)}
    assert "next_review must be after last_reviewed" in messages(content_rules.check_guide_page(meta, TODAY))


def test_review_due_within_30_days_gives_a_reminder_only_then():
    assert content_rules.review_due_soon({"next_review": dt.date(2026, 12, 20)}, TODAY) == \
        "review due on 2026-12-20 (in 24 days)"
    assert content_rules.review_due_soon({"next_review": dt.date(2027, 1, 20)}, TODAY) is None


def test_problems_name_the_file_and_the_line_of_the_key():
    source = "---\ntitle: Safety\ndescription: short\n---\n# Safety\n"
    [line] = content_rules.format_problems("docs/guide/safety.md", source,
                                           content_rules.check_description({"description": "short"}))
    assert line.startswith("docs/guide/safety.md, line 3: 'description' is 5 characters")


@pytest.mark.parametrize("html, fragment", [
    ('<p>Hi</p><script>alert(1)</script>', "<script> is not allowed"),
    ('<img src="x.png" onerror="alert(1)">', "onerror= on <img> is not allowed"),
    ('<a href=" JavaScript:alert(1)">x</a>', "runs script"),
    ('<iframe src="https://example.com"></iframe>', "<iframe> is not allowed"),
    # Disguises the quick pre-check must see through, as the full parse does.
    ('<IMG SRC=x ONERROR=alert(1)>', "onerror= on <img>"),
    ('<svg/onload=alert(1)>', "onload= on <svg>"),
    ('<a title="a > b" onclick = "alert(1)">x</a>', "onclick= on <a>"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "runs script"),
    ('<a href="java&#x09;script&colon;alert(1)">x</a>', "runs script"),
    ('<a href="\x01VBScript:msgbox(1)">x</a>', "runs script"),
    ('<object data="DATA:text/html;base64,PHNjcmlwdD4=">', "runs script"),
    ('<p>x</p><ScRiPt src="https://example.com/x.js"></script>', "<script> is not allowed"),
])
def test_markup_that_could_run_script_is_found(html, fragment):
    problems = content_rules.unsafe_markup(html)
    assert any(fragment in problem for problem in problems), problems


def test_ordinary_markup_is_allowed():
    html = '<p>See <a href="../safety/">safety</a>.</p><details><summary>More</summary><p>x</p></details>'
    assert content_rules.unsafe_markup(html) == []


def test_an_event_attribute_with_no_value_runs_nothing_and_is_allowed():
    assert content_rules.unsafe_markup("<details open onclick><summary>x</summary></details>") == []


def test_ordinary_pages_skip_the_full_parse():
    # Prose full of "on", entities and links: the quick check clears it without parsing.
    html = ('<h2 id="on-the-day">On the day</h2><p>Rest on a pillow &amp; put ice on it '
            '(see <a href="https://example.org/notes?x=1&amp;y=2">online notes</a>).</p>')
    assert not content_rules._may_be_unsafe(html)
    assert content_rules._may_be_unsafe(html + '<p onclick="x">')


CLINIC = {"name": "Sample Clinic", "street": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701",
          "phone": "+1-217-555-0100", "hours": ["Mon"], "logo": "assets/logo.svg", "colors": {"primary": "#123456"}}


def test_a_complete_clinic_block_passes():
    assert content_rules.check_clinic(CLINIC) == []


def test_a_missing_clinic_detail_is_named():
    assert content_rules.check_clinic({**CLINIC, "phone": ""}) == [
        "mkdocs.yml, extra: clinic: 'phone' is missing; add it (see the README)"]


def test_an_ampersand_in_the_clinic_name_is_refused_with_the_fix():
    [problem] = content_rules.check_clinic({**CLINIC, "name": "Massage & PT"})
    assert "write 'and' instead" in problem


def test_the_quick_check_never_clears_what_the_full_parse_would_find():
    # Random tags built from the pieces disguises are made of: whenever the full parse
    # reports a problem, the quick check must have sent the page to it.
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
        if _full_parse(html):
            found += 1
            assert content_rules._may_be_unsafe(html), repr(html)
    assert found > 5000  # the pieces do make unsafe markup often enough to test the claim


def _full_parse(html: str) -> list[str]:
    finder = content_rules._UnsafeMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
