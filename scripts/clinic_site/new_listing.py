"""Add a therapist listing: asks for each detail (or takes them as options), writes the file, checks it.

    .venv/bin/clinic new-listing
    .venv/bin/clinic new-listing --name "Jane Doe" --credentials LMT,CLT --license-number MT012345 \\
        --license-state TX --clinic "Riverside Massage" --street "100 Main Street" --city Austin --state TX \\
        --zip 78701 --phone 512-555-0101 --specialties "lymphatic drainage, chronic pain" --payment self-pay

Writes docs/therapists/listings/<id>.yml from scripts/clinic_site/templates/listing.yml, in the
format docs/therapists/listings/README.md describes, then checks it with the same
rules as the build (scripts/clinic_site/finder/schema.py) and prints any problem with its line and fix.
In a terminal it asks for every detail not given as an option; press Enter to take the
suggestion in [brackets]. Lists are written with commas: "English, Spanish".
Defaults: id from the name; latitude and longitude from the ZIP code's center (replace
them with the street address's position); license_verified and last_updated today;
languages English; telehealth and home visits no; accepting new clients yes; sample no.
It never overwrites a file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path

from clinic_site import check, pipeline, yamlfile
from clinic_site.finder import datafile, schema, zip_positions
from clinic_site.finder.load import load_tables
from clinic_site.finder.model import slugify
from clinic_site.finder.settings import load_settings
from clinic_site.finder.vocabulary import Vocabulary, load_vocabulary
from clinic_site.new_post import (
    Ask,
    UsageError,
    project_root,
    render_template,
    terminal_attached,
    write_new_file,
    yaml_value,
)
from clinic_site.problems import Problem, errors
from clinic_site.project import Project, Settings

DEFAULTS = {"languages": "English", "telehealth": "no", "home_visits": "no", "accepting_new_clients": "yes",
            "sample": "no", "at_clinic": "no"}


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def parse_value(field: str, text: str):
    """What staff typed, as the value the listing file holds. Text that cannot be read is kept
    as it is, so the listing check explains what is wrong with it."""
    kind = schema.BY_NAME[field].type
    text = text.strip()
    if kind == "terms":
        items = [item.strip() for item in text.split(",") if item.strip()]
        return [item.upper() for item in items] if field == "credentials" else items
    if kind == "yes/no":
        return {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}.get(text.lower(), text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "state":
        return text.upper()
    return text


def choices_hint(field: str, vocabulary: Vocabulary | None = None) -> str:
    """How to answer for `field`: its choices (from `vocabulary`, the project's), or an example."""
    kind = schema.BY_NAME[field].type
    if kind == "terms":
        try:
            if vocabulary is None:
                return "codes from docs/therapists/vocabulary.yml, separated by commas"
            terms = vocabulary.terms(field)
        except ValueError:   # the vocabulary file has problems: the check after writing names them
            return "one or more, with commas, from docs/therapists/vocabulary.yml"
        return "one or more, with commas, from: " + ", ".join(terms.choices)
    if kind == "yes/no":
        return "yes or no"
    if kind == "date":
        return "YYYY-MM-DD"
    return f"for example {schema.BY_NAME[field].example}"


def suggestion(field: str, values: dict, today: dt.date, zip_lookup) -> str | None:
    """The value offered when staff press Enter (or give no option)."""
    if field == "id" and values.get("name"):
        return slugify(values["name"])
    if field in ("license_verified", "last_updated"):
        return today.isoformat()
    if field in ("latitude", "longitude") and isinstance(values.get("zip"), str):
        position = zip_lookup(values["zip"])
        if position:
            return f"{position[0 if field == 'latitude' else 1]:.4f}"
    if field == "license_state" and values.get("state"):
        return values["state"]
    return DEFAULTS.get(field)


def collect(given: dict[str, str | None], *, today: dt.date, zip_lookup, ask: Ask | None,
            vocabulary: Vocabulary | None = None) -> dict:
    """Every field's value: from the options, else asked for (in a terminal), else its default."""
    values: dict = {}
    missing = []
    order = ["name", "id", "at_clinic"] + [field.name for field in schema.FIELDS
                                           if field.name not in ("name", "id", "license_state", "at_clinic")]
    order.insert(order.index("state") + 1, "license_state")   # offered: the state of the address
    for field in order:
        if values.get("at_clinic") is True and field in schema.FROM_CLINIC:
            continue   # taken from the clinic's details: never asked, never written
        required = schema.BY_NAME[field].required
        text = given.get(field)
        offered = suggestion(field, values, today, zip_lookup)
        if text is None and ask is not None:
            prompt = f"{field.replace('_', ' ')} ({choices_hint(field, vocabulary)})"
            prompt += f" [{offered}]: " if offered else (" [leave empty for none]: " if not required else ": ")
            text = ask(prompt).strip() or offered
            while required and not text:
                text = ask(f"  {field.replace('_', ' ')} is required; {prompt}").strip() or offered
            while text and schema.BY_NAME[field].type == "yes/no" and not isinstance(parse_value(field, text), bool):
                text = ask(f"  answer yes or no; {prompt}").strip() or offered   # "Yes." is not written as text
        elif text is None:
            text = offered
        if text:
            values[field] = parse_value(field, text)
        elif required:
            missing.append(field)
    if missing:
        raise UsageError("these details are missing: " + ", ".join(option_name(field) for field in missing)
                         + ". Give them as options, or run the command in a terminal to be asked for each.")
    return values


def listing_text(values: dict) -> str:
    """The listing file, from scripts/clinic_site/templates/listing.yml: every answer given,
    `at_clinic` included; a listing at the clinic has no clinic name, address or position lines
    (they come from the clinic's details)."""
    text = render_template("listing.yml", {
        field.name: yaml_value(values[field.name]) if field.name in values else "" for field in schema.FIELDS
    }).replace(": \n", ":\n")
    if values.get("at_clinic") is True:
        text = "".join(line for line in text.splitlines(keepends=True)
                       if line.split(":", 1)[0] not in schema.FROM_CLINIC)
    return text


def project_settings(root: Path) -> tuple[dict | None, Path]:
    """The `extra:` block and the docs folder of the project's mkdocs.yml, read as data."""
    settings, _problems = Settings.read(Project(root, root / "mkdocs.yml"))
    return settings.extra, settings.docs_dir


def clinic_values(root: Path) -> Mapping:
    """The clinic's details (clinic.yml as read), which a listing at the clinic takes; or
    schema.CLINIC_UNREADABLE when clinic.yml cannot be read (`clinic check` names why)."""
    settings, _problems = Settings.read(Project(root, root / "mkdocs.yml"))
    return settings.clinic if settings.clinic_read or settings.clinic else schema.CLINIC_UNREADABLE


def validate_file(file: Path, root: Path, today: dt.date, zip_lookup) -> list[Problem]:
    """The build's checks of one listing file (scripts/clinic_site/finder/schema.py), as problems with lines,
    with the settings, vocabulary and licensing boards the build uses (and their problems, if any)."""
    extra, docs_dir = project_settings(root)
    _settings, vocabulary, boards, problems = load_tables(extra, docs_dir, root, root / "mkdocs.yml", today)
    problems = errors(problems)  # the tables' warnings (boards to confirm) are not about this listing
    if vocabulary is None:
        return problems
    shown = datafile.shown_path(file, root)
    data, text, unreadable = yamlfile.load_file(file, shown, yamlfile.FastStaffLoader)
    if unreadable or text is None:
        return problems + unreadable
    _listing, found = schema.validate_listing(data, shown, today=today, zip_lookup=zip_lookup, vocabulary=vocabulary,
                                              boards=boards, file_id=file.stem, source=text,
                                              clinic=clinic_values(root))
    return problems + found


def create_listing(given: dict[str, str | None], *, root: Path | None = None, today: dt.date | None = None,
                   ask: Ask | None = None) -> tuple[Path, list[Problem]]:
    """Write the new listing's file and check it; returns (file, problems). Raises UsageError."""
    root = root or project_root()
    today = today or pipeline.clinic_today(root)
    extra, docs_dir = project_settings(root)
    settings, _problems = load_settings(extra, root / "mkdocs.yml")
    zip_lookup = zip_positions.cache_for(root / ".cache").lookup
    # the project's vocabulary, so each question names its choices (None when the file has problems:
    # the check after writing names them)
    vocabulary, _problems = load_vocabulary(settings.path("vocabulary", docs_dir), "")
    values = collect(given, today=today, zip_lookup=zip_lookup, ask=ask, vocabulary=vocabulary)
    listing_id = str(values["id"])
    if not schema.ID_PATTERN.match(listing_id):
        raise UsageError(f"the id '{listing_id}' must be lowercase letters, digits and single hyphens, "
                         "like jane-doe; give one with --id")
    file = settings.path("listings_dir", docs_dir) / f"{listing_id}.yml"
    write_new_file(file, listing_text(values), root)
    return file, validate_file(file, root, today, zip_lookup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    for field in schema.FIELDS:
        parser.add_argument(option_name(field.name), dest=field.name, metavar="VALUE",
                            help=f"{choices_hint(field.name)}{'' if field.required else ' (optional)'}")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help=argparse.SUPPRESS)
    parser.add_argument("-f", "--config-file", metavar="MKDOCS_YML", default=None,
                        help="the site's mkdocs.yml (default: found from the current folder upwards)")
    args = parser.parse_args(argv)
    given = {field.name: getattr(args, field.name) for field in schema.FIELDS}
    try:
        root = project_root(args.config_file)
        file, problems = create_listing(given, today=args.today, root=root,
                                        ask=input if terminal_attached() else None)
    except UsageError as error:
        print(f"clinic new-listing: {error}", file=sys.stderr)
        return 2
    print(f"Created {file.relative_to(root)}")
    if problems:
        print("The listing has problems; fix them in the file (docs/therapists/listings/README.md explains each "
              "field), then run .venv/bin/clinic check:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print("The listing passes every check. Preview it at "
          f"{check.PREVIEW_URL}therapists/{file.stem}/ while scripts/serve is running.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
