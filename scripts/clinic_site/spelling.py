"""Spell check of the site's Markdown prose in US English, offline.

Checks every Markdown file under docs/: the text a reader sees, plus the front
matter title and description (they show in search results). URLs, code, HTML
tags, link targets, anchors, numbers and author initials in citations are skipped. Words are looked up in
pyspellchecker's English word list (shipped inside the package, so nothing is
downloaded) and in the project's own list, docs/.spelling-words.txt.

Clinical shorthand (post-op, pre-op, PT, ROM, ADLs ...) is accepted without anyone adding it
by hand: every abbreviation the site defines in docs/.snippets/abbreviations.md (the
`*[LMT]: ...` lines: a word the site explains is a word), and the common shorthands listed,
with their meanings, in scripts/clinic_site/clinical_shorthand.txt. How a word matches them:
`is_shorthand`. A hyphenated shorthand (post-op) is checked whole, not as "post" and "op".

Run from the project root:  .venv/bin/python scripts/clinic_site/spelling.py
It prints one line per unknown word, with the file, the line and a suggestion,
and exits with status 1 when it finds any.
"""
from __future__ import annotations

import argparse
import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

WORD_LIST_NAME = ".spelling-words.txt"   # in docs/: the project's own words
SHORTHAND_LIST = Path(__file__).with_name("clinical_shorthand.txt")
ABBREVIATIONS = Path(".snippets") / "abbreviations.md"   # under docs/
_ABBREVIATION = re.compile(r"^\*\[([^\]]+)\]:", re.M)
CHECKED_FRONT_MATTER_KEYS = ("title", "description")
# Two-edit suggestions grow with the square of a word's length; past this length
# they take most of a run's time, so longer words get one-edit suggestions only.
MAX_LENGTH_FOR_TWO_EDITS = 8

# British spellings to flag even where pyspellchecker's English list knows them
# (it has "practise", "licence", "grey", "travelled", "haemorrhage" ...), and to
# suggest the US form for those it does not. Each pattern must match a whole
# word; the replacement gives the US spelling, inflections included.
BRITISH_SPELLINGS: list[tuple[str, str]] = [
    # colour, behaviour, favourite, tumours, honourable ...
    (r"(arm|behavi|col|endeav|fav|flav|hon|hum|harb|lab|neighb|od|rig|rum|sav|tum|vap|vig)our(.*)", r"\1or\2"),
    # organise, recognised, minimising, specialisation ... (not "specialist", "emphasis")
    (r"(apologi|authori|categori|characteri|critici|emphasi|finali|generali|immobili|individuali|maximi"
     r"|memori|minimi|mobili|normali|optimi|organi|personali|prioriti|randomi|reali|recogni|speciali"
     r"|stabili|standardi|sterili|summari|utili|visuali)s(e|es|ed|ing|ation|ations)", r"\1z\2"),
    (r"(analy|catal|paraly)s(e|ed|ing)", r"\1z\2"),                   # analyse (not "analyses": US plural)
    (r"(cent|fib|lit|met|theat)re(s?)", r"\1er\2"),                   # centre -> center
    (r"(cent|fib)red", r"\1ered"),
    (r"(def|off|pret)ence(s?)", r"\1ense\2"),                         # defence -> defense
    (r"licence(s?)", r"license\1"),
    (r"practis(e|es|ed|ing)", r"practic\1"),                          # the verb is "practice" in US English
    (r"(cancel|counsel|label|level|model|travel)l(ed|ing|er|ers|or|ors)", r"\1\2"),
    (r"(catalog|analog)ue(s?)", r"\1\2"),
    (r"programme(s?)", r"program\1"),
    (r"grey(s?|ish)", r"gray\1"),
    (r"ageing", r"aging"),
    (r"judgement(s?)", r"judgment\1"),
    (r"(fulfil|enrol)(s?|ment|ments)", r"\1l\2"),
    (r"(skil|wil)ful(ly)?", r"\1lful\2"),
    (r"sceptic(al|ism|s)?", r"skeptic\1"),
    (r"whilst", r"while"),
    (r"learnt", r"learned"),
    (r"mould(s?|ed|ing|y)", r"mold\1"),
    (r"tyre(s?)", r"tire\1"),
    (r"manoeuvre(s?)", r"maneuver\1"),
    (r"aluminium", r"aluminum"),
    (r"cheque(s?)", r"check\1"),
    (r"jewellery", r"jewelry"),
    # Medical words: paediatric, orthopaedic, anaemia, haemorrhage, oedema ...
    (r"(ortho)?paed(.*)", r"\1ped\2"),
    (r"(gyn|encyclop)ae(.*)", r"\1e\2"),
    (r"(.*)aemi(a|as|c)", r"\1emi\2"),
    (r"anaesth(.*)", r"anesth\1"),
    (r"haem(.*)", r"hem\1"),
    (r"oe(dema|sophag|strogen)(.*)", r"e\1\2"),
    (r"(diarrh|dyspn|gonorrh)oea(.*)", r"\1ea\2"),
    (r"foet(al|us|uses)", r"fet\1"),
    (r"coeliac", r"celiac"),
]
_BRITISH = [(re.compile(pattern), us) for pattern, us in BRITISH_SPELLINGS]

_URL = re.compile(r"<?(?:https?://|www\.|mailto:)[^\s>)]*>?|\b[\w.+-]+@[\w-]+\.[\w.]+|\bdoi:\S+", re.I)
_INLINE_CODE = re.compile(r"`+[^`]*`+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]")    # ](target) and ][label]: keep the link's text
_LINK_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s+\S+")    # [label]: https://...
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]*\]")
_ATTRIBUTES = re.compile(r"\{\s*[:#.][^}]*\}")             # {#anchor} and {: .class }
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!--.*?-->")
_ENTITY = re.compile(r"&#?\w+;")
_FILE_NAME = re.compile(r"\b[\w./-]+\.(?:md|ya?ml|html?|py|txt|json|png|svg|jpe?g|css|js|xml)\b", re.I)
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|gov|edu|net|io)\b", re.I)   # link text like nccih.nih.gov
# Author initials in citations ("Furlan AD, Giraldo M."): not words, and a typo in
# them cannot be told from the right ones.
_AUTHOR_INITIALS = re.compile(r"\b([A-Z][\w'’-]*[a-z]) [A-Z]{1,4}(?=[,.])")
_TOKEN = re.compile(r"[\w'’-]+")


def plain_text(line: str) -> str:
    """A Markdown line as the words a reader sees: no code, URLs, tags, link targets or anchors."""
    if _LINK_DEFINITION.match(line):
        return ""
    for pattern in (_INLINE_CODE, _HTML_TAG, _URL, _LINK_TARGET, _FOOTNOTE_REF, _ATTRIBUTES, _ENTITY,
                    _FILE_NAME, _DOMAIN):
        line = pattern.sub(" ", line)
    return _AUTHOR_INITIALS.sub(r"\1", line)


_INCLUDE = re.compile(r"^-+8<-+(\s+\S.*)?$")   # pymdownx.snippets: `--8<-- "file"`, or a block's marker


def markdown_lines(source: str, front_matter_keys=CHECKED_FRONT_MATTER_KEYS) -> list[tuple[int, str]]:
    """(line number, raw line) of the prose lines: the front matter's `front_matter_keys`
    values, then the body without code blocks, HTML comments and include lines (`--8<-- "file"`
    and the file names of an include block name files, they are not prose)."""
    lines = source.splitlines()
    body_start = _front_matter_end(lines)
    kept = _front_matter_values(lines[:body_start], front_matter_keys)
    fence = None
    in_comment = in_includes = False
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        stripped = line.strip()
        include = _INCLUDE.match(stripped)
        if include or in_includes:
            in_includes = in_includes != bool(include and not include.group(1))   # a bare marker opens or closes
            continue
        if fence:
            fence = None if stripped.startswith(fence) else fence
            continue
        if in_comment:
            in_comment = "-->" not in stripped
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            continue
        kept.append((number, line))
    return kept


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first body line: just after the closing `---`, or 0 without front matter."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return index + 1
    return 0


def _front_matter_values(front_matter: list[str], keys) -> list[tuple[int, str]]:
    """The lines holding the values of `keys`, with folded (indented) continuation lines."""
    kept, in_key = [], False
    for number, line in enumerate(front_matter, start=1):
        key = re.match(r"([\w-]+)\s*:(.*)", line)
        if key:
            in_key = key.group(1) in keys
            if in_key:
                kept.append((number, key.group(2)))
        elif in_key and line.startswith((" ", "\t")):
            kept.append((number, line))
        else:
            in_key = False
    return kept


def words_in(text: str, shorthands: frozenset[str] = frozenset()) -> list[str]:
    """The words of plain text to look up: no numbers, no words glued to digits
    (NG59, 16s), hyphenated words split unless the whole is one of `shorthands` (post-op),
    possessive 's dropped."""
    words = []
    for token in _TOKEN.findall(text.replace("’", "'")):
        if any(character.isdigit() for character in token):
            continue
        whole = re.sub(r"'s$|'$", "", token.strip("'_-"))
        if "-" in whole and is_shorthand(whole, shorthands):
            words.append(whole)
            continue
        for part in token.split("-"):
            part = re.sub(r"'s$|'$", "", part.strip("'_"))
            if len(part) > 1 and part.replace("'", "").isalpha():
                words.append(part)
    return words


@functools.lru_cache(maxsize=1 << 16)
def us_spelling(word: str) -> str | None:
    """The US spelling when `word` is a British one (colour -> color), else None."""
    lower = word.lower()
    for pattern, us in _BRITISH:
        match = pattern.fullmatch(lower)
        if match:
            return match.expand(us)
    return None


def load_word_list(path: Path) -> set[str]:
    """The project's words, lowercased: one a line, # starts a comment."""
    if not path.is_file():
        return set()
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {word.lower() for word in words if word}


def is_shorthand(word: str, shorthands: frozenset[str]) -> bool:
    """Whether `word` is one of `shorthands` as written, with a capital first letter
    ("Post-op"), or, for one in capitals, with a plural "s" ("ADLs", "PTs")."""
    if word in shorthands or word[:1].lower() + word[1:] in shorthands:
        return True
    return word.endswith("s") and word[:-1] in shorthands and word[:-1].isupper()


def load_shorthands(docs_dir: Path, shorthand_list: Path = SHORTHAND_LIST) -> frozenset[str]:
    """The clinical shorthand the check accepts: the lines of `shorthand_list` ("#" starts a
    comment) and the abbreviations defined in `docs_dir`/.snippets/abbreviations.md
    (`*[LMT]: Licensed Massage Therapist`; several words in one abbreviation count one by one).
    A missing file adds nothing."""
    found: set[str] = set()
    if shorthand_list.is_file():
        lines = shorthand_list.read_text(encoding="utf-8").splitlines()
        found |= {word for word in (line.split("#", 1)[0].strip() for line in lines) if word}
    abbreviations = docs_dir / ABBREVIATIONS
    if abbreviations.is_file():
        for term in _ABBREVIATION.findall(abbreviations.read_text(encoding="utf-8")):
            found |= set(term.split())
    return frozenset(found)


@functools.cache
@functools.cache
def english_dictionary():
    """pyspellchecker's English word list, read from the installed package (no network)."""
    from spellchecker import SpellChecker
    return SpellChecker(language="en", distance=2)


@dataclass(frozen=True)
class Misspelling:
    path: str
    line: int
    word: str
    suggestion: str | None
    british: bool = False

    def message(self) -> str:
        where = f"{self.path}, line {self.line}: '{self.word}'"
        if self.british:
            return (f"{where} — British spelling; use the US spelling '{self.suggestion}'. "
                    f"If it is a name or title that must stay as written, add it to docs/{WORD_LIST_NAME}")
        advice = f"did you mean '{self.suggestion}'? " if self.suggestion else ""
        return (f"{where} — not in the dictionary; {advice}"
                f"If the word is right, add it to docs/{WORD_LIST_NAME}")


def check_word(word: str, project_words: set[str], dictionary,
               shorthands: frozenset[str] = frozenset()) -> tuple[str | None, bool] | None:
    """None when the word is fine, else (suggestion, is_british)."""
    lower = word.lower()
    if lower in project_words or is_shorthand(word, shorthands):
        return None
    us = us_spelling(lower)
    if us:
        return us, True
    if lower in dictionary or lower.replace("'", "") in dictionary:
        return None
    return suggest(lower, project_words, dictionary), False


@functools.lru_cache(maxsize=4096)
def _suggest_cached(word: str, project_words: frozenset[str], dictionary) -> str | None:
    close_project_words = sorted(w for w in project_words if _edit_distance_at_most_2(word, w))
    if close_project_words:
        return min(close_project_words, key=lambda w: _edit_distance(word, w))
    candidates = dictionary.known(dictionary.edit_distance_1(word))
    if not candidates and len(word) <= MAX_LENGTH_FOR_TWO_EDITS:
        candidates = dictionary.known(dictionary.edit_distance_2(word))
    return max(sorted(candidates), key=dictionary.word_usage_frequency, default=None)


def suggest(word: str, project_words: set[str], dictionary) -> str | None:
    """The likeliest intended word: a close project word first (the field's terms), else
    the most common dictionary word one edit away (two for short words)."""
    return _suggest_cached(word.lower(), frozenset(project_words), dictionary)


def _edit_distance_at_most_2(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) <= 2 and _edit_distance(a, b) <= 2


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def find_misspellings(path: str, source: str, project_words: set[str], dictionary=None,
                      shorthands: frozenset[str] = frozenset(), judged: dict | None = None) -> list[Misspelling]:
    """Every unknown or British word in one Markdown file's prose, with its line. `shorthands`:
    the clinical shorthand accepted (`load_shorthands` of the project's docs/); `judged`: each word
    already looked up with the same words and shorthands, and its verdict (a run passes one dict
    for all its pages: pages share most of their words)."""
    dictionary = dictionary if dictionary is not None else english_dictionary()
    judged = {} if judged is None else judged
    found = []
    for number, line in markdown_lines(source):
        for word in words_in(plain_text(line), shorthands):
            if word not in judged:
                judged[word] = check_word(word, project_words, dictionary, shorthands)
            problem = judged[word]
            if problem:
                found.append(Misspelling(path, number, word, *problem))
    return found


def markdown_files(docs_dir: Path) -> list[Path]:
    return sorted(docs_dir.rglob("*.md"))


def check_docs(docs_dir: Path, word_list: Path | None = None) -> list[Misspelling]:
    """Every unknown word of every Markdown file under `docs_dir` (word list: docs/.spelling-words.txt)."""
    word_list = word_list or docs_dir / WORD_LIST_NAME
    project_words = load_word_list(word_list)
    shorthands = load_shorthands(docs_dir)
    found = []
    for file in markdown_files(docs_dir):
        label = _display_path(file, docs_dir)
        found += find_misspellings(label, file.read_text(encoding="utf-8"), project_words,
                                   shorthands=shorthands)
    return found


def _display_path(file: Path, docs_dir: Path) -> str:
    """docs/guide/x.md, as staff see it in the repository."""
    return str(Path(docs_dir.name) / file.relative_to(docs_dir))


def _count(n: int, noun: str) -> str:
    """"1 word", "2 words": the count and its noun agree."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Exit status: 0 when every word is known, 1 otherwise.")
    parser.add_argument("--docs", type=Path, default=None, help="folder of Markdown files (default: docs/)")
    parser.add_argument("--words", type=Path, default=None,
                        help="the project word list (default: docs/.spelling-words.txt)")
    parser.add_argument("-f", "--config-file", default=None, help="the site's mkdocs.yml (default: found from here)")
    args = parser.parse_args(argv)
    if args.docs is None:
        from clinic_site.project import Project, Settings
        args.docs = Settings.read(Project.find(args.config_file))[0].docs_dir
    found = check_docs(args.docs, args.words)
    for misspelling in found:
        print(misspelling.message())
    files = _count(len(markdown_files(args.docs)), "Markdown file")
    print(f"{_count(len(found), 'word')} to fix in {files}." if found
          else f"Spelling: no unknown words in {files}.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
