"""A Python-Markdown extension Zensical loads like any other (it renders Markdown through
Python-Markdown, in this process): the last step of every page's Markdown, as the MkDocs adapter's
on_page_content is. The page's HTML is kept to the allowlist (clinic_site.sanitize) and what was
taken out is recorded in the run for the post-build stage to name; a page the stage generated
(the finder's, the people's) is taken from the run as it is, as under MkDocs."""
from __future__ import annotations

import posixpath
import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from clinic_site import layout, pipeline, sanitize

NAME = "clinic_site.engines.zensical.markdown_guard"
# Where a post's excerpt ends (Material's and Zensical's default post_excerpt_separator; the blog's
# setting when mkdocs.yml gives one). Material's
# blog plugin cuts the excerpt before the MkDocs adapter guards the HTML; Zensical cuts it after.
EXCERPT_SEPARATOR = "<!-- more -->"


def _src_uri(md: Markdown) -> str | None:
    """The page being rendered, as a src_uri ("guide/x.md"), from Zensical's context extension."""
    from zensical.extensions.context import ContextPreprocessor

    context = ContextPreprocessor.from_markdown(md)
    path = getattr(getattr(context, "page", None), "path", None)
    return str(path).replace("\\", "/").lstrip("/") if path else None


_ADDRESS = re.compile(r'(?P<attribute>\s(?:href|src)=")(?P<url>[^"]*)"')


def rebased(html: str, dest: str, src_uri: str) -> str:
    """A generated page's HTML (its relative addresses written from the page's own address, as
    MkDocs publishes them) with each relative address written from its source file's folder, as
    Zensical reads every relative address of a page and rewrites it for the page's address: the
    built page then links where the MkDocs build's does. `dest` is the page's file in the site
    folder ("therapists/jane/index.html"), `src_uri` its source ("therapists/jane.md")."""
    page_dir, src_dir = posixpath.dirname(dest), posixpath.dirname(src_uri)
    if page_dir == src_dir:
        return html

    def rebase(match: re.Match) -> str:
        url = match.group("url")
        if not url or url.startswith(("/", "#", "?")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
            return match.group(0)
        path, mark, rest = (re.split(r"([?#])", url, maxsplit=1) + ["", ""])[:3]
        target = posixpath.normpath(posixpath.join(page_dir, path))
        moved = posixpath.relpath(target, src_dir or ".")
        if path.endswith("/") and not moved.endswith("/"):
            moved += "/"
        return f'{match.group("attribute")}{moved}{mark}{rest}"'

    return _ADDRESS.sub(rebase, html)


class _Current(Preprocessor):
    """First: the run knows which page Zensical is on, to name it should the engine stop there."""

    def run(self, lines: list[str]) -> list[str]:
        run = pipeline.current()
        if run is not None:
            run.output.current = _src_uri(self.md)
        return lines


class _Guard(Postprocessor):
    def run(self, text: str) -> str:
        run = pipeline.current()
        src_uri = _src_uri(self.md)
        if run is None or run.staged is None:
            return sanitize.clean(text)
        run.output.current = src_uri
        generated = run.staged.generated.get(src_uri) if src_uri else None
        if generated is not None and src_uri is not None:
            return rebased(generated.html, generated.record.dest, src_uri)
        blog = run.staged.settings.plugin("blog") or {}
        separator = str(blog.get("post_excerpt_separator") or EXCERPT_SEPARATOR)
        parts = text.split(separator)   # the blog's excerpt mark outlives the guard, as under MkDocs
        cleaned_parts = [sanitize.clean(part) for part in parts]
        removed = [item for part, cleaned in zip(parts, cleaned_parts, strict=True)
                   for item in sanitize.removed(part, cleaned)]
        if removed and src_uri:
            run.output.removed[src_uri] = removed
        return separator.join(layout.mark_link_items(cleaned) for cleaned in cleaned_parts)


class GuardExtension(Extension):
    """Registers the page's name first and the guard last (after raw HTML is put back)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        """Add both processors to `md` (Python-Markdown calls this once per Markdown instance)."""
        md.preprocessors.register(_Current(md), "clinic_current", 1000)
        md.postprocessors.register(_Guard(md), "clinic_guard", -100)


def makeExtension(**kwargs) -> GuardExtension:  # noqa: N802 - Python-Markdown's name
    """The extension, as Python-Markdown loads it by module name."""
    return GuardExtension(**kwargs)
