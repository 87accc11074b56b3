"""The movement journal of a store, filtered and paged for the store admin."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from blueprints.catalog.models import Product, ProductTranslation, ProductVariant
from blueprints.inventory.models import REASONS, Location, StockMovement
from blueprints.inventory.services.common import InventoryError, clean_search, like, product_title
from webapp import pagination
from webapp.extensions import db
from webapp.models import User
from webapp.pagination import Page

MOVEMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class MovementRow:
    movement: StockMovement
    sku: str
    options: list
    title: str | None
    location: str
    user: str | None


def parse_day(value, field: str) -> date | None:
    """``2026-12-01`` (what a date input sends) as a date; empty: None."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InventoryError("Enter a date as YYYY-MM-DD.", field) from None


def list_movements(store, *, search: str = "", location: Location | None = None, reason: str = "",
                   since: date | None = None, until: date | None = None, variant_id: int | None = None,
                   page: int = 1, per_page: int = MOVEMENTS_PER_PAGE) -> Page:
    """The store's movements, newest first (one count query and one list query)."""
    if reason and reason not in REASONS:
        raise InventoryError(f"Choose a reason: {', '.join(REASONS)}.", "reason")
    if since and until and until < since:
        raise InventoryError("The end date comes after the start date.", "until")
    conditions = [StockMovement.store_id == store.id, StockMovement.merchant_id == store.merchant_id]
    if location is not None:
        conditions.append(StockMovement.location_id == location.id)
    if reason:
        conditions.append(StockMovement.reason == reason)
    if since:
        conditions.append(StockMovement.created_at >= datetime.combine(since, time.min))
    if until:
        conditions.append(StockMovement.created_at < datetime.combine(until + timedelta(days=1), time.min))
    if variant_id is not None:
        conditions.append(StockMovement.variant_id == variant_id)
    search = clean_search(search)
    if search:
        pattern = like(search)
        conditions.append(or_(
            func.lower(ProductVariant.sku).like(pattern, escape="\\"),
            select(ProductTranslation.id).where(ProductTranslation.product_id == Product.id,
                                                func.lower(ProductTranslation.title).like(pattern, escape="\\"))
            .correlate(Product).exists(),
            func.lower(StockMovement.reference).like(pattern, escape="\\")))

    def joined(query):
        return (query.select_from(StockMovement)
                .join(ProductVariant, ProductVariant.id == StockMovement.variant_id)
                .join(Product, Product.id == ProductVariant.product_id)
                .join(Location, Location.id == StockMovement.location_id)
                .outerjoin(User, User.id == StockMovement.user_id)
                .where(*conditions))

    total = db.session.scalar(joined(select(func.count())))
    page, pages = pagination.clamp(page, total, per_page)
    rows = db.session.execute(
        joined(select(StockMovement, ProductVariant.sku, ProductVariant.options, product_title(store), Location.name,
                      func.coalesce(User.name, User.email)))
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    return Page([MovementRow(*row) for row in rows], total, page, pages)
