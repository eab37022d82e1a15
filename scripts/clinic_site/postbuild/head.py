"""Each built page's <head>: its meta description escaped once, its Open Graph and Twitter tags,
and its schema.org JSON-LD, written after the engine from what the stage knows of the page.

Material writes `page.meta.description` into the head unescaped and its social plugin writes the
link-preview tags with titles unescaped; both are replaced here (seo.replace_head_tags) by tags
rendered with autoescaping (clinic_site.render). A page the engine made by itself (the blog's
archive, categories, page 2…) gets its title and description from what the engine wrote.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from clinic_site import render, seo
from clinic_site.stage.pages import PageRecord, social_card_path

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
CARD = {"type": "image/png", "width": "1200", "height": "630"}   # Material's default card layout


def rewrite(run, site_dir: Path, dest: str, output: str, record: PageRecord | None) -> str:
    """The page the engine wrote at `dest` with its head rewritten: its meta description escaped
    once, its link-preview tags, its JSON-LD (from `record`, the stage's; a page the engine made by
    itself, with no record, from what the engine wrote)."""
    staged = run.staged
    settings = staged.settings
    site_url = settings.site_url
    site_description = str(settings.get("site_description") or "")
    url = site_url + (dest.removesuffix("index.html") if settings.use_directory_urls else dest)
    if record is not None:
        written = str(record.meta.get("description") or site_description)
        title = seo.home_title(staged.clinic) if record.kind == "home" else seo.page_title(record.title, staged.clinic)
        description, data = record.description or site_description, record.structured_data
        image = _card(site_dir, site_url, staged.records.get(record.card) if record.card else record, settings)
    else:
        found = _TITLE.search(output)
        title = html.unescape(found.group(1)).strip() if found else staged.clinic.short_name
        written = description = site_description
        page_title = title.rsplit(" | ", 1)[0].rsplit(" - ", 1)[0]
        data = [seo.breadcrumb_list([("Home", site_url), (page_title, url)]),
                seo.web_page(title=page_title, description=description, url=url, site_url=site_url)]
        image = seo.social_image(output)
    article = None
    if record is not None and record.article is not None:
        article = {key: record.article[key] for key in ("published", "modified", "authors")}
    tags = render.meta_tags(seo.social_tags(title=title, description=description, url=url,
                                            site_name=staged.clinic.short_name, image=image, article=article))
    output = seo.replace_head_tags(output, written=written, description=description, tags=tags)
    scripts = "".join(f'<script type="application/ld+json">{seo.script_json(item)}</script>\n' for item in data)
    at = output.find("</head>")
    return output[:at] + scripts + output[at:] if at >= 0 else output


def _card(site_dir: Path, site_url: str, record: PageRecord | None, settings) -> dict[str, str] | None:
    """The social card a page shows (its own, or its state page's for the finder's pages), when
    the social plugin drew it."""
    if record is None:
        return None
    path = social_card_path(record, settings.use_directory_urls)
    return {"url": site_url + path, **CARD} if (site_dir / path).is_file() else None
