"""The one Chromium launch configuration: the tests (Playwright), Lighthouse and the benchmark use it."""
from __future__ import annotations

import os
import shutil

# Flags for an offline machine: no first-run work, no background connections, and every
# host but 127.0.0.1 unresolvable, so a stray request to another host fails at once
# instead of waiting for a network that is not there.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def executable() -> str:
    """Path of Debian's Chromium ($CHROME_PATH wins); raises with the fix when it is missing."""
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not path:
        raise RuntimeError("Chromium is missing: run scripts/test, which installs it (apt-get install -y chromium)")
    return path


def playwright_launch_args() -> dict:
    """Keyword arguments for Playwright's `chromium.launch()`."""
    return {"executable_path": executable(), "headless": True, "args": list(ARGS)}


def lighthouse_flags() -> list[str]:
    """The same flags for Lighthouse's Chromium (chrome-launcher's chromeFlags, one list item a
    flag, so the resolver rule with its spaces stays one flag), started headless."""
    return ["--headless=new", *ARGS]
