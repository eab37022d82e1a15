"""Every clinical claim of the guide rests on a checked source, or says plainly that it does not.

tests/claims.yml is the table: each entry names a guide page, a phrase from one of its sentences,
and either the references-page anchors the sentence rests on (`sources:`) or, for a sentence no
checked source backs, the honest reason (`basis:`) that the page itself must state.

A *clinical sentence* is a sentence of a guide page's running text (paragraphs and list items,
outside the "Sources" section) that either
  - cites the references page (a link to ../references.md#...), or
  - names a treatment (massage, lymph drainage, manipulation, compression, exercise, physical
    therapy ...) together with an effect, risk or evidence word (ease, help, reduce, heal, safe,
    harm, risk, sore, evidence, found, tested, recommend ...), or
  - names a warning sign or precaution (blood clot, fever, chest pain, 911, pregnant ...).
Left out as signposts, not claims: sentences that start "Read " or "This page", and list items
that start with a link to another page (the guide's menus). Every clinical sentence must contain
the phrase of a claim in the table.

The checks:
  - each claim's phrase is in a sentence of its page, and its sources are cited in that sentence
    or in the same section (the text under the same heading, down to the next heading);
  - each claim's sources, and every reference any page cites, are on the references page;
  - each claim without sources gives a basis; for "no-source", "reviewer" and "clinic-rule" the page
    must say so in the sentence, its section or the ## chapter around it;
  - every clinical sentence of every guide page is covered by a claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
import yaml

from clinic_site.readability import split_sentences
from tests.conftest import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
CLAIMS_FILE = PROJECT_ROOT / "tests" / "claims.yml"
REFERENCES = DOCS / "references.md"

# For a claim with no source, what the page must say, near the sentence, to be honest about it.
BASES = {
    # The sentence itself tells the reader that no checked source covers the point.
    "no-source": re.compile(r"none of the sources|no (?:checked )?source|not (?:come )?from a (?:health )?source|"
                            r"do not come from a (?:health )?source|not in any checked source|no source on our list|"
                            r"we have not checked a source|we have no checked source|cannot say", re.I),
    # The clinic's reviewer decides it, and the page says the reviewer has still to check it.
    "reviewer": re.compile(r"reviewer (?:decides|still has to|has not yet)|clinic's reviewer", re.I),
    # The clinic's own rule (consent, chaperone ...), marked on the page as not from a source.
    "clinic-rule": re.compile(r"clinic's own rules", re.I),
    # Not a finding: a direction to ask a professional, or what a person can do or say.
    "advice": re.compile(r".", re.S),
    # What a word, method or job is (the glossary, "Swelling (edema) happens when ..."), not what it does.
    "definition": re.compile(r".", re.S),
    # Says what a page or list covers, or a belief the page goes on to test ("is often said to").
    "signpost": re.compile(r".", re.S),
}

TREATMENT = re.compile(r"\b(?:massage\w*|(?:lymph(?:atic)?\s+)?drainage|manipulation|compression|exercis\w*|"
                       r"physical therapy|treatment|therapy)\b", re.I)
EFFECT = re.compile(r"\b(?:eas\w*|help\w*|reliev\w*|relief|reduc\w*|improv\w*|heal\w*|work(?:s|ed)?|benefit\w*|"
                    r"effective|safe\w*|unsafe|risk\w*|harm\w*|side effects?|recommend\w*|sore\w*|lower\w*|"
                    r"cur(?:e|es|ed)|prevent\w*|better|worse|evidence|found|show\w*|tested|support\w*|"
                    r"controls?|gains?|injur\w*|hurt\w*|pain|avoid|should not|do not have|not right)\b", re.I)
WARNING = re.compile(r"\b(?:blood clot|thrombosis|bleeding|blood thinners?|platelet\w*|fractures?|broken bones?|"
                     r"osteoporosis|wounds?|burns?|infection|fever|diabet\w*|heart|cancer|tumor|pregnan\w*|"
                     r"chest pain|breath\w*|numb\w*|weakness|911|emergency|chemotherapy|radiation|"
                     r"lymphedema|swelling|swollen)\b", re.I)
CITATION = re.compile(r"references\.md#([\w-]+)")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*\})?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


_SIGNPOST = re.compile(r"^(?:Read |This page )")
_MENU_ITEM = re.compile(r"^\[[^\]]*\]\((?![^)]*references\.md)[^)]*\.md[^)]*\)")


@dataclass
class Sentence:
    page: str
    section: str                  # the nearest heading above the sentence
    chapter: str                  # the ## heading above it
    text: str                     # plain text: link targets removed, spaces normalized
    cited: set[str] = field(default_factory=set)
    menu: bool = False            # a list item that starts with a link to another page

    @property
    def is_clinical(self) -> bool:
        if self.menu or _SIGNPOST.match(self.text):
            return False
        return bool(self.cited) or bool(TREATMENT.search(self.text) and EFFECT.search(self.text)) \
            or bool(WARNING.search(self.text))


def plain(markdown: str) -> str:
    text = _LINK.sub(lambda m: m.group(1), markdown)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())


def normalize(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def page_sentences(page: str, source: str) -> list[Sentence]:
    """The sentences of a page's running text, with the section each is in and the references it cites.
    Front matter, headings, admonition titles, code and the "Sources" section are left out."""
    body = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
    sentences: list[Sentence] = []
    section = chapter = ""
    blocks: list[tuple[str, str, str]] = []
    current: list[str] = []
    in_code = in_sources = False

    def flush():
        if current:
            blocks.append((section, chapter, " ".join(line.strip() for line in current)))
            current.clear()

    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            section = heading.group(2).strip()
            if len(heading.group(1)) <= 2:
                chapter = section
                in_sources = section.lower() == "sources"
            continue
        if in_sources:
            continue
        if not line.strip() or _ADMONITION.match(line):
            flush()
            continue
        if _LIST_ITEM.match(line):
            flush()
            line = _LIST_ITEM.sub("", line)
        current.append(line)
    flush()
    for section_name, chapter_name, block in blocks:
        menu = bool(_MENU_ITEM.match(block))
        for raw in split_sentences(block):
            sentences.append(Sentence(page, section_name, chapter_name, plain(raw), set(CITATION.findall(raw)), menu))
    return sentences


def section_citations(sentences: list[Sentence]) -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for sentence in sentences:
        cited.setdefault(sentence.section, set()).update(sentence.cited)
    return cited


def reference_anchors(references_source: str = None) -> set[str]:
    text = references_source if references_source is not None else REFERENCES.read_text(encoding="utf-8")
    return set(re.findall(r"^#{1,6}\s.*\{\s*#([\w-]+)\s*\}\s*$", text, flags=re.M))


def check_claims(claims: list[dict], pages: dict[str, str], anchors: set[str]) -> list[str]:
    """Every problem with the claims table against the pages' sources (page -> Markdown)."""
    problems = []
    sentences = {page: page_sentences(page, source) for page, source in pages.items()}
    for claim in claims:
        page, phrase = claim["page"], normalize(claim["phrase"])
        label = f"{page}: '{claim['phrase']}'"
        if page not in pages:
            problems.append(f"{label}: the page does not exist")
            continue
        matches = [sentence for sentence in sentences[page] if phrase in normalize(sentence.text)]
        if not matches:
            problems.append(f"{label}: no sentence of the page contains this phrase")
            continue
        sources, basis = claim.get("sources") or [], claim.get("basis")
        if bool(sources) == bool(basis):
            problems.append(f"{label}: give either sources or a basis, not both or neither")
        for anchor in sources:
            if anchor not in anchors:
                problems.append(f"{label}: source '{anchor}' is not on the references page")
            in_section = section_citations(sentences[page]).get(matches[0].section, set())
            if not any(anchor in match.cited or anchor in section_citations(sentences[page])[match.section]
                       for match in matches):
                problems.append(f"{label}: rests on '{anchor}', but neither the sentence nor its section "
                                f"('{matches[0].section}', which cites {sorted(in_section) or 'nothing'}) cites it")
        if basis:
            if basis not in BASES:
                problems.append(f"{label}: basis '{basis}' is not one of {sorted(BASES)}")
            else:
                match = matches[0]
                nearby = " ".join(s.text for s in sentences[page]
                                  if s.section == match.section or s.chapter == match.chapter)
                if not BASES[basis].search(nearby):
                    problems.append(f"{label}: basis '{basis}', but neither the sentence nor its section says so")
    return problems


def uncovered(claims: list[dict], pages: dict[str, str]) -> list[str]:
    """Clinical sentences of the pages that no claim's phrase covers."""
    phrases: dict[str, list[str]] = {}
    for claim in claims:
        phrases.setdefault(claim["page"], []).append(normalize(claim["phrase"]))
    return [f"{sentence.page}: {sentence.text}"
            for page, source in pages.items() for sentence in page_sentences(page, source)
            if sentence.is_clinical and not any(p in normalize(sentence.text) for p in phrases.get(page, []))]


def guide_pages() -> dict[str, str]:
    return {f"guide/{file.name}": file.read_text(encoding="utf-8") for file in sorted((DOCS / "guide").glob("*.md"))}


CLAIMS = yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the real guide

def test_the_claims_table_matches_the_pages_and_the_references_page():
    problems = check_claims(CLAIMS, guide_pages(), reference_anchors())
    assert problems == [], "\n".join(problems)


def test_every_clinical_sentence_of_the_guide_is_in_the_claims_table():
    missing = uncovered(CLAIMS, guide_pages())
    assert missing == [], ("clinical sentences with no claim in tests/claims.yml (add each with its page, "
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
