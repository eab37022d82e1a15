"""Decap CMS's files, the admin page, its Content-Security-Policy, and what admin/ may hold.

The bundle is the npm package `decap-cms` (pinned in package.json and package-lock.json, which
npm checks by its integrity hash at `npm ci`), copied from node_modules at build time: no network.
On top of npm's check, the files the site publishes are pinned here by one digest over their
names and SHA-256 hashes (`PINNED_DIGEST`): a changed or swapped file in node_modules stops the
build. The published admin/ folder must hold exactly `index.html`, `config.yml` and those files,
each with its pinned hash (`unexpected`): anything else there, a file from docs/admin/ included,
is refused like any other file the site does not ship. Beside Decap's files the build writes the
page, the config, a small stylesheet and admin.js (landmarks, and the preview in the site's own styles).
"""
from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

from clinic_site.editor import ADMIN_DIR
from clinic_site.problems import Problem

PACKAGE = "decap-cms"
VERSION = "3.16.3"
ENTRY = "decap-cms.js"
# decap-cms 3.16.3's dist/: decap-cms.js, the 94 chunks it loads on demand (<n>.decap-cms.js) and
# its license notice. Left out: source maps, the other build of the same code (cms.js) and the
# WebP encoders (.wasm), which only the image optimisation this site does not switch on loads.
PUBLISHED = re.compile(r"^(?:\d+\.)?decap-cms\.js$|^decap-cms\.js\.LICENSE\.txt$")
PINNED_DIGEST = "9bf0dbf9469082590a833b60631b62cb1245aad6b8a152e9cac4da5a2db637a2"
SHOWN = "package.json"   # where a problem with the bundle is named


@dataclasses.dataclass(frozen=True)
class Bundle:
    """The editor's files as installed: {name: SHA-256 hex}, in `folder` (node_modules/decap-cms/dist)."""

    folder: Path
    files: dict[str, str]

    @property
    def size(self) -> int:
        """Bytes the site publishes for the editor's code."""
        return sum((self.folder / name).stat().st_size for name in self.files)


def digest(files: dict[str, str]) -> str:
    """One SHA-256 over the names and hashes of `files`, in name order."""
    return hashlib.sha256("".join(f"{name}\0{files[name]}\n" for name in sorted(files)).encode()).hexdigest()


def file_hash(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find(root: Path) -> tuple[Bundle | None, list[Problem]]:
    """The installed bundle of the project at `root`, checked against PINNED_DIGEST."""
    folder = root / "node_modules" / PACKAGE / "dist"
    fix = "run scripts/setup.sh (it runs npm ci, which installs the editor pinned in package-lock.json)"
    if not (folder / ENTRY).is_file():
        return None, [Problem(SHOWN, 1, PACKAGE, f"the browser editor ({PACKAGE} {VERSION}) is not installed in "
                              "node_modules", fix)]
    files = {name: file_hash(folder / name) for name in sorted(os.listdir(folder)) if PUBLISHED.match(name)}
    if digest(files) != PINNED_DIGEST:
        return None, [Problem(SHOWN, 1, PACKAGE, f"the editor's files in {folder.relative_to(root)} are not the pinned "
                              f"{PACKAGE} {VERSION}", fix + "; after upgrading the package on purpose, a developer "
                              "sets PINNED_DIGEST in scripts/clinic_site/editor/bundle.py")]
    return Bundle(folder, files), []


def policy(api_origin: str | None, local_backend: str | None = None, meta: bool = False) -> str:
    """The admin page's Content-Security-Policy. Decap needs 'unsafe-eval' (it compiles its
    config schema with `new Function`, ajv) and inline styles (its components style themselves
    at run time, emotion); nothing is loaded from another host; the only other origin it may call
    is the git host's API, once signed in (`api_origin`), or in development the local decap-server.
    `meta`: the <meta http-equiv> form, without frame-ancestors, which browsers ignore there."""
    connect = " ".join(filter(None, ["'self'", api_origin, local_backend]))
    directives = [
        "default-src 'self'", "script-src 'self' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self'", f"connect-src {connect}", "frame-src 'self' blob:",
        "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'", "form-action 'none'",
    ]
    if not meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="referrer" content="same-origin">
<title>Content editor | {name}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<link href="admin.css" rel="stylesheet">
</head>
<body>
<section aria-label="Content editor"><h1 class="visually-hidden">Content editor of {name}</h1></section>
<div id="nc-root" role="main"></div>
<script src="{entry}"></script>
<script src="admin.js"></script>
</body>
</html>
"""


# Decap renders into an existing #nc-root: it is the page's main landmark until Decap draws a <main>
# of its own (admin.js), and a heading names the page for screen readers (axe: landmark-one-main,
# page-has-heading-one). Decap's grey text (#798291 on white, 3.9:1) is darkened to 6:1 (axe:
# color-contrast), the current header and sidebar links keep their blue; so are its red (#ff003b,
# 4:1: "Unsaved changes", a field's errors, its label and hint then), the teal of its Publish button
# under white text (#17a2b8, 3:1) and its notices' colors (white on #07bc0c is 2.7:1). The
# `.css-<hash>-` names are Decap 3.16.3's own for a field in error (emotion names a style by its
# hash: the pinned bundle keeps them; tests/test_editor.py runs axe on a form showing errors).
STYLESHEET = (".visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
              "clip:rect(0 0 0 0);white-space:nowrap;border:0}\n"
              "[class*=\"-AppHeaderButton\"]:not(.header-link-active),[class*=\"-SidebarNavLink\"]:not(.sidebar-active),"
              "[class*=\"-grayText\"][class]{color:#5c6372}\n"
              "[class*=\"-PublishButton\"][class]{background-color:#117a8b}\n"
              "[class*=\"-textBadgeDanger\"][class],[class*=\"-ControlErrorsList\"][class],"
              "[class*=\"-ControlErrorsList\"] li,.css-142sxqu-ControlHint[class]{color:#c4002d}\n"
              ".css-13mlvom-FieldLabel-fieldLabel-fieldLabel[class]{background-color:#c4002d}\n"
              "html:root{--toastify-color-info:#1d6fa5;--toastify-color-success:#157a1a;"
              "--toastify-color-warning:#8a6500;--toastify-color-error:#b83227}\n")


def page(site_name: str, csp: str) -> str:
    """The admin page: Decap's bundle and its config, with the policy as a <meta> (GitHub Pages)."""
    return PAGE.format(policy=html.escape(csp, quote=False).replace('"', "&quot;"),
                       name=html.escape(site_name or "the clinic's website"), entry=ENTRY)


# admin.js: the page's landmarks and the preview pane's name as Decap's screens change, and the
# preview of posts, guide pages and listings in the site's own styles: its stylesheets (registered
# with Decap's CMS.registerPreviewStyle, loaded from this site) and the theme's classes around the text.
PREVIEW = """// Generated by the build (scripts/clinic_site/editor/bundle.py): landmarks, the preview in site styles.
(function () {
  var root = document.getElementById("nc-root");
  function label() {   // one main landmark; the preview frame and the Markdown box named (axe)
    if (root.querySelector("main")) { root.removeAttribute("role"); } else { root.setAttribute("role", "main"); }
    var frame = document.getElementById("preview-pane");
    if (frame && !frame.title) { frame.title = "Preview"; }
    root.querySelectorAll("[role=textbox]:not([aria-label])").forEach(function (box) {   // the Markdown box
      var field = box.closest("[class*=ControlContainer]"), name = field && field.querySelector("label");
      if (name) { box.setAttribute("aria-label", name.textContent); }
    });
  }
  new MutationObserver(label).observe(root, {childList: true, subtree: true});
  label();
  %s.forEach(function (href) { CMS.registerPreviewStyle(href); });
  function typeset(props, title, content) {
    return h("div", {className: "md-content"}, h("article", {className: "md-content__inner md-typeset"},
      title ? h("h1", {}, title) : null, content));
  }
  var Page = createClass({
    render: function () {   // the page's title, unless its text starts with its own "# " heading
      var data = this.props.entry.get("data"), body = String(data.get("body") || "");
      return typeset(this.props, /^\\s*#\\s/.test(body) ? null : data.get("title"), this.props.widgetFor("body"));
    }
  });
  var Listing = createClass({
    render: function () {   // each field of the form with its label, as a list
      var props = this.props;
      return typeset(props, props.entry.getIn(["data", "name"]), h("dl", {}, props.fields.toArray().map(
        function (field) {
          return [h("dt", {key: field.get("name") + "-label"}, field.get("label")),
                  h("dd", {key: field.get("name")}, props.widgetFor(field.get("name")))];
        })));
    }
  });
  CMS.registerPreviewTemplate("posts", Page);
  CMS.registerPreviewTemplate("guide", Page);
  CMS.registerPreviewTemplate("listings", Listing);
})();
"""


def stylesheets(site_dir: Path | None, extra_css: list) -> list[str]:
    """The site's stylesheets as the admin page reaches them ("../assets/stylesheets/main.….min.css"):
    those the built home page links, in its order (the theme's, whichever engine wrote them and
    wherever it keeps them, then mkdocs.yml's extra_css), then any of `extra_css` it does not
    link; only files the built folder `site_dir` holds."""
    if site_dir is None or not site_dir.is_dir():
        return []
    home = site_dir / "index.html"
    linked = []
    if home.is_file():   # read with the HTML parser the output guard reads every page with
        from selectolax.lexbor import LexborHTMLParser

        for link in LexborHTMLParser(home.read_text(encoding="utf-8")).css("link[rel][href]"):
            if "stylesheet" in (link.attributes.get("rel") or "").lower().split():
                linked.append((link.attributes.get("href") or "").split("?", 1)[0].split("#", 1)[0])
    found = [os.path.normpath(name).replace(os.sep, "/").lstrip("/") for name in linked
             if "://" not in name and not name.startswith("//")]
    found += [str(name).lstrip("/") for name in extra_css]
    return ["../" + name for name in dict.fromkeys(found)
            if not name.startswith("..") and (site_dir / name).is_file()]


def admin_script(styles: list[str]) -> str:
    """admin/admin.js for the site's stylesheets `styles`."""
    return PREVIEW % json.dumps(styles)


def write(folder: Path, bundle: Bundle, page_text: str, config_text: str, styles: tuple[str, ...] | list[str] = ()
          ) -> dict[str, str]:
    """Write the editor into `folder` (site/admin/); returns {path in folder: SHA-256} of what it wrote."""
    folder.mkdir(parents=True, exist_ok=True)
    written = dict(bundle.files)
    for name in bundle.files:
        shutil.copyfile(bundle.folder / name, folder / name)
    for name, text in (("index.html", page_text), ("config.yml", config_text), ("admin.css", STYLESHEET),
                       ("admin.js", admin_script(list(styles)))):
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        written[name] = hashlib.sha256(data).hexdigest()
    return written


def present(site_dir: Path) -> set[str]:
    """The files under admin/ of a built folder, as paths in the site ("admin/x.png")."""
    root = site_dir / ADMIN_DIR
    if not root.is_dir():
        return set()
    return {path.relative_to(site_dir).as_posix() for path in root.rglob("*") if path.is_file()}


def unexpected(site_dir: Path, written: dict[str, str]) -> dict[str, str]:
    """{path in the site: why} for each file under admin/ that is not the editor's as written:
    an extra file, or one whose bytes changed after the build wrote it."""
    found = {}
    for dest in sorted(present(site_dir)):
        name = dest.removeprefix(f"{ADMIN_DIR}/")
        if name not in written:
            found[dest] = ("is in the editor's folder admin/, which holds only the editor's own files "
                           "(scripts/clinic_site/editor/): nothing else may be published there")
        elif file_hash(site_dir / dest) != written[name]:
            found[dest] = "is not the editor's file the build wrote (its bytes changed)"
    return found
