"""The live preview with MkDocs' own server: each rebuild is a run in "serve" mode (the plugin's
events start and finish it), so a problem shows in a box on its page and the rest keeps serving."""
from __future__ import annotations

from clinic_site.project import Project


def serve(project: Project, *, dev_addr: str | None = None, open_in_browser: bool = False) -> int:
    """Serve `project` at http://127.0.0.1:8000/ (or `dev_addr`) until Ctrl+C; rebuilds on each save
    of a page, data file, template, clinic.yml or mkdocs.yml. Returns the exit status."""
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    from clinic_site.preview import open_address

    shown = project.shown(project.config_file)
    try:   # before the first build, in the words of the Zensical preview (MkDocs binds after it, with a traceback)
        open_address(project, dev_addr)
    except ValueError as error:
        print(f"{shown}: the preview cannot start: {error}")
        return 1
    try:
        if dev_addr:
            mkdocs_serve.serve(config_file=str(project.config_file), livereload=True,
                               open_in_browser=open_in_browser, dev_addr=dev_addr)
        else:
            mkdocs_serve.serve(config_file=str(project.config_file), livereload=True, open_in_browser=open_in_browser)
    except (Abort, ConfigurationError, OSError) as error:   # OSError: the address taken during the first build
        print(f"{shown}: the preview cannot start: {error}")
        return 1
    return 0
