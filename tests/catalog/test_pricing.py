"""GTINs, prices as merchants type them, the VAT a gross price includes, amounts as shoppers read them."""
from __future__ import annotations

import pytest

from blueprints.catalog.models import ProductVariant
from blueprints.catalog.pricing import InvalidValue, clean_gtin, format_money, parse_price, vat_included
from webapp.models import utcnow


@pytest.mark.parametrize(("raw", "gtin"), [("4006381333931", "4006381333931"), ("9638 5074", "96385074"),
                                           ("036000291452", "036000291452"), ("", None), (None, None)])
def test_valid_gtins_are_kept_as_digits(raw, gtin):
    assert clean_gtin(raw) == gtin


@pytest.mark.parametrize("raw", ["4006381333932", "12345", "40063813339A1"])
def test_a_gtin_with_a_wrong_check_digit_or_length_is_refused(raw):
    with pytest.raises(InvalidValue, match="not a valid GTIN") as error:
        clean_gtin(raw)
    assert error.value.field == "gtin"


@pytest.mark.parametrize(("raw", "cents"), [("12", 1200), ("12,5", 1250), ("12.50", 1250), ("1.234,56", 123456),
                                            ("0,005", 1), ("  4,99 € ", 499), ("", None)])
def test_prices_are_read_as_merchants_type_them(raw, cents):
    assert parse_price(raw) == cents


@pytest.mark.parametrize(("raw", "message"), [("-1", "cannot be negative"), ("douze", "as a number"),
                                              ("nan", "as a number"), ("2000000", "over one million"),
                                              ("1e999", "over one million")])
def test_bad_prices_are_refused(raw, message):
    with pytest.raises(InvalidValue, match=message):
        parse_price(raw)


@pytest.mark.parametrize(("gross", "vat_class", "vat"), [(1170, "standard", 170), (1140, "intermediate", 140),
                                                        (1080, "reduced", 80), (1030, "super_reduced", 30),
                                                        (999, "standard", 145), (0, "standard", 0)])
def test_the_vat_a_gross_price_includes(gross, vat_class, vat):
    assert vat_included(gross, vat_class) == vat


def test_amounts_are_written_as_the_shoppers_language_writes_them():
    assert format_money(123456, language="fr") == "1.234,56\xa0€"  # Luxembourg French (CLDR fr_LU)
    assert format_money(1250, language="de") == "12,50\xa0€"
    assert format_money(1250, language="en") == "€12.50"


def test_a_sale_price_applies_within_its_period_only():
    now = utcnow()
    variant = ProductVariant(price_cents=2000, sale_price_cents=1500)
    assert variant.price_at(now) == 1500
    variant.sale_starts_at = now.replace(year=now.year + 1)
    assert variant.price_at(now) == 2000
    variant.sale_starts_at, variant.sale_ends_at = None, now
    assert variant.price_at(now) == 2000
