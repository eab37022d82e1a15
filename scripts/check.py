"""Same as `.venv/bin/clinic check`: kept so the familiar path keeps working."""
import sys

from clinic_site.cli import main

sys.exit(main(["check", *sys.argv[1:]]))
