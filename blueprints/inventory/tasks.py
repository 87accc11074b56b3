"""Background tasks of the inventory module."""
from blueprints.inventory import services
from webapp.extensions import celery


@celery.task(name="inventory.expire_reservations")
def expire_reservations() -> int:
    """Give back the units of reservations past their expiry; returns how many were expired."""
    return services.expire_reservations()
