"""The post-build stage's readings kept between runs (scripts/clinic_site/postbuild/remembered.py,
`.cache/readings.json`): a page written exactly as before, with nothing found in it, is not read
again, and the site is the same byte for byte; a changed page, or one with a finding, is read
on every run; an entry made without this machine's secret vouches for nothing."""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from clinic_site import guard, published
from clinic_site.postbuild import remembered, site_search
from clinic_site.problems import ProblemsFound
from clinic_site.project import user_secret
from devtools.project_copy import copy_project
from tests import harness

CODE = guard.SiteCode(scripts=frozenset({"var a = 1"}), script_files=frozenset({"assets/x.js"}), host="example.org")
CLEAN = published.Reading(scripts={"var a = 1"}, ids={"top", "b"}, repeated={"b"}, refs=["../x/", "#top"],
                          script_files=["../assets/x.js"])
SEARCH = {"url": "guide/", "title": "Guide", "sections": [["", "Guide", "Rest helps."]], "weights": {"rest": 1},
          "length": 2}


def _get(readings: remembered.Readings, dest: str, text: str):
    return readings.get(readings.key(dest, text.encode("utf-8")), dest)


def _put(readings: remembered.Readings, dest: str, text: str, reading: published.Reading, search) -> None:
    readings.put(readings.key(dest, text.encode("utf-8")), dest, reading, search)


def _payload(file: Path) -> dict:
    """The data of a readings file: what follows its seal, the first line."""
    return json.loads(file.read_bytes().partition(b"\n")[2])


def _as_data(reading: published.Reading) -> tuple:
    return (reading.findings, reading.scripts, reading.styles, reading.ids, reading.repeated, reading.refs,
            reading.script_files)


def test_a_page_is_remembered_only_exactly_as_written_with_the_same_code_and_secret(tmp_path):
    file, key = tmp_path / "readings.json", b"k" * 32
    first = remembered.Readings(file, CODE, key)
    _put(first, "guide/index.html", "<p>page</p>", CLEAN, SEARCH)
    first.save()
    again = remembered.Readings(file, CODE, key)
    reading, search = _get(again, "guide/index.html", "<p>page</p>")
    assert _as_data(reading) == _as_data(CLEAN) and search == SEARCH and again.hits == 1
    page = ("guide/index.html", "<p>page</p>")
    changed = {
        "one character of the page": _get(remembered.Readings(file, CODE, key), "guide/index.html", "<p>page </p>"),
        "its place in the site": _get(remembered.Readings(file, CODE, key), "guide/x.html", "<p>page</p>"),
        "the site's own scripts": _get(remembered.Readings(file, guard.SiteCode(host="example.org"), key), *page),
        "the site's host": _get(remembered.Readings(file, dataclasses.replace(CODE, host="example.com"), key), *page),
        "the secret": _get(remembered.Readings(file, CODE, b"o" * 32), *page),
        "no secret": _get(remembered.Readings(file, CODE, None), *page),
    }
    assert {what: found for what, found in changed.items() if found is not None} == {}


def test_no_two_sites_codes_give_one_context():
    """Each input of the context digest is taken with its length: a NUL moved from the host into
    the root is another context."""
    one = remembered.Readings(Path("unused"), guard.SiteCode(root="/", host="a\0b"), None)
    other = remembered.Readings(Path("unused"), guard.SiteCode(root="/\0a", host="b"), None)
    assert one.context != other.context


def test_a_change_to_the_code_that_reads_pages_reads_every_page_again(tmp_path, monkeypatch):
    reader = tmp_path / "reader.py"
    reader.write_text("ELEMENTS = 'a p'\n", encoding="utf-8")
    monkeypatch.setattr(remembered, "READERS", (str(reader),))
    file, key = tmp_path / "readings.json", b"k" * 32
    first = remembered.Readings(file, CODE, key)
    _put(first, "a.html", "a", CLEAN, None)
    first.save()
    assert _get(remembered.Readings(file, CODE, key), "a.html", "a") is not None
    reader.write_text("ELEMENTS = 'a p iframe'\n", encoding="utf-8")
    assert _get(remembered.Readings(file, CODE, key), "a.html", "a") is None


def test_findings_are_remembered_as_read_and_a_run_keeps_only_its_own_pages(tmp_path):
    file, key = tmp_path / "readings.json", b"k" * 32
    first = remembered.Readings(file, CODE, key)
    _put(first, "a.html", "a", CLEAN, None)
    _put(first, "b.html", "b", CLEAN, None)
    _put(first, "bad.html", "bad", published.Reading(findings=[("holds an <iframe>", "<iframe")]), None)
    first.save()
    assert len(_payload(file)["pages"]) == 3
    second = remembered.Readings(file, CODE, key)
    assert _get(second, "bad.html", "bad")[0].findings == [("holds an <iframe>", "<iframe")]
    assert _get(second, "a.html", "a") is not None
    second.save()   # b.html was not built this time
    assert len(_payload(file)["pages"]) == 2
    assert not list(tmp_path.glob("*.tmp")), "the file is written under another name, then renamed"
    file.write_text('{"format": "3", "pages": {"', encoding="utf-8")
    assert _get(remembered.Readings(file, CODE, key), "a.html", "a") is None, "an unreadable file starts empty"


def test_the_secret_is_kept_private_and_refused_when_it_is_not(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    key = user_secret()
    folder = tmp_path / "cache" / "clinic-site"
    assert key is not None and len(key) == 32 and user_secret() == key
    assert (folder.stat().st_mode & 0o777) == 0o700 and ((folder / "reading-key").stat().st_mode & 0o777) == 0o600
    os.chmod(folder, 0o777)
    assert user_secret() is None, "a folder others can write to"
    os.chmod(folder, 0o700)
    (folder / "reading-key").unlink()
    (tmp_path / "elsewhere").write_bytes(b"s" * 32)
    (folder / "reading-key").symlink_to(tmp_path / "elsewhere")
    assert user_secret() is None, "a key that is a link to another file"
    (folder / "reading-key").unlink()
    assert user_secret() is not None
    os.chmod(folder / "reading-key", 0o644)
    assert user_secret() is None, "a key others can read"
    project = tmp_path / "project"
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".cache"))
    assert user_secret(project) is None, "a folder inside the project, where a key could be committed"
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert user_secret() is not None and (tmp_path / "home/.cache/clinic-site/reading-key").is_file(), \
        "a relative XDG_CACHE_HOME is ignored (the XDG rule), not read from the folder the build runs in"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert user_secret() is None, "no folder can be made"


def test_processes_that_start_at_once_share_one_whole_secret(tmp_path, monkeypatch):
    """Two builds started at the same moment (the suite's workers on a fresh machine, a preview
    beside a check) each find no key: the one that writes second keeps the first one's, and
    neither ever reads a key half written (each is written whole under another name, then
    linked in place)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = user_secret()
    assert first is not None
    real_lexists = os.path.lexists
    monkeypatch.setattr(os.path, "lexists", lambda path: False if str(path).endswith("reading-key")
                        else real_lexists(path))   # the second looked before the first had written
    assert user_secret() == first
    assert [path.name for path in (tmp_path / "cache" / "clinic-site").iterdir()] == ["reading-key"]


def test_the_file_is_read_only_when_this_machine_sealed_it(tmp_path):
    """Its first line seals the rest with the secret: a changed entry (a finding taken out, an
    index file named outside the site), a file sealed with another secret, or one that is not a
    regular file (a link, a device, JSON nested to break the reader) gives nothing."""
    file, key = tmp_path / "readings.json", b"k" * 32
    first = remembered.Readings(file, CODE, key)
    _put(first, "bad.html", "bad", published.Reading(findings=[("holds an <iframe>", "<iframe")]), None)
    first.save()
    assert _get(remembered.Readings(file, CODE, key), "bad.html", "bad") is not None
    seal, _, payload = file.read_bytes().partition(b"\n")
    file.write_bytes(seal + b"\n" + payload.replace(b"holds an <iframe>", b"holds nothing"))
    assert _get(remembered.Readings(file, CODE, key), "bad.html", "bad") is None
    assert _get(remembered.Readings(file, CODE, b"o" * 32), "bad.html", "bad") is None
    file.write_bytes(b"[" * 100_000)
    assert remembered.Readings(file, CODE, key).known == {}
    file.unlink()
    file.symlink_to("/dev/zero")
    assert remembered.Readings(file, CODE, key).known == {}


def test_a_link_committed_in_the_cache_folder_is_never_written_through(tmp_path, monkeypatch):
    """A contributor commits links where the caches are written, or beside them under the names a
    writer might pick (the process id): the build replaces or leaves them, and the files they
    point to, outside the project, are untouched."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "this-machine"))
    project = harness.without_cards(copy_project(tmp_path / "project"))
    victim = tmp_path / "outside.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    cache = project / ".cache"
    for name in ("readings.json", "rules.json"):
        (cache / name).unlink(missing_ok=True)
        (cache / name).symlink_to(victim)
    for number in range(os.getpid() - 5, os.getpid() + 50):
        for name in (f"readings.json.{number}", f"rules.json.{number}.tmp"):
            (cache / name).symlink_to(victim)
    built = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site")
    assert not isinstance(built, ProblemsFound), built
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not (cache / remembered.FILE).is_symlink() and not (cache / "rules.json").is_symlink()




@pytest.fixture
def reads(monkeypatch):
    """The pages (paths in the site) the guard reads with the HTML parser, in this test's builds
    (the feeds, sitemaps and pictures, read with the XML parser, are always read)."""
    read: list[str] = []
    original = guard.read

    def counting(page, dest_uri, code, tree=None):
        if published.kind_of(dest_uri) == "html":
            read.append(dest_uri)
        return original(page, dest_uri, code, tree)

    monkeypatch.setattr(guard, "read", counting)
    return read


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def test_a_rebuild_reads_only_what_changed_and_publishes_the_same_site(tmp_path, monkeypatch, reads):
    """A rebuild parses no page written as before and makes no search index when every indexed
    page is as before (both remembered), and publishes the same bytes; a changed page is parsed
    again and the index made again, with its new words."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "this-machine"))
    made: list[int] = []
    index_files = site_search.index_files
    monkeypatch.setattr(site_search, "index_files", lambda pages: made.append(len(pages)) or index_files(pages))
    project = harness.without_cards(copy_project(tmp_path / "project"))
    (project / ".cache" / remembered.FILE).unlink(missing_ok=True)
    first = harness.build_in_process(project / "mkdocs.yml", tmp_path / "first", spelling=False)
    assert not isinstance(first, ProblemsFound), first
    pages = sorted(name for name in _files(tmp_path / "first") if name.endswith(".html"))
    assert sorted(set(reads)) == pages and len(pages) > 40 and len(made) == 1
    reads.clear()
    kept = project / ".cache" / remembered.FILE
    written = kept.stat().st_mtime_ns
    second = harness.build_in_process(project / "mkdocs.yml", tmp_path / "second", spelling=False)
    assert not isinstance(second, ProblemsFound), second
    assert kept.stat().st_mtime_ns == written, "a run that read nothing new wrote the file again"
    # the editor's page (admin/) is held to its own rule on every run (postbuild/editor.py)
    assert [page for page in reads if not page.startswith("admin/")] == [], "pages written as before were read again"
    assert len(made) == 1, "the search index was made again from the same pages"
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert sorted(map(str, second.problems)) == sorted(map(str, first.problems))

    page = project / "docs/guide/how-many-sessions.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\n\n", "\n\nAsk about zanzibarine care.\n\n", 1),
                    encoding="utf-8")
    reads.clear()
    third = harness.build_in_process(project / "mkdocs.yml", tmp_path / "third", spelling=False)
    assert not isinstance(third, ProblemsFound), third
    assert set(reads) == {"guide/how-many-sessions/index.html", "admin/index.html"}, sorted(set(reads))
    assert len(made) == 2
    found = [entry["url"] for entry in harness.indexed_pages(tmp_path / "third")
             if any("zanzibarine" in section[2].lower() for section in entry["sections"])]
    assert found == ["/guide/how-many-sessions/"], found


def test_each_engine_keeps_its_own_readings(tmp_path, monkeypatch, reads):
    """A build with the other engine between two MkDocs builds leaves MkDocs' readings as they
    were: the second MkDocs build parses no page (one file for both engines was always cold when
    they alternated, each build writing over the other's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "this-machine"))
    project = harness.without_cards(copy_project(tmp_path / "project"))
    for engine in ("mkdocs", "zensical"):
        built = harness.build_in_process(project / "mkdocs.yml", tmp_path / engine, spelling=False, engine=engine)
        assert not isinstance(built, ProblemsFound), built
    assert {path.name for path in (project / ".cache").glob("readings*.json")} == \
        {"readings.json", "readings-zensical.json"}
    reads.clear()
    again = harness.build_in_process(project / "mkdocs.yml", tmp_path / "again", spelling=False)
    assert not isinstance(again, ProblemsFound), again
    assert [page for page in reads if not page.startswith("admin/")] == [], "MkDocs' pages were read again"
    assert (remembered.file_for("mkdocs"), remembered.file_for("zensical")) == \
        ("readings.json", "readings-zensical.json")


def test_an_entry_made_without_this_machines_secret_vouches_for_nothing(tmp_path, monkeypatch):
    """An attacker who can commit writes `.cache/readings.json` with an entry saying their page
    was read and found clean, keyed with every input but this machine's secret (the page's text,
    its place, the site's code): the build still reads the page and names its script. The entry
    is well made: under the attacker's own secret it is taken, so the secret is all that refuses it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "this-machine"))
    project = harness.without_cards(copy_project(tmp_path / "project"))
    clean = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert not isinstance(clean, ProblemsFound), clean
    code = clean.output.site_code
    assert isinstance(code, guard.SiteCode)
    evil = "<!doctype html><title>x</title><script>alert(1)</script>"
    (project / "docs/extra.html").write_text(evil, encoding="utf-8")
    file = project / ".cache" / remembered.FILE
    attacker = remembered.Readings(file, code, b"a" * 32)   # the file as the attacker's machine writes it
    _put(attacker, "extra.html", evil, published.Reading(), None)
    attacker.save()
    assert _get(remembered.Readings(file, code, b"a" * 32), "extra.html", evil) is not None
    for _run in range(2):   # and a page named once is read, and named, again
        stopped = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
        assert isinstance(stopped, ProblemsFound)
        assert [problem.what for problem in stopped.problems if problem.path == "docs/extra.html"], stopped
    # The file this machine sealed, its entries' keys leaked, the page's entry emptied by hand:
    # the seal no longer matches, so nothing in it is read.
    seal, _, payload = file.read_bytes().partition(b"\n")
    data = json.loads(payload)
    for entry in data["pages"].values():
        entry.update(findings=[], scripts=[])
    data["index"] = {"key": "x", "files": {"../../outside.txt": "x"}}
    file.write_bytes(seal + b"\n" + json.dumps(data).encode("utf-8"))
    stopped = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert isinstance(stopped, ProblemsFound)
    assert [problem.what for problem in stopped.problems if problem.path == "docs/extra.html"], stopped
    assert not (tmp_path / "outside.txt").exists()


def test_a_run_whose_guard_let_everything_through_hides_nothing_from_the_next(tmp_path, monkeypatch, reads):
    """Only what the parsers read is remembered, never a verdict: a run with the guard's judgement
    switched off (as the attack corpus's unguarded build does) remembers the page's script as read,
    and the next run, with the guard on, names it without parsing the page again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "this-machine"))
    project = harness.without_cards(copy_project(tmp_path / "project"))
    (project / "docs/extra.html").write_text("<!doctype html><title>x</title><script>alert(1)</script>",
                                             encoding="utf-8")
    with monkeypatch.context() as off:
        off.setattr(guard, "unlisted_code", lambda *args: [])
        let_through = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert not isinstance(let_through, ProblemsFound), let_through
    reads.clear()
    stopped = harness.build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False)
    assert isinstance(stopped, ProblemsFound)
    assert "extra.html" not in reads, "the page was parsed again: this run did not use what the last one read"
    assert [problem.what for problem in stopped.problems if problem.path == "docs/extra.html"], stopped


def test_a_cache_folder_that_links_out_of_the_project_keeps_nothing(tmp_path):
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (project / ".cache").symlink_to(outside, target_is_directory=True)
    readings = remembered.Readings(project / ".cache" / remembered.FILE, CODE, b"k" * 32, project)
    _put(readings, "a.html", "a", CLEAN, None)
    readings.save()
    assert list(outside.iterdir()) == []
