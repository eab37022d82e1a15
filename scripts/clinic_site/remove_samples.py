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
from clinic_site.project import Project, for_command

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
    # every author removed: no `authors:` left empty (the blog cannot read it), and the owner told
    authors_at = next((index for index, line in enumerate(kept[:end]) if line.startswith("authors:")), None)
    if authors_at is not None and any(item.startswith("author '") for item in changed):
        inline = "[" in kept[authors_at]
        inline_left = kept[authors_at].split("[", 1)[1].split("]")[0].strip() if inline else ""
        following = next((index for index, line in enumerate(kept[authors_at + 1:], start=authors_at + 1)
                          if not line.startswith((" ", "\t", "-"))), len(kept))
        items = [line for line in kept[authors_at + 1:following] if line.strip() and not line.strip().startswith("#")]
        if (inline and not inline_left) or (not inline and not items):
            del kept[authors_at]
            changed.append("`authors:` (no author left: add the real one before publishing)")
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


# A Markdown inline link, [words](target "title"), on one line; the words may hold no brackets.
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")


def _link_page(target: str, src_uri: str) -> str | None:
    """The src_uri a page's link `target` names ("blog/posts/a.md", "people/x/" -> "people/x.md"
    or "people/x/index.md" both given back as candidates by the caller), None for another site."""
    if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    parts: list[str] = src_uri.split("/")[:-1]
    for part in path.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) + ("/" if path.endswith("/") else "")


def without_links(text: str, src_uri: str, removed_pages: set[str]) -> tuple[str, list[str]]:
    """A page's text with each link to a removed page made plain words (the build stops on a link to
    a page that does not exist). Returns the text and what changed, with the line of each."""
    changed: list[str] = []
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        def unlink(match: re.Match, number: int = number) -> str:
            page = _link_page(match.group(2), src_uri)
            if page is None:
                return match.group(0)
            stem = page.rstrip("/")
            candidates = {page} if page.endswith(".md") else {f"{stem}.md", f"{stem}/index.md"}
            if not candidates & removed_pages:
                return match.group(0)
            changed.append(f"the link to the removed {match.group(2)} (line {number}, its words kept)")
            return match.group(1)
        lines[number - 1] = _LINK.sub(unlink, line)
    return "".join(lines), changed


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
    # A removed person's own page goes only when it is marked `sample: true` itself (then it is in
    # `files` already): the `url` of a sample entry may name a page of the clinic's own (about/),
    # which is named for the owner to look at, never deleted.
    left: list[str] = []
    for person_id in sorted(removed_people):
        url = str(people.get(person_id, {}).get("url") or "").strip("/")
        for candidate in (f"{url}.md", f"{url}/index.md") if url and "://" not in url else ():
            page = docs / candidate
            if page.is_file() and project.shown(page) not in files:
                left.append(f"kept {project.shown(page)}: the url of the removed '{person_id}' names it, but it is "
                            "not marked `sample: true` (delete it yourself if it was theirs)")
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
        text, unlinked = without_links(text, page.relative_to(docs).as_posix(), removed_pages)
        changed += unlinked
        if changed:
            done.append(f"{shown}: took out {', '.join(changed)}")
            if not dry_run:
                page.write_text(text, "utf-8")
    done += left
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
    project = for_command("clinic remove-samples", args.config_file)
    if project is None:
        return 2
    done = remove(project, dry_run=args.dry_run)
    for line in done:
        print(_would(line) if args.dry_run else line)
    if not done:
        print("Nothing sample was found.")
    elif args.dry_run:
        print("Nothing was changed (--dry-run). Run `clinic remove-samples` to do the above.")
    else:
        print("Done. Next: write your clinic's details in clinic.yml, then run `clinic check --launch` "
              "for what is left.")
    return 0


def _would(line: str) -> str:
    """A line of `remove` said as what a run would do ("removed x" -> "would remove x")."""
    for done, would in (("removed ", "would remove "), ("kept ", "would keep ")):
        if line.startswith(done):
            return would + line.removeprefix(done)
    return line.replace(": took out ", ": would take out ", 1)

