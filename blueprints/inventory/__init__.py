"""Inventory: stock per location, movements and reservations."""
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier


class InventoryConfig(BaseModel):
    low_stock_threshold: int = Field(5, ge=0, le=10_000, title="Low-stock threshold (units)")
    reservation_minutes: int = Field(30, ge=5, le=1440, title="Cart reservation lifetime (minutes)")
    # On: reservations never fail for lack of stock; the shortfall is reserved anyway and delivered later
    # (see blueprints/inventory/services/reservations.py).
    allow_backorders: bool = Field(False, title="Allow orders beyond available stock")


MODULE = ModuleDefinition(
    code="inventory",
    name="Inventory",
    description="Stock per location, movements and reservations.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=80,
    requires=("catalog",),
    permissions=(
        Permission("inventory.view", "View stock and movements"),
        Permission("inventory.adjust", "Adjust and transfer stock"),
        Permission("inventory.locations.manage", "Manage stock locations"),
    ),
    config_schema=InventoryConfig,
    navigation={
        Surface.STORE_ADMIN: (
            NavEntry(_l("Stock"), "inventory_store.index", icon="boxes", permission="inventory.view", order=30),
            NavEntry(_l("Movements"), "inventory_store.movements", icon="arrow-left-right",
                     permission="inventory.view", order=31),
            NavEntry(_l("Locations"), "inventory_store.locations", icon="geo-alt", permission="inventory.view",
                     order=32),
        ),
    },
    blueprints=("blueprints.inventory.routes.store:bp",),
    on_startup="blueprints.inventory.hooks:on_startup",
    dashboard_tiles="blueprints.inventory.dashboard:tiles",
    demo_seeder="blueprints.inventory.demo:seed",
)
