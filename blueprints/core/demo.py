"""Demo data of the core module: the platform ``main`` and the super admin."""
from sqlalchemy import select

from blueprints.core import services
from webapp import modules as module_service
from webapp.extensions import db
from webapp.models import Platform, User
from webapp.registry import get_registry

DEMO_PASSWORD = "buttek-demo"
DEMO_ADMIN = "admin@buttek.demo"


def seed() -> None:
    platform = db.session.scalar(select(Platform).where(Platform.code == "main"))
    if platform is None:
        platform = services.create_platform("main", "Buttek Demo", ["localhost", "127.0.0.1"])
        # The demo shows every feature: switch on all optional modules once, on creation.
        for module in get_registry().by_tier("optional").values():
            module_service.enable(platform, module.code)
    if db.session.scalar(select(User.id).where(User.email == DEMO_ADMIN)) is None:
        services.create_staff_user(DEMO_ADMIN, DEMO_PASSWORD, User.ROLE_SUPER_ADMIN, "Demo Admin")
