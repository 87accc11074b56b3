"""Tenancy tables: merchants, their stores and domains, staff memberships and invitations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models import Platform, User, utcnow

ACTIVE = "active"
SUSPENDED = "suspended"
STATUSES = (ACTIVE, SUSPENDED)
LANGUAGES = ("en", "fr", "de", "lb")


class Merchant(db.Model):
    """A legal business on a platform; it owns stores and its customers are merchant-wide."""

    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    legal_name: Mapped[str] = mapped_column(String(200))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="LU")
    contact_email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[Platform] = relationship()
    stores: Mapped[list[Store]] = relationship(back_populates="merchant", order_by="Store.name")

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


class Store(db.Model):
    """A shop of a merchant, reached at /s/<store_code>/ or on its own verified domains."""

    __tablename__ = "stores"
    __table_args__ = (UniqueConstraint("platform_id", "store_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside merchant_id so that store codes are unique per platform by constraint.
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    store_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    default_language: Mapped[str] = mapped_column(String(2), default="fr")
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["fr", "de", "en"])
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(12), default=ACTIVE, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    platform: Mapped[Platform] = relationship()
    merchant: Mapped[Merchant] = relationship(back_populates="stores")
    domains: Mapped[list[StoreDomain]] = relationship(back_populates="store", order_by="StoreDomain.host")

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE and self.merchant.is_active


class StoreDomain(db.Model):
    """A host name of a store; it routes only once its DNS TXT record proves ownership."""

    __tablename__ = "store_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(253), unique=True)
    is_primary: Mapped[bool] = mapped_column(default=False)
    verification_token: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    store: Mapped[Store] = relationship(back_populates="domains")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class MerchantMembership(db.Model):
    """Owner or admin of a merchant: acts in all of its stores."""

    __tablename__ = "merchant_memberships"
    __table_args__ = (UniqueConstraint("merchant_id", "user_id"),)

    OWNER = "owner"
    ADMIN = "admin"
    ROLES = (OWNER, ADMIN)

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    merchant: Mapped[Merchant] = relationship()
    user: Mapped[User] = relationship()


class StoreMembership(db.Model):
    """Manager or staff of chosen stores."""

    __tablename__ = "store_memberships"
    __table_args__ = (UniqueConstraint("store_id", "user_id"),)

    MANAGER = "manager"
    STAFF = "staff"
    ROLES = (MANAGER, STAFF)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    store: Mapped[Store] = relationship()
    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """An e-mailed link to join a merchant (owner/admin) or a store (manager/staff)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only the SHA-256 of the token is stored: the link in the e-mail is the secret.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    merchant: Mapped[Merchant] = relationship()
    store: Mapped[Store | None] = relationship()
    invited_by: Mapped[User | None] = relationship()


class PlatformAssignment(db.Model):
    """A platform a platform admin runs; an admin sees only the platforms assigned (none without a row)."""

    __tablename__ = "platform_assignments"
    __table_args__ = (UniqueConstraint("user_id", "platform_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
