"""The site with the keyboard alone, in Chromium: real Tab / Enter / arrow key presses.

A skip link comes first and moves past the menus; every focused control shows a focus ring
with enough contrast and is on screen; every visible control is reached by Tab; the phone menu
and search can be opened and used without a mouse.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from playwright.sync_api import Page, expect

from tests.harness import SETTLE_THEN, StaticServer, session_site, settle
from tests.test_accessibility import LISTING, first_listing_path

# One browser context for the module's tests, a new page each (tests/conftest.py, SharedContext).
pytestmark = pytest.mark.shared_context

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
GUIDE_PAGE = "/guide/safety-and-contraindications/"

# What the focused element looks like: its outline, the colour behind the outline (the
# stack of elements at a point just outside its box, composited), and whether it is on
# screen and not covered by something else.
# Material opens its search (the box turns white) when the search box gets focus, by script and
# sometimes a few frames later: the ring is judged on the box as it then is.
SEARCH_OPENS_ON_FOCUS = """() => !document.activeElement?.matches('input.md-search__input')
    || document.getElementById('__search')?.checked === true"""
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = c => { const m = c.match(/[\\d.]+/g); if (!m) return [0, 0, 0, 0];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  // A negative offset draws the ring inside the element, on its own background.
  const inside = (parseFloat(style.outlineOffset) || 0) < 0;
  const ring = inside ? -1 : (parseFloat(style.outlineWidth) || 0) + Math.max(0, parseFloat(style.outlineOffset) || 0);
  const points = [[rect.left - ring, rect.top + rect.height / 2], [rect.right + ring, rect.top + rect.height / 2],
                  [rect.left + rect.width / 2, rect.top - ring], [rect.left + rect.width / 2, rect.bottom + ring]];
  const [x, y] = points.find(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight) || points[0];
  const layers = [];
  for (const under of document.elementsFromPoint(x, y)) {
    if (el.contains(under) && !(inside && under === el)) continue;
    const bg = parse(getComputedStyle(under).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let back = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) {
    back = [r * a + back[0] * (1 - a), g * a + back[1] * (1 - a), b * a + back[2] * (1 - a)];
  }
  const centre = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
  return {
    what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} `
          + `"${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outline: parse(style.outlineColor), background: back,
    onScreen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0
              && rect.left < innerWidth && rect.top < innerHeight,
    uncovered: centre !== null && (el.contains(centre) || centre.contains(el)
               || (el.tagName === 'LABEL' && el.control === centre)),
    coveredBy: centre && `${centre.tagName.toLowerCase()}.${[...centre.classList].join('.')}`,
    ringInside: inside,
    marker: el.dataset.kbControl || null,
  };
}"""

# Every control a visitor can see and use, as [tag, label] pairs, marked so Tab can tick them off.
VISIBLE_CONTROLS = """() => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]');
  const out = [];
  let n = 0;
  for (const el of controls) {
    if (el.matches('[tabindex="-1"], :disabled, .md-toggle, .md-option')) continue;
    if (el.closest('[hidden], [inert], [aria-hidden="true"]')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    if (!el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    if (getComputedStyle(el).pointerEvents === 'none' && el.tagName !== 'A') continue;
    el.dataset.kbControl = String(n++);
    const label = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('href') || '').trim();
    out.push([el.dataset.kbControl, `${el.tagName.toLowerCase()} "${label.slice(0, 50)}"`]);
  }
  return out;
}"""


def luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# One Tab's look, as harness.settled takes it (the wait and the look in one call), started in the
# page and kept there as a promise, so that the walks of several pages wait for their frames at once.
SETTLED_FOCUS = SETTLE_THEN.replace("READY", SEARCH_OPENS_ON_FOCUS).replace("READ", DESCRIBE_FOCUS)
START_LOOK = f"() => {{ window.__keyboardWalkLook = ({SETTLED_FOCUS})(); }}"
TAKE_LOOK = "() => window.__keyboardWalkLook"
WALKED_PATHS = {"home": "/", "guide": GUIDE_PAGE, "directory": "/therapists/"}


class FocusWalk:
    """One page walked with real Tab presses until focus leaves it (back to the address bar) or
    comes back to its first control: what was found before the first Tab (too_wide, controls), each
    focus as it looked once the page had settled, or the error that ended the walk."""

    def __init__(self, page: Page, path: str, size: dict, limit: int = 400) -> None:
        self.page, self.path, self.size, self.limit = page, path, size, limit
        self.too_wide: list[str] = []
        self.controls: dict[str, str] = {}
        self.focuses: list[tuple[str, dict]] = []
        self.error: Exception | None = None
        self.done = False
        self._presses = 0
        self._first: tuple[str, str] | None = None

    def open(self) -> None:
        page = self.page
        page.set_viewport_size(self.size)
        # Each focus is judged once its transitions end. With reduced motion, Material's CSS sets
        # `transition: none` on everything, so each focus is in that same end state at once: about
        # 130 ms less waiting per Tab, for the same states.
        page.emulate_media(reduced_motion="reduce")
        page.goto(self.path)
        page.wait_for_load_state("load")
        # Reflow (WCAG 1.4.10): nothing makes the page scroll sideways, which would also put
        # focused controls off screen.
        self.too_wide = page.evaluate("""() => [...document.querySelectorAll('.md-main *')]
            .filter(e => !e.closest('.md-sidebar') && e.getBoundingClientRect().right > innerWidth + 1)
            .slice(0, 3)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} `
                      + `${Math.round(e.getBoundingClientRect().width)} px`)
        """)
        self.controls = dict(page.evaluate(VISIBLE_CONTROLS))

    def press(self) -> None:
        """Press Tab, and start the look at the focus it gives, in the page (not waited for here):
        panels that open or close on focus (Material reacts a frame later) finish their transitions
        first, and what is read stays the same for three frames (harness.settled)."""
        if self._presses == self.limit:
            raise AssertionError(f"Tab did not cycle through the page within {self.limit} presses")
        self._presses += 1
        self.page.keyboard.press("Tab")
        self.page.evaluate(START_LOOK)

    def take(self) -> None:
        """Wait for the look press() started: the focus is kept, or the walk is done."""
        state = self.page.evaluate(TAKE_LOOK)
        if state is None:
            self.done = True
            return
        key = (state["marker"], state["what"])
        if self._first is None:
            self._first = key
        elif key == self._first:
            self.done = True
            return
        self.focuses.append((state["marker"], state))


def walk_all(walks: list[FocusWalk]) -> None:
    """Walk every page in step: each walk's Tab and the start of its look, then each walk's look
    taken, so the pages wait for their frames at the same time, each on its own (a walk's time
    is mostly frames waited for: about four a Tab). A walk that fails keeps its error and stops;
    the others go on."""
    def step(walk: FocusWalk, action) -> None:
        try:
            action()
        except Exception as error:  # raised by the walk's own test
            walk.error, walk.done = error, True

    for walk in walks:
        step(walk, walk.open)
    while active := [walk for walk in walks if not walk.done]:
        for walk in active:
            step(walk, walk.press)
        for walk in active:
            if not walk.done:
                step(walk, walk.take)


WALK_TEST = "test_every_control_is_reached_by_tab_with_a_visible_focus_ring"


@pytest.fixture(scope="module")
def focus_walks(request: pytest.FixtureRequest, browser, tmp_path_factory: pytest.TempPathFactory,
                worker_id: str) -> Iterator[dict[tuple[str, str, int], FocusWalk | AssertionError]]:
    """The walks of this run's WALK_TEST cases (those selected), by engine, path and width: all made
    at once for the first of them, each engine's build of the session on a server of its own (as
    site_url serves it), in a context of their own, a page each. The walks of an engine whose build
    failed keep the build's failure."""
    cases = {(params["engine"], params["path"], params["size"]["width"]): params
             for item in request.session.items if getattr(item, "originalname", None) == WALK_TEST
             for params in [item.callspec.params]}
    with ExitStack() as stack:
        urls: dict[str, str] = {}
        failed: dict[str, AssertionError] = {}
        for engine in sorted({engine for engine, _path, _width in cases}):
            try:
                site, _seconds = session_site(engine, tmp_path_factory, worker_id)
            except AssertionError as failure:   # the build's own, for that engine's cases only
                failed[engine] = failure
                continue
            urls[engine] = stack.enter_context(StaticServer(site)).url
        context = browser.new_context()
        stack.callback(context.close)
        walks = {key: FocusWalk(context.new_page(), urls[key[0]] + params["path"], params["size"])
                 for key, params in cases.items() if key[0] in urls}
        walk_all(list(walks.values()))
        yield {**{key: failed[key[0]] for key in cases if key[0] in failed}, **walks}


@pytest.mark.parametrize("size", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ["/", GUIDE_PAGE, "/blog/2026/11/02/medical-massage-and-physical-therapy/",
                                  "/therapists/", LISTING],
                         ids=["home", "guide", "blog-post", "directory", "listing"])
def test_skip_link_comes_first_and_jumps_to_the_content(page: Page, path, size):
    page.set_viewport_size(size)
    page.goto(first_listing_path(page) if path == LISTING else path)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_have_class(re.compile(r"\bmd-skip\b"))
    expect(skip).to_be_in_viewport()
    page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")  # faded in
    target = skip.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.locator(target)).to_be_in_viewport()
    # Focus is now at the content: the next Tab (or the focus itself) is inside it, past
    # the header, the search and the menus.
    if not page.evaluate("!!document.activeElement.closest('.md-content')"):
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    assert page.evaluate("!!document.activeElement.closest('.md-content')"), \
        f"after the skip link, focus went to {focused}, not the page's content"


@pytest.mark.parametrize("size", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", WALKED_PATHS.values(), ids=WALKED_PATHS.keys())
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring(focus_walks, engine, path, size):
    """Every visible control is reached by Tab, each focus with a ring of 2 px or more and 3:1
    contrast, on screen and not covered; the page never scrolls sideways (its walk: FocusWalk,
    made with the module's other walks at once)."""
    walk = focus_walks[engine, path, size["width"]]
    if isinstance(walk, AssertionError):   # the engine's build failed
        raise walk
    if walk.error is not None:
        raise walk.error
    assert not walk.too_wide, f"the page is wider than {size['width']} px, it scrolls sideways: {walk.too_wide}"
    controls = walk.controls
    assert len(controls) > 10, controls
    reached, problems = set(), []
    for marker, state in walk.focuses:
        reached.add(marker)
        ratio = contrast(state["outline"], state["background"])
        if state["outlineStyle"] in ("none", "hidden") or state["outlineWidth"] < 2:
            problems.append(f"{state['what']}: no focus ring ({state['outlineStyle']} {state['outlineWidth']} px)")
        elif ratio < 3:
            where = "inside" if state["ringInside"] else "outside"
            problems.append(f"{state['what']}: focus ring contrast {ratio:.2f}:1 < 3:1 (ring {state['outline']}, "
                            f"{where} on {[round(c) for c in state['background']]})")
        if not state["onScreen"] or not state["uncovered"]:
            problems.append(f"{state['what']}: focused but "
                            + ("off screen" if not state["onScreen"] else f"covered by {state['coveredBy']}"))
    missed = [label for marker, label in controls.items() if marker not in reached]
    assert not missed, f"{len(missed)} visible control(s) never reached by Tab: {missed}"
    assert not problems, "focus problems:\n" + "\n".join(problems)


def focus_by_tab(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching selector has focus (fails if it never does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_phone_menu_opens_and_is_used_with_the_keyboard(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    focus_by_tab(page, 'label[for="__drawer"]')
    expect(page.locator(":focus")).to_have_text("Menu")  # a <label> like Material's toggles: named by its text
    page.keyboard.press("Enter")
    expect(page.locator("#__drawer")).to_be_checked()
    # The drawer and its sub-menus slide in: Tab only once they are in place, as a person who
    # sees the menu does.
    settle(page)
    expect(page.locator("nav.md-nav--primary")).to_be_in_viewport()
    # The Guide section is a sub-menu on phones: its arrow is reached and opened by keyboard.
    focus_by_tab(page, 'label[for="__nav_2"]')
    expect(page.locator(":focus")).to_have_text("Guide pages")
    page.keyboard.press("Enter")
    expect(page.locator("#__nav_2")).to_be_checked()
    settle(page)
    focus_by_tab(page, 'nav.md-nav--primary a[href$="guide/safety-and-contraindications/"]')
    expect(page.locator(":focus")).to_be_in_viewport(ratio=1)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/guide/safety-and-contraindications/$"))


@pytest.mark.parametrize("size", WIDTHS.values(), ids=WIDTHS.keys())
def test_search_is_used_with_the_keyboard(page: Page, size):
    page.set_viewport_size(size)
    page.goto("/")
    if size is PHONE:  # behind the magnifier button
        focus_by_tab(page, 'label[for="__search"]')
        expect(page.locator(":focus")).to_have_text("Search")
        page.keyboard.press("Enter")
    else:
        focus_by_tab(page, "input.md-search__input")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("contraindications")
    first = page.locator("li.md-search-result__item > a.md-search-result__link").first
    # Wait for the results of the whole word (links carry the query): results of a shorter
    # prefix are drawn again when it arrives, which would take the focus ArrowDown gives.
    expect(first).to_have_attribute("href", re.compile(r"guide/safety-and-contraindications/\?h=contraindications$"))
    expect(page.locator(".md-search-result__meta")).to_contain_text(re.compile(r"\d+ pages? found"))
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/guide/safety-and-contraindications/"))


@pytest.mark.parametrize("size", WIDTHS.values(), ids=WIDTHS.keys())
def test_slash_opens_the_search_from_anywhere_but_a_text_field(page: Page, size):
    """"/" opens the header's search (overrides/assets/search-text.js), on a phone too, where the
    box is behind the magnifier; typed into a text field (the finder's), it is just a character.
    The results are links at least 44 px tall with text of 14 px or more; Escape closes the search."""
    page.set_viewport_size(size)
    page.goto("/therapists/")
    box = page.locator("input.md-search__input")
    finder_box = page.locator("#finder-q")
    if finder_box.is_visible():
        finder_box.click()
        page.keyboard.press("/")
        expect(finder_box).to_have_value("/")
        expect(box).not_to_be_focused()
    page.locator("article h1").click()   # focus back on the page, in no field
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()
    expect(box).to_have_value("")   # the "/" opened the search; it is not the query
    page.keyboard.type("contraindications")
    links = page.locator("li.md-search-result__item > a.md-search-result__link")
    expect(links.first).to_have_attribute("href", re.compile(r"\?h=contraindications$"))
    sizes = links.evaluate_all("""links => links.map(a => ({height: a.getBoundingClientRect().height,
        font: Math.min(...[...a.querySelectorAll('h1, h2, p')].map(e => parseFloat(getComputedStyle(e).fontSize)))
    }))""")
    assert sizes and all(s["height"] >= 44 and s["font"] >= 14 for s in sizes), sizes
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(box).not_to_be_focused()
