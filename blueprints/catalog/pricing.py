"""Money rules of the catalog: GTINs, gross prices and the VAT they include, prices as shoppers read them.

GTIN check digits come from python-stdnum (already used for VAT numbers) rather than our own
arithmetic; amounts are formatted by Babel for the shopper's language.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency
from stdnum import ean
from stdnum.exceptions import ValidationError

from blueprints.catalog.models import VAT_RATES

MAX_PRICE_CENTS = 100_000_000  # one million euros: anything above is a typing error


class InvalidValue(ValueError):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def clean_gtin(value: str | None) -> str | None:
    """A GTIN-8, -12, -13 or -14 (EAN/UPC) with a correct check digit, digits only; None when empty."""
    digits = "".join((value or "").split())
    if not digits:
        return None
    try:
        return ean.validate(digits)
    except ValidationError as exc:
        raise InvalidValue(f"'{value}' is not a valid GTIN/EAN: check its digits ({exc.message.lower()})",
                           "gtin") from exc


def parse_price(value, field: str = "price") -> int | None:
    """Cents from what a merchant types: ``12``, ``12.5``, ``12,50`` (Luxembourg writes a decimal comma)."""
    text = str(value if value is not None else "").strip().replace("€", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "")  # 1.234,50
    text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except ArithmeticError:
        raise InvalidValue(f"Enter the price as a number, e.g. 12,50 (got '{value}').", field) from None
    if not amount.is_finite():
        raise InvalidValue(f"Enter the price as a number, e.g. 12,50 (got '{value}').", field)
    if amount < 0:
        raise InvalidValue("A price cannot be negative.", field)
    # Compared before rounding: quantizing 1e999 would overflow the decimal context.
    if amount * 100 > MAX_PRICE_CENTS:
        raise InvalidValue("That price is over one million euros; check the amount.", field)
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_included(gross_cents: int, vat_class: str) -> int:
    """The VAT contained in a gross price, in cents: gross × rate / (100 + rate), rounded half up."""
    rate = VAT_RATES[vat_class]
    return int((Decimal(gross_cents) * rate / (100 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(cents: int, currency: str = "EUR", language: str = "fr") -> str:
    """``12,50 €`` in French, ``€12.50`` in English: as the shopper's language writes amounts."""
    locale = {"lb": "lb_LU", "fr": "fr_LU", "de": "de_LU", "en": "en_GB"}.get(language, "fr_LU")
    return format_currency(Decimal(cents) / 100, currency, locale=locale)
