"""``flask demo seed`` gives each demo merchant a warehouse and a shop serving its stores, with stock for
every physical variant of the demo catalogs (some low, a few sold out), once however often it runs."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.catalog.models import Product, ProductVariant
from blueprints.inventory import demo
from blueprints.inventory.models import Location, StockLevel, StockMovement
from blueprints.tenancy.models import Merchant, Store
from webapp.extensions import db


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def totals() -> tuple[int, int, int, int]:
    return tuple(db.session.scalar(select(func.count(model.id))) for model in (Location, StockLevel, StockMovement)) + (
        db.session.scalar(select(func.coalesce(func.sum(StockLevel.on_hand), 0))),)


def test_demo_seed_stocks_every_physical_variant_at_both_locations_once(cli):
    first = cli("demo", "seed")
    assert first.exit_code == 0, first.output
    assert "Seeded inventory." in first.output
    after_first = totals()

    for name in demo.LOCATIONS:
        merchant = db.session.scalar(select(Merchant).where(Merchant.name == name))
        places = db.session.scalars(select(Location).where(Location.merchant_id == merchant.id)).all()
        assert sorted(p.kind for p in places) == ["shop", "warehouse"]
        stores = set(db.session.scalars(select(Store.id).where(Store.merchant_id == merchant.id)))
        assert all({s.id for s in place.stores} == stores for place in places)

    physical = db.session.scalar(select(func.count(ProductVariant.id)).join(Product)
                                 .where(Product.product_type == "physical"))
    levels = db.session.scalars(select(StockLevel)).all()
    assert physical > 100 and len(levels) == 2 * physical
    sold_out = sum(1 for level in levels if level.on_hand == 0)
    low = sum(1 for level in levels if 0 < level.on_hand <= 5)
    assert 0 < sold_out < len(levels) // 10 and 0 < low < len(levels) // 4
    reasons = set(db.session.scalars(select(StockMovement.reason)))
    assert reasons == {"received"}

    second = cli("demo", "seed")
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert totals() == after_first


def test_quantities_are_fixed_by_the_sku():
    assert demo.quantity("BL-BAGUETTE", "warehouse") == demo.quantity("BL-BAGUETTE", "warehouse")
    assert all(0 <= demo.quantity(f"SKU-{n}", kind) <= 120 for n in range(200) for kind in ("warehouse", "shop"))


def test_the_seed_does_nothing_without_the_demo_merchants():
    demo.seed()
    assert db.session.scalar(select(func.count(Location.id))) == 0
