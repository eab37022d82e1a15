"""Social cards under Zensical: drawn offline from the committed fonts, the way Material draws them.

Zensical 0.0.73's social plugin reads a family from `<cache_dir>/fonts/<family>/` and downloads it
from Google Fonts when that folder is missing (builds here have no network). It draws text with
fontdb, which finds a face by the names inside the font file, not by its folder and file names as
Material does: the committed `DejaVu Sans Condensed/Regular.ttf` is, inside, family "DejaVu Sans",
style "Condensed". Measured on 0.0.73: a layout naming the folder ("DejaVu Sans Condensed") draws no
text at all, and one asking for style "Regular" draws with the family's first face (Bold).

So the adapter gives Zensical:
- a fonts folder of its own, each committed family under its family name as the files say
  (`<cache_dir>/fonts/DejaVu Sans/1.ttf`, linked or copied from `.cache/social/fonts/DejaVu
  Sans Condensed/Bold.ttf`, each under a new name), rewritten on every build;
- Material's own card layout (card_layout.yml, a verbatim copy of Material 9.8's default.yml,
  tests/test_cards.py compares it with the installed original), with each text layer's font
  family and style turned into the names inside the files, looked up from the folder name the
  page's card options give (mkdocs.yml's `font_family`, or the stage's per-page choice,
  clinic_site.stage.cards);
- the clinic's colour as the background, as the MkDocs adapter does.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import yaml

from clinic_site import cards
from clinic_site.problems import Problem
from clinic_site.stage.cards import fonts_folder

LAYOUT = Path(__file__).with_name("card_layout.yml")
LAYOUT_NAME = "clinic"
CACHE_FOLDER = "social"   # under the staging folder's parent: the fonts folder, the layout, Zensical's drawn cards
# Names that go into the layout's template expressions as string literals: nothing a template reads as code.
_PLAIN_NAME = re.compile(r"[\w .,'()+-]+")


def social_options(run, root: Path, options: dict) -> dict | None:
    """The social plugin's options for Zensical from mkdocs.yml's `options`, for `run` (a
    pipeline.Run after its stage) whose settings file is in `root`; None when the run draws no
    cards (`clinic check`, cards switched off, or the stage found no usable fonts: it named why;
    a family the stage accepted that Zensical cannot be given is named here). Writes
    `root/social/fonts/` and `root/social/layouts/clinic.yml`."""
    staged = run.staged
    if not run.cards or staged.card_fonts is None or options.get("enabled") is False or options.get("cards") is False:
        return None
    committed = fonts_folder(staged.settings)
    cache = root / CACHE_FOLDER
    faces = _stage_fonts(committed, cache / "fonts")
    given = options.get("cards_layout_options")
    layout_options = dict(given) if isinstance(given, dict) else {}
    family = staged.card_fonts.family
    if family not in faces:
        shown = run.project.shown(committed / family)
        run.add([Problem(shown, 1, "", "cannot be given to Zensical's social cards: the names inside its font files "
                         "cannot be read, or hold characters other than letters, digits, spaces and . , ' ( ) + -",
                         "commit the family's font files as they come from their maker")])
        return None
    (cache / "layouts").mkdir(parents=True, exist_ok=True)
    (cache / "layouts" / f"{LAYOUT_NAME}.yml").write_text(layout(faces, family), encoding="utf-8")
    layout_options["background_color"] = staged.clinic.colors["primary"]   # clinic.yml's colour, as checked
    result = {key: value for key, value in options.items() if key not in ("cache_dir", "concurrency")}
    return {**result, "cache_dir": str(cache), "cards_layout_dir": str(cache / "layouts"),
            "cards_layout": LAYOUT_NAME, "cards_layout_options": layout_options}


def _plain(name: str) -> bool:
    """A name a layout's template can carry as a string literal, and a folder name of its own."""
    return bool(_PLAIN_NAME.fullmatch(name)) and re.search(r"[^\W_]", name) is not None and not name.startswith(".")


def _stage_fonts(committed: Path, target: Path) -> dict[str, dict[str, str]]:
    """Lay out each committed family (a folder of `committed`) in `target` under the family name
    its files give (families whose files share one, as DejaVu Sans and DejaVu Sans Condensed do,
    in one folder, fontdb telling their faces apart by style), and return {folder name:
    {"family": name inside, "Regular": style inside, "Bold": style inside}} for the families whose
    names a layout can carry. A family whose files cannot be read is left out. Each file is
    linked (or copied) under a new name of its own: nothing is ever written onto a file that
    exists, so a committed font is never written through a link."""
    shutil.rmtree(target, ignore_errors=True)
    faces: dict[str, dict[str, str]] = {}
    number = 0
    for folder in sorted(path for path in committed.iterdir() if path.is_dir() and not path.is_symlink()):
        files = sorted(path for path in folder.iterdir()
                       if path.suffix.lower() in cards.FONT_SUFFIXES and path.is_file() and not path.is_symlink())
        if len({path.stem for path in files}) != len(files):
            continue   # two files for one style (Regular.ttf and Regular.ttc): the stage names them
        try:
            names = {path.stem: cards.font_names(path) for path in files}
        except cards.FontError:
            continue
        inside = {family for family, _ in names.values()}
        if len(inside) != 1:
            continue
        family = inside.pop()
        styles = {style: names[_file_for(style, list(names))][1] for style in ("Regular", "Bold")}
        if not all(_plain(name) for name in (folder.name, family, *styles.values())):
            continue
        (target / family).mkdir(parents=True, exist_ok=True)
        for path in files:   # a collection (.ttc) too is read by Zensical only as .ttf (measured on 0.0.73)
            number += 1
            _link_or_copy(path, target / family / f"{number}.ttf")
        faces[folder.name] = {"family": family, **styles}
    return faces


def _file_for(style: str, stems: list[str]) -> str:
    """The file Material's social plugin draws `style` with (plugin.py, _resolve_font): the file of
    that name, else the family's Regular, else its first file by name."""
    for wanted in (style, "Regular"):
        if wanted in stems:
            return wanted
    return sorted(stems)[0]


def _link_or_copy(source: Path, target: Path) -> None:
    """`source` at `target`, a name that does not exist yet (FileExistsError otherwise, never written onto)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:   # another file system, or links not allowed: a copy, made only as a new file
        with source.open("rb") as reading, target.open("xb") as writing:
            shutil.copyfileobj(reading, writing)


def layout(faces: dict[str, dict[str, str]], default: str) -> str:
    """Material's default card layout as YAML, each text layer's `font` made to name a face by the
    names inside its files: `family` and `style` looked up from the folder name in
    `layout.font_family` (the page's card options, else `default`); `variant` dropped (no committed
    family has one)."""
    data = yaml.safe_load(LAYOUT.read_text(encoding="utf-8"))
    chosen = f"(layout.font_family or {json.dumps(default)})"

    def lookup(key: str) -> str:   # a family it does not know (Zensical would stop on '') is the default's
        table = json.dumps({folder: names[key] for folder, names in faces.items()}, ensure_ascii=False)
        return "{{ " + f"{table}[{chosen}] if {chosen} in {table} else {table}[{json.dumps(default)}]" + " }}"

    for layer in data.get("layers", []):
        font = (layer.get("typography") or {}).get("font")
        if isinstance(font, dict):
            style = "Bold" if font.get("style") == "Bold" else "Regular"
            font.pop("variant", None)
            font["family"], font["style"] = lookup("family"), lookup(style)
    data.pop("definitions", None)   # their anchors are resolved in the layers and tags already
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
