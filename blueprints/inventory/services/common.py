"""What the inventory services share: refusals, the module's settings, tenant-scoped lookups of variants
and locations, and the one place a stock level changes (with its movement row)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import exists, func, select
from sqlalchemy.dialects import postgresql, sqlite

from blueprints.catalog.models import Product, ProductTranslation, ProductVariant
from blueprints.inventory import InventoryConfig
from blueprints.inventory.models import Location, StockLevel, StockMovement, location_stores
from webapp import tenancy
from webapp.extensions import db
from webapp.models import utcnow
from webapp.modules import module_states

PAGE_SIZE = 25
MAX_UNITS = 1_000_000  # far above any shop's stock of one item; keeps sums well inside 32-bit integers
MAX_NOTE = 200


class InventoryError(ValueError):
    """A refusal to show the merchant, under ``field`` when one fits."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(tenancy.NotFound):
    """Not an object of this store or merchant: a 404."""




def settings(platform) -> InventoryConfig:
    """The inventory module's settings on ``platform`` (defaults where the platform set nothing)."""
    return InventoryConfig.model_validate(module_states(platform)["inventory"].config)


def like(text: str) -> str:
    """A LIKE pattern that matches ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_search(text) -> str:
    return " ".join(str(text or "").split())[:100]


def clean_note(text) -> str:
    note = " ".join(str(text or "").split())
    if len(note) > MAX_NOTE:
        raise InventoryError(f"A note has at most {MAX_NOTE} characters.", "note")
    return note


def whole_number(value, field: str, *, minimum: int = 0, maximum: int = MAX_UNITS) -> int:
    """``value`` as an int within bounds, or a refusal that says what to type."""
    if isinstance(value, bool):
        raise InventoryError("Enter a whole number of units.", field)
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip().replace("\u202f", "").replace(" ", "")
        if not text.lstrip("+-").isdigit():
            raise InventoryError("Enter a whole number of units.", field)
        number = int(text)
    if number < minimum:
        raise InventoryError("Enter zero or more units." if minimum == 0 else f"Enter at least {minimum}.", field)
    if number > maximum:
        raise InventoryError(f"Enter at most {maximum:,} units.".replace(",", " "), field)
    return number


# -- tenant-scoped lookups --------------------------------------------------------------------
def store_variant(store, variant_or_id) -> tuple[ProductVariant, Product]:
    """A variant of ``store`` with its product; another store's is NotFound."""
    variant_id = getattr(variant_or_id, "id", variant_or_id)
    row = db.session.execute(
        select(ProductVariant, Product).join(Product, Product.id == ProductVariant.product_id)
        .where(ProductVariant.id == variant_id, ProductVariant.store_id == store.id)).first()
    if row is None:
        raise NotFound(variant_id)
    return row[0], row[1]


def stocked_variant(store, variant_or_id) -> ProductVariant:
    """A variant of ``store`` whose stock is counted: digital products and services have none."""
    variant, product = store_variant(store, variant_or_id)
    if not product.is_stocked:
        raise InventoryError("Digital products and services have no stock to count.")
    return variant


def product_title(store):
    """SQL: the product's title in the store's default language, else any of its titles."""
    own = (select(ProductTranslation.title)
           .where(ProductTranslation.product_id == Product.id, ProductTranslation.language == store.default_language)
           .correlate(Product).scalar_subquery())
    any_title = (select(func.min(ProductTranslation.title)).where(ProductTranslation.product_id == Product.id)
                 .correlate(Product).scalar_subquery())
    return func.coalesce(own, any_title)


def serves(store):
    """SQL condition: the location serves ``store``."""
    return exists().where(location_stores.c.location_id == Location.id, location_stores.c.store_id == store.id)


def serving_location(store, location_or_id) -> Location:
    """A location of the store's merchant that serves the store (active or not); another is NotFound."""
    location_id = getattr(location_or_id, "id", location_or_id)
    location = db.session.scalar(select(Location).where(
        Location.id == location_id, Location.merchant_id == store.merchant_id, serves(store)))
    if location is None:
        raise NotFound(location_id)
    return location


# -- the one way a stock level changes ---------------------------------------------------------
@contextmanager
def transaction():
    """Commit when the block succeeds; roll back on a refusal or an error, so that no row lock outlives
    it and nothing half-written stays in the session."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def ensure_levels(merchant_id: int, pairs) -> None:
    """Create the missing (variant, location) stock rows at zero, racing inserts included (one statement)."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    db.session.execute(insert(StockLevel).values([
        {"merchant_id": merchant_id, "variant_id": variant_id, "location_id": location_id, "on_hand": 0,
         "reserved": 0, "updated_at": now} for variant_id, location_id in pairs
    ]).on_conflict_do_nothing(index_elements=["variant_id", "location_id"]))


def locked_levels(merchant_id: int, variant_ids, location_ids) -> dict[tuple[int, int], StockLevel]:
    """The stock rows of these variants at these locations, locked FOR UPDATE in id order (the same order
    in every transaction, so two of them never wait on each other crosswise), fresh from the database."""
    variant_ids, location_ids = sorted(set(variant_ids)), sorted(set(location_ids))
    if not variant_ids or not location_ids:
        return {}
    levels = db.session.scalars(
        select(StockLevel).where(StockLevel.merchant_id == merchant_id, StockLevel.variant_id.in_(variant_ids),
                                 StockLevel.location_id.in_(location_ids))
        .order_by(StockLevel.id).with_for_update().execution_options(populate_existing=True)).all()
    return {(level.variant_id, level.location_id): level for level in levels}


def locked_level(store, variant_id: int, location_id: int) -> StockLevel:
    ensure_levels(store.merchant_id, [(variant_id, location_id)])
    return locked_levels(store.merchant_id, [variant_id], [location_id])[(variant_id, location_id)]


def change(level: StockLevel, store_id: int, *, reason: str, on_hand: int = 0, reserved: int = 0, note: str = "",
           actor=None, reference: str = "") -> StockMovement:
    """Apply a change to a locked level and journal it. The callers check the business rules; the
    database's CHECK constraints stop anything that slipped through."""
    movement = StockMovement(
        merchant_id=level.merchant_id, store_id=store_id, location_id=level.location_id,
        variant_id=level.variant_id, user_id=getattr(actor, "id", None), reason=reason, note=note[:MAX_NOTE],
        reference=reference[:120], delta_on_hand=on_hand, delta_reserved=reserved,
        on_hand_before=level.on_hand, reserved_before=level.reserved,
        on_hand_after=level.on_hand + on_hand, reserved_after=level.reserved + reserved)
    level.on_hand += on_hand
    level.reserved += reserved
    level.updated_at = utcnow()
    db.session.add(movement)
    return movement
