"""The benchmark's finder section: synthetic listings at several sizes, the build and the bytes a
visitor downloads, measured in Chromium, each budget PASS or FAIL (run by
scripts/devtools/benchmark.py --section finder)."""
from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from clinic_site import yamlfile
from devtools import checkout, chromium
from devtools.bench_blog import empty_card_cache, without_social
from devtools.bench_common import Section, build, kib, print_table, sizes
from devtools.project_copy import copy_project
from devtools.static_server import StaticServer

PROJECT_ROOT = checkout()   # the checkout found from the current folder
KEYSTROKE_LIMIT_MS = 50.0
REPEATS = 3  # each interaction is timed this many times; the table shows the best of them


# ---------------------------------------------------------------- finder
FINDER_SIZES = "500,5000,20000"
PAGE_BUDGET_KB = 100.0        # first load of the home, a guide and the directory page, gzip, search index apart
ZIP_BUDGET_KB = 50.0          # data fetched for one ZIP search, gzip
SEARCH_BUDGET_KB = 60.0       # site search: downloaded until its first result, gzip (at the largest size; issue 26)
COMMON_QUERY = "massage"      # on nearly every page: the largest shard entry and ten page files (shown, no budget)
CARDS_BUDGET = 1.3            # cold build with social cards / build with them off (at CARDS_SIZE)
CARDS_SIZE = 5000
FIRST_LOAD_PAGES = (("home page", ""), ("guide page", "guide/what-is-medical-massage/"),
                    ("directory page", "therapists/"))

# Runs in the page: one "keystroke" = set the box's value, fire the input event the
# way typing does, then force style and layout, so the time includes the browser's work.
_TYPE_JS = """(value) => {
  const box = document.getElementById('finder-q');
  const t0 = performance.now();
  box.value = value;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  void document.body.offsetHeight;
  return performance.now() - t0;
}"""
_SELECT_JS = """([id, value]) => {
  const el = document.getElementById(id);
  const t0 = performance.now();
  if (el.type === 'checkbox') el.checked = value === '1'; else el.value = value;
  el.dispatchEvent(new Event('change', {bubbles: true}));
  void document.body.offsetHeight;
  return performance.now() - t0;
}"""


# The site search's own files: its list of shards, the shards and the page files (search-index/,
# fetched only once the search box is used); counted apart from a page's first load.
SEARCH_FILES = re.compile(r"(^|/)search-index/")


class Transfers:
    """What a browser page fetched from the local site: each response's path, raw size (the file)
    and gzip size (the file compressed as the server compresses it, level 6). Sizes come from the
    files, not the wire, so they do not depend on the server or on caching."""

    def __init__(self, site: Path, base_url: str):
        self.site, self.base = site, base_url
        self.paths: list[str] = []

    def on_response(self, response) -> None:
        if response.url.startswith(self.base) and response.status == 200:
            self.paths.append(response.url[len(self.base):].split("?")[0].split("#")[0])

    def mark(self) -> int:
        return len(self.paths)

    def sizes(self, since: int = 0, *, search: bool | None = None,
              page_load: bool = True) -> tuple[int, int, list[str]]:
        """(raw, gzip, paths) of what was fetched since mark `since` (each path once); search:
        only the site search's files (True), everything but them (False), or all (None);
        page_load=False leaves out sitemap.xml too (Material fetches it on every load)."""
        raw = gz = 0
        seen = []
        for path in dict.fromkeys(self.paths[since:]):
            if search is not None and bool(SEARCH_FILES.search(path)) != search:
                continue
            if not page_load and path.endswith("sitemap.xml"):
                continue
            file = self.site / path.lstrip("/")
            if file.is_dir() or path.endswith("/"):
                file = file / "index.html"
            if file.is_file():
                r, g = sizes(file.read_bytes())
                raw, gz = raw + r, gz + g
                seen.append(path)
        return raw, gz, seen


def _settle(page) -> None:
    """Wait for the network to be idle (the site search fetches nothing until it is used)."""
    page.wait_for_load_state("networkidle")


def measure_site(site: Path, url: str, zip_code: str, city: str, timing: bool) -> dict:
    """First loads, one ZIP search, the site search's first result and (timing) the finder's
    keystroke and filter times, in Chromium against the site served at `url`."""
    from playwright.sync_api import sync_playwright

    found: dict = {"first_load": {}, "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium.playwright_launch_args())
        for name, path in FIRST_LOAD_PAGES:   # each in a fresh context: an empty cache, as a first visit
            context = browser.new_context()
            page = context.new_page()
            transfers = Transfers(site, url + "/")
            page.on("response", transfers.on_response)
            page.goto(f"{url}/{path}", wait_until="networkidle")
            _settle(page)
            raw, gz, paths = transfers.sizes(search=False)
            found["first_load"][name] = (raw, gz, len(paths), transfers.sizes(search=True)[:2])
            if name == "home page":   # the site search, typed into on the home page
                try:
                    mark = transfers.mark()
                    page.locator("input.md-search__input").click()
                    page.locator("input.md-search__input").press_sequentially(city, delay=20)
                    # the results of the whole name, not of a part typed on the way
                    page.wait_for_function("q => document.querySelector('.md-search-result__list')"
                                           ".getAttribute('data-searched') === window.clinicSearchable("
                                           "window.clinicNormalize(q))", arg=city, timeout=60_000)
                    page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
                    # everything fetched from the click to the first result: the search's files
                    # (the list of shards, the shards, the page files drawn) and anything else
                    raw, gz, paths = transfers.sizes(mark)
                    found["search"] = (raw, gz)
                    found["search_files"] = paths
                    found["search_hit"] = page.locator(".md-search-result__item").first.inner_text()[:80]
                except Exception as error:   # noqa: BLE001 - reported in the table, not fatal
                    found["errors"].append(f"site search: {error.__class__.__name__}: {str(error)[:200]}")
                try:   # the heaviest query: the word on most pages, typed by a new visitor
                    common = browser.new_context()
                    other = common.new_page()
                    fresh = Transfers(site, url + "/")
                    other.on("response", fresh.on_response)
                    other.goto(f"{url}/", wait_until="networkidle")
                    mark = fresh.mark()
                    other.locator("input.md-search__input").click()
                    other.locator("input.md-search__input").press_sequentially(COMMON_QUERY, delay=20)
                    other.wait_for_function("q => document.querySelector('.md-search-result__list')"
                                            ".getAttribute('data-searched') === q", arg=COMMON_QUERY, timeout=60_000)
                    raw, gz, paths = fresh.sizes(mark)
                    found["common"] = (raw, gz, paths, other.locator(".md-search-result__meta").inner_text())
                    common.close()
                except Exception as error:   # noqa: BLE001 - reported in the table, not fatal
                    found["errors"].append(f"site search ({COMMON_QUERY}): {error.__class__.__name__}: "
                                           f"{str(error)[:200]}")
            if name == "directory page":
                try:
                    mark = transfers.mark()
                    count = page.locator("#finder-count")
                    before = count.text_content()
                    page.fill("#finder-zip", zip_code)
                    page.click("#finder-zip-go")
                    # the answer, not the "Looking up ZIP code ...…" shown while the shards load
                    page.wait_for_function("([el, text]) => el.textContent !== text && !/^Looking up /.test("
                                           "el.textContent.trim())", arg=[count.element_handle(), before],
                                           timeout=60_000)
                    _settle(page)
                    found["zip"] = transfers.sizes(mark, search=False, page_load=False)
                    found["zip_status"] = (count.text_content() or "").strip()[:120]
                    if timing:
                        found.update(_interactions(page))
                except Exception as error:   # noqa: BLE001 - reported in the table, not fatal
                    found["errors"].append(f"ZIP search: {error.__class__.__name__}: {str(error)[:200]}")
            context.close()
        browser.close()
    return found


def _interactions(page) -> dict:
    """Keystrokes in the finder's text box and filter changes after a ZIP search, each timed
    REPEATS times (best kept: other work on the machine only adds time)."""
    runs = []
    for _ in range(REPEATS):
        run: dict[str, list[float]] = {"keystrokes": [], "filters": []}
        for query in ("example clinic 4", "synthetic therapist 00042", "austin"):
            for n in range(1, len(query) + 1):
                run["keystrokes"].append(page.evaluate(_TYPE_JS, query[:n]))
            for n in range(len(query) - 1, -1, -1):  # backspace to empty: the list grows back
                run["keystrokes"].append(page.evaluate(_TYPE_JS, query[:n]))
        for args in (["finder-s", "lymph"], ["finder-l", "es"], ["finder-a", "1"], ["finder-p", "medicare"],
                     ["finder-within", "100"], ["finder-within", "any"], ["finder-p", ""], ["finder-a", ""],
                     ["finder-l", ""], ["finder-s", ""], ["finder-within", "25"]):
            if page.locator(f"#{args[0]}").count():
                run["filters"].append(page.evaluate(_SELECT_JS, args))
        runs.append(run)
    best: dict = {key: [min(values) for values in zip(*(run[key] for run in runs), strict=True)] for key in runs[0]}
    best["worst_raw"] = max(max(values) for run in runs for values in run.values())
    return best


def _cities(site: Path) -> int:
    return len(list((site / "therapists/cities").glob("*/index.html")))


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _kb(n: float) -> float:
    return n / 1000


def bench_finder(sizes_text: str = FINDER_SIZES, *, cards_size: int | None = CARDS_SIZE,
                 timing_size: int | None = None) -> Section:
    """The finder at each number of synthetic listings in `sizes_text` ("500,5000,20000"):
    build (social cards off), page weights, one ZIP search, site search, and (at timing_size,
    default the largest) keystroke and filter times in Chromium; at cards_size also a cold build
    with social cards, against the same build with them off. Budgets are printed PASS or FAIL."""
    from devtools import generate_listings

    counts = [int(text) for text in sizes_text.split(",")]
    largest = max(counts)
    timing_size = largest if timing_size is None else timing_size
    rows: list[tuple[str, str]] = []
    verdicts: list[bool] = []
    notes: list[str] = []

    def budget(name: str, value: str, ok: bool) -> None:
        rows.append((name, f"{value}: {_verdict(ok)}"))
        verdicts.append(ok)

    with tempfile.TemporaryDirectory(prefix="finder-bench-") as tmp_name:
        tmp = Path(tmp_name)
        print(f"generating {largest} synthetic listings...", flush=True)
        pool = tmp / "pool"
        generate_listings.generate(largest, pool, seed=1)   # the first N of them are the N of a smaller size
        for count in counts:
            project = copy_project(tmp / f"site-{count}")
            listings_dir = project / "docs/therapists/listings"
            for file in listings_dir.glob("*.yml"):
                file.unlink()
            for number in range(1, count + 1):
                name = f"synthetic-{number:05d}.yml"
                shutil.copy(pool / name, listings_dir / name)
            first, _text, _problems = yamlfile.load_file(listings_dir / "synthetic-00001.yml", "synthetic-00001.yml")
            config_text = (project / "mkdocs.yml").read_text(encoding="utf-8")
            (project / "mkdocs-no-cards.yml").write_text(without_social(config_text), encoding="utf-8")
            print(f"{count}: building the site, social cards off...", flush=True)
            seconds, cpu = build(project, site="site", config="mkdocs-no-cards.yml")
            site = project / "site"
            label = f"{count:,} listings"
            rows.append((f"**{label}**", f"{_cities(site):,} city pages, "
                         f"{len(list((site / 'therapists/states').glob('*/index.html')))} state pages; "
                         f"build (cards off) {seconds:.1f} s wall, {cpu:.1f} s CPU"))
            if cards_size == count:
                print(f"{count}: building the site with social cards, cold cache...", flush=True)
                empty_card_cache(project)
                card_seconds, card_cpu = build(project, site="site-cards", config="mkdocs.yml")
                ratio, cpu_ratio = card_seconds / seconds, card_cpu / cpu
                # Judged by CPU time: the cards are drawn in the build's own process, and on a shared
                # machine other work stretches wall time far more than it changes CPU time.
                cards = len(list((project / "site-cards/assets/images/social").rglob("*.png")))
                budget(f"{label}: cold build with cards / cards off (budget {CARDS_BUDGET}x)",
                       f"{card_seconds:.1f} s / {seconds:.1f} s = {ratio:.2f}x wall; {card_cpu:.1f} s / {cpu:.1f} s = "
                       f"{cpu_ratio:.2f}x CPU ({cards} cards)", cpu_ratio <= CARDS_BUDGET)
            directory = sizes((site / "therapists/index.html").read_bytes())
            rows.append((f"{label}: directory HTML", f"{kib(directory[0])} raw, {kib(directory[1])} gzip"))
            sitemap = sizes((site / "sitemap.xml").read_bytes())
            finder_maps = sorted(site.glob("sitemap-finder-*.xml"))
            rows.append((f"{label}: sitemap.xml (fetched by every page)", f"{kib(sitemap[0])} raw, "
                         f"{kib(sitemap[1])} gzip; finder pages in {len(finder_maps)} sitemap(s) of "
                         f"{kib(sum(p.stat().st_size for p in finder_maps))} raw"))
            index_files = [file for file in (site / "search-index").rglob("*") if file.is_file()]
            rows.append((f"{label}: site search index (search-index/)", f"{len(index_files):,} files, "
                         f"{kib(sum(file.stat().st_size for file in index_files))} raw; indexing "
                         f"{_indexing_seconds(site):.1f} s"))
            print(f"{count}: measuring in Chromium...", flush=True)
            with StaticServer(site, use_gzip=True) as server:
                load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
                found = measure_site(site, server.url, first["zip"], first["city"], timing=count == timing_size)
            for name, _ in FIRST_LOAD_PAGES:
                raw, gz, n, search = found["first_load"][name]
                budget(f"{label}: first load, {name} (budget {PAGE_BUDGET_KB:.0f} KB gzip)",
                       f"{_kb(raw):,.1f} KB raw, {_kb(gz):,.1f} KB gzip in {n} files"
                       + (f" (+ site search's files {_kb(search[1]):,.1f} KB gzip)" if search[1] else ""),
                       _kb(gz) <= PAGE_BUDGET_KB)
            if "zip" in found:
                raw, gz, paths = found["zip"]
                budget(f"{label}: one ZIP search ({first['zip']}) (budget {ZIP_BUDGET_KB:.0f} KB gzip)",
                       f"{_kb(raw):,.1f} KB raw, {_kb(gz):,.1f} KB gzip in {len(paths)} files "
                       f"({', '.join(p.rsplit('/', 1)[-1] for p in paths[:6])}{', ...' if len(paths) > 6 else ''}); "
                       f"status: {found['zip_status']!r}", _kb(gz) <= ZIP_BUDGET_KB)
            if "search" in found:
                raw, gz = found["search"]
                name = f"{label}: site search, downloaded until the first result for {first['city']!r}"
                what = (f"{_kb(raw):,.1f} KB raw, {_kb(gz):,.1f} KB gzip in {len(found['search_files'])} files "
                        f"({_search_parts(site, found['search_files'])}); first result {found['search_hit']!r}")
                if count == largest:
                    budget(f"{name} (budget {SEARCH_BUDGET_KB:.0f} KB gzip)", what, _kb(gz) <= SEARCH_BUDGET_KB)
                else:
                    rows.append((name, what))
            if "common" in found:
                raw, gz, paths, said = found["common"]
                rows.append((f"{label}: site search, downloaded until the results for {COMMON_QUERY!r} (the commonest "
                             "word)", f"{_kb(raw):,.1f} KB raw, {_kb(gz):,.1f} KB gzip in {len(paths)} files "
                             f"({_search_parts(site, paths)}); {said!r}"))
            if "keystrokes" in found:
                keys, filters = found["keystrokes"], found["filters"]
                worst = max(keys + filters)
                rows.append((f"{label}: keystroke ({len(keys)}), filter change ({len(filters)})",
                             f"{_ms(keys)}; {_ms(filters)}"))
                budget(f"{label}: slowest keystroke or filter change, best of {REPEATS} "
                       f"(budget {KEYSTROKE_LIMIT_MS:.0f} ms)", f"{worst:.1f} ms (slowest single run "
                       f"{found['worst_raw']:.1f} ms; load average {load})", worst < KEYSTROKE_LIMIT_MS)
            for error in found["errors"]:
                rows.append((f"{label}: NOT MEASURED", error))
                verdicts.append(False)
            shutil.rmtree(project)   # a 20,000-listing site is over a gigabyte
            print_table(Section("finder", f"so far ({count:,} listings done)", rows), flush=True)
    notes += [
        "First load: a fresh browser context (empty cache) opens the page and waits for the network to be idle; "
        "every file it fetched is counted once, raw and gzip (level 6, as the test server compresses), from the "
        "built files. The site search fetches nothing until its box is used. Material fetches sitemap.xml "
        "twice per load; it is counted once.",
        "ZIP search: on the directory, once the page has loaded, the ZIP "
        "of the first synthetic listing is entered and Search pressed; everything fetched until the status "
        "changes and the network is idle is counted (the search's files and sitemap.xml left out).",
        "Site search (search-index/): on the home page, the search box is clicked and the first synthetic "
        "listing's city typed key by key (20 ms apart); every file fetched from the click until the first result "
        "is shown is counted once, raw and gzip (level 6): the index's list of shards (index.json), the shards "
        "of the words typed and the page files of the results drawn (search-text.js is part of every page's "
        "first load). Indexing: the index written again from the built folder, timed.",
        f"Keystroke and filter times: from setting the value and firing `input`/`change` to the end of forced "
        f"style and layout, measured with performance.now() in the page, after a ZIP search; each timed "
        f"{REPEATS} times, best kept.",
        "Builds: one `mkdocs build` of a temporary copy of the project each, social cards off except the "
        f"cards build at {CARDS_SIZE:,} listings (cold: the card cache emptied, fonts kept). The cards budget "
        "is judged by CPU time (the cards are drawn in the build's process); wall time is shown too.",
    ]
    return Section("finder", f"Therapist finder at {', '.join(f'{c:,}' for c in counts)} synthetic listings",
                   rows, notes, all(verdicts))


def _search_parts(site: Path, paths: list[str]) -> str:
    """The gzip KB of each kind of search file fetched: "list 0.4, shards 3.1, pages 12.0"."""
    kinds: dict[str, int] = {}
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        kind = ("list" if name == "index.json" else "shards" if "/terms/" in path else
                "pages" if "/pages/" in path else "other")
        file = site / path.lstrip("/")
        if file.is_file():
            kinds[kind] = kinds.get(kind, 0) + sizes(file.read_bytes())[1]
    return ", ".join(f"{kind} {_kb(size):,.1f}" for kind, size in kinds.items())


def _indexing_seconds(site: Path) -> float:
    """Seconds the site search's index takes to write from the built `site` (again, in place: it
    replaces the search-index/ folder the build wrote)."""
    from clinic_site.postbuild import site_search

    start = time.perf_counter()
    problems = site_search.write(site)
    if problems:
        raise RuntimeError(f"indexing failed: {problems[0].message}")
    return time.perf_counter() - start


def _ms(values: list[float]) -> str:
    p95 = sorted(values)[max(0, int(len(values) * 0.95) - 1)]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {max(values):.1f} ms"


# ---------------------------------------------------------------- lighthouse
