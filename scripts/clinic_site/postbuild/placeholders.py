"""On a live site, placeholders the launch rule (clinic_site.launch) could not see in the sources:
an example.org/.com/.net address or a 555-01xx number that a built page links, written where no
rule reads (a template in overrides/, a data file, a theme setting)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from clinic_site.launch import EXAMPLE_ADDRESS, FICTIONAL_PHONE, Marker, plain
from clinic_site.problems import Problem


def placeholder_key(text: str) -> str | None:
    """What a placeholder in `text` is, the same however it is written: the address's name
    ("booking.example.com") or the fictional number's last seven digits ("5550100"); None when
    `text` holds neither."""
    text = plain(text)
    address = EXAMPLE_ADDRESS.search(text)
    if address:
        return address.group(0).lower().rstrip(".")
    phone = FICTIONAL_PHONE.search(text)
    return re.sub(r"\D", "", phone.group(0))[-7:] if phone else None


def published_placeholders(links: Mapping[str, Iterable[str]], found: list[Marker],
                           shown: Mapping[str, str]) -> list[Problem]:
    """On a live site, the links of the built pages (`links`: page -> every address it links or
    loads) to a placeholder that no marker named yet: one written where the rule does not read
    (a template in overrides/, a data file, a theme setting). One problem per placeholder, at the
    first page's source (`shown`: page -> its file), with how many pages hold it. Only once the
    sources hold no marker: until then their pages show what the markers name already (a sample
    listing's number on its city's page), and the owner fixes those first."""
    if any(marker.enforced for marker in found):
        return []
    named = {key for marker in found for quoted in re.findall(r"'([^']*)'", marker.problem.what)
             if (key := placeholder_key(quoted))}
    pages: dict[str, list[tuple[str, str]]] = {}
    for dest, refs in sorted(links.items()):
        for ref in refs:
            key = placeholder_key(ref) if ref.lower().startswith(("http:", "https:", "//", "mailto:", "tel:")) else None
            if key and key not in named:
                pages.setdefault(key, []).append((dest, ref))
    problems = []
    for _key, where in sorted(pages.items()):
        dest, ref = where[0]
        others = len({page for page, _ref in where}) - 1
        problems.append(Problem(shown.get(dest, dest), 1, "", f"the built page {dest} links '{ref}', a placeholder "
                                f"address or number{f' (and {others} other pages)' if others else ''}",
                                "find where it is written (a template in overrides/, a data file, a setting) and "
                                "write the real one"))
    return problems
