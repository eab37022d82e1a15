"""Every clinical claim of the guide rests on a checked source, or says plainly that it does not.

The rules live in the package (clinic_site/claims.py: what a clinical sentence is, the checks of
the table) and are a rule of every run (clinic_site.rules): the build and `clinic check` stop on
them. docs/guide/claims.yml is the table: each entry names a guide page, a phrase from one of its
sentences, and either the references-page anchors the sentence rests on (`sources:`) or, for a
sentence no checked source backs, the honest reason (`basis:`) that the page itself must state.

Here: the real guide against the real table, the rules on a made-up page (so each can be seen to
fail), the rule's problems at the file and line staff edit, and `clinic check` naming them.
"""
from __future__ import annotations

import re

import pytest
import yaml

from clinic_site import claims as claims_rules
from clinic_site.claims import CITATION, check_claims, page_sentences, uncovered
from clinic_site.project import Project, Settings
from clinic_site.sources import parse_source
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
CLAIMS_FILE = DOCS / claims_rules.CLAIMS_FILE
REFERENCES = DOCS / claims_rules.REFERENCES_PAGE


def reference_anchors(references_source: str | None = None) -> set[str]:
    """The references page's anchors (the real page's when no text is given)."""
    return claims_rules.reference_anchors(references_source if references_source is not None
                                          else REFERENCES.read_text(encoding="utf-8"))


def guide_pages() -> dict[str, str]:
    return {f"guide/{file.name}": file.read_text(encoding="utf-8") for file in sorted((DOCS / "guide").glob("*.md"))}


CLAIMS = yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the real guide

def test_the_claims_table_matches_the_pages_and_the_references_page():
    problems = check_claims(CLAIMS, guide_pages(), reference_anchors())
    assert problems == [], "\n".join(problems)


def test_every_clinical_sentence_of_the_guide_is_in_the_claims_table():
    missing = uncovered(CLAIMS, guide_pages())
    assert missing == [], ("clinical sentences with no claim in docs/guide/claims.yml (add each with its page, "
                           "a phrase and its sources, or a basis):\n" + "\n".join(missing))


def test_every_guide_page_with_clinical_sentences_has_claims():
    pages_with_claims = {claim["page"] for claim in CLAIMS}
    for page, source in guide_pages().items():
        if any(sentence.is_clinical for sentence in page_sentences(page, source)):
            assert page in pages_with_claims, page


def test_most_claims_rest_on_a_source():
    sourced = sum(bool(claim.get("sources")) for claim in CLAIMS)
    assert sourced >= len(CLAIMS) // 2, f"only {sourced} of {len(CLAIMS)} claims rest on a source"


@pytest.mark.parametrize("file", sorted(DOCS.rglob("*.md")), ids=lambda f: f.relative_to(DOCS).as_posix())
def test_every_reference_a_page_cites_is_on_the_references_page(file):
    anchors = reference_anchors()
    cited = set(CITATION.findall(file.read_text(encoding="utf-8")))
    if file == REFERENCES:
        cited |= set(re.findall(r"\]\(#([\w-]+)\)", file.read_text(encoding="utf-8")))
    missing = sorted(cited - anchors)
    assert not missing, f"{file.relative_to(PROJECT_ROOT)} cites {missing}, not on the references page"


def test_the_references_page_lists_the_new_checked_sources():
    anchors = reference_anchors()
    assert {"mayo-press-visit", "mayo-massage", "umn-safety", "nccam-backgrounder", "nhs-lymphoedema",
            "acs-lymphedema", "lymphoedema-framework", "apta-choosept", "apta-direct-access", "medicare-pt",
            "irs-502", "state-boards"} <= anchors


# ---------------------------------------------------------------- the test can fail

PAGE = """---
title: Test
---

# Test

## Pain

Massage eased back pain for a short time ([Furlan](../references.md#furlan-2015)).
Massage makes injuries heal faster.

- avoid deep massage if you take blood thinners

## Unsourced

None of the sources we use tested massage for range of motion.

## Sources

- [Furlan 2015, massage helps back pain](../references.md#furlan-2015)
"""


def test_an_uncited_clinical_sentence_with_no_claim_is_found():
    claims = [{"page": "guide/t.md", "phrase": "eased back pain", "sources": ["furlan-2015"]}]
    assert uncovered(claims, {"guide/t.md": PAGE}) == [
        "guide/t.md: Massage makes injuries heal faster.",
        "guide/t.md: avoid deep massage if you take blood thinners",
        "guide/t.md: None of the sources we use tested massage for range of motion."]


def test_the_sources_section_and_headings_are_not_sentences():
    texts = [sentence.text for sentence in page_sentences("guide/t.md", PAGE)]
    assert not any("Furlan 2015" in text or text == "Pain" for text in texts)


def test_a_claim_whose_source_is_not_cited_near_its_sentence_fails():
    claims = [{"page": "guide/t.md", "phrase": "heal faster", "sources": ["furlan-2015"]},
              {"page": "guide/t.md", "phrase": "tested massage for range of motion", "sources": ["furlan-2015"]}]
    problems = check_claims(claims, {"guide/t.md": PAGE}, {"furlan-2015"})
    assert problems == [
        "guide/t.md: 'tested massage for range of motion': rests on 'furlan-2015', but neither the sentence "
        "nor its section ('Unsourced', which cites nothing) cites it"]


def test_a_claim_citing_a_reference_missing_from_the_references_page_fails():
    claims = [{"page": "guide/t.md", "phrase": "eased back pain", "sources": ["furlan-2015"]}]
    assert check_claims(claims, {"guide/t.md": PAGE}, {"nice-2016"}) == [
        "guide/t.md: 'eased back pain': source 'furlan-2015' is not on the references page"]


def test_a_claim_whose_phrase_is_gone_or_whose_basis_the_page_does_not_state_fails():
    claims = [{"page": "guide/t.md", "phrase": "cures back pain", "sources": ["furlan-2015"]},
              {"page": "guide/t.md", "phrase": "heal faster", "basis": "reviewer"},
              {"page": "guide/t.md", "phrase": "tested massage for range of motion", "basis": "no-source"},
              {"page": "guide/t.md", "phrase": "blood thinners"}]
    assert check_claims(claims, {"guide/t.md": PAGE}, {"furlan-2015"}) == [
        "guide/t.md: 'cures back pain': no sentence of the page contains this phrase",
        "guide/t.md: 'heal faster': basis 'reviewer', but neither the sentence nor its section says so",
        "guide/t.md: 'blood thinners': give either sources or a basis, not both or neither"]


def test_a_page_citing_an_unknown_reference_is_caught():
    anchors = reference_anchors("### Furlan {#furlan-2015}\n\n### NICE {#nice-2016}\n")
    assert anchors == {"furlan-2015", "nice-2016"}
    assert set(CITATION.findall("See [Smith](../references.md#smith-2020).")) - anchors == {"smith-2020"}


# ---------------------------------------------------------------- a rule of every run

def tiny_project(tmp_path, table: str | None) -> tuple[Settings, dict]:
    """A project holding only what the rule reads: mkdocs.yml, the table, a guide page (PAGE) and
    the references page; with the sources as the stage reads them (by src_uri)."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    (tmp_path / "clinic.yml").write_text("name: Test\n", encoding="utf-8")
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    if table is not None:
        (tmp_path / "docs" / "guide" / "claims.yml").write_text(table, encoding="utf-8")
    settings, problems = Settings.read(Project.find(tmp_path / "mkdocs.yml"))
    assert problems == []
    sources = {"guide/t.md": parse_source(PAGE, "docs/guide/t.md"),
               "references.md": parse_source("# References\n\n### Furlan {#furlan-2015}\n", "docs/references.md"),
               "about.md": parse_source("# About\n\nSee [Smith](references.md#smith-2020).\n", "docs/about.md")}
    return settings, sources


TABLE = """# claims
- page: guide/t.md
  phrase: eased back pain
  sources: [furlan-2015]
- page: guide/t.md
  phrase: cures back pain
  sources: [furlan-2015]
- page: guide/t.md
  phrase: tested massage for range of motion
  basis: no-source
"""


def test_the_rule_names_the_tables_line_the_pages_line_and_a_citation_missing_from_the_references(tmp_path):
    settings, sources = tiny_project(tmp_path, TABLE)
    found = claims_rules.problems(settings, sources)
    assert [(p.path, p.line, p.is_error) for p in found] == [
        ("docs/guide/claims.yml", 6, True),   # the claim whose phrase is gone, on its phrase's line
        ("docs/guide/t.md", 10, True),        # "Massage makes injuries heal faster."
        ("docs/guide/t.md", 12, True),        # "avoid deep massage if you take blood thinners"
        ("docs/about.md", 3, True)]           # cites an anchor the references page lacks
    assert found[0].what == "guide/t.md: 'cures back pain': no sentence of the page contains this phrase"
    assert found[1].what == ("the clinical sentence 'Massage makes injuries heal faster.' has no entry in the "
                             "claims table")
    assert "add one to docs/guide/claims.yml" in found[1].fix
    assert found[3].what == "cites '#smith-2020', which is not on the references page"


@pytest.mark.parametrize("table, what", [
    (None, "the claims table is missing"),
    ("- page: [guide/t.md\n", "has a bracket that is never closed"),
    ("page: guide/t.md\nphrase: x\n", "is not a list of claims with `page:` and `phrase:`"),
])
def test_a_missing_or_unreadable_table_is_one_problem_on_the_table(tmp_path, table, what):
    settings, sources = tiny_project(tmp_path, table)
    [problem] = claims_rules.problems(settings, sources)
    assert (problem.path, problem.what, problem.is_error) == ("docs/guide/claims.yml", what, True)


def test_a_site_without_guide_pages_needs_no_table(tmp_path):
    settings, sources = tiny_project(tmp_path, None)
    del sources["guide/t.md"]
    assert claims_rules.problems(settings, sources) == []


UNCOVERED = "Massage helps a sprained ankle heal in half the time."


@pytest.mark.build
def test_clinic_check_names_an_uncovered_clinical_sentence_at_its_page_and_line(tmp_path, capsys):
    """Staff meet the table in `clinic check` (and the build), not as a failed test: a new clinical
    sentence with no claim is named at its page and line; a sentence edited so that its claim's
    phrase is gone is named at the page's line and the claim at the table's line; the check fails."""
    from clinic_site import cli

    project = copy_project(tmp_path / "project")
    page = project / "docs" / "guide" / "after-your-session.md"
    text = page.read_text(encoding="utf-8")
    assert "\n## Sources\n" in text
    added_line = text[:text.index("\n## Sources\n")].count("\n") + 2   # a new paragraph before the Sources
    phrase, edited = "A massage itself should not really hurt", "A massage itself should not hurt much"
    edited_line = text[:text.index(phrase)].count("\n") + 1
    page.write_text(text.replace("\n## Sources\n", f"\n{UNCOVERED}\n\n## Sources\n").replace(phrase, edited),
                    encoding="utf-8")
    table_text = (project / "docs" / "guide" / "claims.yml").read_text(encoding="utf-8")
    table_line = next(number for number, row in enumerate(table_text.splitlines(), start=1) if phrase in row)

    status = cli.main(["check", "-f", str(project / "mkdocs.yml"), "--no-spelling"])
    printed = capsys.readouterr().out.splitlines()
    fix = ("has no entry in the claims table — add one to docs/guide/claims.yml with the page, a phrase from the "
           "sentence and its sources (or a basis the page states), or cite a source for it")
    assert [line for line in printed if not line.startswith("warning:") and ": warning:" not in line][:-1] == [
        f"docs/guide/after-your-session.md, line {edited_line}: the clinical sentence '{edited}.' {fix}",
        f"docs/guide/after-your-session.md, line {added_line}: the clinical sentence '{UNCOVERED}' {fix}",
        f"docs/guide/claims.yml, line {table_line}: guide/after-your-session.md: '{phrase}': no sentence of the "
        "page contains this phrase — correct the claim, or the page it names"]
    assert status == 1 and printed[-1].startswith("3 errors,"), printed[-1]
