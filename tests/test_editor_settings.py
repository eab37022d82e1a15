"""mkdocs.yml's `extra: editor:` addresses (api_root, base_url) go into the editor's policy, in its
<meta> and in _headers: each must be a plain https address of a host, or a problem naming the
setting, never a policy with more in it (a `;` would add a directive, a space another source)."""
from __future__ import annotations

import pytest

from clinic_site.editor import bundle, config
from tests.test_editor import _Settings

GITEA = {"backend": "gitea", "repo": "clinic/site", "base_url": "https://git.example.org",
         "api_root": "https://git.example.org/api/v1"}


@pytest.mark.parametrize(("key", "value"), [
    ("api_root", "https://git.example.org; script-src-elem https://evil.example/x"),
    ("api_root", "https://git.example.org https://evil.example"),
    ("base_url", "https://git.example.org,https://evil.example"),
    ("base_url", "http://git.example.org"),
    ("api_root", "git.example.org/api/v1"),
    ("api_root", "javascript:alert(1)"),
    ("base_url", "https://user:secret@git.example.org"),
    ("api_root", "https://git.example.org'/api"),
])
def test_an_address_that_is_not_one_https_host_is_a_problem(key, value):
    block, problems = config.backend(_Settings({"editor": {**GITEA, key: value}}))
    assert block is None and len(problems) == 1, (value, block)
    assert problems[0].field == f"extra.editor.{key}" and "https://" in problems[0].fix


def test_a_good_address_gives_one_source_per_host():
    block, problems = config.backend(_Settings({"editor": {**GITEA, "api_root": "https://git.example.org:3000/api/v1"}}))
    assert block is not None and not problems
    policy = bundle.policy(config.api_origin({"name": "gitea", **block}))
    connect = next(part for part in policy.split("; ") if part.startswith("connect-src"))
    assert connect == "connect-src 'self' https://git.example.org:3000 https://git.example.org"
    assert [part.split()[0] for part in policy.split("; ")].count("script-src") == 1 and "evil" not in policy
