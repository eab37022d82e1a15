"""MkDocs hooks: thin calls into the pure functions under scripts/.

Kept small on purpose: the logic lives in modules that tests and other tools
(and a future Zensical build) can call without MkDocs.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from clinic_site import blog_speed, content_rules, headers, seo

log = logging.getLogger("mkdocs.hooks.content")
# What one build learns before it writes pages: problems to stop on, the people
# named on the site, and each source file's last commit date.
_build: dict = {}
SOCIAL_CARDS_DIR = "assets/images/social"


def on_config(config):
    problems = content_rules.check_clinic(config.extra.get("clinic"))
    if problems:
        raise PluginError("The clinic's settings need fixing:\n  " + "\n  ".join(problems))
    return config


def on_pre_build(config):
    root = Path(config.config_file_path).resolve().parent
    _build.clear()
    _build.update(
        problems=[], site_dir=Path(config.site_dir), root=root,
        docs_path=Path(os.path.relpath(Path(config.docs_dir).resolve(), root)).as_posix(),
        people=seo.load_people(Path(config.docs_dir) / "blog" / ".authors.yml", _site_url(config)),
        git_dates=_git_dates(root),
        inline_code=headers.InlineCode(),  # for the CSP, gathered as pages are written
    )


def on_nav(nav, config, files):
    # After the blog plugin has collected its posts, before any page is read.
    blog_speed.use_identity_lookup(config.plugins)
    return nav


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by or not page.file.abs_src_path:
        return markdown
    source_path = _display_path(page)
    today = dt.date.today()
    if page.file.src_uri.startswith("guide/"):
        problems = content_rules.check_guide_page(page.meta, today, people=_build["people"])
        reminder = content_rules.review_due_soon(page.meta, today)
        if reminder:
            log.info("Warning: %s: %s", source_path, reminder)
    else:
        problems = content_rules.check_description(page.meta)
    if problems:  # the source is read again only to give each problem its line number
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        _build["problems"].extend(content_rules.format_problems(source_path, source, problems))
    page.update_date = seo.last_modified(page.meta, _build["git_dates"].get(source_path)) or page.update_date
    return markdown


def on_page_content(html, page, config, files):
    _build["problems"].extend(f"{_display_path(page)}: {problem}" for problem in content_rules.unsafe_markup(html))
    return html


def on_env(env, config, files):
    # Runs after every page is read and before any is written: stop here so
    # nothing half-built reaches the site folder.
    if _build["problems"]:
        raise PluginError("Content problems found; fix them and build again:\n  " + "\n  ".join(_build["problems"]))
    return env


def on_page_context(context, page, config, nav):
    context["reviewer"] = _build["people"].get(page.meta.get("reviewed_by"))
    context["structured_data"] = [seo.script_json(item) for item in _structured_data(page, config)]
    return context


@event_priority(-100)  # after every plugin: the page as it is written
def on_post_page(output, page, config):
    _build["inline_code"].add(page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace"))
    return output


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if template_name.endswith(".html"):  # 404.html
        _build["inline_code"].add(template_name, output_content.encode("utf-8", errors="xmlcharrefreplace"))
    return output_content


def on_post_build(config):
    site_dir = Path(config.site_dir)
    (site_dir / "robots.txt").write_text(seo.robots_txt(_site_url(config)), encoding="utf-8")
    # site/_headers: the CSP with the hashes of the built pages' inline code; files not
    # handed over above (the redirects plugin's pages) are read from the site folder.
    headers.write_headers_file(site_dir, _build["inline_code"])


def on_build_error(error):
    # MkDocs writes pages before its link checks and --strict decide the build
    # failed; empty the folder so a failed build never leaves a half-built site.
    site_dir = _build.get("site_dir")
    if site_dir and site_dir.is_dir():
        shutil.rmtree(site_dir)
        site_dir.mkdir()


def _structured_data(page, config) -> list[dict]:
    site_url, clinic, meta = _site_url(config), config.extra["clinic"], page.meta
    url = site_url + page.url
    if page.is_homepage:
        return [seo.medical_clinic(clinic, site_url)]
    items = [seo.breadcrumb_list(_breadcrumbs(page, site_url))]
    if meta.get("reviewed_by") in _build["people"]:
        items.append(seo.medical_web_page(
            title=page.title, description=meta.get("description", ""), url=url,
            last_reviewed=meta["last_reviewed"], reviewer=_build["people"][meta["reviewed_by"]],
            clinic_name=clinic["name"]))
    elif isinstance(meta.get("date"), (dict, dt.date)) and page.file.src_uri.startswith("blog/posts/"):
        dates = meta["date"] if isinstance(meta["date"], dict) else {"created": meta["date"]}
        items.append(seo.blog_posting(
            headline=page.title, description=meta.get("description", ""), url=url,
            image=site_url + _social_card_path(page, config),
            published=dates["created"], modified=dates.get("updated") or dates["created"],
            authors=[_build["people"][author] for author in meta.get("authors", []) if author in _build["people"]]))
    return items


def _breadcrumbs(page, site_url: str) -> list[tuple[str, str]]:
    """Home, then each section that has its own page, then the page itself."""
    crumbs = [("Home", site_url)]
    for ancestor in reversed(page.ancestors):
        index = next((child for child in getattr(ancestor, "children", None) or []
                      if getattr(child, "is_index", False)), None)
        if index is not None and index is not page:
            crumbs.append((ancestor.title, site_url + index.url))
    if page.file.src_uri.startswith("blog/posts/") and not any(name == "Blog" for name, _ in crumbs):
        crumbs.append(("Blog", site_url + "blog/"))
    return crumbs + [(page.title, site_url + page.url)]


def _social_card_path(page, config) -> str:
    # The path Material's social plugin gives the page's preview image.
    suffix = "/index.html" if config.use_directory_urls and not page.is_index else ".html"
    return f"{SOCIAL_CARDS_DIR}/{page.file.dest_uri.replace(suffix, '.png')}"


def _site_url(config) -> str:
    return (config.site_url or "").rstrip("/") + "/"


def _display_path(page) -> str:
    """The page's path as staff see it in the repository, e.g. docs/guide/safety.md."""
    return f"{_build['docs_path']}/{page.file.src_uri}"


def _git_dates(root: Path) -> dict[str, str]:
    try:
        output = subprocess.run(["git", "log", "--format=%cs", "--name-only", "--", "docs"], cwd=root,
                                capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return {}  # not a git checkout: the sitemap falls back to front matter dates
    return seo.git_dates(output)
