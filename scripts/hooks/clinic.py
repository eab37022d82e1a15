"""mkdocs.yml's one hook: MkDocs' events, handed to the site's MkDocs adapter (a plain `mkdocs build`
or `mkdocs serve` then runs the same stages as `clinic build` and `clinic serve`)."""
from clinic_site.engines.mkdocs.plugin import *  # noqa: F403
