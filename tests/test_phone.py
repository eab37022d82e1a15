"""The one phone parser (scripts/clinic_site/phone.py): the clinic block and listings alike."""
import pytest

from clinic_site import clinic_settings
from clinic_site.phone import Phone, parse_phone, phone_display, phone_tel


@pytest.mark.parametrize("text, digits, extension", [
    ("512-555-0101", "5125550101", None),
    ("(512) 555-0101", "5125550101", None),
    ("+1 (512) 555-0101", "5125550101", None),
    ("+1-217-555-0100", "2175550100", None),
    ("1 512 555 0101", "5125550101", None),
    ("512.555.0101", "5125550101", None),
    ("  5125550101  ", "5125550101", None),
    ("512-555-0101 ext. 204", "5125550101", "204"),
    ("512-555-0101 ext 204", "5125550101", "204"),
    ("512-555-0101 EXT. 204", "5125550101", "204"),
    ("512-555-0101 extension 7", "5125550101", "7"),
    ("512-555-0101 x204", "5125550101", "204"),
    ("512-555-0101, ext. 204", "5125550101", "204"),
    ("512-555-0101 #204", "5125550101", "204"),
    ("+15125550101;ext=204", "5125550101", "204"),
])
def test_dialable_forms_give_the_digits_and_extension(text, digits, extension):
    assert parse_phone(text) == Phone(digits, extension)


@pytest.mark.parametrize("text", [
    "555-0101",              # no area code
    "512-555-010",           # nine digits
    "512-555-01011",         # eleven digits not starting with 1
    "012-555-0101",          # area codes never start with 0 or 1
    "512-155-0101",          # nor do exchanges
    "call 512-555-0101",     # words
    "+44 20 7946 0958",      # not a US number
    "512+555-0101",
    "512-555-0101 ext.",     # an extension without digits
    "512-555-0101 ext. 1234567",  # more than 6 digits
    "", "   ", None, 5125550101,
])
def test_what_cannot_be_dialled_gives_none(text):
    assert parse_phone(text) is None


def test_display_and_tel_forms_match_contract_1():
    phone = parse_phone("512-555-0101 ext. 204")
    assert (phone.display, phone.tel, phone.e164) == (
        "(512) 555-0101 ext. 204", "tel:+15125550101;ext=204", "+15125550101")
    assert (phone_display("217.555.0100"), phone_tel("217.555.0100")) == ("(217) 555-0100", "tel:+12175550100")


def test_text_that_cannot_be_dialled_is_shown_as_written():
    assert phone_display("call us") == "call us"
    assert phone_tel("555-0101") == "tel:5550101"


def test_clinic_yml_uses_the_same_parser():
    clinic = {"phone": "217-555-0100 ext. 204"}
    details = clinic_settings.clinic_details(clinic)
    assert (details.phone_display, details.phone_tel, details.phone_e164) == (
        "(217) 555-0100 ext. 204", "tel:+12175550100;ext=204", "+12175550100")
    problems = clinic_settings.check_clinic({"phone": "217-555-01 ext. 204"})
    assert any(p.field == "phone" and "cannot be dialled" in p.what for p in problems)
    assert not any(p.field == "phone" for p in clinic_settings.check_clinic(clinic))


def test_a_listing_with_an_extension_shows_and_dials_it_on_its_page(read_page):
    """docs/therapists/listings/sample-kai-example.yml has `phone: 303-555-0110 ext. 204`."""
    page = read_page("therapists/sample-kai-example/")
    [link] = [a for a in page.select("article a[href^='tel:']")]
    assert link["href"] == "tel:+13035550110;ext=204"
    # a Call button: the number as shown, then (for screen readers) whom it calls
    assert link.get_text(" ", strip=True).startswith("Call (303) 555-0110 ext. 204")
