"""The claims table: every clinical claim of the guide rests on a checked source, or says plainly
that it does not. A rule of every run (clinic_site.rules), so staff meet it in `clinic check` and
the build, not as a failed test.

docs/guide/claims.yml is the table (never published): each entry names a guide page, a phrase
from one of its sentences, and either the references-page anchors the sentence rests on
(`sources:`) or, for a sentence no checked source backs, the honest reason (`basis:`) that the
page itself must state.

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

The rules (`problems`):
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

from clinic_site import yamlfile
from clinic_site.problems import Problem
from clinic_site.readability import split_sentences

CLAIMS_FILE = "guide/claims.yml"     # inside docs/
REFERENCES_PAGE = "references.md"    # inside docs/

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


def reference_anchors(text: str) -> set[str]:
    """The anchors of the references page ("### Furlan 2015 {#furlan-2015}")."""
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


def problems(settings, sources: dict) -> list[Problem]:
    """Every problem of the claims table against the guide as read (sources by src_uri): a claim
    that no longer matches its page names the table's line; a clinical sentence no claim covers
    names the page's line, and says to add a claim."""
    docs_path = settings.docs_path
    table_file = settings.docs_dir / CLAIMS_FILE
    shown = f"{docs_path}/{CLAIMS_FILE}"
    guide = {uri: source.text for uri, source in sources.items() if uri.startswith("guide/") and source.readable}
    if not guide:
        return []
    if not table_file.is_file():
        return [Problem(shown, 1, "", "the claims table is missing",
                        "restore it: every clinical sentence of the guide needs an entry (see clinic_site/claims.py)")]
    claims, text, found = yamlfile.load_file(table_file, shown)
    if found or text is None:
        return found
    claims = claims or []
    if not isinstance(claims, list) or not all(isinstance(claim, dict) and "page" in claim and "phrase" in claim
                                               for claim in claims):
        return [Problem(shown, 1, "", "is not a list of claims with `page:` and `phrase:`",
                        "write each claim as `- page: guide/x.md` with `phrase:` and `sources:` or `basis:` below it")]
    references = sources.get(REFERENCES_PAGE)
    anchors = reference_anchors(references.text if references is not None else "")
    lines = text.splitlines()
    found = []
    for message in check_claims(claims, guide, anchors):
        phrase = message.split(": '", 1)[1].split("':", 1)[0] if ": '" in message else ""
        line = next((number for number, row in enumerate(lines, start=1) if phrase and phrase in row), 1)
        found.append(Problem(shown, line, "", message, "correct the claim, or the page it names"))
    for page, sentence in uncovered_sentences(claims, guide):
        source = sources[page]
        probe = sentence[:30]
        line = next((number for number, row in enumerate(source.text.splitlines(), start=1)
                     if probe and probe in plain(row)), 1)
        found.append(Problem(source.path, line, "", f"the clinical sentence '{sentence}' has no entry in the "
                             f"claims table", f"add one to {shown} with the page, a phrase from the sentence and "
                             "its sources (or a basis the page states), or cite a source for it"))
    for uri, source in sources.items():
        if not source.readable:
            continue
        cited = set(CITATION.findall(source.text))
        if uri == REFERENCES_PAGE:
            cited |= set(re.findall(r"\]\(#([\w-]+)\)", source.text))
        for anchor in sorted(cited - anchors):
            line = next((number for number, row in enumerate(source.text.splitlines(), start=1) if anchor in row), 1)
            found.append(Problem(source.path, line, "", f"cites '#{anchor}', which is not on the references page",
                                 "cite a source listed on docs/references.md, or add the checked source there"))
    return found


def uncovered_sentences(claims: list[dict], pages: dict[str, str]) -> list[tuple[str, str]]:
    """(page, sentence) for each clinical sentence no claim's phrase covers."""
    phrases: dict[str, list[str]] = {}
    for claim in claims:
        phrases.setdefault(claim["page"], []).append(normalize(claim["phrase"]))
    return [(page, sentence.text) for page, source in pages.items() for sentence in page_sentences(page, source)
            if sentence.is_clinical and not any(p in normalize(sentence.text) for p in phrases.get(page, []))]
