"""Marketplace: Letzshop product feed, order import, confirm/decline and tracking."""
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class MarketplaceConfig(BaseModel):
    order_import_interval_minutes: int = Field(15, ge=5, le=1440, title="Import orders every (minutes)")
    feed_refresh_hours: int = Field(6, ge=1, le=72, title="Refresh the product feed every (hours)")
    auto_confirm_orders: bool = Field(False, title="Confirm imported orders automatically when in stock")


MODULE = ModuleDefinition(
    code="marketplace",
    name="Letzshop marketplace",
    description="Letzshop: product feed, order import, confirm/decline and tracking.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=100,
    requires=("inventory", "orders"),
    permissions=(
        Permission("marketplace.view", "View marketplace orders and feed"),
        Permission("marketplace.manage", "Confirm, decline and ship marketplace orders"),
        Permission("marketplace.connect", "Connect the Letzshop account"),
    ),
    config_schema=MarketplaceConfig,
)
