"""Structured data as a JSON-LD processor and Google read it: each ld+json block of the built home
page, a guide page, a blog post and a listing page is parsed with json and expanded with pyld
against a schema.org context kept in the repository (tests/fixtures/schemaorg-context.jsonld),
so nothing is fetched; then the properties Google asks for are looked up in the expanded data.

The context file follows schema.org's own (https://schema.org/docs/jsonldcontext.jsonld: terms
mapped to http://schema.org/, URL-valued properties typed "@id") but defines only the schema.org
terms this site uses and has no "@vocab": a key it does not define is dropped by expansion, and
test_no_property_is_lost_in_expansion fails, so every property written is a vetted schema.org term.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pyld import jsonld

from clinic_site import clinic_settings
from tests.harness import PROJECT_ROOT, project_clinic

S = "http://schema.org/"
CONTEXT_FILE = Path(__file__).parent / "fixtures" / "schemaorg-context.jsonld"
CONTEXT = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site_url"]
DETAILS = clinic_settings.clinic_details(project_clinic())
CLINIC_ID = SITE_URL + "#clinic"
PAGES = {"home": "", "guide": "guide/what-is-medical-massage/",
         "post": "blog/2026/11/20/welcome-to-our-guide/", "listing": "therapists/sample-arden-sampleton/",
         "massage listing": "therapists/sample-briar-example/"}

# What Google Search Central's structured data documentation lists (developers.google.com/search/
# docs/appearance/structured-data/: local-business, article, breadcrumb), written here from that
# documentation as known to the author, not fetched. Google names LocalBusiness properties that do
# not fit a clinic with no ratings, menu or cuisine (aggregateRating, review, menu, servesCuisine,
# priceRange, department): those are left out on purpose.
LOCAL_BUSINESS_REQUIRED = ("name", "address")
LOCAL_BUSINESS_RECOMMENDED = ("geo", "openingHoursSpecification", "telephone", "url")
ADDRESS_PARTS = ("streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry")
ARTICLE_RECOMMENDED = ("author", "datePublished", "dateModified", "headline", "image")  # none required
BREADCRUMB_REQUIRED = ("itemListElement",)
LIST_ITEM_REQUIRED = ("name", "position", "item")  # item may be left out of the last one; we give it


def local_context(url: str, options=None) -> dict:
    """pyld document loader: schema.org's context is the local file; any other URL is refused
    (so a test can never reach the network)."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise AssertionError(f"structured data asked for {url}: only schema.org's context is known")


def expand(block: dict) -> list[dict]:
    return jsonld.expand(block, {"documentLoader": local_context})


def blocks_of(page) -> list[dict]:
    """Each ld+json block of a page, parsed as JSON (fails on invalid JSON)."""
    return [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]


def nodes(expanded: list[dict], type_name: str) -> list[dict]:
    """Expanded nodes (at any depth) whose @type is schema.org's `type_name`."""
    found = []

    def walk(value):
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            if S + type_name in value.get("@type", []):
                found.append(value)
            for key, item in value.items():
                if not key.startswith("@"):
                    walk(item)
    walk(expanded)
    return found


def values(node: dict, prop: str) -> list:
    """The plain values (or @id of node references) of an expanded node's schema.org property."""
    return [item.get("@value", item.get("@id", item)) if isinstance(item, dict) else item
            for item in node.get(S + prop, [])]


def missing(node: dict, props) -> list[str]:
    return [prop for prop in props if not node.get(S + prop)]


def count_properties(value) -> int:
    """Properties (keys not starting with @) anywhere in a compact or expanded JSON-LD value."""
    if isinstance(value, list):
        return sum(count_properties(item) for item in value)
    if isinstance(value, dict):
        return sum((not key.startswith("@")) + count_properties(item) for key, item in value.items()
                   if key != "@context")
    return 0


def keys_of(value) -> list[str]:
    """Every property name (not @ keywords) in a compact JSON-LD value."""
    if isinstance(value, list):
        return [key for item in value for key in keys_of(item)]
    if isinstance(value, dict):
        return [key for key, item in value.items() if not key.startswith("@")] + \
            [key for item in value.values() for key in keys_of(item)]
    return []


@pytest.fixture(scope="module")
def expanded(read_page) -> dict[str, list[list[dict]]]:
    """Each page kind's blocks, expanded."""
    return {kind: [expand(block) for block in blocks_of(read_page(path))] for kind, path in PAGES.items()}


def test_no_property_is_lost_in_expansion(read_page, expanded):
    for kind, path in PAGES.items():
        blocks = blocks_of(read_page(path))
        assert blocks, kind
        for block, result in zip(blocks, expanded[kind], strict=True):
            unknown = sorted(set(keys_of(block)) - set(CONTEXT["@context"]))
            assert count_properties(result) == count_properties(block), \
                f"{kind}: {block.get('@type')} has properties the schema.org context does not define: {unknown}"


def test_the_clinic_has_what_google_lists_for_local_businesses(expanded):
    [clinic] = [node for block in expanded["home"] for node in nodes(block, "MedicalClinic")]
    assert clinic["@id"] == CLINIC_ID
    assert missing(clinic, LOCAL_BUSINESS_REQUIRED + LOCAL_BUSINESS_RECOMMENDED + ("image",)) == []
    [address] = clinic[S + "address"]
    assert missing(address, ADDRESS_PARTS) == []
    [geo] = clinic[S + "geo"]
    assert (values(geo, "latitude"), values(geo, "longitude")) == ([DETAILS.latitude], [DETAILS.longitude])
    hours = clinic[S + "openingHoursSpecification"]
    assert [(values(row, "dayOfWeek"), values(row, "opens"), values(row, "closes")) for row in hours] == \
        [(list(row.days), [row.opens], [row.closes]) for row in DETAILS.hours]
    assert values(clinic, "telephone") == [DETAILS.phone_e164] and re.fullmatch(r"\+1\d{10}", DETAILS.phone_e164)
    assert values(clinic, "image") == [SITE_URL + DETAILS.logo]
    [action] = clinic[S + "potentialAction"]
    assert S + "ReserveAction" in action["@type"]
    assert values(action[S + "target"][0], "urlTemplate") == [DETAILS.booking_url]


def test_the_clinic_is_described_once_and_referred_to_by_its_id(expanded):
    # The guide page awaits clinical review on the sample site: a WebPage (a reviewed one, a
    # MedicalWebPage: test_a_reviewed_page_has_its_reviewer_and_date_as_schema_org_terms).
    for kind in ("guide", "post"):
        [page] = [node for block in expanded[kind] for node in nodes(block, "WebPage" if kind == "guide"
                                                                         else "BlogPosting")]
        assert page[S + "publisher"] == [{"@id": CLINIC_ID}], kind
        assert not [node for block in expanded[kind] for node in nodes(block, "MedicalClinic")], kind


def test_blog_posts_have_what_google_lists_for_articles(expanded):
    [post] = [node for block in expanded["post"] for node in nodes(block, "BlogPosting")]
    assert missing(post, ARTICLE_RECOMMENDED) == []
    assert all(values(author, "name") for author in post[S + "author"])
    assert values(post, "datePublished")[0] <= values(post, "dateModified")[0]
    assert values(post, "image")[0].startswith(SITE_URL)


@pytest.mark.parametrize("kind", ["guide", "post", "listing", "massage listing"])
def test_breadcrumbs_have_what_google_lists(expanded, kind):
    [crumbs] = [node for block in expanded[kind] for node in nodes(block, "BreadcrumbList")]
    assert missing(crumbs, BREADCRUMB_REQUIRED) == []
    items = crumbs[S + "itemListElement"]
    assert [missing(item, LIST_ITEM_REQUIRED) for item in items] == [[]] * len(items)
    assert [values(item, "position")[0] for item in items] == list(range(1, len(items) + 1))
    assert values(items[0], "item") == [SITE_URL] and values(items[-1], "item") == [SITE_URL + PAGES[kind]]


@pytest.mark.parametrize("kind, schema_type", [("listing", "Physiotherapy"), ("massage listing", "MedicalBusiness")])
def test_listings_have_what_google_requires_of_local_businesses(expanded, kind, schema_type):
    [listing] = [node for block in expanded[kind] for node in nodes(block, schema_type)]
    assert missing(listing, LOCAL_BUSINESS_REQUIRED + ("geo", "telephone", "url")) == []
    assert missing(listing[S + "address"][0], ADDRESS_PARTS) == []


def test_a_listing_is_typed_by_who_practises_there(expanded):
    """Issue 24: Physiotherapy (medicalSpecialty PhysicalTherapy) only where a PT or PTA practises
    (arden-sampleton: PT, DPT); a massage therapist's practice (briar-example: LMT) is a
    MedicalBusiness with no physical-therapy specialty."""
    [physio] = [node for block in expanded["listing"] for node in nodes(block, "Physiotherapy")]
    assert values(physio, "medicalSpecialty") == [S + "PhysicalTherapy"] or \
        values(physio, "medicalSpecialty") == ["PhysicalTherapy"]
    massage = [node for block in expanded["massage listing"] for node in nodes(block, "MedicalBusiness")]
    assert len(massage) == 1 and not nodes(expanded["massage listing"], "Physiotherapy")
    assert S + "medicalSpecialty" not in massage[0]


def test_structured_data_holds_plain_text_never_html_entities(site_pages):
    entity = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")

    def texts(value):
        if isinstance(value, dict):
            return [text for item in value.values() for text in texts(item)]
        if isinstance(value, list):
            return [text for item in value for text in texts(item)]
        return [value] if isinstance(value, str) else []
    for path, page in site_pages.items():
        for block in blocks_of(page):
            assert [text for text in texts(block) if entity.search(text)] == [], path


def test_a_reviewed_page_has_its_reviewer_and_date_as_schema_org_terms():
    # No page of the sample site has had a real review, so the reviewed page's object is made here
    # as the stage makes it (seo.medical_web_page) and expanded like the built pages' blocks.
    import datetime as dt

    from clinic_site import seo
    block = json.loads(seo.script_json(seo.medical_web_page(
        title="Safety", description="Who should not have medical massage.", url=SITE_URL + PAGES["guide"],
        last_reviewed=dt.date(2026, 11, 20), site_url=SITE_URL,
        reviewer={"name": "Pat Real, PT", "absolute_url": SITE_URL + "people/pat/"})))
    result = expand(block)
    assert count_properties(result) == count_properties(block), sorted(set(keys_of(block)) - set(CONTEXT["@context"]))
    [page] = nodes(result, "MedicalWebPage")
    assert values(page, "lastReviewed") == ["2026-11-20"] and page[S + "publisher"] == [{"@id": CLINIC_ID}]
    [reviewer] = page[S + "reviewedBy"]
    assert values(reviewer, "name") == ["Pat Real, PT"] and values(reviewer, "url") == [SITE_URL + "people/pat/"]


def test_the_loader_refuses_any_other_context():
    with pytest.raises(jsonld.JsonLdError):
        expand({"@context": "https://example.org/other-context", "name": "x"})
