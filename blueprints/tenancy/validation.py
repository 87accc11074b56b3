"""Normalising and checking tenancy input: VAT numbers, store codes, host names."""
from __future__ import annotations

import re

import idna
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

STORE_CODE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Words that are pages of the store admin or storefront, never a store code.
RESERVED_STORE_CODES = frozenset({"login", "logout", "select", "invite", "invitations", "reset", "password",
                                  "password-reset",
                                  "static", "admin", "api", "health", "new"})
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidInput(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def normalise_vat(raw: str | None) -> str | None:
    """An EU VAT number in its compact form (``LU15027442``), checked by check digits; or None."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return eu_vat.validate(raw)
    except StdnumError as exc:
        raise InvalidInput(
            "vat_number",
            f"'{raw}' is not a valid EU VAT number ({exc}). Use the country prefix, e.g. LU15027442.",
        ) from exc


def check_store_code(code: str) -> str:
    code = (code or "").strip().lower()
    if not STORE_CODE.match(code):
        raise InvalidInput("store_code", "Use 1–40 lower-case letters, digits and dashes, not starting or "
                                         "ending with a dash (e.g. boulangerie-centre).")
    if code in RESERVED_STORE_CODES:
        raise InvalidInput("store_code", f"'{code}' is reserved; choose another store code.")
    return code


def normalise_domain(raw: str) -> str:
    """A host name as stored and matched: lower case, no trailing dot, IDNA (punycode) form."""
    host = (raw or "").strip().lower().rstrip(".")
    for prefix in ("https://", "http://"):
        host = host.removeprefix(prefix)
    if not host or any(ch in host for ch in "/:@ ?#"):
        raise InvalidInput("host", "Enter a host name only, e.g. shop.example.lu (no https://, path or port).")
    try:
        host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InvalidInput("host", f"'{raw}' is not a valid host name ({exc}).") from exc
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253 or not all(HOST_LABEL.match(label) for label in labels):
        raise InvalidInput("host", f"'{raw}' is not a valid host name, e.g. shop.example.lu.")
    return host
