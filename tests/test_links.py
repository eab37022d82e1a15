"""linkchecker crawls the served site: no broken internal link anywhere."""
import subprocess
import sys
from pathlib import Path

LINKCHECKER = Path(sys.executable).parent / "linkchecker"


def test_linkchecker_finds_no_broken_internal_link(site_url):
    result = subprocess.run(
        [str(LINKCHECKER), "--no-status", "--no-warnings", "--threads", "4", f"{site_url}/"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors found" in result.stdout, result.stdout
