"""What one part of a web address or a file name may be, and the links a page or setting may give.

A page's file name and folders, its `slug:`, a logo's path, a person's page or link: each part
must be one safe segment (letters of any language, digits, "_", "-" and "."), so nothing a
contributor names can write a page outside the site folder or break out of the HTML attribute
the address is written into. The rules (clinic_site.content_rules, people, clinic_settings) call
these, so they agree by construction.
"""
from __future__ import annotations

import re
import unicodedata

from clinic_site.problems import Problem, front_matter_line
from clinic_site.sources import Source

# One part of an address or a file name: letters (any language), digits, "_", "-" and ".",
# starting with a letter, digit or "_". Nothing that a path or an HTML attribute reads
# differently: no "/", "\\", "..", spaces, quotes, "<", "&", "%", "#" or "?".
SAFE_SEGMENT = re.compile(r"\w[\w.-]*")


def path_problems(source: Source, src_uri: str) -> list[Problem]:
    """Problems for a page whose file name or `slug:` is not a safe part of an address: one
    that would write the page outside the site folder (`slug: ../../x`) or that breaks out of
    the attributes it is written into (a file named `a" onmouseover="….md`). Every folder and
    the file name of `src_uri`, and the slug, must each match SAFE_SEGMENT; a slug must also be
    text and one part (no "/"). The page's own address parts hold no "." (a page is never named
    like a file the build writes). Material's blog plugin writes a post at <date>/<slug>/."""
    found = []
    unsafe = [part for part in src_uri.split("/") if not SAFE_SEGMENT.fullmatch(part)]
    if unsafe:   # a name that is safe once its accents are stored with their letters (NFC) was saved NFD
        what = ("stores each accent as a mark apart from its letter (as some Macs save names), which other computers "
                "and web addresses read as another name" if SAFE_SEGMENT.fullmatch(unicodedata.normalize(
                    "NFC", unsafe[0])) else "is not a safe part of an address (it may hold only letters, digits, "
                "'-', '_' and '.')")
        found.append(Problem(source.path, 1, "", f"the file name {unsafe[0]!r} {what}",
                             f"rename the file, for example to {safe_example(src_uri.split('/')[-1])!r}"))
    given = source.meta.get("slug") if isinstance(source.meta, dict) else None
    parts = [*src_uri.split("/"), *([given] if isinstance(given, str) else [])]
    mixed = [(part, scripts) for part in parts if len(scripts := letter_scripts(part.removesuffix(".md"))) > 1]
    if mixed and not unsafe:   # "aboutа.md" with a Cyrillic "а": an address that reads as another page's
        part, scripts = mixed[0]
        found.append(Problem(source.path, 1, "", f"the name {part!r} mixes letters of the {' and '.join(scripts)} "
                             "alphabets, which look alike: its address reads as another one",
                             "retype the name in one alphabet (the letters of the keyboard you write with)"))
    dotted = [part for part in src_uri.removesuffix(".md").split("/") if "." in part]
    if dotted and not unsafe:   # robots.txt.md, feed_rss_created.xml.md, zip/60.json.md, index.html.md
        found.append(Problem(source.path, 1, "", f"the name {dotted[0]!r} holds a '.': the page's address would look "
                             "like a file's and could take the place of a file the build writes (robots.txt, a "
                             "feed, the finder's data)", f"rename it without the dot, for example to "
                             f"{dotted[0].replace('.', '-')!r}"))
    slug = source.meta.get("slug") if isinstance(source.meta, dict) else None
    if slug is not None and not (isinstance(slug, str) and SAFE_SEGMENT.fullmatch(slug)):
        leaves = isinstance(slug, str) and (".." in slug.split("/") or slug.startswith("/"))
        what = "would write the page outside the site folder" if leaves else "is not one safe part of an address"
        found.append(Problem(source.path, front_matter_line(source.text, "slug"), "slug", f"is {slug!r}: it {what}",
                             "use lowercase letters, digits and hyphens only, for example "
                             f"`slug: {safe_example(str(slug))}`"))
    return found


_LOOK_ALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def letter_scripts(name: str) -> list[str]:
    """The alphabets of look-alike letters (Latin, Cyrillic, Greek: "а" and "a") that `name` holds."""
    found = {unicodedata.name(character, "").split(" ", 1)[0] for character in name if character.isalpha()}
    return [script.capitalize() for script in _LOOK_ALIKE_SCRIPTS if script in found]


def safe_example(name: str) -> str:
    """`name` made into a safe segment, to suggest: runs of other characters become one hyphen."""
    stem, dot, suffix = name.rpartition(".") if name.endswith(".md") else (name, "", "")
    safe = re.sub(r"[^\w]+", "-", stem.lower()).strip("-_") or "page"
    return safe + dot + suffix


def safe_path(value: object) -> bool:
    """True for a relative path inside the site whose every part is a safe segment
    (SAFE_SEGMENT): no "..", no leading "/", no "\\", quotes, spaces or "<"."""
    return isinstance(value, str) and bool(value) and all(SAFE_SEGMENT.fullmatch(part) for part in value.split("/"))


# A web address a redirect or a link may name: http(s), and nothing an HTML attribute or a
# script string reads differently (quotes, "<", ">", "\\", backquotes, spaces, controls); and no
# "@" before the path: "https://example.org@evil.example/" reads as example.org and goes to
# evil.example (the part before "@" is a user name the browser sends there).
_WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>\\`\x00-\x1f\x7f/?#@]+(?:[/?#][^\s\"'<>\\`\x00-\x1f\x7f]*)?", re.I)
_FRAGMENT = re.compile(r"#[\w-]+")


def web_address(value: object) -> bool:
    """True for a whole http(s) address (_WEB_ADDRESS): one host, named as the browser reads it."""
    return isinstance(value, str) and bool(_WEB_ADDRESS.fullmatch(value))


def safe_target(value: object) -> bool:
    """True for a link target a page or setting may give: an http(s) address (_WEB_ADDRESS),
    or a safe relative path (safe_path) with an optional #anchor of letters, digits, - and _."""
    if not isinstance(value, str):
        return False
    if _WEB_ADDRESS.fullmatch(value):
        return True
    path, hash_mark, fragment = value.partition("#")
    return safe_path(path) and (not hash_mark or bool(_FRAGMENT.fullmatch(hash_mark + fragment)))
