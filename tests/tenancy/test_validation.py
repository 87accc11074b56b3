"""Input rules of tenancy: EU VAT numbers, store codes and host names."""
from __future__ import annotations

import pytest

from blueprints.tenancy.validation import (
    RESERVED_STORE_CODES,
    InvalidInput,
    check_store_code,
    normalise_domain,
    normalise_vat,
)


# -- VAT numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "compact"), [
    ("LU15027442", "LU15027442"),
    ("lu 1502 7442", "LU15027442"),
    (" LU-15027442 ", "LU15027442"),
    ("DE136695976", "DE136695976"),
    ("BE 0403.019.261", "BE0403019261"),
])
def test_a_valid_eu_vat_number_is_stored_in_its_compact_form(raw, compact):
    assert normalise_vat(raw) == compact


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_no_vat_number_is_allowed(raw):
    assert normalise_vat(raw) is None


@pytest.mark.parametrize("raw", [
    "LU15027443",  # check digits do not match
    "LU123",  # too short
    "15027442",  # no country prefix
    "XX15027442",  # not an EU country
    "LU1502744A",  # letters where digits belong
])
def test_an_invalid_vat_number_is_refused_on_the_vat_field(raw):
    with pytest.raises(InvalidInput) as error:
        normalise_vat(raw)
    assert error.value.field == "vat_number"
    assert raw in str(error.value)


# -- store codes ------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "code"), [
    ("boulangerie-centre", "boulangerie-centre"),
    ("  Mode-Lux ", "mode-lux"),
    ("a", "a"),
    ("shop42", "shop42"),
    ("x" * 40, "x" * 40),
])
def test_a_store_code_is_a_lower_case_slug(raw, code):
    assert check_store_code(raw) == code


@pytest.mark.parametrize("raw", ["", "-centre", "centre-", "centre shop", "café", "centre_shop", "x" * 41, "a/b"])
def test_a_malformed_store_code_is_refused(raw):
    with pytest.raises(InvalidInput) as error:
        check_store_code(raw)
    assert error.value.field == "store_code"


@pytest.mark.parametrize("code", sorted(RESERVED_STORE_CODES))
def test_reserved_words_of_the_store_admin_are_not_store_codes(code):
    with pytest.raises(InvalidInput, match="reserved"):
        check_store_code(code.upper())


def test_the_store_admin_pages_are_reserved():
    assert {"login", "logout", "select", "admin", "static"} <= RESERVED_STORE_CODES


# -- host names -------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "host"), [
    ("shop.example.lu", "shop.example.lu"),
    ("  SHOP.Example.LU.  ", "shop.example.lu"),
    ("https://shop.example.lu", "shop.example.lu"),
    ("http://shop.example.lu", "shop.example.lu"),
    ("Bäckerei.lu", "xn--bckerei-5wa.lu"),
    ("BÄCKEREI.LU.", "xn--bckerei-5wa.lu"),
    ("xn--bckerei-5wa.lu", "xn--bckerei-5wa.lu"),
    ("my-shop.co.uk", "my-shop.co.uk"),
])
def test_a_host_is_normalised_to_lower_case_idna_without_trailing_dot(raw, host):
    assert normalise_domain(raw) == host


@pytest.mark.parametrize("raw", [
    "",
    "localhost",  # one label: never a public domain
    "shop.example.lu/path",
    "shop.example.lu:8443",
    "user@shop.example.lu",
    "shop example.lu",
    "shop.example.lu?x=1",
    "-shop.example.lu",
    "shop-.example.lu",
    "shop..example.lu",
    "shop_1.example.lu",
    ("a" * 64) + ".lu",
    ".".join(["a" * 60] * 5) + ".lu",  # longer than 253 characters
])
def test_something_that_is_not_a_host_name_is_refused_on_the_host_field(raw):
    with pytest.raises(InvalidInput) as error:
        normalise_domain(raw)
    assert error.value.field == "host"
