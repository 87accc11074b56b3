"""Shopper carts: one per browser (found by a token kept in the session) or per signed-in customer and store.

A cart stays ``open`` until the orders module turns it into an order (``converted``); a customer has at
most one open cart per store (a partial unique index, so converted carts stay as history).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models import utcnow

__all__ = ["CART_OPEN", "CART_CONVERTED", "CART_STATUSES", "Cart", "CartItem"]

CART_OPEN, CART_CONVERTED = "open", "converted"
CART_STATUSES = (CART_OPEN, CART_CONVERTED)
_ONE_OPEN_CART = text("status = 'open' AND customer_id IS NOT NULL")


class Cart(db.Model):
    __tablename__ = "catalog_carts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'converted')", name="status_known"),
        Index("uq_catalog_carts_open_customer", "store_id", "customer_id", unique=True,
              postgresql_where=_ONE_OPEN_CART, sqlite_where=_ONE_OPEN_CART),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # secrets.token_urlsafe: the session holds it
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=CART_OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Touched by every change: abandoned anonymous carts can be purged by age.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    items: Mapped[list[CartItem]] = relationship(back_populates="cart", cascade="all, delete-orphan",
                                                 order_by="CartItem.id")


class CartItem(db.Model):
    __tablename__ = "catalog_cart_items"
    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"),  # also serves lookups by cart
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("catalog_carts.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("catalog_variants.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column()
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    cart: Mapped[Cart] = relationship(back_populates="items")
