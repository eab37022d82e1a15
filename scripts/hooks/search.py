"""MkDocs hook: the site search's index folded with the site's one text rule (issue 13).

on_post_build, after Material's search plugin has written search/search_index.json: each page's
title and text go through clinic_site.text_normalize.fold_html (curly quotes and apostrophes,
dashes, accents, full-width letters; capitals kept, as results show this text), the rule that
docs/assets/search-text.js applies to what is typed. The index keeps its size.
"""
from __future__ import annotations

from mkdocs.plugins import event_priority

from clinic_site.text_normalize import normalize_search_index


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config):
    normalize_search_index(config.site_dir)
