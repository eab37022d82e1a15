"""Social card text: every character drawn with a committed font that has it, or left out cleanly.

Material's social plugin (9.8.1) draws all the text of a card (site name, title, description)
with one font family from `.cache/social/fonts/<family>/`, and draws an empty box for each
character that family lacks (an emoji, CJK in a Latin font). Pure functions;
clinic_site/stage/cards.py picks, for each page, a committed family that has every character of
its card, and gives the card a title and description without the characters none of them has.
The page itself keeps its full title.
"""
from __future__ import annotations

import functools
import html
import re
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path

import markdown

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
MAX_CODE_POINT = 0x10FFFF


class FontError(ValueError):
    """A font file whose character map cannot be read (not TrueType/OpenType, or no Unicode cmap)."""


def _cmap_subtable(data: bytes, offset: int) -> set[int]:
    """Code points with a real glyph (not glyph 0, .notdef) in one cmap subtable (format 4 or 12)."""
    (kind,) = struct.unpack_from(">H", data, offset)
    characters: set[int] = set()
    if kind == 4:  # segment mapping to delta values (Basic Multilingual Plane)
        segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
        ends = struct.unpack_from(f">{segments}H", data, offset + 14)
        starts = struct.unpack_from(f">{segments}H", data, offset + 16 + 2 * segments)
        deltas = struct.unpack_from(f">{segments}h", data, offset + 16 + 4 * segments)
        range_offsets_at = offset + 16 + 6 * segments
        range_offsets = struct.unpack_from(f">{segments}H", data, range_offsets_at)
        segments_read = zip(starts, ends, deltas, range_offsets, strict=True)
        for index, (start, end, delta, range_offset) in enumerate(segments_read):
            for code in range(start, min(end, 0xFFFE) + 1):
                if range_offset == 0:
                    glyph = (code + delta) & 0xFFFF
                else:  # glyph index read from glyphIdArray, addressed from this idRangeOffset entry
                    address = range_offsets_at + 2 * index + range_offset + 2 * (code - start)
                    (glyph,) = struct.unpack_from(">H", data, address)
                    glyph = (glyph + delta) & 0xFFFF if glyph else 0
                if glyph:
                    characters.add(code)
    elif kind == 12:  # segmented coverage (all planes)
        (groups,) = struct.unpack_from(">I", data, offset + 12)
        if groups > MAX_CODE_POINT + 1:
            raise FontError(f"its character map has {groups} groups, more than Unicode has characters")
        for group in range(groups):
            start, end, first_glyph = struct.unpack_from(">III", data, offset + 16 + 12 * group)
            if end > MAX_CODE_POINT or end < start:   # a crafted map of 2**31 characters would fill the memory
                raise FontError(f"its character map names characters beyond Unicode (up to {end:#x})")
            characters.update(code for code in range(start, end + 1) if first_glyph + code - start)
    return characters


def _table(data: bytes, tag: bytes, path: Path) -> int:
    """The offset of table `tag` of a font file's bytes (of its first font, in a collection).
    Raises FontError when it has none; struct.error when the bytes are not a font."""
    # A collection (.ttc) starts with 'ttcf' and the offsets of its fonts; Pillow, and so the
    # social plugin, draws with the first one (ImageFont.truetype index=0).
    start = struct.unpack_from(">I", data, 12)[0] if data[:4] == b"ttcf" else 0
    (tables,) = struct.unpack_from(">H", data, start + 4)
    records = (struct.unpack_from(">4sIII", data, start + 12 + 16 * number) for number in range(tables))
    offset = next((offset for found, _, offset, _ in records if found == tag), None)
    if offset is None:
        raise FontError(f"{path}: no {tag.decode()} table")
    return offset


@functools.cache
def font_names(path: Path) -> tuple[str, str]:
    """(family, style) of a TrueType/OpenType font file (the first font of a collection), as its
    `name` table gives them: ('DejaVu Sans', 'Condensed Bold') for DejaVuSansCondensed-Bold.ttf.

    The typographic names (name IDs 16 and 17) when the font has them, else the family and
    subfamily (IDs 1 and 2), which is how fontdb, the font database of Zensical's card renderer,
    names a face (OpenType specification, "name - Naming Table"). Unicode records (platform 0, and
    Windows' platform 3, US English first) are preferred; Macintosh Roman ones (platform 1)
    otherwise. Raises FontError.
    """
    data = Path(path).read_bytes()
    found: dict[int, tuple[int, str]] = {}
    try:
        table = _table(data, b"name", path)
        _, count, strings = struct.unpack_from(">HHH", data, table)
        for number in range(count):
            platform, encoding, language, name_id, length, offset = struct.unpack_from(
                ">6H", data, table + 6 + 12 * number)
            readable = platform == 0 or (platform, encoding) in ((3, 1), (3, 10), (1, 0))
            if name_id not in (1, 2, 16, 17) or not readable:
                continue
            raw = data[table + strings + offset:table + strings + offset + length]
            unicode = platform in (0, 3)   # fontdb reads the Unicode and Windows records, UTF-16
            rank = (0 if platform == 0 or language == 0x409 else 1) if unicode else (2 if language == 0 else 3)
            if name_id not in found or rank < found[name_id][0]:
                found[name_id] = (rank, raw.decode("utf-16-be" if unicode else "mac-roman", "replace"))
    except struct.error as error:
        raise FontError(f"{path}: not a TrueType or OpenType font ({error})") from error
    family, style = found.get(16) or found.get(1), found.get(17) or found.get(2)
    if family is None or style is None:
        raise FontError(f"{path}: no family or style name")
    return family[1], style[1]


@functools.cache
def font_characters(path: Path) -> frozenset[int]:
    """Code points a TrueType/OpenType font file (or the first font of a collection) has a glyph
    for, read from its `cmap` table.

    Reads the Unicode subtables (platform 0, and platform 3 encodings 1 and 10) in formats 4 and
    12 (OpenType specification, "cmap - Character to Glyph Index Mapping Table"); a code point
    mapped to glyph 0 (.notdef, drawn as an empty box) does not count. Raises FontError.
    """
    data = Path(path).read_bytes()
    try:
        cmap = _table(data, b"cmap", path)
        (encodings,) = struct.unpack_from(">H", data, cmap + 2)
        characters: set[int] = set()
        for number in range(encodings):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * number)
            if platform == 0 or (platform == 3 and encoding in (1, 10)):
                try:
                    characters |= _cmap_subtable(data, cmap + offset)
                except FontError as error:
                    raise FontError(f"{path}: {error}") from None
    except struct.error as error:
        raise FontError(f"{path}: not a TrueType or OpenType font ({error})") from error
    if not characters:
        raise FontError(f"{path}: no Unicode character map")
    return frozenset(characters)


def family_characters(folder: Path) -> frozenset[int]:
    """Code points every style of a font family has (the family is a folder of .ttf/.otf/.ttc files,
    as Material's social plugin keeps them: `.cache/social/fonts/<family>/<style>.ttf`)."""
    fonts = sorted(file for file in Path(folder).iterdir()
                   if file.suffix.lower() in FONT_SUFFIXES and file.is_file() and not file.is_symlink())
    if not fonts:
        raise FontError(f"{folder}: no .ttf, .otf or .ttc files")
    return frozenset.intersection(*(font_characters(font) for font in fonts))


def committed_families(fonts_dir: Path) -> dict[str, frozenset[int]]:
    """Every family under `fonts_dir` (one folder each, named as in mkdocs.yml) and its characters."""
    return {folder.name: family_characters(folder) for folder in sorted(Path(fonts_dir).iterdir())
            if folder.is_dir() and not folder.is_symlink()
            and any(file.suffix.lower() in FONT_SUFFIXES and file.is_file() and not file.is_symlink()
                    for file in folder.iterdir())}


def missing(text: str, characters: frozenset[int]) -> str:
    """The distinct characters of `text` not in `characters`, in order of appearance.
    Whitespace never counts: the plugin splits text at whitespace and never draws it."""
    absent = {ch for ch in set(text) if ord(ch) not in characters and not ch.isspace()}  # each distinct once
    return "".join(dict.fromkeys(ch for ch in text if ch in absent)) if absent else ""


def choose_family(texts: Iterable[str], families: Mapping[str, frozenset[int]], preferred: str) -> str:
    """The family to draw a card with: `preferred` if it has every character of `texts`, else the
    first family by name that has them all, else the one that lacks the fewest (preferred on a tie).
    Raises KeyError if `preferred` is not among `families`."""
    text = "".join(texts)
    if not missing(text, families[preferred]):  # nearly every page: nothing more to compare
        return preferred
    lacking = {name: len(missing(text, characters)) for name, characters in families.items()}
    complete = [name for name in sorted(families) if lacking[name] == 0]
    if complete:
        return complete[0]
    return min(sorted(families), key=lambda name: (lacking[name], name != preferred))


# Punctuation that may follow a removed run: the run goes, with the separator and space before it.
_CLOSING = r"(?=[,;:.!?)\]}»”’]|$)"


def drawable(text: str, characters: frozenset[int]) -> str:
    """`text` without the characters not in `characters`, left out cleanly: a removed run takes
    along the space before it, and the separator before it too when punctuation or the end
    follows (so a list item that is wholly removed leaves no ",,"); runs of whitespace become
    one space (the plugin draws any whitespace as one space anyway). Text with nothing to leave
    out is returned as it is.
    'Spring stretches for runners 🌷🏃' -> 'Spring stretches for runners'; 'Run 🏃, go' -> 'Run, go';
    'Walk, 日本, run' -> 'Walk, run'.
    """
    lacking = missing(text, characters)
    if not lacking:
        return text
    run = "[" + "".join(re.escape(ch) for ch in lacking) + "]+"
    text = re.sub(r"[,;:]?\s*" + run + _CLOSING, "", text)  # at the end of a clause or list item
    text = re.sub(r"\s*" + run + r"(?=\s)", "", text)  # between words
    return " ".join(re.sub(run, "", text).split())  # inside a word, at the start


@functools.lru_cache(maxsize=4096)
def heading_text(heading: str) -> str:
    """Plain text of a Markdown heading as written (`Why *ice* & heat`), as MkDocs titles a page
    from it: rendered, tags removed, entities decoded once. Text with no Markdown or HTML in it is
    returned as it is, without rendering (most titles; the finder has thousands of pages)."""
    if not any(ch in _MARKUP for ch in heading):
        return heading.strip()
    rendered = markdown.markdown(heading)
    return html.unescape(re.sub(r"<[^>]*>", "", rendered)).strip()


_MARKUP = frozenset("*_`<>&[]\\!~=^")
