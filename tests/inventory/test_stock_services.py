"""Stock changes through the services: adjustments, receipts and transfers lock, journal and never go
below zero or below what is reserved; what a store can sell comes from its serving locations."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from blueprints.catalog.services import stock as catalog_stock
from blueprints.inventory import services
from blueprints.inventory.forms import REASON_LABELS
from blueprints.inventory.models import REASONS
from blueprints.inventory.services import locations, stock
from tests.inventory.conftest import counts, level, movements_of
from webapp import modules
from webapp.extensions import db
from webapp.models import AuditLog


def test_received_units_are_added_and_journalled_with_the_counts_before_and_after(store, owner, make_variant,
                                                                                 warehouse):
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=12, reason="received", note="Delivery 42", actor=owner)
    services.adjust(store, variant, warehouse, delta=-2, reason="damaged", actor=owner)
    assert counts(variant, warehouse) == (10, 0)
    first, second = movements_of(variant)
    assert (first.reason, first.delta_on_hand, first.on_hand_before, first.on_hand_after, first.note,
            first.user_id) == ("received", 12, 0, 12, "Delivery 42", owner.id)
    assert (second.reason, second.delta_on_hand, second.on_hand_before, second.on_hand_after) == (
        "damaged", -2, 12, 10)
    assert (second.reserved_before, second.reserved_after, second.store_id) == (0, 0, store.id)
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.target == variant.sku).limit(1)) == \
        "inventory.stock_adjusted"


def test_a_count_sets_the_units_on_hand(store, owner, make_variant, warehouse):
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=7, reason="received", actor=owner)
    movement = services.adjust(store, variant, warehouse, count=4, reason="correction", actor=owner)
    assert movement.delta_on_hand == -3 and counts(variant, warehouse) == (4, 0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"delta": -1, "reason": "damaged"}, "Only 0 on hand"),
    ({"count": -3, "reason": "correction"}, "zero or more"),
    ({"delta": "2.5", "reason": "received"}, "whole number"),
    ({"delta": "abc", "reason": "received"}, "whole number"),
    ({"delta": 5, "reason": "damaged"}, "damaged goods remove them"),
    ({"delta": -5, "reason": "received"}, "Received and returned goods add"),
    ({"count": 0, "reason": "correction"}, "nothing to change"),
    ({"delta": 2_000_000, "reason": "received"}, "at most"),
    ({"delta": 1, "reason": "sold"}, "Choose a reason"),
])
def test_refused_adjustments_say_why_and_change_nothing(store, owner, make_variant, warehouse, kwargs, message):
    variant = make_variant(store)
    with pytest.raises(services.InventoryError) as refused:
        services.adjust(store, variant, warehouse, actor=owner, **kwargs)
    assert message in str(refused.value)
    assert counts(variant, warehouse) == (0, 0) and movements_of(variant) == []


def test_on_hand_never_goes_below_what_is_reserved(store, owner, make_variant, warehouse):
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=5, reason="received", actor=owner)
    services.reserve(store, "cart-1", [(variant.id, 3)])
    with pytest.raises(services.InventoryError, match="3 of the 5 on hand .* are reserved"):
        services.adjust(store, variant, warehouse, count=2, reason="correction", actor=owner)
    services.adjust(store, variant, warehouse, count=3, reason="correction", actor=owner)
    assert counts(variant, warehouse) == (3, 3)


def test_the_database_refuses_a_negative_count_whatever_the_code_does(store, owner, make_variant, warehouse):
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=1, reason="received", actor=owner)
    found = level(variant, warehouse)
    found.on_hand = -1
    with pytest.raises(IntegrityError, match="(?i)check"):
        db.session.commit()
    db.session.rollback()


def test_another_stores_variant_or_another_merchants_location_is_not_found(store, other_store, owner, make_variant,
                                                                           make_location, warehouse):
    mine = make_variant(store)
    theirs = make_variant(other_store, skus=("THEIRS",))
    foreign = make_location(other_store, "Their depot")
    with pytest.raises(services.NotFound):
        services.adjust(store, theirs, warehouse, delta=1, reason="received", actor=owner)
    with pytest.raises(services.NotFound):
        services.adjust(store, mine, foreign, delta=1, reason="received", actor=owner)
    assert counts(mine, foreign) == (0, 0) and counts(theirs, warehouse) == (0, 0)


def test_a_location_that_serves_only_a_sibling_store_is_not_this_stores(store, sibling_store, owner, make_variant,
                                                                      make_location):
    variant = make_variant(store)
    annex = make_location(sibling_store, "Annex depot")
    with pytest.raises(services.NotFound):
        services.adjust(store, variant, annex, delta=1, reason="received", actor=owner)
    with pytest.raises(services.NotFound):
        locations.get_location(store, annex.id)


def test_digital_products_have_no_stock_to_adjust(store, owner, make_variant, warehouse):
    ebook = make_variant(store, "E-book", skus=("EBOOK",), product_type="digital")
    with pytest.raises(services.InventoryError, match="Digital products"):
        services.adjust(store, ebook, warehouse, delta=1, reason="received", actor=owner)


# -- transfers ---------------------------------------------------------------------------------------
def test_a_transfer_moves_units_with_two_paired_movements(store, owner, make_variant, warehouse, shop):
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=10, reason="received", actor=owner)
    moved_out, moved_in = services.transfer(store, variant, warehouse, shop, "4", actor=owner, note="Restock")
    assert counts(variant, warehouse) == (6, 0) and counts(variant, shop) == (4, 0)
    assert (moved_out.reason, moved_out.delta_on_hand, moved_in.reason, moved_in.delta_on_hand) == (
        "transfer_out", -4, "transfer_in", 4)
    assert moved_out.reference == moved_in.reference and moved_out.reference.startswith("transfer-")


def test_a_transfer_cannot_move_more_than_is_available_at_the_source(store, owner, make_variant, warehouse, shop):
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=5, reason="received", actor=owner)
    services.reserve(store, "cart-1", [(variant.id, 2)])
    with pytest.raises(services.InventoryError, match="3 available at Warehouse Bertrange: cannot move 4"):
        services.transfer(store, variant, warehouse, shop, 4, actor=owner)
    with pytest.raises(services.InventoryError, match="two different locations"):
        services.transfer(store, variant, warehouse, warehouse, 1, actor=owner)
    with pytest.raises(services.InventoryError, match="at least 1"):
        services.transfer(store, variant, warehouse, shop, 0, actor=owner)
    assert counts(variant, warehouse) == (5, 2) and counts(variant, shop) == (0, 0)
    assert [m.reason for m in movements_of(variant)] == ["received", "reserved"]


def test_units_may_leave_a_deactivated_location_but_not_go_there(store, owner, make_variant, warehouse, shop):
    variant = make_variant(store)
    services.receive(store, warehouse, {variant.id: 4}, actor=owner)
    locations.set_active(store, warehouse, False, owner)
    with pytest.raises(services.InventoryError, match="deactivated"):
        services.transfer(store, variant, shop, warehouse, 1, actor=owner)
    services.transfer(store, variant, warehouse, shop, 4, actor=owner)
    assert counts(variant, warehouse) == (0, 0) and counts(variant, shop) == (4, 0)


def test_receive_adds_a_delivery_of_several_variants_in_one_go(store, owner, make_variant, warehouse):
    first, second = make_variant(store, skus=("A-1", "A-2"))
    added = services.receive(store, warehouse, {first.id: 3, second: 0}, actor=owner, reference="PO-7")
    assert added == 3
    assert counts(first, warehouse) == (3, 0)
    assert level(second, warehouse) is not None and movements_of(second) == []  # counted from now on, at 0


def test_a_delivery_with_a_variant_that_is_not_counted_here_is_refused_whole(store, other_store, owner,
                                                                            make_variant, warehouse):
    mine = make_variant(store)
    ebook = make_variant(store, "E-book", skus=("EBOOK",), product_type="digital")
    theirs = make_variant(other_store, "Coat", skus=("COAT",))
    with pytest.raises(services.NotFound):
        services.receive(store, warehouse, {mine.id: 3, theirs.id: 1}, actor=owner)
    with pytest.raises(services.InventoryError, match="Digital products"):
        services.receive(store, warehouse, {mine.id: 3, ebook.id: 1}, actor=owner)
    assert counts(mine, warehouse) == (0, 0)


# -- what a store can sell -------------------------------------------------------------------------
def test_available_sums_the_active_serving_locations_in_one_query(store, sibling_store, owner, make_variant,
                                                                  make_location, warehouse, shop, count_queries):
    shirt, hat = make_variant(store, skus=("SHIRT",)), make_variant(store, "Hat", skus=("HAT",))
    annex = make_location(sibling_store, "Annex depot")  # serves the sibling store only
    closed = make_location(store, "Old depot")
    services.adjust(store, shirt, warehouse, delta=5, reason="received", actor=owner)
    services.adjust(store, shirt, shop, delta=2, reason="received", actor=owner)
    services.adjust(store, shirt, closed, delta=40, reason="received", actor=owner)
    locations.save_location(store, {"name": "Annex depot", "stores": [store.id, sibling_store.id]}, owner, annex)
    services.adjust(store, hat, annex, delta=9, reason="received", actor=owner)
    locations.save_location(store, {"name": "Annex depot", "stores": [sibling_store.id]}, owner, annex)
    locations.set_active(store, closed, False, owner)
    services.reserve(store, "cart-1", [(shirt.id, 1)])
    ids, _ = [shirt.id, hat.id], store.merchant_id  # loaded before counting, as a caller has them
    with count_queries() as counted:
        units = services.available(store, ids)
    assert counted.count == 1, counted.statements
    assert units == {shirt.id: 6, hat.id: 0}  # 5 + 2 - 1 reserved; the inactive and the sibling's not counted


def test_digital_variants_and_stores_without_locations_never_run_out(store, other_store, make_variant, warehouse):
    book, ebook = make_variant(store, "Book", skus=("BOOK",)), make_variant(store, "E-book", skus=("EBOOK",),
                                                                           product_type="digital")
    untracked = make_variant(other_store, "Coat", skus=("COAT",))
    assert services.available(store, [book.id, ebook.id]) == {book.id: 0}
    assert services.available(other_store, [untracked.id]) == {}


def test_the_catalog_asks_inventory_only_where_it_is_enabled(store, make_variant, warehouse, inventory_on):
    variant = make_variant(store)
    assert catalog_stock.available(store, [variant.id]) == {variant.id: 0}
    modules.disable(inventory_on, "inventory")
    db.session.commit()
    assert catalog_stock.available(store, [variant.id]) == {variant.id: None}  # not tracked: unlimited


def test_low_stock_lists_variants_at_or_below_their_alert(store, owner, make_variant, warehouse, inventory_on):
    plenty, few, custom = (make_variant(store, title, skus=(sku,)) for title, sku in
                           (("Plenty", "P"), ("Few", "F"), ("Custom", "C")))
    services.adjust(store, plenty, warehouse, delta=50, reason="received", actor=owner)
    services.adjust(store, few, warehouse, delta=5, reason="received", actor=owner)
    services.adjust(store, custom, warehouse, delta=8, reason="received", actor=owner)
    assert {row.sku for row in services.low_stock(store)} == {"F"}  # 5 is the default alert
    services.set_threshold(store, custom, warehouse, "10", actor=owner)
    assert [(row.sku, row.available, row.threshold) for row in services.low_stock(store)] == [
        ("F", 5, 5), ("C", 8, 10)]
    assert services.low_stock_count(store) == 2
    assert services.low_stock_count(store.merchant) == 2
    modules.update_config(inventory_on, "inventory", {"low_stock_threshold": 2})
    assert [row.sku for row in services.low_stock(store)] == ["C"]


def test_a_threshold_must_be_a_whole_number(store, owner, make_variant, warehouse):
    variant = make_variant(store)
    with pytest.raises(services.InventoryError, match="whole number"):
        services.set_threshold(store, variant, warehouse, "lots", actor=owner)
    services.set_threshold(store, variant, warehouse, "3", actor=owner)
    services.set_threshold(store, variant, warehouse, "", actor=owner)
    assert level(variant, warehouse).low_stock_threshold is None


def test_the_stock_list_shows_variants_times_active_locations(store, owner, make_variant, warehouse, shop):
    make_variant(store, "Shirt", skus=("S-1", "S-2"))
    make_variant(store, "E-book", skus=("EBOOK",), product_type="digital")
    page = stock.stock_rows(store)
    assert page.total == 4 and {(row.variant.sku, row.location.name) for row in page.items} == {
        ("S-1", "Warehouse Bertrange"), ("S-1", "Shop Centre"), ("S-2", "Warehouse Bertrange"),
        ("S-2", "Shop Centre")}
    assert all(row.available == 0 and row.is_out for row in page.items)
    assert stock.stock_rows(store, location=shop).total == 2
    assert stock.stock_rows(store, search="s-2").total == 2


def test_every_reason_has_a_label_for_the_movement_list():
    assert set(REASON_LABELS) == set(REASONS)
