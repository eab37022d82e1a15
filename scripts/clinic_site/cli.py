"""The staff command `clinic`: one entry point, a sub-command per task (FastAPI's scripts/docs.py pattern).

    .venv/bin/clinic build                      build the site into site/ (stops naming every problem)
    .venv/bin/clinic serve                      preview the site as you edit
    .venv/bin/clinic check                      the build's checks, without publishing anything
    .venv/bin/clinic check --launch             what is still sample, to do before `live: true`
    .venv/bin/clinic new-post "Title"           a new blog post (draft) from the template
    .venv/bin/clinic new-guide-page "Title"     a new guide page, added to the menu
    .venv/bin/clinic new-listing                a new therapist listing
    .venv/bin/clinic edit                       the browser editor against this copy (http://127.0.0.1:8010/admin/)
    .venv/bin/clinic remove-samples             remove the sample listings, people and posts
    .venv/bin/clinic spelling                   the spell check alone
    .venv/bin/clinic readability                the reading grade of guide pages
    .venv/bin/clinic check-links site/          every internal link of a built site
    .venv/bin/clinic headers                    netlify.toml's [[headers]] section

`clinic COMMAND --help` explains each one. Every command works on the site found from the
current folder (walking up to mkdocs.yml), or the one named with -f. Each sub-command's code
lives in its own module; this file only names them.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

# sub-command: ("module" with a main(argv) -> int, or "module:function", one line of help)
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("clinic_site.commands:build_main", "build the site into site/, stopping on any problem"),
    "serve": ("clinic_site.commands:serve_main", "preview the site at http://127.0.0.1:8000/ as you edit"),
    "check": ("clinic_site.check", "every check of the build, without publishing anything"),
    "new-post": ("clinic_site.new_post", "start a blog post from the template"),
    "new-guide-page": ("clinic_site.new_guide_page", "start a guide page from the template"),
    "new-listing": ("clinic_site.new_listing", "add a therapist listing"),
    "edit": ("clinic_site.editor.develop", "the browser editor on this computer, at http://127.0.0.1:8010/admin/"),
    "remove-samples": ("clinic_site.remove_samples", "remove every sample listing, person and post"),
    "spelling": ("clinic_site.spelling", "spell-check the Markdown files (US English)"),
    "readability": ("clinic_site.readability", "reading grade of the guide pages"),
    "check-links": ("clinic_site.check_links", "check every internal link of a built site folder"),
    "headers": ("clinic_site.headers", "print netlify.toml's [[headers]] section"),
}


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; returns its exit status (0 success, 1 problems found, 2 usage error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        parser = argparse.ArgumentParser(
            prog="clinic", description="Commands for editing and checking the clinic's website.",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog="commands:\n" + "\n".join(f"  {name:<16}{text}" for name, (_, text) in COMMANDS.items())
            + "\n\nRun `clinic COMMAND --help` for a command's options.")
        parser.add_argument("command", choices=sorted(COMMANDS), help=argparse.SUPPRESS)
        parser.parse_args(argv[:1])  # prints help, or the usage error, and exits
        return 2
    # MkDocs 1.6 and Material print a banner telling staff to install other software; not for
    # this project (CONTRIBUTING.md says why), so every command keeps it quiet.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    module_name, _, function = COMMANDS[argv[0]][0].partition(":")
    # A command's own parser names itself after sys.argv[0]: "clinic new-post", so its usage line and
    # its errors ("clinic new-post: error: ...") say which command, as those that set their prog do.
    program = sys.argv[:1]   # restored after: a caller's own sys.argv is left as it was
    sys.argv[:1] = [f"clinic {argv[0]}"]
    try:
        return getattr(importlib.import_module(module_name), function or "main")(argv[1:])
    except KeyboardInterrupt:   # Ctrl+C: a line, never a traceback (`clinic build` says what it left)
        print(f"clinic {argv[0]}: stopped (Ctrl+C)")
        return 130
    finally:
        sys.argv[:1] = program


if __name__ == "__main__":
    sys.exit(main())
