"""The state licensing boards table (docs/therapists/licensing-boards.yml): read and checked,
and which board's page a listing links to.

Each board entry names the board, the address of its public license look-up page (`lookup:`)
or, until someone has found that page, the board's website (`website:`), and the date a person
last opened the address and confirmed it (`checked:`). Addresses move (Washington moved its
look-up to a new licensing system in 2025), so an address never checked, or last checked more
than CHECK_AGAIN_MONTHS ago, and a board known only by its website are warnings: the build
goes on, and both the build and `clinic check` say which entry to check."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import yaml

from clinic_site import safe_names
from clinic_site.finder import datafile
from clinic_site.finder.model import Listing
from clinic_site.problems import WARNING, Problem, errors
from clinic_site.us_states import US_STATES  # the states, DC and territories

KINDS = ("massage", "physical_therapy")
# state -> kind -> {"name", "lookup" or None, "website" or None, "checked" (datetime.date or None)}
Boards = Mapping[str, Mapping[str, Mapping]]
CHECK_AGAIN_MONTHS = 12   # the same yearly round as each listing's details (listings/README.md)


def load_boards(file: Path, shown: str, today: dt.date | None = None) -> tuple[dict | None, list[Problem]]:
    """Read and check the boards file: (state -> kind -> entry, warnings) or (None, problems).

    Each state is a US state's two-letter code with a `massage:` and a `physical_therapy:`
    entry, each with the board's `name:`, its public license `lookup:` page or its `website:`
    (https://), and `checked:`, the date a person last confirmed the address (YYYY-MM-DD).
    today: the day `checked:` dates are judged against (default: the real date)."""
    today = today or dt.date.today()
    text, problems = datafile.read_text(file, shown, "licensing boards",
                                        "restore docs/therapists/licensing-boards.yml from the repository, or set "
                                        "extra.finder.boards in mkdocs.yml to where it is")
    if text is None:
        return None, problems
    root, problems = datafile.compose(text, shown)
    if problems:
        return None, problems
    if root is None or not isinstance(root, yaml.MappingNode):
        return None, [Problem(shown, 1, "", "the file must list states, each with its massage: and "
                              "physical_therapy: boards", "restore it from the repository and edit it as its "
                              "comments say")]
    boards: dict = {}
    for state_node, entry in root.value:
        state = datafile.value(state_node)
        line = datafile.line_of(state_node)
        if not isinstance(state, str) or state not in US_STATES:
            problems.append(Problem(shown, line, str(state_node.value), "is not a US state's two-letter code",
                                    "write the state in capitals, like TX"))
            continue
        boards[state] = {}
        entries = {datafile.value(key): node for key, node in datafile.mapping_items(entry)}
        for kind in KINDS:
            field = f"{state}.{kind}"
            node = entries.get(kind)
            if node is None:
                problems.append(Problem(shown, line, field, "is missing",
                                        f"add `{kind}:` under {state} with the board's name: and lookup: address"))
                continue
            board = datafile.value(node)
            board = board if isinstance(board, dict) else {}
            where = datafile.line_of(node)
            name, lookup, website = board.get("name"), board.get("lookup"), board.get("website")
            if not isinstance(name, str) or not name.strip():
                problems.append(Problem(shown, where, f"{field}.name", "is missing",
                                        "add `name:` with the board's name, as the listing page shows it"))
            for key in ("lookup", "website"):
                address = board.get(key)
                if address is not None and (not isinstance(address, str) or not address.startswith("https://")
                                            or not safe_names.web_address(address)):
                    problems.append(Problem(shown, where, f"{field}.{key}", f"needs a '{key}:' address starting "
                                            "with https://", "copy the address from the browser's address bar"))
            if lookup is None and website is None:
                problems.append(Problem(shown, where, f"{field}.lookup",
                                        "needs a 'lookup:' address starting with https://",
                                        "copy the address of the board's public license look-up page"))
            elif lookup is None:
                problems.append(Problem(shown, where, f"{field}.lookup", "is not known yet: listing pages link the "
                                        "board's website instead of its license look-up page",
                                        "find the board's public license look-up page, put its address in "
                                        "`lookup:` and set `checked:` to today's date", WARNING))
            checked = board.get("checked")
            if lookup is None:
                pass  # the warning above already asks for the look-up page and its date
            elif checked is not None and not isinstance(checked, dt.date):
                problems.append(Problem(shown, where, f"{field}.checked", f"is {checked!r}, which is not a date",
                                        "write the day you opened the address and confirmed it, like 2026-11-29"))
                checked = None
            elif checked is not None and checked > today:
                problems.append(Problem(shown, where, f"{field}.checked", f"is {checked}, which is in the future",
                                        "write the day you opened the address and confirmed it"))
            elif checked is None:
                problems.append(Problem(shown, where, f"{field}.checked", "is missing: nobody has confirmed this "
                                        "address yet", "open the address, confirm it is the board's page, and add "
                                        "`checked:` with today's date", WARNING))
            elif (today - checked).days > CHECK_AGAIN_MONTHS * 366 // 12:
                problems.append(Problem(shown, where, f"{field}.checked", f"is {checked}: the address was last "
                                        f"confirmed more than {CHECK_AGAIN_MONTHS} months ago",
                                        "open it again, and set `checked:` to today's date", WARNING))
            boards[state][kind] = {"name": name, "lookup": lookup, "website": website, "checked": checked}
    return (None, problems) if errors(problems) else (boards, problems)


def board_for(listing: Listing, boards: Boards, physical_therapy_credentials) -> Mapping:
    """The board (name, lookup, website, checked) that checks this listing's license: the physical-therapy board when
    a credential is a physical-therapy one (docs/therapists/vocabulary.yml), else the massage board."""
    kind = "physical_therapy" if any(c in physical_therapy_credentials for c in listing.credentials) else "massage"
    return boards[listing.license_state][kind]
