"""The readability check (scripts/clinic_site/readability.py): Flesch-Kincaid grades, guide pages at 6 or below,
blog posts that give health advice (category "Guide") at 8 or below; and the strict measure of the built page
(its article text, each list one sentence with its lead-in), guide pages at 7 or below."""
import subprocess
import sys

from clinic_site import readability, rules
from clinic_site.sources import parse_source
from tests.harness import PROJECT_ROOT

EASY = "The cat sat on the mat. We went home. It was a good day."
HARD = ("Comprehensive multidisciplinary rehabilitation interventions incorporating therapeutic "
        "massage demonstrate considerable heterogeneity regarding methodological quality.")


def test_a_hard_sentence_gets_a_high_grade_and_an_easy_one_a_low_grade():
    assert readability.measure(HARD).grade > 20
    assert readability.measure("The cat sat on the mat.").grade < 2


def test_the_hardest_sentences_are_listed_hardest_first():
    source = f"# Page\n\n{EASY} {HARD}\n\nMassage can ease pain for a short time.\n"
    report = readability.page_report("docs/guide/x.md", source)
    hardest = report.hardest()
    assert hardest[0].text == HARD
    assert [s.grade for s in hardest] == sorted((s.grade for s in hardest), reverse=True)
    assert len(hardest) <= readability.HARDEST_SHOWN


# Grade 7.3: within the old limit of 8, over the new limit of 6 (the NHS aims at a reading age of 9 to 11).
GRADE_7 = ("Some people have medical massage as part of their physical therapy care. "
           "Ask your physical therapist whether massage could help with your problem.")


def test_the_limits_are_grade_6_for_guide_pages_and_8_for_health_posts():
    assert readability.GUIDE_GRADE_LIMIT == 6
    assert readability.HEALTH_POST_GRADE_LIMIT == 8
    assert readability.HEALTH_POST_CATEGORIES == ("Guide",)


def test_a_guide_page_over_grade_6_fails_with_its_name_and_the_sentences_to_shorten():
    report = readability.page_report("docs/guide/hard.md", f"# Hard\n\n{HARD} {HARD}\n")
    assert report.grade > readability.GUIDE_GRADE_LIMIT
    assert readability.over_limit([report]) == [report]
    message = readability.failure_message(report)
    assert message.startswith(f"docs/guide/hard.md is grade {report.grade}, over the limit of 6 for guide pages: "
                              f'shorten these sentences: "{HARD}"')


def test_a_guide_page_at_grade_7_passed_the_old_limit_and_fails_the_new_one():
    report = readability.page_report("docs/guide/grade7.md", f"# Page\n\n{GRADE_7}\n")
    assert 6 < report.grade <= 8, report.grade
    assert readability.over_limit([report]) == [report]


def _post(category: str, body: str) -> str:
    return f"---\ndate: 2026-11-02\ncategories:\n  - {category}\ndescription: x\n---\n\n# Post\n\n{body}\n"


def test_blog_posts_that_give_health_advice_are_held_to_grade_8():
    hard_health_post = readability.page_report("docs/blog/posts/hard.md", _post("Guide", HARD))
    grade_7_health_post = readability.page_report("docs/blog/posts/ok.md", _post("Guide", GRADE_7))
    assert hard_health_post.categories == ("Guide",) and hard_health_post.is_health_post
    assert readability.over_limit([hard_health_post, grade_7_health_post]) == [hard_health_post]
    assert readability.failure_message(hard_health_post).startswith(
        f"docs/blog/posts/hard.md is grade {hard_health_post.grade}, over the limit of 8 for blog posts that "
        "give health advice: ")


def test_clinic_news_and_other_pages_have_no_limit():
    easy_guide = readability.page_report("docs/guide/easy.md", EASY)
    hard_news = readability.page_report("docs/blog/posts/hard.md", _post("Clinic news", HARD))
    hard_about = readability.page_report("docs/about.md", HARD)
    assert easy_guide.grade <= 6 and hard_news.grade > 8 and hard_about.grade > 8
    assert readability.over_limit([easy_guide, hard_news, hard_about]) == []


def test_front_matter_code_headings_citations_and_urls_do_not_count():
    source = (
        "---\ntitle: Comprehensive multidisciplinary considerations\ndescription: " + HARD + "\n---\n\n"
        "# Contraindications and considerations\n\n"
        "Massage can ease pain ([Furlan](../references.md#furlan-2015)).\n\n"
        "```\n" + HARD + "\n```\n\n"
        "- [Read the guide](guide/index.md)\n"
        "- [Furlan 2015, massage for low-back pain](../references.md#furlan-2015) – <https://doi.org/10.1002/x>\n\n"
        "Source: [NCCIH](../references.md#nccih-massage).\n\n"
        "### Furlan 2015 {#furlan-2015}\n\n"
        "Furlan AD, Giraldo M. Massage for low-back pain. *Cochrane Reviews*. 2015;(9):CD001929.\n\n"
        "**Finding:** it helped for a short time.\n"
    )
    assert readability.prose_blocks(source) == ["Massage can ease pain.", "Finding: it helped for a short time."]


def test_list_items_are_sentences_of_their_own():
    source = "You may read that massage:\n\n- removes waste\n- makes injuries\n  heal faster\n"
    blocks = readability.prose_blocks(source)
    assert blocks == ["You may read that massage:", "removes waste", "makes injuries heal faster"]


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    text = "Crawford et al. found a benefit. Pain eased, e.g. in the back! Was it real?"
    assert readability.split_sentences(text) == [
        "Crawford et al. found a benefit.", "Pain eased, e.g. in the back!", "Was it real?"]


def test_the_page_grade_uses_all_sentences():
    # Flesch-Kincaid: 0.39 * words per sentence + 11.8 * syllables per word - 15.59
    assert readability.flesch_kincaid(words=100, sentences=10, syllables=150) == 6.0


def test_listing_data_folders_and_dot_folders_are_skipped(tmp_path):
    (tmp_path / "therapists" / "listings").mkdir(parents=True)
    (tmp_path / "therapists" / "listings" / "README.md").write_text(HARD)
    (tmp_path / ".snippets").mkdir()
    (tmp_path / ".snippets" / "abbreviations.md").write_text("*[LMT]: Licensed Massage Therapist\n")
    (tmp_path / "about.md").write_text(EASY)
    assert [p.name for p in readability.content_pages(tmp_path)] == ["about.md"]


def test_the_command_line_fails_naming_the_page(tmp_path):
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "hard.md").write_text(f"# Hard\n\n{HARD}\n")
    (docs / "about.md").write_text(f"# About\n\n{EASY}\n")
    result = subprocess.run([sys.executable, "-m", "clinic_site.readability", "--docs", str(docs)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "docs/guide/hard.md is grade" in result.stdout and "shorten these sentences" in result.stdout
    assert "docs/about.md" in result.stdout


def test_every_guide_page_is_grade_6_or_below_and_the_article_grade_8_or_below():
    """The suite's readability gate over the real docs/."""
    reports = readability.check_docs(PROJECT_ROOT / "docs")
    assert sum(report.is_guide for report in reports) >= 15
    article = next(report for report in reports
                   if report.path == "docs/blog/posts/medical-massage-and-physical-therapy.md")
    assert article.is_health_post and article.limit() == 8
    failing = readability.over_limit(reports)
    assert failing == [], "\n".join(readability.failure_message(report) for report in failing)


# ---------------------------------------------------------------- the strict measure (built HTML)

BUILT = """<html><body><nav><p>Menu words are not the article.</p></nav>
<article class="md-content__inner md-typeset">
<h1 id="page">Page title<a class="headerlink" href="#page">¶</a></h1>
<p class="reviewed-line">Medically reviewed by a sample person.</p>
<p>Massage may ease back pain for a short time
(<a href="../../references/#furlan-2015">Furlan</a>).</p>
<div class="admonition warning"><p class="admonition-title">Sample content</p><p>These pages are samples</p></div>
<h2 id="signs">Signs</h2>
<p>Call 911 if you have:</p>
<ul>
<li>chest pain</li>
<li>trouble breathing.</li>
</ul>
<ul><li>a list after a heading</li><li>stands alone<ul><li>with a nested item</li></ul></li></ul>
<pre><code>code is left out</code></pre>
<figure><img alt="x" src="x.png"><figcaption>A figure caption</figcaption></figure>
<h2 id="sources">Sources</h2>
<ul><li><a href="../../references/#furlan-2015">Furlan 2015, massage for low-back pain</a></li></ul>
<aside class="review-info"><p>Reviewed by a sample person. This page is general information.</p></aside>
</article></body></html>"""


def test_the_strict_text_is_the_article_with_lists_as_sentences_after_their_lead_in():
    assert readability.strict_text(BUILT) == (
        "Massage may ease back pain for a short time (Furlan). These pages are samples. "
        "Call 911 if you have: chest pain, trouble breathing. "
        "a list after a heading, stands alone with a nested item.")


def test_the_sources_section_ends_at_the_next_chapter():
    html = ("<article><h2 id='sources'>Sources</h2><ul><li>A source</li></ul><p>Source text.</p>"
            "<h2 id='after'>After</h2><p>Kept text.</p></article>")
    assert readability.strict_text(html) == "Kept text."


LEAD_IN = "<p>Tell your therapist about your health before the massage starts, so that they can:</p>"
ITEMS = ["choose the methods that suit you", "change the treatment if something hurts",
         "keep checking how you are doing", "press more lightly where you bruise easily",
         "stop at once if you feel dizzy or faint", "leave out any area you do not want touched",
         "write down what they did and how you felt", "share your notes with your physical therapist",
         "plan the next session with you", "tell you what they plan to do and why"]


def test_a_long_list_after_a_long_lead_in_is_one_long_sentence_to_the_strict_measure():
    as_list = f"<article>{LEAD_IN}<ul>{''.join(f'<li>{item}</li>' for item in ITEMS)}</ul></article>"
    as_sentences = f"<article>{LEAD_IN}{''.join(f'<p>You can ask them to {item}.</p>' for item in ITEMS)}</article>"
    text = readability.strict_text(as_list)
    assert text.count(".") == 1
    assert text.endswith("share your notes with your physical therapist, plan the next session with you, "
                         "tell you what they plan to do and why.")
    assert readability.strict_grade(text) == 32.9
    assert readability.strict_grade(readability.strict_text(as_sentences)) == 2.8


def test_pages_of_80_words_or_fewer_get_no_strict_grade():
    assert readability.strict_grade("Massage may ease pain. " * 20) is None      # 80 words
    assert readability.strict_grade("Massage may ease pain. " * 21) is not None  # 84 words


def test_the_built_file_of_each_kind_of_page(tmp_path):
    for folder in ("guide/x", "guide", "blog/2026/11/02/a-post"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_text(BUILT)
    assert readability.built_file(tmp_path, "docs/guide/x.md") == tmp_path / "guide/x/index.html"
    assert readability.built_file(tmp_path, "docs/guide/index.md") == tmp_path / "guide/index.html"
    post = "---\ndate: 2026-11-02\nslug: a-post\n---\n"
    assert readability.built_file(tmp_path, "docs/blog/posts/p.md", post) == \
        tmp_path / "blog/2026/11/02/a-post/index.html"
    assert readability.built_file(tmp_path, "docs/guide/not-built.md") is None


def test_the_command_line_shows_both_grades_and_fails_a_page_over_7_the_strict_way(tmp_path):
    """Today's measure reads each list item as a sentence of its own (grade 1.6 here); the
    strict one reads the lead-in and its list as one sentence, over grade 7."""
    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "guide").mkdir(parents=True)
    (site / "guide" / "list").mkdir(parents=True)
    (docs / "guide" / "list.md").write_text(
        "# List\n\nTell your therapist about your health before the massage starts, so that they can:\n\n"
        + "".join(f"- {item}\n" for item in ITEMS))
    (site / "guide" / "list" / "index.html").write_text(
        f"<article><h1>List</h1>{LEAD_IN}<ul>{''.join(f'<li>{item}</li>' for item in ITEMS)}</ul></article>")
    result = subprocess.run([sys.executable, "-m", "clinic_site.readability", "--docs", str(docs), "--site", str(site)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "    1.6  strict  32.9  docs/guide/list.md (11 sentences) STRICT GRADE OVER THE LIMIT" in result.stdout
    assert "docs/guide/list.md is strict grade 32.9, over the limit of 7 for guide pages" in result.stdout
    assert "OVER THE LIMIT" not in result.stdout.split("STRICT GRADE")[0]



def test_every_guide_page_is_grade_7_or_below_the_strict_way(site_dir):
    """The strict gate over the session's build of the real docs/."""
    reports = readability.check_docs(PROJECT_ROOT / "docs")
    strict = readability.strict_reports(reports, site_dir, PROJECT_ROOT / "docs")
    assert {report.path for report in reports if report.is_guide} <= set(strict)
    failing = readability.strict_over_limit(reports, strict)
    assert failing == [], "\n".join(f"{report.path}: strict grade {strict[report.path].grade}" for report in failing)


def test_the_reading_grade_is_a_rule_of_every_run_named_on_the_hardest_sentences_line():
    """The build and `clinic check` run the same rule (clinic_site.rules): a guide page or health
    post over its limit is an error on the line of its hardest sentence, naming the sentences to
    shorten; other pages, and pages within their limit, give nothing."""
    hard_guide = parse_source(f"---\ntitle: Hard\n---\n\n# Hard\n\n{EASY}\n\n{HARD} {HARD}\n", "docs/guide/hard.md")
    easy_guide = parse_source(f"# Easy\n\n{EASY}\n", "docs/guide/easy.md")
    hard_about = parse_source(f"# About\n\n{HARD}\n", "docs/about.md")
    post = parse_source(f"---\ncategories:\n  - Guide\n---\n\n{EASY}\n{HARD}\n", "docs/blog/posts/p.md")
    found = rules.readability_problems({"guide/hard.md": hard_guide, "guide/easy.md": easy_guide,
                                        "about.md": hard_about, "blog/posts/p.md": post})
    assert [(p.path, p.line, p.field, p.is_error) for p in found] == [
        ("docs/guide/hard.md", 9, "", True), ("docs/blog/posts/p.md", 7, "", True)]
    assert found[0].what.startswith("is grade") and found[0].fix.startswith("shorten")
    assert HARD[:40] in found[0].fix


def test_a_page_whose_sentences_are_all_too_short_to_rank_is_named_not_a_traceback():
    """A guide page of one short line of long words is over the limit with no sentence long enough
    to rank as the hardest (MIN_WORDS_TO_RANK): the rule names the page at line 1 and says to use
    shorter words (it raised IndexError, a traceback in the build)."""
    page = parse_source("# Words\n\nElectroencephalography contraindications.\n", "docs/guide/words.md")
    [problem] = rules.readability_problems({"guide/words.md": page})
    assert (problem.path, problem.line, problem.is_error) == ("docs/guide/words.md", 1, True)
    assert problem.what.startswith("is grade") and "shorter, everyday words" in problem.fix
