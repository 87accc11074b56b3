"""Stock levels: manual adjustments, receipts, transfers between locations, low-stock thresholds, what a
store can sell (the catalog's stock source) and the store admin's stock list.

Every change locks its stock rows (SELECT … FOR UPDATE, in id order), refuses to take ``on_hand`` below
zero or below what is reserved, writes one movement row per row changed, audits and commits.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, literal, or_, select

from blueprints.catalog.models import Product, ProductTranslation, ProductVariant
from blueprints.inventory.models import (
    ACTIVE,
    ADJUST_REASONS,
    Location,
    Reservation,
    ReservationLine,
    StockLevel,
    StockMovement,
    location_stores,
)
from blueprints.inventory.services.common import (
    MAX_UNITS,
    PAGE_SIZE,
    InventoryError,
    NotFound,
    change,
    clean_note,
    clean_search,
    ensure_levels,
    like,
    locked_level,
    locked_levels,
    product_title,
    serving_location,
    settings,
    stocked_variant,
    transaction,
    whole_number,
)
from blueprints.tenancy.models import Store
from webapp import pagination
from webapp.extensions import db
from webapp.models import utcnow
from webapp.pagination import Page
from webapp.security import audit

# Which way each hand-entered reason moves stock: None means either (a count).
REASON_SIGN = {"received": 1, "returned": 1, "damaged": -1, "correction": None}
TOO_MANY = f"A location holds at most {MAX_UNITS:,} units of a variant.".replace(",", " ")


# -- changes -----------------------------------------------------------------------------------
def adjust(store, variant, location, *, delta=None, count=None, reason: str = "correction", note: str = "",
           actor=None, reference: str = "") -> StockMovement:
    """Change the units on hand of ``variant`` at ``location``, by ``delta`` or to ``count``.

    Received and returned goods add, damaged ones remove, a correction sets the counted number.
    """
    if reason not in ADJUST_REASONS:
        raise InventoryError(f"Choose a reason: {', '.join(ADJUST_REASONS)}.", "reason")
    if (delta is None) == (count is None):
        raise InventoryError("Give either the change or the new count.", "quantity")
    variant = stocked_variant(store, variant)
    location = serving_location(store, location)
    note = clean_note(note)
    if count is not None:
        count = whole_number(count, "quantity")
    else:
        delta = whole_number(delta, "quantity", minimum=-MAX_UNITS)
    with transaction():
        level = locked_level(store, variant.id, location.id)
        delta = _checked_delta(level, location, reason, delta, count)
        movement = change(level, store.id, reason=reason, on_hand=delta, note=note, actor=actor,
                          reference=reference)
        audit("inventory.stock_adjusted", target=variant.sku, store=store, user=actor,
              details={"location": location.name, "reason": reason, "delta": delta, "on_hand": level.on_hand})
    return movement


def record(store, variant, location, reason: str, quantity, *, note: str = "", actor=None) -> StockMovement:
    """What the stock list's form sends: received and returned units are added, damaged ones removed,
    and a count (correction) is the number now on hand."""
    if reason not in ADJUST_REASONS:
        raise InventoryError(f"Choose a reason: {', '.join(ADJUST_REASONS)}.", "reason")
    units = whole_number(quantity, "quantity")
    if reason == "correction":
        return adjust(store, variant, location, count=units, reason=reason, note=note, actor=actor)
    return adjust(store, variant, location, delta=units * REASON_SIGN[reason], reason=reason, note=note, actor=actor)


def _checked_delta(level: StockLevel, location: Location, reason: str, delta: int | None, count: int | None) -> int:
    if count is not None:
        delta = count - level.on_hand
    sign = REASON_SIGN[reason]
    if delta == 0:
        raise InventoryError(f"{level.on_hand} on hand already: nothing to change.", "quantity")
    if sign is not None and (delta > 0) != (sign > 0):
        raise InventoryError("Received and returned goods add units; damaged goods remove them.", "quantity")
    after = level.on_hand + delta
    if after < 0:
        raise InventoryError(f"Only {level.on_hand} on hand at {location.name}: cannot remove {-delta}.", "quantity")
    if delta < 0 and after < level.reserved:
        raise InventoryError(f"{level.reserved} of the {level.on_hand} on hand at {location.name} are reserved "
                             f"for shoppers: on hand cannot go below {level.reserved}.", "quantity")
    if after > MAX_UNITS:
        raise InventoryError(TOO_MANY, "quantity")
    return delta


def receive(store, location, quantities: dict, *, actor=None, note: str = "", reference: str = "") -> int:
    """Add received units of several variants at one location in one transaction (a delivery); returns
    the number of units added. Every variant must be a stocked variant of ``store``; one received with
    0 units is counted there from now on (its stock row exists, at zero) without a movement."""
    location = serving_location(store, location)
    note = clean_note(note)
    wanted: dict[int, int] = {}
    for variant, quantity in quantities.items():
        variant_id = getattr(variant, "id", variant)
        wanted[variant_id] = wanted.get(variant_id, 0) + whole_number(quantity, "quantity")
    if not wanted:
        return 0
    stocked = set(db.session.scalars(
        select(ProductVariant.id).join(Product, Product.id == ProductVariant.product_id)
        .where(ProductVariant.store_id == store.id, ProductVariant.id.in_(sorted(wanted)),
               Product.product_type == "physical")))
    if stocked != set(wanted):  # one query for the whole delivery; the odd one out says why
        stocked_variant(store, min(set(wanted) - stocked))
    with transaction():
        ensure_levels(store.merchant_id, [(variant_id, location.id) for variant_id in wanted])
        levels = locked_levels(store.merchant_id, wanted, [location.id])
        for variant_id, units in sorted(wanted.items()):
            if not units:
                continue
            level = levels[(variant_id, location.id)]
            if level.on_hand + units > MAX_UNITS:
                raise InventoryError(TOO_MANY, "quantity")
            change(level, store.id, reason="received", on_hand=units, note=note, actor=actor, reference=reference)
        audit("inventory.stock_received", target=location.name, store=store, user=actor,
              details={"variants": len(wanted), "units": sum(wanted.values()), "reference": reference})
    return sum(wanted.values())


def transfer(store, variant, from_location, to_location, quantity, *, actor=None, note: str = "") -> tuple[
        StockMovement, StockMovement]:
    """Move units between two locations serving the store: never more than is available at the source."""
    variant = stocked_variant(store, variant)
    source = serving_location(store, from_location)
    target = serving_location(store, to_location)
    if source.id == target.id:
        raise InventoryError("Choose two different locations.", "to_location")
    if not target.active:  # units may leave a deactivated location, not go there
        raise InventoryError(f"{target.name} is deactivated: choose an active location.", "to_location")
    units = whole_number(quantity, "quantity", minimum=1)
    note = clean_note(note)
    with transaction():
        ensure_levels(store.merchant_id, [(variant.id, source.id), (variant.id, target.id)])
        levels = locked_levels(store.merchant_id, [variant.id], [source.id, target.id])  # both, in id order
        out_of, into = levels[(variant.id, source.id)], levels[(variant.id, target.id)]
        if units > out_of.available:
            raise InventoryError(f"{out_of.available} available at {source.name}: cannot move {units}.", "quantity")
        if into.on_hand + units > MAX_UNITS:
            raise InventoryError(TOO_MANY, "quantity")
        reference = f"transfer-{uuid.uuid4().hex[:12]}"  # pairs the two rows
        moved_out = change(out_of, store.id, reason="transfer_out", on_hand=-units, note=note, actor=actor,
                           reference=reference)
        moved_in = change(into, store.id, reason="transfer_in", on_hand=units, note=note, actor=actor,
                          reference=reference)
        audit("inventory.stock_transferred", target=variant.sku, store=store, user=actor,
              details={"from": source.name, "to": target.name, "units": units})
    return moved_out, moved_in


def set_threshold(store, variant, location, threshold, *, actor=None) -> StockLevel:
    """The low-stock alert of one variant at one location; empty: the platform's default."""
    variant = stocked_variant(store, variant)
    location = serving_location(store, location)
    value = None if threshold in (None, "") else whole_number(threshold, "low_stock_threshold", maximum=10_000)
    with transaction():
        level = locked_level(store, variant.id, location.id)
        level.low_stock_threshold = value
        audit("inventory.threshold_set", target=variant.sku, store=store, user=actor,
              details={"location": location.name, "threshold": value})
    return level


# -- what can be sold --------------------------------------------------------------------------
def _free(now):
    """SQL: the units of a stock row nobody holds, reservations past their expiry not counted as holding
    (they are released by the expiry task, but may not be yet)."""
    expired = (select(func.coalesce(func.sum(ReservationLine.quantity), 0))
               .join(Reservation, Reservation.id == ReservationLine.reservation_id)
               .where(ReservationLine.variant_id == StockLevel.variant_id,
                      ReservationLine.location_id == StockLevel.location_id,
                      Reservation.status == ACTIVE, Reservation.expires_at <= now)
               .correlate(StockLevel).scalar_subquery())
    free = StockLevel.on_hand - StockLevel.reserved + expired
    return case((free > 0, free), else_=0)


def available(store, variant_ids) -> dict[int, int]:
    """Units ``store`` can sell per variant: the sum over the active locations serving it of what nobody
    holds. One query. Left out (never run out): digital and service products, and every variant of a
    store that no location serves (its merchant does not count stock for it)."""
    ids = sorted({int(variant_id) for variant_id in variant_ids})
    if not ids:
        return {}
    units = func.coalesce(func.sum(case((Location.active.is_(True), _free(utcnow())), else_=0)), 0)
    rows = db.session.execute(
        select(ProductVariant.id, units)
        .join(Product, Product.id == ProductVariant.product_id)
        .join(location_stores, location_stores.c.store_id == ProductVariant.store_id)
        .join(Location, and_(Location.id == location_stores.c.location_id,
                             Location.merchant_id == store.merchant_id))
        .outerjoin(StockLevel, and_(StockLevel.variant_id == ProductVariant.id,
                                    StockLevel.location_id == Location.id))
        .where(ProductVariant.store_id == store.id, ProductVariant.id.in_(ids), Product.product_type == "physical")
        .group_by(ProductVariant.id))
    return {variant_id: int(total) for variant_id, total in rows}


def sellable(store, variant_id):
    """SQL condition on a variant id column, as ``available`` counts: an active location serving ``store``
    has a unit nobody holds, or no location serves the store at all (it does not count stock). Correlated,
    so a listing checks only the variants it looks at, by the (variant_id, location_id) index."""
    served = select(location_stores.c.location_id).where(location_stores.c.store_id == store.id)
    active_served = (select(Location.id).join(location_stores, location_stores.c.location_id == Location.id)
                     .where(location_stores.c.store_id == store.id, Location.active.is_(True),
                            Location.merchant_id == store.merchant_id))
    units_left = exists().where(StockLevel.variant_id == variant_id, StockLevel.location_id.in_(active_served),
                                _free(utcnow()) > 0)
    return or_(~exists(served), units_left)


def _low_stock_query(tenant, threshold_default: int, columns):
    """Rows (variant × active location serving its store) whose available units are at or below the
    threshold; a location that never had the variant counts as 0 available. ``tenant``: a store or merchant."""
    available_units = case((func.coalesce(StockLevel.on_hand, 0) - func.coalesce(StockLevel.reserved, 0) > 0,
                            func.coalesce(StockLevel.on_hand, 0) - func.coalesce(StockLevel.reserved, 0)), else_=0)
    threshold = func.coalesce(StockLevel.low_stock_threshold, literal(threshold_default))
    if isinstance(tenant, Store):
        merchant_id, scope = tenant.merchant_id, ProductVariant.store_id == tenant.id
    else:
        merchant_id = tenant.id
        scope = ProductVariant.store_id.in_(select(Store.id).where(Store.merchant_id == tenant.id))
    return (select(*columns(available_units, threshold))
            .select_from(ProductVariant)
            .join(Product, Product.id == ProductVariant.product_id)
            .join(location_stores, location_stores.c.store_id == ProductVariant.store_id)
            .join(Location, and_(Location.id == location_stores.c.location_id, Location.merchant_id == merchant_id,
                                 Location.active.is_(True)))
            .outerjoin(StockLevel, and_(StockLevel.variant_id == ProductVariant.id,
                                        StockLevel.location_id == Location.id))
            .where(scope, Product.product_type == "physical", available_units <= threshold))


@dataclass(frozen=True)
class LowStock:
    variant_id: int
    sku: str
    location_id: int
    location: str
    available: int
    threshold: int


def low_stock(tenant, limit: int = 100) -> list[LowStock]:
    """Variants at or below their low-stock threshold at an active location (a store's, or a whole
    merchant's), fewest first."""
    platform = tenant.platform
    query = _low_stock_query(tenant, settings(platform).low_stock_threshold, lambda units, threshold: (
        ProductVariant.id, ProductVariant.sku, Location.id, Location.name, units, threshold))
    rows = db.session.execute(query.order_by(query.selected_columns[4], ProductVariant.sku, Location.position)
                              .limit(limit))
    return [LowStock(*row) for row in rows]


def low_stock_count(tenant) -> int:
    """How many variants are low somewhere (one query): the dashboard tile."""
    query = _low_stock_query(tenant, settings(tenant.platform).low_stock_threshold,
                             lambda units, threshold: (ProductVariant.id,)).distinct()
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


# -- the stock list ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StockRow:
    """One variant at one location, read in the list's single query (``level`` None: never counted there)."""

    variant: ProductVariant
    product: Product
    title: str | None
    location: Location
    level: StockLevel | None
    default_threshold: int

    @property
    def on_hand(self) -> int:
        return self.level.on_hand if self.level else 0

    @property
    def reserved(self) -> int:
        return self.level.reserved if self.level else 0

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved)

    @property
    def threshold(self) -> int:
        if self.level is not None and self.level.low_stock_threshold is not None:
            return self.level.low_stock_threshold
        return self.default_threshold

    @property
    def is_out(self) -> bool:
        return self.available == 0

    @property
    def is_low(self) -> bool:
        return self.available <= self.threshold

    @property
    def options(self) -> str:
        return " · ".join(str(value) for value in (self.variant.options or []))


def stock_rows(store, *, search: str = "", location: Location | None = None, low_only: bool = False,
               variant_id: int | None = None, inactive_too: bool = False, page: int = 1) -> Page:
    """One page of the store's stocked variants × the locations serving it (the active ones, all with
    ``inactive_too``, or only ``location``): one count query and one list query whatever the page size."""
    default_threshold = settings(store.platform).low_stock_threshold
    title = product_title(store)
    on_hand, reserved = func.coalesce(StockLevel.on_hand, 0), func.coalesce(StockLevel.reserved, 0)
    available_units = case((on_hand - reserved > 0, on_hand - reserved), else_=0)
    conditions = [ProductVariant.store_id == store.id, Product.product_type == "physical",
                  Location.merchant_id == store.merchant_id]
    if location is not None:
        conditions.append(Location.id == location.id)
    elif not inactive_too:
        conditions.append(Location.active.is_(True))
    if variant_id is not None:
        conditions.append(ProductVariant.id == variant_id)
    search = clean_search(search)
    if search:
        pattern = like(search)
        conditions.append(or_(func.lower(ProductVariant.sku).like(pattern, escape="\\"),
                              select(ProductTranslation.id).where(
                                  ProductTranslation.product_id == Product.id,
                                  func.lower(ProductTranslation.title).like(pattern, escape="\\"))
                              .correlate(Product).exists()))
    if low_only:
        conditions.append(available_units <= func.coalesce(StockLevel.low_stock_threshold, default_threshold))

    def joined(query):
        return (query.select_from(ProductVariant)
                .join(Product, Product.id == ProductVariant.product_id)
                .join(location_stores, location_stores.c.store_id == ProductVariant.store_id)
                .join(Location, Location.id == location_stores.c.location_id)
                .outerjoin(StockLevel, and_(StockLevel.variant_id == ProductVariant.id,
                                            StockLevel.location_id == Location.id))
                .where(*conditions))

    total = db.session.scalar(joined(select(func.count())))
    page, pages = pagination.clamp(page, total, PAGE_SIZE)
    rows = db.session.execute(
        joined(select(ProductVariant, Product, title, Location, StockLevel))
        .order_by(func.lower(title), Product.id, ProductVariant.position, ProductVariant.id, Location.position,
                  Location.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page([StockRow(*row, default_threshold) for row in rows], total, page, pages)


def stock_row(store, variant_id: int, location_id: int) -> StockRow:
    """The list's row of one variant at one location serving the store (after a change, to re-render it)."""
    location = serving_location(store, location_id)
    rows = stock_rows(store, location=location, variant_id=variant_id).items
    if not rows:
        raise NotFound(variant_id)
    return rows[0]
