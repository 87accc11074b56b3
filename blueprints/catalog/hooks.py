"""Start-up wiring of the catalog module: its housekeeping runs hourly under Celery beat."""
from webapp.extensions import celery

HOUSEKEEPING_EVERY_SECONDS = 60 * 60


def on_startup(_data) -> None:
    celery.conf.beat_schedule.setdefault("catalog-housekeeping", {
        "task": "catalog.housekeeping", "schedule": HOUSEKEEPING_EVERY_SECONDS})
