"""Background tasks of the catalog module."""
from blueprints.catalog.services import csv_io
from webapp.extensions import celery


@celery.task(name="catalog.run_import")
def run_import(import_id: int, platform_id: int | None = None) -> dict:
    """Work through a product CSV the merchant uploaded (``platform_id`` only tags the run)."""
    return csv_io.run_import(import_id)
