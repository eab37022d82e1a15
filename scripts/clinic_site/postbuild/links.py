"""Every internal link and anchor of the built site, generated pages included, as problems where
staff fix them: the page's own source line; else the settings file that writes the link on many
pages (a person's `url:` in .authors.yml, a service in clinic.yml); else the data file a
generated page came from. A link to a page that does not exist suggests the page meant, for a
typo or a wrong number of "../" alike.
"""
from __future__ import annotations

import difflib
import posixpath

from clinic_site import check_links
from clinic_site.guard import located
from clinic_site.problems import Problem
from clinic_site.stage.pages import PageRecord


def problems(run, pages: dict[str, check_links.Page], files: set[str], by_dest: dict[str, PageRecord]
             ) -> list[Problem]:
    """One problem per broken link of the built site (`pages`: each HTML page's ids and links, as
    clinic_site.check_links reads them; `files`: every file's path in the site), located where it
    is written; a link a template or setting writes on many pages is one problem naming how many."""
    staged = run.staged
    shared = _shared_texts(run)
    groups: dict[tuple, list[str]] = {}
    left_out = staged.left_out   # their own problems are named: fixing them fixes these links
    clinic_phone = _undialable_clinic_phone(staged)
    for broken in check_links.find_broken(pages, files, staged.settings.site_url):
        record = by_dest.get(broken.page)
        if broken.target is not None and _names_left_out(broken, record, left_out):
            continue
        if broken.ref == clinic_phone:   # clinic.yml's phone: its own problem is named, once
            continue
        source = staged.sources.get(record.src_uri) if record is not None else None
        path, line, field, written = _place(broken, source, shared, record)
        on_page = source is not None and path == source.path
        hint = _suggestion(broken, files, pages, by_dest)
        shown_ref = written if on_page else (broken.target or broken.ref).removesuffix("index.html")
        if broken.fragment:
            what = f"the link '{shown_ref}' goes to an anchor that {broken.target} does not have"
            fix = "use the anchor of an existing heading (its words in lowercase, joined by hyphens)"
        else:
            what = f"the link '{shown_ref}' goes nowhere ({broken.reason})"
            fix = ("check the spelling and the folder: links are relative to this file" if on_page else
                   "add the page it names, or correct the address where it is set")
        if hint:
            fix = f"did you mean '{hint}'? " + fix
        groups.setdefault((path, line, field, what, fix, on_page), []).append(broken.page)
    found = repeated_ids(pages, by_dest, staged)
    for (path, line, field, what, fix, on_page), built in groups.items():
        if not on_page:
            others = f" and {len(built) - 1} other pages" if len(built) > 1 else ""
            what += f", on {sorted(built)[0]}{others}"
        found.append(Problem(path, line, field, what, fix))
    return sorted(set(found))


def repeated_ids(pages: dict[str, check_links.Page], by_dest: dict[str, PageRecord], staged) -> list[Problem]:
    """An id given to two elements of one page (a link to it, a label's `for`, a tab, a screen
    reader's aria reference then finds the first only): named at the page's source, on the line
    that writes it as `{#id}` or as a heading, else its first line; a page the engine made (a
    blog archive) is named as the built file."""
    found = []
    for path, page in sorted(pages.items()):
        for repeated in sorted(page.repeated):
            if "--" in repeated:   # a blog excerpt's (engines/mkdocs/excerpts.py): twice only when two posts
                continue           # share one address, which the stage names (address collisions)
            record = by_dest.get(path)
            source = staged.sources.get(record.src_uri) if record is not None else None
            shown = source.path if source is not None else f"site/{path}"
            line = _id_line(source.text, repeated) if source is not None else 1
            found.append(Problem(shown, line, "", f"the id '{repeated}' is given twice on {path}",
                                 "give one of them another id: write {#another-id} after the heading "
                                 "(two headings with the same words get their own ids by themselves)"))
    return found


def _id_line(text: str, repeated: str) -> int:
    """The line that writes `{#id}` or `id="id"`, else 1."""
    for number, line in enumerate(text.splitlines(), start=1):
        if f"#{repeated}" in line or f'id="{repeated}"' in line:
            return number
    return 1


def _undialable_clinic_phone(staged) -> str | None:
    """The clinic's phone link (tel:…) that every page shows, when clinic.yml's phone is missing or
    cannot be dialled, or clinic.yml itself cannot be read: the problem is clinic.yml's, named by
    the stage, not one per page."""
    from clinic_site.phone import parse_phone
    clinic = staged.clinic
    return clinic.phone_tel if parse_phone(clinic.phone_display) is None else None


def _names_left_out(broken: check_links.Broken, record: PageRecord | None, left_out: set[str]) -> bool:
    """Whether the link goes to a page left out of the run for its own problems: a Markdown link
    MkDocs could not resolve stays as written, relative to its source file."""
    if broken.target in left_out:
        return True
    if broken.target is not None and any(source in left_out for source in _page_sources(broken.target)):
        return True   # a page's address (Zensical writes them), read back to its source
    ref = broken.ref.split("#", 1)[0]
    if record is None or not ref or "://" in ref:
        return False
    return posixpath.normpath(posixpath.join(posixpath.dirname(record.src_uri), ref)) in left_out


def _page_sources(target: str) -> list[str]:
    """The Markdown files a page's address in the site may be built from: "guide/x/index.html" ->
    ["guide/x.md", "guide/x/index.md"]; [] for a file that is no page's address."""
    if target != "index.html" and not target.endswith("/index.html"):
        return []
    folder = target.removesuffix("index.html")
    return [folder.rstrip("/") + ".md", folder + "index.md"]


def _shared_texts(run) -> list[tuple[str, str]]:
    from clinic_site.postbuild import shared_settings  # .authors.yml, clinic.yml, mkdocs.yml
    return shared_settings(run)


def _place(broken: check_links.Broken, source, shared, record) -> tuple[str, int, str, str]:
    """(path, line, field, the link as written there) where the broken link is written."""
    needles = [broken.ref]
    if broken.target:   # a link a template writes from a setting: find the setting's path
        bare = broken.target.removesuffix("index.html").rstrip("/")
        if "/" in bare:   # "people/new-person": a path a setting names (not a word such as "blog")
            needles.append(bare)
    if source is not None:   # where it is written as a link first ("](care"), then anywhere ("care")
        forms = _as_written(broken, record)
        for written, needle in [(form, shape.format(form)) for form in forms for shape in _LINK_SHAPES] + \
                [(form, form) for form in forms]:
            where = located(source.text, needle)
            if where is not None:
                return source.path, where[0], where[1], written
    for path, text in shared:
        for needle in needles[1:]:
            where = located(text, needle, "yml")
            if where is not None:
                return path, where[0], where[1], needle
    if record is not None:
        return record.shown, 1, "", broken.ref
    return f"site/{broken.page}", 1, "", broken.ref


# How a page writes a link: Markdown's [text](link) and [ref]: link, <link>, an HTML attribute.
_LINK_SHAPES = ("]({}", "]( {}", "]: {}", "<{}>", '="{}"', "='{}'")


def _as_written(broken: check_links.Broken, record) -> list[str]:
    """How the page's source may write a broken link: as the built page has it (MkDocs leaves a
    link it cannot resolve as written), or relative to the source file, as staff write links (an
    engine that makes every link relative to the page's own address, as Zensical does, writes
    'missing.png' of docs/about.md as '../missing.png' on about/)."""
    forms = [broken.ref]
    if broken.target is None or record is None or "://" in broken.ref:
        return forms
    fragment = broken.ref[len(broken.ref.split("#", 1)[0]):]
    targets = [broken.target, *_page_sources(broken.target)]
    if _page_sources(broken.target):   # the page's address as staff may write it too
        targets.append(broken.target.removesuffix("index.html") or "./")
    here = posixpath.dirname(record.src_uri) or "."
    for target in targets:
        relative = posixpath.relpath(target, here) + ("/" if target.endswith("/") and target != "./" else "")
        forms.append(relative + fragment)
    return forms


def _suggestion(broken: check_links.Broken, files: set[str], pages: dict, by_dest: dict) -> str | None:
    """The link most likely meant, written as a link from the broken one's page."""
    if broken.fragment and broken.target in pages:
        near = difflib.get_close_matches(broken.fragment, sorted(pages[broken.target].ids), n=1, cutoff=0.6)
        return f"#{near[0]}" if near else None
    if broken.target is None:
        return None
    wanted = broken.target
    if not wanted.endswith(".html"):
        return None
    candidates = sorted(path for path in files if path.endswith(".html"))
    folder = posixpath.basename(posixpath.dirname(wanted))   # a wrong number of "../": the same page name
    same_name = [path for path in candidates if folder and path.endswith(f"/{folder}/index.html")]
    near = same_name[:1] or difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.75)
    if not near:
        return None
    record = by_dest.get(broken.page)
    target_record = by_dest.get(near[0])
    if record is not None and target_record is not None and record.shown.endswith(".md") \
            and target_record.shown.endswith(".md"):
        return posixpath.relpath(target_record.src_uri, posixpath.dirname(record.src_uri) or ".")
    link = posixpath.relpath(near[0].removesuffix("index.html") or ".", posixpath.dirname(broken.page) or ".")
    return link + "/" if near[0].endswith("index.html") and not link.endswith("/") else link
