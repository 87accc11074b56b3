"""Parallel additions to one cart on PostgreSQL: one line with every unit counted, one cart per customer,
and never more than the stock, with clear refusals instead of errors."""
from __future__ import annotations

import threading

import pytest
from flask import session
from sqlalchemy import func, select

from blueprints.catalog.models import Cart, CartItem, Product, ProductTranslation, ProductVariant
from blueprints.catalog.services import cart as carts
from blueprints.catalog.services import stock
from blueprints.customers.models import Customer
from blueprints.tenancy.models import Merchant, Store
from tests.conftest import migrated_app
from webapp.extensions import db
from webapp.models import Platform, PlatformModule
from webapp.tenancy import current_store

pytestmark = pytest.mark.postgres
HOST = "race.example.com"


def seed_race() -> None:
    platform = Platform(code="race", name="Race", hosts=[HOST])
    merchant = Merchant(platform=platform, name="Racer", legal_name="Racer", contact_email="r@example.com")
    store = Store(platform=platform, merchant=merchant, store_code="race-shop", name="Race shop", languages=["en"],
                  default_language="en")
    db.session.add_all([platform, merchant, store])
    db.session.flush()
    product = Product(store_id=store.id, slug="shirt", status="active",
                      translations=[ProductTranslation(language="en", title="Linen shirt")],
                      variants=[ProductVariant(store_id=store.id, sku="SHIRT", price_cents=2500)])
    customer = Customer(merchant_id=merchant.id, email="lea@example.lu", session_token="t" * 32)
    modules = [PlatformModule(platform_id=platform.id, module_code=code, enabled=True, config={})
               for code in ("catalog", "inventory")]
    db.session.add_all([product, customer, *modules])


@pytest.fixture
def race_app(empty_postgres_database, monkeypatch):
    monkeypatch.setattr(stock, "_sources", [])
    with migrated_app(empty_postgres_database, seed=seed_race) as app:
        yield app


def ids(app) -> tuple[int, int, int]:
    with app.app_context():
        found = (db.session.scalar(select(Store.id)), db.session.scalar(select(ProductVariant.id)),
                 db.session.scalar(select(Customer.id)))
        db.session.remove()
        return found


def at_once(app, operation, count: int) -> list[str]:
    barrier, outcomes = threading.Barrier(count), []

    def run():
        with app.test_request_context("/s/race-shop/cart/add", method="POST", base_url=f"http://{HOST}"):
            try:
                barrier.wait(timeout=10)
                operation()
                outcomes.append("ok")
            except carts.CartError as exc:
                outcomes.append(f"refused:{exc}")
            except Exception as exc:  # anything else would be a 500
                outcomes.append(f"error:{type(exc).__name__}:{exc}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def lines(app) -> tuple[int, list[tuple[int, int]]]:
    with app.app_context():
        found = (db.session.scalar(select(func.count(Cart.id))),
                 db.session.execute(select(CartItem.cart_id, CartItem.quantity)).all())
        db.session.remove()
        return found[0], [tuple(row) for row in found[1]]


def test_parallel_additions_to_one_browsers_cart_make_one_line_with_every_unit(race_app):
    store_id, variant_id, _customer_id = ids(race_app)
    with race_app.test_request_context("/s/race-shop/cart/add", method="POST", base_url=f"http://{HOST}"):
        carts.add(current_store(), variant_id, 1)
        token = session[carts.SESSION_KEY][str(store_id)]
        db.session.remove()

    def add_one():
        session[carts.SESSION_KEY] = {str(store_id): token}
        carts.add(current_store(), variant_id, 1)

    assert at_once(race_app, add_one, 4) == ["ok"] * 4
    assert lines(race_app) == (1, [(1, 5)])


def test_a_customers_first_additions_at_once_make_one_cart(race_app, monkeypatch):
    _store_id, variant_id, customer_id = ids(race_app)
    monkeypatch.setattr(carts, "current_customer", lambda: db.session.get(Customer, customer_id))

    def add_one():
        carts.add(current_store(), variant_id, 1)

    assert at_once(race_app, add_one, 4) == ["ok"] * 4
    count, rows = lines(race_app)
    assert count == 1 and [quantity for _cart, quantity in rows] == [4]


def test_parallel_additions_never_pass_the_stock(race_app, monkeypatch):
    store_id, variant_id, customer_id = ids(race_app)
    stock.register_source("inventory", lambda store, variant_ids: dict.fromkeys(variant_ids, 3))
    monkeypatch.setattr(carts, "current_customer", lambda: db.session.get(Customer, customer_id))

    def add_one():
        carts.add(current_store(), variant_id, 1)

    outcomes = at_once(race_app, add_one, 5)
    assert sorted(outcomes) == ["ok"] * 3 + ["refused:Only 3 left of Linen shirt, and 3 are already in your cart."] * 2
    assert [quantity for _cart, quantity in lines(race_app)[1]] == [3]
