"""The site's policy per top-level folder and page (headers.csp_paths, with the editor on), read as a
host reads _headers: a name with a character that rule patterns give a meaning to (`:name` a
placeholder, `*` a splat, a space ends the pattern) must never make a rule that also matches
/admin/ (two policies there: the stricter site's stops the editor) or that misses its own files.
Fast: a small site folder made here, no build."""
from __future__ import annotations

from pathlib import Path

import pytest

from clinic_site import guard, headers
from tests.test_security_headers import headers_for, parse_headers_file

ADMIN_POLICY = "default-src 'self'; script-src 'self' 'unsafe-eval'"


def site_with(tmp_path: Path, *names: str) -> Path:
    site = tmp_path / "site"
    for path in ("index.html", "404.html", "sitemap.xml", "guide/index.html", "admin/index.html", *names):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("<!doctype html><title>x</title>", encoding="utf-8")
    return site


@pytest.mark.parametrize("name", [":lang/index.html", "a*/index.html", "*.html", "a b/index.html",
                                  "%61dmin/index.html", "x:y.html", "new!/index.html"])
def test_a_name_the_rules_would_misread_is_a_problem_not_a_rule(tmp_path, name):
    site = site_with(tmp_path, name)
    problems = headers.write_headers_file(site, guard.SiteCode(), admin_csp=ADMIN_POLICY, docs_shown="docs")
    top = name.split("/")[0]
    assert len(problems) == 1 and not (site / "_headers").exists()
    [problem] = problems
    assert problem.path == f"docs/{top}"
    assert "rename" in problem.fix and repr(top) in problem.what


def test_every_file_of_a_safe_site_gets_exactly_one_policy(tmp_path):
    site = site_with(tmp_path, "administration/index.html", "admin-old.html", "feed_rss_created.xml",
                     "café/index.html", "a.b-c_d~e/x.svg")
    assert headers.write_headers_file(site, guard.SiteCode(), admin_csp=ADMIN_POLICY) == []
    rules = parse_headers_file((site / "_headers").read_text(encoding="utf-8"))
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.name != "_headers":
            address = "/" + path.relative_to(site).as_posix()
            policy = headers_for(rules, address).get("Content-Security-Policy")
            assert policy is not None and ", " not in policy, address
            assert (policy == ADMIN_POLICY) == address.startswith("/admin/"), address


def test_a_top_level_page_has_the_policy_at_its_address_without_html_too(tmp_path):
    """Cloudflare Pages (and Netlify's pretty URLs) serve /404.html and /privacy.html at /404 and
    /privacy (redirecting the .html address there): the page is served at the address without .html."""
    site = site_with(tmp_path, "privacy.html", "Thanks.HTML")
    assert headers.write_headers_file(site, guard.SiteCode(), admin_csp=ADMIN_POLICY) == []
    rules = parse_headers_file((site / "_headers").read_text(encoding="utf-8"))
    for address in ("/404", "/privacy", "/404.html", "/privacy.html", "/", "/index.html", "/Thanks.HTML"):
        policy = headers_for(rules, address).get("Content-Security-Policy")
        assert policy is not None and policy != ADMIN_POLICY and ", " not in policy, address


def test_every_top_level_file_and_folder_but_the_editors_carries_the_site_policy(tmp_path):
    """csp_paths over a built folder with every kind of top-level entry: a page (also at its
    address without .html), a feed, a data file the theme fetches, a file with no suffix
    (GitHub Pages' CNAME), a folder; never the editor's admin/ nor the _headers file itself."""
    for name in ("index.html", "404.html", "feed_rss_created.xml", "redirect.json", "CNAME", "_headers"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    for folder in ("guide", "admin"):
        (tmp_path / folder).mkdir()
    assert headers.csp_paths(tmp_path) == ["/", "/404.html", "/404", "/CNAME", "/feed_rss_created.xml",
                                           "/guide/*", "/index.html", "/redirect.json"]
