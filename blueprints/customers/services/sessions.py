"""The signed-in shopper of a request, kept apart from staff sign-in (Flask-Login).

The Flask session holds ``{merchant_id: [customer_id, session_token]}`` under its own key: a
shopper is signed in per merchant, so the sign-in counts in every store of that merchant and in
no store of another one. A new ``session_token`` on the customer (password change, erasure)
ends every session at once.
"""
from __future__ import annotations

import secrets

from flask import g, has_request_context, session

from blueprints.customers.models import Customer
from webapp.extensions import db
from webapp.tenancy import current_store

SESSION_KEY = "customers_signed_in"
_CACHE = "customers_current"


def current_customer() -> Customer | None:
    """The customer signed in for the merchant of this request's store, or None (cached per request)."""
    if not has_request_context():
        return None
    if _CACHE not in g:
        g.setdefault(_CACHE, _load())
    return g.get(_CACHE)


def _load() -> Customer | None:
    store = current_store()
    if store is None:
        return None
    entry = session.get(SESSION_KEY, {}).get(str(store.merchant_id))
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int) and isinstance(entry[1], str)):
        return None
    customer = db.session.get(Customer, entry[0])
    if (customer is None or customer.merchant_id != store.merchant_id or customer.is_erased
            or not secrets.compare_digest(customer.session_token, entry[1])):
        return None
    return customer


def start_session(customer: Customer, *, renew_csrf: bool = True) -> None:
    """Sign ``customer`` in for its merchant. Staff sign-in in the same browser is left alone; the
    CSRF token is renewed (sign-in is followed by a full page load that carries the new one), so
    nothing planted in the session before sign-in stays usable."""
    signed_in = {k: v for k, v in session.get(SESSION_KEY, {}).items() if k != str(customer.merchant_id)}
    signed_in[str(customer.merchant_id)] = [customer.id, customer.session_token]
    if renew_csrf:
        session.pop("csrf_token", None)
    session[SESSION_KEY] = signed_in
    g.pop(_CACHE, None)
    g.setdefault(_CACHE, customer)


def end_session(merchant_id: int) -> None:
    signed_in = {k: v for k, v in session.get(SESSION_KEY, {}).items() if k != str(merchant_id)}
    if signed_in:
        session[SESSION_KEY] = signed_in
    else:
        session.pop(SESSION_KEY, None)
    session.pop("csrf_token", None)
    g.pop(_CACHE, None)
    g.setdefault(_CACHE, None)
