"""MkDocs hook: what pages show around their own words (the rules are in clinic_site.layout).

- The "Edit this page" link only under `mkdocs serve` (the published site has none).
- The Previous/Next bar only between pages of the same top section of the menu.
- The home page (overrides/home.html) gets `latest_posts` (from Material's blog plugin),
  `page_urls` (each Markdown file's address, for the services in mkdocs.yml's clinic block), and
  `problem_box`: the preview's box, taken from before its Markdown to show at the top.
"""
from __future__ import annotations

from clinic_site import layout

_state: dict = {"command": "build", "page_urls": {}}


def on_startup(command, dirty):
    _state["command"] = command


def on_env(env, config, files):
    _state["page_urls"] = {file.src_uri: file.url for file in files.documentation_pages()}
    return env


def on_page_context(context, page, config, nav):
    page.edit_url = layout.edit_url(page.edit_url, serving=_state["command"] == "serve")
    page.previous_page = layout.neighbour(page, page.previous_page)
    page.next_page = layout.neighbour(page, page.next_page)
    if page.is_homepage:
        context["problem_box"], page.content = layout.split_problem_box(page.content or "")
        blog = config.plugins.get("material/blog")
        context["latest_posts"] = layout.latest_posts(blog.blog.posts if blog else [], 3)
        context["page_urls"] = _state["page_urls"]
    return context
