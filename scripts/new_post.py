"""Same as `.venv/bin/clinic new-post`: kept so the familiar path keeps working."""
import sys

from clinic_site.cli import main

sys.exit(main(["new-post", *sys.argv[1:]]))
