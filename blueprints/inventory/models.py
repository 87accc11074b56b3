"""Inventory tables: a merchant's stock locations and the stores they serve, stock per variant and
location, the movement journal (one row per change) and shoppers' reservations.

Locations and stock belong to the merchant (``merchant_id``): one warehouse may serve several of its
stores. Variants belong to one store (the catalog's), so a stock level row is the stock of one store's
variant at one of the merchant's locations.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blueprints.tenancy.models import Store
from webapp.extensions import db
from webapp.models import utcnow

__all__ = ["KINDS", "WAREHOUSE", "SHOP", "REASONS", "ADJUST_REASONS", "RESERVATION_STATUSES", "location_stores",
           "Location", "StockLevel", "StockMovement", "Reservation", "ReservationLine"]

WAREHOUSE, SHOP = "warehouse", "shop"
KINDS = (WAREHOUSE, SHOP)
# Why stock changed. The first four are what a merchant enters by hand; the others are written by
# transfers, reservations and orders.
ADJUST_REASONS = ("received", "returned", "damaged", "correction")
REASONS = (*ADJUST_REASONS, "sold", "transfer_in", "transfer_out", "reserved", "released", "committed")
ACTIVE, RELEASED, COMMITTED, EXPIRED = "active", "released", "committed", "expired"
RESERVATION_STATUSES = (ACTIVE, RELEASED, COMMITTED, EXPIRED)

location_stores = Table(
    "inventory_location_stores", db.metadata,
    Column("location_id", ForeignKey("inventory_locations.id", ondelete="CASCADE"), primary_key=True),
    Column("store_id", ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Location(db.Model):
    """A place where a merchant keeps stock: a warehouse or a shop. It serves chosen stores of the merchant:
    only the stock of the active locations serving a store can be sold there."""

    __tablename__ = "inventory_locations"
    __table_args__ = (
        UniqueConstraint("merchant_id", "name"),
        CheckConstraint("kind IN ('warehouse', 'shop')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(12), default=WAREHOUSE)
    address: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    stores: Mapped[list[Store]] = relationship(secondary=location_stores, order_by="Store.name")


class StockLevel(db.Model):
    """Units of a variant at a location: ``on_hand`` are there, ``reserved`` are held for shoppers' carts.

    ``reserved`` may exceed ``on_hand`` only when the platform allows backorders; what can be sold is
    ``max(0, on_hand - reserved)``.
    """

    __tablename__ = "inventory_stock_levels"
    __table_args__ = (
        UniqueConstraint("variant_id", "location_id"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("low_stock_threshold IS NULL OR low_stock_threshold >= 0", name="threshold_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("catalog_variants.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("inventory_locations.id", ondelete="CASCADE"), index=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    # None: the platform's default (the inventory module's "low_stock_threshold" setting).
    low_stock_threshold: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved)


class StockMovement(db.Model):
    """One change of one stock level, with the counts before and after: the journal nothing bypasses."""

    __tablename__ = "inventory_movements"
    __table_args__ = (
        Index("ix_inventory_movements_merchant_created", "merchant_id", "created_at"),
        Index("ix_inventory_movements_store_created", "store_id", "created_at"),
        Index("ix_inventory_movements_variant_created", "variant_id", "created_at"),
        Index("ix_inventory_movements_location_created", "location_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    # The variant's store: the store admin lists its own movements.
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("inventory_locations.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("catalog_variants.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    # An order, a reservation key or the pairing token of a transfer's two rows.
    reference: Mapped[str] = mapped_column(String(120), default="", index=True)
    delta_on_hand: Mapped[int] = mapped_column(default=0)
    delta_reserved: Mapped[int] = mapped_column(default=0)
    on_hand_before: Mapped[int] = mapped_column()
    on_hand_after: Mapped[int] = mapped_column()
    reserved_before: Mapped[int] = mapped_column()
    reserved_after: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reservation(db.Model):
    """Units held for a shopper until ``expires_at``, under a key the caller chooses (its idempotency key).

    Its lines say which location holds how many units of which variant.
    """

    __tablename__ = "inventory_reservations"
    __table_args__ = (
        UniqueConstraint("merchant_id", "key"),
        Index("ix_inventory_reservations_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE)
    expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()

    lines: Mapped[list[ReservationLine]] = relationship(back_populates="reservation", cascade="all, delete-orphan",
                                                        order_by="ReservationLine.id")

    def is_holding(self, now: datetime | None = None) -> bool:
        """Active and not yet past its expiry: only such a reservation keeps units from others."""
        return self.status == ACTIVE and self.expires_at > (now or utcnow())


class ReservationLine(db.Model):
    __tablename__ = "inventory_reservation_lines"
    __table_args__ = (
        Index("ix_inventory_reservation_lines_variant_location", "variant_id", "location_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("backordered >= 0 AND backordered <= quantity", name="backordered_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reservation_id: Mapped[int] = mapped_column(ForeignKey("inventory_reservations.id", ondelete="CASCADE"),
                                                index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("catalog_variants.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("inventory_locations.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column()
    # Units beyond the stock there when reserved (only with backorders allowed): to be delivered later.
    backordered: Mapped[int] = mapped_column(default=0)

    reservation: Mapped[Reservation] = relationship(back_populates="lines")
