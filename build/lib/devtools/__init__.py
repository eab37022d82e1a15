"""Developer tools, apart from the build: the benchmark, Lighthouse, synthetic listings, throwaway
project copies, and the one static server and Chromium configuration the tests share.

They work on the checkout found from the current folder (walking up to mkdocs.yml), like every
`clinic` command: run them from inside the repository."""
from __future__ import annotations

from pathlib import Path

from clinic_site.project import Project


def checkout() -> Path:
    """The root of the checkout the tools work on (raises clinic_site.project.ProjectNotFound)."""
    return Project.find().root
