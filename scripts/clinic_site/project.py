"""Where the project is: the folder that holds mkdocs.yml, docs/ and scripts/."""
from __future__ import annotations

from pathlib import Path

# This package lives at <project>/scripts/clinic_site/ and is installed in editable mode
# (pip install -e .), so the checkout it was installed from is two folders up.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
