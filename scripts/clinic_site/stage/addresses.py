"""Two published names the site, a host or a staff member's computer takes for one: pages and copied
files written to the same address (a.md and a/index.md), or to names that differ only in letter
case or in how an accented letter is stored (Back-pain.md and back-pain.md, a folder Guide/ beside
guide/, Logo.png beside logo.png, café.md typed on two computers). On a Mac or Windows checkout git
keeps one of the two, and a host that ignores case serves one for the other, so one would silently
replace the other. The stage's one rule over every file it publishes (its pages, the finder's and
people's generated pages, the files copied as they are), each colliding source named with the fix
its kind allows; and the files it reads but never publishes as they are, which a checkout loses
just the same (unpublished_collisions)."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from clinic_site import folders, yamlfile
from clinic_site.problems import Problem, front_matter_line
from clinic_site.stage.pages import PageRecord

# Pages the site makes from a data file: where one is at a taken name, the fix is on the other
# (the page or file staff wrote): the finder's city and state pages, its preview pages naming a
# listing's problem, and the page of a person of .authors.yml.
GENERATED = ("city", "state", "problem", "person", "own")   # own: a file the engine or post-build writes itself
ONE_NAME = ("a Mac or Windows computer, and some hosts, take the two names for one, so one would replace the "
            "other")
FOLDERS = ("a Mac or Windows computer, and some hosts, take the two for one folder, of one spelling, so the "
           "addresses spelled the other way stop working")

RENAME_ONE = ("rename one of them so the two names differ by more than letter case or accents (or delete one, if "
              "they hold the same); where the names look the same, type the accented letters again")

# One published output: (its file in the site, its source as staff see it, the source's text or a
# function that reads it, its kind: "post", "listing", "file" for a copied file, or a page's kind).
Output = tuple[str, str, str | Callable[[], str], str]


def same_name(address: str) -> str:
    """The name a case-insensitive, normalizing computer sees: NFC, then case folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", address).casefold())


def address_collisions(pages: Iterable[Output], docs: str = "docs", *, among: str = "") -> list[Problem]:
    """Problems for published outputs that one computer or host would take for one, where one
    would silently replace the other. `pages` are Outputs (above): two at the same address (two
    "Clinic closed today" posts on one day; a page where a therapist's listing page goes; a page
    and a copied about/index.html), or whose file or folder names differ only in letter case or
    Unicode normalization (same_name). Each colliding source gets a Problem naming the others, with
    the fix its kind allows: a post its `slug:` (the blog reads it), a listing its `id:` (its page
    is therapists/<id>/), a page the site generates (GENERATED) none (named on the other), any other
    page or file a new name (MkDocs and Zensical read no `slug:` outside the blog). Two folders of
    docs/ (under `docs`, as staff see it) are named as the folders. `among` (a kind): only names
    that differ in case or accents, where every name but one holds only outputs of that kind."""
    under: dict[str, list[Output]] = {}   # each published file and folder: the outputs at it or in it
    for output in pages:
        parts = output[0].split("/")
        for depth in range(1, len(parts) + 1):
            under.setdefault("/".join(parts[:depth]), []).append(output)
    found = []
    alike: dict[tuple[str, str], list[str]] = {}   # names in one folder that one computer reads as one
    for name, group in under.items():
        alike.setdefault((name.rpartition("/")[0], same_name(name)), []).append(name)
        if not among and len(group) > 1 and any(output[0] == name for output in group):   # a.md and a/index.md
            found += _named(group, {output[1]: name for output in group}, same=True)
    for names in alike.values():   # Guide/ beside guide/ (what is in them is named there, once)
        if len(names) < 2 or among and sum(any(output[3] != among for output in under[name]) for name in names) != 1:
            continue   # `among`: one name with staff's outputs, the others only `among`'s (the stage named the rest)
        published: dict[str, str] = {}   # each source named, with its published name
        named: list[Output] = []
        for name in names:
            folder = f"{docs}/{name}"
            if all(output[3] == "own" for output in under[name]):   # the build's own file or folder: once
                published[f"the build's own {_shown(name)}"] = name
                named.append((name, f"the build's own {_shown(name)}", "", "own"))
                continue
            if any(output[1].startswith(folder + "/") for output in under[name]):
                published[folder] = name   # a folder of docs/ as staff see it
                named.append((name, folder, "", "folder"))
                continue
            for output in under[name]:
                published.setdefault(output[1], name)
                named.append(output)
        found += _named(named, published, same=False)
    return found


def _named(group: list[Output], published: dict[str, str], *, same: bool) -> list[Problem]:
    """One problem per source of `group` (outputs one computer takes for one); `published`: each
    source's published name. The finder's and people's pages are named on what took their name."""
    found = []
    seen: set[str] = set()
    for _address, path, text, kind in group:
        if path in seen:
            continue
        seen.add(path)
        if kind in GENERATED and any(other_kind not in GENERATED for _a, _p, _t, other_kind in group):
            continue   # a page the site makes: the fix is on the page or file that took its name
        shown = _shown(published[path])
        others = list(dict.fromkeys(other for _a, other, _t, _k in group if other != path))
        own = {other for _a, other, _t, other_kind in group if other_kind == "own"}
        if same:
            what = f"is published at the same address as {', '.join(others)} ({shown}), so one would replace the other"
        else:
            how = _how_alike(published[path], published[others[0]])
            what = (f"is published as {shown}, which differs from "
                    + ", ".join(other if other in own else f"{other} ({_shown(published[other])})"
                                for other in others)
                    + f" only {how}: {FOLDERS if kind == 'folder' else ONE_NAME}")
        stem = shown.rstrip("/").rsplit("/", 1)[-1] or "page"
        if kind == "post":
            found.append(Problem(path, front_matter_line(_text(text), "slug"), "slug", what,
                                 f"give one of them its own address with `slug:` in its front matter, for "
                                 f"example `slug: {stem.lower()}-2`"))
        elif kind == "listing":
            found.append(Problem(path, _yaml_key_line(_text(text), "id"), "id", what,
                                 f"give this listing another `id:` (its page is therapists/<id>/), for example "
                                 f"`id: {stem.lower()}-2`, and rename its file to match"))
        elif own and own == set(others):
            found.append(Problem(path, 1, "", what, "rename it: the build writes its own file or folder by that name, "
                                 "and no other name may differ from it only in letter case or accents"))
        elif not same:
            found.append(Problem(path, 1, "", what,
                                 RENAME_ONE))
        else:
            found.append(Problem(path, 1, "", what,
                                 "rename or move this file so it has an address of its own: "
                                 + ("the finder's pages are therapists/<listing id>/, therapists/cities/ and "
                                    "therapists/states/" if shown.startswith("therapists/")
                                    else "a page a.md is published at a/index.html, as a/index.md is")))
    return found


def _how_alike(*names: str) -> str:
    """How names that one computer takes for one differ: only in how an accent is stored (they are
    one name once NFC), else in letter case."""
    if len({unicodedata.normalize("NFC", name) for name in names}) == 1:
        return "in how an accented letter is stored (as one character, or as a letter and a separate accent)"
    return "in letter case"


def _shown(name: str) -> str:
    """A published name as its address reads: "guide/index.html" as "guide/", a folder with its "/"."""
    if name == "index.html" or name.endswith("/index.html"):
        return name.removesuffix("index.html")
    return name if "." in name.rsplit("/", 1)[-1] else name + "/"


def _text(text: str | Callable[[], str]) -> str:
    return text if isinstance(text, str) else text()


def _yaml_key_line(text: str, key: str) -> int:
    """The line of a top-level `key:` in a YAML file's text, or 1."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def page_collisions(records: list[PageRecord], texts: dict[str, str], root: Path, assets: Iterable[str] = (),
                    docs: str = "docs") -> list[Problem]:
    """Published outputs one computer takes for one (address_collisions), from the stage's records
    and the files it copies (`assets`, paths inside docs/, as found). `texts`: each page's source
    by src_uri; a listing's file (under `root`, the project) is read only when it collides."""
    def text_of(record: PageRecord) -> str | Callable[[], str]:
        if record.kind == "listing":
            return lambda: yamlfile.read_text(root / record.shown, record.shown)[0] or ""
        return texts.get(record.src_uri, "")
    pages = [(record.dest, record.shown, text_of(record), _kind(record)) for record in records]
    return address_collisions(pages + [(uri, f"{docs}/{uri}", "", "file") for uri in assets], docs)


def unpublished_collisions(docs_dir: Path, published: Iterable[str], docs: str = "docs") -> list[Problem]:
    """Files of `docs_dir` whose paths differ from another file's only in letter case or accents,
    where one of them is not published as it is (a listing or another data file, a snippet in
    .snippets/, .authors.yml): a Mac or Windows checkout keeps one of the two, so the site built
    there silently lacks the other. `published`: the pages and copied files (paths inside docs/),
    whose clashes page_collisions names. Each file of such a group is named, at line 1."""
    groups: dict[str, list[str]] = {}
    for path, entry in folders.entries(docs_dir):
        if entry.is_file(follow_symlinks=False):
            groups.setdefault(same_name(path), []).append(path)
    shown_published = set(published)
    found = []
    for paths in groups.values():
        if len(paths) < 2 or all(path in shown_published for path in paths):
            continue
        for path in sorted(paths):
            others = ", ".join(f"{docs}/{other}" for other in sorted(paths) if other != path)
            how = _how_alike(*paths)
            found.append(Problem(f"{docs}/{path}", 1, "", f"differs from {others} only {how}: a Mac or Windows "
                                 "computer takes the two names for one, so a checkout there keeps only one of the "
                                 "files and the site built there silently lacks the other",
                                 RENAME_ONE))
    return found


def _kind(record: PageRecord) -> str:
    """A record's kind for the rule: a person's page, made from .authors.yml, is "person"."""
    return "person" if record.shown.endswith("/.authors.yml") else record.kind


def own_file_collisions(site_files: Iterable[str], records: Iterable[PageRecord], copied: dict[str, str],
                        docs: str) -> list[Problem]:
    """After the build, over every file of the site folder (`site_files`, paths in the site): a name
    the stage published that differs only in letter case or accents from a file the build writes
    itself (robots.txt, sitemap.xml, the theme's assets, the blog's archive pages), which the stage
    could not know. `records`: the stage's pages; `copied`: the files it copied, {path in the site:
    source as staff see it}; every other file is the build's own. Clashes between the stage's own
    outputs were named by the stage."""
    staged = {**{record.dest: (record.shown, _kind(record)) for record in records},
              **{dest: (shown, "file") for dest, shown in copied.items()}}
    outputs: list[Output] = [(dest, staged[dest][0], "", staged[dest][1]) if dest in staged
                             else (dest, dest, "", "own")
                             for dest in site_files]
    return [problem for problem in address_collisions(outputs, docs, among="own")
            if not problem.path.startswith("the build's own")]
