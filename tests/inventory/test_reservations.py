"""Reservations, the API the orders module holds stock with: all or nothing, idempotent on the key,
released, committed or expired; backorders when the platform allows them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blueprints.inventory import services
from blueprints.inventory.models import Reservation
from blueprints.inventory.tasks import expire_reservations
from tests.inventory.conftest import counts, movements_of
from webapp import modules
from webapp.extensions import celery, db
from webapp.models import TaskRun, utcnow


@pytest.fixture
def stocked(store, owner, make_variant, warehouse, shop):
    """A shirt with 3 units at the warehouse (listed first) and 2 at the shop; a hat with 1 at the shop."""
    shirt, hat = make_variant(store, "Shirt", skus=("SHIRT",)), make_variant(store, "Hat", skus=("HAT",))
    services.receive(store, warehouse, {shirt.id: 3}, actor=owner)
    services.receive(store, shop, {shirt.id: 2, hat.id: 1}, actor=owner)
    return shirt, hat


def reservation_count() -> int:
    return db.session.scalar(select(func.count(Reservation.id)))


def test_a_reservation_takes_from_the_first_locations_first(store, stocked, warehouse, shop):
    shirt, hat = stocked
    reservation = services.reserve(store, "cart-1", [(shirt.id, 4), (hat.id, 1)])
    assert reservation.status == "active" and reservation.expires_at > utcnow() + timedelta(minutes=29)
    assert sorted((line.variant_id, line.location_id, line.quantity) for line in reservation.lines) == sorted([
        (shirt.id, warehouse.id, 3), (shirt.id, shop.id, 1), (hat.id, shop.id, 1)])
    assert counts(shirt, warehouse) == (3, 3) and counts(shirt, shop) == (2, 1) and counts(hat, shop) == (1, 1)
    assert services.available(store, [shirt.id, hat.id]) == {shirt.id: 1, hat.id: 0}
    reserved = [m for m in movements_of(shirt) if m.reason == "reserved"]
    assert [(m.delta_reserved, m.reference) for m in reserved] == [(3, "cart-1"), (1, "cart-1")]


def test_a_reservation_is_all_or_nothing_and_names_the_missing_variant(store, stocked, warehouse, shop):
    shirt, hat = stocked
    with pytest.raises(services.OutOfStock) as refused:
        services.reserve(store, "cart-1", [(shirt.id, 1), (hat.id, 2)])
    assert "Only 1 of HAT available, 2 requested" in str(refused.value)
    assert (refused.value.variant_id, refused.value.available) == (hat.id, 1)
    assert counts(shirt, warehouse) == (3, 0) and counts(hat, shop) == (1, 0)
    assert reservation_count() == 0


def test_the_same_key_again_returns_the_first_reservation_and_holds_nothing_more(store, stocked, warehouse):
    shirt, _hat = stocked
    first = services.reserve(store, "checkout-7", [(shirt.id, 2)])
    again = services.reserve(store, "checkout-7", [(shirt.id, 2)])
    assert again.id == first.id and counts(shirt, warehouse) == (3, 2) and reservation_count() == 1


def test_a_key_of_another_store_of_the_merchant_is_refused(store, sibling_store, stocked):
    shirt, _hat = stocked
    services.reserve(store, "checkout-7", [(shirt.id, 1)])
    with pytest.raises(services.InventoryError, match="another store"):
        services.reserve(sibling_store, "checkout-7", [(shirt.id, 1)])


def test_release_gives_the_units_back_once(store, stocked, warehouse):
    shirt, _hat = stocked
    services.reserve(store, "cart-1", [(shirt.id, 2)])
    released = services.release(store, "cart-1")
    assert released.status == "released" and counts(shirt, warehouse) == (3, 0)
    services.release(store, "cart-1")
    assert [m.reason for m in movements_of(shirt)].count("released") == 1
    with pytest.raises(services.ReservationClosed):
        services.commit(store, "cart-1")


def test_commit_takes_the_units_off_the_shelf(store, stocked, warehouse, shop):
    shirt, _hat = stocked
    services.reserve(store, "order-1", [(shirt.id, 4)])
    committed = services.commit(store, "order-1")
    assert committed.status == "committed"
    assert counts(shirt, warehouse) == (0, 0) and counts(shirt, shop) == (1, 0)
    sold = [m for m in movements_of(shirt) if m.reason == "sold"]
    assert [(m.delta_on_hand, m.delta_reserved, m.on_hand_after) for m in sold] == [(-3, -3, 0), (-1, -1, 1)]
    services.commit(store, "order-1")  # a retried commit changes nothing
    assert counts(shirt, shop) == (1, 0)
    with pytest.raises(services.ReservationClosed):
        services.release(store, "order-1")


def test_an_expired_reservation_holds_nothing_even_before_the_task_releases_it(store, stocked, warehouse, shop):
    shirt, _hat = stocked
    services.reserve(store, "cart-old", [(shirt.id, 5)], minutes=5)
    assert services.available(store, [shirt.id]) == {shirt.id: 0}
    db.session.execute(Reservation.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert services.available(store, [shirt.id]) == {shirt.id: 5}
    services.reserve(store, "cart-new", [(shirt.id, 5)])  # the expired units are free for the next shopper
    with pytest.raises(services.ReservationClosed, match="expired"):
        services.commit(store, "cart-old")
    assert services.expire_reservations() == 1
    assert counts(shirt, warehouse) == (3, 3) and counts(shirt, shop) == (2, 2)
    db.session.expire_all()
    old = services.get_reservation(store, "cart-old")
    assert old.status == "expired" and services.expire_reservations() == 0


def test_the_expiry_task_runs_and_is_recorded(store, stocked, warehouse):
    shirt, _hat = stocked
    services.reserve(store, "cart-old", [(shirt.id, 1)], minutes=5)
    db.session.execute(Reservation.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert expire_reservations.delay().get() == 1
    assert counts(shirt, warehouse) == (3, 0)
    assert db.session.scalar(select(TaskRun.state).where(TaskRun.task_name == "inventory.expire_reservations")) == \
        "SUCCESS"


def test_the_expiry_task_is_scheduled_every_minute():
    entry = celery.conf.beat_schedule["expire-stock-reservations"]
    assert entry == {"task": "inventory.expire_reservations", "schedule": 60}
    assert "inventory.expire_reservations" in celery.tasks


def test_digital_products_reserve_nothing_and_always_succeed(store, make_variant, warehouse):
    ebook = make_variant(store, "E-book", skus=("EBOOK",), product_type="service")
    reservation = services.reserve(store, "cart-1", [(ebook.id, 1000)])
    assert reservation.status == "active" and reservation.lines == []
    assert services.commit(store, "cart-1").status == "committed"


def test_unknown_variants_and_bad_quantities_are_refused(store, other_store, stocked, make_variant):
    shirt, _hat = stocked
    theirs = make_variant(other_store, "Coat", skus=("COAT",))
    with pytest.raises(services.NotFound):
        services.reserve(store, "cart-1", [(theirs.id, 1)])
    with pytest.raises(services.InventoryError, match="at least 1"):
        services.reserve(store, "cart-1", [(shirt.id, 0)])
    with pytest.raises(services.InventoryError, match="key"):
        services.reserve(store, "", [(shirt.id, 1)])
    assert reservation_count() == 0


def test_backorders_let_a_reservation_exceed_the_stock(store, stocked, warehouse, shop, inventory_on):
    shirt, _hat = stocked
    modules.update_config(inventory_on, "inventory", {"allow_backorders": True})
    reservation = services.reserve(store, "order-1", [(shirt.id, 8)])
    lines = {line.location_id: (line.quantity, line.backordered) for line in reservation.lines}
    assert lines == {warehouse.id: (6, 3), shop.id: (2, 0)}  # the shortfall waits at the first location
    assert counts(shirt, warehouse) == (3, 6) and services.available(store, [shirt.id]) == {shirt.id: 0}
    services.commit(store, "order-1")
    assert counts(shirt, warehouse) == (0, 0) and counts(shirt, shop) == (0, 0)  # never below zero on hand
    sold = [m for m in movements_of(shirt) if m.reason == "sold" and m.location_id == warehouse.id]
    assert sold[0].delta_on_hand == -3 and sold[0].note == "3 backordered"
