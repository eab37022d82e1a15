"""Same as `.venv/bin/clinic new-guide-page`: kept so the familiar path keeps working."""
import sys

from clinic_site.cli import main

sys.exit(main(["new-guide-page", *sys.argv[1:]]))
