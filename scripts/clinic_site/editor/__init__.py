"""The browser editor at /admin/: Decap CMS, a git-based editor that runs as static files.

- `config`: the editor's config.yml, generated from the listing schema (clinic_site.finder.schema),
  the controlled vocabularies (docs/therapists/vocabulary.yml), the people of .authors.yml and the
  blog's categories, so the forms and the check never disagree;
- `bundle`: Decap's files from node_modules (pinned: their digest is checked), the admin page with
  its own Content-Security-Policy, and the one rule over what the published admin/ folder holds;
- `develop`: `clinic edit`, the editor against the local copy of the project (decap-server, on
  127.0.0.1), for staff trying it out and for the browser test. Its local backend is never
  published.

What the editor saves is checked by `clinic check` and the build like any file written by hand.
"""
from __future__ import annotations

ADMIN_DIR = "admin"   # where the editor is published in the site
