"""Two pages at one address: one would silently replace the other, so each is named with the fix
its kind allows (the stage's rule over every page it knows, the finder's generated ones included)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from clinic_site import yamlfile
from clinic_site.problems import Problem, front_matter_line
from clinic_site.stage.pages import PageRecord


def address_collisions(pages: Iterable[tuple[str, str, str, str]]) -> list[Problem]:
    """Problems for pages that would be written to the same address, where one would silently
    replace the other (two "Clinic closed today" posts on one day; a page where a therapist's
    listing page goes). `pages` are (destination path in the site, the source as staff see it,
    its text, its kind: "post", "listing", "city", "state" or any other page's kind); each
    colliding page gets a Problem naming the others, with the fix its kind allows: a post its
    `slug:` (the blog reads it), a listing its `id:` (its page is therapists/<id>/), the finder's
    city and state pages none (named on the page that took their address), any other page a new
    file name (MkDocs and Zensical read no `slug:` outside the blog)."""
    by_address: dict[str, list[tuple[str, str, str]]] = {}
    for address, path, text, kind in pages:
        by_address.setdefault(address, []).append((path, text, kind))
    found = []
    for address, group in by_address.items():
        if len(group) < 2:
            continue
        shown = address.removesuffix("index.html")
        for path, text, kind in group:
            if kind in ("city", "state") and any(other_kind not in ("city", "state") for _p, _t, other_kind in group):
                continue   # the finder's own page: the fix is on the page or listing that took its address
            others = ", ".join(other for other, _text, _kind in group if other != path)
            what = f"is published at the same address as {others} ({shown}), so one page would replace the other"
            stem = shown.rstrip("/").rsplit("/", 1)[-1] or "page"
            if kind == "post":
                found.append(Problem(path, front_matter_line(text, "slug"), "slug", what,
                                     f"give one of them its own address with `slug:` in its front matter, for "
                                     f"example `slug: {stem}-2`"))
            elif kind == "listing":
                found.append(Problem(path, _yaml_key_line(text, "id"), "id", what,
                                     f"give this listing another `id:` (its page is therapists/<id>/), for example "
                                     f"`id: {stem}-2`, and rename its file to match"))
            else:
                found.append(Problem(path, 1, "", what,
                                     "rename or move this file so it has an address of its own: "
                                     + ("the finder's pages are therapists/<listing id>/, therapists/cities/ and "
                                        "therapists/states/" if shown.startswith("therapists/")
                                        else "a.md and a/index.md are both published at a/")))
    return found


def _yaml_key_line(text: str, key: str) -> int:
    """The line of a top-level `key:` in a YAML file's text, or 1."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def page_collisions(records: list[PageRecord], texts: dict[str, str], root: Path) -> list[Problem]:
    """Pages written to the same address (address_collisions), from the stage's records. `texts`: each page's
    source by src_uri; a listing's file (under `root`, the project) is read only when it collides."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record.dest] = counts.get(record.dest, 0) + 1

    def text_of(record: PageRecord) -> str:
        if record.kind == "listing" and counts[record.dest] > 1:
            return yamlfile.read_text(root / record.shown, record.shown)[0] or ""
        return texts.get(record.src_uri, "")
    return address_collisions((record.dest, record.shown, text_of(record), record.kind)
                                            for record in records)
