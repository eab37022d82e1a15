"""What the site search holds beyond the pages' own words (issue 23: search finds what a patient
means). Material's search plugin indexes each page's Markdown content; the home page's "Where to
find us" (hours, phone, address) is written by its template from clinic.yml, so it was not in
the index, and "hours" found nothing. `add_clinic_entry` adds it as a section of the home page,
in words people search for ("hours", "open", "phone", "call", "address", "directions").

The finder's page is found by "massage near me" and "therapist near me" through its own front
matter (docs/therapists/index.md: `search: boost` and `tags`), and its form is never in the
index: the stage puts it in the page's front matter, not its content (overrides/finder.html).
"""
from __future__ import annotations

import json
from html import escape
from pathlib import Path

from clinic_site.clinic_settings import ClinicDetails

HOME_SECTION = "home-visit"   # overrides/home.html: <h2 id="home-visit">Where to find us</h2>
TITLE = "Opening hours, phone and address"


def clinic_entry_text(clinic: ClinicDetails) -> str:
    """The entry's text as the index holds it (HTML, each value escaped once)."""
    hours = " ".join(f"{line.days_label}: {line.label}." for line in clinic.hours_lines)
    parts = [f"<p>When we are open (opening hours): {escape(hours)}</p>" if hours else "",
             f"<p>Phone: call {escape(clinic.phone_display)}.</p>",
             f"<p>Address: {escape(clinic.name)}, {escape(clinic.street)}, {escape(clinic.city)}, "
             f"{escape(clinic.state)} {escape(clinic.zip)}. Directions and location.</p>",
             f"<p>Email: {escape(clinic.email)}.</p>" if clinic.email else ""]
    return " ".join(part for part in parts if part)


def add_clinic_entry(site_dir: Path, clinic: ClinicDetails, home_location: str = "") -> None:
    """Add the clinic's hours, phone and address to `site_dir`/search/search_index.json as a
    section of the home page (at its "Where to find us" heading), right after the home page's
    own entry (Material's search files a section under the entry before it with its address).
    Nothing to do without an index, a home page entry or a phone (no clinic.yml)."""
    index_file = Path(site_dir) / "search" / "search_index.json"
    if not index_file.is_file() or not clinic.phone_display:
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    docs = index.get("docs", [])
    location = f"{home_location}#{HOME_SECTION}"
    home = next((i for i, doc in enumerate(docs) if doc.get("location") == home_location), None)
    if home is None or any(doc.get("location") == location for doc in docs):
        return
    docs.insert(home + 1, {"location": location, "title": TITLE, "text": clinic_entry_text(clinic)})
    index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
