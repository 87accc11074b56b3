"""Demo stock (``flask demo seed``): each demo merchant gets a warehouse in Bertrange and a shop, both
serving all of its stores, and every physical variant of the demo catalogs gets stock at both, received
through the services (movements 'received'). Quantities come from the SKU, so every run agrees: most
variants are well stocked, some run low, a few are sold out. A location the merchant already has (by
name) and a variant already counted at a location are left alone, so a second run changes nothing.
"""
from __future__ import annotations

import zlib

from sqlalchemy import select

from blueprints.catalog.models import Product, ProductVariant
from blueprints.inventory.models import SHOP, WAREHOUSE, Location, StockLevel
from blueprints.inventory.services import locations, receive
from blueprints.tenancy.models import Merchant, Store
from webapp.extensions import db

LOCATIONS = {
    "Boulangerie Demo": [
        ("Entrepôt Bertrange", WAREHOUSE, "5, rue des Mérovingiens, L-8070 Bertrange"),
        ("Boutique Centre", SHOP, "12, rue du Fossé, L-1536 Luxembourg"),
    ],
    "Mode Demo": [
        ("Entrepôt Bertrange", WAREHOUSE, "28, rue des Mérovingiens, L-8070 Bertrange"),
        ("Boutique Grand-Rue", SHOP, "3, Grand-Rue, L-1661 Luxembourg"),
    ],
}


def quantity(sku: str, kind: str) -> int:
    """Stock for a variant at a location: fixed by the SKU (some low, a few at zero)."""
    roll = zlib.crc32(f"{sku}/{kind}".encode())
    if roll % 23 == 0:
        return 0  # sold out
    if roll % 7 == 0:
        return 1 + roll % 4  # low: at or under the default alert of 5
    return 20 + roll % 100 if kind == WAREHOUSE else 6 + roll % 15


def _locations(merchant: Merchant, stores: list[Store]) -> list[Location]:
    existing = {location.name: location for location in db.session.scalars(
        select(Location).where(Location.merchant_id == merchant.id))}
    for name, kind, address in LOCATIONS[merchant.name]:
        if name not in existing:
            existing[name] = locations.save_location(stores[0], {
                "name": name, "kind": kind, "address": address, "stores": [store.id for store in stores]}, None)
    return [existing[name] for name, _kind, _address in LOCATIONS[merchant.name]]


def _stock(store: Store, location: Location) -> None:
    counted = set(db.session.scalars(select(StockLevel.variant_id).where(StockLevel.location_id == location.id)))
    variants = db.session.execute(
        select(ProductVariant.id, ProductVariant.sku).join(Product, Product.id == ProductVariant.product_id)
        .where(ProductVariant.store_id == store.id, Product.product_type == "physical")
        .order_by(ProductVariant.id)).all()
    new = {variant_id: quantity(sku, location.kind) for variant_id, sku in variants if variant_id not in counted}
    if new:
        receive(store, location, new, note="Opening stock", reference="demo")


def seed() -> None:
    merchants = db.session.scalars(select(Merchant).where(Merchant.name.in_(list(LOCATIONS)))).all()
    for merchant in merchants:
        stores = list(db.session.scalars(select(Store).where(Store.merchant_id == merchant.id).order_by(Store.id)))
        if not stores:
            continue
        for location in _locations(merchant, stores):
            for store in stores:
                if store in location.stores:
                    _stock(store, location)
    db.session.commit()
