"""`clinic remove-samples`: remove every sample listing, person and post, and what then dangles.

What is sample is what the launch rule finds (clinic_site.launch): listing files and posts marked
`sample: true`, and people marked `sample: true` in docs/blog/.authors.yml with their page. Then
what would point at nothing: a post's author or a page's `reviewed_by` (with its review dates)
naming a removed person, and a redirect (mkdocs.yml's redirect_maps) to a removed page. Files are
edited line by line, so their comments stay. The clinic's own details (clinic.yml) are not
touched: write your clinic's own, then `clinic check --launch` lists what is left.

Run in the site's folder:  .venv/bin/clinic remove-samples   (--dry-run: only say what it would do)
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from clinic_site import pipeline
from clinic_site.project import Project, ProjectNotFound

REVIEW_KEYS = ("reviewed_by", "last_reviewed", "next_review")


def _front_matter_end(lines: list[str]) -> int:
    """The index of the closing '---' of a page's front matter, or 0 when there is none."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((index for index, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), 0)


def without_people(text: str, removed: set[str]) -> tuple[str, list[str]]:
    """A page's text with removed people taken out of its front matter: their id from `authors:`,
    and `reviewed_by:` naming one with its review dates. Returns the text and what changed."""
    lines = text.splitlines(keepends=True)
    end = _front_matter_end(lines)
    if not end:
        return text, []
    changed: list[str] = []
    reviewer = next((line.split(":", 1)[1].split("#")[0].strip().strip("'\"") for line in lines[1:end]
                     if line.startswith("reviewed_by:")), None)
    drop_review = reviewer in removed
    kept: list[str] = []
    in_authors = False
    for index, line in enumerate(lines):
        if 0 < index < end:
            key = line.split(":", 1)[0] if not line.startswith((" ", "\t", "-")) else None
            if key is not None:
                in_authors = key == "authors"
            if drop_review and key in REVIEW_KEYS:
                changed.append(f"{key} (named the removed '{reviewer}')" if key == "reviewed_by" else key)
                continue
            item = re.match(r"\s*-\s*['\"]?([\w.-]+)['\"]?\s*(#.*)?$", line) if in_authors and key is None else None
            if item and item.group(1) in removed:
                changed.append(f"author '{item.group(1)}'")
                continue
            if key == "authors" and "[" in line:
                names = [name.strip().strip("'\"") for name in line.split("[", 1)[1].split("]")[0].split(",")]
                left = [name for name in names if name and name not in removed]
                if len(left) != len([name for name in names if name]):
                    changed += [f"author '{name}'" for name in names if name in removed]
                    line = f"authors: [{', '.join(left)}]\n"
        kept.append(line)
    return "".join(kept), changed


def without_entries(text: str, removed: set[str]) -> str:
    """.authors.yml without the removed people's entries (each from its `id:` line to the next
    line indented as little), its comments kept; `authors: {}` when nobody is left."""
    lines = text.splitlines(keepends=True)
    kept, skipping, indent = [], False, 0
    for line in lines:
        stripped = line.strip()
        depth = len(line) - len(line.lstrip())
        if skipping and stripped and depth <= indent:
            skipping = False
        if not skipping and stripped.rstrip(":").strip("'\"") in removed and stripped.endswith(":"):
            skipping, indent = True, depth
            continue
        if not skipping:
            kept.append(line)
    result = "".join(kept)
    if not re.search(r"^\s+[\w'\"-][^:\n]*:\s*(#.*)?$", result.split("authors:", 1)[-1], re.M):
        result = re.sub(r"^authors:[ \t]*$", "authors: {}", result, count=1, flags=re.M)
    return result


def without_redirects(text: str, removed_pages: set[str]) -> tuple[str, list[str]]:
    """mkdocs.yml without the redirect_maps lines that lead to a removed page."""
    kept, dropped = [], []
    for line in text.splitlines(keepends=True):
        match = re.match(r"\s+([\w./-]+\.md):\s*([\w./-]+\.md)\s*(#.*)?$", line)
        if match and match.group(2) in removed_pages:
            dropped.append(match.group(1))
            continue
        kept.append(line)
    text = "".join(kept)
    if dropped and not any(re.match(r"\s+[\w./-]+\.md:\s*[\w./-]+\.md", line) for line in kept):
        text = re.sub(r"^(\s*redirect_maps:)[ \t]*$", r"\1 {}", text, count=1, flags=re.M)
    return text, dropped


def remove(project: Project, *, dry_run: bool = False) -> list[str]:
    """Remove every sample listing, person and post of `project`, and what then dangles; returns
    one line per thing done (or to do, with dry_run)."""
    from clinic_site import people as people_file
    from clinic_site.project import Settings

    markers, _other = pipeline.launch(project)
    settings = Settings.read(project)[0]
    docs = settings.docs_dir
    root = project.root
    done: list[str] = []
    files = {marker.problem.path for marker in markers if marker.group in ("listings", "posts", "people")
             and marker.problem.field == "sample"}   # listing files and pages marked sample: true
    removed_people = {marker.problem.field.split(".")[1] for marker in markers   # authors.<id>.sample
                      if marker.group == "people" and marker.problem.field.startswith("authors.")}
    blog = settings.plugin("blog") or {}
    authors_file = docs / str(blog.get("blog_dir") or "blog") / ".authors.yml"
    people, _found = people_file.read_people(authors_file, "", "")
    for person_id in removed_people:
        url = str(people.get(person_id, {}).get("url") or "").strip("/")
        for candidate in (f"{url}.md", f"{url}/index.md") if url and "://" not in url else ():
            if (docs / candidate).is_file():
                files.add(project.shown(docs / candidate))
    removed_pages = {Path(shown).relative_to(project.shown(docs)).as_posix() for shown in files
                     if shown.endswith(".md")}
    for shown in sorted(files):
        done.append(f"removed {shown}")
        if not dry_run:
            (root / shown).unlink()
    if removed_people and authors_file.is_file():
        done += [f"removed '{person_id}' from {project.shown(authors_file)}" for person_id in sorted(removed_people)]
        if not dry_run:
            authors_file.write_text(without_entries(authors_file.read_text("utf-8"), removed_people), "utf-8")
    for page in sorted(docs.rglob("*.md")):
        shown = project.shown(page)
        if shown in files or page.is_symlink():
            continue
        text, changed = without_people(page.read_text("utf-8"), removed_people)
        if changed:
            done.append(f"{shown}: took out {', '.join(changed)}")
            if not dry_run:
                page.write_text(text, "utf-8")
    config_text = project.config_file.read_text("utf-8")
    text, dropped = without_redirects(config_text, removed_pages)
    if dropped:
        done.append(f"{project.shown(project.config_file)}: took out the redirects of {', '.join(dropped)}")
        if not dry_run:
            project.config_file.write_text(text, "utf-8")
    return done


def main(argv: list[str] | None = None) -> int:
    """`clinic remove-samples`: remove the sample content, say what was done and what is left."""
    parser = argparse.ArgumentParser(prog="clinic remove-samples", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", default=None,
                        help="the site's mkdocs.yml (default: found from the current folder upwards)")
    parser.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    args = parser.parse_args(argv)
    try:
        project = Project.find(args.config_file)
    except ProjectNotFound as error:
        print(f"clinic remove-samples: {error}")
        return 2
    done = remove(project, dry_run=args.dry_run)
    for line in done:
        print(line)
    print("Nothing sample was found." if not done else
          "Done. Next: write your clinic's details in clinic.yml, then run `clinic check --launch` for what is left.")
    return 0

