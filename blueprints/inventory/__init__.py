"""Inventory: stock per location, movements and reservations."""
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class InventoryConfig(BaseModel):
    low_stock_threshold: int = Field(5, ge=0, le=10_000, title="Low-stock threshold (units)")
    reservation_minutes: int = Field(30, ge=5, le=1440, title="Cart reservation lifetime (minutes)")
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
)
