"""The MkDocs adapter (MkDocs 1.6 with Material for MkDocs 9.8): the one package that imports
`mkdocs`, `material` or an MkDocs plugin package.

  engine.py      stage 2: build the staged folder in this process; MkDocs' words as problems
  plugin.py      MkDocs' events (mkdocs.yml's one hook, scripts/hooks/clinic.py, is these)
  serve.py       the live preview (MkDocs' own server, rebuilding through the same run)
  preview_lines.py  what the preview says after each build, in the Zensical preview's words
  theme_code.py  the theme's own inline code, for the guard and the Content-Security-Policy
  theme_files.py the theme's templates and icons (for the stage's checks); refused settings taken out
  warnings.py    MkDocs' warnings (links, anchors, the menu) as problems
  blog_speed.py  Material's blog plugin kept linear in the number of posts
  deep_pages.py  a page the Markdown reader cannot follow is named, and the run goes on
"""
from __future__ import annotations

from clinic_site.engines.mkdocs.engine import build
from clinic_site.engines.mkdocs.serve import serve
from clinic_site.engines.mkdocs.theme_files import theme_dirs

__all__ = ["build", "serve", "theme_dirs"]
