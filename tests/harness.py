"""The test harness in one place: the one build wrapper, the tiers, and which tier a test is in.

Tiers (markers registered in pyproject.toml, chosen for every test by tier_of()):
  unit     no site build and no browser: `scripts/test --fast` runs only these.
  build    reads a built site (the session's build, or a build of its own).
  browser  drives Chromium (Playwright, or Lighthouse's own Chromium).
  slow     added to tests that take tens of seconds each (Lighthouse, the benchmark run).
The static server and the Chromium launch flags live in the package (devtools.static_server,
devtools.chromium), where the developer tools use the same ones.
"""
from __future__ import annotations

import datetime as dt
import gc
import re
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clinic_site import pipeline
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project
from devtools.site_build import clinic_build, mkdocs_build
from devtools.static_server import StaticHandler, StaticServer

PROJECT_ROOT = Path(__file__).resolve().parents[1]   # the checkout the tests belong to

__all__ = ["PROJECT_ROOT", "project_clinic", "StaticHandler", "StaticServer", "build_site", "build_in_process",
           "run_python", "without_cards", "without_seconds",
           "is_redirect_stub", "session_site", "settle", "tier_of", "TIERS"]

TIERS = ("unit", "build", "browser")
# The tier of the test running now (set by conftest before each test), so build_site can refuse
# to run in a test marked `unit`: a wrong mark fails loudly instead of slowing `--fast`.
current_tier: str | None = None


def project_clinic(root: Path = PROJECT_ROOT) -> dict:
    """The clinic's details of the project at `root` (its clinic.yml) as plain data."""
    import yaml
    return yaml.safe_load((root / "clinic.yml").read_text(encoding="utf-8"))


def build_site(site_dir: Path, config_file: Path = PROJECT_ROOT / "mkdocs.yml", *options: str, cold: bool = False
               ) -> subprocess.CompletedProcess:
    """Run the real `clinic build` (with `options`, such as "--no-spelling"), as CI and the README
    do, in a process of its own; the result, not an assertion. (`mkdocs build --strict` gives the
    same problems and output: tests/test_pipeline.py.) The process is forked from a warm
    interpreter (run_python), or, with `cold=True`, a new interpreter, as devtools.site_build runs it."""
    _not_in_unit_tier()
    if cold:
        return clinic_build(site_dir, config_file, *options)
    import os

    from devtools.site_build import MKDOCS_ENV, clinic_build_arguments

    return run_python(clinic_build_arguments(site_dir, config_file, *options), cwd=Path(config_file).parent,
                      env={**os.environ, **MKDOCS_ENV})


# A folder for the session's builds that outlives one pytest run: set it to share the builds between
# runs of a few modules while you work (delete it when the sources change).
SITES_VARIABLE = "CLINIC_TEST_SITES"


def session_site(engine: str, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Path, float | None]:
    """The checkout's site built once with `clinic build --engine <engine>` and shared, read only, by
    every pytest-xdist worker: the first worker to get here builds it while the others wait on a lock
    (each worker building its own cost a whole build, and the builds of one project queue for its
    staging folder anyway). Kept in $CLINIC_TEST_SITES when set (to share builds between runs), else
    in this run's temporary folder. The site and the seconds
    its build took here (None when another worker or an earlier run built it); fails with the
    build's output if it failed."""
    import fcntl
    import os
    import time

    if os.environ.get(SITES_VARIABLE):
        shared = Path(os.environ[SITES_VARIABLE])
        shared.mkdir(parents=True, exist_ok=True)
    else:
        shared = tmp_path_factory.getbasetemp()
        if worker_id != "master":
            shared = shared.parent   # the run's folder, above each worker's own
    target, done = shared / f"{engine}-site", shared / f"{engine}-site.built"
    seconds = None
    with open(shared / f"{engine}-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            started = time.perf_counter()
            # In a new interpreter, as CI and the README run it: the suite's one build that is cold for sure.
            result = build_site(target, PROJECT_ROOT / "mkdocs.yml", "--engine", engine, cold=True)
            seconds = time.perf_counter() - started
            done.write_text(f"{result.returncode}\n{result.stdout}{result.stderr}", encoding="utf-8")
    status, _, output = done.read_text(encoding="utf-8").partition("\n")
    assert status == "0", f"clinic build --engine {engine} failed:\n{output}"
    assert engine != "zensical" or "Traceback" not in output
    return target, seconds


# ---- the real commands, run from a warm interpreter ----

# The variables a new interpreter reads as it starts (or that imported modules may keep): runs whose
# values differ get warm servers of their own, started with those values (see run_python).
_STARTUP = ("PATH", "HOME", "LANG", "TMPDIR", "TMP", "TEMP")
_STARTUP_PREFIXES = ("PYTHON", "LC_")


class _WarmServer:
    """One tests/warm_server.py process: imports once, forks a child for each run."""

    def __init__(self, env: dict[str, str]):
        import tempfile

        self.outputs = Path(tempfile.mkdtemp(prefix="clinic-warm-"))
        self.runs = 0
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("warm_server.py"))],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                        cwd=PROJECT_ROOT)

    def run(self, args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes, bytes]:
        import json

        self.runs += 1
        out, err = self.outputs / f"{self.runs}.out", self.outputs / f"{self.runs}.err"
        request = {"argv": args, "cwd": str(cwd), "env": env, "stdout": str(out), "stderr": str(err)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise AssertionError(f"the warm server ended (status {self.process.wait()})")
        answer = json.loads(answer)
        if "error" in answer:
            raise AssertionError(answer["error"])
        printed = out.read_bytes(), err.read_bytes()
        out.unlink()
        err.unlink()
        return answer["returncode"], *printed

    def close(self) -> None:
        import shutil

        self.process.stdin.close()
        self.process.wait()
        shutil.rmtree(self.outputs, ignore_errors=True)


_warm_servers: dict[tuple, _WarmServer] = {}


def _close_warm_servers() -> None:
    for server in _warm_servers.values():
        server.close()
    _warm_servers.clear()


def run_python(args: list[str], *, cwd: Path | str, env: dict[str, str] | None = None,
               cold: bool = False) -> subprocess.CompletedProcess:
    """`python *args` (`-m module …` or `-c code …`) in folder `cwd` with environment `env` (this
    process's when None), as subprocess.run(capture_output=True, text=True) gives it: the same
    printed words, the same exit status. Run in a child forked from a warm interpreter that has
    imported MkDocs, Material, the plugins and clinic_site already (tests/warm_server.py): each
    run saves what a new interpreter spends starting and importing, about half a second of CPU
    (measured: 8 runs of the sample site, 20.6 s cold, 16.3 s warm). `cold=True`, or an environment
    the warm run could not match (an `mkdocs` run whose banners are not silenced: mkdocs-redirects
    prints ProperDocs' notice as it is imported, which the warm interpreter did already), runs a
    new interpreter instead. tests/test_harness_warm.py and test_pipeline.py show both print the
    same. Each distinct start-up environment (_STARTUP) gets a warm interpreter of its own."""
    import atexit
    import locale
    import os

    env = dict(os.environ if env is None else env)
    command = [sys.executable, *args]
    silenced = env.get("NO_MKDOCS_2_WARNING") and env.get("DISABLE_MKDOCS_2_WARNING", "").lower() == "true"
    if cold or (args[:2] == ["-m", "mkdocs"] and not silenced):
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    startup = {name: value for name, value in env.items()
               if name in _STARTUP or name.startswith(_STARTUP_PREFIXES)}
    key = tuple(sorted(startup.items()))
    if key not in _warm_servers:
        if not _warm_servers:
            atexit.register(_close_warm_servers)
        _warm_servers[key] = _WarmServer(startup)
    status, out, err = _warm_servers[key].run(list(args), Path(os.path.abspath(cwd)), env)

    def text(data: bytes) -> str:   # as subprocess.run(text=True) decodes it
        return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")

    return subprocess.CompletedProcess(command, status, text(out), text(err))


# "Documentation built in 2.29 seconds", "(2.2 s)", "Built site/ in 2.5 s": how long a run took,
# the one part of its words that differs from one run of the same command to the next.
_SECONDS = re.compile(r"\b\d+(?:\.\d+)? (?:seconds|s)\b")


def without_seconds(printed: str) -> str:
    """What a command printed, with the seconds it says it took written as "N s"."""
    return _SECONDS.sub("N s", printed)


def without_cards(project: Path) -> Path:
    """Turn the social cards off in the project copy at `project` (its mkdocs.yml: the social
    plugin's `enabled: false`), for a test that runs the real commands on it and reads no card: a
    copy whose pages or clinic colour differ from the checkout's draws each changed page's card
    again (tests/test_cards.py and test_round_trip.py read the cards). Returns `project`."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - social:\n" in text, "mkdocs.yml's social plugin moved; update tests/harness.py without_cards"
    config.write_text(text.replace("  - social:\n", "  - social:\n      enabled: false\n", 1), encoding="utf-8")
    return project


def build_in_process(config_file: Path, site_dir: Path, **options) -> pipeline.Run | ProblemsFound:
    """The same build in this process (no interpreter to start: much faster for the many builds of
    changed copies), for tests that read the problems or the output, not the printed words.
    Returns the finished run, or the ProblemsFound it stopped with."""
    _not_in_unit_tier()
    try:
        outcome: pipeline.Run | ProblemsFound = pipeline.build(Project.find(config_file), site_dir, **options)
    except ProblemsFound as stop:
        outcome = stop
    # Whatever the outcome, the run gave back what its stage kept out of the collector's passes
    # (pipeline.stage's gc.freeze): nothing of one run is kept for the life of the process.
    assert gc.get_freeze_count() == 0, "the run left objects frozen (pipeline.release_staging)"
    return outcome


def _not_in_unit_tier() -> None:
    if current_tier == "unit":
        raise AssertionError("this test builds a site but is in the unit tier: tests/harness.py tier_of() "
                             "missed it; mark it @pytest.mark.build")


def is_redirect_stub(html: str) -> bool:
    """mkdocs-redirects' pages that only send the visitor on to a page's new address."""
    return 'http-equiv="refresh"' in html


# ---- waiting on the page, never for a fixed time ----

def wait_for(condition: Callable[[], object], what: str, timeout: float, interval: float):
    """Poll `condition()` every `interval` s until it returns something true, and return that;
    fail naming `what` after `timeout` s."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)  # polling interval of a condition wait, not a fixed wait for an outcome
    pytest.fail(f"timed out waiting for {what}")



TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
NO_RUNNING_ANIMATION = "document.getAnimations().every(a => a.playState !== 'running')"


# The same wait inside the page, for a test that then reads the page in the same call (one round
# trip instead of three), and reads until what it reads stops changing: the same value on three
# frames in a row, no animation running (a script that reacts to a focus or a key a few frames
# later, as Material's search does, has then done so). Written into the function itself, as a
# page's CSP may forbid eval.
SETTLE_THEN = f"""async () => {{
  const frame = () => new Promise(done => requestAnimationFrame(done));
  await ({TWO_FRAMES})();
  let last = null, same = 0;
  for (let frames = 0; frames < 600; frames++) {{
    if (!({NO_RUNNING_ANIMATION}) || !(READY)()) {{ same = 0; await frame(); continue; }}
    const now = JSON.stringify((READ)());
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= 2) break;
    await frame();
  }}
  return last === undefined ? undefined : JSON.parse(last);
}}"""


def settled(page, read: str, ready: str = "() => true"):
    """settle(page), then the value of the JavaScript function `read` ("() => ...") in the page,
    once `ready` ("() => true or false": what the page is known to do, such as Material opening its
    search when the search box gets focus) holds and `read` gives the same on three frames in a row
    (at most 600 frames), in one call to the browser."""
    return page.evaluate(SETTLE_THEN.replace("READY", ready).replace("READ", read))


def settle(page) -> None:
    """Wait until the page has drawn two more frames (a transition started by a click or a key
    begins by then) and no CSS transition or animation is running. However slow the machine,
    this waits exactly as long as the page needs."""
    page.evaluate(TWO_FRAMES)
    page.wait_for_function(NO_RUNNING_ANIMATION)


# ---- which tier a test is in ----

# Fixtures that start Chromium (pytest-playwright's page and context depend on browser).
BROWSER_FIXTURES = {"browser", "page", "context", "new_context"}
# Fixtures that need the session's build (site_url, base_url, read_page, site_pages depend on it).
BUILD_FIXTURES = {"site_dir"}


def _calls_build(functions: Iterator[Callable], seen: set[int] | None = None) -> bool:
    """Whether any of these functions, or the module-level helpers they name (of their own module or
    of the tests' package), builds a site: calls
    build_site, devtools.site_build or MkDocs' build in-process, or runs `mkdocs build` / `mkdocs serve`
    as a command. Read from the code, so nothing runs."""
    from mkdocs.commands import build as mkdocs_commands_build

    seen = set() if seen is None else seen
    for function in functions:
        function = getattr(function, "__wrapped__", function)
        code = getattr(function, "__code__", None)
        if code is None or id(code) in seen:
            continue
        seen.add(id(code))
        names: set[str] = set()
        strings: set[str] = set()
        stack = [code]
        while stack:  # the function's own names and those of the lambdas and functions inside it
            current = stack.pop()
            names.update(current.co_names)
            strings.update(const for const in current.co_consts if isinstance(const, str))
            stack += [const for const in current.co_consts if isinstance(const, types.CodeType)]
        if {"mkdocs", "build"} <= strings or {"mkdocs", "serve"} <= strings or {"clinic", "build"} <= strings \
                or {"clinic_site.cli", "build"} <= strings or {"clinic", "check"} <= strings \
                or {"clinic_site.cli", "check"} <= strings or {"clinic_site.cli", "serve"} <= strings:  # builds itself
            return True
        module_globals = function.__globals__
        # A name may be a global of the module or an attribute of a module it imported (harness.build_site).
        modules = [value for value in module_globals.values() if isinstance(value, types.ModuleType)]
        values = [module_globals[name] for name in names if name in module_globals]
        values += [getattr(module, name) for module in modules for name in names if hasattr(module, name)]
        helpers = []
        builders = (build_site, build_in_process, mkdocs_build, clinic_build, pipeline.build, pipeline.check,
                    mkdocs_commands_build.build, mkdocs_commands_build)
        for value in values:
            if any(value is builder for builder in builders):
                return True
            # its own module's helpers and the tests' shared ones (harness.session_site, a module's fixtures)
            if isinstance(value, types.FunctionType) and (value.__module__ == function.__module__
                                                         or value.__module__.startswith("tests.")):
                helpers.append(value)
        if helpers and _calls_build(iter(helpers), seen):
            return True
    return False


def tier_of(item: pytest.Function) -> str:
    """A test's tier: its own `unit`/`build`/`browser` mark if it has one; else `browser` if it
    uses a browser fixture, `build` if it uses the session's site or builds one, else `unit`."""
    explicit = [tier for tier in TIERS if item.get_closest_marker(tier)]
    if explicit:
        return explicit[0]
    used = set(item.fixturenames)
    if used & BROWSER_FIXTURES:
        return "browser"
    if used & BUILD_FIXTURES:
        return "build"
    fixture_functions = (definition.func for definitions in item._fixtureinfo.name2fixturedefs.values()
                         for definition in definitions)
    if _calls_build(iter([item.function, *fixture_functions])):
        return "build"
    return "unit"


def clinic_today() -> dt.date:
    """The day the checkout's runs judge by: the clinic's (clinic.yml's time zone), not the
    machine's, which is a day ahead every evening on a machine that keeps UTC."""
    return pipeline.clinic_today(PROJECT_ROOT)


def type_search(page, typed: str) -> None:
    """Type `typed` into the header's search box, key by key, and return once the results shown
    answer the whole of it: the list's data-searched is what search-text.js searched for that
    text. Waiting for "a result" instead takes the answer to an earlier text typed on the way (on
    a busy machine a pause after "l" searched "l" and drew its results before "lymphatic"'s). The
    keys follow each other without a pause: search-text.js searches once typing pauses for QUIET_MS
    (120 ms), so a pause of 20 or 30 ms between keys made the same one search, later."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(typed)
    page.wait_for_function(
        """typed => document.querySelector('.md-search-result__list')?.getAttribute('data-searched')
                    === window.clinicSearchable(window.clinicNormalize(typed))""", arg=typed)


def indexed_pages(site_dir: Path) -> list[dict]:
    """What the site search's index (search-index/, clinic_site.postbuild.site_search) holds, one
    dict per indexed page, sorted by address: {"url": "/guide/x/", "meta": {"title": ...},
    "sections": [[anchor, heading, text], ...] as the page file holds them, "keywords": {anchor:
    the keywords its section is found by beyond its text}, "content": the title,
    then each section's heading and text, one string, "anchors": [{"id", "text", "location": the
    word of "content" where its section starts}], "terms": {term: score} of every term the shards
    give it}."""
    import json

    folder = Path(site_dir) / "search-index"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    key = manifest["key"]
    pages = [json.loads((folder / "pages" / f"{key}-{number}.json").read_text(encoding="utf-8"))
             for number in range(manifest["pages"])]
    terms: list[dict[str, int]] = [{} for _ in pages]
    for number in range(len(manifest["shards"])):
        shard = json.loads((folder / "terms" / f"{key}-{number}.json").read_text(encoding="utf-8"))
        for term, postings in shard.items():
            page = 0
            for at in range(0, len(postings), 2):
                page += postings[at]
                terms[page][term] = postings[at + 1]
    found = []
    for page, held in zip(pages, terms, strict=True):
        words: list[str] = [page["title"]] if page["title"] else []
        anchors = []
        for anchor, heading, text, *_keywords in page["sections"]:
            if anchor:
                anchors.append({"id": anchor, "text": heading, "location": len(" ".join(words).split())})
                words.append(heading)
            if text:
                words.append(text)
        found.append({"url": "/" + page["url"], "meta": {"title": page["title"]},
                      "sections": [section[:3] for section in page["sections"]],
                      "keywords": {section[0]: section[3] for section in page["sections"] if len(section) > 3},
                      "content": " ".join(words), "anchors": anchors, "terms": held})
    return sorted(found, key=lambda page: page["url"])
