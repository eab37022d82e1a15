"""Stage 3 of a run: everything done to the built folder after the engine, the same for every engine.

In order:
1. every page the stage expected is where it said (a page the engine put elsewhere is named);
2. what the allowlist took out of a page's Markdown HTML, named at its source line;
3. the blog's feeds, the sitemaps, robots.txt, the finder's data files and ZIP positions
   (postbuild/publish.py); the editor at admin/ (postbuild/editor.py, held to its own rule:
   exactly the editor's files);
4. one pass over every published file: each page's <head> (its meta description escaped once,
   its link-preview tags, its schema.org JSON-LD: postbuild/head.py); the guard (every file a
   browser could run holds only the site's own code: clinic_site.guard, named where it was
   written); each page's links and anchors read; each page handed to the site search's index
   (postbuild/site_search.py), written after the pass;
5. `_headers`, with a Content-Security-Policy that lists the site's own code the pages use;
6. every internal link and anchor of every page, the generated ones included (postbuild/links.py);
   a file or folder whose name differs from one the build writes itself (robots.txt, search-index/)
   only in letter case or accents (stage/addresses.py, the stage's rule over the whole site folder);
7. in the preview, each page's problems in a box at its top (the build stops on them instead).
"""
from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from clinic_site import check_links, folders, guard, headers, published, render, sanitize, yamlfile
from clinic_site.postbuild import editor, head, links, placeholders, publish, remembered, site_search
from clinic_site.problems import Problem, errors
from clinic_site.project import user_secret
from clinic_site.stage import addresses


def run(run, site_dir: Path) -> None:
    """The post-build stage of `run` (clinic_site.pipeline.Run) over `site_dir`; problems into the run.
    Each published page is read once and written at most once (the head), whatever reads it."""
    staged = run.staged
    by_dest = {record.dest: record for record in staged.records.values()}
    pages = run.output.pages
    config_shown = run.project.shown(run.project.config_file)
    problems: list[Problem] = []
    appended = appended_snippets(run)
    for src_uri, removed in run.output.removed.items():
        source = staged.sources.get(src_uri)
        if source is not None:
            problems += sanitize.problems_at(source, removed, appended)
    problems += publish.write_all(run, site_dir, by_dest)
    search_problems = site_search.prepare(site_dir, staged.settings.docs_path, staged.docs_dir)
    search_index = site_search.Index()
    admin, found = editor.write(run, site_dir)
    problems += found
    code = run.output.site_code
    copied = {uri: f"{staged.settings.docs_path}/{uri}" for uri in _copied(staged)}
    output_guard = guard.OutputGuard(code if isinstance(code, guard.SiteCode) else guard.SiteCode(), staged.sources,
                                     shared=appended + shared_settings(run), copied=copied)
    readings = remembered.Readings(run.project.cache_dir / remembered.file_for(run.engine), output_guard.code,
                                   user_secret(run.project.root), run.project.root)
    link_pages, files = {}, set()
    live = staged.settings.clinic.get("live") is True if isinstance(staged.settings.clinic, dict) else False
    page_links: dict[str, list[str]] = {}   # live: what each page links, for placeholders (clinic_site.launch)
    page_files: dict[str, str] = {}
    copied = output_guard.copied
    for dest, file in _published(site_dir):
        files.add(dest)
        if dest == "_headers" and dest not in copied:
            continue   # the build's own, written below
        if editor.is_admin(dest):
            continue   # the editor's folder, held to its own rule below
        shown = copied.get(dest)
        kind = published.kind_of(dest)
        if kind == "refused":
            output_guard.refuse(dest, published.refused_why(dest), shown)
            continue
        if kind == "passive":
            if dest == "CNAME":   # GitHub Pages' custom domain: only the site's own host
                output_guard.custom_domain(dest, published.decode(file.read_bytes())[0], shown)
            continue
        data = file.read_bytes()
        text, why = published.decode(data)
        if text is None:
            output_guard.refuse(dest, str(why), shown)
            continue
        if kind == "css":
            output_guard.stylesheet(dest, text, shown)
            continue
        if dest in pages:   # a page the engine wrote: its head, from what the stage knows
            text = head.rewrite(run, site_dir, dest, text, by_dest.get(dest))
            data = text.encode("utf-8")
            file.write_bytes(data)
        src_uri = pages.get(dest)
        src_uri = src_uri if src_uri in staged.sources else None
        if kind != "html":
            output_guard.page(dest, text, src_uri, shown=shown)
            continue
        # What the parsers read in the page: remembered from a run that read exactly this text,
        # else read from one parse (the guard, then the site search). What is allowed is judged
        # on every run, from the reading.
        key = readings.key(dest, data)
        known = readings.get(key, dest)
        if known is None:
            tree = LexborHTMLParser(text)
            reading = guard.read(text, dest, output_guard.code, tree)
            known = reading, search_index.read(dest, text, tree)
            readings.put(key, dest, *known)
        reading = known[0]
        output_guard.judge(dest, text, reading, src_uri, shown)
        search_index.add(dest, text, known[1])
        link_pages[dest] = check_links.Page(reading.ids, reading.refs, reading.repeated)
        if live:
            page_links[dest] = reading.refs
            page_files[dest] = shown or (by_dest[dest].shown if dest in by_dest else dest)
    for dest, record in by_dest.items():
        if dest not in files and record.kind != "problem":
            problems.append(Problem(record.shown, 1, "", f"was expected at {record.url or '/'} but the engine "
                                    "did not write it there", "ask a developer: the stage and the engine disagree "
                                    "on where this page goes (clinic_site/stage/blog.py)"))
    indexed = sorted(search_index.pages)   # remembered whole when every page it indexes was read as before
    problems += search_problems or search_index.write(site_dir, config_shown, readings.index_files(indexed))
    readings.keep_index(indexed, search_index.files)
    readings.save()
    shown_of = {**{dest: record.shown for dest, record in by_dest.items()}, **copied}
    editor.judge(admin, site_dir, output_guard, shown_of, link_pages)
    problems += placeholders.published_placeholders(page_links, staged.markers, page_files)
    problems += output_guard.problems()
    problems += headers.write_headers_file(site_dir, output_guard.used(), config_shown, admin.policy,
                                           staged.settings.docs_path)
    # A link another problem already names at its line (MkDocs' "starts with '/'", the guard's
    # "javascript:" address) is not named twice; any other problem on that line hides no link.
    already = {(problem.path, problem.line, quoted) for problem in run.problems + problems
               for quoted in re.findall(r"'([^']*)'", problem.what)}
    problems += [problem for problem in links.problems(run, link_pages, files | {"_headers"}, by_dest)
                 if not any((problem.path, problem.line, quoted) in already
                            for quoted in re.findall(r"'([^']*)'", problem.what))]
    # Robots.txt beside the build's robots.txt: every file of the site, the ones written since the walk included
    written = {f"{site_search.FOLDER}/{name}" for name in search_index.files} | {"_headers"}
    problems += addresses.own_file_collisions(files | written, by_dest.values(), copied, staged.settings.docs_path)
    run.add(problems)
    if run.serving:
        _problem_boxes(run, site_dir, by_dest)
        _withhold(output_guard, site_dir)


_WITHHELD_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not shown: this page holds "
                  "something the site may not publish</title></head><body><main>{box}</main></body></html>")


def _withhold(output_guard, site_dir: Path) -> None:
    """The preview never serves a file its guard flags: a page is replaced by its problems, any
    other file is removed (the build stops instead of publishing either)."""
    for dest in sorted(output_guard.flagged()):
        file = site_dir / dest
        if not file.is_file():
            continue
        if published.kind_of(dest) == "html":
            box = render.problem_box(output_guard.problems_for(dest))
            file.write_text(_WITHHELD_PAGE.format(box=box), encoding="utf-8")
        else:
            file.unlink()


def _published(site_dir: Path):
    """(path in the site, file) of every file of the built folder (clinic_site.folders.files)."""
    for dest, path in folders.files(site_dir):
        yield dest, Path(path)


def _copied(staged) -> list[str]:
    """The files published as they are (paths inside docs/ and the site)."""
    return [uri for uri in _staged_files(staged.docs_dir) if not uri.endswith(".md")]


def _staged_files(folder: Path) -> list[str]:
    return [path for path, entry in folders.entries(folder) if entry.is_file(follow_symlinks=False)
            and not entry.name.startswith(".")]


def appended_snippets(run) -> list[tuple[str, str]]:
    """(path as shown, text) of the snippets appended to every page (docs/.snippets, auto_append),
    where what shows on every page may have been written."""
    staged = run.staged
    folder = staged.snippets_dir
    if folder is None:
        return []
    return [(f"{staged.settings.docs_path}/.snippets/{name}", (folder / name).read_text(encoding="utf-8"))
            for name in staged.appended if (folder / name).is_file()]


def shared_settings(run) -> list[tuple[str, str]]:
    """Settings files whose text templates show on many pages, where a finding on many pages is
    named: (path as shown, text) of .authors.yml, clinic.yml and mkdocs.yml, in that order."""
    settings = run.staged.settings
    authors = settings.docs_dir / "blog" / ".authors.yml"
    found = []
    if authors.is_file():
        text, _problems = yamlfile.read_text(authors, run.project.shown(authors))   # bounded; named by the stage
        if text is not None:
            found.append((run.project.shown(authors), text))
    if settings.clinic_text:
        found.append((run.project.shown(run.project.clinic_file), settings.clinic_text))
    found.append((run.project.shown(run.project.config_file), settings.text))
    return found


def _problem_boxes(run, site_dir: Path, by_dest: dict) -> None:
    """The preview: each page shows its own errors, and those of files that are no page
    (settings, data files, pages left out), in a box at the top of its article."""
    found = errors(run.problems)
    if not found:
        return
    page_paths = {record.shown for record in by_dest.values() if record.src_uri in run.staged.sources}
    elsewhere = [problem for problem in found if problem.path not in page_paths]
    for dest, record in by_dest.items():
        mine = [problem for problem in found if problem.path == record.shown and record.kind != "problem"]
        if not (mine or elsewhere):
            continue
        file = site_dir / dest
        if file.is_file():
            text = file.read_text(encoding="utf-8")
            file.write_text(guard.with_problem_box(text, render.problem_box(mine + elsewhere)), encoding="utf-8")
