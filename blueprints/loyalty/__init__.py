"""Loyalty: merchant-wide stamp and points programs across the merchant's stores."""
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class LoyaltyConfig(BaseModel):
    points_per_euro: int = Field(1, ge=0, le=100, title="Points earned per euro spent")
    points_expire_after_months: int = Field(24, ge=0, le=120, title="Points expire after (months, 0 = never)")


MODULE = ModuleDefinition(
    code="loyalty",
    name="Loyalty",
    description="Merchant-wide stamp and points programs across the merchant's stores.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=130,
    requires=("customers",),
    permissions=(
        Permission("loyalty.view", "View loyalty programs and cards"),
        Permission("loyalty.manage", "Manage loyalty programs"),
        Permission("loyalty.adjust", "Adjust a customer's points"),
    ),
    config_schema=LoyaltyConfig,
)
