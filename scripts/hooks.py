"""MkDocs hooks: thin calls into the pure functions under scripts/.

Kept small on purpose: the logic lives in modules that tests and other tools
(and a future Zensical build) can call without MkDocs.
"""
from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts import content_rules  # noqa: E402

log = logging.getLogger("mkdocs.hooks.content")
_problems: list[str] = []
_site_dir: list[Path] = []


def on_config(config):
    problems = content_rules.check_clinic(config.extra.get("clinic"))
    if problems:
        raise PluginError("The clinic's settings need fixing:\n  " + "\n  ".join(problems))
    return config


def on_pre_build(config):
    _problems.clear()
    _site_dir[:] = [Path(config.site_dir)]


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by or not page.file.abs_src_path:
        return markdown
    source_path = _display_path(page, config)
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    today = dt.date.today()
    if page.file.src_uri.startswith("guide/"):
        problems = content_rules.check_guide_page(page.meta, today)
        reminder = content_rules.review_due_soon(page.meta, today)
        if reminder:
            log.info("%s: %s", source_path, reminder)
    else:
        problems = content_rules.check_description(page.meta)
    _problems.extend(content_rules.format_problems(source_path, source, problems))
    return markdown


def _display_path(page, config) -> str:
    """The page's path as staff see it in the repository, e.g. docs/guide/safety.md."""
    project_root = Path(config.config_file_path).resolve().parent
    return str(Path(page.file.abs_src_path).resolve().relative_to(project_root))


def on_page_content(html, page, config, files):
    _problems.extend(f"{_display_path(page, config)}: {problem}" for problem in content_rules.unsafe_markup(html))
    return html


def on_env(env, config, files):
    # Runs after every page is read and before any is written: stop here so
    # nothing half-built reaches the site folder.
    if _problems:
        raise PluginError("Content problems found; fix them and build again:\n  " + "\n  ".join(_problems))
    return env


def on_build_error(error):
    # MkDocs writes pages before its link checks and --strict decide the build
    # failed; empty the folder so a failed build never leaves a half-built site.
    for site_dir in _site_dir:
        if site_dir.is_dir():
            shutil.rmtree(site_dir)
            site_dir.mkdir()
