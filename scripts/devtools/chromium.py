"""The one Chromium launch configuration: the tests (Playwright), Lighthouse and the benchmark use it.

The tests' Playwright runs Debian's chromium-headless-shell: the same Chromium release (the same
Blink and V8) built without the browser's window and profile layers, as Playwright itself runs
headless tests; it takes about a third less CPU for the same pages (measured on the accessibility
and keyboard tests: 41 s and 37 s of CPU with `chromium`, 31 s and 25 s with the shell). Lighthouse
and the benchmark keep the whole browser, so their figures stay comparable with earlier runs."""
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


def headless_shell() -> str:
    """Path of Debian's chromium-headless-shell ($CHROME_PATH wins); raises with the fix when it is missing."""
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium-headless-shell")
    if not path:
        raise RuntimeError("chromium-headless-shell is missing: run scripts/test, which installs it "
                           "(apt-get install -y chromium-headless-shell)")
    return path


def playwright_launch_args(*, shell: bool = False) -> dict:
    """Keyword arguments for Playwright's `chromium.launch()`: the whole browser, or with `shell`
    the headless shell (the tests')."""
    return {"executable_path": headless_shell() if shell else executable(), "headless": True, "args": list(ARGS)}


def lighthouse_flags() -> list[str]:
    """The same flags for Lighthouse's Chromium (chrome-launcher's chromeFlags, one list item a
    flag, so the resolver rule with its spaces stays one flag), started headless."""
    return ["--headless=new", *ARGS]
