"""The benchmark's blog section (scripts/devtools/bench_blog.py) runs end to end and judges the overhead target;
its finder section (scripts/devtools/benchmark.py) measures every budget at a small size."""
from __future__ import annotations

import concurrent.futures
import re

import pytest

from devtools import bench_blog


def test_the_overhead_target_must_hold_by_wall_and_by_cpu_time():
    quick = {"b": 10.5, "same_fix": 10.0, "b_cpu": 10.4, "same_fix_cpu": 10.0}
    assert bench_blog.passes(quick)
    assert not bench_blog.passes({**quick, "b": 11.2})        # wall time over 10%
    assert not bench_blog.passes({**quick, "b_cpu": 11.1})    # CPU time over 10%


@pytest.mark.build  # builds four small sites of its own
@pytest.mark.slow
def test_the_blog_benchmark_builds_every_variant_and_reports_the_overhead():
    section = bench_blog.bench_blog("5:10", cards_max_posts=0, linkchecker_max_posts=0, linkchecker_timeout=60,
                                   profile_posts=0, repeats=1)
    rows = dict(section.rows)
    [overhead] = [value for name, value in rows.items() if name.startswith("5 posts: overhead of our stages")]
    wall, cpu, verdict = re.fullmatch(r"(\d\.\d{3}) wall, (\d\.\d{3}) CPU: (PASS|FAIL)", overhead).groups()
    assert verdict == ("PASS" if float(wall) < 1.10 and float(cpu) < 1.10 else "FAIL")
    assert section.ok == (verdict == "PASS")
    first = rows["5 posts: the same for (b)'s first build, nothing remembered (shown, no budget)"]
    assert re.fullmatch(r"\d\.\d{3} wall, \d\.\d{3} CPU", first), first
    assert rows["5 posts: check_links.py"].endswith(", 0 broken)")
    assert re.fullmatch(r"\d+ HTML pages in \(a\)", rows["**5 posts, 10 listings**"])


@pytest.mark.build  # builds two small sites of its own and opens them in Chromium
@pytest.mark.slow
def test_the_finder_benchmark_measures_every_budget_and_judges_each():
    # At a small size, so a broken benchmark is caught; the figures themselves are not judged here.
    from devtools import bench_finder

    # In a thread of its own: after any browser test, pytest-playwright keeps an asyncio loop
    # running in this thread, and Playwright's sync API (which the benchmark uses, as a script
    # run on its own) refuses to start inside a running loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        section = pool.submit(bench_finder.bench_finder, "12", cards_size=12).result()
    rows = dict(section.rows)
    budgets = {name: value for name, value in rows.items() if "(budget" in name}
    assert len(budgets) == 7, list(rows)   # cards, three first loads, ZIP search, site search, keystrokes
    assert all(re.search(r": (PASS|FAIL)$", value) for value in budgets.values()), budgets
    assert not [name for name in rows if "NOT MEASURED" in name], rows
    assert section.ok == all(value.endswith("PASS") for value in budgets.values())
    load = rows["12 listings: first load, directory page (budget 100 KB gzip)"]
    raw, gz = (float(n.replace(",", "")) for n in re.match(r"([\d,.]+) KB raw, ([\d,.]+) KB gzip", load).groups())
    assert 0 < gz < raw
    # What the site search downloads until the first result is named by kind: its list of shards,
    # the shards of the words typed, the page files of the results drawn.
    [search] = [value for name, value in budgets.items() if "site search" in name]
    assert re.search(r" in \d+ files \(list [\d.]+, shards [\d.]+, pages [\d.]+\); first result '", search), search
    index = rows["12 listings: site search index (search-index/)"]
    assert re.match(r"[\d,]+ files, [\d,.]+ KiB raw; indexing [\d.]+ s$", index), index
    assert re.match(r"[\d.]+ s / [\d.]+ s = [\d.]+x wall; [\d.]+ s / [\d.]+ s = [\d.]+x CPU", budgets[
        "12 listings: cold build with cards / cards off (budget 1.3x)"])
