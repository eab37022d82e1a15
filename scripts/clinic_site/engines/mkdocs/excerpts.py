"""Every id on a blog page is unique, whatever the posts' excerpts hold (issue 24).

Material's blog shows each post's excerpt on its index, archive and category pages, each made
from the post's Markdown by a Markdown parser of its own (material/plugins/blog/structure,
Excerpt.render): each excerpt numbers its ids as if it were alone on the page. Two excerpts with
a heading "What to bring", with headings in a script the slug drops (Japanese, Greek: "_1",
"_2"), with footnotes ("fnref:1") or with tabs ("__tabbed_1_1", whose radio buttons then share
one `name` across posts, so a tab clicked in one excerpt unselects another's) gave one id twice.

Here each excerpt's ids get the post's own prefix as it is rendered: every `id=`, the
`for=`/`aria-*=` and `#fragment` links that point to them inside the excerpt, tab groups'
`name=`, and the page's table of contents entries for its headings. Links from an excerpt to
its post ("2026/11/20/welcome/#what-to-bring") keep the post page's own ids. The post-build
link check names any id a page still has twice (check_links, postbuild/links.py).
"""
from __future__ import annotations

import functools
import re

PATCHED = "_clinic_scoped_ids"
_ID_ATTRIBUTE = re.compile(r'(\s(?:id|for)=")([^"]+)(")')
_ARIA = re.compile(r'(\saria-(?:labelledby|describedby|controls|owns|activedescendant|details|flowto)=")([^"]+)(")')
_FRAGMENT = re.compile(r'(\shref="#)([^"]+)(")')
_TAB_GROUP = re.compile(r'(\sname=")(__tabbed_[^"]*)(")')


def prefix_of(post_url: str) -> str:
    """The id prefix of a post's excerpt: its address as letters, digits and hyphens
    ("blog/2026/11/20/welcome/" -> "blog-2026-11-20-welcome--")."""
    return re.sub(r"[^A-Za-z0-9]+", "-", post_url).strip("-") + "--"


def scope_ids(html: str, prefix: str) -> str:
    """`html` (one excerpt) with every id it defines, and every reference to one inside it, prefixed."""
    def one(match: re.Match) -> str:
        return match[1] + prefix + match[2] + match[3]

    def each(match: re.Match) -> str:
        return match[1] + " ".join(prefix + token for token in match[2].split()) + match[3]

    # Each pattern's fixed part is looked for first: most excerpts hold none (3,000 excerpts at
    # 1,000 posts: 0.19 s with the four patterns tried on every one).
    if 'id="' in html or 'for="' in html:
        html = _ID_ATTRIBUTE.sub(one, html)
    if "aria-" in html:
        html = _ARIA.sub(each, html)
    if 'href="#' in html:
        html = _FRAGMENT.sub(one, html)
    return _TAB_GROUP.sub(one, html) if 'name="__tabbed_' in html else html


def _scope_toc(links, prefix: str) -> None:
    """The excerpt's table of contents entries (MkDocs AnchorLink: .id, .children), prefixed as
    the headings they link to."""
    for link in links:
        if getattr(link, "id", None) and not link.id.startswith(prefix):
            link.id = prefix + link.id
        _scope_toc(getattr(link, "children", None) or [], prefix)


def install() -> bool:
    """Wrap Material's Excerpt.render once so each excerpt's ids are its own; False when the
    blog plugin is not installed or has no Excerpt (tests/test_as_published.py would show the ids)."""
    try:
        from material.plugins.blog.structure import Excerpt
    except ImportError:
        return False
    render = Excerpt.render
    if getattr(render, PATCHED, False):
        return True

    @functools.wraps(render)
    def scoped_render(self, page, separator):
        render(self, page, separator)
        prefix = prefix_of(self.post.url)
        self.content = scope_ids(self.content, prefix)
        if self.more is not None:
            self.more = scope_ids(self.more, prefix)
        _scope_toc(getattr(self, "toc", None) or [], prefix)   # the page's table of contents links them

    setattr(scoped_render, PATCHED, True)
    Excerpt.render = scoped_render
    return True
