"""The browser editor at /admin/ (Decap CMS, scripts/clinic_site/editor/).

Unit: the generated config's choices are the vocabulary's, its required fields the schema's, ZIPs
and dates are text, Markdown is edited raw, and no local backend unless the development command
asks. Build: the published admin/ is exactly the editor's files (pinned hashes), with noindex, its
own policy, out of robots.txt, the sitemap and the search index. Browser (one session): the
published /admin/ requests nothing from another host and axe finds nothing at 1280 px (nor on the forms below); `clinic
edit` against a throwaway copy creates a listing and a post through the forms, refuses a listing
without a phone, and what it writes passes `clinic check`, which refuses the files put in
docs/admin/ of the same copy.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from clinic_site.editor import bundle, config, develop
from clinic_site.finder import schema
from clinic_site.finder.vocabulary import LISTS, load_vocabulary
from clinic_site.project import Project, Settings
from clinic_site.us_states import US_STATES
from devtools.project_copy import copy_project
from tests import harness
from tests.harness import PROJECT_ROOT
from tests.test_accessibility import AXE_SCRIPT, describe, run_axe

VOCABULARY = PROJECT_ROOT / "docs/therapists/vocabulary.yml"


def generated(local: str | None = None) -> dict:
    """The config as the build writes it, read back from its YAML text (which has no aliases:
    Decap would share one object between the fields that name it)."""
    settings, problems = Settings.read(Project.find(PROJECT_ROOT / "mkdocs.yml"))
    cms, found = config.for_project(settings, local)
    assert cms is not None and not found, found
    text = config.config_yaml(cms)
    assert not [event for event in yaml.parse(text) if isinstance(event, yaml.AliasEvent)]
    return yaml.safe_load(text)


def collection(cms: dict, name: str) -> dict:
    return next(item for item in cms["collections"] if item["name"] == name)


def test_listing_form_is_the_schema_and_the_vocabulary():
    fields = {field["name"]: field for field in collection(generated(), "listings")["fields"]}
    vocabulary, problems = load_vocabulary(VOCABULARY, "vocabulary.yml")
    assert vocabulary is not None and not problems
    assert list(fields) == [field.name for field in schema.FIELDS]
    for name in LISTS:
        assert [option["value"] for option in fields[name]["options"]] == list(vocabulary.terms(name).labels)
        assert fields[name]["multiple"] is True
    for name in ("license_state", "state"):
        assert {option["value"] for option in fields[name]["options"]} == set(US_STATES)
    required = {name for name, field in fields.items() if field["required"]}
    assert required == {field.name for field in schema.FIELDS if field.required} - set(schema.FROM_CLINIC)
    assert fields["phone"]["required"] is True
    # What YAML could read as a number is typed as text; dates are picked and written YYYY-MM-DD.
    assert fields["zip"]["widget"] == "string" and re.fullmatch(fields["zip"]["pattern"][0], "01234")
    assert fields["phone"]["widget"] == "string"
    for field in schema.FIELDS:
        if field.type == "date":
            assert fields[field.name]["widget"] == "datetime"
            assert fields[field.name]["format"] == "YYYY-MM-DD" and fields[field.name]["time_format"] is False


def test_markdown_is_edited_raw_and_clinic_yml_is_not_offered():
    cms = generated()
    bodies = [field for item in cms["collections"] for field in item["fields"] if field["widget"] == "markdown"]
    assert len(bodies) == 2 and all(field["modes"] == ["raw"] for field in bodies)
    assert all("clinic.yml" not in str(item.get("file", "")) for item in cms["collections"])
    guide = collection(cms, "guide")
    assert {"reviewed_by", "last_reviewed", "next_review"} <= {field["name"] for field in guide["fields"]}


def test_local_backend_only_when_the_development_command_asks():
    assert "local_backend" not in generated()
    assert generated("http://127.0.0.1:9/api/v1")["local_backend"] == {"url": "http://127.0.0.1:9/api/v1"}


class _Settings:
    """Just what config.backend reads of clinic_site.project.Settings."""

    def __init__(self, extra: dict, repo_url: str = "https://github.com/riverbend/site"):
        self.extra, self.data = extra, {"repo_url": repo_url}
        self.project = type("P", (), {"config_file": "mkdocs.yml", "shown": staticmethod(str)})()

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def line_of(self, needle: str) -> int:
        return 7


def test_the_git_host_is_the_repositorys_or_the_one_mkdocs_yml_names():
    block, problems = config.backend(_Settings({}))
    assert block == {"backend": "github", "repo": "riverbend/site", "branch": "main"} and not problems
    gitlab = {"backend": "gitlab", "repo": "riverbend/site", "auth_type": "pkce", "app_id": "abc"}
    block, problems = config.backend(_Settings({"editor": gitlab}))
    assert block == {**gitlab, "branch": "main"} and not problems
    assert config.api_origin({"name": "gitlab", **gitlab}) == "https://gitlab.com"
    assert bundle.policy(config.api_origin({"name": "gitlab", **gitlab})).count("https://gitlab.com") == 1
    assert config.backend(_Settings({"editor": False})) == (None, [])
    _, [problem] = config.backend(_Settings({"editor": {"backend": "gitea", "repo": "a/b"}}))
    assert (problem.path, problem.line, problem.field) == ("mkdocs.yml", 7, "extra.editor.api_root")
    _, [problem] = config.backend(_Settings({"editor": {"backend": "github", "repo": "a/b", "token": "x"}}))
    assert problem.field == "extra.editor.token" and "is not an editor setting" in problem.what
    _, [problem] = config.backend(_Settings({}, repo_url="https://git.example.org/a/b"))
    assert problem.field == "extra.editor" and "backend: github" in problem.fix


def test_published_admin_is_exactly_the_editor(site_dir: Path):
    admin = site_dir / "admin"
    installed, problems = bundle.find(PROJECT_ROOT)
    assert installed is not None and not problems
    published = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in admin.iterdir()}
    assert set(published) == set(installed.files) | {"index.html", "config.yml", "admin.css", "admin.js"}
    assert all(published[name] == digest for name, digest in installed.files.items())
    assert bundle.digest(installed.files) == bundle.PINNED_DIGEST
    text = (admin / "config.yml").read_text(encoding="utf-8")
    assert "local_backend" not in yaml.safe_load(text) and "127.0.0.1" not in text and "localhost" not in text
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "connect-src 'self' https://api.github.com;" in policy and "127.0.0.1" not in policy
    assert [script.get("src") for script in page.find_all("script")] == ["decap-cms.js", "admin.js"]
    styles = json.loads(re.search(r"(\[.*?\])\.forEach", (admin / "admin.js").read_text(encoding="utf-8"))[1])
    assert styles and all((admin / style).resolve().is_file() for style in styles)
    # the theme's stylesheet, wherever the engine keeps it (Zensical: assets/stylesheets/classic/)
    assert any(re.fullmatch(r"\.\./assets/stylesheets/(classic/)?main\.[0-9a-f]+\.min\.css", style) for style in styles)
    headers = (site_dir / "_headers").read_text(encoding="utf-8")
    assert "/admin/*\n  Content-Security-Policy: default-src 'self'" in headers
    assert "Disallow: /admin/" in (site_dir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "admin" not in (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    indexed = harness.indexed_pages(site_dir)   # the site search's index
    assert indexed and not [page["url"] for page in indexed if page["url"].startswith("/admin")]
    public = [path for path in site_dir.rglob("*.html") if "admin" not in path.parts]
    assert not [path for path in public if "decap-cms" in path.read_text(encoding="utf-8")]


def test_published_admin_requests_only_its_own_site_and_passes_axe(page: Page, site_url: str):
    requests: list[str] = []
    violations: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/admin/")
    expect(page.get_by_role("button", name=re.compile("Login with GitHub"))).to_be_visible()
    assert requests and all(url.startswith(site_url + "/") for url in requests), requests
    assert not violations
    _assert_axe_finds_nothing(page)
    # Still only its own files once axe is done (the editor is at rest): admin/, decap-cms.js,
    # config.yml, admin.css, admin.js.
    assert {url.removeprefix(site_url) for url in requests} == {
        "/admin/", "/admin/decap-cms.js", "/admin/config.yml", "/admin/admin.css", "/admin/admin.js"}


def _assert_axe_finds_nothing(page: Page) -> None:
    """axe on the editor as it is now. The page's own policy refuses the inline <script> axe is
    usually added with; evaluated through the DevTools protocol, axe runs without changing it."""
    # At rest: Decap's loading bar (a <canvas> at the top of the page) is hidden once it has loaded.
    page.wait_for_function("[...document.querySelectorAll('body > canvas')]"
                           ".every(bar => getComputedStyle(bar).display === 'none')")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0")
    found = run_axe(page)
    assert not found, describe(found)


LISTING = {"id": "jordan-rivers", "name": "Jordan Rivers", "license_number": "MT-4411", "clinic": "Rivers Bodywork",
           "street": "200 Monroe Street", "city": "Springfield", "zip": "62701", "latitude": "39.80",
           "longitude": "-89.65", "license_verified": "2026-11-30", "last_updated": "2026-12-01"}
CHOICES = {"credentials": "Licensed Massage Therapist", "license_state": "Illinois", "state": "Illinois",
           "specialties": "neck and back pain", "payment": "self-pay", "languages": "English"}

# Markdown that a rich-text editor would rewrite: an admonition, an attribute list, a footnote.
BODY = """From January we are open later.[^1]

<!-- more -->

!!! note "Booking"
    Call us to book a visit after work.

[^1]: Monday to Friday.
"""
GUIDE_DESCRIPTION = ("How medical massage may ease pain and tight muscles next to physical therapy, and what the "
                     "research says about it.")


def _field(page: Page, name: str):
    return page.locator(f"[id^='{name}-field-']").first


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_role("menuitem", name="Publish now").click()


def test_the_editor_writes_a_listing_and_a_post_that_pass_the_check(page: Page, tmp_path: Path, site_dir: Path):
    project = copy_project(tmp_path / "project")
    listing = project / "docs/therapists/listings/jordan-rivers.yml"
    guide = project / "docs/guide/pain-relief-and-muscle-relaxation.md"
    guide_before = guide.read_text(encoding="utf-8")
    with develop.session(project, site=site_dir) as url:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        page.get_by_role("button", name="Login").click()
        page.goto(url + "#/collections/listings/new")
        for name, value in LISTING.items():
            _field(page, name).fill(value)
        for name, label in CHOICES.items():
            _field(page, name).fill(label)
            page.keyboard.press("Enter")
        _publish(page)   # no phone yet: the form refuses it
        expect(page.get_by_text("Phone is required.")).to_be_visible()
        assert not listing.exists()
        _assert_axe_finds_nothing(page)   # the form, its errors shown
        _field(page, "phone").fill("217-555-0142")
        _publish(page)   # saved: Decap then opens the entry it wrote
        expect(page).to_have_url(re.compile(r"#/collections/listings/entries/jordan-rivers$"))
        page.goto(url + "#/collections/posts/new")
        _field(page, "title").fill("Evening hours start in January")
        _field(page, "created").fill("2026-12-01")
        for name, label in {"authors": "sam-sample", "categories": "Clinic news"}.items():
            _field(page, name).fill(label)
            page.keyboard.press("Enter")
        _field(page, "description").fill("From January the clinic stays open until seven on weekdays, so you "
                                         "can come after work.")
        body = page.locator(".cms-editor-raw [contenteditable='true']")   # Decap's plain Markdown editor
        body.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        for line in BODY.splitlines():
            page.keyboard.type(line)
            page.keyboard.press("Enter")
        # The preview: the post in the site's own styles (Material's typeset), loaded from this site.
        preview = page.frame_locator("iframe").first.locator("article.md-typeset")
        expect(preview.locator("h1")).to_have_text("Evening hours start in January")
        expect(preview.locator(".admonition, p").first).to_be_visible()
        assert preview.evaluate("e => getComputedStyle(e).getPropertyValue('--md-default-fg-color').trim() !== ''")
        _publish(page)
        expect(page).to_have_url(re.compile(r"#/collections/posts/entries/evening-hours-start-in-january$"))
        # An existing guide page, one field changed: the rest of the file comes back as it was.
        page.goto(url + "#/collections/guide/entries/pain-relief-and-muscle-relaxation")
        page.reload()   # a fresh editor: Decap, sent from one entry to another by address alone, mixes their forms
        description = _field(page, "description")
        expect(description).to_have_value(re.compile("^How medical massage"))
        description.fill(GUIDE_DESCRIPTION)
        expect(page.get_by_text("Unsaved changes")).to_be_visible()
        expect(page.frame_locator("iframe").first.locator("article.md-typeset h1")).to_be_visible()
        _assert_axe_finds_nothing(page)   # a page's form: the Markdown box, the preview
        _publish(page)
        expect(page.get_by_text("Changes saved")).to_be_visible()
    edited = guide.read_text(encoding="utf-8")
    assert edited.split("\n---\n", 1)[1] == guide_before.split("\n---\n", 1)[1]   # the Markdown, unchanged
    meta = yaml.safe_load(edited.split("---\n")[1])
    assert meta["description"] == GUIDE_DESCRIPTION and meta["search"] == {"boost": 2}
    assert meta["last_reviewed"] == yaml.safe_load(guide_before.split("---\n")[1])["last_reviewed"]
    post = project / "docs/blog/posts/evening-hours-start-in-january.md"
    written = yaml.safe_load(listing.read_text(encoding="utf-8"))
    assert written["zip"] == "62701" and written["phone"] == "217-555-0142" and written["credentials"] == ["LMT"]
    assert BODY.strip() in post.read_text(encoding="utf-8")
    # One check for both: what the editor wrote passes, and files staff put in docs/admin/ are refused.
    (project / "docs/admin").mkdir()
    (project / "docs/admin/decap-cms.js").write_text("alert(1)\n", encoding="utf-8")
    (project / "docs/admin/picture.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    # The real `clinic check`, its words and exit status, in a process forked from a warm interpreter.
    result = harness.run_python(["-m", "clinic_site.cli", "check", "-f", str(project / "mkdocs.yml")], cwd=project)
    out = result.stdout + result.stderr
    errors = [line for line in out.splitlines() if line.startswith("docs/") and ": warning:" not in line]
    assert result.returncode == 1 and "Traceback" not in out, out
    assert errors[0].startswith("docs/admin/decap-cms.js, line 1: is a script"), out
    assert re.match(r"docs/admin/picture\.svg, line 1: .*editor's folder admin/.* — remove it from docs/admin/",
                    errors[1]), out
    assert len(errors) == 2, out   # nothing about the listing or the post the editor wrote



def test_the_forms_length_limits_are_the_checks():
    """Every text field of the listing form is held to the schema's limit, counted as the check
    counts it: the pattern (run here by Python's re, which reads it as JavaScript does) matches
    exactly the texts whose tidied length is within the limit."""
    fields = {field["name"]: field for field in collection(generated(), "listings")["fields"]}
    for field in schema.FIELDS:
        if field.max_length is None:
            continue
        pattern, message = fields[field.name]["pattern"]
        assert f"{field.max_length} characters at most" in message
        limit = re.compile(pattern)
        for text in ("", " ", "a" * field.max_length, "a" * (field.max_length + 1), " a  b\t\nc ",
                     "  " + "x  " * field.max_length, "x\n" * (field.max_length // 2), "\t" + "ab " * 40):
            assert bool(limit.match(text)) == (len(" ".join(text.split())) <= field.max_length), (field.name, text)
