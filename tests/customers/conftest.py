"""Customers fixtures: two merchants (one with two stores), their staff, customers and a mailbox."""
from __future__ import annotations

from itertools import count

import pytest

from blueprints.customers.models import Customer, CustomerAddress, CustomerNote, CustomerTag, Segment
from blueprints.tenancy.models import StoreMembership
from tests.conftest import TEST_PASSWORD
from tests.tenancy.conftest import Mailbox
from tests.tenancy.factories import make_member, make_merchant, make_store, make_user
from webapp.extensions import db
from webapp.security import hash_password, new_session_token

SHOPPER_PASSWORD = "baguette-and-croissant"
SHOPPER_HASH = hash_password(SHOPPER_PASSWORD)  # hashed once: argon2 is slow on purpose
_numbers = count(1)


@pytest.fixture(autouse=True)
def _mail_to_tmp_path(app, tmp_path, monkeypatch):
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(folder))
    return folder


@pytest.fixture
def mailbox(_mail_to_tmp_path) -> Mailbox:
    return Mailbox(_mail_to_tmp_path)


@pytest.fixture
def merchant(platform):
    return make_merchant(platform, name="Boulangerie Test", contact_email="contact@boulangerie.test")


# The stores speak English by default so that tests read the messages as written; the French
# and German storefront are checked in test_languages.py.
@pytest.fixture
def store(merchant):
    return make_store(merchant, "centre", name="Boulangerie Centre", languages=["fr", "de", "en"],
                      default_language="en")


@pytest.fixture
def second_store(merchant):
    return make_store(merchant, "gare", name="Boulangerie Gare", default_language="en")


@pytest.fixture
def other_merchant(platform):
    return make_merchant(platform, name="Mode Test", contact_email="contact@mode.test")


@pytest.fixture
def other_store(other_merchant):
    return make_store(other_merchant, "mode-lux", name="Mode Lux", default_language="en")


@pytest.fixture
def manager(store):
    user = make_user("manager@boulangerie.test")
    make_member(user, store, StoreMembership.MANAGER)
    return user


@pytest.fixture
def staff(store):
    user = make_user("staff@boulangerie.test")
    make_member(user, store, StoreMembership.STAFF)
    return user


def make_customer(merchant, email: str | None = None, *, store=None, tags=(), addresses: int = 0,
                  **values) -> Customer:
    """A customer inserted directly (no audit rows), with the shopper password."""
    number = next(_numbers)
    customer = Customer(merchant_id=merchant.id, email=email or f"shopper{number}@example.lu",
                        password_hash=SHOPPER_HASH, session_token=new_session_token(),
                        registered_store_id=store.id if store else None,
                        first_name=values.pop("first_name", f"Shopper{number}"),
                        last_name=values.pop("last_name", "Test"), **values)
    for name in tags:
        customer.tags.append(make_tag(merchant, name, commit=False))
    for index in range(addresses):
        customer.addresses.append(CustomerAddress(label=f"Address {index}", name="Shopper",
                                                  street=f"{index}, rue Haute", postal_code="1234",
                                                  city="Luxembourg", country="LU", is_default=index == 0))
    db.session.add(customer)
    db.session.commit()
    return customer


def make_tag(merchant, name: str, *, commit: bool = True) -> CustomerTag:
    tag = db.session.query(CustomerTag).filter_by(merchant_id=merchant.id, name=name).one_or_none()
    if tag is None:
        tag = CustomerTag(merchant_id=merchant.id, name=name)
        db.session.add(tag)
        db.session.flush()
    if commit:
        db.session.commit()
    return tag


def make_note(customer, author, body: str = "Prefers rye bread.") -> CustomerNote:
    note = CustomerNote(customer_id=customer.id, author_id=author.id if author else None, body=body)
    db.session.add(note)
    db.session.commit()
    return note


def make_segment(merchant, name: str = "VIP", rules=None, match: str = "all") -> Segment:
    segment = Segment(merchant_id=merchant.id, name=name, match=match,
                      rules=rules if rules is not None else [{"field": "tag", "operator": "is", "value": "vip"}])
    db.session.add(segment)
    db.session.commit()
    return segment


@pytest.fixture
def customer(merchant, store):
    return make_customer(merchant, "claire@example.lu", store=store, first_name="Claire", last_name="Muller")


def shopper_login(client, store, email: str, password: str = SHOPPER_PASSWORD, **kwargs):
    return client.post(f"/s/{store.store_code}/account/login", data={"email": email, "password": password}, **kwargs)


def staff_login(client, user, password: str = TEST_PASSWORD):
    response = client.post("/store/login", data={"email": user.email, "password": password})
    assert response.status_code in (302, 303), response.status_code
    return response
