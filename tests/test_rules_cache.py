"""The rules' answers kept between runs (clinic_site/rules.py, `.cache/rules.json`): a page that did
not change is not read again, a changed one is, and a run that leaves a rule out (`--no-spelling`)
keeps that rule's answers for the next run instead of dropping them."""
from __future__ import annotations

import json
from types import SimpleNamespace

from clinic_site import rules
from clinic_site.problems import Problem


def _sources(**texts: str) -> dict:
    return {name: SimpleNamespace(readable=True, path=f"docs/{name}", text=text, meta={})
            for name, text in texts.items()}


def _run(file, rule: str, sources: dict, asked: list[str]) -> list[Problem]:
    """One run of `rule` over `sources` with the cache in `file`; each page the rule really reads
    is appended to `asked`."""
    cache = rules._Cache(file, "context")

    def check(src_uri, source):
        asked.append(src_uri)
        return [Problem(source.path, 1, "", f"{rule} said so", "")]

    found = rules._per_page(rule, sources, check, cache)
    cache.save()
    return found


def test_an_unchanged_page_is_answered_from_the_cache_and_a_changed_one_is_read(tmp_path):
    file, asked = tmp_path / "rules.json", []
    first = _run(file, "spelling", _sources(a="one", b="two"), asked)
    assert asked == ["a", "b"]
    again = _run(file, "spelling", _sources(a="one", b="two, changed"), asked)
    assert asked == ["a", "b", "b"]
    assert [str(problem) for problem in again] == [str(problem) for problem in first]


def test_a_run_without_a_rule_keeps_that_rules_answers(tmp_path):
    file, asked = tmp_path / "rules.json", []
    _run(file, "spelling", _sources(a="one"), asked)
    _run(file, "readability", _sources(a="one"), asked)   # as `clinic check --no-spelling` runs
    assert asked == ["a", "a"]
    _run(file, "spelling", _sources(a="one"), asked)
    assert asked == ["a", "a"], "the spelling answer was dropped by the run that left spelling out"
    kept = json.loads(file.read_text(encoding="utf-8"))["answers"]
    assert sorted(key.partition(":")[0] for key in kept) == ["readability", "spelling"]


def test_a_deleted_page_drops_out_and_a_half_written_file_is_never_read(tmp_path):
    file, asked = tmp_path / "rules.json", []
    _run(file, "spelling", _sources(a="one", b="two"), asked)
    _run(file, "spelling", _sources(a="one"), asked)
    assert len(json.loads(file.read_text(encoding="utf-8"))["answers"]) == 1
    assert not list(tmp_path.glob("*.tmp")), "the file is written under another name, then renamed"
    file.write_text('{"context": "context", "answers": {"spelling:', encoding="utf-8")
    _run(file, "spelling", _sources(a="one"), asked)
    assert asked == ["a", "b", "a"], "an unreadable cache starts empty"


def test_a_link_or_device_committed_as_the_cache_is_not_read(tmp_path):
    """A contributor commits rules.json as a link to /dev/zero (read without end) or to a file
    elsewhere: the run starts empty and reads the pages, never the link's target."""
    asked: list[str] = []
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"context": "context", "answers": {}}), encoding="utf-8")
    for target in ("/dev/zero", str(elsewhere)):
        file = tmp_path / f"rules-{len(asked)}.json"
        file.symlink_to(target)
        assert rules._Cache(file, "context").answers == {}
        _run(file, "spelling", _sources(a="one"), asked)
        assert not file.is_symlink(), "the link is replaced by the run's own file"
    assert asked == ["a", "a"]
    assert json.loads(elsewhere.read_text(encoding="utf-8")) == {"context": "context", "answers": {}}
