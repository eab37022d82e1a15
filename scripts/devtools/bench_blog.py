"""The benchmark's blog section: synthetic posts and listings at several sizes, this project's
site against plain Material, link checks (run by scripts/devtools/benchmark.py --section blog)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clinic_site import pipeline
from clinic_site.content_rules import HEALTH_CATEGORIES  # such posts need a clinical review
from clinic_site.finder import zip_positions
from devtools import checkout
from devtools.bench_common import Section, build, kib, sizes
from devtools.project_copy import copy_project
from devtools.site_build import MKDOCS_ENV
from devtools.static_server import StaticServer

PROJECT_ROOT = checkout()   # the checkout found from the current folder

BLOG_SIZES = "100:500,1000:5000,3000:20000"
OVERHEAD_LIMIT = 1.10  # the target: at most 10% over Material with the same plugins
_TOPICS = ["lower back pain", "neck stiffness", "swelling after surgery", "shoulder mobility", "desk posture",
           "running injuries", "scar tissue", "tension headaches", "knee rehabilitation", "sleep and recovery"]
_SENTENCES = [
    "Medical massage works best as one part of a plan your physical therapist writes with you.",
    "Research on this question is limited, so we say where the evidence is weak and where it is stronger.",
    "Your therapist will ask about your history, medicines and goals before the first session.",
    "Short sessions repeated over a few weeks are common; one visit rarely changes much on its own.",
    "Tell your therapist at once if pressure causes sharp pain, numbness or dizziness.",
    "Gentle movement between sessions keeps the gains, and your physical therapist can show you how.",
    "Swelling, bruising and fever are reasons to wait and ask your doctor before any massage.",
    "Licensed professionals follow state rules, and you can check a license with the state board.",
]


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """'100:500,1000:5000' -> [(100, 500), (1000, 5000)]: posts and listings at each size."""
    sizes_ = []
    for part in text.split(","):
        posts, _, listings_ = part.strip().partition(":")
        sizes_.append((int(posts), int(listings_ or 0)))
    return sizes_


def synthetic_post(number: int, rng, authors: list[str], categories: list[str], today: dt.date) -> str:
    topic = rng.choice(_TOPICS)
    created = today - dt.timedelta(days=rng.randint(1, 3000))
    description = f"Synthetic post {number:05d} for benchmarks, on what medical massage may and may not do for {topic}."
    assert 50 <= len(description) <= 160, description

    def paragraph():
        return " ".join(rng.sample(_SENTENCES, 4))
    return (f"---\ndate:\n  created: {created.isoformat()}\nauthors:\n  - {rng.choice(authors)}\n"
            f"categories:\n  - {rng.choice(categories)}\ndescription: {description}\n"
            f"slug: synthetic-post-{number:05d}\n---\n\n# Synthetic post {number:05d}: {topic}\n\n"
            f"{paragraph()}\n\n<!-- more -->\n\n## What to expect\n\n{paragraph()}\n\n"
            f"{paragraph()} See the [guide](../../guide/index.md) for more.\n\n"
            f"## When to ask first\n\n{paragraph()}\n")


def generate_posts(count: int, folder: Path, *, seed: int = 1) -> None:
    import random

    from clinic_site import seo
    from clinic_site.project import Project, Settings
    authors = sorted(seo.load_people(PROJECT_ROOT / "docs/blog/.authors.yml", "/"))
    blog = Settings.read(Project.find(PROJECT_ROOT / "mkdocs.yml"))[0].plugin("blog") or {}
    rng, today = random.Random(seed), pipeline.clinic_today(checkout())   # the clinic's day, as the build judges
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"synthetic-{number:05d}.md").write_text(
            synthetic_post(number, rng, authors, [c for c in blog["categories_allowed"] if c not in HEALTH_CATEGORIES]
                           or blog["categories_allowed"], today), encoding="utf-8")


def without_social(config_text: str) -> str:
    """mkdocs.yml text with the social cards plugin left out. (Listed with `enabled: false`, it
    still imports its drawing libraries: about 0.15 s a build that draws no card.)"""
    return re.sub(r"^  - social:\n(?:      .*\n|\s*\n)*", "", config_text, flags=re.M)


def set_social(project: Path, enabled: bool) -> None:
    """A copy's mkdocs.yml: the project's own (cards on), or the same without the social plugin."""
    text = (PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(text if enabled else without_social(text), encoding="utf-8")


def empty_card_cache(project: Path) -> None:
    """Everything the social plugin cached, except the committed fonts: the next build is a cold one."""
    cache = project / ".cache/social"
    for entry in cache.iterdir() if cache.is_dir() else ():
        if entry.name != "fonts":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def plain_material_config(with_fix: bool, keep=("search", "blog")) -> str:
    """mkdocs.yml for plain Material: same pages, markdown extensions and settings of the plugins
    in `keep`; no custom_dir, no hooks (but the one blog_speed fix when with_fix); the site's name,
    logo and favicon from clinic.yml, as our adapter sets them."""
    import yaml

    from clinic_site.project import Project, Settings
    settings, _problems = Settings.read(Project.find(PROJECT_ROOT / "mkdocs.yml"))
    ours = settings.data
    plugins = [p for p in ours["plugins"] if (next(iter(p)) if isinstance(p, dict) else p) in keep]
    theme = {k: v for k, v in ours["theme"].items() if k != "custom_dir"}
    if settings.clinic.get("logo"):
        theme.update(logo=settings.clinic["logo"], favicon=settings.clinic["logo"])
    config = {k: ours[k] for k in ("site_url", "site_description", "nav", "not_in_nav",
                                   "markdown_extensions", "exclude_docs", "validation", "extra_css",
                                   "extra_javascript") if k in ours}
    config = {"site_name": settings.site_name, **config}
    config.update(theme=theme, plugins=plugins)
    if with_fix:
        config["hooks"] = ["blog_speed_hook.py"]
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


_SPEED_HOOK = '''"""Only Material's blog fix (clinic_site/engines/mkdocs/blog_speed.py), for plain Material."""
from clinic_site.engines.mkdocs import blog_speed


def on_nav(nav, config, files):
    blog_speed.use_identity_lookup(config.plugins)
    return nav
'''


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def time_check_links(site: Path) -> tuple[float, int, int]:
    from clinic_site import check_links
    started = time.perf_counter()
    problems, pages, _refs = check_links.check_site(site)
    return time.perf_counter() - started, pages, len(problems)


# linkchecker's settings for the suite (tests/test_links.py) and this benchmark:
# - maxrequestspersecond: see UnthrottledHandler.
# - maxfilesize*: linkchecker reads at most 1 MB of a page for links (and downloads at most
#   5 MB); the therapist directory lists every listing in one page (2.8 MB at 5,000
#   listings): without these it silently skipped most listing and city pages.
# - nofollow: every listing and city page (therapists/<id>/, therapists/cities/<slug>/) is
#   still fetched and must answer, but the links inside them are left to check_links.py,
#   which checks them (and their anchors, mailto: and tel:) in a fraction of the time.
#   Parsing thousands of these same-shaped pages with html.parser was most of linkchecker's
#   time (143 s at 1,000 posts and 5,000 listings; 60 s without).
LINKCHECKER_RC = ("[checking]\nmaxrequestspersecond=1000\n"
                  "maxfilesizeparse=104857600\nmaxfilesizedownload=104857600\n"
                  "[filtering]\nnofollow=\n  /therapists/.+/\n")


def unthrottled(_path: str) -> dict[str, str]:
    """linkchecker waits 0.1-0.6 s between requests to one host unless the server answers with a
    `LinkChecker` header; with it, its maxrequestspersecond setting applies (see run_linkchecker)."""
    return {"LinkChecker": "local test server"}


def run_linkchecker(site: Path, timeout: float) -> subprocess.CompletedProcess:
    """linkchecker crawling `site` served on 127.0.0.1, unthrottled, with LINKCHECKER_RC (the suite's
    tests/test_links.py and this benchmark run the same); raises subprocess.TimeoutExpired."""
    rc = site.parent / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC, encoding="utf-8")
    with StaticServer(site, headers_for=unthrottled) as server:
        return subprocess.run([str(Path(sys.executable).parent / "linkchecker"), "--config", str(rc), "--no-status",
                               "--no-warnings", "--threads", "4", server.url + "/"],
                              capture_output=True, text=True, timeout=timeout)


def time_linkchecker(site: Path, timeout: float) -> tuple[float | None, str]:
    started = time.perf_counter()
    try:
        result = run_linkchecker(site, timeout)
    except subprocess.TimeoutExpired:
        return None, f"stopped after {timeout:.0f} s"
    summary = re.search(r"That's it\. (.*)", result.stdout)
    return time.perf_counter() - started, summary.group(1).strip() if summary else result.stdout[-300:].strip()


def profile_build(project: Path, out: Path, top: int = 25) -> tuple[float, list[tuple[str, float]]]:
    """cProfile one `mkdocs build` (which runs every stage through the adapter's hook); writes the top
    `top` functions by cumulative time; returns (total s, where our code's time went): each stage's
    cumulative time, then each of the package's modules by the time spent in its own code."""
    import io
    import pstats
    stats_file = project / "build.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "mkdocs", "build", "--quiet",
                    "--site-dir", "site-profile"], cwd=project, capture_output=True, text=True, check=True,
                   env={**os.environ, **MKDOCS_ENV})
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt  # type: ignore[attr-defined]  # set by pstats, missing from typeshed
    text = io.StringIO()
    pstats.Stats(str(stats_file), stream=text).strip_dirs().sort_stats("cumulative").print_stats(top)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.getvalue().replace(str(project), "<project>"), encoding="utf-8")
    stages: dict[str, float] = {}
    modules: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        path = Path(filename).as_posix()
        if "/clinic_site/" not in path:
            continue
        module = "clinic_site/" + path.split("/clinic_site/", 1)[1]
        modules[module] = modules.get(module, 0.0) + own
        if module == "clinic_site/pipeline.py" and function in ("stage", "post_build"):
            stages[f"{function.replace('_', '-')} stage (cumulative)"] = cumulative
    ours = sorted(stages.items()) + sorted(modules.items(), key=lambda item: -item[1])
    return total, ours


def bench_blog(size_text: str, *, cards_max_posts: int, linkchecker_max_posts: int, linkchecker_timeout: float,
               profile_posts: int, repeats: int = 5, write: Callable[[Section], None] | None = None) -> Section:
    from devtools import generate_listings
    rows: list[tuple[str, str]] = []
    growth: list[tuple[str, str]] = []
    title = f"Blog, {size_text.replace(',', ', ')} (posts:listings)"
    results: dict[int, dict] = {}
    print("writing the ZIP position cache once, in a scratch folder...", flush=True)
    with tempfile.TemporaryDirectory(prefix="zip-cache-") as scratch:
        started = time.perf_counter()
        zip_positions.ZipCache(Path(scratch), b"benchmark" * 4)
        rows.append(("ZIP position cache, written on a machine's first build (then reused)",
                     f"{time.perf_counter() - started:.1f} s"))
    notes = [
        "(a) our full site: this project's mkdocs.yml, its stages (stage, MkDocs, post-build: scripts/clinic_site/"
        "pipeline.py), overrides, finder with the listings; (b) the same with no listings; plain: Material with only "
        "the search and blog plugins (same settings), the same markdown_extensions, nav and pages, no custom_dir, "
        "no hooks, no social/redirects. 'plain + fix' adds only clinic_site/engines/mkdocs/blog_speed.py as a "
        "one-function hook; 'Material with our plugins' also has the redirects plugin with our settings: the same "
        "build as (b) without this project's stages and overrides (which also check every page, link and file, and "
        "write the feeds, sitemaps and headers), which is what the 10% target is measured against.",
        "Build times (a), (b) and plain are without the social cards plugin, so they compare the same work; "
        "'(a) with social cards, cold' is one more build with cards on and the card cache emptied first "
        "(every card drawn), 'warm' the build after it (cards reused, as on a machine or CI run that "
        "keeps .cache/: see .github/workflows/deploy.yml).",
        "Each build is timed from a warm ZIP position cache (.cache/zip-positions, written once per machine; "
        "its first writing is timed on its own row).",
        "check_links: scripts/clinic_site/check_links.py over the built (a) site (every internal link, file and "
        "#anchor). "
        "linkchecker: `linkchecker --no-status --no-warnings --threads 4` crawling (a) served on 127.0.0.1 "
        "(no anchor checks), unthrottled: by default linkchecker waits 0.1-0.6 s between requests to one host "
        "(about 10 pages a second whatever the threads); the local server answers with a `LinkChecker` header and "
        "a config file sets maxrequestspersecond=1000, which lifts that wait.",
        "(b), plain + fix and 'Material with our plugins' are each built `--repeats` times (default 5), taking turns, "
        "and the best time is shown, since other work on the machine only adds time; the other figures are one build. "
        "(b)'s builds after its first are rebuilds: what the post-build stage's parsers read in each unchanged page "
        "is remembered (scripts/clinic_site/postbuild/remembered.py), as in `clinic serve` and a CI run that keeps "
        ".cache/; its first build, with nothing remembered, is shown on its own row. "
        "The overhead is given by wall time and by CPU time (user + system of the build process and its children), "
        "which other load on a shared machine disturbs less; the target must hold for both.",
    ]
    with tempfile.TemporaryDirectory(prefix="blog-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for posts, listing_count in parse_sizes(size_text):
            label = f"{posts:,} posts"
            print(f"\n== {posts} posts, {listing_count} listings", flush=True)
            ours = copy_project(tmp / f"ours-{posts}")
            generate_posts(posts, ours / "docs/blog/posts")
            listings_dir = ours / "docs/therapists/listings"
            for file in listings_dir.glob("*.yml"):
                file.unlink()
            set_social(ours, False)
            no_listings = tmp / f"ours-{posts}-no-listings"
            shutil.copytree(ours, no_listings, symlinks=True)
            generate_listings.generate(listing_count, listings_dir, seed=1)
            plain = tmp / f"plain-{posts}"
            plain.mkdir()
            shutil.copytree(no_listings / "docs", plain / "docs")
            shutil.copytree(no_listings / "scripts", plain / "scripts")
            (plain / "blog_speed_hook.py").write_text(_SPEED_HOOK, encoding="utf-8")
            plain_configs = {
                "plain": plain_material_config(False),
                "plain_fix": plain_material_config(True),
                "same_fix": plain_material_config(True, keep=("search", "blog", "redirects")),
            }
            for key, text in plain_configs.items():
                (plain / f"mkdocs-{key}.yml").write_text(text, encoding="utf-8")
            for page in (plain / "docs").rglob("*.md"):  # templates from overrides/: Material's main.html instead
                text = page.read_text(encoding="utf-8")
                if re.search(r"^template:", text, re.M):
                    page.write_text(re.sub(r"^template:.*\n", "", text, count=1, flags=re.M), encoding="utf-8")
            r = results[posts] = {"listings": listing_count}

            def timed(key, project, site="site", config="mkdocs.yml", r=r):
                print(f"building {key}...", flush=True)
                seconds, cpu = build(project, site, config)
                if key == "b" and "b_first" not in r:   # nothing remembered yet (.cache/readings.json)
                    r["b_first"], r["b_first_cpu"] = seconds, cpu
                # Repeated builds: keep the best, as other load on the machine only adds time.
                r[key] = min(seconds, r.get(key, seconds))
                r[key + "_cpu"] = min(cpu, r.get(key + "_cpu", cpu))
                print(f"  {seconds:.1f} s ({cpu:.1f} s CPU)", flush=True)
            timed("a", ours)
            timed("plain", plain, "site", "mkdocs-plain.yml")
            # The ratios compare builds of a few seconds each, so each is built `repeats` times,
            # taking turns so that the machine's other load falls on all alike.
            for _ in range(repeats):
                timed("b", no_listings)
                timed("plain_fix", plain, "site-fix", "mkdocs-plain_fix.yml")
                timed("same_fix", plain, "site-same", "mkdocs-same_fix.yml")
            site = ours / "site"
            # the site search's index (search-index/): every file, as one
            r["search"] = sizes(b"".join(file.read_bytes() for file in sorted((site / "search-index").rglob("*"))
                                         if file.is_file()))
            r["directory"] = sizes((site / "therapists/index.html").read_bytes())
            shards = [p.read_bytes() for p in sorted((site / "therapists/zip").glob("*.json"))]
            r["data"] = sizes(b"".join([(site / "assets/finder.js").read_bytes()] + shards))
            r["site_bytes"] = folder_bytes(site)
            r["plain_bytes"] = folder_bytes(plain / "site")
            r["html_pages"] = sum(1 for _ in site.rglob("*.html"))
            r["check_links"] = time_check_links(site)
            print(f"  check_links {r['check_links'][0]:.1f} s, {r['check_links'][2]} broken", flush=True)
            if posts <= linkchecker_max_posts:
                print("linkchecker...", flush=True)
                r["linkchecker"] = time_linkchecker(site, linkchecker_timeout)
            if posts == profile_posts:
                print("profiling...", flush=True)
                r["profile"] = profile_build(ours, PROJECT_ROOT / f"benchmarks/profile-{posts}-posts.txt")
            if posts <= cards_max_posts:
                set_social(ours, True)
                empty_card_cache(ours)
                timed("a_cards", ours, "site-cards")
                timed("a_cards_warm", ours, "site-cards")
            shutil.rmtree(tmp / f"ours-{posts}")
            shutil.rmtree(no_listings)
            shutil.rmtree(plain)

            rows += [
                (f"**{label}, {listing_count:,} listings**", f"{r['html_pages']:,} HTML pages in (a)"),
                (f"{label}: (a) our full site", f"{r['a']:.1f} s"),
                (f"{label}: (b) our site, no listings", f"{r['b']:.1f} s"),
                (f"{label}: (c) seconds the finder adds, (a) - (b)", f"{r['a'] - r['b']:.1f} s"),
                (f"{label}: plain Material", f"{r['plain']:.1f} s"),
                (f"{label}: plain Material + blog_speed fix", f"{r['plain_fix']:.1f} s"),
                (f"{label}: Material with our plugins (+ redirects) + fix, no stages, hooks or overrides",
                 f"{r['same_fix']:.1f} s"),
                (f"{label}: overhead of our stages and overrides, (b) / Material with our plugins + fix "
                 "(target < 1.10 by wall and by CPU time; (b) rebuilt, the pages' readings remembered)",
                 f"{overhead(r, ''):.3f} wall, {overhead(r, '_cpu'):.3f} CPU: {'PASS' if passes(r) else 'FAIL'}"),
                (f"{label}: the same for (b)'s first build, nothing remembered (shown, no budget)",
                 f"{r['b_first'] / r['same_fix']:.3f} wall, {r['b_first_cpu'] / r['same_fix_cpu']:.3f} CPU"),
                (f"{label}: overhead with the redirects plugin counted too, (b) / plain + fix",
                 f"{r['b'] / r['plain_fix']:.2f}"),
                (f"{label}: (b) / plain Material as shipped", f"{r['b'] / r['plain']:.2f}"),
            ]
            if "a_cards" in r:
                rows += [(f"{label}: (a) with social cards, cold cache (every card drawn)", f"{r['a_cards']:.1f} s"),
                         (f"{label}: (a) with social cards, warm cache (the next build)", f"{r['a_cards_warm']:.1f} s")]
            rows += [
                (f"{label}: search index (search-index/)", f"{kib(r['search'][0])} raw, {kib(r['search'][1])} gzip"),
                (f"{label}: directory page", f"{kib(r['directory'][0])} raw, {kib(r['directory'][1])} gzip"),
                (f"{label}: directory data (finder.js + all ZIP shards)",
                 f"{kib(r['data'][0])} raw, {kib(r['data'][1])} gzip"),
                (f"{label}: total site (a) / plain",
                 f"{r['site_bytes'] / 2**20:,.1f} MiB / {r['plain_bytes'] / 2**20:,.1f} MiB"),
                (f"{label}: check_links.py", f"{r['check_links'][0]:.1f} s ({r['check_links'][1]:,} pages, "
                                             f"{r['check_links'][2]} broken)"),
            ]
            if "linkchecker" in r:
                seconds, summary = r["linkchecker"]
                rows.append((f"{label}: linkchecker", (f"{seconds:.1f} s" if seconds else "n/a") + f" ({summary})"))
            else:
                rows.append((f"{label}: linkchecker", f"not run (only up to {linkchecker_max_posts:,} posts)"))
            if "profile" in r:
                total, ours_costs = r["profile"]
                share = ", ".join(f"{name} {cost:.2f} s ({cost / total:.1%})" for name, cost in ours_costs[:8])
                rows.append((f"{label}: profiled build (cProfile): each stage, then our modules by their own time",
                             f"{total:.1f} s total; {share}"))
            growth = []
            counts = sorted(results)
            for small, large in zip(counts, counts[1:], strict=False):
                for key, name in (("b", "(b) our site"), ("plain", "plain Material"), ("plain_fix", "plain + fix")):
                    growth.append((f"growth {large:,} vs {small:,} posts ({large / small:.0f}x posts): {name}",
                                   f"{results[large][key] / results[small][key]:.2f}x"))
            if write:
                write(Section("blog", title, rows + growth, notes))
    ok = all(passes(r) for r in results.values())
    return Section("blog", title, rows + growth, notes, ok)


def overhead(r: dict, kind: str) -> float:
    """(b) / Material with the same plugins + fix, by wall time (kind '') or CPU time ('_cpu')."""
    return r["b" + kind] / r["same_fix" + kind]


def passes(r: dict) -> bool:
    return overhead(r, "") < OVERHEAD_LIMIT and overhead(r, "_cpu") < OVERHEAD_LIMIT
