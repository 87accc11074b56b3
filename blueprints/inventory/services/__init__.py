"""Inventory services: every write of the module goes through here, locks what it changes, journals
it as movements, audits and commits.

``locations`` (a merchant's locations and the stores they serve), ``stock`` (adjustments, receipts,
transfers, thresholds, what a store can sell, the stock list), ``movements`` (the journal) and
``reservations`` (the API the orders module holds stock with). Lookups are scoped to the store and its
merchant: another tenant's object raises ``NotFound`` (a 404).
"""
from blueprints.inventory.services.common import InventoryError, NotFound, settings  # noqa: F401
from blueprints.inventory.services.reservations import (  # noqa: F401
    OutOfStock,
    ReservationClosed,
    commit,
    expire_reservations,
    get_reservation,
    release,
    reserve,
)
from blueprints.inventory.services.stock import (  # noqa: F401
    adjust,
    available,
    low_stock,
    low_stock_count,
    receive,
    record,
    set_threshold,
    transfer,
)
from webapp.pagination import Page  # noqa: F401
