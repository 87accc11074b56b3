"""Background tasks of the catalog module."""
from blueprints.catalog.services import cart, csv_io
from webapp.extensions import celery


@celery.task(name="catalog.run_import")
def run_import(import_id: int, platform_id: int | None = None) -> dict:
    """Work through a product CSV the merchant uploaded (``platform_id`` only tags the run)."""
    return csv_io.run_import(import_id)


@celery.task(name="catalog.housekeeping")
def housekeeping() -> dict:
    """Hourly under Celery beat (see hooks): anonymous carts untouched for 30 days go, and imports whose
    worker died are marked failed."""
    return {"carts_purged": cart.purge_abandoned(), "imports_failed": csv_io.fail_stalled_imports()}
