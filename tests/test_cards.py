"""Social cards draw every character of their text with a committed font that has it, or leave it out
cleanly (issue 13 item 4). clinic_site/cards.py (the rules), clinic_site/stage/cards.py (the stage:
the fonts a project commits, each page's card options), which hands those options to the
engines' social plugins in the staged front matter (clinic_site/stage/pages.py,
staged_text); under Zensical, clinic_site/engines/zensical/cards.py."""
from __future__ import annotations

import hashlib
import html
import json
import shutil
import struct
import types
from pathlib import Path

import material
import pytest
from material.plugins.social.plugin import SocialPlugin
from PIL import Image, ImageFont

from clinic_site import cards, front_matter, pipeline
from clinic_site.engines.zensical import cards as zensical_cards
from clinic_site.problems import ProblemsFound
from clinic_site.project import Project, Settings
from clinic_site.sources import parse_source
from clinic_site.stage import cards as stage_cards
from clinic_site.stage.pages import title_as_written
from devtools.project_copy import copy_project
from tests import harness
from tests.harness import PROJECT_ROOT

FONTS = PROJECT_ROOT / ".cache" / "social" / "fonts"
FONT_FILES = sorted(path for path in FONTS.rglob("*") if path.suffix in cards.FONT_SUFFIXES)
NOT_A_CHARACTER = "\U0010fffd"  # private use, plane 16: no font here has it, so it draws .notdef


def glyph(font: ImageFont.FreeTypeFont, character: str) -> tuple:
    """The bitmap Pillow draws for one character, to compare with the .notdef box."""
    mask = font.getmask(character)
    return mask.size, bytes(Image.Image()._new(mask).tobytes()) if mask.size[0] * mask.size[1] else b""


def notdef_characters(font_path: Path, text: str) -> str:
    """The characters of `text` Pillow draws as the font's .notdef box (independent of cards.py)."""
    font = ImageFont.truetype(str(font_path), 32, layout_engine=ImageFont.Layout.BASIC)
    box = glyph(font, NOT_A_CHARACTER)
    return "".join(ch for ch in dict.fromkeys(text) if not ch.isspace() and glyph(font, ch) == box)


# ---- unit ----

def test_fonts_are_committed_with_their_licences_and_small():
    families = [folder for folder in FONTS.iterdir() if folder.is_dir()]
    assert len(families) >= 2
    for folder in families:
        assert list(folder.glob("LICENSE*.txt")), f"{folder.name} has no licence file"
    assert sum(path.stat().st_size for path in FONTS.rglob("*")) < 15_000_000


@pytest.mark.parametrize("font_path", FONT_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_font_characters_agree_with_what_pillow_draws(font_path):
    """The cmap reader says a character is there exactly when Pillow draws something other than .notdef."""
    characters = cards.font_characters(font_path)
    font = ImageFont.truetype(str(font_path), 24, layout_engine=ImageFont.Layout.BASIC)
    box = glyph(font, NOT_A_CHARACTER)
    sample = [*range(0x20, 0xD800, 7), *range(0xE000, 0x20000, 29), *map(ord, "é’“日本語עברית🌷🏃")]
    disagree = [hex(code) for code in sample if (glyph(font, chr(code)) != box) != (code in characters)]
    assert not disagree


def test_font_characters_refuses_what_is_not_a_font(tmp_path):
    not_a_font = tmp_path / "Regular.ttf"
    not_a_font.write_bytes(b"not a font")
    with pytest.raises(cards.FontError):
        cards.font_characters(not_a_font)
    with pytest.raises(cards.FontError):
        cards.font_names(not_a_font)


SYSTEM_FONTS = sorted(Path("/usr/share/fonts").rglob("*.ttf"))[:12]   # Debian's DejaVu and Liberation, if there


@pytest.mark.parametrize("font_path", FONT_FILES + SYSTEM_FONTS, ids=lambda path: path.name)
def test_font_names_are_the_names_freetype_reads(font_path):
    """The family and style inside a font file (what Zensical's cards find a face by), as
    FreeType reads them: 'DejaVu Sans', 'Condensed Bold' for the committed Bold.ttf."""
    assert cards.font_names(font_path) == ImageFont.truetype(str(font_path), 12).getname()


def test_zensicals_card_layout_is_materials_default_layout():
    """engines/zensical/card_layout.yml is Material's default card layout, byte for byte (the
    adapter changes only the fonts' names, at build time): a Material upgrade that changes the
    original fails here; copy it again, and compare the two engines' cards (below)."""
    original = Path(material.__file__).parent / "plugins/social/templates/default.yml"
    assert zensical_cards.LAYOUT.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("family", sorted(folder.name for folder in FONTS.iterdir() if folder.is_dir()))
def test_material_loads_a_font_file_for_every_style_of_every_committed_family(family):
    """Material's social plugin picks each style's file by name; a licence must never be picked."""
    plugin = types.SimpleNamespace(config=types.SimpleNamespace(cache_dir=str(FONTS.parent)))
    plugin._resolve_font = lambda *args: SocialPlugin._resolve_font(plugin, *args)  # it calls itself for a fallback
    for style in ("Regular", "Bold"):
        path = Path(SocialPlugin._resolve_font(plugin, family, style))
        assert path.suffix in cards.FONT_SUFFIXES, path
        ImageFont.truetype(str(path), 12)


LATIN = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzSR ,.!?&'’\"“”-—()"))


@pytest.mark.parametrize("text, drawn", [
    ("Spring stretches for runners 🌷🏃", "Spring stretches for runners"),
    ("run 🏃, rest", "run, rest"),
    ("🌷 spring", "spring"),
    ("re🌷st", "rest"),
    ("rest 日本 and run", "rest and run"),
    ("🌷🏃", ""),
    ("walk, 日本, run", "walk, run"),
    ("walk: 🌷.", "walk."),
    ("Stretches 🌷 and rest, 日本語, runs.", "Stretches and rest, runs."),
    ("rest & “run” — o’er (s)", "rest & “run” — o’er (s)"),
])
def test_drawable_leaves_out_what_the_font_lacks_cleanly(text, drawn):
    assert cards.drawable(text, LATIN) == drawn
    assert not cards.missing(cards.drawable(text, LATIN), LATIN)


def test_missing_lists_each_character_once_and_never_whitespace():
    assert cards.missing("a🌷 b🌷\u00a0日", LATIN) == "🌷日"


def test_choose_family_prefers_the_configured_family_then_one_that_has_everything():
    families = {"Latin": LATIN, "Wide": LATIN | frozenset(map(ord, "日本")), "Other": frozenset(map(ord, "日本"))}
    assert cards.choose_family(["rest"], families, "Latin") == "Latin"
    assert cards.choose_family(["rest", "日本"], families, "Latin") == "Wide"
    assert cards.choose_family(["rest 🌷"], families, "Latin") == "Latin"  # none has it: the fewest lacking, preferred
    assert cards.choose_family(["rest 日本 🌷"], families, "Latin") == "Wide"


def test_heading_text_is_the_title_mkdocs_shows():
    assert cards.heading_text("Why *ice* & `heat` &lt;3") == "Why ice & heat <3"
    assert cards.heading_text("Spring 🌷") == "Spring 🌷"


def project_settings(tmp_path, family="DejaVu Sans Condensed", site_name="Riverbend clinic") -> Settings:
    """The settings of a project whose social cards use `family` from the committed fonts, for
    the clinic named `site_name` in its clinic.yml."""
    (tmp_path / "mkdocs.yml").write_text(f"site_name: Placeholder\nplugins:\n  - social:\n"
                                         f"      cards_layout_options:\n        font_family: {family}\n"
                                         f"      cache_dir: {FONTS.parent}\n", encoding="utf-8")
    (tmp_path / "clinic.yml").write_text(f"# The clinic\nname: {site_name}\n", encoding="utf-8")
    settings, problems = Settings.read(Project.find(tmp_path / "mkdocs.yml"))
    assert problems == []
    return settings


def card_options(card_fonts, title=None, heading="A title", **meta):
    """The card options the stage gives a page with this front matter and first heading."""
    if title is not None:
        meta["title"] = title
    front_matter = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    source = parse_source(f"---\n{front_matter}---\n\n# {heading}\n\nText.\n", "docs/blog/posts/p.md")
    return stage_cards.page_options(source, title_as_written(source), "Riverbend clinic", "The site.", card_fonts)


def test_the_stage_stops_a_build_that_would_download_a_font(tmp_path):
    card_fonts, [problem] = stage_cards.fonts(project_settings(tmp_path, family="Roboto"))
    assert card_fonts is None and problem.is_error
    assert str(problem).startswith("mkdocs.yml, line 5: 'plugins.social.cards_layout_options.font_family' "
                                   "'Roboto' is not in")


def test_the_stage_stops_a_build_whose_clinic_name_no_font_can_draw(tmp_path):
    card_fonts, [problem] = stage_cards.fonts(project_settings(tmp_path, site_name="Riverbend 🌷 clinic"))
    assert card_fonts is None and problem.is_error
    assert str(problem).startswith("clinic.yml, line 2: 'name' has '🌷'")


def test_the_stage_gives_a_card_only_what_its_font_draws(tmp_path):
    card_fonts, problems = stage_cards.fonts(project_settings(tmp_path))
    assert problems == [] and card_fonts.family == "DejaVu Sans Condensed"
    spring = card_options(card_fonts, heading="Spring stretches for runners 🌷🏃", description="Stretch & rest 🌷.")
    assert spring == {"cards_layout_options": {"title": "Spring stretches for runners",
                                               "description": "Stretch &amp; rest."}}
    cjk = card_options(card_fonts, title="肩こり & neck 🌷", description="Neck care.")
    assert cjk == {"cards_layout_options": {"font_family": "WenQuanYi Micro Hei", "title": "肩こり &amp; neck"}}
    # A title is handed to the plugin escaped once (engines/mkdocs/escaping.py), which it decodes:
    # "&amp;" as written is drawn as written, with nothing to override.
    assert card_options(card_fonts, title="Ice &amp; heat", description="Plain words only.") is None
    heading = card_options(card_fonts, heading="Ice &amp; heat 🌷", description="Plain words only.")
    assert html.unescape(heading["cards_layout_options"]["title"]) == "Ice & heat"   # a heading's text, decoded
    assert card_options(card_fonts, title="Ice & heat", description="Plain words only.") is None
    own = {"cards_layout_options": {"font_family": "DejaVu Sans Condensed"}}
    assert card_options(card_fonts, title="Ice 🌷", social=own) is None   # the page's own card settings are kept
    # A family that is not committed never reaches the engine (family_problems names it).
    other = {"cards_layout_options": {"font_family": "Roboto", "color": "#ffffff"}}
    assert card_options(card_fonts, title="Ice", social=other) == {"cards_layout_options": {"color": "#ffffff"}}


@pytest.mark.parametrize("social, refused", [
    ({"cards": False}, None),
    ({"cards_layout_options": {"title": "Ice", "description": "Cold.", "font_family": "X"}}, None),
    ({"cards_layout_options": {"color": "#fff", "background_color": "#1f5f7aff"}}, None),
    ({"cards_layout_options": {"logo": "/tmp/x.png"}}, "never a file a page names"),
    ({"cards_layout_options": {"background_image": "../../secret.png"}}, "never a file a page names"),
    ({"cards_layout_options": {"background_image": "assets/in-docs.png"}}, "never a file a page names"),
    ({"cards_layout": "../../../tmp/evil"}, "not a social card setting a page may change"),
    ({"cards_layout_dir": "/tmp"}, "not a social card setting a page may change"),
    ({"cards_layout_options": {"font_variant": "Condensed"}}, "not one a page may set"),
    ({"cards_layout_options": {"color": "red\"/><image href='/etc/x'"}}, "not a colour"),
    ({"cards_layout_options": {"background_color": "#12345"}}, "not a colour"),
    ({"cards_layout_options": {"title": 5}}, "not text"),
    ({"cards_layout_options": {"title": " "}}, "not text"),
    ({"cards_layout_options": ["logo"]}, "not settings"),
    ({"cards": "no"}, "not true or false"),
    ("yes", "not settings"),
])
def test_a_page_sets_only_text_and_colours_on_its_card(social, refused):
    """What a page may set on its card: text and colours, never a file for the card plugin to
    read and draw into a published image (logo, background_image, a layout)."""
    found = front_matter.social(social)
    assert (found is None) if refused is None else (found is not None and refused in found[0]), found


def test_a_page_card_font_that_is_not_committed_is_named_at_its_line(tmp_path):
    card_fonts, _ = stage_cards.fonts(project_settings(tmp_path))
    source = parse_source("---\ntitle: Ice\nsocial:\n  cards_layout_options:\n    font_family: Roboto\n---\n\n"
                          "font_family: Roboto\n", "docs/ice.md")
    [problem] = stage_cards.family_problems(source, card_fonts)
    assert (problem.path, problem.line, problem.field) == ("docs/ice.md", 5, "social.cards_layout_options.font_family")
    assert problem.is_error and "DejaVu Sans Condensed" in problem.fix
    committed = parse_source("---\nsocial:\n  cards_layout_options:\n    font_family: WenQuanYi Micro Hei\n---\n",
                             "docs/ok.md")
    assert stage_cards.family_problems(committed, card_fonts) == []


def test_a_pages_own_card_text_that_its_font_cannot_draw_is_a_warning_at_its_line(tmp_path):
    """The page's text is drawn without what no font has (page_options); a title or description
    the page sets for its card is drawn as written, so each character its family lacks would be an
    empty box: named at its line, against the family the card is drawn with (the page's own,
    the one the stage chose for the page's text, or the site's)."""
    card_fonts, _ = stage_cards.fonts(project_settings(tmp_path))

    def problems(front_matter: str) -> list:
        source = parse_source(f"---\ntitle: Ice\n{front_matter}---\n\n# Ice\n", "docs/ice.md")
        options = stage_cards.page_options(source, title_as_written(source), "Riverbend clinic", "The site.",
                                           card_fonts)
        return stage_cards.family_problems(source, card_fonts, options)
    [title, description] = problems("social:\n  cards_layout_options:\n    title: Ice 🧊 &amp; heat\n"
                                    "    description: Cold 🧊 then warm 🔥\n")
    assert [(found.line, found.field, found.is_error) for found in (title, description)] == [
        (5, "social.cards_layout_options.title", False), (6, "social.cards_layout_options.description", False)]
    assert "'🧊'" in title.what and "'🧊🔥'" in description.what and "DejaVu Sans Condensed" in title.what
    # Japanese the site's family lacks, in a family that has it: the page's own, or the one chosen for its text
    assert problems("social:\n  cards_layout_options:\n    title: 肩こり\n"
                    "    font_family: WenQuanYi Micro Hei\n") == []
    assert problems("description: 肩こりのケア\nsocial:\n  cards_layout_options:\n    title: 肩こり\n") == []
    [japanese] = problems("social:\n  cards_layout_options:\n    title: 肩こり\n"
                          "    font_family: DejaVu Sans Condensed\n")
    assert japanese.line == 5 and "'肩こり'" in japanese.what


def test_a_blog_category_its_card_cannot_draw_is_a_warning_once_where_it_is_named(tmp_path):
    """The engine makes each category's page and draws its card with the category's name in the
    site's family: each character the family lacks would be an empty box. Named once, on its line
    of categories_allowed, else on the categories line of the first post giving it."""
    settings = project_settings(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  - blog:\n      categories_allowed:\n"
                      "        - Clinic news\n        - Hot 🔥 tips\n", encoding="utf-8")
    settings, _ = Settings.read(Project.find(config))
    card_fonts, _ = stage_cards.fonts(settings)

    def post(name: str, categories: list[str]):
        return parse_source(f"---\ndate: 2026-11-20\ncategories: {json.dumps(categories, ensure_ascii=False)}\n---\n"
                            "\n# A post\n", f"docs/blog/posts/{name}.md")
    sources = {"blog/posts/a.md": post("a", ["Hot 🔥 tips", "肩こり"]),
               "blog/posts/b.md": post("b", ["肩こり", "Ice 🧊"]),
               "blog/posts/c.md": post("c", ["Clinic news"]), "guide/x.md": post("x", ["Not 🧊 a post"])}
    found = stage_cards.category_problems(settings, sources, card_fonts, "blog", ("Clinic news", "Hot 🔥 tips"))
    lines = config.read_text(encoding="utf-8").splitlines()
    assert [(problem.path, problem.line, problem.is_error) for problem in found] == [
        ("mkdocs.yml", lines.index("        - Hot 🔥 tips") + 1, False), ("docs/blog/posts/a.md", 3, False),
        ("docs/blog/posts/b.md", 3, False)], found
    assert "'🔥'" in found[0].what and "'肩こり'" in found[1].what and "'🧊'" in found[2].what
    assert all("category page's card" in problem.what for problem in found)


@pytest.mark.build
@pytest.mark.parametrize("engine_name", ["zensical"])   # the refusal is the stage's, before any engine
def test_no_card_shows_a_file_a_page_names(tmp_path, engine_name):
    """A page naming a picture from outside the project for its card's logo or background (both
    engines' card plugins read any path and draw it into the published card): the build stops,
    naming the page, the line and the fix, and publishes no card."""
    outside = tmp_path / "outside.png"
    Image.new("RGB", (1200, 630), (255, 0, 0)).save(outside)
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    text = about.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    about.write_text(f"---\nsocial:\n  cards_layout_options:\n    logo: {outside}\n    background_image: {outside}\n"
                     + text[4:], encoding="utf-8")
    site = tmp_path / "site"
    stop = harness.build_in_process(project / "mkdocs.yml", site, engine=engine_name, spelling=False)
    assert isinstance(stop, ProblemsFound)
    [problem] = [problem for problem in stop.problems if problem.is_error]
    assert (problem.path, problem.line, problem.field) == ("docs/about.md", 2, "social")
    assert "logo" in problem.message and "take out" in problem.fix
    assert not list(site.rglob("*.png"))


# ---- build: the cards of a copy of the project with hard titles ----

# Recorded in the copy only: for each page, the font file and the text of each text layer of its
# card, resolved by Material's social plugin itself (its layout, per-page options and font lookup).
RECORDER = '''
import html, json
from pathlib import Path
from mkdocs.plugins import event_priority
from material.plugins.social.plugin import _replace
_cards = {}

@event_priority(-200)  # after the social plugin has started the page's card
def on_page_markdown(markdown, page, config, files):
    plugin = config.plugins["material/social"]
    if plugin._is_excluded(page):
        return markdown
    layout, _ = plugin._resolve_layout(plugin._config("cards_layout", page), config)
    options = plugin._config("cards_layout_options", page)
    layers = []
    for layer in layout.layers:
        layer = _replace(layer, plugin.card_env, config, page=page, layout=options)
        if layer.typography.content:
            font = layer.typography.font
            layers.append([plugin._resolve_font(font.family, font.style, font.variant),
                           html.unescape(layer.typography.content)])
    _cards[page.file.dest_uri] = layers
    return markdown

def on_post_build(config):
    Path(config.site_dir, "card-texts.json").write_text(json.dumps(_cards), encoding="utf-8")
'''

POSTS = {
    "spring.md": ("date: 2026-10-01", "# Spring stretches for runners 🌷🏃"),
    "cjk.md": ('date: 2026-10-02\ntitle: "肩こりとマッサージ: neck & shoulder care 🌷"', "# Ignored"),
    "rtl.md": ("date: 2026-10-03", "# Hebrew and Arabic: עברית, العربية 🏃"),
    "emoji.md": ("date: 2026-10-04", "# 🌷🏃"),
}


def card_project(folder: Path) -> Path:
    """A copy of the project with the hard-titled POSTS and the card recorder (MkDocs only)."""
    project = copy_project(folder / "project")
    # The project's drawn cards, copied: only the new posts' cards are drawn (the recorder reads
    # every page's card text and font before any drawing, cached or not).
    shutil.copytree(PROJECT_ROOT / ".cache/social", project / ".cache/social", dirs_exist_ok=True)
    for name, (fields, heading) in POSTS.items():
        (project / "docs" / "blog" / "posts" / name).write_text(
            f"---\n{fields}\nauthors:\n  - riley-example\ncategories:\n  - Clinic news\n"
            f"description: Stretches 🌷 and rest for runners, 日本語, עברית, written simply for everyone.\n"
            f"slug: {name.removesuffix('.md')}\n---\n\n{heading}\n\nA short paragraph.\n", encoding="utf-8")
    (project / "card_recorder.py").write_text(RECORDER, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nhooks:\n" in text
    config.write_text(text.replace("\nhooks:\n", "\nhooks:\n  - card_recorder.py\n", 1), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def card_site(tmp_path_factory) -> Path:
    project = card_project(tmp_path_factory.mktemp("cards"))
    site = project / "site"
    # In this process: the cards are what is read, not the printed words; without the spell check
    # (the descriptions hold Japanese and Hebrew).
    run = harness.build_in_process(project / "mkdocs.yml", site, spelling=False)
    assert isinstance(run, pipeline.Run), str(run)
    return site


@pytest.mark.build
def test_every_character_on_every_card_has_a_glyph(card_site):
    recorded = json.loads((card_site / "card-texts.json").read_text(encoding="utf-8"))
    assert len(recorded) > 20
    boxes = {page: [(Path(font).parent.name, text, notdef_characters(Path(font), text))
                    for font, text in layers] for page, layers in recorded.items()}
    assert not {page: [layer for layer in layers if layer[2]] for page, layers in boxes.items()
                if any(layer[2] for layer in layers)}
    spring = dict((text, family) for family, text, _ in boxes["blog/2026/10/01/spring/index.html"])
    assert spring["Spring stretches for runners"] == "DejaVu Sans Condensed"
    cjk = {text: family for family, text, _ in boxes["blog/2026/10/02/cjk/index.html"]}
    assert cjk["肩こりとマッサージ: neck & shoulder care"] == "WenQuanYi Micro Hei"
    rtl = {text for _, text, _ in boxes["blog/2026/10/03/rtl/index.html"]}
    assert "Hebrew and Arabic: עברית, العربية" in rtl


@pytest.mark.build
@pytest.mark.parametrize("slug, title", [("2026/10/01/spring", "Spring stretches for runners 🌷🏃"),
                                         ("2026/10/02/cjk", "肩こりとマッサージ: neck & shoulder care 🌷"),
                                         ("2026/10/04/emoji", "🌷🏃")])
def test_each_card_exists_and_the_page_keeps_its_whole_title(card_site, slug, title):
    with Image.open(card_site / "assets" / "images" / "social" / "blog" / f"{slug}.png") as card:
        assert card.format == "PNG" and card.size == (1200, 630)
    page = (card_site / "blog" / slug / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and title in html.unescape(page)


# ---- the same cards under Zensical (engines/zensical/cards.py) ----

# Where Material's default layout (engines/zensical/card_layout.yml) draws each text layer.
TEXT_LAYERS = {"site name": (64, 64, 896, 106), "title": (62, 160, 894, 470), "description": (64, 512, 896, 576)}


def ink(card: Path) -> dict[str, int]:
    """For each text layer of a card, how many pixels are text: far (> half the range) from the
    card's background, read at its top-left corner."""
    with Image.open(card) as image:
        gray = image.convert("L")
    background = gray.getpixel((5, 5))
    return {name: sum(1 for value in gray.crop(box).tobytes() if abs(value - background) > 128)
            for name, box in TEXT_LAYERS.items()}


@pytest.fixture(scope="module")
def zensical_card_site(tmp_path_factory) -> Path:
    project = card_project(tmp_path_factory.mktemp("zensical-cards"))
    site = project / "site"
    run = harness.build_in_process(project / "mkdocs.yml", site, spelling=False, engine="zensical")
    assert isinstance(run, pipeline.Run), str(run)
    return site


@pytest.mark.build
def test_zensical_draws_every_card_as_material_does(card_site, zensical_card_site):
    """Every card the MkDocs build draws, Zensical draws at the same place, same size, each text
    layer in the same face: about as much text in each (within 15%: the two rasterizers differ by
    under 6% on the sample; a layer drawn bold instead of regular has about twice as much, one
    drawn in a font without its characters far less). The posts' hard titles included: the CJK
    one drawn with the committed CJK family, emoji left out."""
    drawn = sorted(path.relative_to(card_site) for path in (card_site / "assets/images/social").rglob("*.png"))
    assert len(drawn) > 30
    assert drawn == sorted(path.relative_to(zensical_card_site)
                           for path in (zensical_card_site / "assets/images/social").rglob("*.png"))
    off = {}
    for card in drawn:
        with Image.open(zensical_card_site / card) as image:
            assert image.format == "PNG" and image.size == (1200, 630), card
        material, zensical = ink(card_site / card), ink(zensical_card_site / card)
        for layer, amount in material.items():
            if abs(zensical[layer] - amount) > 0.15 * max(amount, 200):
                off[f"{card}: {layer}"] = (amount, zensical[layer])
    assert not off, off
    posts = [card for card in drawn if card.parts[-4:-1] == ("2026", "10", "02")]
    assert posts and ink(zensical_card_site / posts[0])["title"] > 5000   # the CJK title is drawn


def _digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.build
def test_zensical_cards_hold_with_a_copied_family_and_never_write_a_committed_font(card_site, tmp_path):
    """Found by a tester: a committed family whose fonts carry the same inside names as the
    configured one ('Aa copy', sorting first) made Zensical draw no card at all, and a page
    choosing it stopped the build ("invalid font family ''"); now both draw as before. And a font
    beside a collection of the same style name (Regular.ttf beside Regular.ttc) was copied onto the
    collection's hard link, changing the committed file: now the stage names the pair, and the
    build leaves every committed font as it was."""
    project = copy_project(tmp_path / "project")
    fonts = project / ".cache" / "social" / "fonts"
    shutil.copytree(fonts / "DejaVu Sans Condensed", fonts / "Aa copy")
    about = project / "docs" / "about.md"
    text = about.read_text(encoding="utf-8")
    about.write_text("---\nsocial:\n  cards_layout_options:\n    font_family: Aa copy\n" + text[4:], encoding="utf-8")
    site = tmp_path / "site"
    run = harness.build_in_process(project / "mkdocs.yml", site, spelling=False, engine="zensical")
    assert isinstance(run, pipeline.Run), str(run)
    for card in ("about.png", "guide/index.png"):
        material, zensical = ink(card_site / "assets/images/social" / card), ink(site / "assets/images/social" / card)
        assert all(abs(zensical[layer] - amount) <= 0.15 * max(amount, 200) for layer, amount in material.items())

    # the pair is named by the stage (no card drawn that run); Zensical's staging of it: the next test
    shutil.copy(fonts / "DejaVu Sans Condensed" / "Regular.ttf", fonts / "WenQuanYi Micro Hei" / "Regular.ttf")
    assert [(problem.path, problem.what) for problem in stage_cards.folder_problems(
        Project.find(project / "mkdocs.yml"), fonts)] == \
        [(".cache/social/fonts/WenQuanYi Micro Hei", "has two font files for the style 'Regular'")]


def test_zensicals_font_folder_is_made_of_new_files_only(tmp_path):
    """Every committed font file reaches Zensical's folder under a new name of its own, so none
    is ever written onto (a .ttf staged onto a .ttc's link of the same style name rewrote the
    committed collection), and families sharing inside names share one folder."""
    committed = tmp_path / "fonts"
    shutil.copytree(FONTS, committed)
    shutil.copytree(committed / "DejaVu Sans Condensed", committed / "Aa copy")
    shutil.copy(committed / "DejaVu Sans Condensed" / "Regular.ttf", committed / "WenQuanYi Micro Hei" / "Regular.ttf")
    before = _digests(committed)
    target = tmp_path / "staged"
    faces = zensical_cards._stage_fonts(committed, target)
    assert _digests(committed) == before
    assert faces["Aa copy"] == faces["DejaVu Sans Condensed"] == \
        {"family": "DejaVu Sans", "Regular": "Condensed", "Bold": "Condensed Bold"}
    # the family with two files for one style is left out (the stage names it)
    assert "WenQuanYi Micro Hei" not in faces
    assert sorted(path.parent.name for path in target.rglob("*.ttf")) == ["DejaVu Sans"] * 4
    (committed / "WenQuanYi Micro Hei" / "Regular.ttf").unlink()
    before = _digests(committed)
    faces = zensical_cards._stage_fonts(committed, target)   # again, over the folder it made
    assert _digests(committed) == before and len(list(target.rglob("*.ttf"))) == 5
    assert faces["WenQuanYi Micro Hei"] == {"family": "WenQuanYi Micro Hei", "Regular": "Regular", "Bold": "Regular"}


def _truncated(folder: Path) -> None:
    data = (FONTS / "DejaVu Sans Condensed" / "Regular.ttf").read_bytes()
    (folder / "Regular.ttf").write_bytes(data[:60_000])


BAD_FONTS = {   # what a family folder may hold that no card plugin can read as the stage does
    "not a font": (lambda folder: (folder / "Regular.ttf").write_bytes(b"not a font at all"),
                   "Junk/Regular.ttf", "is not a font the cards can use"),
    "a folder named like a font": (lambda folder: (folder / "Extra.ttf").mkdir(), "Junk/Extra.ttf",
                                   "is not a .ttf, .otf or .ttc font file"),
    "another kind of file for a style": (lambda folder: (folder / "Bold.eot").write_bytes(b"x"), "Junk/Bold.eot",
                                         "is not a .ttf, .otf or .ttc font file"),
    "a style with no extension": (lambda folder: (folder / "Bold").write_bytes(b"x"), "Junk/Bold",
                                  "is not a .ttf, .otf or .ttc font file"),
    "a cut font": (_truncated, "Junk/Regular.ttf", "is not a font the cards can use"),
}


@pytest.mark.parametrize("case", list(BAD_FONTS))
def test_a_font_folder_no_card_plugin_can_read_is_named_file_by_file(tmp_path, case):
    """Found by a tester: a junk Regular.ttf or a folder named Extra.ttf gave a traceback; a
    Bold.eot or a cut font passed the check and stopped MkDocs' build with "unknown file format"
    naming neither. Each is now one problem at its file, and no card is drawn that run."""
    fonts = tmp_path / "cache" / "fonts"
    shutil.copytree(FONTS, fonts)
    (fonts / "Junk").mkdir()
    make, where, what = BAD_FONTS[case]
    if case not in ("not a font", "a cut font"):
        shutil.copy(FONTS / "DejaVu Sans Condensed" / "Regular.ttf", fonts / "Junk" / "Regular.ttf")
    make(fonts / "Junk")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: Placeholder\nplugins:\n  - social:\n"
                                         f"      cache_dir: {fonts.parent}\n      cards_layout_options:\n"
                                         "        font_family: DejaVu Sans Condensed\n", encoding="utf-8")
    (tmp_path / "clinic.yml").write_text("name: Riverbend clinic\n", encoding="utf-8")
    settings, _ = Settings.read(Project.find(tmp_path / "mkdocs.yml"))
    card_fonts, problems = stage_cards.fonts(settings)
    assert card_fonts is None
    assert [(problem.path.split("/fonts/")[-1], what in problem.what) for problem in problems] == [(where, True)]


def test_a_character_map_larger_than_unicode_is_refused_at_once():
    """A crafted format-12 map of 2**31 characters (a tester's: it filled gigabytes) is a FontError."""
    subtable = struct.pack(">HHIII", 12, 0, 28, 0, 1) + struct.pack(">III", 0, 0x7FFFFFFF, 1)
    with pytest.raises(cards.FontError, match="beyond Unicode"):
        cards._cmap_subtable(subtable, 0)
