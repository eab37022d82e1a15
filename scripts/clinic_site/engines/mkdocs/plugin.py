"""MkDocs' events, each a thin call into the run (clinic_site.pipeline). mkdocs.yml lists one hook,
scripts/hooks/clinic.py, which is this module's events and nothing else.

Under `clinic build`, `clinic serve` and `clinic check` a run is already in progress: these events
only hand MkDocs the staged folder and collect what the engine alone knows. Under a plain
`mkdocs build` or `mkdocs serve` the first event starts the same run (stage 1) and the last one
finishes it (stage 3), so the same problems are found in the same words either way.

- on_config: the staged folder as docs_dir; the clinic's details for templates
  (config.extra.clinic_details, from clinic.yml) and the settings derived from them (site_name,
  site_author, the theme's logo and favicon, the social cards' background); includes read from
  the stage's copy of the snippets folder only; the settings the stage refused taken out; text
  settings escaped once (escaping.py).
- on_page_markdown: the page's text fields escaped once (escaping.py), as the blog's people are.
- on_files: the pages the stage generated are reached by links, not the menu.
- on_nav: Material's blog plugin made linear in the number of posts (blog_speed); its excerpts
  give their ids a prefix of their own (excerpts, installed in on_config).
- on_page_read_source, on_page_markdown, on_page_content: a page the stage generated is taken
  from the run as it is (no YAML or Markdown pass for 20,000 listings); every other page's HTML
  is kept to the allowlist (clinic_site.sanitize) and what it took out is recorded for the
  post-build stage to name.
- on_env: the theme's own inline code (for the guard and the CSP), the pages and their addresses.
- on_page_context: Previous/Next only within one section of the menu; "Edit this page" only in
  the preview.
- on_post_build (plain `mkdocs build` and `mkdocs serve`, and `clinic serve`, which is MkDocs'
  serve): the post-build stage, then a build stops on any error and the preview says every problem
  and one line (preview_lines.py); on_build_error says what stopped the engine.
- on_serve: the preview watches the sources and clinic.yml, not the staged folder it writes.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from clinic_site import layout, pipeline, sanitize
from clinic_site.engines.mkdocs import (
    blog_speed,
    deep_pages,
    escaping,
    excerpts,
    preview_lines,
    template_cache,
    theme_code,
    theme_files,
)
from clinic_site.engines.mkdocs.warnings import WarningCollector
from clinic_site.problems import ProblemsFound, errors, report_lines
from clinic_site.project import Project, remove_links
from clinic_site.stage.finder import Generated

log = logging.getLogger("mkdocs.plugins.clinic")
_state: dict = {"command": "build", "owned": None, "collector": None}


def on_startup(command, dirty):
    _state["command"] = command


@event_priority(100)  # first: every later event and plugin reads the staged folder
def on_config(config):
    run = pipeline.current()
    if run is None or _state.get("owned") is run:   # a plain `mkdocs build` / `mkdocs serve`: start the run
        mode = "serve" if _state["command"] == "serve" else "build"
        run = pipeline.Run(Project.find(config.config_file_path), mode=mode)
        if run.serving:   # the preview says what changed and, once built, every problem (preview_lines.py)
            preview_lines.build_started(run.project)
        pipeline.stage(run)
        _state["owned"] = run
        _state["collector"] = WarningCollector()
        _state["collector"].attach()
    staged = run.staged
    if staged is None:   # the stage stopped before the engine (mkdocs.yml, a folder outside): say so now, once,
        raise PluginError(str(ProblemsFound(run.problems))) from None   # in `clinic build`'s words
    config.docs_dir = str(staged.docs_dir)
    _no_links_in(Path(config.site_dir))
    config.extra.update(staged.template_values)
    _from_clinic(config, staged.clinic)
    excerpts.install()   # each blog excerpt's ids are its own (engines/mkdocs/excerpts.py)
    deep_pages.install()   # a page Markdown cannot follow is named, and the run goes on (engines/mkdocs/deep_pages.py)
    config.use_directory_urls = True   # false is refused by the stage, naming the setting: one problem, not hundreds
    _snippets_inside_project(config, staged)
    theme_files.drop_settings(config, staged.dropped)   # each named by a problem of the stage
    escaping.settings(config)   # the site's name and description reach every page escaped once
    social = config.plugins.get("material/social")
    if social is not None:
        social.config.enabled = social.config.enabled and run.cards and staged.card_fonts is not None
        layout = social.config.cards_layout_options
        layout["background_color"] = staged.clinic.colors["primary"]   # clinic.yml's colour, as checked
    return config


def _no_links_in(site_dir: Path) -> None:
    """Every symbolic link in the site folder removed (the link, never what it points to) before
    MkDocs writes there: MkDocs empties the folder but leaves a link to a folder (shutil.rmtree
    refuses links, and MkDocs ignores the error), then writes through it, so a committed
    `site/blog` linked to a folder in the builder's home had the blog's pages written there."""
    if site_dir.is_dir():
        remove_links(Path(os.path.realpath(site_dir)))   # the folder itself may be the operator's link (--site-dir)


def _from_clinic(config, clinic) -> None:
    """The settings MkDocs and the theme take from the clinic's details (clinic.yml, as the stage
    read and checked them), which mkdocs.yml no longer holds: the site's name and author are the
    clinic's name; the header's logo and the favicon are its logo."""
    if clinic.name:
        config.site_name = clinic.name
        config.site_author = clinic.name
    if clinic.logo:
        config.theme["logo"] = clinic.logo
        config.theme["favicon"] = clinic.logo


def _snippets_inside_project(config, staged) -> None:
    """pymdownx.snippets reads includes from the stage's copy of the snippets folder only (regular
    files of docs/.snippets, each include line checked by the stage: clinic_site.stage.snippets),
    whatever folder the build runs from; the pages' auto-appended files are named in it."""
    options = config.mdx_configs.get("pymdownx.snippets")
    if options is None:
        return
    folder = staged.snippets_dir or staged.docs_dir.parent / "snippets"
    options.update(base_path=[str(folder)], restrict_base_path=True, auto_append=list(staged.appended),
                   url_download=False)


def _run() -> pipeline.Run | None:
    """The run this build belongs to: the pipeline's, or the one a plain `mkdocs` command started."""
    return pipeline.current() or _state.get("owned")


def _generated(page) -> Generated | None:
    """The stage's page (stage.finder.Generated) for a page the stage generated, else None."""
    run = _run()
    return run.staged.generated.get(page.file.src_uri) if run is not None and run.staged is not None else None


def on_files(files, config):
    escaping.authors(config.plugins)   # after the blog plugin's on_config has read them
    run = _run()
    if run is not None and run.staged is not None:
        from mkdocs.structure.files import InclusionLevel
        for file in files.documentation_pages():
            if file.src_uri in run.staged.generated:   # reached by links, not the menu
                file.inclusion = InclusionLevel.NOT_IN_NAV
    return files


@event_priority(-100)  # after the blog plugin's on_nav, which gives posts back to the site
def on_nav(nav, config, files):
    blog_speed.use_identity_lookup(config.plugins)
    return nav


def on_pre_page(page, config, files):
    run = _run()
    if run is not None:
        run.output.current = page.file.src_uri
    return page


def on_page_read_source(page, config):
    if _generated(page) is not None:
        return ""   # its settings and HTML come from the run (on_page_markdown, on_page_content)
    return None


def on_page_markdown(markdown, page, config, files):
    generated = _generated(page)
    if generated is not None:
        page.meta.update(generated.meta)
        escaping.page_meta(page.meta, already_escaped=True)
        return ""
    escaping.page_meta(page.meta)   # the card's options came staged in the front matter (stage/pages.py, staged_text)
    return markdown


@event_priority(-100)  # last: the page's HTML as every extension and plugin left it
def on_page_content(html, page, config, files):
    generated = _generated(page)
    if generated is not None:
        return generated.html
    run = _run()
    cleaned = sanitize.clean(html)
    removed = sanitize.removed(html, cleaned)
    if removed and run is not None:
        run.output.removed[page.file.src_uri] = removed
    return layout.mark_link_items(cleaned)


@event_priority(-100)  # after every plugin has added its pages
def on_env(env, config, files):
    template_cache.install(env)
    # MkDocs makes a new environment for every build (and every rebuild of the preview), so a
    # template cannot change under one: no need to look at each template's file again at every
    # include (a thousand pages: some 30,000 stat calls).
    env.auto_reload = False
    run = _run()
    if run is not None:
        run.output.current = None
        run.output.site_code = theme_code.site_code(env, config, files)
        run.output.pages = {file.dest_uri: (None if file.generated_by else file.src_uri)
                            for file in files.documentation_pages()}
    return env


def on_page_context(context, page, config, nav):
    run = _run()
    if run is not None:
        run.output.current = page.file.src_uri
    page.edit_url = layout.edit_url(page.edit_url, serving=_state["command"] == "serve")
    page.previous_page = layout.neighbour(page, page.previous_page)
    page.next_page = layout.neighbour(page, page.next_page)
    return context


@event_priority(-100)  # the page as written: the engine is done with it
def on_post_page(output, page, config):
    run = _run()
    if run is not None:
        run.output.current = None
    return output


@event_priority(-100)  # after every other plugin has written its files
def on_post_build(config):
    theme_files.drop_unused_search_files(config)   # `clinic build` and a plain `mkdocs build` alike
    run = _state.get("owned")
    if run is None or pipeline.current() is not None:
        return
    collector = _state.get("collector")
    if collector is not None:
        collector.detach()
        from clinic_site.engines.mkdocs import engine
        run.add(engine.warnings_as_problems(collector, run))
    site_dir = Path(config.site_dir)
    pipeline.post_build(run, site_dir)
    if run.serving:   # every problem and one line after each build, as the Zensical preview says them
        preview_lines.build_finished(pipeline.finish(run, site_dir))
        return
    if not errors(run.problems):   # a stopped build prints every problem once, warnings with them
        for line in report_lines(run.problems):
            log.info("%s", line)
    try:
        pipeline.finish(run, site_dir)
    except ProblemsFound as stop:
        raise PluginError(str(stop)) from None


def on_build_error(error):
    """A plain `mkdocs build` or `mkdocs serve` (or `clinic serve`, MkDocs' serve) stopped: print every
    problem the run found so far, and the engine's own, in the run's words (clinic build and clinic
    check report the same), once: a stop the run raised itself ("Problems found") MkDocs prints."""
    collector = _state.get("collector")
    if collector is not None:
        collector.detach()
    run = _state.get("owned")
    if run is not None and pipeline.current() is None:   # `mkdocs serve` goes on: let the next run of
        pipeline.release_staging(run)                    # the project have the staging folder and the cards
    if run is None or pipeline.current() is not None:
        return   # a `clinic` command reports it
    from clinic_site.engines.mkdocs import engine
    said = "Problems found" in str(error)   # the run's own stop (on_config, on_post_build): it names them all
    problems = run.problems if said else run.problems + [engine.stopped_by(run, error)]
    if preview_lines.reporting():   # `clinic serve`, where MkDocs' own log is not printed
        preview_lines.build_finished(problems, stopped=True)
    elif not said:
        log.error("Problems found; fix them and build again:\n%s", "\n".join(report_lines(problems)))
        _not_again(error)


def _not_again(error) -> None:
    """MkDocs logs a plugin's error itself once the build_error events are over: its words are
    among the problems just printed (at the page it stopped on), so that one line is dropped."""
    from mkdocs.exceptions import BuildError

    if not isinstance(error, BuildError):
        return
    logger = logging.getLogger("mkdocs.commands.build")

    def once(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and record.getMessage() == str(error):
            logger.removeFilter(once)
            return False
        return True

    logger.addFilter(once)


def on_serve(server, config, builder):
    run = _state.get("owned")
    server.unwatch(config.docs_dir)   # the staged folder: the stage writes it on every rebuild
    if run is not None and run.project.clinic_file.is_file():   # the clinic's details: MkDocs watches mkdocs.yml only
        server.watch(str(run.project.clinic_file))
    if run is not None and run.staged is not None:
        server.watch(str(run.staged.settings.docs_dir))
        overrides = run.project.root / "overrides"
        if overrides.is_dir():
            server.watch(str(overrides))
    if run is not None:   # `clinic serve`: a rebuild MkDocs cannot start is one line, never its traceback
        preview_lines.guard(server, run.project)
    return server
