"""Inventory fixtures: a merchant's store with catalog and inventory on, locations serving it, products
to count, a second merchant's store, and helpers to read stock back from the database."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from blueprints.catalog import services as catalog
from blueprints.inventory.models import StockLevel, StockMovement
from blueprints.inventory.services import locations
from tests.tenancy.factories import make_merchant, make_store
from webapp import modules
from webapp.extensions import db


@pytest.fixture
def inventory_on(platform):
    modules.enable(platform, "catalog")
    modules.enable(platform, "inventory")
    db.session.commit()
    return platform


@pytest.fixture
def merchant(inventory_on):
    return make_merchant(inventory_on, name="Épicerie Test", contact_email="contact@epicerie.test")


@pytest.fixture
def store(merchant):
    return make_store(merchant, "epicerie", name="Épicerie Centre")


@pytest.fixture
def sibling_store(merchant):
    """Another store of the same merchant."""
    return make_store(merchant, "epicerie-gare", name="Épicerie Gare")


@pytest.fixture
def other_store(inventory_on):
    return make_store(make_merchant(inventory_on, name="Mode Test", contact_email="contact@mode.test"), "mode-lux",
                      name="Mode Lux")


def product_data(title="Linen shirt", skus=("SKU-1",), product_type="physical", status="active") -> dict:
    variants = [{"sku": sku, "gtin": "", "options": [f"O{index}"] if len(skus) > 1 else "", "price": "10"}
                for index, sku in enumerate(skus)]
    return {"slug": "", "product_type": product_type, "status": status, "vat_class": "standard",
            "option_names": "Size" if len(skus) > 1 else "", "categories": [],
            "translations": {"fr": {"title": title, "description": ""}}, "variants": variants}


@pytest.fixture
def make_variant(owner):
    """A product with one variant per SKU; returns the variants (one: the variant itself)."""

    def factory(store, title="Linen shirt", skus=("SKU-1",), product_type="physical", status="active"):
        product = catalog.create_product(store, product_data(title, skus, product_type, status), owner)
        return product.variants[0] if len(skus) == 1 else list(product.variants)

    return factory


@pytest.fixture
def make_location(owner):
    def factory(store, name="Warehouse", kind="warehouse", stores=None, **data):
        served = [s.id for s in (stores if stores is not None else [store])]
        return locations.save_location(store, {"name": name, "kind": kind, "stores": served, **data}, owner)

    return factory


@pytest.fixture
def warehouse(store, make_location):
    return make_location(store, "Warehouse Bertrange")


@pytest.fixture
def shop(store, make_location):
    return make_location(store, "Shop Centre", "shop")


def level(variant, location) -> StockLevel | None:
    db.session.expire_all()
    return db.session.scalar(select(StockLevel).where(StockLevel.variant_id == variant.id,
                                                      StockLevel.location_id == location.id))


def counts(variant, location) -> tuple[int, int]:
    """(on hand, reserved) of ``variant`` at ``location``; (0, 0) when never counted there."""
    found = level(variant, location)
    return (found.on_hand, found.reserved) if found else (0, 0)


def movements_of(variant) -> list[StockMovement]:
    db.session.expire_all()
    return list(db.session.scalars(select(StockMovement).where(StockMovement.variant_id == variant.id)
                                   .order_by(StockMovement.id)))
