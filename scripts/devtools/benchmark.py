"""Benchmarks of the site build and pages, one section per feature.

    .venv/bin/python scripts/devtools/benchmark.py                      # every section
    .venv/bin/python scripts/devtools/benchmark.py --section finder --count 5000

Each section builds what it needs in a temporary copy of the project (the working
tree is never changed), prints a table and writes it to benchmarks/results.md
between <!-- section:NAME --> markers, so running one section keeps the others'
figures. To add a section, write a function that returns a Section and add it
to SECTIONS.

Sections:
  blog    synthetic posts and listings at several sizes (--sizes 100:500,1000:5000):
          build seconds of our site with and without listings against plain Material
          (with and without scripts/clinic_site/blog_speed.py), growth with size, search index,
          directory and site bytes, scripts/clinic_site/check_links.py and linkchecker times,
          and a cProfile of one build (benchmarks/profile-1000-posts.txt).
  finder  synthetic listings at 500, 5,000 and 20,000 (scripts/devtools/generate_listings.py;
          --finder-sizes): build time, directory HTML, sitemap and search index bytes (raw
          and gzip); in Chromium, the first load of the home, a guide and the directory page,
          one ZIP search, the site search until its first result, and keystroke and filter
          times; a cold build with social cards at 5,000; each budget PASS or FAIL.
  engines synthetic posts and listings (--engine-sizes, default 1000:5000,0:20000) built by
          `clinic build --engine mkdocs` and `--engine zensical`, wall and CPU time side by side
          (scripts/devtools/bench_engines.py): what picks the default engine.
  lighthouse  Lighthouse's mobile performance of the six key pages, PASS or FAIL against the
          budget of 95 (scripts/devtools/lighthouse.py --performance): a measurement, not a test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from devtools import checkout
from devtools.bench_blog import BLOG_SIZES, bench_blog
from devtools.bench_common import Section, print_table
from devtools.bench_engines import ENGINE_SIZES, bench_engines
from devtools.bench_finder import CARDS_SIZE, FINDER_SIZES, bench_finder

PROJECT_ROOT = checkout()   # the checkout found from the current folder

RESULTS = PROJECT_ROOT / "benchmarks" / "results.md"


def bench_lighthouse(runs: int) -> Section:
    """Lighthouse's mobile performance of the six key pages against the budget of 95: measured
    here, not asserted by the suite, since the score drops with the machine's load."""
    from devtools import lighthouse

    with tempfile.TemporaryDirectory(prefix="lighthouse-bench-") as tmp_name:
        print("building the site...", flush=True)
        site = lighthouse.build(Path(tmp_name) / "site")
        load_before = os.getloadavg()[0]
        results = lighthouse.audit_site(site, performance=True, runs=runs)
        load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} CPUs)"
    rows = []
    for r in results:
        runs_text = f" (median of {r.performance_runs})" if len(r.performance_runs) > 1 else ""
        others = ", ".join(f"{c} {r.scores[c]}" for c in lighthouse.REQUIRED)
        rows.append((f"{r.name} ({r.path})",
                     f"performance {r.scores['performance']}{runs_text}: {'PASS' if r.performance_ok else 'FAIL'}; "
                     f"{others}; budget {'ok' if not r.budget_misses else 'MISS'}"))
    rows.append(("Machine load average (1 min) while measuring", load))
    notes = [f"Lighthouse, mobile form factor, simulated throttling, on the site served with gzip "
             f"(`scripts/devtools/lighthouse.py --performance --runs {runs}`). A page under "
             f"{lighthouse.PERFORMANCE_BUDGET} on its first run is run {runs} times and judged by the median.",
             "Simulated throttling still scales with the CPU time the page takes here, so a busy machine scores "
             "lower for the same page (72-90 seen with two other processes on both CPUs): measure on a quiet one."]
    return Section("lighthouse", f"Lighthouse performance (budget {lighthouse.PERFORMANCE_BUDGET})", rows, notes,
                   all(r.performance_ok for r in results))




SECTIONS: dict[str, Callable[[argparse.Namespace], Section]] = {
    "finder": lambda args: bench_finder(str(args.count) if args.count else args.finder_sizes,
                                        cards_size=args.count or CARDS_SIZE),
    "lighthouse": lambda args: bench_lighthouse(args.lighthouse_runs),
    "engines": lambda args: bench_engines(args.engine_sizes, repeats=args.engine_repeats),
    "blog": lambda args: bench_blog(
        args.sizes, cards_max_posts=args.cards_max_posts, linkchecker_max_posts=args.linkchecker_max_posts,
        linkchecker_timeout=args.linkchecker_timeout, profile_posts=args.profile_posts, repeats=args.repeats,
        write=None if args.no_write else (lambda section: write_results([section], args.output))),
}


# ---------------------------------------------------------------- output
def machine() -> str:
    return (f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} CPUs")


def write_results(sections: list[Section], path: Path = RESULTS) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Benchmarks\n\nWritten by `scripts/devtools/benchmark.py` (run it with `--help`). "
        "Each section is replaced when it is run again.\n")
    for section in sections:
        block = (f"<!-- section:{section.name} -->\n{section.markdown()}\n\n"
                 f"_Run {dt.date.today()} on {machine()}._\n<!-- /section:{section.name} -->")
        name = re.escape(section.name)
        pattern = re.compile(rf"<!-- section:{name} -->.*?<!-- /section:{name} -->", re.S)
        # Backslashes doubled: re.sub would read them in the replacement as group references.
        text = pattern.sub(block.replace("\\", "\\\\"), text) if pattern.search(text) \
            else text.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", action="append", choices=sorted(SECTIONS),
                        help="run only this section (repeatable; default: all)")
    parser.add_argument("--finder-sizes", default=FINDER_SIZES,
                        help=f"finder: numbers of synthetic listings, comma-separated (default {FINDER_SIZES})")
    parser.add_argument("--count", type=int, default=None,
                        help="finder: one number of synthetic listings instead of --finder-sizes")
    parser.add_argument("--sizes", default=BLOG_SIZES,
                        help=f"blog: posts:listings at each size, comma-separated (default {BLOG_SIZES})")
    parser.add_argument("--cards-max-posts", type=int, default=100,
                        help="blog: also build with social cards (cold cache) up to this many posts (default 100)")
    parser.add_argument("--linkchecker-max-posts", type=int, default=1000,
                        help="blog: run linkchecker up to this many posts (default 1000)")
    parser.add_argument("--linkchecker-timeout", type=float, default=600,
                        help="blog: stop linkchecker after this many s")
    parser.add_argument("--repeats", type=int, default=5,
                        help="blog: build (b) and plain Material this many times each, keeping the best (default 5)")
    parser.add_argument("--profile-posts", type=int, default=1000,
                        help="blog: cProfile the (a) build at this size, into benchmarks/profile-N-posts.txt "
                             "(default 1000)")
    parser.add_argument("--engine-sizes", default=ENGINE_SIZES,
                        help=f"engines: posts:listings at each size, comma-separated (default {ENGINE_SIZES})")
    parser.add_argument("--engine-repeats", type=int, default=2,
                        help="engines: builds of each engine at each size, taking turns; the best counts (default 2)")
    parser.add_argument("--lighthouse-runs", type=int, default=3,
                        help="lighthouse: runs of a page that misses the budget on the first; the median counts")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help=f"results file (default {RESULTS.relative_to(PROJECT_ROOT)})")
    parser.add_argument("--no-write", action="store_true", help="print only; leave the results file alone")
    args = parser.parse_args(argv)
    sections = [SECTIONS[name](args) for name in (args.section or sorted(SECTIONS))]
    for section in sections:
        print_table(section)
    if not args.no_write:
        write_results(sections, args.output)
        print(f"\nwritten to {args.output}")
    return 0 if all(section.ok for section in sections) else 1


if __name__ == "__main__":
    raise SystemExit(main())
