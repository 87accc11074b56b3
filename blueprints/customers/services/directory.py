"""The merchant's customers in the store admin: list and filters, details, notes and tags.

Every lookup is scoped to the store's merchant (customers are merchant-wide, so every store of
the merchant sees the same customers); another merchant's row raises ``NotFound``.
"""
from __future__ import annotations

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import selectinload

from blueprints.customers.models import Customer, CustomerNote, CustomerTag, Segment, customer_tag_links
from blueprints.customers.services import CustomerError, NotFound, Page, flush_unique, one_line, paginate, segments
from blueprints.customers.services.accounts import target
from webapp.extensions import db
from webapp.i18n import LANGUAGES
from webapp.security import audit

CONSENT_FILTERS = ("yes", "no")
TAG_LIMIT = 40
NOTE_LIMIT = 5000


def customers_query(merchant_id: int, *, search: str = "", tag: str = "", language: str = "", consent: str = "",
                    segment: Segment | None = None):
    query = select(Customer).where(Customer.merchant_id == merchant_id)
    if search:
        text = search.lower()
        query = query.where(or_(func.lower(Customer.email).contains(text, autoescape=True),
                                func.lower(Customer.first_name).contains(text, autoescape=True),
                                func.lower(Customer.last_name).contains(text, autoescape=True),
                                func.lower(Customer.first_name + " " + Customer.last_name).contains(
                                    text, autoescape=True)))
    if tag:
        query = query.where(segments.FIELDS["tag"].build(merchant_id, "is", tag))
    if language:
        query = query.where(Customer.language == language)
    if consent:
        query = query.where(Customer.marketing_consent.is_(consent == "yes"))
    if segment is not None:
        query = query.where(Customer.erased_at.is_(None), segments.members_clause(segment))
    return query.order_by(Customer.created_at.desc(), Customer.id.desc())


def list_customers(store, *, search: str = "", tag: str = "", language: str = "", consent: str = "",
                   segment: Segment | None = None, page: int = 1) -> Page:
    if language and language not in LANGUAGES:
        raise CustomerError(f"Unknown language '{language}'.", "language")
    if consent and consent not in CONSENT_FILTERS:
        raise CustomerError("Consent is 'yes' or 'no'.", "consent")
    query = customers_query(store.merchant_id, search=search, tag=tag, language=language, consent=consent,
                            segment=segment).options(selectinload(Customer.tags))
    return paginate(query, page)


def merchant_tags(store) -> list[CustomerTag]:
    return list(db.session.scalars(select(CustomerTag).where(CustomerTag.merchant_id == store.merchant_id)
                                   .order_by(CustomerTag.name)))


def get_customer(store, customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None or customer.merchant_id != store.merchant_id:
        raise NotFound(customer_id)
    return customer


def customer_details(store, customer_id: int) -> Customer:
    """The customer with addresses, notes (and their authors) and tags loaded in a fixed number of queries."""
    customer = db.session.scalar(
        select(Customer).where(Customer.id == customer_id, Customer.merchant_id == store.merchant_id)
        .options(selectinload(Customer.addresses), selectinload(Customer.tags),
                 selectinload(Customer.notes).joinedload(CustomerNote.author)))
    if customer is None:
        raise NotFound(customer_id)
    return customer


def _not_erased(customer: Customer) -> None:
    if customer.is_erased:
        raise CustomerError("This customer's data was erased; nothing can be added to it.")


def update_customer(store, customer: Customer, data: dict, actor) -> Customer:
    """Staff correct a customer's name, phone or language (the e-mail and consent are the customer's own)."""
    _not_erased(customer)
    language = data.get("language") or None
    if language is not None and language not in LANGUAGES:
        raise CustomerError(f"Choose a language: {', '.join(LANGUAGES)}.", "language")
    cleaned = {"first_name": one_line(data.get("first_name"))[:80], "last_name": one_line(data.get("last_name"))[:80],
               "phone": one_line(data.get("phone"))[:40], "language": language}
    changed = sorted(key for key, value in cleaned.items() if getattr(customer, key) != value)
    for key, value in cleaned.items():
        setattr(customer, key, value)
    audit("customers.customer_updated", target=target(customer), store=store, user=actor,
          details={"fields": changed})
    db.session.commit()
    return customer


# -- notes --------------------------------------------------------------------------------------
def add_note(store, customer: Customer, body: str, actor) -> CustomerNote:
    _not_erased(customer)
    body = (body or "").strip()
    if not body:
        raise CustomerError("Write the note first.", "body")
    if len(body) > NOTE_LIMIT:
        raise CustomerError(f"Keep a note under {NOTE_LIMIT} characters.", "body")
    note = CustomerNote(customer_id=customer.id, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit("customers.note_added", target=target(customer), store=store, user=actor, details={"note_id": note.id})
    db.session.commit()
    return note


def get_note(store, note_id: int) -> CustomerNote:
    note = db.session.scalar(select(CustomerNote).join(Customer, Customer.id == CustomerNote.customer_id)
                             .where(CustomerNote.id == note_id, Customer.merchant_id == store.merchant_id))
    if note is None:
        raise NotFound(note_id)
    return note


def delete_note(store, customer: Customer, note_id: int, actor) -> None:
    note = get_note(store, note_id)
    if note.customer_id != customer.id:
        raise NotFound(note_id)
    audit("customers.note_deleted", target=target(customer), store=store, user=actor, details={"note_id": note.id})
    db.session.delete(note)
    db.session.commit()


# -- tags ---------------------------------------------------------------------------------------
def clean_tag(name: str) -> str:
    name = one_line(name).lower()
    if not name:
        raise CustomerError("Name the tag.", "name")
    if len(name) > TAG_LIMIT:
        raise CustomerError(f"Keep a tag under {TAG_LIMIT} characters.", "name")
    return name


def add_tag(store, customer: Customer, name: str, actor) -> CustomerTag:
    """Tag ``customer``; a tag name new to the merchant becomes one of its tags."""
    _not_erased(customer)
    name = clean_tag(name)
    tag = db.session.scalar(select(CustomerTag).where(CustomerTag.merchant_id == store.merchant_id,
                                                      CustomerTag.name == name))
    if tag is None:
        tag = CustomerTag(merchant_id=store.merchant_id, name=name)
        db.session.add(tag)
        flush_unique("That tag was just created by someone else; try again.", "name")
    if tag in customer.tags:
        raise CustomerError(f"{customer.name or customer.email} is tagged '{name}' already.", "name")
    customer.tags.append(tag)
    audit("customers.tag_added", target=target(customer), store=store, user=actor, details={"tag": name})
    flush_unique("That tag was just added by someone else.", "name", commit=True)
    return tag


def remove_tag(store, customer: Customer, tag_id: int, actor) -> None:
    tag = db.session.get(CustomerTag, tag_id)
    if tag is None or tag.merchant_id != store.merchant_id or tag not in customer.tags:
        raise NotFound(tag_id)
    db.session.execute(delete(customer_tag_links).where(customer_tag_links.c.customer_id == customer.id,
                                                        customer_tag_links.c.tag_id == tag.id))
    db.session.expire(customer, ["tags"])
    audit("customers.tag_removed", target=target(customer), store=store, user=actor, details={"tag": tag.name})
    db.session.commit()
