"""Stock locations of a merchant and the stores each one serves.

In a store's admin a location is reachable when it serves that store, or serves no store yet (just
created, or taken out of every store); one that serves only other stores of the merchant is a 404 there,
like any object of another store. Which stores a location serves may be changed only for the stores
where the user may manage locations (``allowed_store_ids``): the others keep their state.
"""
from __future__ import annotations

from sqlalchemy import func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from blueprints.inventory.models import KINDS, Location, location_stores
from blueprints.inventory.services.common import InventoryError, NotFound, serves
from blueprints.tenancy.models import Store
from webapp.extensions import db
from webapp.security import audit

MAX_NAME, MAX_ADDRESS = 120, 200


def _visible_in(store):
    serves_none = not_(select(location_stores.c.location_id)
                       .where(location_stores.c.location_id == Location.id).exists())
    return (Location.merchant_id == store.merchant_id) & or_(serves(store), serves_none)


def list_locations(store) -> list[Location]:
    """The locations this store's admin shows, active first, with their stores (two queries)."""
    return list(db.session.scalars(
        select(Location).where(_visible_in(store)).options(selectinload(Location.stores))
        .order_by(Location.active.desc(), Location.position, Location.name, Location.id)))


def serving_locations(store, *, active_only: bool = False) -> list[Location]:
    """The locations that serve ``store``, in their order (one query)."""
    query = select(Location).where(Location.merchant_id == store.merchant_id, serves(store))
    if active_only:
        query = query.where(Location.active.is_(True))
    return list(db.session.scalars(query.order_by(Location.position, Location.name, Location.id)))


def get_location(store, location_id: int) -> Location:
    location = db.session.scalar(select(Location).where(Location.id == location_id, _visible_in(store)))
    if location is None:
        raise NotFound(location_id)
    return location


def merchant_stores(store) -> list[Store]:
    return list(db.session.scalars(select(Store).where(Store.merchant_id == store.merchant_id).order_by(Store.name)))


def _clean(store, data: dict, location: Location | None) -> dict:
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        raise InventoryError("Name the location, e.g. Warehouse Bertrange.", "name")
    if len(name) > MAX_NAME:
        raise InventoryError(f"A name has at most {MAX_NAME} characters.", "name")
    taken = select(Location.id).where(Location.merchant_id == store.merchant_id,
                                      func.lower(Location.name) == name.lower())
    if location is not None:
        taken = taken.where(Location.id != location.id)
    if db.session.scalar(taken) is not None:
        raise InventoryError(f"Another location of {store.merchant.name} is called '{name}'.", "name")
    kind = data.get("kind") or "warehouse"
    if kind not in KINDS:
        raise InventoryError("Choose a kind: warehouse or shop.", "kind")
    address = " ".join(str(data.get("address") or "").split())
    if len(address) > MAX_ADDRESS:
        raise InventoryError(f"An address has at most {MAX_ADDRESS} characters.", "address")
    position = data.get("position")
    try:
        position = int(position) if position not in (None, "") else (location.position if location else None)
    except (TypeError, ValueError):
        raise InventoryError("Enter a whole number for the order.", "position") from None
    if position is not None and not 0 <= position <= 10_000:
        raise InventoryError("Enter an order from 0 to 10 000.", "position")
    return {"name": name, "kind": kind, "address": address, "position": position}


def _served_stores(store, data: dict, location: Location | None, allowed_store_ids) -> list[Store]:
    """The stores the location will serve: the chosen ones among those the user may change, the
    current ones among the others (their boxes are disabled, so browsers do not send them)."""
    try:
        chosen = {int(value) for value in data.get("stores") or []}
    except (TypeError, ValueError):
        raise InventoryError("Choose stores from the list.", "stores") from None
    own = {s.id: s for s in merchant_stores(store)}
    if not chosen <= set(own):
        raise InventoryError(f"A location serves stores of {store.merchant.name} only.", "stores")
    allowed = set(own) if allowed_store_ids is None else set(allowed_store_ids) & set(own)
    current = {s.id for s in location.stores} if location is not None else set()
    if (chosen - current) - allowed:
        raise InventoryError("You may change which locations serve only the stores you manage.", "stores")
    return [own[store_id] for store_id in sorted((chosen & allowed) | (current - allowed))]


def save_location(store, data: dict, actor, location: Location | None = None,
                  allowed_store_ids=None) -> Location:
    """Create (``location`` None) or edit a location: name, kind, address, order and served stores."""
    if location is not None and location.merchant_id != store.merchant_id:
        raise NotFound(location.id)
    cleaned = _clean(store, data, location)
    stores = _served_stores(store, data, location, allowed_store_ids)
    created = location is None
    if created:
        location = Location(merchant_id=store.merchant_id)
        if cleaned["position"] is None:
            last = db.session.scalar(select(func.max(Location.position))
                                     .where(Location.merchant_id == store.merchant_id))
            cleaned["position"] = (last if last is not None else -1) + 1
        db.session.add(location)
    for key, value in cleaned.items():
        setattr(location, key, value)
    location.stores = stores
    audit("inventory.location_created" if created else "inventory.location_saved", target=location.name,
          store=store, user=actor, details={"kind": location.kind, "stores": [s.store_code for s in stores]})
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise InventoryError(f"Another location is called '{cleaned['name']}'.", "name") from exc
    return location


def set_active(store, location: Location, active: bool, actor) -> Location:
    """Deactivate (its stock stops counting as available; nothing is deleted) or reactivate a location."""
    if location.merchant_id != store.merchant_id:
        raise NotFound(location.id)
    if location.active != active:
        location.active = active
        audit("inventory.location_activated" if active else "inventory.location_deactivated",
              target=location.name, store=store, user=actor)
        db.session.commit()
    return location
