"""GDPR requests: a customer's data as JSON (right of access) and erasure (right to be forgotten).

Erasure anonymises rather than deletes: the row stays (orders and loyalty may point to it) with
``erased-<id>@invalid`` as e-mail and every personal field emptied. Addresses, staff notes (free
text, so possibly personal) and tag links are deleted; all sessions end. Audit rows name customers
by id only, so the log keeps no personal data. Both requests are audited.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from blueprints.customers.models import Customer, CustomerAddress, CustomerNote, customer_tag_links
from blueprints.customers.services import CustomerError
from blueprints.customers.services.accounts import target
from webapp.extensions import db
from webapp.models import utcnow
from webapp.security import audit, new_session_token


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_customer(store, customer: Customer, actor) -> dict:
    """Everything the merchant holds about the customer, audited as a GDPR export."""
    customer = db.session.scalar(
        select(Customer).where(Customer.id == customer.id)
        .options(selectinload(Customer.addresses), selectinload(Customer.tags),
                 selectinload(Customer.notes).joinedload(CustomerNote.author)))
    data = {
        "format": "buttek.customer-export.v1",
        "exported_at": _iso(utcnow()),
        "merchant": {"id": store.merchant_id, "name": store.merchant.name},
        "profile": {
            "id": customer.id, "email": customer.email, "first_name": customer.first_name,
            "last_name": customer.last_name, "phone": customer.phone, "language": customer.language,
            "created_at": _iso(customer.created_at), "last_login_at": _iso(customer.last_login_at),
            "erased_at": _iso(customer.erased_at),
        },
        "marketing_consent": {"given": customer.marketing_consent, "given_at": _iso(customer.marketing_consent_at)},
        "addresses": [{"label": a.label, "name": a.name, "street": a.street, "postal_code": a.postal_code,
                       "city": a.city, "country": a.country, "is_default": a.is_default,
                       "created_at": _iso(a.created_at)} for a in customer.addresses],
        "tags": [tag.name for tag in customer.tags],
        "notes": [{"body": note.body, "created_at": _iso(note.created_at),
                   "author": note.author.name if note.author else None} for note in customer.notes],
    }
    audit("customers.gdpr_exported", target=target(customer), store=store, user=actor)
    db.session.commit()
    return data


def erase_customer(store, customer: Customer, actor) -> Customer:
    if customer.is_erased:
        raise CustomerError(f"This customer's data was already erased on {customer.erased_at:%Y-%m-%d}.")
    db.session.execute(delete(CustomerAddress).where(CustomerAddress.customer_id == customer.id))
    db.session.execute(delete(CustomerNote).where(CustomerNote.customer_id == customer.id))
    db.session.execute(delete(customer_tag_links).where(customer_tag_links.c.customer_id == customer.id))
    customer.email = f"erased-{customer.id}@invalid"
    customer.first_name = customer.last_name = customer.phone = customer.password_hash = ""
    customer.language = None
    customer.marketing_consent, customer.marketing_consent_at = False, None
    customer.session_token = new_session_token()
    customer.erased_at = utcnow()
    db.session.expire(customer, ["addresses", "notes", "tags"])
    audit("customers.gdpr_erased", target=target(customer), store=store, user=actor)
    db.session.commit()
    return customer
