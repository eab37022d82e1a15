"""What a browser could do with each published file (clinic_site.published), as the guard judges
it: the kind of every file by its name, its bytes decoded as a browser would, HTML and XML read
with real parsers and held to the allowlist of elements, attributes, schemes and hosts; and the
one setting that widens it, allowed_remote_hosts."""
from __future__ import annotations

import pytest

from clinic_site import published, sanitize
from devtools.project_copy import copy_project
from tests.harness import build_in_process

HOST = "example.org"


@pytest.mark.parametrize(("path", "kind"), [
    ("guide/index.html", "html"), ("a/PAGE.HTML", "html"), ("old.Htm", "html"),
    ("assets/logo.svg", "xml"), ("LOGO.SVG", "xml"), ("sitemap.xml", "xml"), ("feed.rss", "xml"),
    ("assets/x.css", "css"), ("assets/bundle.js", "passive"), ("search/search_index.json", "passive"),
    ("intake-form.PDF", "passive"), ("photo.JPG", "passive"), ("CNAME", "passive"),
    ("page.xhtml", "refused"), ("page.shtml", "refused"), ("page.mht", "refused"), ("x.svgz", "refused"),
    ("no-extension", "refused"), ("trailing.html.", "refused"), (".htaccess", "refused"),
    ("_redirects", "refused"), ("deep/_headers", "refused"), ("netlify.toml", "refused"),
    ("app.hta", "refused"), ("x.swf", "refused"), ("x.php", "refused"),
    # the site search's index is JSON (passive anywhere, no rule of its own); Pagefind's binary
    # files, which it replaced, are refused wherever they are
    ("search-index/index.json", "passive"), ("search-index/terms/0a1b2c3d4e-0.json", "passive"),
    ("pagefind/wasm.en.pagefind", "refused"), ("pagefind/index/en_238eb8c.pf_index", "refused"),
    ("guide/en_238eb8c.pf_index", "refused"), ("x.pagefind", "refused"),
])
def test_every_published_file_has_a_kind_judged_by_its_name_in_any_case(path, kind):
    assert published.kind_of(path) == kind
    if kind == "refused":
        assert published.refused_why(path)


def test_bytes_are_read_as_utf8_or_refused():
    assert published.decode("<p>café</p>".encode()) == ("<p>café</p>", None)
    assert published.decode(b"\xef\xbb\xbf<p>x</p>") == ("<p>x</p>", None)
    for data in ("<p>x</p>".encode("utf-16"), "<p>x</p>".encode("utf-32"), b"<p>caf\xe9</p>", b"<p>\x00</p>"):
        text, why = published.decode(data)
        assert text is None and why, data


def findings(html: str, hosts: frozenset[str] = frozenset()) -> list[str]:
    return [what for what, _needle in published.read_html(html, HOST, hosts).findings]


def test_what_a_page_may_load_stays_on_the_site_unless_a_host_is_allowed():
    for html in ('<img src="https://cdn.example.net/a.png" alt="">', '<img src="//cdn.example.net/a.png" alt="">',
                 '<img srcset="/a.png 1x, https://cdn.example.net/b.png 2x" alt="">',
                 '<link rel="stylesheet" href="https://cdn.example.net/x.css">',
                 '<form action="https://cdn.example.net/collect"></form>'):
        assert findings(html), html
        assert not findings(html, frozenset({"cdn.example.net"})), html
    # Links may go anywhere; the site's own host and inline raster pictures load nothing foreign.
    for html in ('<a href="https://other.example.net/">x</a>', '<link rel="canonical" href="https://other.example.net/">',
                 '<img src="https://example.org/a.png" alt="">', '<img src="data:image/png;base64,AAAA" alt="">',
                 '<a href="tel:+12175550100">x</a>', '<a href="mailto:a@example.org">x</a>'):
        assert not findings(html), html


@pytest.mark.parametrize("html", [
    '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="">',
    '<a href="https://other.example.net/" target="_blank">x</a>',
    '<meta http-equiv="refresh" content="0;url=https://other.example.net/">',
    '<meta charset="windows-1252">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-2022-jp">',
    '<p title="x"><script>a()</script></p><div data-x="<script>"></div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><img src=x onerror=alert(1)></template>", '<iframe srcdoc="<p>x"></iframe>',
    '<p style="color:red">x</p>', '<a ping="/track" href="/">x</a>', "<x-widget></x-widget>",
])
def test_anything_outside_the_allowlist_is_found(html):
    assert findings(html), html


def test_the_parser_and_the_text_must_agree_on_scripts():
    """A "<script" the HTML parser does not build as a script element is refused: where two readers
    could disagree, the guard does not pick one."""
    assert not findings("<script>a()</script><p>1 &lt;script</p>")
    assert findings('<div title="<script>alert(1)</script>">x</div>')


def test_svg_is_read_as_xml_with_its_own_part_of_the_allowlist():
    ok = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>Logo</title><g fill="#1f5f7a">'
          '<path d="M0 0h9v9z" fill-opacity=".5"/><text x="1" y="8" font-family="sans-serif" '
          'font-weight="700">R</text></g></svg>')
    assert published.read_xml(ok, HOST).findings == []
    for svg in ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:red"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><image href="a.png"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                '<use x:href="data:image/svg+xml,x"/></svg>',
                '<?xml version="1.0" encoding="UTF-16"?><svg xmlns="http://www.w3.org/2000/svg"/>',
                '<!DOCTYPE svg SYSTEM "http://example.net/x.dtd"><svg xmlns="http://www.w3.org/2000/svg"/>',
                '<svg xmlns="http://www.w3.org/2000/svg"><unclosed></svg>'):
        assert published.read_xml(svg, HOST).findings, svg


def test_data_xml_is_data_but_never_a_page():
    feed = ('<rss version="2.0"><channel><title>A &amp; B</title><item><description>&lt;p&gt;Text&lt;/p&gt;'
            '</description></item></channel></rss>')
    assert published.read_xml(feed, HOST).findings == []
    assert published.read_xml('<urlset><url><m:math xmlns:m="http://www.w3.org/1998/Math/MathML"/></url></urlset>',
                              HOST).findings


def test_stylesheets_load_only_from_the_site():
    own = 'a{background:url("data:image/svg+xml;charset=utf-8,<svg/>")} b{background:url(../img/x.png)}'
    assert published.read_css(own, HOST).findings == []
    for css in ('@import "https://evil.example/x.css";', "a{background:url(//evil.example/p.png)}",
                r"a{background:\75 rl(https://evil.example/p.png)}", "a{width:expression(alert(1))}",
                "/* x */ @import url('http://evil.example/x.css');", "a{background:url(javascript:alert(1))}"):
        assert published.read_css(css, HOST).findings, css


def test_a_page_may_not_use_the_names_the_theme_finds_its_elements_by():
    for html in ('<p id="__config">{}</p>', '<h2 id="__search">x</h2>', '<label for="__drawer">x</label>',
                 '<input type="checkbox" name="__toc">'):
        assert sanitize.removed(html), html
        assert "__" not in sanitize.clean(html).replace("__tabbed", ""), html
    tabs = '<input type="radio" name="__tabbed_1" id="__tabbed_1_1"><label for="__tabbed_1_1">A</label>'
    assert sanitize.removed(tabs) == [] and sanitize.clean(tabs) == tabs


@pytest.mark.build
def test_allowed_remote_hosts_is_the_one_way_to_load_from_another_host(tmp_path):
    """A picture from another host stops the build, named at its line, until mkdocs.yml's
    allowed_remote_hosts lists the host; a setting that is not a list of host names is named."""
    project = copy_project(tmp_path / "project")
    page = project / "docs/guide/after-your-session.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![A map](https://maps.example.net/clinic.png)\n",
                    encoding="utf-8")
    stopped = build_in_process(project / "mkdocs.yml", tmp_path / "site", spelling=False, cards=False)
    found = [problem for problem in stopped.problems if "maps.example.net" in problem.message]
    assert [(problem.path, problem.severity) for problem in found] == [("docs/guide/after-your-session.md", "error")]
    line = page.read_text(encoding="utf-8").splitlines().index("![A map](https://maps.example.net/clinic.png)") + 1
    assert found[0].line == line and "allowed_remote_hosts" in found[0].message
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  allowed_remote_hosts: []\n" in text
    config.write_text(text.replace("  allowed_remote_hosts: []\n", "  allowed_remote_hosts: [maps.example.net]\n"),
                      encoding="utf-8")
    built = build_in_process(config, tmp_path / "site", spelling=False, cards=False)
    assert not [problem for problem in built.problems if "maps.example.net" in problem.message]
    config.write_text(text.replace("  allowed_remote_hosts: []\n",
                                   "  allowed_remote_hosts: [https://maps.example.net/]\n"), encoding="utf-8")
    stopped = build_in_process(config, tmp_path / "site", spelling=False, cards=False)
    assert [problem.field for problem in stopped.problems if problem.path == "mkdocs.yml"] == \
        ["extra.allowed_remote_hosts"]


