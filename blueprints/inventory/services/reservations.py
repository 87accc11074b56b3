"""Reservations: units held for a shopper's checkout, for the orders module.

``reserve(store, key, [(variant_id, quantity), …])`` holds units at the active locations serving the
store, in the locations' order, all or nothing; the key is the caller's idempotency key (one per
checkout attempt): the same key again returns the reservation made the first time, whatever its state,
so a retried request never holds stock twice. ``commit`` turns held units into sold ones (on hand and
reserved both go down), ``release`` gives them back, and ``expire_reservations`` (a periodic task)
releases the ones past their expiry. A reservation past its expiry holds nothing even before that task
runs: ``available`` and ``reserve`` count its units as free, and it can no longer be committed.

Digital products and services reserve nothing and always succeed; so does every variant of a store that
no location serves (its stock is not counted).

Backorders: with the module setting ``allow_backorders`` on, ``reserve`` never refuses for lack of stock;
the units beyond what is free are reserved at the store's first active location anyway (there
``reserved`` then exceeds ``on_hand``, and available shows 0) and the line records them as
``backordered``. ``commit`` then takes from on hand what is there, never below zero; the backordered
units are the merchant's to deliver when the goods arrive.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from blueprints.catalog.models import Product, ProductVariant
from blueprints.inventory.models import (
    ACTIVE,
    COMMITTED,
    EXPIRED,
    RELEASED,
    Location,
    Reservation,
    ReservationLine,
    StockLevel,
)
from blueprints.inventory.services.common import (
    MAX_UNITS,
    InventoryError,
    NotFound,
    change,
    ensure_levels,
    locked_levels,
    serves,
    settings,
    transaction,
    whole_number,
)
from webapp.extensions import db
from webapp.models import utcnow

MAX_KEY = 120
MAX_MINUTES = 7 * 24 * 60


class OutOfStock(InventoryError):
    """Not enough units of one variant; nothing was reserved."""

    def __init__(self, variant_id: int, sku: str, requested: int, available: int):
        super().__init__(f"Only {available} of {sku} available, {requested} requested.", "quantity")
        self.variant_id, self.sku, self.requested, self.available = variant_id, sku, requested, available


class ReservationClosed(InventoryError):
    """The reservation was released, expired or committed: nothing more can happen to it."""


def _clean_key(key) -> str:
    key = str(key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise InventoryError(f"A reservation key has 1 to {MAX_KEY} characters.", "key")
    return key


def _clean_items(items) -> dict[int, int]:
    wanted: dict[int, int] = {}
    for variant_id, quantity in items:
        try:
            variant_id = int(variant_id)
        except (TypeError, ValueError):
            raise InventoryError("Name each variant by its id.", "variant_id") from None
        wanted[variant_id] = wanted.get(variant_id, 0) + whole_number(quantity, "quantity", minimum=1)
    if not wanted:
        raise InventoryError("Reserve at least one unit.", "quantity")
    if max(wanted.values()) > MAX_UNITS:
        raise InventoryError(f"Reserve at most {MAX_UNITS} units of a variant.", "quantity")
    return wanted


def get_reservation(store, key) -> Reservation:
    reservation = db.session.scalar(
        select(Reservation).where(Reservation.merchant_id == store.merchant_id, Reservation.store_id == store.id,
                                  Reservation.key == _clean_key(key)))
    if reservation is None:
        raise NotFound(key)
    return reservation


def _existing(store, key: str) -> Reservation | None:
    reservation = db.session.scalar(
        select(Reservation).where(Reservation.merchant_id == store.merchant_id, Reservation.key == key)
        .execution_options(populate_existing=True))
    if reservation is not None and reservation.store_id != store.id:
        raise InventoryError("This reservation key is used by another store of the merchant.", "key")
    return reservation


def _expired_held(merchant_id: int, variant_ids, location_ids, now) -> dict[tuple[int, int], int]:
    """Units that reservations past their expiry still count as reserved, per (variant, location)."""
    rows = db.session.execute(
        select(ReservationLine.variant_id, ReservationLine.location_id, func.sum(ReservationLine.quantity))
        .join(Reservation, Reservation.id == ReservationLine.reservation_id)
        .where(Reservation.merchant_id == merchant_id, Reservation.status == ACTIVE, Reservation.expires_at <= now,
               ReservationLine.variant_id.in_(sorted(variant_ids)),
               ReservationLine.location_id.in_(sorted(location_ids)))
        .group_by(ReservationLine.variant_id, ReservationLine.location_id))
    return {(variant_id, location_id): int(units) for variant_id, location_id, units in rows}


def reserve(store, key, items, minutes: int | None = None) -> Reservation:
    """Hold ``items`` ([(variant_id, quantity), …]) for ``minutes`` (default: the module's setting)."""
    key = _clean_key(key)
    existing = _existing(store, key)
    if existing is not None:
        return existing
    wanted = _clean_items(items)
    config = settings(store.platform)
    minutes = config.reservation_minutes if minutes is None else whole_number(minutes, "minutes", minimum=1,
                                                                                 maximum=MAX_MINUTES)
    variants = {variant_id: (sku, product_type) for variant_id, sku, product_type in db.session.execute(
        select(ProductVariant.id, ProductVariant.sku, Product.product_type)
        .join(Product, Product.id == ProductVariant.product_id)
        .where(ProductVariant.store_id == store.id, ProductVariant.id.in_(sorted(wanted))))}
    unknown = sorted(set(wanted) - set(variants))
    if unknown:
        raise NotFound(unknown[0])
    stocked = {variant_id: units for variant_id, units in wanted.items() if variants[variant_id][1] == "physical"}
    try:
        with transaction():
            now = utcnow()
            reservation = Reservation(merchant_id=store.merchant_id, store_id=store.id, key=key, status=ACTIVE,
                                      expires_at=now + timedelta(minutes=minutes), created_at=now)
            db.session.add(reservation)
            db.session.flush()  # the unique key: a concurrent call with the same key waits here, then fails
            if stocked:
                _allocate(store, reservation, stocked, variants, config.allow_backorders, now)
    except IntegrityError:
        existing = _existing(store, key)
        if existing is None:
            raise
        return existing
    return reservation


def _allocate(store, reservation: Reservation, stocked: dict[int, int], variants: dict, backorders: bool,
              now) -> None:
    serving = db.session.execute(select(Location.id, Location.active).where(
        Location.merchant_id == store.merchant_id, serves(store)).order_by(Location.position, Location.name,
                                                                           Location.id)).all()
    if not serving:
        return  # no location serves the store: its stock is not counted, nothing to hold
    locations = [location_id for location_id, active in serving if active]
    if not locations:
        variant_id = min(stocked)
        raise OutOfStock(variant_id, variants[variant_id][0], stocked[variant_id], 0)
    if backorders:
        ensure_levels(store.merchant_id, [(variant_id, locations[0]) for variant_id in stocked])
    levels = locked_levels(store.merchant_id, stocked, locations)
    expired = _expired_held(store.merchant_id, stocked, locations, now)
    for variant_id in sorted(stocked):
        needed, allocations = stocked[variant_id], {}
        for location_id in locations:
            level = levels.get((variant_id, location_id))
            if level is None or needed == 0:
                continue
            free = max(0, level.on_hand - level.reserved + expired.get((variant_id, location_id), 0))
            taken = min(free, needed)
            if taken:
                allocations[location_id] = [level, taken, 0]
                needed -= taken
        if needed:
            if not backorders:
                raise OutOfStock(variant_id, variants[variant_id][0], stocked[variant_id],
                                 stocked[variant_id] - needed)
            first = allocations.setdefault(locations[0], [levels[(variant_id, locations[0])], 0, 0])
            first[1] += needed
            first[2] = needed
        for location_id, (level, units, backordered) in allocations.items():
            change(level, store.id, reason="reserved", reserved=units, reference=reservation.key,
                   note=f"{backordered} backordered" if backordered else "")
            reservation.lines.append(ReservationLine(variant_id=variant_id, location_id=location_id, quantity=units,
                                                     backordered=backordered))


def _locked(store, key) -> Reservation:
    reservation = db.session.scalar(
        select(Reservation).where(Reservation.merchant_id == store.merchant_id, Reservation.store_id == store.id,
                                  Reservation.key == _clean_key(key))
        .with_for_update().execution_options(populate_existing=True))
    if reservation is None:
        raise NotFound(key)
    return reservation


def _line_levels(reservation: Reservation) -> dict[tuple[int, int], StockLevel]:
    lines = reservation.lines
    return locked_levels(reservation.merchant_id, [line.variant_id for line in lines],
                         [line.location_id for line in lines])


def _give_back(reservation: Reservation, note: str = "") -> None:
    levels = _line_levels(reservation)
    for line in reservation.lines:
        level = levels[(line.variant_id, line.location_id)]
        change(level, reservation.store_id, reason="released", reserved=-min(line.quantity, level.reserved),
               reference=reservation.key, note=note)


def release(store, key) -> Reservation:
    """Give the held units back (a cart abandoned, a payment failed); releasing twice changes nothing."""
    with transaction():
        reservation = _locked(store, key)
        if reservation.status == COMMITTED:
            raise ReservationClosed("This reservation is committed: its units are sold.", "key")
        if reservation.status == ACTIVE:
            _give_back(reservation)
            reservation.status, reservation.closed_at = RELEASED, utcnow()
    return reservation


def commit(store, key) -> Reservation:
    """The order is placed: the held units leave the shelf (movements 'sold'). Committing twice changes
    nothing; a released or expired reservation cannot be committed (reserve again under a new key)."""
    with transaction():
        reservation = _locked(store, key)
        if reservation.status == COMMITTED:
            return reservation
        if reservation.status != ACTIVE or not reservation.is_holding():
            raise ReservationClosed("This reservation has expired or was released; reserve the items again.",
                                    "key")
        levels = _line_levels(reservation)
        for line in reservation.lines:
            level = levels[(line.variant_id, line.location_id)]
            taken = min(line.quantity, level.on_hand)  # less only for backordered units
            change(level, reservation.store_id, reason="sold", on_hand=-taken,
                   reserved=-min(line.quantity, level.reserved), reference=reservation.key,
                   note=f"{line.quantity - taken} backordered" if taken < line.quantity else "")
        reservation.status, reservation.closed_at = COMMITTED, utcnow()
    return reservation


def expire_reservations(now=None, limit: int = 500) -> int:
    """Release the active reservations past their expiry, each in its own short transaction; returns how many."""
    now = now or utcnow()
    ids = db.session.scalars(select(Reservation.id).where(Reservation.status == ACTIVE, Reservation.expires_at <= now)
                             .order_by(Reservation.expires_at, Reservation.id).limit(limit)).all()
    expired = 0
    for reservation_id in ids:
        with transaction():
            reservation = db.session.scalar(select(Reservation).where(Reservation.id == reservation_id)
                                            .with_for_update().execution_options(populate_existing=True))
            if reservation is not None and reservation.status == ACTIVE and reservation.expires_at <= now:
                _give_back(reservation, note="expired")
                reservation.status, reservation.closed_at = EXPIRED, now
                expired += 1
    return expired
