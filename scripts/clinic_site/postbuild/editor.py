"""The editor at /admin/ in the post-build stage: written from node_modules and the generated
config, then held to its own rule (clinic_site.editor.bundle): admin/ holds exactly the editor's
files, its page is read with the pages' allowlist where the only scripts it may load are the
editor's bundle and the admin.js the build wrote, and nothing from docs/ may be published there."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from clinic_site import check_links, guard
from clinic_site.editor import ADMIN_DIR, bundle, config
from clinic_site.problems import Problem


@dataclasses.dataclass
class Editor:
    """What the build wrote for the editor: its policy for `_headers` (None without an editor),
    {name in admin/: SHA-256} of its files, and the files that were under admin/ before (from docs/)."""

    policy: str | None
    written: dict[str, str]
    before: set[str]


def write(run, site_dir: Path) -> tuple[Editor, list[Problem]]:
    """Write the editor into site/admin/ (before the guard reads the site); the problems met."""
    settings = run.staged.settings
    before = bundle.present(site_dir)
    cms, problems = config.for_project(settings)
    if cms is None:
        return Editor(None, {}, before), problems
    found, missing = bundle.find(settings.project.root)
    if found is None:
        return Editor(None, {}, before), problems + missing
    origin = config.api_origin(cms["backend"])
    page = bundle.page(settings.site_name, bundle.policy(origin, meta=True))
    styles = bundle.stylesheets(site_dir, list(settings.get("extra_css") or []))
    written = bundle.write(site_dir / ADMIN_DIR, found, page, config.config_yaml(cms), styles)
    return Editor(bundle.policy(origin), written, before), problems


def is_admin(dest: str) -> bool:
    """Whether a path of the site is in the editor's folder."""
    return dest.startswith(ADMIN_DIR + "/")


def judge(editor: Editor, site_dir: Path, output_guard, shown_of: dict[str, str],
          link_pages: dict[str, check_links.Page]) -> None:
    """Hold admin/ to its rule: refuse what docs/ put there and any file that is not the editor's;
    read the editor's page with the allowlist (its one script: the bundle)."""
    extra = bundle.unexpected(site_dir, editor.written)
    for dest in sorted(editor.before | set(extra)):
        why = extra.get(dest) or ("is published in the editor's folder admin/ from docs/: only the editor's own files "
                                  "go there (scripts/clinic_site/editor/)")
        output_guard.refuse(dest, why, shown_of.get(dest))
        output_guard.fixes[why] = "remove it from docs/admin/: that folder of the site is the editor's own"
    if "index.html" not in editor.written or f"{ADMIN_DIR}/index.html" in extra:
        return
    dest = f"{ADMIN_DIR}/index.html"
    text = (site_dir / dest).read_text(encoding="utf-8")
    code = dataclasses.replace(output_guard.code, scripts=frozenset(), styles=frozenset(),
                               script_files=frozenset({f"{ADMIN_DIR}/{bundle.ENTRY}", f"{ADMIN_DIR}/admin.js"}))
    reading = guard.read(text, dest, code)
    for what, needle in guard.unlisted_code(text, dest, code, reading):
        output_guard.note(dest, what, needle, None, "scripts/clinic_site/editor/bundle.py", text)
    link_pages[dest] = check_links.Page(reading.ids, reading.refs, reading.repeated)
