"""Reservations racing for the last units on PostgreSQL: the row locks let exactly as many through as
there are units, never fewer, never more, and the same key twice at once still holds stock once."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services as catalog
from blueprints.inventory import services
from blueprints.inventory.models import Reservation, StockLevel, StockMovement
from blueprints.inventory.services import locations
from blueprints.tenancy.models import Store
from tests.inventory.conftest import product_data
from tests.tenancy.factories import make_merchant, make_store
from webapp import create_app, modules
from webapp.extensions import db
from webapp.models import Platform
from webapp.module_migrations import upgrade_database

pytestmark = pytest.mark.postgres
UNITS, SHOPPERS = 10, 50


@pytest.fixture
def race(empty_postgres_database):
    """An app on a database of its own (dropped afterwards): the racing transactions must really commit.
    Its pool is smaller than the crowd, as a web server's is: the shoppers also queue for connections."""
    app = create_app({"TESTING": True, "DATABASE_URL": empty_postgres_database,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 0, "pool_timeout": 60}})
    with app.app_context():
        upgrade_database()
        platform = Platform(code="race", name="Race", hosts=[])
        db.session.add(platform)
        db.session.commit()
        modules.enable(platform, "inventory")
        store = make_store(make_merchant(platform), "race-shop")
        variant = catalog.create_product(store, product_data("Last shirts", ("LAST",)), None).variants[0]
        location = locations.save_location(store, {"name": "Depot", "stores": [store.id]}, None)
        services.receive(store, location, {variant.id: UNITS})
        ids = store.id, variant.id
        db.session.remove()
    try:
        yield app, *ids
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def run_together(app, store_id: int, calls: list) -> tuple[list, list]:
    """Each call(store) in its own thread, app context and transaction, released at the same moment."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.append(call(db.session.get(Store, store_id)))
            except Exception as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_fifty_shoppers_racing_for_ten_units_get_exactly_ten(race):
    app, store_id, variant_id = race
    calls = [lambda store, n=n: services.reserve(store, f"cart-{n}", [(variant_id, 1)]).id for n in range(SHOPPERS)]
    reserved, errors = run_together(app, store_id, calls)
    assert len(reserved) == UNITS and len(set(reserved)) == UNITS
    assert len(errors) == SHOPPERS - UNITS and all(isinstance(exc, services.OutOfStock) for exc in errors), errors
    with app.app_context():
        level = db.session.scalar(select(StockLevel).where(StockLevel.variant_id == variant_id))
        assert (level.on_hand, level.reserved) == (UNITS, UNITS)
        assert services.available(db.session.get(Store, store_id), [variant_id]) == {variant_id: 0}
        journal = db.session.execute(select(StockMovement.reserved_before, StockMovement.reserved_after)
                                     .where(StockMovement.reason == "reserved")
                                     .order_by(StockMovement.id)).all()
        assert journal == [(n, n + 1) for n in range(UNITS)]  # one after the other, never over the stock
        assert db.session.scalar(select(func.count(Reservation.id))) == UNITS
        db.session.remove()


def test_the_same_key_sent_ten_times_at_once_holds_the_units_once(race):
    app, store_id, variant_id = race
    reserved, errors = run_together(app, store_id, [
        lambda store: services.reserve(store, "checkout-1", [(variant_id, 3)]).id] * 10)
    assert errors == [] and len(set(reserved)) == 1
    with app.app_context():
        level = db.session.scalar(select(StockLevel).where(StockLevel.variant_id == variant_id))
        assert level.reserved == 3
        db.session.remove()
