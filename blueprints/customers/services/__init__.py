"""Customers services: every write of the module goes through here, audits and commits.

``accounts`` and ``sessions`` serve shoppers on the storefront; ``directory`` (list, notes, tags),
``segments`` and ``gdpr`` serve the store admin. Reads are scoped to a merchant: a row of another
merchant raises ``NotFound`` (a 404), never a 403.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp import pagination, tenancy
from webapp.extensions import db
from webapp.pagination import Page

PAGE_SIZE = 25


class NotFound(tenancy.NotFound):
    """The object does not exist for this merchant (another tenant's object looks the same)."""


class CustomerError(ValueError):
    """Refused input; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field




def paginate(query, page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page, pages = pagination.clamp(page, total, PAGE_SIZE)
    items = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).unique().all()
    return Page(items, total, page, pages)


def one_line(value) -> str:
    """No line breaks, no surrounding or doubled space (names end up in e-mail headers)."""
    return " ".join(str(value or "").split())


def flush_unique(message: str, field: str | None = None, *, commit: bool = False) -> None:
    """Flush (or commit): a unique row another request inserted first is a clear refusal, not a 500."""
    try:
        db.session.commit() if commit else db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise CustomerError(message, field) from exc
