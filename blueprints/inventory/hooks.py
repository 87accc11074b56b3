"""Start-up wiring of the inventory module: it becomes the catalog's stock source, and its expiry task
runs every minute under Celery beat."""
from blueprints.catalog.services import stock as catalog_stock
from blueprints.inventory.services import available
from blueprints.inventory.services.stock import sellable
from webapp.extensions import celery

EXPIRE_EVERY_SECONDS = 60


def on_startup(_data) -> None:
    catalog_stock.register_source("inventory", available, sellable)
    # Reservations past their expiry already hold nothing (see services.reservations); the task only
    # gives their units back to the counters, so a minute's delay is harmless.
    celery.conf.beat_schedule.setdefault("expire-stock-reservations", {
        "task": "inventory.expire_reservations", "schedule": EXPIRE_EVERY_SECONDS})
