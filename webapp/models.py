"""Framework tables: platforms, per-platform module state, staff users, task runs, audit log."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Platform(db.Model):
    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Host names (lower case, no port) on which this platform answers.
    hosts: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list[PlatformModule]] = relationship(
        back_populates="platform", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Platform {self.code}>"


class PlatformModule(db.Model):
    """A module's state on one platform. No row means the module's default state."""

    __tablename__ = "platform_modules"
    __table_args__ = (UniqueConstraint("platform_id", "module_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    module_code: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(default=False)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    platform: Mapped[Platform] = relationship(back_populates="modules")
    updated_by: Mapped[User | None] = relationship()


class User(UserMixin, db.Model):
    """Anyone who signs in to an admin surface.

    ``platform_role`` is set for platform staff; merchant and store staff get their roles from
    tenancy memberships (a later module table keyed on ``users.id``), so one table serves both.
    Shoppers are customers of a merchant and live in the customers module, not here.
    """

    __tablename__ = "users"

    ROLE_SUPER_ADMIN = "super_admin"
    ROLE_PLATFORM_ADMIN = "platform_admin"
    PLATFORM_ROLES = (ROLE_SUPER_ADMIN, ROLE_PLATFORM_ADMIN)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    platform_role: Mapped[str | None] = mapped_column(String(20))
    is_active_user: Mapped[bool] = mapped_column(default=True)
    # Part of the session identity: changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5), default="en")
    last_login_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_user

    def get_id(self) -> str:  # Flask-Login
        return f"{self.id}:{self.session_token}"

    @property
    def is_super_admin(self) -> bool:
        return self.platform_role == self.ROLE_SUPER_ADMIN

    @property
    def is_platform_staff(self) -> bool:
        return self.platform_role in self.PLATFORM_ROLES

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class TaskRun(db.Model):
    """One execution of a background task, kept so that history survives restarts."""

    __tablename__ = "task_runs"

    STATES = ("PENDING", "STARTED", "SUCCESS", "FAILURE", "RETRY")

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    task_name: Mapped[str] = mapped_column(String(200), index=True)
    module_code: Mapped[str | None] = mapped_column(String(40), index=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="SET NULL"), index=True)
    args_summary: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), index=True, default="PENDING")
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    platform: Mapped[Platform | None] = relationship()

    @property
    def duration_ms(self) -> int | None:
        if self.started_at and self.finished_at:
            return int((self.finished_at - self.started_at).total_seconds() * 1000)
        return None


class AuditLog(db.Model):
    """Who did what to which tenant, and when. Written by every admin mutation."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="SET NULL"), index=True)
    # Tenant keys without foreign keys: the framework's tables do not depend on the tenancy module's.
    merchant_id: Mapped[int | None] = mapped_column(index=True)
    store_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship()
    platform: Mapped[Platform | None] = relationship()
