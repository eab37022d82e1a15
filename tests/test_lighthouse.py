"""Lighthouse 12.8.2 (scripts/devtools/lighthouse.py) on the six key pages, served with gzip: 100 for
accessibility, best practices and SEO, 95+ for mobile performance, within lighthouse/budget.json.
About 15 s a page (longer when a busy machine makes performance miss and it is re-run)."""
from __future__ import annotations

import pytest

from devtools import lighthouse


@pytest.mark.parametrize("name, path", lighthouse.PAGES.items(), ids=lighthouse.PAGES.keys())
def test_lighthouse_scores_and_budget(site_dir, name, path):
    [result] = lighthouse.audit_site(site_dir, {name: path}, log=lambda line: None)
    assert result.passed, "\n" + lighthouse.report([result])
