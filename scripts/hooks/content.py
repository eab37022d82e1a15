"""MkDocs hooks for content: thin calls into the package clinic_site, where the rules live.

The same events run in `mkdocs build`, in `mkdocs serve` and in `clinic check` (which runs the
build's front half), so all three find the same problems:
- on_config: the clinic block in mkdocs.yml; the people in the blog's .authors.yml.
- on_files (before the blog plugin reads posts): every Markdown page through the one source
  reader and the page rules.
- on_page_content: markup that could run script, in the rendered page; the page is published as
  the sanitiser's allowlist leaves it (clinic_site.sanitize), and what it takes out is a problem.
- on_env (every page read, none written): MkDocs' own link and anchor warnings become problems;
  then a build stops with all of them, and the preview shows each on its page instead. The
  site's own code (headers.site_code) is computed from the templates and mkdocs.yml.
- on_post_page, on_post_template, on_post_build: every written page (and every .html or .svg
  copied as it is, and the redirect pages) is read for code that is not the site's own
  (headers.OutputGuard; `clinic check` renders the pages and hands them to the same guard); the
  build stops naming the page, and a failed build publishes nothing; the preview shows it in the
  page's box. Then site/_headers gets a CSP with the hashes of the site's own code only.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import os
import shutil
import subprocess
from pathlib import Path

from markupsafe import Markup
from mkdocs.plugins import event_priority

from clinic_site import blog_speed, clinic_settings, content_rules, headers, mkdocs_warnings, sanitize, seo
from clinic_site.check import today as _today
from clinic_site.problems import ProblemsFound, errors, problem_box
from clinic_site.sources import read_source

log = logging.getLogger("mkdocs.hooks.content")
# What one build learns before it writes pages: problems, the people named on the site,
# each source as read, and each source file's last commit date.
_build: dict = {}
# "serve" while `mkdocs serve` runs: problems are shown on the pages instead of stopping.
_mode = {"command": "build"}
SOCIAL_CARDS_DIR = "assets/images/social"


def on_startup(command, dirty):
    _mode["command"] = command


def _serving() -> bool:
    return _mode["command"] == "serve"


@event_priority(100)  # first: every later event may rely on the clinic block
def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    docs_path = Path(os.path.relpath(Path(config.docs_dir).resolve(), root)).as_posix()
    collector = _build.get("collector") or mkdocs_warnings.WarningCollector()
    collector.records.clear()
    collector.attach()
    authors_file = Path(config.docs_dir) / "blog" / ".authors.yml"
    people, people_problems = seo.read_people(authors_file, f"{docs_path}/blog/.authors.yml", _site_url(config))
    _build.clear()
    _build.update(
        collector=collector, root=root, docs_path=docs_path, config_file=Path(config.config_file_path),
        people=people, sources={}, left_out=set(),
        problems=clinic_settings.check_clinic(config.extra.get("clinic"), Path(config.config_file_path),
                                              Path(config.docs_dir)) + people_problems,
    )
    _build["problems"] += _path_settings(config, authors_file)
    if errors(_build["problems"]) and not _serving():
        _stop()
    return config


def _path_settings(config, authors_file: Path) -> list:
    """The ids of .authors.yml and the redirect_maps of mkdocs.yml become addresses: each must
    stay inside the site folder (content_rules)."""
    text = authors_file.read_text(encoding="utf-8", errors="replace") if authors_file.is_file() else ""
    redirects = config.plugins.get("redirects")
    maps = redirects.config.get("redirect_maps") if redirects is not None else None
    return (content_rules.person_id_problems(_build["people"], f"{_build['docs_path']}/blog/.authors.yml", text)
            + content_rules.redirect_problems(maps, _build["config_file"].read_text(encoding="utf-8-sig")))


def on_pre_build(config):
    _build.update(site_dir=Path(config.site_dir), git_dates=_git_dates(_build["root"]))


@event_priority(100)  # before the blog plugin reads the posts
def on_files(files, config):
    blog = config.plugins.get("material/blog")
    facts = content_rules.SiteFacts(
        people=frozenset(_build["people"]),
        categories=tuple(blog.config.categories_allowed) or None if blog else None,
        blog_dir=blog.config.blog_dir if blog else "blog", today=_today(),
        samples=frozenset(person_id for person_id, person in _build["people"].items() if person.get("sample")),
        live=(config.extra.get("clinic") or {}).get("live") is True)
    blocking = []  # problems that would make a plugin fail on the file: leave the file out
    for file in list(files.documentation_pages()):
        if file.generated_by or not file.abs_src_path:
            continue
        shown = f"{_build['docs_path']}/{file.src_uri}"
        source = read_source(Path(file.abs_src_path), shown)
        _build["sources"][file.src_uri] = source
        problems = content_rules.check_page(source, file.src_uri, facts)
        _build["problems"] += problems
        if errors(problems) and (not source.readable or file.src_uri.startswith(f"{facts.blog_dir}/posts/")):
            blocking.append(file)
    if blocking and not _serving():
        _stop()
    for file in blocking:  # the preview keeps serving the rest, and shows why this page is missing
        files.remove(file)
        _build["left_out"].add(_build["sources"][file.src_uri].path)
    return files


@event_priority(-100)  # after the blog plugin's on_nav (-50), which gives posts back to the site
def on_nav(nav, config, files):
    # After the blog plugin has collected its posts and given them addresses, before any page is read.
    blog_speed.use_identity_lookup(config.plugins)
    shown = {file.src_uri: f"{_build['docs_path']}/{file.src_uri}" for file in files.documentation_pages()}
    by_address = [(file.dest_uri, shown[file.src_uri], _source_text(file.src_uri))
                  for file in files.documentation_pages()]
    _build["problems"] += content_rules.address_collisions(by_address)
    if errors(_build["problems"]) and not _serving():
        _stop()
    return nav


def on_page_markdown(markdown, page, config, files):
    if page.is_homepage:  # search results: the clinic, its city and state, its services (clinic block)
        page.meta["description"] = seo.home_description(_clinic_details(config))
    source = _build["sources"].get(page.file.src_uri)
    if source is not None:
        page.update_date = seo.last_modified(page.meta, _build["git_dates"].get(source.path)) or page.update_date
    return markdown


def on_page_content(html_text, page, config, files):
    source = _build["sources"].get(page.file.src_uri)
    if source is not None:
        found = content_rules.markup_problems(source, html_text)
        # What the sanitiser's allowlist takes out, on lines the blocklist above did not name.
        named = {problem.line for problem in found}
        found += [problem for problem in sanitize.problems(source, html_text) if problem.line not in named]
        _build["problems"] += found
    return sanitize.clean(html_text)  # published as the sanitiser's allowlist leaves it


@event_priority(-100)  # last: after every other hook and plugin has read its pages
def on_env(env, config, files):
    # The clinic's details as every template uses them (contract 1 of issue 12), before any page is rendered.
    clinic = config.extra.get("clinic")
    env.globals["clinic_details"] = clinic_settings.clinic_details(clinic if isinstance(clinic, dict) else {})
    # Every page is read and none is written: the moment to stop a build with everything found.
    # MkDocs checks anchors only after writing the pages; ask now, so they are found here too.
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    if _serving():  # other hooks' problems (the finder's data) join this page box's
        for plugin in config.plugins.values():
            collected = getattr(plugin, "collected_problems", None)
            if callable(collected) and collected is not collected_problems:
                _build["problems"] += [problem for problem in collected() if problem.is_error]
    collector = _build["collector"]
    collector.detach()
    messages = list(dict.fromkeys(record.getMessage() for record in collector.records))
    _build["problems"] += mkdocs_warnings.to_problems(messages, _build["docs_path"], _source_text,
                                                      _build["config_file"])
    for problem in sorted(set(_build["problems"])):
        if not problem.is_error:
            log.info("Warning: %s", problem)
    if errors(_build["problems"]) and not _serving():
        _stop()
    # The only code a written page may hold, and what the CSP allows: known before pages are written.
    # Files copied as they are (.html, .svg, …) are named by their source; code a page's own
    # source does not hold is looked for in the settings files templates show on many pages.
    docs = Path(config.docs_dir).resolve()
    copied = {file.dest_uri: f"{_build['docs_path']}/{file.src_uri}"
              for file in [*files.static_pages(), *files.media_files()]
              if file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(docs)}
    shared = [(Path(config.docs_dir) / "blog" / ".authors.yml", f"{_build['docs_path']}/blog/.authors.yml"),
              (_build["config_file"], "mkdocs.yml")]
    _build["guard"] = headers.OutputGuard(
        headers.site_code(env, config, files), _build["sources"], copied=copied,
        shared=[(shown, file.read_text(encoding="utf-8", errors="replace"))
                for file, shown in shared if file.is_file()])
    return env


def on_page_context(context, page, config, nav):
    context["reviewer"] = _build["people"].get(page.meta.get("reviewed_by"))
    context["structured_data"] = [seo.script_json(item) for item in _structured_data(page, config)]
    context["page_title"] = _page_title(page, config)
    if _serving() and errors(_build["problems"]):
        page.content = _problem_box(page) + (page.content or "")
    return context


@event_priority(-100)  # after every plugin: the page as it is written
def on_post_page(output, page, config):
    output = _head_tags(output, page, config)  # before the guard reads the page as written
    source = None if page.file.generated_by else page.file.src_uri
    found = _build["guard"].page(page.file.dest_uri, output, source)
    if found and _serving():  # the preview shows them at the top of this page; the build stops on them
        output = headers.with_problem_box(output, problem_box(found))
    return output


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if template_name.endswith(".html"):  # 404.html
        _build["guard"].page(template_name, output_content)
    return output_content


def guard_unwritten(pages: dict[str, str]) -> None:
    """Read pages {dest_uri: text} not handed over as written: the redirect pages and the .html
    and .svg files copied as they are (the build reads them from site/, `clinic check` from
    their sources)."""
    _build["guard"].unwritten(pages)


def on_post_build(config):
    site_dir = Path(config.site_dir)
    guard_unwritten(headers.pages_in(site_dir))
    if _build["guard"].found and not _serving():
        _build["collector"].detach()
        raise ProblemsFound(_build["guard"].problems(),
                            "Pages hold code that is not the site's own; fix them and build again:")
    for problem in _build["guard"].problems():  # the preview: also files no page box shows (copied .svg, redirects)
        log.warning("%s", problem)
    (site_dir / "robots.txt").write_text(seo.robots_txt(_site_url(config)), encoding="utf-8")
    # site/_headers: a CSP with the hashes of the site's own inline code that pages use; nothing
    # from content can add one (anything else stopped the build above).
    headers.write_headers_file(site_dir, _build["guard"].used())


def on_build_error(error):
    # MkDocs writes pages before its link checks and --strict decide the build
    # failed; empty the folder so a failed build never leaves a half-built site.
    if _build.get("collector"):
        _build["collector"].detach()
    site_dir = _build.get("site_dir")
    if site_dir and site_dir.is_dir():
        shutil.rmtree(site_dir)
        site_dir.mkdir()


def collected_problems() -> list:
    """Every problem this build has found so far, warnings included, and the code found in the
    pages read as written (for `clinic check`, which renders them without writing)."""
    guard = _build.get("guard")
    return list(_build.get("problems", [])) + (guard.problems() if guard is not None else [])


def _report_warnings():
    # Printed once per build, whether it goes on or stops: the same lines `clinic check` prints.
    if not _build.get("warnings_reported"):
        _build["warnings_reported"] = True
        for problem in sorted(set(_build["problems"])):
            if not problem.is_error:
                log.info("Warning: %s", problem)


def _stop():
    _report_warnings()
    _build["collector"].detach()
    raise ProblemsFound(errors(_build["problems"]), "Content problems found; fix them and build again:")


def _source_text(src_uri: str) -> str:
    source = _build["sources"].get(src_uri)
    return source.text if source is not None else ""


def _problem_box(page) -> str:
    """The preview's box at the top of a page: this page's problems, then those of files that
    are no page (mkdocs.yml, data files, pages left out) — each with file, line and fix."""
    shown = f"{_build['docs_path']}/{page.file.src_uri}"
    pages = {source.path for source in _build["sources"].values()} - _build["left_out"] - {shown}
    mine = [problem for problem in errors(_build["problems"]) if problem.path == shown]
    elsewhere = [problem for problem in errors(_build["problems"])
                 if problem.path != shown and problem.path not in pages]
    return problem_box(mine + elsewhere)


# ---- Found in local search (issue 12): structured data, titles, link-preview tags ----

def _clinic_details(config):
    clinic = config.extra.get("clinic")
    return clinic_settings.clinic_details(clinic if isinstance(clinic, dict) else {})


def _plain_title(page) -> str:
    # The page's title as plain text (a heading's title may hold markup and entities).
    return Markup(str(page.meta.get("title") or page.title or "")).striptags()


def _page_title(page, config) -> str:
    details = _clinic_details(config)
    return seo.home_title(details) if page.is_homepage else seo.page_title(_plain_title(page), details)


def _post_dates(page) -> dict | None:
    # A blog post's {"created", "updated"?}, or None for any other page.
    date = page.meta.get("date")
    if not (isinstance(date, (dict, dt.date)) and page.file.src_uri.startswith("blog/posts/")):
        return None
    dates = date if isinstance(date, dict) else {"created": date}
    return dates if isinstance(dates.get("created"), dt.date) else None


def _head_tags(output: str, page, config) -> str:
    """The written page with its description escaped once and its Open Graph and Twitter tags
    written by seo.social_tags (og:type article, with its dates and authors, on blog posts)."""
    details, description = _clinic_details(config), str(page.meta.get("description") or config.site_description or "")
    # The finder's generated pages hold their description HTML-escaped already (clinic_site/finder/pages.py).
    text = html.unescape(description) if page.file.generated_by else description
    dates, article = _post_dates(page), None
    if dates is not None:
        authors = [_build["people"][author] for author in page.meta.get("authors", []) if author in _build["people"]]
        article = {"published": dates["created"], "modified": dates.get("updated") or dates["created"],
                   "authors": [author.get("absolute_url") or author["name"] for author in authors]}
    tags = seo.social_tags(title=_page_title(page, config), description=text,
                           url=_site_url(config) + page.url, site_name=details.short_name,
                           image=seo.social_image(output), article=article)
    return seo.replace_head_tags(output, written=description, description=text, tags=tags)


def _structured_data(page, config) -> list[dict]:
    site_url, meta, details = _site_url(config), page.meta, _clinic_details(config)
    url = site_url + page.url
    if page.is_homepage:
        return [seo.medical_clinic(details, site_url, {service.page: site_url + _page_url(service.page, config)
                                                       for service in details.services})]
    items = [seo.breadcrumb_list(_breadcrumbs(page, site_url))]
    title, description = _plain_title(page), str(meta.get("description") or "")
    if page.file.generated_by:  # the finder's pages hold their description HTML-escaped (finder/pages.py)
        description = html.unescape(description)
    # A post is a BlogPosting even when it is reviewed (a health post); a reviewed page a MedicalWebPage.
    dates = _post_dates(page)
    if dates is not None:
        items.append(seo.blog_posting(
            headline=title, description=description, url=url,
            image=site_url + _social_card_path(page, config),
            published=dates["created"], modified=dates.get("updated") or dates["created"],
            authors=[_build["people"][author] for author in meta.get("authors", []) if author in _build["people"]],
            site_url=site_url))
    elif meta.get("reviewed_by") in _build["people"]:
        items.append(seo.medical_web_page(
            title=title, description=description, url=url,
            last_reviewed=meta["last_reviewed"], reviewer=_build["people"][meta["reviewed_by"]],
            site_url=site_url))
    else:
        items.append(seo.web_page(title=title, description=description, url=url, site_url=site_url))
    return items


def _page_url(src_uri: str, config) -> str:
    # The address (from the site's root) of a docs page: "guide/what-is-medical-massage/".
    path = src_uri.removesuffix(".md")
    if not config.use_directory_urls:
        return path + ".html"
    return "" if path == "index" else path.removesuffix("/index") + "/"


def _breadcrumbs(page, site_url: str) -> list[tuple[str, str]]:
    """Home, then each section that has its own page, then the page itself."""
    crumbs = [("Home", site_url)]
    for ancestor in reversed(page.ancestors):
        index = next((child for child in getattr(ancestor, "children", None) or []
                      if getattr(child, "is_index", False)), None)
        if index is not None and index is not page:
            crumbs.append((Markup(str(ancestor.title)).striptags(), site_url + index.url))
    if page.file.src_uri.startswith("blog/posts/") and not any(name == "Blog" for name, _ in crumbs):
        crumbs.append(("Blog", site_url + "blog/"))
    return crumbs + [(_plain_title(page), site_url + page.url)]  # plain text, as JSON-LD holds it


def _social_card_path(page, config) -> str:
    # The path Material's social plugin gives the page's preview image.
    suffix = "/index.html" if config.use_directory_urls and not page.is_index else ".html"
    return f"{SOCIAL_CARDS_DIR}/{page.file.dest_uri.replace(suffix, '.png')}"


def _site_url(config) -> str:
    return (config.site_url or "").rstrip("/") + "/"


def _git_dates(root: Path) -> dict[str, str]:
    try:
        output = subprocess.run(["git", "log", "--format=%cs", "--name-only", "--", "docs"], cwd=root,
                                capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return {}  # not a git checkout: the sitemap falls back to front matter dates
    return seo.git_dates(output)
