"""Rules over the text of the pages as a whole, run by every run (build, preview and check alike):
the spell check, the reading grade of the guide and health posts, and the claims table.

Each is an error: what they guard (words a patient can read, a grade-6 guide, every clinical
claim backed by a checked source) is part of what the site promises, and the build and the
check must agree (issue 19). `clinic check --no-spelling` and `clinic build --no-spelling`
leave the spell check out, for a quick run.

A page's spelling and reading-grade problems depend only on its text and on the word lists, so
they are kept in the project's cache (`.cache/rules.json`, by a hash of each page's text and of
everything else they read): a page that did not change since the last run is not read again.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from clinic_site import readability, spelling
from clinic_site.problems import Problem
from clinic_site.project import read_sealed, user_secret, write_sealed

CACHE_FILE = "rules.json"   # in the project's .cache/
RULES_VERSION = "2"         # raise when a rule's words or logic change, so old answers are not reused


def source_rules(run) -> list[Problem]:
    """Every problem of these rules for the run's project (clinic_site.pipeline.Run)."""
    staged = run.staged
    if staged is None:
        return []
    docs_dir, docs_path = staged.settings.docs_dir, staged.settings.docs_path
    cache = _Cache(run.project.cache_dir / CACHE_FILE, _context(docs_dir), user_secret(run.project.root))
    problems: list[Problem] = []
    if run.spelling:
        problems += spelling_problems(docs_dir, docs_path, staged.sources, cache)
    problems += readability_problems(staged.sources, cache)
    from clinic_site import claims
    problems += claims.problems(staged.settings, staged.sources)
    cache.save()
    return problems


def spelling_problems(docs_dir, docs_path: str, sources: dict, cache: _Cache | None = None) -> list[Problem]:
    """The spell check over every page as read (US English; the project's word list and shorthand)."""
    loaded: dict = {}
    judged: dict = {}   # each word's verdict, once for the whole run

    def check(src_uri: str, source) -> list[Problem]:
        if not loaded:
            loaded["words"] = spelling.load_word_list(docs_dir / spelling.WORD_LIST_NAME)
            loaded["shorthands"] = spelling.load_shorthands(docs_dir)
        found = []
        for misspelling in spelling.find_misspellings(f"{docs_path}/{src_uri}", source.text, loaded["words"],
                                                      shorthands=loaded["shorthands"], judged=judged):
            if misspelling.word == "TODO":
                continue  # the page rules name placeholders
            prefix = f"{misspelling.path}, line {misspelling.line}: "
            what, _, fix = misspelling.message().removeprefix(prefix).partition("; ")
            found.append(Problem(source.path, misspelling.line, "", what, fix))
        return found

    return _per_page("spelling", sources, check, cache)


def readability_problems(sources: dict, cache: _Cache | None = None) -> list[Problem]:
    """Guide pages and health posts over their reading grade, each on the line of its hardest sentence."""
    def check(src_uri: str, source) -> list[Problem]:
        given = source.meta.get("categories")
        categories = tuple(map(str, given)) if isinstance(given, list) else ()
        health_post = "/posts/" in src_uri and bool(set(categories) & set(readability.HEALTH_POST_CATEGORIES))
        if not (src_uri.startswith("guide/") or health_post):
            return []
        report = readability.page_report(source.path, source.text, categories)
        if not readability.over_limit([report]):
            return []
        ranked = report.hardest(1)   # empty when every sentence is too short to rank (a one-line page)
        hardest = ranked[0].text if ranked else ""
        line = next((number for number, text in enumerate(source.text.splitlines(), start=1)
                     if hardest[:40] and hardest[:40] in text), 1)
        message = readability.failure_message(report).removeprefix(f"{report.path} ")
        what, _, fix = message.partition(": shorten")
        return [Problem(source.path, line, "", what, "shorten" + fix if fix else "")]

    return _per_page("readability", sources, check, cache)


def _per_page(rule: str, sources: dict, check: Callable, cache: _Cache | None) -> list[Problem]:
    """`check(src_uri, source)` for every readable page, answered from `cache` where the page's
    text is the one the cache saw."""
    found: list[Problem] = []
    if cache is not None:
        cache.ran.add(rule)
    for src_uri, source in sources.items():
        if not source.readable:
            continue
        key = f"{rule}:" + hashlib.blake2b(f"{source.path}\0{source.text}".encode(), digest_size=16).hexdigest()
        known = cache.get(key) if cache is not None else None
        if known is None:
            known = check(src_uri, source)
            if cache is not None:
                cache.put(key, known)
        found += known
    return found


def _context(docs_dir: Path) -> str:
    """What every answer also depends on: the rules' version, the word list, the shorthand and
    the abbreviations (a change in any of them makes every answer new)."""
    digest = hashlib.blake2b(RULES_VERSION.encode(), digest_size=16)
    for file in (docs_dir / spelling.WORD_LIST_NAME, spelling.SHORTHAND_LIST, docs_dir / spelling.ABBREVIATIONS,
                 Path(spelling.__file__), Path(readability.__file__)):
        digest.update(file.read_bytes() if file.is_file() else b"-")
    return digest.hexdigest()


class _Cache:
    """Answers of earlier runs, {key: problems}, in one JSON file sealed with this user's `secret`
    (project.write_sealed: a committed file that says a page has no spelling mistakes is never
    read); unsealed, unreadable, of another shape or from other word lists, it starts empty. With
    no secret (project.user_secret), nothing is kept."""

    def __init__(self, file: Path, context: str, secret: bytes | None):
        self.file, self.context, self.secret, self.changed = file, context, secret, False
        payload = read_sealed(file, secret) if secret is not None else None
        try:
            data = json.loads(payload or b"{}")
            answers = data["answers"] if data.get("context") == context else {}
            self.answers: dict = answers if all(_shaped(found) for found in answers.values()) else {}
        except (ValueError, RecursionError, KeyError, TypeError, AttributeError):
            self.answers = {}
        self.used: dict = {}
        self.ran: set[str] = set()   # the rules this run asked about

    def get(self, key: str) -> list[Problem] | None:
        found = self.answers.get(key)
        if found is None:
            return None
        self.used[key] = found
        return [Problem(*item) for item in found]

    def put(self, key: str, problems: list[Problem]) -> None:
        self.used[key] = [[p.path, p.line, p.field, p.what, p.fix, p.severity] for p in problems]
        self.changed = True

    def save(self) -> None:
        """Keep the answers this run used (pages since deleted drop out) and those of the rules it did
        not run (a `--no-spelling` check keeps the spelling answers for the next build). Written
        whole under another name, then renamed: a run reading it at the same time never sees half."""
        kept = {key: found for key, found in self.answers.items() if key.partition(":")[0] not in self.ran}
        answers = {**kept, **self.used}
        if self.secret is None or (not self.changed and answers.keys() == self.answers.keys()):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_sealed(self.file, json.dumps({"context": self.context, "answers": answers}).encode("utf-8"),
                         self.secret)
        except OSError:
            pass   # a read-only checkout: the next run reads the pages again


def _shaped(found: object) -> bool:
    """An answer as put() writes it: a list of [path, line, field, what, fix, severity]."""
    return isinstance(found, list) and all(
        isinstance(item, list) and len(item) == 6 and isinstance(item[1], int)
        and all(isinstance(item[index], str) for index in (0, 2, 3, 4, 5)) for item in found)
