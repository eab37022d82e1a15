"""Same as `.venv/bin/clinic new-listing`: kept so the familiar path keeps working."""
import sys

from clinic_site.cli import main

sys.exit(main(["new-listing", *sys.argv[1:]]))
