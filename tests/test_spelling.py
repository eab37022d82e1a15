"""The spell check (scripts/clinic_site/spelling.py): US English, offline, with the project word list."""
import subprocess
import sys

import pytest

from clinic_site import rules, spelling
from clinic_site.sources import parse_source
from tests.harness import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
WORDS = {"effleurage", "petrissage", "mblex"}


def problems(source: str, project_words=WORDS, shorthands=frozenset()):
    """The check's findings; `shorthands` None: the project's clinical shorthand (load_shorthands)."""
    shorthands = spelling.load_shorthands(DOCS) if shorthands is None else shorthands
    return spelling.find_misspellings("docs/guide/x.md", source, project_words, shorthands=shorthands)


def test_a_misspelled_word_is_reported_with_file_line_and_suggestion():
    source = "---\ntitle: Strokes\n---\n\n# Strokes\n\nThe therapist uses long strokes (efleurage).\n"
    [problem] = problems(source)
    assert (problem.path, problem.line, problem.word) == ("docs/guide/x.md", 7, "efleurage")
    assert problem.message() == (
        "docs/guide/x.md, line 7: 'efleurage' — not in the dictionary; did you mean 'effleurage'? "
        "If the word is right, add it to docs/.spelling-words.txt")


def test_a_common_typo_gets_the_dictionary_word_as_suggestion():
    [problem] = problems("Please recieve the form.\n")
    assert problem.suggestion == "receive"


def test_words_from_the_project_list_pass_whatever_their_case():
    assert problems("Kneading (petrissage) and MBLEx exams.\n") == []
    assert [p.word for p in problems("Kneading (petrissage).\n", project_words=set())] == ["petrissage"]


@pytest.mark.parametrize("british, us", [
    ("colour", "color"), ("practise", "practice"), ("organisation", "organization"),
    ("centre", "center"), ("oedema", "edema"), ("haemorrhage", "hemorrhage"),
    ("licence", "license"), ("travelled", "traveled"), ("paediatric", "pediatric"),
])
def test_british_spellings_are_flagged_with_the_us_spelling(british, us):
    [problem] = problems(f"Ask about the {british} first.\n")
    assert problem.british and problem.suggestion == us
    assert f"'{british}' — British spelling; use the US spelling '{us}'" in problem.message()


@pytest.mark.parametrize("word", ["practice", "specialist", "emphasis", "analyses", "center", "color"])
def test_us_words_that_look_british_are_not_flagged(word):
    assert spelling.us_spelling(word) is None
    assert problems(f"The {word} is fine.\n") == []


def test_the_dictionary_rejects_british_forms_the_list_does_not_need_to_name():
    # pyspellchecker's English list is mostly US: these are unknown to it, so the
    # explicit British list is only needed for the British forms it does know.
    dictionary = spelling.english_dictionary()
    assert all(word not in dictionary for word in ("colour", "organisation", "centre", "behaviour"))
    assert all(word in dictionary for word in ("practise", "licence", "grey"))


def test_urls_code_tags_link_targets_anchors_and_numbers_are_ignored():
    source = (
        "---\ntitle: Links\ndescription: A page about links.\nreviewed_by: xqzzy-person\n---\n\n"
        "## Heading {#sourcez-anchr}\n\n"
        "See [the guide](../guidez/safetyy.md#wrongg-anchr) and <https://exampel.org/pathh>.\n"
        "Run `mkdocs buld` or open https://www.nccih.nih.gov/healthh. <span class=\"abcx\">Text</span>\n"
        "Code NG59, 16s, 2015;(9):CD001929 and doi:10.1002/14651858.CD001929.pub3 are numbers.\n"
        "```\nnot checked: wrnog wrods\n```\n"
        "<!-- a commnet -->\n"
        "Furlan AD, Giraldo M. Massage.\n"
    )
    assert [p.word for p in problems(source, project_words={"furlan", "giraldo"})] == []


def test_front_matter_title_and_description_are_checked_other_keys_are_not():
    source = "---\ntitle: Massage therpy\ndescription: >-\n  A plain giude\nreviewed_by: xqzzy\n---\nBody.\n"
    assert [(p.line, p.word) for p in problems(source)] == [(2, "therpy"), (4, "giude")]


def test_the_word_list_ignores_comments_and_blank_lines(tmp_path):
    word_list = tmp_path / "words.txt"
    word_list.write_text("# header: what this is for\n\nEffleurage\nNCCIH  # the US health institute\n")
    assert spelling.load_word_list(word_list) == {"effleurage", "nccih"}


def test_the_project_word_list_is_sorted_and_has_a_header():
    lines = (DOCS / spelling.WORD_LIST_NAME).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    words = [line for line in lines if line and not line.startswith("#")]
    assert words == sorted(words, key=str.lower)
    assert {"effleurage", "petrissage", "myofascial", "lymphedema", "edema", "MBLEx", "NCBTMB",
            "FSMTB", "NCCIH", "NPTE", "DPT", "LMT"} <= set(words)


def test_the_command_line_fails_and_names_the_word(tmp_path):
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "page.md").write_text("# Page\n\nThe colour of the skin.\n")
    result = subprocess.run([sys.executable, "-m", "clinic_site.spelling", "--docs", str(docs)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "docs/guide/page.md, line 3: 'colour' — British spelling; use the US spelling 'color'" in result.stdout


def test_every_page_in_docs_is_spelled_right():
    """The suite's spell check over the real docs/."""
    found = spelling.check_docs(DOCS)
    assert found == [], "Spelling problems:\n" + "\n".join(problem.message() for problem in found)


# ---------------------------------------------------------------- clinical shorthand


def test_clinical_shorthand_is_accepted_without_a_word_list_entry():
    source = ("Post-op and pre-op care: your PT or PTA (a DPT) and an LMT check ROM and ADLs.\n"
              "Bring your post-op instructions; PTs write a HEP.\n")
    assert problems(source, project_words=set(), shorthands=None) == []


def test_the_parts_of_a_shorthand_alone_and_its_misspellings_are_still_reported():
    found = problems("The op was fine. Pre-opp care, post-opp notes and adls.\n", project_words=set(),
                     shorthands=None)
    assert [p.word for p in found] == ["op", "Pre", "opp", "opp", "adls"]


def test_abbreviations_the_site_defines_are_accepted(tmp_path):
    """A word the site explains (docs/.snippets/abbreviations.md) is a word: a new one needs no
    word-list entry; and the shipped list holds the shorthands the issue names."""
    (tmp_path / ".snippets").mkdir()
    (tmp_path / ".snippets" / "abbreviations.md").write_text(
        "*[QXZT]: A made-up title for this test\n*[Zorblat fascia]: A made-up phrase\n", encoding="utf-8")
    shorthands = spelling.load_shorthands(tmp_path, tmp_path / "no-list.txt")
    assert shorthands == {"QXZT", "Zorblat", "fascia"}
    assert spelling.find_misspellings("docs/x.md", "Ask for QXZT and Zorblat.\n", set(),
                                      shorthands=shorthands) == []
    assert [p.word for p in spelling.find_misspellings("docs/x.md", "Ask for QXZT.\n", set(),
                                                       shorthands=frozenset())] == ["QXZT"]
    shipped = spelling.load_shorthands(DOCS)
    assert {"post-op", "pre-op", "PT", "ROM", "PTA", "DPT", "LMT", "ADL"} <= shipped
    assert {"MBLEx", "CLT", "BCTMB"} <= shipped   # from the site's abbreviations.md


@pytest.mark.parametrize("word, accepted", [
    ("post-op", True), ("Post-op", True), ("ROM", True), ("ADLs", True), ("PTAs", True),
    ("rOM", False), ("post-ops", False), ("Adl", False), ("op", False)])
def test_how_a_word_matches_a_shorthand(word, accepted):
    assert spelling.is_shorthand(word, spelling.load_shorthands(DOCS)) is accepted


def test_the_summary_line_counts_with_the_right_noun(tmp_path, capsys):
    (tmp_path / "one.md").write_text("A recieve.\n", encoding="utf-8")
    assert spelling.main(["--docs", str(tmp_path), "--words", str(tmp_path / "none.txt")]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 word to fix in 1 Markdown file."
    (tmp_path / "two.md").write_text("Recieve and acheive.\n", encoding="utf-8")
    spelling.main(["--docs", str(tmp_path), "--words", str(tmp_path / "none.txt")])
    assert capsys.readouterr().out.splitlines()[-1] == "3 words to fix in 2 Markdown files."


def test_the_spell_check_is_a_rule_of_every_run_named_at_the_page_and_line(tmp_path):
    """The build and `clinic check` run the same rule (clinic_site.rules): one Problem per word,
    at the page as staff see it and the word's line, an error, with the fix; the project's words
    and shorthand pass, and a page that could not be read is left to the rule that names it."""
    (tmp_path / spelling.WORD_LIST_NAME).write_text("# words\nEffleurage\n", encoding="utf-8")
    (tmp_path / ".snippets").mkdir()
    (tmp_path / ".snippets" / "abbreviations.md").write_text("*[QXZT]: A made-up title\n", encoding="utf-8")
    good = parse_source("---\ntitle: Strokes\n---\n\nEffleurage and QXZT, post-op.\n", "docs/guide/a.md")
    bad = parse_source("---\ntitle: Strokes\n---\n\nFine.\nThe colour and a recieve.\n", "docs/guide/b.md")
    unreadable = parse_source("---\ntitle: [\n---\nThe colour.\n", "docs/c.md")   # front matter YAML cannot read
    assert not unreadable.readable
    found = rules.spelling_problems(tmp_path, "docs", {"guide/a.md": good, "guide/b.md": bad, "c.md": unreadable})
    assert [(p.path, p.line, p.field, p.is_error) for p in found] == [("docs/guide/b.md", 6, "", True)] * 2
    assert [p.message for p in found] == [
        "'colour' — British spelling — use the US spelling 'color'. If it is a name or title that must stay as "
        "written, add it to docs/.spelling-words.txt",
        "'recieve' — not in the dictionary — did you mean 'receive'? If the word is right, add it to "
        "docs/.spelling-words.txt"]
