"""What the Zensical build does not do yet, as the tests that read the built site see it (README,
"A second engine"): with $CLINIC_TEST_ENGINE=zensical (tests/conftest.py) each test named here is
expected to fail, strictly: one that passes fails the run, so the entry is deleted the day Zensical
or the site catches up. Patterns are test ids as pytest prints them, `*` standing for any text (the params).
"""
from __future__ import annotations

import re

SOCIAL_CARDS = ("no social cards: Zensical 0.0.73 downloads the cards' fonts, and builds have no network, "
                "so pages have no og:image and posts' JSON-LD no image")
MATERIAL_TEMPLATES = "checks the policy's hashes against Material's templates; Zensical's base.html has its own"
SKIP_ANCHOR = "Zensical's base.html puts its skip target, <a id=\"__skip\"> (no href), in the 404 page's article"

KNOWN = {
    "tests/test_seo.py::test_every_page_has_a_canonical_url_and_a_preview_card": SOCIAL_CARDS,
    "tests/test_seo.py::test_preview_cards_differ_from_page_to_page": SOCIAL_CARDS,
    "tests/test_seo.py::test_blog_posts_are_blog_postings": SOCIAL_CARDS,
    "tests/test_finder_site.py::test_listing_and_city_pages_show_their_states_card": SOCIAL_CARDS,
    "tests/test_seo.py::test_the_404_page_offers_ways_on": SKIP_ANCHOR,
    "tests/test_security_headers.py::test_policy_lists_only_the_inline_code_of_the_templates_that_pages_use":
        MATERIAL_TEMPLATES,
}


def known_difference(nodeid: str) -> str | None:
    """Why the test `nodeid` fails on the Zensical build, or None when it must pass there."""
    return next((reason for pattern, reason in KNOWN.items()
                 if re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), nodeid)), None)
