"""The state licensing boards table (docs/therapists/licensing-boards.yml): read and checked,
and which board's look-up page a listing links to."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from clinic_site.finder import datafile
from clinic_site.finder.model import Listing
from clinic_site.problems import Problem

KINDS = ("massage", "physical_therapy")
US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
})
Boards = Mapping[str, Mapping[str, Mapping[str, str]]]   # state -> kind -> {"name", "lookup"}


def load_boards(file: Path, shown: str) -> tuple[dict | None, list[Problem]]:
    """Read and check the boards file: (state -> kind -> {name, lookup}, []) or (None, problems).

    Each state is a US state's two-letter code with a `massage:` and a `physical_therapy:`
    entry, each with the board's `name:` and its public license `lookup:` page (https://)."""
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
            name, lookup = board.get("name"), board.get("lookup")
            if not isinstance(name, str) or not name.strip():
                problems.append(Problem(shown, where, f"{field}.name", "is missing",
                                        "add `name:` with the board's name, as the listing page shows it"))
            if not isinstance(lookup, str) or not lookup.startswith("https://") or len(lookup) <= len("https://"):
                problems.append(Problem(shown, where, f"{field}.lookup",
                                        "needs a 'lookup:' address starting with https://",
                                        "copy the address of the board's public license look-up page"))
            boards[state][kind] = {"name": name, "lookup": lookup}
    return (None, problems) if problems else (boards, [])


def board_for(listing: Listing, boards: Boards, physical_therapy_credentials) -> Mapping[str, str]:
    """The board whose look-up page checks this listing's license: the physical-therapy board when
    a credential is a physical-therapy one (docs/therapists/vocabulary.yml), else the massage board."""
    kind = "physical_therapy" if any(c in physical_therapy_credentials for c in listing.credentials) else "massage"
    return boards[listing.license_state][kind]
