"""What the Zensical build does not do yet, as the tests that read the built site see it (README,
"A second engine"): with $CLINIC_TEST_ENGINE=zensical (tests/conftest.py) each test named here is
expected to fail, strictly: one that passes fails the run, so the entry is deleted the day Zensical
or the site catches up. Patterns are test ids as pytest prints them, `*` standing for any text (the params).
"""
from __future__ import annotations

import re

MATERIAL_TEMPLATES = "checks the policy's hashes against Material's templates; Zensical's base.html has its own"
SKIP_ANCHOR = "Zensical's base.html puts its skip target, <a id=\"__skip\"> (no href), in the 404 page's article"

KNOWN = {
    "tests/test_seo.py::test_the_404_page_offers_ways_on": SKIP_ANCHOR,
    "tests/test_security_headers.py::test_policy_lists_only_the_inline_code_of_the_templates_that_pages_use":
        MATERIAL_TEMPLATES,
}


def known_difference(nodeid: str) -> str | None:
    """Why the test `nodeid` fails on the Zensical build, or None when it must pass there."""
    return next((reason for pattern, reason in KNOWN.items()
                 if re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), nodeid)), None)
