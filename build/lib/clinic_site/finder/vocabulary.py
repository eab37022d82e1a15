"""The finder's controlled vocabularies (credentials, specialties, payment options, languages),
read and checked from docs/therapists/vocabulary.yml, the file staff edit to add a term."""
from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from pathlib import Path

import yaml

from clinic_site.finder import datafile
from clinic_site.problems import Problem

CODE = re.compile(r"^[A-Za-z0-9]+$")
# list name in the file -> the noun for one term, as messages use it
LISTS = {"credentials": "credential", "specialties": "specialty", "payment": "payment option",
         "languages": "language"}
PT_KEY = "physical_therapy_credentials"


@dataclasses.dataclass(frozen=True)
class Terms:
    """One controlled list: its codes and labels in the file's order.

    Listings may name a term by its label or its code, in any case; credentials are
    written by their code only (LMT, PT), as on a license."""

    name: str                      # "specialties"
    noun: str                      # "specialty"
    labels: dict[str, str]         # code -> label, in the file's order
    by_label: bool = True

    @functools.cached_property
    def lookup(self) -> dict[str, str]:
        """What a listing may write, lowercased -> code."""
        found = {label.lower(): code for code, label in self.labels.items()} if self.by_label else {}
        found.update({code.lower(): code for code in self.labels})
        return found

    @functools.cached_property
    def choices(self) -> list[str]:
        """What staff are told to write: the labels (or codes, for credentials)."""
        return list(self.labels.values()) if self.by_label else list(self.labels)

    def join(self, codes) -> str:
        """The labels of `codes`, joined with commas, as pages show them."""
        return ", ".join(self.labels[code] for code in codes)

    def nearest(self, text: str) -> str | None:
        """The choice closest to a misspelled term, or None."""
        lookup = self.lookup
        near = difflib.get_close_matches(text.lower(), list(lookup), n=1, cutoff=0.6)
        return (self.labels[lookup[near[0]]] if self.by_label else lookup[near[0]]) if near else None


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """Every controlled list, and which credentials make a license a physical-therapy one."""

    credentials: Terms
    specialties: Terms
    payment: Terms
    languages: Terms
    physical_therapy_credentials: frozenset[str]
    shown: str = "docs/therapists/vocabulary.yml"   # the file, as staff see it (for messages)

    def terms(self, name: str) -> Terms:
        """The list called `name` in the file ("specialties")."""
        return getattr(self, name)


def load_vocabulary(file: Path, shown: str) -> tuple[Vocabulary | None, list[Problem]]:
    """Read and check the vocabulary file: (the vocabulary, []) or (None, its problems).

    Rules: the four lists are there, each a mapping of `code: label`; a code is letters and
    digits (the directory's filters put codes in URLs and attributes); neither codes nor
    labels repeat within a list, in any case; physical_therapy_credentials lists credential codes."""
    text, problems = datafile.read_text(file, shown, "vocabulary",
                                        "restore docs/therapists/vocabulary.yml from the repository, or set "
                                        "extra.finder.vocabulary in mkdocs.yml to where it is")
    if text is None:
        return None, problems
    root, problems = datafile.compose(text, shown)
    if problems:
        return None, problems
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(shown, 1, "", "the file must be lists of `code: label` lines under "
                              "credentials:, specialties:, payment: and languages:",
                              "restore it from the repository and add terms as its comments say")]
    sections = {datafile.value(key): (key, node) for key, node in datafile.mapping_items(root)}
    lists = {}
    for name, noun in LISTS.items():
        if name not in sections:
            problems.append(Problem(shown, 1, name, "is missing", f"add the list `{name}:` with one "
                                    f"`code: label` line per {noun}, as in the repository's copy"))
            continue
        terms, found = _read_terms(name, noun, *sections[name], shown)
        problems += found
        lists[name] = terms
    for key, (key_node, _node) in sections.items():
        if key not in LISTS and key != PT_KEY:
            problems.append(Problem(shown, datafile.line_of(key_node), str(key), "is not a list the finder uses",
                                    f"use one of: {', '.join(LISTS)}, {PT_KEY}"))
    pt_codes, found = _read_pt(sections.get(PT_KEY), lists.get("credentials"), shown)
    problems += found
    if problems:
        return None, problems
    return Vocabulary(**lists, physical_therapy_credentials=pt_codes, shown=shown), []


def _read_terms(name: str, noun: str, key_node, node, shown: str) -> tuple[Terms, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return Terms(name, noun, {}), [Problem(
            shown, datafile.line_of(key_node), name, "must be `code: label` lines, one per " + noun,
            "indent each term under it by two spaces, like `  lymph: lymphatic drainage`")]
    labels: dict[str, str] = {}
    seen: dict[str, tuple[str, int]] = {}   # lowercased code or label -> (its term's code, line)
    for code_node, label_node in node.value:
        line = datafile.line_of(code_node)
        code, label = datafile.value(code_node), datafile.value(label_node)
        field = f"{name}.{code}"
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(Problem(shown, line, name, f"the code '{code_node.value}' is not letters and digits",
                                    "use a short code of letters and digits; put it in quotes if it is a word "
                                    "YAML reads as true, false or a number (like 'no' or 'on')"))
            continue
        if not isinstance(label, str) or not label.strip():
            problems.append(Problem(shown, line, field, "has no label",
                                    f"write the {noun} as visitors should read it after the colon, "
                                    f"like `{code}: ...`"))
            continue
        label = " ".join(label.split())
        for word, kind in ((code, "code"), (label, "label")):
            if word.lower() in seen and not (kind == "label" and word.lower() == code.lower()):
                other, other_line = seen[word.lower()]
                problems.append(Problem(shown, line, field, f"the {kind} '{word}' is already used by {other} "
                                        f"on line {other_line}", f"give each {noun} its own code and label"))
        seen.setdefault(code.lower(), (code, line))
        seen.setdefault(label.lower(), (code, line))
        labels[code] = label
    return Terms(name, noun, labels, by_label=name != "credentials"), problems


def _read_pt(entry, credentials: Terms | None, shown: str) -> tuple[frozenset[str], list[Problem]]:
    fix = "list the codes of physical-therapy credentials, like `physical_therapy_credentials: [PT, DPT, PTA]`"
    if entry is None:
        return frozenset(), [Problem(shown, 1, PT_KEY, "is missing", fix)]
    key_node, node = entry
    codes = datafile.value(node)
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        return frozenset(), [Problem(shown, datafile.line_of(key_node), PT_KEY,
                                     "must be a list of credential codes", fix)]
    unknown = [code for code in codes if credentials is not None and code not in credentials.labels]
    if unknown:
        return frozenset(), [Problem(shown, datafile.line_of(key_node), PT_KEY,
                                     f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in credentials",
                                     "use codes listed under credentials: (add the credential there first)")]
    return frozenset(codes), []


@functools.cache
def project_vocabulary(file: Path) -> Vocabulary:
    """The vocabulary in `file` (a project's docs/therapists/vocabulary.yml), for tools that work
    outside a build (new_listing, the synthetic listings). Raises ValueError with the problems
    when the file is not valid."""
    vocabulary, problems = load_vocabulary(file, str(file))
    if vocabulary is None:
        raise ValueError("\n".join(str(problem) for problem in problems))
    return vocabulary
