"""Customer tables: shopper accounts of a merchant, their addresses, staff notes, tags and segments.

A customer belongs to a merchant (one account per e-mail per merchant) and signs in at any of
its stores; every row here carries ``merchant_id`` directly or through its customer.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models import User, utcnow

MATCH_ALL = "all"
MATCH_ANY = "any"
MATCHES = (MATCH_ALL, MATCH_ANY)

customer_tag_links = Table(
    "customer_tag_links",
    db.metadata,
    Column("customer_id", ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("customer_tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Customer(db.Model):
    """A shopper's account with a merchant, usable in all of the merchant's stores."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("merchant_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    # The store where the account was opened (statistics only: the account works in every store).
    registered_store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))  # lower case
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    first_name: Mapped[str] = mapped_column(String(80), default="")
    last_name: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str | None] = mapped_column(String(2))
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    # When the current consent was given; None while there is none (audit rows keep the history).
    marketing_consent_at: Mapped[datetime | None] = mapped_column()
    # Part of every session of this customer: a new token ends them all (password change, erasure).
    session_token: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_login_at: Mapped[datetime | None] = mapped_column()
    erased_at: Mapped[datetime | None] = mapped_column()

    addresses: Mapped[list[CustomerAddress]] = relationship(
        back_populates="customer", cascade="all, delete-orphan",
        order_by=lambda: [CustomerAddress.is_default.desc(), CustomerAddress.id])
    notes: Mapped[list[CustomerNote]] = relationship(
        back_populates="customer", cascade="all, delete-orphan",
        order_by=lambda: [CustomerNote.created_at.desc(), CustomerNote.id.desc()])
    tags: Mapped[list[CustomerTag]] = relationship(secondary=customer_tag_links, order_by="CustomerTag.name")

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class CustomerAddress(db.Model):
    __tablename__ = "customer_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    name: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="LU")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="addresses")


class CustomerNote(db.Model):
    """A staff member's note on a customer; only staff of the merchant see it."""

    __tablename__ = "customer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class CustomerTag(db.Model):
    """A label of the merchant's choosing ("vip", "wholesale"); segments match on it."""

    __tablename__ = "customer_tags"
    __table_args__ = (UniqueConstraint("merchant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))  # lower case


class Segment(db.Model):
    """Customers matching saved rules, evaluated as one query (see services.segments)."""

    __tablename__ = "customer_segments"
    __table_args__ = (UniqueConstraint("merchant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    match: Mapped[str] = mapped_column(String(3), default=MATCH_ALL)
    # [{"field": "tag", "operator": "is", "value": "vip"}, ...], validated by services.segments.
    rules: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
