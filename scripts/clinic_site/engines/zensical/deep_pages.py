"""A page the Markdown reader cannot follow does not stop the run, under Zensical as under MkDocs
(engines/mkdocs/deep_pages.py: the problem model names every problem in one run).

Zensical renders each page's Markdown by calling one Python function, zensical.markdown.render's
`render` (Python-Markdown, in this process). Emphasis nested in about a thousand pairs ends it in
a RecursionError, and Zensical then stopped the whole build: the run named only "the build
stopped", at mkdocs.yml, and nothing the post-build stage would have named on the other pages.
Here that function is wrapped once: such a page is named at its source, with the same words as
under MkDocs, and rendered empty; the run goes on and stops at its end. (Lists and quotes nested
that deeply never reach an engine: the stage leaves such a page out, content_rules.too_deep.)
"""
from __future__ import annotations

import functools
import posixpath

from clinic_site import engines

PATCHED = "_clinic_deep_pages"


def install() -> bool:
    """Wrap Zensical's Markdown entry point once (a second call does nothing); True when wrapped."""
    from zensical.markdown import render as module

    render = module.render
    if getattr(render, PATCHED, False):
        return True

    @functools.wraps(render)
    def render_or_name(content, path, *args, **kwargs):
        try:
            return render(content, path, *args, **kwargs)
        except RecursionError:
            if not engines.name_unfollowable(posixpath.normpath(str(path).replace("\\", "/")).lstrip("/")):
                raise   # not a page of a run (engine.stopped_by names it)
            return render("", path, *args, **kwargs)

    setattr(render_or_name, PATCHED, True)
    module.render = render_or_name
    return True
