"""The clinic block in mkdocs.yml (scripts/clinic_site/clinic_settings.py): each field checked,
each problem naming mkdocs.yml, the field's line and the fix."""
from __future__ import annotations

import pytest

from clinic_site import clinic_settings

CLINIC = {"name": "Sample Clinic", "short_name": "Sample Clinic", "street": "1 Main St", "city": "Springfield",
          "state": "IL", "zip": "62701", "phone": "+1-217-555-0100",
          "hours": [{"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                     "opens": "08:00", "closes": "18:00"},
                    {"days": ["Saturday"], "opens": "09:00", "closes": "13:00"}],
          "logo": "assets/logo.svg", "colors": {"primary": "#1f5f7a", "accent": "#a1432b"},
          "latitude": 39.8, "longitude": -89.6495}
CONFIG = """site_name: x
extra:
  clinic:
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
    assert (problem.path, problem.field, problem.what) == ("mkdocs.yml", "extra.clinic.phone", "is missing")


@pytest.mark.parametrize("phone", ["+1-217-555-0100", "(217) 555-0100", "217.555.0100", "2175550100",
                                   "512-555-0101 ext. 204", "+1 512 555 0101 x204"])
def test_phone_numbers_that_can_be_dialled(phone):
    assert clinic_settings.check_clinic({**CLINIC, "phone": phone}) == []


@pytest.mark.parametrize("phone", ["217-555-010", "555-0100", "call us", "+44 20 7946 0000"])
def test_phone_numbers_that_cannot_be_dialled(phone):
    assert fields(clinic_settings.check_clinic({**CLINIC, "phone": phone})) == [
        ("extra.clinic.phone", f"is '{phone}', which cannot be dialled")]


def test_dialable_digits_keep_the_extension():
    assert clinic_settings.dialable_digits("512-555-0101 ext. 204") == ("5125550101", "204")
    assert clinic_settings.dialable_digits("12") is None


@pytest.mark.parametrize("colors, field", [
    ({"primary": "dark green", "accent": "#a1432b"}, "extra.clinic.colors.primary"),
    ({"primary": "#1f5f7a", "accent": "#12"}, "extra.clinic.colors.accent"),
    ({"primary": "#9ec9dd", "accent": "#a1432b"}, "extra.clinic.colors.primary"),
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
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    found = {problem.field: problem.line for problem in clinic_settings.check_clinic(
        {**CLINIC, "phone": "217-555-010", "colors": {"primary": "dark green", "accent": "#a1432b"}}, config)}
    assert found == {"extra.clinic.phone": 5, "extra.clinic.colors.primary": 7}
