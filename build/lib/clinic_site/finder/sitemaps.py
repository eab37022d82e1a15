"""The finder's pages in sitemaps of their own, named by a sitemap index.

Material's JavaScript fetches the site's sitemap.xml on every page load (twice on this site: once
for each <link rel="alternate"> it finds, here the blog's two feeds; it reads the sitemap only for
instant navigation, the version selector and alternate languages, none of which this site uses).
With one entry per listing and city page, that file alone grew with the directory. So sitemap.xml
keeps the site's own pages (overrides/sitemap.xml leaves out pages marked `finder_generated`),
and the finder's listing, city and state pages go into sitemap-finder-N.xml, at most
MAX_URLS each (sitemap protocol, https://www.sitemaps.org/protocol.html: 50,000 URLs and 50 MB
per file). sitemap-index.xml names them all and robots.txt names the index
(scripts/clinic_site/seo.py)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

INDEX_NAME = "sitemap-index.xml"
FINDER_NAME = "sitemap-finder-{n}.xml"
MAX_URLS = 50_000   # the protocol's limit per sitemap file
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def urlset(entries: Sequence[tuple[str, str | None]]) -> str:
    """A sitemap: (absolute URL, last modified YYYY-MM-DD or None) each, XML-escaped once."""
    rows = "".join(f"<url><loc>{escape(loc)}</loc>{f'<lastmod>{escape(day)}</lastmod>' if day else ''}</url>\n"
                   for loc, day in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">\n{rows}</urlset>\n'


def sitemap_index(locations: Sequence[str]) -> str:
    """A sitemap index naming the sitemaps at these absolute URLs."""
    rows = "".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n" for loc in locations)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n{rows}</sitemapindex>\n'


def write(site_dir: Path, site_url: str, entries: Sequence[tuple[str, str | None]],
          max_urls: int = MAX_URLS) -> list[str]:
    """Write the finder's sitemaps (entries split into files of at most max_urls) and the index
    (sitemap.xml first, then those); returns the names written, index last.
    site_url: the site's address ending in "/" (config.site_url)."""
    names: list[str] = []
    for start in range(0, len(entries), max_urls):
        name = FINDER_NAME.format(n=len(names) + 1)
        (site_dir / name).write_text(urlset(entries[start:start + max_urls]), encoding="utf-8")
        names.append(name)
    (site_dir / INDEX_NAME).write_text(sitemap_index([site_url + "sitemap.xml"] + [site_url + n for n in names]),
                                       encoding="utf-8")
    return names + [INDEX_NAME]
