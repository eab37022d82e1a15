"""The shipped headers, applied for real: the built site is served with the rules of the
generated site/_headers file (as Cloudflare Pages and Netlify apply them) and every page type
is driven in Chromium, failing on any Content-Security-Policy violation or page error."""
from __future__ import annotations

import base64
import functools
import hashlib
import re
import subprocess
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

from clinic_site import clinic_settings, guard, headers
from clinic_site.editor import bundle
from clinic_site.editor import config as editor_config
from clinic_site.project import Project, Settings
from devtools.project_copy import copy_project
from tests.harness import PROJECT_ROOT, StaticServer, build_site, is_redirect_stub, project_clinic, type_search

SECURITY = ["Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
            "X-Frame-Options", "Referrer-Policy", "Permissions-Policy"]
# Names that change when the content does: Material's bundles (a hash of the file), and the site
# search's shards and page files (a hash of the whole index they belong to: test_site_search.py).
HASHED_NAME = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$|^/search-index/(terms|pages)/[0-9a-f]{10}-\d+\.json$")

# Runs in every page before its own scripts: keeps each CSP violation on window and
# reports it to the test, which also survives the page navigating away (redirect pages).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const text = `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`;
  window.__cspViolations.push(text);
  window.__reportViolation && window.__reportViolation(text);
});
"""


# ---- The _headers format (Cloudflare Pages; Netlify reads the same file) ----

def parse_headers_file(text: str) -> list[tuple[re.Pattern, list[tuple[str, str]]]]:
    """Rules as (compiled path pattern, [(name, value) or ("!", name)]), in file order."""
    rules: list[tuple[re.Pattern, list]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():  # a path pattern: * matches anything, :name one segment
            regex = "".join(".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
                            for part in re.split(r"(\*|:[A-Za-z]\w*)", line.strip()))
            rules.append((re.compile(regex + r"\Z"), []))
        elif line.strip().startswith("!"):
            rules[-1][1].append(("!", line.strip()[1:].strip()))
        else:
            name, _, value = line.strip().partition(":")
            assert value, f"not a 'Name: value' line: {line!r}"
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules, path: str) -> dict[str, str]:
    """What the host sends for `path`: every matching rule, in order; a header set twice is
    joined with a comma, '! Name' removes what earlier rules set."""
    result: dict[str, str] = {}
    for pattern, entries in rules:
        if pattern.match(path):
            for name, value in entries:
                if name == "!":
                    result = {k: v for k, v in result.items() if k.lower() != value.lower()}
                else:
                    key = next((k for k in result if k.lower() == name.lower()), name)
                    result[key] = f"{result[key]}, {value}" if key in result else value
    return result


def serve(site_dir: Path, rules) -> StaticServer:
    """The built folder as a static host serves it: the _headers rules on every response,
    404.html for a missing page, and the _headers file itself not served."""
    return StaticServer(site_dir, headers_for=functools.partial(headers_for, rules), host_404=True)


@pytest.fixture(scope="module")
def headers_text(site_dir) -> str:
    return (site_dir / "_headers").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shipped_rules(headers_text):
    return parse_headers_file(headers_text)


@pytest.fixture(scope="module")
def csp(site_dir, shipped_rules) -> str:
    return headers_for(shipped_rules, "/")["Content-Security-Policy"]


@pytest.fixture(scope="module")
def headers_url(site_dir, shipped_rules):
    with serve(site_dir, shipped_rules) as server:
        yield server.url


# ---- A browser that records every problem ----

class Visit:
    """A fresh Chromium context on one server, recording CSP violations, CSP and
    Permissions-Policy console messages, page errors, and every response."""

    def __init__(self, browser, base_url: str, **context_args):
        self.base_url = base_url
        self.violations: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.responses = []
        self.context = browser.new_context(base_url=base_url, **context_args)
        self.context.expose_binding("__reportViolation", lambda source, text: self.violations.append(text))
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.context.on("console", self._on_console)
        self.context.on("response", lambda response: self.responses.append(response))
        self.context.on("page", lambda page: page.on("pageerror", lambda error: self.errors.append(str(error))))
        self.page = self.context.new_page()

    def _on_console(self, message):
        text = message.text
        if message.type == "error" or re.search(r"Content.Security.Policy|Refused to|Permissions.Policy", text, re.I):
            self.console.append(f"{message.type}: {text}")

    def goto(self, path: str, status: int = 200):
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response and response.status)
        self.page.wait_for_load_state("load")
        return response

    def problems(self) -> list[str]:
        if not self.page.is_closed() and self.page.url.startswith(self.base_url):
            on_window = self.page.evaluate("window.__cspViolations || []")
            self.violations += [v for v in on_window if v not in self.violations]
        return self.violations + self.console + self.errors

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, headers_url):
    visits = []

    def start(**context_args) -> Visit:
        visits.append(Visit(browser, headers_url, **context_args))
        return visits[-1]
    yield start
    for v in visits:
        v.close()


def first_dir(folder: Path, skip=()) -> str:
    return next(p.name for p in sorted(folder.iterdir()) if p.is_dir() and p.name not in skip)


# Listing pages are therapists/<id>/, one per listing file (docs/therapists/listings/<id>.yml).
LISTING_IDS = sorted(p.stem for p in (PROJECT_ROOT / "docs/therapists/listings").glob("*.yml"))


def page_paths(site_dir: Path) -> dict[str, str]:
    """One address of each page type, taken from the built site."""
    return {
        "home": "/",
        "guide page": "/guide/circulation-and-swelling/",
        "blog post": "/blog/2026/11/02/medical-massage-and-physical-therapy/",
        "blog index": "/blog/",
        "blog category": "/blog/category/clinic-news/",
        "blog archive": "/blog/archive/2026/",
        "person": "/people/" + first_dir(site_dir / "people") + "/",
        "therapist directory": "/therapists/",
        "listing": "/therapists/" + LISTING_IDS[0] + "/",
        "city": "/therapists/cities/" + first_dir(site_dir / "therapists" / "cities") + "/",
    }


PAGE_TYPES = ["home", "guide page", "blog post", "blog index", "blog category", "blog archive",
              "person", "therapist directory", "listing", "city"]


# ---- Chromium on the site with the shipped headers ----

@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_renders_with_no_csp_violation(visit, site_dir, csp, page_type):
    v = visit()
    v.goto(page_paths(site_dir)[page_type])
    expect(v.page.locator("article h1, .md-content h1").first).to_be_visible()
    # Material's own script ran: it fills in the header title and the back-to-top button.
    expect(v.page.locator("[data-md-component=header-title]")).to_be_attached()
    assert v.page.evaluate("typeof __md_get") == "function", "Material's inline start-up script did not run"
    assert v.problems() == []
    assert_served_with_headers(v.responses, v.base_url, csp)


def test_site_search_works_under_the_policy(visit, csp):
    v = visit()
    v.goto("/")
    type_search(v.page, "effleurage")
    first = v.page.locator("li.md-search-result__item > a.md-search-result__link").first
    expect(first).to_be_visible()
    assert "guide/circulation-and-swelling/" in first.get_attribute("href")
    assert v.problems() == []   # no WebAssembly, no worker, nothing inline: the policy allows nothing more
    assert "wasm" not in csp and "unsafe" not in csp
    served = {urlsplit(r.url).path: r for r in v.responses}
    assert "/search-index/index.json" in served, "the site search never fetched its list of shards"
    assert served["/search-index/index.json"].all_headers()["cache-control"] == "no-cache"
    fetched = [path for path in served if path.startswith(("/search-index/terms/", "/search-index/pages/"))]
    assert {path.split("/")[2] for path in fetched} == {"terms", "pages"}, fetched
    for path in fetched:   # named by a hash of the index: kept a year
        assert served[path].all_headers()["cache-control"] == "public, max-age=31536000, immutable", path
    assert_served_with_headers(v.responses, v.base_url, csp)


def test_the_policy_allows_the_sites_own_scripts_and_nothing_broader(csp):
    """script-src is the site itself and the hashes of its inline scripts: no 'unsafe-eval', no
    'wasm-unsafe-eval' (the search runs no WebAssembly), no 'unsafe-inline', no other host."""
    [script_src] = [part.split()[1:] for part in csp.split("; ") if part.startswith("script-src ")]
    assert script_src[:1] == ["'self'"]
    assert all(source.startswith("'sha256-") for source in script_src[1:]), script_src


def test_the_404_page_is_served_with_the_headers(visit, csp):
    """A missing page inside a folder of the site gets the site's policy with the 404 page. (A
    missing address at the top, such as /no-such-page/, matches no folder's rule and gets the
    other headers only: see headers.csp_paths; the 404 page is guarded like every page.)"""
    v = visit()
    response = v.goto("/guide/no-such-page/", status=404)
    expect(v.page.get_by_role("heading", name=re.compile("can't find that page"))).to_be_visible()
    assert response.all_headers()["content-security-policy"] == csp
    assert v.page.evaluate("typeof __md_get") == "function"
    # Chromium logs the page's own 404 status as a console error; nothing else may appear.
    assert [p for p in v.problems() if "status of 404" not in p] == []
    assert [r.url for r in v.responses if r.status != 200] == [response.url]
    assert_served_with_headers(v.responses, v.base_url, csp)


def test_a_redirect_page_forwards_with_no_csp_violation(visit, site_dir, csp):
    stubs = sorted(p for p in site_dir.rglob("index.html") if is_redirect_stub(p.read_text(encoding="utf-8")))
    assert stubs, "mkdocs.yml has redirect_maps, so the build has redirect pages"
    old = "/" + stubs[0].parent.relative_to(site_dir).as_posix() + "/"
    v = visit()
    # Its inline script (location.href=...) must be allowed, or Chromium would log a
    # violation before the meta refresh takes over.
    with v.page.expect_navigation(url=re.compile(r"/blog/2026/11/02/medical-massage-and-physical-therapy/$")):
        v.page.goto(old)
    expect(v.page.locator("article h1")).to_be_visible()
    assert v.problems() == []
    assert_served_with_headers(v.responses, v.base_url, csp)


def test_the_therapist_finder_sorts_and_filters_under_the_policy(visit, csp):
    v = visit()
    v.goto("/therapists/")
    items = v.page.locator("#finder-list > li:not([hidden])")
    v.page.get_by_label("Within").select_option("any")
    v.page.get_by_label("ZIP code").press_sequentially("80206", delay=20)
    v.page.get_by_role("button", name="Search", exact=True).click()
    expect(v.page.locator("#finder-count")).to_contain_text("ZIP 80206")
    expect(items.first).to_be_visible()
    total = items.count()
    assert total > 1
    paths = [urlsplit(r.url).path for r in v.responses]
    assert any(path.startswith("/therapists/zip/") for path in paths), "no ZIP shard fetched"
    assert any(path.startswith("/therapists/data/") for path in paths), "no listings data file fetched"
    v.page.get_by_label("Specialty").select_option(index=1)
    expect(items).not_to_have_count(total)
    assert items.count() > 0
    assert v.problems() == []
    assert_served_with_headers(v.responses, v.base_url, csp)


def test_use_my_location_is_allowed_for_the_site_itself(visit):
    # Permissions-Policy: geolocation=(self) must still let the finder ask for a position.
    v = visit(geolocation={"latitude": 47.61, "longitude": -122.33}, permissions=["geolocation"])
    v.goto("/therapists/")
    assert v.page.evaluate("document.featurePolicy ? document.featurePolicy.allowsFeature('geolocation') : true")
    assert not v.page.evaluate("document.featurePolicy ? document.featurePolicy.allowsFeature('camera') : false")
    v.page.get_by_role("button", name="Use my location").click()
    expect(v.page.locator("#finder-count")).to_contain_text("of your location")
    assert v.problems() == []


def test_the_check_catches_a_blocked_inline_script(browser, site_dir, shipped_rules):
    """The same checks fail when a page's inline scripts are not allowed: one page is served
    with an extra, stricter policy (a second CSP header, as a host would add it)."""
    stub = "/how-medical-massage-can-complement-physical-therapy/"
    stricter = parse_headers_file(f"/guide/\n  Content-Security-Policy: script-src 'self'\n"
                                  f"{stub}\n  Content-Security-Policy: script-src 'self'\n")
    with serve(site_dir, shipped_rules + stricter) as server:
        v = Visit(browser, server.url)
        v.goto("/guide/")
        problems = v.problems()
        assert any("script-src" in text for text in v.violations), problems
        assert any("Content Security Policy" in text for text in v.console), problems
        v.goto("/about/")  # the other pages keep passing
        assert v.page.evaluate("window.__cspViolations") == []
        # A violation on a page that moves on at once (a redirect page) is still caught.
        v.violations.clear()
        with v.page.expect_navigation(url=re.compile(r"/blog/2026/11/02/")):
            v.page.goto(stub)
        assert v.violations == [f"script-src-elem blocked inline on {stub}"]
        v.close()


def assert_served_with_headers(responses, base_url: str, csp: str):
    """Every response the browser got from the site carries the headers."""
    ours = [r for r in responses if r.url.startswith(base_url)]
    assert ours
    for response in ours:
        path = urlsplit(response.url).path
        sent = response.all_headers()  # names in lower case
        # Chromium does not always report Strict-Transport-Security on a plain-http response
        # to Playwright (it only applies over https), so that one is checked on the wire below.
        missing = [name for name in SECURITY if name.lower() not in sent and name != "Strict-Transport-Security"]
        assert not missing, f"{path} lacks {missing}"
        assert sent["content-security-policy"] == csp, path
        if re.match(r"/assets/(javascripts/bundle\.|javascripts/workers/|stylesheets/)", path):
            assert sent.get("cache-control") == "public, max-age=31536000, immutable", path
        elif "text/html" in sent.get("content-type", ""):
            assert "immutable" not in sent.get("cache-control", ""), path
    for path in sorted({urlsplit(r.url).path for r in ours}):
        try:
            sent = urllib.request.urlopen(base_url + path).headers
        except urllib.error.HTTPError as error:  # the 404 page
            sent = error.headers
        assert sent["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", path


# ---- The generated files themselves ----

def test_headers_file_sets_every_header_once_per_address(site_dir, shipped_rules):
    # Cloudflare joins a header set by two matching rules with a comma: that would break
    # single-valued headers, so no address may get one twice.
    for path in ["/", "/guide/", "/assets/javascripts/bundle.x.min.js", "/assets/stylesheets/main.x.min.css",
                 "/search-index/index.json", "/search-index/terms/0a1b2c3d4e-0.json", "/therapists/zip/80.json",
                 "/sitemap.xml", "/feed_rss_created.xml"]:
        names = [name.lower() for pattern, entries in shipped_rules if pattern.match(path) for name, _ in entries]
        assert len(names) == len(set(names)), (path, names)
        assert set(SECURITY) <= {k for k in headers_for(shipped_rules, path)}, path


def test_policy_is_strict_and_allows_every_inline_script_of_the_site(site_dir, csp):
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    for name, value in [("default-src", "'self'"), ("img-src", "'self' data:"), ("font-src", "'self'"),
                        ("connect-src", "'self'"), ("frame-ancestors", "'none'"), ("base-uri", "'self'"),
                        ("form-action", "'self'"), ("object-src", "'none'")]:
        assert directives[name] == value, name
    assert [source for source in csp.split() if "unsafe" in source] == []
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    allowed = set(directives["script-src"].split())
    # Checked independently of scripts/clinic_site/headers.py: every script a browser would run inline.
    for html in site_dir.rglob("*.html"):
        # Parsed as a browser parses it (lexbor: the HTML standard's rules, \r\n read as \n before hashing).
        for script in LexborHTMLParser(html.read_text(encoding="utf-8")).css("script"):
            if script.attributes.get("src") or \
                    (script.attributes.get("type") or "text/javascript") not in ("text/javascript", "module"):
                continue
            digest = base64.b64encode(hashlib.sha256(script.text().encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, f"{html.relative_to(site_dir)}: inline script not allowed"
    assert len("Content-Security-Policy: " + csp) <= headers.MAX_HEADER_CHARS


def test_long_cache_lifetimes_only_for_files_with_a_content_hash(site_dir, shipped_rules):
    immutable = []
    for file in site_dir.rglob("*"):
        if file.is_file():
            path = "/" + file.relative_to(site_dir).as_posix()
            if "immutable" in headers_for(shipped_rules, path).get("Cache-Control", ""):
                immutable.append(path)
                assert HASHED_NAME.search(path), f"{path} has no content hash but would be cached for a year"
            else:
                assert not HASHED_NAME.search(path), f"{path} has a content hash but no long cache lifetime"
    assert any(p.endswith(".min.js") for p in immutable) and any(p.endswith(".min.css") for p in immutable)


def test_netlify_toml_matches_the_headers_module():
    config = tomllib.loads((PROJECT_ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "site"
    assert config["build"]["command"].endswith(".venv/bin/clinic build")
    assert config["headers"] == headers.netlify_rules(), \
        "run `python scripts/clinic_site/headers.py` and paste its output"
    # Netlify prefers netlify.toml over _headers: a CSP here would replace the build's hashes.
    assert not any("Content-Security-Policy" in rule["values"] for rule in config["headers"])


def test_the_build_writes_the_headers_file_from_the_module(headers_text, csp, site_dir):
    settings, _ = Settings.read(Project.find(PROJECT_ROOT / "mkdocs.yml"))
    cms, _ = editor_config.for_project(settings)
    assert cms is not None
    admin_policy = bundle.policy(editor_config.api_origin(cms["backend"]))   # the editor's own (test_editor.py)
    assert headers_text == headers.headers_file(csp, admin_policy, headers.csp_paths(site_dir))


def test_every_address_gets_one_policy_the_editors_only_under_admin(headers_text, csp, site_dir):
    """Read as a host that merges every matching rule and knows no way to take a header back
    (Netlify; Cloudflare Pages merges too): each published file, the root and a missing page's
    address get at most one Content-Security-Policy; every page and document the site's, every
    file under admin/ the editor's, never both."""
    assert not [line for line in headers_text.splitlines() if line.strip().startswith("!")]
    rules = parse_headers_file(headers_text)
    admin = headers_for(rules, "/admin/")["Content-Security-Policy"]
    assert admin != csp and "'unsafe-eval'" in admin and "'unsafe-eval'" not in csp
    addresses = ["/", "/admin/", "/no-such-page/", "/guide/no-such-page/"] + [
        "/" + path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file()]
    for address in addresses:
        sent = headers_for(rules, address)
        policy = sent.get("Content-Security-Policy")
        assert policy in (None, csp, admin), f"{address} gets two policies at once: {policy}"
        if address.startswith("/admin/"):
            assert policy == admin, address
        elif address.endswith((".html", ".xml", ".svg", "/")) and address not in ("/no-such-page/",):
            assert policy == csp, address
        assert sent["X-Content-Type-Options"] == "nosniff", address


def test_inline_code_counts_only_what_a_browser_runs():
    page = (b'<script src="/a.js"></script><script type="application/ld+json">{"a": 1}</script>'
            b'<script id="__config" type="application/json">{}</script><script>run()\r\n</script>'
            b'<script type="module">go()</script><style>p{}</style><p style="color: &quot;red&quot;">x</p>')
    scripts, styles, attributes = guard.inline_code(page)
    # As a browser reads them: the HTML parser turns \r\n into \n before the CSP hash is taken.
    assert scripts == {"run()\n", "go()"}
    assert styles == {"p{}"} and attributes == set()
    assert guard.csp_hash("run()\r\n") == guard.csp_hash("run()\n")
    policy = headers.content_security_policy(scripts, styles, attributes)
    assert guard.csp_hash("run()\n") in policy and "'unsafe-hashes'" not in policy


def test_style_attributes_are_refused_in_any_case_and_spacing():
    """A style attribute is never the site's own (the theme writes none): the guard refuses it,
    however it is written, and the word "style" elsewhere is no attribute."""
    own = guard.SiteCode(styles=frozenset({"p{}"}))
    for written in ('<P STYLE = "a:1">x</P>', "<div\n\tstyle='b:2'>x</div>", '<svg><rect style="fill:red"/></svg>'):
        found = guard.unlisted_code("<style>p{}</style>" + written, "a/index.html", own)
        assert [what for what, _needle in found if "style attribute" in what], written
    plain = '<style>p{}</style><link rel="stylesheet" href="/a.css"><p>style = plain; stylish= text</p>'
    assert guard.unlisted_code(plain, "a/index.html", own) == []


# ---- The policy lists the site's own code, and content cannot add to it ----

def template_sources() -> dict[str, str]:
    """Every template that may hold inline code: Material's, the project's overrides, and the
    redirects plugin's page (a Python string)."""
    import material
    import mkdocs_redirects.plugin as redirects
    folders = [Path(material.__file__).parent / "templates", PROJECT_ROOT / "overrides"]
    found = {str(file): file.read_text(encoding="utf-8") for folder in folders for file in folder.rglob("*.html")}
    found["mkdocs_redirects/plugin.py"] = redirects.HTML_TEMPLATE.replace("{url}", "{{ url }}")
    return found


def from_a_template(code: str, sources: dict[str, str]) -> str | None:
    """The template whose <script> or <style> text, with each Jinja {{ … }} standing for a plain
    value (no quote, no angle bracket), is `code`; None if no template holds it."""
    for name, text in sources.items():
        for body in re.findall(r"<(?:script|style)>(.*?)</(?:script|style)>", text, re.S):
            pattern = "".join(r"[^\"'<>]*" if part.startswith("{{") else re.escape(part)
                              for part in re.split(r"(\{\{.*?\}\})", body, flags=re.S))
            if re.fullmatch(pattern, code, re.S):
                return name
    return None


def test_policy_lists_only_the_inline_code_of_the_templates_that_pages_use(site_dir, csp):
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    listed = set(re.findall(r"'sha256-[^']+'", directives["script-src"] + " " + directives["style-src"]))
    used: dict[str, str] = {}
    for page in site_dir.rglob("*.html"):
        for element in LexborHTMLParser(page.read_text(encoding="utf-8")).css("script, style"):
            if element.tag == "script" and (element.attributes.get("src") or element.attributes.get(
                    "type", "text/javascript") in ("application/json", "application/ld+json")):
                continue
            used[guard.csp_hash(element.text())] = element.text()
    assert listed == set(used), "the CSP lists code no page uses, or a page uses code the CSP does not list"
    sources = template_sources()
    for digest, code in used.items():
        assert from_a_template(code, sources), f"{digest} is not code from a template: {code[:80]!r}"
    assert "'unsafe-hashes'" not in csp, "no page has a style attribute, so none is allowed"


@pytest.fixture(scope="module")
def inline_script_build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`clinic build` of a copy of the project with a copied SVG and a copied page that each hold
    an inline script, and its site folder: built once for the module (the build is the same
    whichever engine's CSP the test compares it with)."""
    project = copy_project(tmp_path_factory.mktemp("inline-script") / "project")
    (project / "docs/assets/badge.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(2)</script></svg>', encoding="utf-8")
    (project / "docs/assets/widget.html").write_text(
        "<!doctype html><title>x</title><script>alert(1)</script>", encoding="utf-8")
    return build_site(project / "site", project / "mkdocs.yml"), project


def test_a_page_that_adds_inline_script_stops_the_build_and_adds_no_hash(inline_script_build, csp):
    """Content that would add inline script reaches the written site only through files copied as
    they are (a title with a tag is refused as written: test_attack_corpus.py): the build stops
    naming each, publishes nothing, and the session's CSP lists no hash of their code."""
    built, project = inline_script_build
    output = built.stdout + built.stderr
    assert built.returncode != 0, output
    assert "docs/assets/badge.svg, line 1: the published file assets/badge.svg has an SVG <script> element" in output
    assert "docs/assets/widget.html, line 1: the built page assets/widget.html holds an inline script" in output
    assert not any((project / "site").iterdir()), "a failed build publishes nothing, _headers included"
    assert guard.csp_hash("alert(1)") not in csp and guard.csp_hash("alert(2)") not in csp


def engine_config():
    """MkDocs' configuration of the project, with what the stage gives templates."""
    from mkdocs.config import load_config

    from clinic_site.stage import _details_values
    config = load_config(str(PROJECT_ROOT / "mkdocs.yml"))
    config.extra["clinic_details"] = _details_values(clinic_settings.clinic_details(project_clinic()))
    return config


def test_site_code_comes_from_templates_and_settings_not_from_pages(tmp_path):
    """site_code is computed before pages are written: the same for a site whose page holds a
    script, and it lists Material's start-up script once per page depth."""
    from mkdocs.commands.build import get_files

    from clinic_site.engines.mkdocs.theme_code import site_code
    config = engine_config()
    env = config.theme.get_env()
    files = get_files(config)
    files.add_files_from_theme(env, config)
    code = site_code(env, config, files)
    starts = {script for script in code.scripts if script.startswith("__md_scope=new URL(")}
    depth = max(file.dest_uri.count("/") for file in files)
    assert len(starts) == depth + 2  # "/", ".", "..", … one per folder level
    assert any(style.strip().startswith(":root") and project_clinic()["colors"]["primary"] in style
               for style in code.styles)
    assert any(path.startswith("assets/javascripts/bundle.") for path in code.script_files)
    assert {"assets/a11y.js", "assets/finder.js"} <= code.script_files


def test_a_setting_that_opens_a_script_in_a_template_is_not_listed_as_the_sites_code():
    """Colours reach templates only as checked colour codes (clinic_details: the default where the
    block's is not one); should a value still slip through and break out of main.html's <style>,
    site_code refuses to list what it opened."""
    from mkdocs.commands.build import get_files
    from mkdocs.exceptions import PluginError

    from clinic_site.engines.mkdocs.theme_code import site_code
    attack = "red;}</style><script>alert(1)</script><style>"
    checked = clinic_settings.clinic_details({"colors": {"primary": "#123456", "accent": attack}})
    assert checked.colors == {"primary": "#123456", "accent": clinic_settings.DEFAULT_COLORS["accent"]}
    config = engine_config()
    config.extra["clinic_details"]["colors"]["accent"] = attack
    env = config.theme.get_env()
    with pytest.raises(PluginError, match="main.html opens a <script> or <style> of its own"):
        site_code(env, config, get_files(config))


OWN = guard.SiteCode(scripts=frozenset({"own()"}), styles=frozenset({"p{}"}),
                       script_files=frozenset({"assets/own.js"}), root="/")
ATTACKS = {
    "plain inline script": "<script>alert(1)</script>",
    "upper case, attributes": '<SCRIPT defer>alert(1)</SCRIPT >',
    "slash for a space": "<script/x>alert(1)</script>",
    "data-type is not type": '<script data-type="application/json">alert(1)</script>',
    "unknown type counts": '<script type="text/x-whatever">alert(1)</script>',
    "closed by </script/>": "<script>alert(1)</script/>",
    "never closed": "<p>x</p><script>alert(1)",
    "inside a comment": "<!--><script>alert(1)</script>-->",
    "inside a textarea": "<textarea><script>alert(1)</script></textarea>",
    "own script with another after it": "<script>own()</script><script>own();alert(1)</script>",
    "script file of another host": '<script src="https://evil.example/x.js"></script>',
    "script file from docs": '<script src="../assets/evil.js"></script>',
    "svg script href": '<svg><script href="data:text/javascript,alert(1)"></script></svg>',
    "event handler": '<img src="x.png" onerror="alert(1)">',
    "event handler after a quoted >": '<a title=">" onclick="alert(1)">x</a>',
    "event handler, upper case, slash": "<svg/ONLOAD=alert(1)>",
    "javascript: link": '<a href="javascript:alert(1)">x</a>',
    "javascript: with entities and a tab": '<a href="jav&#x09;ascript&colon;alert(1)">x</a>',
    "javascript: after spaces": '<a href=" \x01javascript:alert(1)">x</a>',
    "vbscript: link": "<a href='vbscript:msgbox(1)'>x</a>",
    "data: page link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "form action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "svg xlink:href": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg animate sets href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>x</a></svg>',
    "svg set sets href": '<svg><a><set attributeName="xlink:href" to="https://x"/>x</a></svg>',
    "iframe": '<iframe src="/x/"></iframe>',
    "object": '<object data="/x.swf"></object>',
    "base": '<base href="https://evil.example/">',
    "foreign style": "<style>body{display:none}</style>",
    "style attribute": '<p style="color:red">x</p>',
}


@pytest.mark.parametrize("name", ATTACKS)
def test_unlisted_code_finds_each_attack(name):
    page = "<!doctype html><html><head><script>own()</script><style>p{}</style></head><body>" + ATTACKS[name]
    assert guard.unlisted_code(page, "guide/index.html", OWN), name


def test_unlisted_code_accepts_the_sites_own_code_and_plain_markup():
    page = ('<script>own()</script><style>p{}</style><script src="../assets/own.js"></script>'
            '<script src="/assets/own.js" defer></script><script type="application/ld+json">{"a": "b"}</script>'
            '<img src="data:image/png;base64,AAAA" alt=""><a href="../x/" title="on=off">onion=1</a>'
            '<p>Write &lt;script&gt; or onclick= in text.</p>')
    assert guard.unlisted_code(page, "guide/index.html", OWN) == []


def test_the_output_guard_names_where_foreign_code_was_written():
    """guard.OutputGuard, as the build and the check both run it: code in a written page is
    named with its source's line and front matter field; a copied file by its own path; the
    site's own code counts towards the CSP and is no problem."""
    from clinic_site.sources import parse_source

    source = parse_source("---\ntitle: 'A</title><script>alert(1)</script>'\n---\n\n# A\n", "docs/a.md")
    own = guard.SiteCode(scripts=frozenset({"var own=1"}))
    output_guard = guard.OutputGuard(own, {"a.md": source}, shared=[], copied={"x.svg": "docs/x.svg"})
    page = "<title>A</title><script>alert(1)</script></title><script>var own=1</script>"
    output_guard.page("a/index.html", page, "a.md")
    output_guard.page("x.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(2)"/>', shown="docs/x.svg")
    assert sorted((problem.path, problem.line, problem.field) for problem in output_guard.problems()) == \
        [("docs/a.md", 2, "title"), ("docs/x.svg", 1, "")]
    assert output_guard.flagged() == {"a/index.html", "x.svg"}
    assert output_guard.used().scripts == {"var own=1"}
    boxed = guard.with_problem_box("<body><article class='md-content__inner'>Text", "<div>box</div>")
    assert boxed == "<body><article class='md-content__inner'><div>box</div>Text"
