"""What two `clinic` processes of one project share: the cards Material keeps in one folder for
every mode, the site folder a stopped build empties, the preview's folders under .cache/preview/."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinic_site import pipeline, preview
from clinic_site.problems import Problem, ProblemsFound
from clinic_site.project import Project

pytestmark = pytest.mark.unit

PROBE = ("import fcntl, os, sys\n"
         "descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
         "try:\n    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
         "except BlockingIOError:\n    sys.exit(3)\n")


def _project(tmp_path: Path) -> Project:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return Project.find(tmp_path / "mkdocs.yml")


def _free(lock: Path) -> bool:
    """Whether another process could take `lock` now."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-c", PROBE, str(lock)]).returncode == 0


def test_the_preview_and_a_build_never_draw_materials_cards_at_once(tmp_path):
    """Material's card cache (.cache/social) is one folder for the preview's runs and the build's:
    a MkDocs run that draws cards holds the cards' lock with its staging folder, and lets both go
    together; `clinic check` draws none and leaves it free."""
    project = _project(tmp_path)
    cards = project.cache_dir / "stage" / pipeline.CARDS_LOCK
    for mode, engine, cards_drawn, held in [("serve", "mkdocs", True, True), ("build", "mkdocs", True, True),
                                            ("check", "mkdocs", False, False), ("build", "zensical", True, False)]:
        run = pipeline.Run(project, mode=mode, engine=engine, cards=cards_drawn)
        pipeline.hold_staging(run)
        try:
            assert _free(cards) is not held, (mode, engine)
        finally:
            pipeline.release_staging(run)
        assert _free(cards) and _free(run.staging_dir.parent.with_suffix(".lock"))


def test_a_stopped_build_empties_the_site_folder_before_the_next_build_may_write_it(tmp_path, monkeypatch):
    """Two builds of one project into one site folder: the first, stopped by a problem, empties
    the folder while it still holds the staging folder, so the second (waiting for it) never has
    the folder it writes emptied under it."""
    project = _project(tmp_path)
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    run = pipeline.Run(project, mode="build")
    run.problems.append(Problem("docs/x.md", 1, "", "is wrong", "fix it"))
    lock = run.staging_dir.parent.with_suffix(".lock")
    emptied_while_held = []
    removing = pipeline.shutil.rmtree
    monkeypatch.setattr(pipeline.shutil, "rmtree", lambda path, *a, **k: (
        emptied_while_held.append(not _free(lock)), removing(path, *a, **k)))
    pipeline.hold_staging(run)
    with pytest.raises(ProblemsFound):
        pipeline.finish(run, site)
    assert emptied_while_held == [True] and list(site.iterdir()) == [] and _free(lock)


def test_two_previews_starting_at_once_never_trip_on_a_folder_the_other_removed(tmp_path, monkeypatch):
    """A preview clears the folders previews that ended left behind; another starting at the same
    moment may remove one first: the second goes on without a traceback."""
    base = tmp_path / ".cache" / "preview"
    stale = base / "mkdocs-old"
    stale.mkdir(parents=True)
    os.utime(stale, (1, 1))
    opening = os.open

    def removed_meanwhile(path, *args, **kwargs):
        if Path(path).parent == stale:
            preview.shutil.rmtree(stale)   # the other preview, just now
        return opening(path, *args, **kwargs)

    monkeypatch.setattr(preview.os, "open", removed_meanwhile)
    preview._remove_stale(base)
    assert not stale.exists()


def test_a_mkdocs_preview_whose_build_stopped_lets_the_staging_folder_and_cards_go(tmp_path, monkeypatch):
    """`mkdocs serve` keeps running after a build the engine stopped: it must not keep the locks
    (a `clinic build` beside it would wait for the cards' lock until the preview's next good build)."""
    from clinic_site.engines.mkdocs import plugin

    run = pipeline.Run(_project(tmp_path), mode="serve")
    monkeypatch.setitem(plugin._state, "owned", run)
    monkeypatch.setitem(plugin._state, "collector", None)
    pipeline.hold_staging(run)
    try:
        plugin.on_build_error(RuntimeError("Problems found"))
        assert _free(run.staging_dir.parent.with_suffix(".lock"))
        assert _free(run.staging_dir.parent.parent / pipeline.CARDS_LOCK)
    finally:
        pipeline.release_staging(run)


def test_two_users_building_one_checkout_at_once_never_delete_each_others_zip_cache(tmp_path, monkeypatch):
    """Each user's ZIP cache is sealed with that user's secret (a developer's and CI's differ: two
    XDG_CACHE_HOME): the second never takes the first's for someone else's and deletes it under
    the build reading it (which then called every ZIP code of the listings unknown)."""
    from clinic_site.finder import zip_positions

    monkeypatch.setattr(zip_positions, "zip_table", lambda: {"78701": (30.27, -97.74, "TX")})
    first = zip_positions.ZipCache(tmp_path, b"a" * 32)
    read_from = (first.folder / "lookup" / "78.json").stat().st_ino
    second = zip_positions.ZipCache(tmp_path, b"b" * 32)
    assert (first.folder / "lookup" / "78.json").stat().st_ino == read_from
    assert first.lookup("78701") == second.lookup("78701") == (30.27, -97.74, "TX")
    assert zip_positions.ZipCache(tmp_path, b"a" * 32).folder == first.folder   # each finds its own again
    assert first.folder != second.folder and first.folder.is_dir() and second.folder.is_dir()


def test_a_build_stopped_with_ctrl_c_leaves_nothing_half_built_and_no_traceback(tmp_path, monkeypatch, capsys):
    """Ctrl+C while the engine or the post-build writes the site folder left half a site (271 of
    498 files, no _headers: no Content-Security-Policy) and a traceback; now the folder is emptied
    and `clinic build` says so in a line, with status 130."""
    from clinic_site import commands

    project = _project(tmp_path)
    site = tmp_path / "site"

    def staged(run):
        run.staged = object()

    def half_written(run, target):
        (target / "half").mkdir(parents=True, exist_ok=True)
        return True

    def interrupted(run, target):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "stage", staged)
    monkeypatch.setattr(pipeline, "engine_build", half_written)
    monkeypatch.setattr(pipeline, "post_build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(project, site)
    assert site.is_dir() and list(site.iterdir()) == []
    (site / "half").mkdir()
    assert commands.build_main(["-f", str(project.config_file), "--site-dir", str(site)]) == 130
    output = capsys.readouterr().out
    assert output.startswith("Build stopped (Ctrl+C") and "Traceback" not in output
    assert list(site.iterdir()) == []


def test_ctrl_c_while_zensical_renders_is_noted_and_raised_once_it_is_out():
    """A Python handler that raises inside Zensical ended the whole process with status 0 and no
    word: `clinic build --engine zensical` stopped by Ctrl+C seemed to succeed."""
    import signal

    from clinic_site.engines.zensical import engine

    before = signal.getsignal(signal.SIGINT)
    with engine._interrupts_noted() as caught:
        os.kill(os.getpid(), signal.SIGINT)   # as if Zensical were rendering: nothing raised here
    assert caught == [signal.SIGINT] and signal.getsignal(signal.SIGINT) is before


def test_a_cancelled_job_stops_the_build_as_ctrl_c_does(tmp_path, monkeypatch, capsys):
    """SIGTERM (a CI job cancelled) ended the process at once, half a site left in the folder; now
    it stops the build as Ctrl+C does, and Zensical notes it as it notes Ctrl+C."""
    import signal

    from clinic_site import commands
    from clinic_site.engines.zensical import engine

    project = _project(tmp_path)

    def terminated(*args, **kwargs):
        with engine._interrupts_noted() as caught:
            os.kill(os.getpid(), signal.SIGTERM)   # while Zensical renders: noted, nothing raised
        assert caught == [signal.SIGTERM]
        os.kill(os.getpid(), signal.SIGTERM)       # after it: the build stops
    monkeypatch.setattr(pipeline, "build", terminated)
    before = signal.getsignal(signal.SIGTERM)
    assert commands.build_main(["-f", str(project.config_file)]) == 130
    assert capsys.readouterr().out.startswith("Build stopped") and signal.getsignal(signal.SIGTERM) is before


def test_ctrl_c_during_any_command_is_a_line_not_a_traceback(monkeypatch, capsys):
    """`clinic check` stopped with Ctrl+C printed a traceback."""
    from clinic_site import check, cli

    def interrupted(argv):
        raise KeyboardInterrupt
    monkeypatch.setattr(check, "main", interrupted)
    assert cli.main(["check"]) == 130
    assert capsys.readouterr().out == "clinic check: stopped (Ctrl+C)\n"
