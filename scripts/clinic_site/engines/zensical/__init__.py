"""The Zensical adapter (Zensical 0.0.73, the newest that installs here): the one package that
imports `zensical`. Zensical reads mkdocs.yml, renders Material's templates with MiniJinja and runs
no hooks or plugins of ours, so what the MkDocs adapter does inside MkDocs' events happens around
the Zensical call instead (see engine.py).

  engine.py        stage 2: write the engine's settings beside the staged folder, run Zensical in
                   this process, move its output to the site folder, report pages and problems;
                   `serve`, the live preview: clinic_site.preview's (Zensical's own `zensical serve`
                   would skip the stage and the post-build stage)
  settings.py      the staged mkdocs.yml Zensical reads (what it refuses or cannot do offline taken out)
  markdown_guard.py a Markdown extension: each page's HTML kept to the allowlist, what was removed
                   recorded; the finder's and people's generated pages taken from the run as they are
  site_code.py     the theme's own inline code (its templates rendered) and script files, for the guard and the CSP
  neighbours.py    Previous/Next within one section of the menu, as under MkDocs
  deep_pages.py    a page whose Markdown Python-Markdown cannot follow (a RecursionError) named and
                   built empty, as under MkDocs: the run goes on
"""
from __future__ import annotations

from clinic_site.engines.zensical.engine import build, serve, theme_dirs

__all__ = ["build", "serve", "theme_dirs"]
