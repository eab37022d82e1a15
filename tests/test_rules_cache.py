"""The rules' answers kept between runs (clinic_site/rules.py, `.cache/rules.json`): a page that did
not change is not read again, a changed one is, and a run that leaves a rule out (`--no-spelling`)
keeps that rule's answers for the next run instead of dropping them. The file is sealed with this
user's secret: a committed one that says a page has no mistakes is never read."""
from __future__ import annotations

import json
from types import SimpleNamespace

from clinic_site import rules
from clinic_site.problems import Problem
from clinic_site.project import write_sealed

SECRET = b"s" * 32


def _payload(file) -> dict:
    """The answers file's data, past its seal."""
    return json.loads(file.read_bytes().partition(b"\n")[2])


def _sources(**texts: str) -> dict:
    return {name: SimpleNamespace(readable=True, path=f"docs/{name}", text=text, meta={})
            for name, text in texts.items()}


def _run(file, rule: str, sources: dict, asked: list[str]) -> list[Problem]:
    """One run of `rule` over `sources` with the cache in `file`; each page the rule really reads
    is appended to `asked`."""
    cache = rules._Cache(file, "context", SECRET)

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
    kept = _payload(file)["answers"]
    assert sorted(key.partition(":")[0] for key in kept) == ["readability", "spelling"]


def test_a_deleted_page_drops_out_and_a_half_written_file_is_never_read(tmp_path):
    file, asked = tmp_path / "rules.json", []
    _run(file, "spelling", _sources(a="one", b="two"), asked)
    _run(file, "spelling", _sources(a="one"), asked)
    assert len(_payload(file)["answers"]) == 1
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
        assert rules._Cache(file, "context", SECRET).answers == {}
        _run(file, "spelling", _sources(a="one"), asked)
        assert not file.is_symlink(), "the link is replaced by the run's own file"
    assert asked == ["a", "a"]
    assert json.loads(elsewhere.read_text(encoding="utf-8")) == {"context": "context", "answers": {}}


def test_answers_no_one_sealed_or_of_another_shape_are_never_used(tmp_path):
    """A tester's: in a committed rules.json, a page's spelling answer set to [] made the check say
    "0 errors"; one set to [["x"]] gave a traceback. Neither reaches a run: a file this user's
    secret did not seal is not read, and a sealed one of another shape starts empty."""
    file, asked = tmp_path / "rules.json", []
    _run(file, "spelling", _sources(a="one"), asked)
    data = _payload(file)
    key = next(iter(data["answers"]))
    forged = {"context": "context", "answers": {key: []}}
    file.write_bytes(b"0" * 64 + b"\n" + json.dumps(forged).encode())
    assert len(_run(file, "spelling", _sources(a="one"), asked)) == 1 and asked == ["a", "a"]
    write_sealed(file, json.dumps(forged).encode(), b"t" * 32)   # sealed by someone else
    assert len(_run(file, "spelling", _sources(a="one"), asked)) == 1 and asked == ["a", "a", "a"]
    write_sealed(file, json.dumps({"context": "context", "answers": {key: [["x"]]}}).encode(), SECRET)
    assert len(_run(file, "spelling", _sources(a="one"), asked)) == 1 and asked == ["a", "a", "a", "a"]
    assert rules._Cache(file, "context", None).answers == {}   # no secret: nothing kept or read
