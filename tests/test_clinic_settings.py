"""The clinic's details in clinic.yml (scripts/clinic_site/clinic_settings.py): each field checked,
each problem naming clinic.yml, the field's line and the fix."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clinic_site import clinic_settings

CLINIC = {"name": "Sample Clinic", "short_name": "Sample Clinic", "street": "1 Main St", "city": "Springfield",
          "state": "IL", "zip": "62701", "phone": "+1-217-555-0100",
          "hours": [{"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                     "opens": "08:00", "closes": "18:00"},
                    {"days": ["Saturday"], "opens": "09:00", "closes": "13:00"}],
          "logo": "assets/logo.svg", "colors": {"primary": "#1f5f7a", "accent": "#a1432b"},
          "latitude": 39.8, "longitude": -89.6495, "time_zone": "America/Chicago"}
CLINIC_TEXT = """# The clinic's details
name: Sample Clinic
phone: "217-555-010"
colors:
  primary: "dark green"
"""


def fields(problems):
    return [(problem.field, problem.what) for problem in problems]


def test_a_complete_clinic_block_passes():
    assert clinic_settings.check_clinic(CLINIC) == []


def test_a_missing_clinic_detail_is_named():
    [problem] = clinic_settings.check_clinic({**CLINIC, "phone": ""})
    assert (problem.path, problem.field, problem.what) == ("clinic.yml", "phone", "is missing")


@pytest.mark.parametrize("phone", ["+1-217-555-0100", "(217) 555-0100", "217.555.0100", "2175550100",
                                   "512-555-0101 ext. 204", "+1 512 555 0101 x204"])
def test_phone_numbers_that_can_be_dialled(phone):
    assert clinic_settings.check_clinic({**CLINIC, "phone": phone}) == []


@pytest.mark.parametrize("phone", ["217-555-010", "555-0100", "call us", "+44 20 7946 0000"])
def test_phone_numbers_that_cannot_be_dialled(phone):
    assert fields(clinic_settings.check_clinic({**CLINIC, "phone": phone})) == [
        ("phone", f"is '{phone}', which cannot be dialled")]


def test_dialable_digits_keep_the_extension():
    assert clinic_settings.dialable_digits("512-555-0101 ext. 204") == ("5125550101", "204")
    assert clinic_settings.dialable_digits("12") is None


@pytest.mark.parametrize("colors, field", [
    ({"primary": "dark green", "accent": "#a1432b"}, "colors.primary"),
    ({"primary": "#1f5f7a", "accent": "#12"}, "colors.accent"),
    ({"primary": "#9ec9dd", "accent": "#a1432b"}, "colors.primary"),
])
def test_colours_must_be_hex_and_the_header_readable(colors, field):
    [problem] = clinic_settings.check_clinic({**CLINIC, "colors": colors})
    assert problem.field == field


def test_contrast_ratio_matches_wcag_examples():
    assert clinic_settings.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert clinic_settings.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert clinic_settings.contrast_ratio("#fff", "#ffffff") == pytest.approx(1)


@pytest.mark.parametrize("state", ["IL", "GU", "PR", "DC", "VI"])
def test_every_state_district_and_territory_is_accepted(state):
    assert clinic_settings.check_clinic({**CLINIC, "state": state}) == []


def test_problems_carry_the_line_of_the_field(tmp_path):
    clinic_file = tmp_path / "clinic.yml"
    clinic_file.write_text(CLINIC_TEXT, encoding="utf-8")
    found = {(problem.path, problem.field): problem.line for problem in clinic_settings.check_clinic(
        {**CLINIC, "phone": "217-555-010", "colors": {"primary": "dark green", "accent": "#a1432b"}}, clinic_file)}
    assert found == {("clinic.yml", "phone"): 3, ("clinic.yml", "colors.primary"): 5}


# ---- the fields of issue 12: hours, links, position, short name, services ----

def problems_of(**changes):
    return fields(clinic_settings.check_clinic({**CLINIC, **changes}, docs_dir=DOCS))


DOCS = Path(__file__).resolve().parent.parent / "docs"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@pytest.mark.parametrize("row, field, what", [
    ({"days": ["Mon"], "opens": "08:00", "closes": "18:00"}, "hours.1.days",
     "has 'Mon', which is not a day of the week"),
    ({"days": WEEKDAYS, "opens": "8 am", "closes": "18:00"}, "hours.1.opens", "is '8 am', not a 24-hour time (HH:MM)"),
    ({"days": WEEKDAYS, "opens": "08:00", "closes": 1080}, "hours.1.closes",
     "is 1080, which YAML read as a number, not a 24-hour time (HH:MM)"),
    ({"days": WEEKDAYS, "opens": "08:00", "closes": "25:00"}, "hours.1.closes",
     "is '25:00', not a 24-hour time (HH:MM)"),
    ({"days": WEEKDAYS, "opens": "18:00", "closes": "08:00"}, "hours.1.closes",
     "is 08:00, not after the opening time 18:00"),
    ({"days": WEEKDAYS, "opens": "08:00"}, "hours.1.closes", "is missing, not a 24-hour time (HH:MM)"),
    ({"days": [], "opens": "08:00", "closes": "18:00"}, "hours.1.days", "must list the days"),
    ("Monday to Friday, 8 am to 6 pm", "hours.1", "is 'Monday to Friday, 8 am to 6 pm', not days with opening "
                                                  "and closing times"),
])
def test_hours_that_do_not_parse_are_named(row, field, what):
    assert problems_of(hours=[row]) == [(f"{field}", what)]


def test_a_day_given_twice_in_one_row_is_named():
    hours = [{"days": ["Monday", "Friday", "friday"], "opens": "08:00", "closes": "18:00"}]
    assert problems_of(hours=hours) == [("hours.1.days", "has Friday a second time")]


def test_rows_whose_times_overlap_on_a_day_are_named_with_both_rows():
    hours = [{"days": WEEKDAYS, "opens": "08:00", "closes": "18:00"},
             {"days": ["Friday", "Saturday"], "opens": "09:00", "closes": "13:00"}]
    [problem] = clinic_settings.check_clinic({**CLINIC, "hours": hours})
    assert (problem.field, problem.what) == ("hours.2.opens",
                                             "09:00 to 13:00 on Friday overlaps row 1 (08:00 to 18:00)")
    assert "lunch break is two rows" in problem.fix


LUNCH = [{"days": WEEKDAYS, "opens": "08:00", "closes": "12:00"},
         {"days": WEEKDAYS, "opens": "13:00", "closes": "18:00"},
         {"days": ["Saturday"], "opens": "09:00", "closes": "12:00"},
         {"days": ["Saturday"], "opens": "12:00", "closes": "13:00"}]   # touching, not overlapping


def test_a_lunch_break_is_accepted_and_read_as_people_say_it():
    assert problems_of(hours=LUNCH) == []
    details = clinic_settings.clinic_details({**CLINIC, "hours": LUNCH})
    assert [(line.days_label, line.label) for line in details.hours_lines] == [
        ("Monday to Friday", "8 am to noon and 1 pm to 6 pm"), ("Saturday", "9 am to noon and noon to 1 pm")]
    assert len(details.hours) == 4   # one OpeningHoursSpecification per row (seo.opening_hours)


def test_days_with_the_same_openings_share_a_line_in_week_order():
    hours = [{"days": ["Saturday"], "opens": "09:00", "closes": "13:00"},
             {"days": ["Monday", "Wednesday"], "opens": "08:00", "closes": "18:00"},
             {"days": ["Tuesday"], "opens": "08:00", "closes": "12:00"},
             {"days": ["Tuesday"], "opens": "14:00", "closes": "18:00"}]
    details = clinic_settings.clinic_details({**CLINIC, "hours": hours})
    assert [(line.days_label, line.label) for line in details.hours_lines] == [
        ("Monday and Wednesday", "8 am to 6 pm"), ("Tuesday", "8 am to noon and 2 pm to 6 pm"),
        ("Saturday", "9 am to 1 pm")]


@pytest.mark.parametrize("zone", ["America/Chicago", "America/New_York", "Pacific/Honolulu", "America/Puerto_Rico",
                                  "UTC"])
def test_a_time_zone_is_an_iana_name(zone):
    assert problems_of(time_zone=zone) == []
    assert clinic_settings.clinic_details({**CLINIC, "time_zone": zone}).time_zone == zone


@pytest.mark.parametrize("zone", ["Central", "CST6", "America/Springfield", "-06:00", " America/Chicago", 6,
                                  "../../etc/passwd"])
def test_a_time_zone_that_is_not_one_is_named_with_the_fix(zone):
    [(field, what)] = problems_of(time_zone=zone)
    assert field == "time_zone" and what == f"is {zone!r}, not a time zone's name"
    [problem] = clinic_settings.check_clinic({**CLINIC, "time_zone": zone})
    assert "America/Chicago" in problem.fix and problem.path == "clinic.yml"
    assert clinic_settings.clinic_details({**CLINIC, "time_zone": zone}).time_zone == "UTC"


def test_a_missing_time_zone_is_named():
    clinic = {key: value for key, value in CLINIC.items() if key != "time_zone"}
    assert fields(clinic_settings.check_clinic(clinic)) == [("time_zone", "is missing")]


def test_the_time_zone_data_is_there_without_the_system_zone_files():
    # zoneinfo falls back to the tzdata package (pinned in requirements.txt) when the system has no
    # zone files (a slim container, Windows): the package alone must know the clinic's zone.
    import importlib.resources
    assert importlib.resources.files("tzdata").joinpath("zoneinfo", "America", "Chicago").is_file()
    requirements = (Path(__file__).parents[1] / "requirements.txt").read_text(encoding="utf-8")
    assert any(line.startswith("tzdata==") for line in requirements.splitlines())


@pytest.mark.parametrize("url", ["http://example.org/book", "javascript:alert(1)", "data:text/html,hi",
                                 "example.org/book", "https://", "https://example.org/a b", 'https://x.org/"><b>'])
@pytest.mark.parametrize("key", ["booking_url", "directions_url"])
def test_links_must_be_whole_https_addresses(key, url):
    [(field, what)] = problems_of(**{key: url})
    assert field == f"{key}" and url in what


def test_links_are_optional_and_https_ones_pass():
    assert problems_of(booking_url="https://example.org/book?a=1&b=2", directions_url="") == []


@pytest.mark.parametrize("key, value", [("latitude", 91), ("latitude", "north"), ("longitude", -181),
                                        ("longitude", True)])
def test_positions_out_of_range_are_named(key, value):
    [(field, what)] = problems_of(**{key: value})
    assert field == f"{key}" and what.startswith(f"is {value!r}, not a {key}")


def test_a_short_name_too_long_for_a_phone_header_is_named():
    assert problems_of(short_name="Riverbend Medical Massage Clinic") == [
        ("short_name", "is 32 characters long, more than the header can show on a phone (24)")]
    assert problems_of(short_name="x" * clinic_settings.SHORT_NAME_MAX) == []


def test_services_must_name_existing_pages():
    services = [{"name": "Medical massage", "summary": "What it is.", "page": "guide/what-is-medical-massage.md"},
                {"name": "Cupping", "summary": "Not written yet.", "page": "guide/cupping.md"},
                {"name": "", "summary": "No name.", "page": "guide/glossary.md"},
                {"name": "Link", "summary": "A web address.", "page": "https://example.org/"}]
    assert problems_of(services=services) == [
        ("services.2.page", "is 'guide/cupping.md', which is not a page in docs/"),
        ("services.3.name", "is missing"),
        ("services.4.page", "is 'https://example.org/', not a page's path")]


def test_an_email_that_is_not_one_is_named():
    assert problems_of(email="front desk") == [("email", "is 'front desk', not an email address")]
    assert problems_of(email="frontdesk@example.org") == []


def test_nested_fields_carry_their_own_line():
    text = ('name: Sample Clinic\nhours:\n  - days: [Monday]\n    opens: "08:00"\n    closes: "18:00"\n'
            '  - days: [Saturday]\n    opens: "09:00"\n    closes: "08:00"\n')
    hours = [{"days": ["Monday"], "opens": "08:00", "closes": "18:00"},
             {"days": ["Saturday"], "opens": "09:00", "closes": "08:00"}]
    [problem] = clinic_settings.check_clinic({**CLINIC, "hours": hours}, text=text)
    assert (problem.path, problem.field, problem.line) == ("clinic.yml", "hours.2.closes", 8)


# ---- clinic_details: what templates read (contract 1) ----

def test_clinic_details_give_templates_ready_forms():
    details = clinic_settings.clinic_details({**CLINIC, "phone": "217-555-0100 ext. 204", "booking_url": None})
    assert (details.phone_display, details.phone_tel) == ("(217) 555-0100 ext. 204", "tel:+12175550100;ext=204")
    assert details.book_href == details.phone_tel and details.email is None and details.directions_url is None
    assert [(row.days_label, row.opens_label, row.closes_label) for row in details.hours] == [
        ("Monday to Friday", "8 am", "6 pm"), ("Saturday", "9 am", "1 pm")]
    assert details.hours[0].days == tuple(WEEKDAYS) and details.hours[0].opens == "08:00"
    booked = clinic_settings.clinic_details({**CLINIC, "booking_url": "https://example.org/book"})
    assert booked.book_href == "https://example.org/book"


@pytest.mark.parametrize("days, label", [(["Saturday", "Sunday"], "Saturday and Sunday"),
                                         (["Friday", "Monday", "Wednesday"], "Monday, Wednesday and Friday"),
                                         (["Tuesday", "Monday", "Wednesday"], "Monday to Wednesday")])
def test_days_read_as_people_say_them(days, label):
    [row] = clinic_settings.clinic_details({**CLINIC, "hours": [{"days": days, "opens": "12:00",
                                                                  "closes": "19:30"}]}).hours
    assert (row.days_label, row.opens_label, row.closes_label) == (label, "noon", "7:30 pm")


def test_clinic_details_leave_out_what_did_not_pass_so_the_preview_still_shows_pages():
    details = clinic_settings.clinic_details({**CLINIC, "hours": [{"days": ["Mon"], "opens": 1080}, "text"],
                                              "booking_url": "javascript:alert(1)", "latitude": "north",
                                              "services": ["Massage", {"name": "Massage"}]})
    assert details.hours == () and details.booking_url is None and details.book_href == details.phone_tel
    assert details.latitude is None and [service.name for service in details.services] == ["Massage"]


# ---- what the build prints: one clear line, never a traceback ----

SETTING_FAULTS = [
    ('primary: "#1f5f7a"', 'primary: "dark green"', "colors.primary"),
    ('phone: "+1-217-555-0100"', 'phone: "217-555-010"', "phone"),
    ('closes: "18:00"', "closes: 18:00", "hours.1.closes"),
    ("booking_url: https://booking.example.com/riverbend", 'booking_url: "javascript:alert(1)"',
     "booking_url"),
]


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory):
    """One build of a copy with every fault of SETTING_FAULTS (a run names every problem):
    (the build's result, {field: line in clinic.yml})."""
    from devtools.project_copy import copy_project
    from tests.harness import build_site, without_cards

    project = without_cards(copy_project(tmp_path_factory.mktemp("settings") / "project"))   # only words are read
    clinic_file = project / "clinic.yml"
    text = clinic_file.read_text(encoding="utf-8")
    lines = {}
    for old, new, field in SETTING_FAULTS:
        assert old in text
        lines[field] = text[:text.index(old)].count("\n") + 1
        text = text.replace(old, new, 1)
    clinic_file.write_text(text, encoding="utf-8")
    return build_site(project / "site", project / "mkdocs.yml"), lines


@pytest.mark.build
@pytest.mark.parametrize("field", [field for _old, _new, field in SETTING_FAULTS])
def test_the_build_stops_with_one_line_naming_the_field(faulty_build, field):
    result, lines = faulty_build
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    named = [text_line.strip() for text_line in output.splitlines() if f"'{field}'" in text_line]
    assert len(named) == 1 and named[0].startswith(f"clinic.yml, line {lines[field]}: '{field}' "), output
    assert " — " in named[0]  # and says how to fix it


def test_a_misspelt_detail_is_named_at_its_line_with_the_right_name():
    # `shortname:` used to be read as short_name missing, on line 1, with nothing on the slip's line.
    text = clinic_text_of({**CLINIC, "shortname": "Sample"}, drop="short_name")
    found = clinic_settings.check_clinic(yaml.safe_load(text), text=text, docs_dir=DOCS)
    slip = [p for p in found if p.field == "shortname"]
    assert [(p.line, p.what) for p in slip] == [(text.splitlines().index("shortname: Sample") + 1,
                                                 "is not a detail clinic.yml has")]
    assert "did you mean 'short_name'?" in slip[0].fix
    assert any(p.field == "short_name" and p.what == "is missing" for p in found)


def test_a_detail_nothing_is_like_lists_the_details_and_every_known_detail_passes():
    [(field, what)] = problems_of(favourite_colour="blue")
    assert (field, what) == ("favourite_colour", "is not a detail clinic.yml has")
    every = {**CLINIC, "email": "a@example.org", "booking_url": "https://example.org/b", "sample": True,
             "directions_url": "https://example.org/d", "live": False}
    assert fields(clinic_settings.check_clinic(every, docs_dir=DOCS)) == []


def test_the_sample_clinic_yml_uses_only_known_details():
    text = (Path(__file__).resolve().parents[1] / "clinic.yml").read_text(encoding="utf-8")
    assert set(yaml.safe_load(text)) <= set(clinic_settings.REQUIRED + clinic_settings.OPTIONAL)


def clinic_text_of(details: dict, drop: str) -> str:
    return yaml.safe_dump({key: value for key, value in details.items() if key != drop}, sort_keys=False)
