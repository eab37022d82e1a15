"""The editor's config.yml, generated: never written by hand, so the forms follow the checks.

The listing form is made from the listing schema (clinic_site.finder.schema.FIELDS: each field's
kind, whether it is required, its example) and the controlled vocabularies (the choices for
credentials, specialties, payment and languages), the states from clinic_site.us_states; the
post and guide forms take their authors and reviewers from .authors.yml and their categories
from the blog's `categories_allowed`. ZIP codes and phone numbers are text fields, dates are date
pickers that write YYYY-MM-DD, so nothing staff type can turn into a number. The Markdown body is
edited in Decap's plain Markdown mode only (`modes: [raw]`), so admonitions, footnotes, attribute
lists, abbreviations and tabs are saved as typed.

clinic.yml is not offered: Decap writes YAML 1.2, where an unquoted `13:00` is text, but
PyYAML, which reads it here, takes it as the number 780; and Decap rewrites the whole file,
dropping the comments that explain each field to staff.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from clinic_site.content_rules import DESCRIPTION_MAX, DESCRIPTION_MIN
from clinic_site.finder import schema
from clinic_site.finder.settings import load_settings
from clinic_site.finder.vocabulary import LISTS, Vocabulary, load_vocabulary
from clinic_site.people import read_people
from clinic_site.phone import PHONE_PATTERN
from clinic_site.problems import Problem
from clinic_site.stage.blog import BlogSettings
from clinic_site.us_states import US_STATE_NAMES

BACKENDS = ("github", "gitlab", "gitea")
# Each backend's API, whose origin the admin page's policy lets the editor call once signed in
# (Decap's defaults for api_root, docs: "Backends overview").
API_ROOTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}
# base_url and api_root become sources in the editor's policy (api_origin): one https host each,
# an optional port and path, nothing a policy reads as a separator (space, `;`, `,`, quotes).
ADDRESS = re.compile(r"https://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/%+-]*)?")
ADDRESS_SETTINGS = ("base_url", "api_root")
SETTINGS = ("backend", "repo", "branch", "base_url", "auth_endpoint", "api_root", "app_id", "auth_type")
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
MARKDOWN = {"label": "Text", "name": "body", "widget": "markdown", "modes": ["raw"], "sanitize_preview": True}
# The check's rule (schema.listing_id): its pattern, and none of the finder's own names.
ID_PATTERN = [f"^(?!(?:{'|'.join(sorted(schema.RESERVED_IDS))})$)[a-z0-9]+(-[a-z0-9]+)*$",
              f"Lowercase letters, digits and single hyphens, like jane-doe, and none of "
              f"{', '.join(sorted(schema.RESERVED_IDS))}"]
ZIP_PATTERN = ["^[0-9]{5}$", "Five digits, like 78701"]
# The check counts a description without the spaces around it (content_rules.description_problems).
DESCRIPTION_PATTERN = [f"^\\s*\\S.{{{DESCRIPTION_MIN - 2},{DESCRIPTION_MAX - 2}}}\\S\\s*$",
                       f"One sentence of {DESCRIPTION_MIN} to {DESCRIPTION_MAX} characters"]
# Decap writes YAML 1.2 (npm yaml 1.x) and quotes a text only when YAML 1.2 would read it as
# something else (`true`, `12`, `1.5`, `null`); the site reads with PyYAML, YAML 1.1, where a plain
# `no`, `on`, `1:30`, `1_000`, `0b1`, `2026-01-05` or `=` is true/false, a number or a date. So
# every text field refuses what YAML 1.1 reads otherwise (PyYAML's implicit forms, YAML_11) unless
# YAML 1.2 does too (YAML_12: Decap quotes it, it comes back as typed): NOT_MISREAD, before its pattern.
YAML_11 = ("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|<<|="
           "|[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
           "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
           "|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
           "|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
           "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?")
YAML_12 = ("true|True|TRUE|false|False|FALSE|~|null|Null|NULL|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
           "|[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)")
NOT_MISREAD = f"(?!(?!(?:{YAML_12})$)(?:{YAML_11})$)"
MISREAD_HINT = ("not a word or number YAML reads as yes/no, a number or a date (like no, on, 1:30, 1_000 or "
                "2026-01-05): add a word, or ask whoever looks after the site to write it in the file in quotes")


def backend(settings) -> tuple[dict | None, list[Problem]]:
    """Decap's `backend:` block from mkdocs.yml's `extra: editor:` (the clinic's git host), else
    from `repo_url` on github.com or gitlab.com; (None, []) with `editor: false` (no editor)."""
    shown = settings.project.shown(settings.project.config_file)
    raw = settings.extra.get("editor")
    if raw is False:
        return None, []
    line = settings.line_of("editor:")
    if raw is not None and not isinstance(raw, dict):
        return None, [Problem(shown, line, "extra.editor", "must be settings, one per line, or false",
                              "write `editor:` and below it `  backend: github` and `  repo: owner/name`")]
    values = {key: str(value) for key, value in (raw or {}).items() if value is not None}
    unknown = [key for key in values if key not in SETTINGS]
    if unknown:
        return None, [Problem(shown, settings.line_of(f"{unknown[0]}:"), f"extra.editor.{unknown[0]}",
                              "is not an editor setting", f"settings: {', '.join(SETTINGS)}")]
    for key in ADDRESS_SETTINGS:
        if key in values and not ADDRESS.fullmatch(values[key]):
            return None, [Problem(shown, settings.line_of(f"{key}:"), f"extra.editor.{key}",
                                  f"'{values[key]}' is not one https:// address of a host",
                                  "write the server's address alone, like https://git.example.org (with a path for "
                                  "api_root, like https://git.example.org/api/v1)")]
    repo_url = urlsplit(str(settings.get("repo_url") or ""))
    host = (repo_url.hostname or "").lower()
    guessed = {"github.com": "github", "gitlab.com": "gitlab"}.get(host)
    values.setdefault("backend", guessed or "")
    if guessed and "repo" not in values:
        values["repo"] = repo_url.path.strip("/").removesuffix(".git")
    values.setdefault("branch", "main")
    if values["backend"] not in BACKENDS or not values.get("repo"):
        return None, [Problem(shown, line, "extra.editor", "the editor at /admin/ does not know the clinic's git host "
                              "(repo_url is not on github.com or gitlab.com)",
                              "add `editor:` under `extra:` with `backend: github` (or gitlab, gitea), `repo: "
                              "owner/name` and, for Gitea, `api_root:` and `base_url:`; or `editor: false`")]
    if values["backend"] == "gitea" and "api_root" not in values:
        return None, [Problem(shown, line, "extra.editor.api_root", "is needed for a Gitea server",
                              "write the server's API address, like https://git.example.org/api/v1")]
    return values, []


def api_origin(backend_block: dict) -> str:
    """The origins the signed-in editor calls, space-separated: the git host's API
    ("https://api.github.com"); for GitLab and Gitea also the server that gives the sign-in token
    (`base_url`: they sign in from the browser, PKCE). GitHub's sign-in runs in a window of its own
    on `base_url` (Netlify's or the clinic's OAuth server), which the page never calls."""
    origins = []
    for address in (backend_block.get("api_root") or API_ROOTS[backend_block["name"]],
                    backend_block.get("base_url") if backend_block["name"] != "github" else None):
        parts = urlsplit(address or "")
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return " ".join(dict.fromkeys(origins))


def length_pattern(limit: int) -> str:
    """A pattern (JavaScript and Python alike) that text matches when it holds at most `limit`
    characters counted as the check counts them (clinic_site.finder.schema.text): spaces at either
    end left out, each run of spaces, tabs or line breaks inside counted as one space."""
    return rf"^\s*(?:\S|\s+(?=\S)){{0,{limit}}}\s*$"


def listing_fields(vocabulary: Vocabulary) -> list[dict]:
    """The listing form: one widget per field of the listing schema, in its order."""
    fields = []
    for field in schema.FIELDS:
        # A listing at the clinic (`at_clinic: true`) takes these from clinic.yml and must leave
        # them out; the check, which knows both, still refuses a listing elsewhere without them.
        required = field.required and field.name not in schema.FROM_CLINIC
        widget: dict = {"label": field.name.replace("_", " ").capitalize(), "name": field.name,
                        "required": required, "hint": f"For example: {field.example}"}
        if field.name in schema.FROM_CLINIC:
            widget["hint"] += ". Leave empty for a therapist at our clinic (At clinic on)."
        if field.type == "terms":
            table = vocabulary.terms(field.name)
            widget.update(widget="select", multiple=True, min=1 if required else 0,
                          options=[{"label": label if label == code else f"{label} ({code})",
                                    "value": code if reads_as_typed(code) else label}   # "no": its label
                                   for code, label in table.labels.items()])
        elif field.type == "state":
            widget.update(widget="select", options=[{"label": f"{name} ({code})", "value": code}
                                                    for code, name in sorted(US_STATE_NAMES.items())])
        elif field.type == "number":
            limit = schema.DEGREES[field.name]   # the check's limits (a KeyError: a number field without)
            widget.update(widget="number", value_type="float", min=-limit, max=limit)
        elif field.type == "date":
            widget.update(DATE)
        elif field.type == "yes/no":
            widget.update(widget="boolean", default=False)
        elif field.name == "bio":
            widget["widget"] = "text"
        else:
            widget["widget"] = "string"
            if field.name == "id":   # Decap keeps a saved entry's file name (seen): the check wants them equal
                widget["pattern"] = ID_PATTERN
                widget["hint"] += (". Not to be changed once saved: the file keeps its first name, and the check "
                                   "refuses an id that differs from it")
            elif field.name == "zip":
                widget["pattern"] = ZIP_PATTERN
            elif field.name == "phone":   # what the check dials (clinic_site.phone), the same expression
                widget["pattern"] = [PHONE_PATTERN, "A 10-digit US number with its area code, like 512-555-0101; "
                                     "an extension may follow, like ext. 204"]
            elif field.name == "street":
                widget["pattern"] = [f"^(?![\\s\\S]*(?:{schema.PO_BOX}))" + length_pattern(field.max_length or 0)[1:],
                                     "A street address where clients are seen, not a PO box, "
                                     f"{field.max_length} characters at most"]
            elif field.name == "website":
                widget["pattern"] = [schema.WEB_ADDRESS, "A web address starting with https://, like https://example.org"]
        if field.max_length is not None and "pattern" not in widget:
            widget["pattern"] = [length_pattern(field.max_length), f"{field.max_length} characters at most"]
        fields.append(widget)
    return fields


def reads_as_typed(value: str) -> bool:
    """Whether the text `value`, written as Decap writes it, comes back as the same text."""
    return re.fullmatch(NOT_MISREAD + "[\\s\\S]*", value) is not None


def textual(fields: list[dict]) -> list[dict]:
    """`fields` with NOT_MISREAD before each text field's pattern (in object fields too)."""
    for field in fields:
        textual(field.get("fields", []))
        if field.get("widget") in ("string", "text"):
            pattern, message = field.get("pattern") or ["^[\\s\\S]*$", ""]
            assert pattern.startswith("^"), pattern
            field["pattern"] = ["^" + NOT_MISREAD + pattern[1:], f"{message}; {MISREAD_HINT}" if message
                                else MISREAD_HINT[0].upper() + MISREAD_HINT[1:]]
    return fields


def _people_select(label: str, name: str, people: list[str], multiple: bool, required: bool = True) -> dict:
    return {"label": label, "name": name, "widget": "select", "multiple": multiple, "required": required,
            "options": people, **({"min": 1} if multiple else {})}


def cms_config(block: dict, vocabulary: Vocabulary, people: list[str], categories: list[str], docs: str = "docs",
               listings_dir: str = "therapists/listings", local_backend_url: str | None = None, live: bool = False
               ) -> dict:
    """Decap's whole configuration. `local_backend_url`: the development command's decap-server
    (clinic_site.editor.develop), never given by the build."""
    config: dict = {"backend": {"name": block["backend"],
                                **{key: value for key, value in block.items() if key != "backend"}}}
    if local_backend_url:
        config["local_backend"] = {"url": local_backend_url}
    config.update({
        "media_folder": f"{docs}/assets/images", "public_folder": "/assets/images",
        "publish_mode": "simple",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [
            {"name": "posts", "label": "Blog posts", "label_singular": "Blog post", "folder": f"{docs}/blog/posts",
             "create": True, "slug": "{{slug}}", "extension": "md", "format": "frontmatter",
             "summary": "{{title}}", "fields": [
                 {"label": "Title", "name": "title", "widget": "string",
                  "hint": "Older posts have their title as the first line of the text (# Title): copy it here."},
                 {"label": "Date", "name": "date", "widget": "object", "fields": [
                     {"label": "Created", "name": "created", **DATE},
                     {"label": "Updated", "name": "updated", "required": False, **DATE}]},
                 _people_select("Authors", "authors", people, multiple=True),
                 # No categories_allowed: the blog takes any category, typed one per line.
                 {"label": "Categories", "name": "categories", "widget": "select", "multiple": True, "min": 1,
                  "options": categories} if categories else
                 {"label": "Categories", "name": "categories", "widget": "list", "required": False},
                 {"label": "Description", "name": "description", "widget": "string",
                  "pattern": DESCRIPTION_PATTERN, "hint": "What search engines show under the title."},
                 {"label": "Draft (only in the preview)", "name": "draft", "widget": "boolean", "default": True,
                  "required": False},
                 {**MARKDOWN, "default": "Opening paragraph.\n\n<!-- more -->\n\nThe rest of the post.\n"}]},
            {"name": "guide", "label": "Guide pages", "label_singular": "Guide page", "folder": f"{docs}/guide",
             "create": False, "extension": "md", "format": "frontmatter",
             "description": "New guide pages need a place in the menu: start them with `clinic new-guide-page`.",
             "fields": [
                 {"label": "Title", "name": "title", "widget": "string"},
                 {"label": "Description", "name": "description", "widget": "string", "pattern": DESCRIPTION_PATTERN},
                 # Required once the site is live (clinic.yml `live: true`): the check then refuses a page without.
                 _people_select("Reviewed by", "reviewed_by", people, multiple=False, required=live),
                 {"label": "Last reviewed", "name": "last_reviewed", "required": live, **DATE},
                 {"label": "Next review", "name": "next_review", "required": live, **DATE},
                 MARKDOWN]},
            {"name": "listings", "label": "Therapist listings", "label_singular": "Therapist listing",
             "folder": f"{docs}/{listings_dir}", "create": True, "extension": "yml", "format": "yaml",
             "identifier_field": "name", "slug": "{{fields.id}}", "summary": "{{name}}",
             "fields": listing_fields(vocabulary)},
        ],
    })
    if not people:   # after `clinic remove-samples`: a post needs an author from .authors.yml
        config["collections"][0].update(create=False, description=(
            f"New posts need an author: add the clinic's people to {docs}/blog/.authors.yml first (ask whoever "
            "looks after the site; README, \"Going live\")."))
    for item in config["collections"]:
        textual(item["fields"])
    return config


_Dumper = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper  # libyaml's: same text, 7x faster


class _PlainDumper(_Dumper):  # type: ignore[valid-type,misc]
    """Writes a value used twice in full each time: no YAML anchors and aliases (Decap would share
    one object between two fields)."""

    def ignore_aliases(self, data) -> bool:
        return True


def config_yaml(config: dict) -> str:
    """config.yml's text."""
    return ("# Generated by the build (scripts/clinic_site/editor/config.py) from the listing schema,\n"
            "# docs/therapists/vocabulary.yml, .authors.yml and mkdocs.yml. Do not edit.\n"
            + yaml.dump(config, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=120))


def for_project(settings, local_backend_url: str | None = None) -> tuple[dict | None, list[Problem]]:
    """The configuration for the project of `settings` (clinic_site.project.Settings), or None with
    the problems met (a vocabulary or .authors.yml the build names anyway gives None and [])."""
    block, problems = backend(settings)
    if block is None:
        return None, problems
    docs_dir: Path = settings.docs_dir
    shown = settings.project.shown(settings.project.config_file)
    finder, _ = load_settings(settings.extra, settings.project.config_file, shown)
    vocabulary, found = load_vocabulary(finder.path("vocabulary", docs_dir),
                                        f"{settings.docs_path}/{finder.vocabulary}")
    people, found_people = read_people(docs_dir / "blog" / ".authors.yml", f"{settings.docs_path}/blog/.authors.yml",
                                       settings.site_url)
    if vocabulary is None or found or found_people and not people:
        # The build's stage names these problems and stops on them; `clinic edit` has no stage.
        return None, (found + found_people) if local_backend_url else []
    blog = BlogSettings.of(settings.plugin("blog")) or BlogSettings()
    docs = settings.docs_path
    return cms_config(block, vocabulary, sorted(people), list(blog.categories_allowed), docs, finder.listings_dir,
                      local_backend_url, live=settings.clinic.get("live") is True), []


__all__ = ["LISTS", "api_origin", "backend", "cms_config", "config_yaml", "for_project", "listing_fields"]
