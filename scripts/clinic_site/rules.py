"""Rules over the text of the pages as a whole, run by every run (build, preview and check alike):
the spell check, the reading grade of the guide and health posts, and the claims table.

Each is an error: what they guard (words a patient can read, a grade-6 guide, every clinical
claim backed by a checked source) is part of what the site promises, and the build and the
check must agree (issue 19). `clinic check --no-spelling` and `clinic build --no-spelling`
leave the spell check out, for a quick run.
"""
from __future__ import annotations

from clinic_site import readability, spelling
from clinic_site.problems import Problem


def source_rules(run) -> list[Problem]:
    """Every problem of these rules for the run's project (clinic_site.pipeline.Run)."""
    staged = run.staged
    if staged is None:
        return []
    docs_dir, docs_path = staged.settings.docs_dir, staged.settings.docs_path
    problems: list[Problem] = []
    if run.spelling:
        problems += spelling_problems(docs_dir, docs_path, staged.sources)
    problems += readability_problems(staged.sources)
    from clinic_site import claims
    problems += claims.problems(staged.settings, staged.sources)
    return problems


def spelling_problems(docs_dir, docs_path: str, sources: dict) -> list[Problem]:
    """The spell check over every page as read (US English; the project's word list and shorthand)."""
    project_words = spelling.load_word_list(docs_dir / spelling.WORD_LIST_NAME)
    shorthands = spelling.load_shorthands(docs_dir)
    found = []
    judged: dict = {}   # each word's verdict, once for the whole run
    for src_uri, source in sources.items():
        if not source.readable:
            continue
        for misspelling in spelling.find_misspellings(f"{docs_path}/{src_uri}", source.text, project_words,
                                                      shorthands=shorthands, judged=judged):
            if misspelling.word == "TODO":
                continue  # the page rules name placeholders
            prefix = f"{misspelling.path}, line {misspelling.line}: "
            what, _, fix = misspelling.message().removeprefix(prefix).partition("; ")
            found.append(Problem(source.path, misspelling.line, "", what, fix))
    return found


def readability_problems(sources: dict) -> list[Problem]:
    """Guide pages and health posts over their reading grade, each on the line of its hardest sentence."""
    problems = []
    for src_uri, source in sources.items():
        given = source.meta.get("categories") if source.readable else None
        categories = tuple(map(str, given)) if isinstance(given, list) else ()
        health_post = "/posts/" in src_uri and bool(set(categories) & set(readability.HEALTH_POST_CATEGORIES))
        if not source.readable or not (src_uri.startswith("guide/") or health_post):
            continue
        report = readability.page_report(source.path, source.text, categories)
        if not readability.over_limit([report]):
            continue
        hardest = report.hardest(1)[0].text if report.sentences else ""
        line = next((number for number, text in enumerate(source.text.splitlines(), start=1)
                     if hardest[:40] and hardest[:40] in text), 1)
        message = readability.failure_message(report).removeprefix(f"{report.path} ")
        what, _, fix = message.partition(": shorten")
        problems.append(Problem(source.path, line, "", what, "shorten" + fix if fix else ""))
    return problems
