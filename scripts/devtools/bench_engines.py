"""The benchmark's `engines` section: the same content built by each engine, to pick the default.

Each size is one copy of the project with synthetic posts (devtools.bench_blog.generate_posts)
and listings (devtools.generate_listings), social cards off (Zensical 0.0.73 cannot draw them
here: README, "A second engine"), built with `clinic build --engine NAME` (stage, engine,
post-build: the whole build staff run) by each engine in turn, `repeats` times, keeping the best
wall and CPU time (other load on the machine only adds time). CPU time is the build's process
and its children's (Zensical's Rust threads included).
"""
from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from devtools import bench_blog, generate_listings
from devtools.bench_common import Section
from devtools.project_copy import copy_project
from devtools.site_build import clinic_build

ENGINES = ("mkdocs", "zensical")
ENGINE_SIZES = "1000:5000,0:20000"   # posts:listings, as the issue names them


def timed_build(project: Path, engine: str) -> tuple[float, float, int]:
    """(wall s, CPU s, files written) of one `clinic build --engine ENGINE` of `project`.
    Raises SystemExit with the build's last words when it fails."""
    site = project / f"site-{engine}"
    shutil.rmtree(site, ignore_errors=True)
    for remembered in (project / ".cache").glob("readings*.json"):   # every page parsed, on each build
        remembered.unlink()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = clinic_build(site, project / "mkdocs.yml", "--engine", engine)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        said = (result.stdout + result.stderr)[-4000:]
        raise SystemExit(f"clinic build --engine {engine} of {project} failed:\n{said}")
    files = sum(1 for path in site.rglob("*") if path.is_file())
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), files


def bench_engines(size_text: str = ENGINE_SIZES, *, repeats: int = 2) -> Section:
    """The `engines` section: for each "posts:listings" size of `size_text`, each engine's best
    build time of `repeats` (wall and CPU seconds), its files, and the ratio to MkDocs."""
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="engines-bench-") as tmp_name:
        for posts, listings in bench_blog.parse_sizes(size_text):
            label = f"{posts:,} posts, {listings:,} listings"
            print(f"\n== {label}", flush=True)
            project = copy_project(Path(tmp_name) / f"p{posts}-{listings}")
            if posts:
                bench_blog.generate_posts(posts, project / "docs/blog/posts")
            listings_dir = project / "docs/therapists/listings"
            for file in listings_dir.glob("*.yml"):
                file.unlink()
            generate_listings.generate(listings, listings_dir, seed=1)
            bench_blog.set_social(project, False)
            best: dict[str, tuple[float, float, int]] = {}
            for _ in range(repeats):   # taking turns, so the machine's other load falls on both alike
                for engine in ENGINES:
                    print(f"building with {engine}...", flush=True)
                    wall, cpu, files = timed_build(project, engine)
                    print(f"  {wall:.1f} s ({cpu:.1f} s CPU), {files:,} files", flush=True)
                    old = best.get(engine)
                    best[engine] = (min(wall, old[0]), min(cpu, old[1]), files) if old else (wall, cpu, files)
            base_wall, base_cpu, _files = best["mkdocs"]
            for engine in ENGINES:
                wall, cpu, files = best[engine]
                rows.append((f"{label}: clinic build --engine {engine}",
                             f"{wall:.1f} s wall, {cpu:.1f} s CPU ({wall / base_wall:.2f} and {cpu / base_cpu:.2f} "
                             f"of MkDocs'), {files:,} files"))
    notes = [f"`clinic build --engine NAME` of one copy of the project per size, synthetic posts and listings, "
             f"social cards off; each engine built {repeats} times, taking turns, best time shown.",
             "Both builds run the same stage and post-build (every check, the feeds, sitemaps, headers, the "
             "search index); only the engine between them differs.",
             "Every build here parses every page: the pages' remembered readings "
             "(scripts/clinic_site/postbuild/remembered.py, one file per engine) are removed before each build."]
    return Section("engines", "The same content on each engine", rows, notes)
