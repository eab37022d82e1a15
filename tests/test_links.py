"""Links of the built site: linkchecker crawls it served; check_links.py reads every file."""
import re

import pytest

from clinic_site import check_links
from devtools.bench_blog import run_linkchecker


def test_linkchecker_finds_no_broken_internal_link(site_dir):
    # Served with a `LinkChecker` header and maxrequestspersecond raised, so linkchecker does not
    # wait 0.1-0.6 s between requests (about 10 pages a second): it then scales with the blog.
    result = run_linkchecker(site_dir, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors found" in result.stdout, result.stdout
    # It reached every page (it stops reading a page for links after maxfilesizeparse bytes).
    checked = int(re.search(r"(\d+) links? in \d+ URLs? checked", result.stdout).group(1))
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    assert checked >= pages, (checked, pages)


# ---- scripts/clinic_site/check_links.py: every internal link and #anchor, straight from the built files.
# linkchecker above crawls the served site over HTTP (what a server answers) without anchor
# checks, which would take it minutes on a large blog; this reads each file once, in seconds.

def test_every_internal_link_and_anchor_of_the_built_site_resolves(site_dir):
    problems, pages, refs = check_links.check_site(site_dir)
    assert pages > 20 and refs > 500, (pages, refs)  # it did read the site
    assert problems == []


def _site(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _check(tmp_path, files, site_url="https://example.org/"):
    return check_links.check_site(_site(tmp_path, files), site_url)[0]


GOOD = {
    "index.html": '<a href="guide/">Guide</a> <a href="guide/#safety">Safety</a> <a href="#top" id="top">x</a>'
                  '<link rel="stylesheet" href="assets/site.css"><script src="assets/a.js"></script>'
                  '<img src="img/a.png" srcset="img/a.png 1x, img/b.png 2x">'
                  '<a href="https://example.org/guide/#safety">self</a> <a href="https://other.example/x">out</a>'
                  '<a href="mailto:a@example.org">m</a> <a href="tel:+15550100">t</a>'
                  '<img src="data:image/png;base64,AA">'
                  '<a href="mailto:a@example.org,%20b@example.net?subject=Outdated%20listing%3A%20x&body=Hi">m</a>'
                  '<a href="tel:+1-512-555-0101">t</a>'
                  '<a href="guide">no slash</a> <a href="guide/index.html#old">old</a>',
    "guide/index.html": '<h2 id="safety">Safety</h2><a name="old"></a><a href="../">Home</a>'
                        '<a href="../index.html#top">top</a><picture><source srcset="../img/b.png"></picture>',
    "assets/site.css": "", "assets/a.js": "", "img/a.png": "", "img/b.png": "",
    "404.html": '<a href="/guide/">Guide</a><link href="/assets/site.css" rel="stylesheet">',
    "old-page/index.html": '<meta http-equiv="refresh" content="0; url=../guide/"><a href="../guide/">moved</a>',
}


def test_check_links_passes_good_links(tmp_path):
    assert _check(tmp_path, GOOD) == []


@pytest.mark.parametrize("markup, expected", [
    ('<a href="missing/">x</a>', "index.html: broken link 'missing/' (no such file)"),
    ('<a href="guide/#nowhere">x</a>', "index.html: broken link 'guide/#nowhere' (no anchor #nowhere)"),
    ('<a href="#nowhere">x</a>', "index.html: broken link '#nowhere' (no anchor #nowhere)"),
    ('<img src="img/a.png" srcset="img/a.png 1x, img/c.png 2x">', "index.html: broken link 'img/c.png' (no such file)"),
    ('<script src="assets/b.js"></script>', "index.html: broken link 'assets/b.js' (no such file)"),
    ('<link rel="stylesheet" href="assets/x.css">', "index.html: broken link 'assets/x.css' (no such file)"),
    ('<a href="/nope/">x</a>', "index.html: broken link '/nope/' (no such file)"),
    ('<a href="https://example.org/guide/#gone">x</a>',
     "index.html: broken link 'https://example.org/guide/#gone' (no anchor #gone)"),
    ('<a href="javascript:alert(1)">x</a>', "index.html: broken link 'javascript:alert(1)' (javascript: URL)"),
    ('<a href="mailto:?subject=Hi">x</a>', "index.html: broken link 'mailto:?subject=Hi' (not an email address)"),
    ('<a href="mailto:listings">x</a>', "index.html: broken link 'mailto:listings' (not an email address)"),
    ('<a href="tel:call-us">x</a>', "index.html: broken link 'tel:call-us' (not a phone number)"),
    ('<a href="../../up.html">x</a>', "index.html: broken link '../../up.html' (outside the site)"),
    ('<meta http-equiv="refresh" content="0; url=gone/">', "index.html: broken link 'gone/' (no such file)"),
])
def test_check_links_reports_each_kind_of_broken_link(tmp_path, markup, expected):
    files = {**GOOD, "index.html": GOOD["index.html"] + markup}
    assert _check(tmp_path, files) == [expected]


def test_check_links_ignores_ids_and_links_inside_scripts_and_comments(tmp_path):
    files = {**GOOD, "index.html": GOOD["index.html"] + '<!-- <a href="gone/">x</a> -->'
             '<script>var s = \'<a href="gone/" id="fake">\';</script><a href="#fake">x</a>'}
    assert _check(tmp_path, files) == ["index.html: broken link '#fake' (no anchor #fake)"]


def test_check_links_reads_root_absolute_links_under_the_site_url_path(tmp_path):
    files = {"404.html": '<a href="/clinic/guide/">ok</a><a href="/clinic/">home</a><a href="/guide/">wrong</a>',
             "index.html": "", "guide/index.html": ""}
    assert _check(tmp_path, files, site_url="https://example.github.io/clinic/") == [
        "404.html: broken link '/guide/' (outside the site's path /clinic/)"]


def test_check_links_skips_links_marked_as_leaving_the_site(tmp_path):
    leaving = '<a href="https://example.org/listing-site" rel="nofollow noopener">w</a>'
    files = {**GOOD, "index.html": GOOD["index.html"] + leaving}
    assert _check(tmp_path, files) == []


def test_check_links_command_line(tmp_path, capsys):
    site = _site(tmp_path, {**GOOD, "index.html": GOOD["index.html"] + '<a href="guide/#x">x</a>'})
    assert check_links.main([str(site), "--site-url", "https://example.org/"]) == 1
    assert "index.html: broken link 'guide/#x' (no anchor #x)" in capsys.readouterr().out
    assert check_links.main([str(site / "guide"), "--site-url", "https://example.org/", "--quiet"]) == 1  # '../' leaves


def test_a_link_resolves_the_same_as_from_its_own_page_whatever_folder_it_is_in():
    """find_broken resolves a link that climbs out of its page's folders once per depth (from
    stand-in folders); every (folder, link) pair must give what resolving it from the page itself
    gives: the same broken links, targets and anchors. Links of every shape, climbing less, exactly
    as far as and further than the page is deep, written with ".", "..", "%2e%2e", a query, a
    fragment, a root path, a full address, a folder named like a link's part."""
    import itertools
    import random

    folders = ["", "a", "a/b", "blog/2026/11/20/welcome", "x/..a/b.", "%2e%2e", "b/a/b", "guide/why"]
    targets = ["guide", "a/b", "b", "guide/why", "index.html", "a/index.html"]
    pieces = ["..", ".", "%2e%2e", "%2E%2E", "a", "b", "guide", "why", "", "..a", "b."]
    generator = random.Random(26)
    refs = set()
    for ups in range(7):
        for tail in ["", "guide/", "guide/why/", "a/b/", "b", "b/#top", "guide/?q=1#why", "../guide/", "a/../b/"]:
            refs.add("../" * ups + tail)
    for _ in range(400):
        refs.add("/".join(generator.choice(pieces) for _ in range(generator.randint(1, 7))) +
                 generator.choice(["", "/", "/#top", "#why", "?page=2"]))
    refs |= {"%00/b/", "../%00/guide/", "a/%00/../b", "/guide/", "/a/b/#top", "https://example.org/guide/",
             "//example.org/b/", "./", ".", "..", "#why", "#nowhere", " ",
             "javascript:alert(1)", "tel:+15551234567", "#top", "?page=2"}
    pages = {}
    for number, folder in enumerate(folders):
        page_path = f"{folder}/index.html" if folder else "index.html"   # "#why" is on every other page only
        pages[page_path] = check_links.Page({"top", "why"} if number % 2 else {"top"}, sorted(refs), set())
    files = set(pages) | {f"{target}/index.html" for target in targets} | {"b", "guide/why/index.html"}
    found = check_links.find_broken(pages, files, "https://example.org/")
    expected = []
    for page_path, ref in itertools.product(sorted(pages), sorted(refs)):
        target, fragment, error = check_links.resolve(page_path, ref, "https://example.org/")
        if error:
            expected.append(check_links.Broken(page_path, ref, error))
        elif target is not None:
            if target not in files:
                if target + "/index.html" in files:
                    target += "/index.html"
                else:
                    expected.append(check_links.Broken(page_path, ref, "no such file", target))
                    continue
            if fragment and target in pages and fragment not in pages[target].ids:
                expected.append(check_links.Broken(page_path, ref, f"no anchor #{fragment}", target, fragment))
    missing, extra = set(map(repr, expected)) - set(map(repr, found)), set(map(repr, found)) - set(map(repr, expected))
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])
    assert len(found) == len(expected)
    assert len(expected) > 1000, "the cases reach broken links of every kind"
