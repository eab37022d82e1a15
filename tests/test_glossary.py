"""The glossary (docs/guide/glossary.md) and the abbreviations appended to every page
(docs/.snippets/abbreviations.md, pymdownx.snippets auto_append in mkdocs.yml): each credential the
therapist finder uses and each listed term has a glossary entry and a definition on every page."""
from __future__ import annotations

import re

import pytest
import yaml

from tests.harness import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
SNIPPET = "docs/.snippets/abbreviations.md"
# Every credential the finder offers (issue 14), including state titles such as North Carolina's LMBT.
CREDENTIALS = ["LMT", "LMBT", "PT", "DPT", "PTA", "BCTMB", "OCS", "SCS", "CLT"]
TERMS = ["effleurage", "petrissage", "edema", "lymphedema", "contraindication", "direct access"]


def abbreviations() -> dict[str, str]:
    text = (PROJECT_ROOT / SNIPPET).read_text(encoding="utf-8")
    return dict(re.findall(r"^\*\[([^\]]+)\]:\s*(.+)$", text, flags=re.M))


def glossary_anchors() -> set[str]:
    text = (DOCS / "guide" / "glossary.md").read_text(encoding="utf-8")
    return set(re.findall(r"^#{2,4}\s.*\{\s*#([\w-]+)\s*\}\s*$", text, flags=re.M))


def test_the_snippet_is_appended_to_every_page():
    config = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    snippets = next(item["pymdownx.snippets"] for item in config["markdown_extensions"]
                    if isinstance(item, dict) and "pymdownx.snippets" in item)
    assert SNIPPET in snippets["auto_append"] and snippets.get("check_paths") is True
    assert "abbr" in config["markdown_extensions"]


@pytest.mark.parametrize("term", CREDENTIALS + TERMS)
def test_each_credential_and_term_has_a_definition_and_a_glossary_entry(term):
    assert abbreviations().get(term), f"{term} is not in {SNIPPET}"
    assert term.lower().replace(" ", "-") in glossary_anchors(), f"{term} has no entry in the glossary"


def test_capitalized_terms_have_the_same_definition():
    defined = abbreviations()
    for term in TERMS:
        capitalized = term[0].upper() + term[1:]
        assert defined.get(capitalized) == defined[term][0].upper() + defined[term][1:], capitalized


def test_built_pages_show_the_definitions(read_page):
    circulation = read_page("guide/circulation-and-swelling/")
    titles = {abbr.get_text(): abbr["title"] for abbr in circulation.select("article abbr[title]")}
    assert titles.get("CLT") == abbreviations()["CLT"]
    assert titles.get("edema") == abbreviations()["edema"]
    glossary = read_page("guide/glossary/")
    assert {f"#{anchor}" for anchor in ("lmbt", "bctmb", "ocs", "scs", "clt")} <= \
        {f"#{heading['id']}" for heading in glossary.select("article h3[id]")}
