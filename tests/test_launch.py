"""Issue 23, the launch half: `live: true` refuses everything still sample or placeholder (one rule,
clinic_site.launch), `clinic check --launch` lists it by group, and `clinic remove-samples` plus
real details leave a site that builds live, with a page for a reviewer added only to .authors.yml.

Two builds in all: the sample site made live (every kind of marker in one run), and the site
after remove-samples with test details filled in."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from clinic_site import check, content_rules, launch, remove_samples
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project
from devtools.project_copy import copy_project
from tests import harness
from tests.harness import PROJECT_ROOT, build_in_process

TODAY = dt.date(2026, 12, 5)


def line_of(file: Path, pattern: str) -> int:
    """The first line of `file` matching `pattern` (a regular expression): where a problem must point."""
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} is not in {file}")


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_sample_site_made_live_is_refused_with_every_kind_named_at_its_file_and_line(tmp_path):
    root = copy_project(tmp_path / "project", PROJECT_ROOT)
    edit(root / "clinic.yml", "live: false", "live: true")
    # renamed: mkdocs.yml's site_description still names the old clinic
    edit(root / "clinic.yml", "short_name: Riverbend Clinic", "short_name: Lakeside Test Clinic")
    edit(root / "clinic.yml", "name: Riverbend Medical Massage and Physical Therapy (sample clinic)",
         "name: Lakeside Test Clinic")
    edit(root / "docs/about.md", "## This is not medical advice",
         "See [our partner](https://partner.example.net/page).\n\n"
         # placeholders written as a browser or Markdown still reads them: run together in a tel:
         # link, a character reference, a percent escape, a Markdown backslash escape, full width
         "[Call](tel:+12175550123), [a](https://one.example&#46;org/), [b](https://two.example%2Ecom/), "
         "three.example\\.net, four\uff0eexample\u3002org\n\n## This is not medical advice")
    # a person whose url is an address the site uses itself (search/): no page is made there, and it is named
    edit(root / "docs/blog/.authors.yml", "\nauthors:\n", "\nauthors:\n  kim-test:\n    name: Kim Test\n"
         "    description: A person for this test only\n    avatar: assets/avatar-sample.svg\n    url: search/\n")
    # a board's look-up address confirmed by someone, but still a placeholder
    edit(root / "docs/therapists/licensing-boards.yml", "lookup: https://www.tdlr.texas.gov/LicenseSearch/",
         "lookup: https://lookup.example.org/tx\n    checked: 2026-12-01")
    stopped = build_in_process(root / "mkdocs.yml", tmp_path / "site", day=TODAY, spelling=False, cards=False)
    assert isinstance(stopped, ProblemsFound), "a live site full of samples was built"
    found = {(problem.path, problem.line, problem.field) for problem in stopped.problems if problem.is_error}
    words = {(problem.path, problem.line): problem.what + " — " + problem.fix
             for problem in stopped.problems if problem.is_error}
    listing = "docs/therapists/listings/sample-arden-sampleton.yml"
    post = "docs/blog/posts/welcome-to-our-guide.md"
    expected = {
        # the clinic marked sample
        ("clinic.yml", line_of(root / "clinic.yml", r"^sample: true"), "sample"),
        # a detail that still says it is the sample's
        ("clinic.yml", line_of(root / "clinic.yml", r"^street: 100 Example"), "street"),
        # people, authors included
        ("docs/blog/.authors.yml", line_of(root / "docs/blog/.authors.yml", r"sample: true   # a made-up person$"),
         "authors.sam-sample.sample"),
        ("docs/blog/.authors.yml", line_of(root / "docs/blog/.authors.yml", r"sample: true   # a made-up person:"),
         "authors.alex-example.sample"),
        ("docs/people/sam-sample.md", line_of(root / "docs/people/sam-sample.md", r"^sample: true"), "sample"),
        # a listing and a post marked sample
        (listing, line_of(root / listing, r"^sample: true"), "sample"),
        (post, line_of(root / post, r"^sample: true"), "sample"),
        # a guide page whose reviewer is a sample
        ("docs/guide/warning-signs.md", line_of(root / "docs/guide/warning-signs.md", r"^reviewed_by:"), "reviewed_by"),
        ("docs/blog/.authors.yml", line_of(root / "docs/blog/.authors.yml", r"url: search/"), "authors.kim-test.url"),
        # a board that listings link, whose look-up address nobody confirmed
        ("docs/therapists/licensing-boards.yml", line_of(root / "docs/therapists/licensing-boards.yml", r"^IL:") + 1,
         "IL.massage"),
        # site_description naming the clinic's old name
        ("mkdocs.yml", line_of(root / "mkdocs.yml", r"^site_description:"), "site_description"),
    }
    assert expected <= found, expected - found
    addresses = {
        ("mkdocs.yml", line_of(root / "mkdocs.yml", r"^site_url:")): "'example.org'",
        ("clinic.yml", line_of(root / "clinic.yml", r"^booking_url:")): "'booking.example.com'",
        ("clinic.yml", line_of(root / "clinic.yml", r"^email:")): "'frontdesk@example.org'",
        ("clinic.yml", line_of(root / "clinic.yml", r"^phone:")): "'555-0100'",
        ("docs/about.md", line_of(root / "docs/about.md", r"partner\.example\.net")): "'partner.example.net'",
        ("docs/therapists/licensing-boards.yml", line_of(root / "docs/therapists/licensing-boards.yml",
                                                         r"lookup\.example")): "'lookup.example.org'",
    }
    for place, needle in addresses.items():
        assert needle in words.get(place, ""), (place, words.get(place))
    about = [problem.what for problem in stopped.problems if problem.path == "docs/about.md"
             and problem.line == line_of(root / "docs/about.md", r"tel:")]
    for held in ("12175550123", "one.example.org", "two.example.com", "three.example.net", "four.example.org"):
        assert any(f"'{held}'" in what for what in about), (held, about)
    # a board is named once: the error, not also the boards file's own warning for the same entry
    assert not [problem for problem in stopped.problems if problem.field == "IL.massage.checked"]
    # each with a fix, and the output left empty
    assert all(problem.fix for problem in stopped.problems)
    assert not any((tmp_path / "site").iterdir())


def test_the_launch_list_names_each_group_with_its_count_and_exits_1(capsys):
    status = check.main(["--launch", "-f", str(PROJECT_ROOT / "mkdocs.yml"), "--today", TODAY.isoformat()])
    printed = capsys.readouterr().out
    assert status == 1
    listings = sorted(file for file in (PROJECT_ROOT / "docs/therapists/listings").glob("*.yml")
                      if re.search(r"^sample: true", file.read_text(encoding="utf-8"), re.M))
    guide = sorted((PROJECT_ROOT / "docs/guide").glob("*.md"))
    headers = dict(re.findall(r"^([A-Z][a-z ]+) \((\d+)\): ", printed, re.M))
    assert headers["Listings"] == str(len(listings)) and len(listings) > 30
    # three people in .authors.yml and their three pages in docs/people/
    assert headers["People"] == "6" and headers["Posts"] == "2"
    # sample: true, and the name, street and map link that still say "sample"/"Example"
    assert headers["Clinic details"] == "4" and "'street' still says 'Example'" in printed
    assert headers["Reviewer"] == str(len(guide))
    assert int(headers["Boards"]) >= 2 and int(headers["Addresses"]) >= 4
    assert list(headers) == ["Clinic details", "Reviewer", "People", "Listings", "Boards", "Posts", "Addresses"]
    assert "`clinic remove-samples`" in printed and "licensing-boards.yml" in printed
    assert f"  docs/therapists/listings/{listings[0].name}, line " in printed


REVIEWER = """  pat-testreviewer:
    name: 'Pat Testreviewer, PT (test data) & "Co" <i>R&amp;D</i>'
    description: A made-up reviewer for this test only
    avatar: assets/avatar-sample.svg
    url: people/pat-testreviewer/
"""


def test_after_remove_samples_and_real_details_the_site_builds_live_and_the_launch_list_is_empty(tmp_path, capsys):
    root = copy_project(tmp_path / "project", PROJECT_ROOT)
    # the owner's own page links a sample post and a sample person's page, and a sample entry's url
    # names the owner's page (a copy-paste slip): the links become words, the page stays
    edit(root / "docs/about.md", "## This is not medical advice", "Read [our first post](blog/posts/"
         "welcome-to-our-guide.md) and meet [Alex](people/alex-example.md).\n\n## This is not medical advice")
    edit(root / "docs/blog/.authors.yml", "url: people/riley-example/", "url: about/")
    # a sample listing its own checks refuse is still sample: deleted too
    edit(root / "docs/therapists/listings/sample-arden-sampleton.yml", "phone: 217-555-0102", "phone: call me")
    done = remove_samples.remove(Project.find(root / "mkdocs.yml"))
    assert "removed docs/people/alex-example.md" in done
    assert (root / "docs/about.md").is_file() and "removed docs/about.md" not in done
    assert "Read our first post and meet Alex.\n" in (root / "docs/about.md").read_text(encoding="utf-8")
    assert any(line.startswith("kept docs/about.md: the url of the removed 'riley-example'") for line in done)
    assert not list((root / "docs/therapists/listings").glob("sample-*.yml"))
    assert not (root / "docs/blog/posts/welcome-to-our-guide.md").exists()
    assert "alex-example:" not in (root / "docs/blog/.authors.yml").read_text(encoding="utf-8")
    assert "reviewed_by" not in (root / "docs/guide/warning-signs.md").read_text(encoding="utf-8")
    # the owner's details (obviously test data: the .test domain is kept for tests)
    clinic = root / "clinic.yml"
    edit(clinic, "sample: true\n", "")
    edit(clinic, "name: Riverbend Medical Massage and Physical Therapy (sample clinic)", "name: Testville Test Clinic")
    edit(clinic, "short_name: Riverbend Clinic", "short_name: Testville Clinic")
    # a detail left as the sample's (the street) is refused by the live build: the owner writes their own
    edit(clinic, "street: 100 Example Avenue, Suite 5", "street: 12 Test Street")
    edit(clinic, "query=100%20Example%20Avenue", "query=12%20Test%20Street")
    # prose may say "for example": only the details naming the clinic and its place are read so
    edit(clinic, "summary: What medical massage is,", "summary: For example, what medical massage is,")
    edit(clinic, '"+1-217-555-0100"', '"+1-217-555-2300"')
    edit(clinic, "frontdesk@example.org", "frontdesk@testville-clinic.test")
    edit(clinic, "https://booking.example.com/riverbend", "https://booking.testville-clinic.test/")
    edit(clinic, "live: false", "live: true")
    settings = root / "mkdocs.yml"
    edit(settings, "site_url: https://example.org/", "site_url: https://testville-clinic.test/")
    edit(settings, "listings@example.org", "listings@testville-clinic.test")
    edit(settings, "Riverbend Clinic in Springfield", "Testville Clinic in Springfield")
    # a reviewer added to .authors.yml only (no page written for them), named on every guide page
    edit(root / "docs/blog/.authors.yml", "authors: {}", "authors:\n" + REVIEWER)
    for page in (root / "docs/guide").glob("*.md"):
        edit(page, "\ndescription:", "\nreviewed_by: pat-testreviewer\nlast_reviewed: 2026-11-29\n"
                                     "next_review: 2029-11-29\ndescription:")
    assert check.main(["--launch", "-f", str(settings), "--today", TODAY.isoformat()]) == 0, capsys.readouterr().out
    assert "Nothing left to do before launch" in capsys.readouterr().out
    # a placeholder where the rule reads no source (a template): found in the built pages, once
    template = root / "overrides/404.html"
    edit(template, '{% include "partials/care.html" %}',
         '{% include "partials/care.html" %}<p><a href="https://help.example.org/">Help</a></p>')
    stopped = build_in_process(settings, tmp_path / "site", day=TODAY, spelling=False, cards=False)
    assert isinstance(stopped, ProblemsFound), "a placeholder in a template went live"
    assert [problem.what for problem in stopped.problems if problem.is_error] == [
        "the built page 404.html links 'https://help.example.org/', a placeholder address or number"]
    edit(template, '<p><a href="https://help.example.org/">Help</a></p>', "")
    run = build_in_process(settings, tmp_path / "site", day=TODAY, spelling=False, cards=False)
    assert not isinstance(run, ProblemsFound), "\n".join(map(str, run.problems))
    site = tmp_path / "site"
    guide = LexborHTMLParser((site / "guide/warning-signs/index.html").read_text(encoding="utf-8"))
    [link] = guide.css("p.reviewed-line a")
    name = 'Pat Testreviewer, PT (test data) & "Co" <i>R&amp;D</i>'   # shown as written, everywhere
    assert link.text(strip=True) == name
    target = (site / "guide/warning-signs" / link.attributes["href"]).resolve() / "index.html"
    person = LexborHTMLParser(target.read_text(encoding="utf-8"))
    assert person.css_first("article h1").text(strip=True) == name
    # the generated page's title in the header (Material prints it as it is) and in the search index
    assert person.css_first(".md-header__topic .md-ellipsis").text(strip=True) == name
    assert not person.css(".md-header i")
    [entry] = [page for page in harness.indexed_pages(site) if page["url"] == "/people/pat-testreviewer/"]
    assert entry["meta"]["title"] == name   # text, as written (the search shows it as text)
    reviewed = [item.text(strip=True) for item in person.css("article li a")]
    assert len(reviewed) == len(list((root / "docs/guide").glob("*.md"))) and "Warning signs" in " ".join(reviewed)
    # no sample notice left anywhere: it came from clinic.yml's sample: true
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "clinic-sample-notice" not in home and "Sample content for a fictional clinic" not in home


def test_remove_samples_takes_out_only_what_names_a_removed_person_and_keeps_comments():
    post = ("---\ndate: 2026-11-20\nauthors:\n  - sam-sample   # wrote most of it\n  - jo-real\n"
            "reviewed_by: sam-sample\nlast_reviewed: 2026-11-20\nnext_review: 2029-11-20\ndescription: x\n"
            "---\n\nBody naming sam-sample.\n")
    text, changed = remove_samples.without_people(post, {"sam-sample"})
    assert text == ("---\ndate: 2026-11-20\nauthors:\n  - jo-real\ndescription: x\n---\n\n"
                    "Body naming sam-sample.\n")
    assert changed == ["author 'sam-sample'", "reviewed_by (named the removed 'sam-sample')", "last_reviewed",
                       "next_review"]
    inline, changed = remove_samples.without_people("---\nauthors: [sam-sample, jo-real]\n---\n", {"sam-sample"})
    assert inline == "---\nauthors: [jo-real]\n---\n" and changed == ["author 'sam-sample'"]
    # a post of the owner's whose only author was a sample: no empty `authors:` left (the blog cannot
    # read it), and the owner is told; the check then says where the real author goes
    alone, changed = remove_samples.without_people("---\nauthors:\n  - sam-sample\ncategories:\n  - News\n---\n",
                                                   {"sam-sample"})
    assert alone == "---\ncategories:\n  - News\n---\n"
    assert changed == ["author 'sam-sample'", "`authors:` (no author left: add the real one before publishing)"]
    assert remove_samples.without_people("---\nauthors: [sam-sample]\n---\n", {"sam-sample"})[0] == "---\n---\n"
    nobody = content_rules.SiteFacts(frozenset(), None, "blog", TODAY)
    [missing] = [item for item in content_rules.post_problems({"date": {"created": TODAY}}, nobody)
                 if item[0] == "authors"]
    assert "add the author to docs/blog/.authors.yml first" in missing[2]
    kept = "---\nauthors: [jo-real]\nreviewed_by: jo-real\n---\n"
    assert remove_samples.without_people(kept, {"sam-sample"}) == (kept, [])
    people = ("# who is who\nauthors:\n  sam-sample:\n    name: Sam\n    sample: true\n  jo-real:\n    name: Jo\n")
    assert remove_samples.without_entries(people, {"sam-sample"}) == (
        "# who is who\nauthors:\n  jo-real:\n    name: Jo\n")
    assert remove_samples.without_entries(people, {"sam-sample", "jo-real"}) == "# who is who\nauthors: {}\n"
    linked = "[a](../people/sam-sample/) [b](../guide/x.md#y) ![c](../people/sam-sample.md) [d](https://x.test/people/sam-sample.md)\n"
    assert remove_samples.without_links(linked, "guide/z.md", {"people/sam-sample.md"}) == (
        "a [b](../guide/x.md#y) ![c](../people/sam-sample.md) [d](https://x.test/people/sam-sample.md)\n",
        ["the link to the removed ../people/sam-sample/ (line 1, its words kept)"])
    settings = ("plugins:\n  - redirects:\n      redirect_maps:\n        old.md: blog/posts/a.md\n"
                "        x.md: guide/b.md\n")
    text, dropped = remove_samples.without_redirects(settings, {"blog/posts/a.md"})
    assert dropped == ["old.md"] and "x.md: guide/b.md" in text and "old.md" not in text
    text, dropped = remove_samples.without_redirects(text, {"guide/b.md"})
    assert "      redirect_maps: {}\n" in text


def test_a_line_plain_skips_reads_the_same_as_when_decoded():
    """launch.plain returns a line without "&", "%", "\\" or a character outside ASCII as it is,
    unread: the full decoding (character references, percent and backslash escapes, NFKC, dots,
    invisible characters) must leave every such line unchanged, and change lines with each."""
    import html as html_module
    import random
    import unicodedata
    import urllib.parse

    def decoded(line: str) -> str:
        line = launch._ESCAPED_DOT.sub(".", html_module.unescape(line))
        line = urllib.parse.unquote(line)
        return unicodedata.normalize("NFKC", line.translate(launch._DOTS)).translate(launch._INVISIBLE)

    generator = random.Random(20)
    skipped = [chr(code) for code in range(128) if chr(code) not in "&%\\"]
    lines = skipped + ["".join(generator.choice(skipped) for _ in range(generator.randint(1, 60))) for _ in range(3000)]
    for line in lines:
        assert launch.plain(line) == decoded(line) == line, repr(line)
    for line in ["example&#46;org", "example%2Eorg", "example\\.org", "ｅｘａｍｐｌｅ．org", "exam\u00adple.org",
                 "example\u3002org"]:
        assert launch.plain(line) == decoded(line) == "example.org", repr(line)


def test_a_file_scan_finds_exactly_the_lines_that_hold_a_placeholder():
    """launch._scan searches a whole file once before reading it line by line: the placeholders
    planted on random lines (written plainly, as references, escapes, full-width, split by
    invisible characters; beside every kind of line break; in YAML comments, which are left
    alone) are found on exactly their lines, and a file holding none gives nothing."""
    import random

    placeholders = ["info@example.org", "Example.COM", "www.example.net", "example&#46;org", "example%2Eorg",
                    "example\\.org", "ｅｘａｍｐｌｅ．ｏｒｇ", "exam\u00adple.org", "(217) 555-0142", "555.0199",
                    "+12175550123", "５５５-０１２３"]
    near_misses = ["examples.org", "example.orgs", "example", "555-0200", "5550200", "25555-0100x", "counterexample"]
    fillers = ["Rest and ice help.", "Café hours: 9–5 — “call first”.", "50% off & more \\ here", "ﬁne print",
               "Call 911 or the emergency room.", "", "   "]
    breaks = ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0c"]
    generator = random.Random(26)
    for round_number in range(300):
        yaml = generator.random() < 0.5
        lines, expected = [], set()
        for number in range(1, generator.randint(1, 25) + 1):
            words = [generator.choice(fillers + near_misses) for _ in range(generator.randint(0, 4))]
            planted = generator.random() < 0.15
            if planted:
                words.insert(generator.randint(0, len(words)), generator.choice(placeholders))
            line = " ".join(words)
            if yaml and generator.random() < 0.2:
                line = "# " + line   # a YAML comment: may show an example, never named
            elif planted:
                expected.add(number)
            lines.append(line)
        text, previous = "", ""
        for line in lines:   # a bare "\r", then an empty line ended by "\n", would be one "\r\n"
            choices = [end for end in breaks if not (previous == "\r" and not line and end.startswith("\n"))]
            previous = generator.choice(choices)
            text += line + previous
        found = {marker.problem.line for marker in launch._scan("x", text, "addresses", yaml=yaml)}
        assert found == expected, (round_number, text)


def test_a_dry_run_of_remove_samples_says_what_it_would_do_and_changes_nothing(tmp_path, capsys):
    # --dry-run printed "removed docs/blog/posts/…" and "Done.", as a real run does: staff took
    # the sample content for gone while every file was still there.
    root = copy_project(tmp_path / "project", PROJECT_ROOT)
    before = {path: path.read_bytes() for path in (root / "docs").rglob("*") if path.is_file()}
    assert remove_samples.main(["--dry-run", "-f", str(root / "mkdocs.yml")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert {path: path.read_bytes() for path in (root / "docs").rglob("*") if path.is_file()} == before
    assert "would remove docs/blog/posts/welcome-to-our-guide.md" in printed
    assert any(": would take out " in line for line in printed)
    assert not any(line.startswith(("removed ", "Done.")) or ": took out " in line for line in printed), printed
    assert printed[-1] == "Nothing was changed (--dry-run). Run `clinic remove-samples` to do the above."
