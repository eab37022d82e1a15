"""Nothing on the built site loads from another host: no fonts, scripts or images from a CDN."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

# Elements and attributes through which a page makes the browser fetch something.
LOADING_ATTRIBUTES = {
    "script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"], "iframe": ["src"],
    "video": ["src", "poster"], "audio": ["src"], "embed": ["src"], "object": ["data"], "input": ["src"],
}
LOADING_LINK_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "prefetch",
                     "preconnect", "dns-prefetch", "manifest"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def is_remote(url: str) -> bool:
    return bool(urlparse(url.strip()).netloc) or url.strip().startswith("//")


def remote_loads(html: str) -> list[str]:
    """Every address in a page that the browser would fetch from another host."""
    soup = BeautifulSoup(html, "html.parser")
    urls = []
    for tag, attributes in LOADING_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                for candidate in (element.get(attribute) or "").split(","):
                    if candidate.strip():
                        urls.append(candidate.strip().split()[0])
    for link in soup.find_all("link", href=True):
        if LOADING_LINK_RELS & set(link.get("rel", [])):
            urls.append(link["href"])
    for style in soup.find_all("style"):
        urls += CSS_URL.findall(style.get_text())
    for element in soup.find_all(style=True):
        urls += CSS_URL.findall(element["style"])
    return [url for url in urls if is_remote(url)]


def test_the_detector_finds_each_kind_of_remote_load():
    html = """<script src="https://cdn.example.com/a.js"></script>
      <link rel="stylesheet" href="//fonts.example.com/css">
      <img srcset="local.png 1x, https://img.example.com/b.png 2x">
      <style>@import "https://x.example.com/c.css"; body{background:url(https://y.example.com/d.png)}</style>
      <script src="assets/local.js"></script><a href="https://example.org/">a link is not a load</a>"""
    assert len(remote_loads(html)) == 5


def test_no_built_page_loads_anything_from_another_host(site_dir: Path):
    offenders = {}
    for html_file in site_dir.rglob("*.html"):
        remote = remote_loads(html_file.read_text(encoding="utf-8"))
        if remote:
            offenders[str(html_file.relative_to(site_dir))] = remote
    assert not offenders


def test_no_stylesheet_imports_fonts_or_images_from_another_host(site_dir: Path):
    offenders = {str(css.relative_to(site_dir)): [u for u in CSS_URL.findall(css.read_text(encoding="utf-8"))
                                                  if is_remote(u)]
                 for css in site_dir.rglob("*.css")}
    assert not {name: urls for name, urls in offenders.items() if urls}
