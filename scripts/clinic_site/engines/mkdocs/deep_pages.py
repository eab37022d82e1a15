"""A page the Markdown reader cannot follow does not stop the run (the problem model: every
problem named in one run).

Python-Markdown reads nested lists, quotes and emphasis recursively: a page nesting lists about
250 levels deep (the stage leaves such a page out: content_rules.too_deep) or emphasis in some
hundreds of pairs ends its conversion in a RecursionError, and MkDocs then stops the whole
build, so the post-build stage never read the other pages and
named nothing of theirs. Here MkDocs' Page.render (blog posts and their excerpts included, which
read the post's Markdown) is wrapped once: such a page is named, at its source, and rendered
empty; the run goes on and stops at its end, with that problem among all the others, as the
check does.
"""
from __future__ import annotations

import functools

from clinic_site import engines

PATCHED = "_clinic_deep_pages"


def install() -> bool:
    """Wrap MkDocs' Page.render once (a second call does nothing); True when it is wrapped."""
    from mkdocs.structure.pages import Page

    render = Page.render
    if getattr(render, PATCHED, False):
        return True

    @functools.wraps(render)
    def render_or_name(self, config, files):
        try:
            return render(self, config, files)
        except RecursionError:
            if not engines.name_unfollowable(self.file.src_uri):
                raise   # not a page of a run (stopped_by names it at the settings file)
            self.markdown = ""   # its excerpt on the blog's lists reads it too
            return render(self, config, files)

    setattr(render_or_name, PATCHED, True)
    Page.render = render_or_name  # type: ignore[method-assign]
    return True
