"""scripts/check.py: every kind of problem is reported with its file and line, and the real docs pass."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import markdown
import pytest

from clinic_site import check
from tests.conftest import PROJECT_ROOT

TODAY = dt.date(2026, 11, 27)
REAL_LISTING = "sample-avery-sampleton.yml"

CONFIG = """\
site_name: Test clinic
extra:
  clinic:
    name: Test clinic
    street: 1 Example Street
    city: Springfield
    state: IL
    zip: "62701"
    phone: "+1-217-555-0100"
    hours: [Monday to Friday]
    logo: assets/logo.svg
    colors: {primary: "#1f5f7a"}
  finder:
    listings_dir: therapists/listings
nav:
  - Home: index.md
  - Guide:
      - guide/index.md
      - guide/safety.md
  - Blog:
      - blog/index.md
not_in_nav: |
  people/*.md
plugins:
  - search
  - blog:
      categories_allowed:
        - Guide
        - Clinic news
exclude_docs: |
  therapists/listings/
  therapists/licensing-boards.yml
"""

GUIDE_FRONT = """\
---
title: Safety
description: When massage is not safe, and which health problems mean you should ask your doctor first.
reviewed_by: alex-example
last_reviewed: 2026-01-10
next_review: 2029-01-10
---
"""

PAGES = {
    "index.md": """\
        ---
        description: A plain guide to medical massage alongside physical therapy, with sources and review dates.
        ---

        # Welcome

        Read the [guide](guide/index.md) and the [safety page](guide/safety.md#before-your-first-visit).
        Call us on [our phone](tel:+12175550100), write to [us](mailto:hello@example.org), or see
        [the board](https://example.org/board#anything).
        """,
    "guide/index.md": GUIDE_FRONT.replace("title: Safety", "title: The guide") + textwrap.dedent("""
        # The guide

        Start with [safety](safety.md) and its [first visit](safety.md#before-your-first-visit) part.
        """),
    "guide/safety.md": GUIDE_FRONT + textwrap.dedent("""
        # Safety

        ## Before your first visit

        Tell your therapist about your health.

        ## Sources {#sources}

        See [the sources](#sources) and [Alex](../people/alex-example.md).
        """),
    "people/alex-example.md": """\
        ---
        description: Alex Example is a fictional physical therapist who reviews the pages of the guide.
        ---

        # Alex Example

        Alex reviews the [guide](../guide/index.md).
        """,
    "blog/index.md": """\
        ---
        description: News from the clinic and short articles about massage and physical therapy.
        ---

        # Blog
        """,
    "blog/posts/hello.md": """\
        ---
        date:
          created: 2026-11-02
        authors:
          - sam-sample
        categories:
          - Clinic news
        description: We have opened a blog with news from the clinic and short articles about our care.
        ---

        # Hello

        Our [guide](../../guide/index.md) is ready.

        <!-- more -->

        More news soon.
        """,
}


def write(root: Path, path: str, text: str) -> Path:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text), encoding="utf-8")
    return file


@pytest.fixture
def site(tmp_path) -> Path:
    """A small, valid project: mkdocs.yml, pages of each kind, the people, one real listing."""
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    for path, text in PAGES.items():
        write(tmp_path, f"docs/{path}", text)
    docs = PROJECT_ROOT / "docs"
    shutil.copy2(docs / "blog" / ".authors.yml", tmp_path / "docs" / "blog" / ".authors.yml")
    shutil.copy2(docs / ".spelling-words.txt", tmp_path / "docs" / ".spelling-words.txt")
    (tmp_path / "docs" / "therapists" / "listings").mkdir(parents=True)
    shutil.copy2(docs / "therapists" / "licensing-boards.yml", tmp_path / "docs" / "therapists")
    shutil.copy2(docs / "therapists" / "listings" / REAL_LISTING, tmp_path / "docs" / "therapists" / "listings")
    return tmp_path


def problems_in(root: Path, **options) -> list[str]:
    return [str(problem) for problem in check.check_all(root, today=options.pop("today", TODAY), **options)]


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_a_valid_project_has_no_problems(site):
    assert problems_in(site) == []


def test_guide_front_matter_problems_name_the_file_and_the_line(site):
    page = site / "docs/guide/safety.md"
    edit(page, "reviewed_by: alex-example", "reviewed_by: alex-exemple")
    edit(page, "description: When massage", "description: Short.\nx: When massage")
    found = problems_in(site)
    assert any(p.startswith("docs/guide/safety.md, line 5: 'reviewed_by' is 'alex-exemple', who is not in "
                            "docs/blog/.authors.yml") for p in found), found
    assert any(p.startswith("docs/guide/safety.md, line 3: 'description' is 6 characters") for p in found), found


def test_a_missing_description_on_any_page_is_reported(site):
    edit(site / "docs/people/alex-example.md", "description: Alex Example is", "summary: Alex Example is")
    assert problems_in(site) == [
        "docs/people/alex-example.md, line 1: 'description' is missing; add `description:` with one sentence "
        "of 50 to 160 characters that sums up the page"]


def test_a_passed_review_date_is_an_error_and_one_due_soon_a_warning(site):
    edit(site / "docs/guide/safety.md", "next_review: 2029-01-10", "next_review: 2026-11-01")
    edit(site / "docs/guide/index.md", "next_review: 2029-01-10", "next_review: 2026-12-07")
    found = check.check_all(site, today=TODAY)
    assert [(str(p), p.severity) for p in found] == [
        ("docs/guide/index.md, line 6: warning: 'next_review' review due on 2026-12-07 (in 10 days) — have the "
         "page reviewed, then update last_reviewed and next_review", check.WARNING),
        ("docs/guide/safety.md, line 6: 'next_review' passed on 2026-11-01; have the page reviewed, then set "
         "last_reviewed to today and next_review to the next review date", check.ERROR),
    ]


def test_the_command_exits_1_on_errors_and_0_on_warnings_only(site, capsys):
    edit(site / "docs/guide/index.md", "next_review: 2029-01-10", "next_review: 2026-12-07")
    assert check.main(["--root", str(site), "--today", "2026-11-27"]) == 0
    output = capsys.readouterr().out
    assert "docs/guide/index.md, line 6: warning: 'next_review' review due on 2026-12-07" in output
    assert "0 error(s), 1 warning(s)" in output
    edit(site / "docs/guide/safety.md", "next_review: 2029-01-10", "next_review: 2026-11-01")
    assert check.main(["--root", str(site), "--today", "2026-11-27"]) == 1
    assert "1 error(s), 1 warning(s)" in capsys.readouterr().out


def test_blog_post_author_category_and_date_problems(site):
    post = site / "docs/blog/posts/hello.md"
    edit(post, "  - sam-sample", "  - sam-smaple")
    edit(post, "  - Clinic news", "  - Clinic new")
    edit(post, "  created: 2026-11-02", "  created: November 2")
    found = problems_in(site)
    assert found == [
        "docs/blog/posts/hello.md, line 2: 'date' is 'November 2' — write the date as YYYY-MM-DD, for example "
        "2026-11-20, without quotes",
        "docs/blog/posts/hello.md, line 4: 'authors' 'sam-smaple' is not in docs/blog/.authors.yml — use one of "
        "alex-example, riley-example, sam-sample, or add the person there",
        "docs/blog/posts/hello.md, line 6: 'categories' 'Clinic new' is not an allowed category — did you mean "
        "'Clinic news'? use one of: Guide, Clinic news (a new one must be added to categories_allowed in "
        "mkdocs.yml)",
    ]


def test_a_draft_is_a_warning_and_placeholder_text_an_error(site):
    post = site / "docs/blog/posts/hello.md"
    edit(post, "description: We have opened", "draft: true\ndescription: 'TODO: We have opened")
    edit(post, "our care.\n", "our care.'\n")
    edit(post, "More news soon.", "TODO: write the news.")
    found = check.check_all(site, today=TODAY)
    assert [(p.path, p.line, p.severity) for p in found] == [
        ("docs/blog/posts/hello.md", 8, check.WARNING),   # draft: true
        ("docs/blog/posts/hello.md", 9, check.ERROR),     # description: 'TODO: ...'
        ("docs/blog/posts/hello.md", 18, check.ERROR),    # TODO line in the body
    ], found


def test_broken_links_and_anchors_are_reported_on_their_line(site):
    write(site, "docs/guide/index.md", GUIDE_FRONT.replace("title: Safety", "title: The guide") + """
# The guide

See [safety](safty.md), the [first visit](safety.md#before-the-first-visit)
and [the sources](safety.md#sources). A link over two lines: [the
safety page](./safety.md#nowhere). Absolute: [home](/index.md). A folder: [people](../people/).

`[code is not a link](missing.md)`

```
[nor is this](missing.md)
```

[Alex]: ../people/alex.md
""")
    found = problems_in(site)
    assert found == [
        "docs/guide/index.md, line 11: the link 'safety.md#before-the-first-visit' goes to '#before-the-first-"
        "visit', but 'guide/safety.md' has no heading with that anchor — did you mean '#before-your-first-visit'? "
        "use the anchor of an existing heading (its text in lowercase, spaces as hyphens) or add "
        "{#before-the-first-visit} after the heading",
        "docs/guide/index.md, line 11: the link 'safty.md' points to guide/safty.md, which does not exist in "
        "docs/ — did you mean 'safety.md'? check the spelling and the folder: links are relative to this file",
        "docs/guide/index.md, line 13: the link '../people/' points to the folder people/, not a page — link to "
        "one of its .md files instead",
        "docs/guide/index.md, line 13: the link './safety.md#nowhere' goes to '#nowhere', but 'guide/safety.md' "
        "has no heading with that anchor — use the anchor of an existing heading (its text in lowercase, spaces as "
        "hyphens) or add {#nowhere} after the heading",
        "docs/guide/index.md, line 13: the link '/index.md' starts with '/' — write it relative to this file, "
        "for example '../index.md'",
        "docs/guide/index.md, line 21: the link '../people/alex.md' points to people/alex.md, which does not exist "
        "in docs/ — did you mean '../people/alex-example.md'? check the spelling and the folder: links are "
        "relative to this file",
    ]


def test_a_link_to_an_unpublished_file_and_to_a_page_address(site):
    write(site, "docs/people/alex-example.md", PAGES["people/alex-example.md"].replace(
        "[guide](../guide/index.md)", "[guide](../guide/) and [a listing file](../therapists/listings/x.yml)"))
    write(site, "docs/therapists/listings/x.yml", "")
    found = problems_in(site, spelling=False)
    assert any(p.startswith("docs/people/alex-example.md, line 7: the link '../guide/' points to a web address, "
                            "not a file — link to the Markdown file: '../guide/index.md'") for p in found), found
    assert any(p.startswith("docs/people/alex-example.md, line 7: the link '../therapists/listings/x.yml' points "
                            "to therapists/listings/x.yml, which is not published") for p in found), found


def test_links_to_generated_listing_pages_are_known(site):
    edit(site / "docs/index.md", "Read the", "See [Avery](therapists/sample-avery-sampleton.md) and "
         "[Nobody](therapists/nobody.md). Read the")
    found = problems_in(site, spelling=False)
    assert len(found) == 1 and found[0].startswith(
        "docs/index.md, line 7: the link 'therapists/nobody.md' points to therapists/nobody.md, which does not exist")


@pytest.mark.parametrize("heading", [
    "Before your first visit", "What's *new* in `2026`?", "Massage & physical therapy: the [NICE](x.md) view",
    "Überweisung und Ärzte", "Repeated", "Repeated", "snake_case and __bold__",
])
def test_heading_anchors_match_what_mkdocs_toc_makes(heading):
    source = "---\ndescription: x\n---\n\n# Title\n\n## Repeated\n\n## " + heading + "\n\ntext\n"
    html = markdown.markdown(source.split("---\n", 2)[2], extensions=["toc", "attr_list"])
    import re
    assert check.anchors(source) == set(re.findall(r'id="([^"]+)"', html))


def test_explicit_ids_and_html_ids_are_anchors():
    source = "# Title\n\n### Furlan 2015 {#furlan-2015}\n\nText {: #para }\n\n<a id=\"raw\"></a>\n"
    assert check.anchors(source) == {"title", "furlan-2015", "para", "raw"}


def test_listing_problems_name_the_file_and_the_fields_line(site):
    listing = site / "docs/therapists/listings" / REAL_LISTING
    edit(listing, "zip: '78701'", "zip: '7870'")
    edit(listing, "phone: 512-555-0101", "phone: 555-0101")
    found = problems_in(site, spelling=False)
    path = f"docs/therapists/listings/{REAL_LISTING}"
    assert f"{path}, line 12: 'zip' '7870' is not a 5-digit US ZIP — write it like \"78701\"." in found, found
    assert any(p.startswith(f"{path}, line 15: 'phone' '555-0101' cannot be dialled — write a 10-digit US number")
               for p in found), found


def test_a_listing_near_its_12_months_is_a_warning(site):
    found = check.check_all(site, today=dt.date(2027, 10, 20), spelling=False)
    assert [(str(p), p.severity) for p in found] == [(
        f"docs/therapists/listings/{REAL_LISTING}, line 23: warning: 'last_updated' is 2026-11-10: within 30 days "
        "the listing will be more than 12 months old and stop the build — confirm every detail with the therapist, "
        "then set last_updated to today's date", check.WARNING)]


def test_spelling_mistakes_are_reported_with_file_and_line(site):
    edit(site / "docs/guide/safety.md", "Tell your therapist", "Tell your therapsit")
    found = problems_in(site)
    assert len(found) == 1 and found[0].startswith(
        "docs/guide/safety.md, line 13: 'therapsit' — not in the dictionary; did you mean 'therapist'?"), found


def test_pages_missing_from_the_menu_and_menu_entries_without_a_page(site):
    write(site, "docs/guide/new.md", GUIDE_FRONT + "\n# New\n")
    edit(site / "mkdocs.yml", "      - guide/safety.md\n", "      - guide/safety.md\n      - guide/gone.md\n")
    assert problems_in(site, spelling=False) == [
        "docs/guide/new.md, line 1: the page is not in the site's menu — add the line `- guide/new.md` to the nav: "
        "section of mkdocs.yml (under its section)",
        "mkdocs.yml, line 20: the menu (nav:) lists guide/gone.md, which does not exist in docs/ — correct the "
        "path, or remove the line if the page was deleted",
    ]


def test_unsafe_markup_and_broken_front_matter(site):
    edit(site / "docs/guide/safety.md", "Tell your therapist", '<script>alert(1)</script> Tell your therapist')
    write(site, "docs/people/alex-example.md", "---\ndescription: [unclosed\n---\n# Alex\n")
    found = problems_in(site, spelling=False)
    assert "docs/guide/safety.md, line 13: <script> is not allowed — remove it (pages may not run scripts or " \
           "embed other sites)" in found, found
    assert any(p.startswith("docs/people/alex-example.md, line 3: the front matter is not valid YAML") for p in found)


def test_readability_is_checked_on_request(site):
    long_sentence = ("Therapeutic interventions incorporating manual lymphatic drainage methodologies necessitate "
                     "comprehensive interdisciplinary communication regarding contraindications, pharmacological "
                     "considerations, and individualized rehabilitation objectives. ")
    edit(site / "docs/guide/safety.md", "Tell your therapist about your health.", long_sentence * 3)
    assert problems_in(site, spelling=False) == []
    [found] = problems_in(site, spelling=False, readability=True)
    assert found.startswith("docs/guide/safety.md, line 13: is grade "), found
    assert "over the limit of 8 for guide pages — shorten these sentences" in found


def test_the_real_docs_pass_in_seconds():
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "check.py")],
                            capture_output=True, text=True, cwd=PROJECT_ROOT)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert check.errors(check.check_all(PROJECT_ROOT)) == []
    print(f"\nscripts/check.py on the real docs: {seconds:.1f} s")
    assert seconds < 20, f"the check took {seconds:.1f} s; it should take a few seconds"


def test_help_explains_the_command():
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "check.py"), "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "without building the site" in result.stdout and "--readability" in result.stdout
