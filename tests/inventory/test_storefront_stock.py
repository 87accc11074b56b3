"""The storefront's stock filter with the real stock source: what the shop lists as in stock is what
inventory would sell (the filter runs inside the listing's query, not variant by variant)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from blueprints.inventory import services
from blueprints.inventory.models import Reservation
from blueprints.inventory.services import locations
from webapp import modules
from webapp.extensions import db
from webapp.models import utcnow


def listed(client, store, query: str = "in_stock=1") -> list[str]:
    page = client.get(f"/s/{store.store_code}/search?{query}").get_data(as_text=True)
    count = int(re.search(r'id="shop-results"[^>]*data-count="(\d+)"', page).group(1))
    slugs = re.findall(r'<article class="shop-card" data-product="([^"]+)"', page)
    assert count == len(slugs)
    return sorted(slugs)


@pytest.fixture
def products(store, make_variant):
    tart, flan = make_variant(store, "Tarte", ("TARTE",)), make_variant(store, "Flan", ("FLAN",))
    ebook = make_variant(store, "Recettes", ("EBOOK",), product_type="digital")
    return tart, flan, ebook


def test_without_a_location_serving_the_store_everything_is_in_stock(client, store, products):
    assert listed(client, store) == ["flan", "recettes", "tarte"]


def test_only_products_with_units_left_are_in_stock(client, store, owner, products, warehouse, shop):
    tart, flan, _ebook = products
    services.adjust(store, flan, shop, delta=2, reason="received", actor=owner)
    assert listed(client, store) == ["flan", "recettes"]  # the tart was never counted: 0 units; e-books never run out
    assert listed(client, store, "") == ["flan", "recettes", "tarte"]  # without the filter all are shown

    services.reserve(store, "cart-1", [(flan.id, 2)])
    assert listed(client, store) == ["recettes"]  # both units are held for a cart


def test_units_held_by_an_expired_reservation_count_as_in_stock(client, store, owner, products, warehouse):
    _tart, flan, _ebook = products
    services.adjust(store, flan, warehouse, delta=1, reason="received", actor=owner)
    reservation = services.reserve(store, "cart-1", [(flan.id, 1)])
    assert listed(client, store) == ["recettes"]
    reservation = db.session.get(Reservation, reservation.id)
    reservation.expires_at = utcnow() - timedelta(minutes=1)  # the expiry task has not run yet
    db.session.commit()
    assert listed(client, store) == ["flan", "recettes"]


def test_a_store_that_hides_sold_out_products_lists_what_inventory_would_sell(client, store, owner, products,
                                                                              warehouse, inventory_on):
    tart, _flan, _ebook = products
    modules.update_config(inventory_on, "catalog", {"show_out_of_stock": False})
    services.adjust(store, tart, warehouse, delta=3, reason="received", actor=owner)
    assert listed(client, store, "") == ["recettes", "tarte"]
    locations.set_active(store, warehouse, False, owner)  # its units can no longer be sold here
    assert listed(client, store, "") == ["recettes"]
