"""Issue 21, the supply chain: what the build installs and runs with is pinned, hashed and updated
on purpose, and the workflows run with the least they need.

- requirements.lock pins every package (those requirements.txt names, the ones they need, pip's
  own build tool) to one version with the SHA-256 hash of its files; requirements.txt, the
  readable list, agrees with it; scripts/setup.sh installs the lock with --require-hashes.
- .github/dependabot.yml proposes updates for pip, npm and GitHub Actions.
- Every workflow's token may read the repository's contents and nothing more, but the deploy job,
  which may also write Pages and get an OIDC token (what actions/deploy-pages needs); every
  checkout keeps no token in .git/config (persist-credentials: false), where the build could read it.
"""
from __future__ import annotations

import re

import pytest
import yaml

from tests.harness import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))
# The only job allowed more than reading contents, and what it may have.
DEPLOY_PERMISSIONS = {"pages": "write", "id-token": "write", "contents": "read"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, tuple[str, list[str]]]:
    """{package: (version, its hashes)} of requirements.lock."""
    text = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = _PIN.match(block)
        if match:
            found[_name(match.group(1))] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return found


def test_every_locked_package_is_pinned_with_hashes():
    lock = _lock()
    assert len(lock) > 30
    assert [name for name, (_version, hashes) in lock.items() if not hashes] == []
    text = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert not re.search(r"^(?!#)\S+(?:>=|<=|~=|>|<)", text, re.M), "a package in the lock is not pinned with =="
    assert "file://" not in text and "--extra-index-url" not in text and "--find-links" not in text


def test_the_readable_list_and_the_lock_agree():
    lock = _lock()
    listed = {_name(name): version for name, version in
              _PIN.findall((PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8"))}
    assert listed, "requirements.txt pins nothing"
    wrong = {name: (version, lock.get(name, ("missing", []))[0]) for name, version in listed.items()
             if lock.get(name, ("", []))[0] != version}
    assert wrong == {}, "requirements.txt and requirements.lock disagree (write the lock again: its command is " \
                        f"at the top of requirements.txt): {wrong}"


def test_setup_installs_the_lock_with_hashes_and_nothing_unpinned():
    setup = (PROJECT_ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    installs = [line.strip() for line in setup.splitlines()
                if "pip install" in line and not line.lstrip().startswith("#")]
    assert any("--require-hashes -r requirements.lock" in line for line in installs), installs
    for line in installs:
        assert "--upgrade" not in line and "-r requirements.txt" not in line, line
        assert "--require-hashes" in line or "-e ." in line, f"an install not checked against hashes: {line}"


def test_dependabot_updates_pip_npm_and_the_actions():
    config = yaml.safe_load((PROJECT_ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert {update["package-ecosystem"] for update in config["updates"]} >= {"pip", "npm", "github-actions"}
    assert all(update.get("schedule", {}).get("interval") for update in config["updates"])


def _steps(workflow: dict):
    for job_name, job in (workflow.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield job_name, step


@pytest.mark.parametrize("file", WORKFLOWS, ids=lambda file: file.name)
def test_every_workflow_reads_contents_and_no_more(file):
    workflow = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert workflow.get("permissions") == {"contents": "read"}, \
        f"{file.name}: the workflow's token must have `permissions: contents: read` and nothing more"
    for job_name, job in (workflow.get("jobs") or {}).items():
        granted = job.get("permissions")
        if granted is None:
            continue
        assert isinstance(granted, dict), f"{file.name} {job_name}: permissions must be listed one by one"
        extra = {scope: level for scope, level in granted.items() if DEPLOY_PERMISSIONS.get(scope) != level
                 and level != "read" and level != "none"}
        assert extra == {}, f"{file.name} {job_name}: more than it needs: {extra}"
        if any(level == "write" for level in granted.values()):
            deploys = any(str(step.get("uses", "")).startswith("actions/deploy-pages@")
                          for step in job.get("steps") or [])
            assert deploys, f"{file.name} {job_name}: only the Pages deployment may write"


@pytest.mark.parametrize("file", WORKFLOWS, ids=lambda file: file.name)
def test_every_checkout_keeps_no_token(file):
    workflow = yaml.safe_load(file.read_text(encoding="utf-8"))
    checkouts = [(job, step) for job, step in _steps(workflow)
                 if str(step.get("uses", "")).startswith("actions/checkout@")]
    for job, step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, \
            f"{file.name} {job}: actions/checkout without `persist-credentials: false` leaves the token in .git/config"


def test_the_workflows_are_checked():
    assert {file.name for file in WORKFLOWS} >= {"deploy.yml", "test.yml"}
    deploy = yaml.safe_load((PROJECT_ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8"))
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
