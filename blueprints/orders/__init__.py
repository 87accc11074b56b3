"""Orders: cart, checkout, order management, fulfilment and refunds."""
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class OrdersConfig(BaseModel):
    order_number_prefix: str = Field("ORD", min_length=1, max_length=8, pattern=r"^[A-Z0-9-]+$",
                                     title="Order number prefix")
    guest_checkout: bool = Field(True, title="Allow checkout without an account")
    cancel_unpaid_after_hours: int = Field(72, ge=1, le=720, title="Cancel unpaid orders after (hours)")


MODULE = ModuleDefinition(
    code="orders",
    name="Orders",
    description="Cart, checkout, order management, fulfilment and refunds.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=90,
    requires=("payments", "catalog"),
    permissions=(
        Permission("orders.view", "View orders"),
        Permission("orders.manage", "Edit, fulfil and cancel orders"),
        Permission("orders.refund", "Refund orders"),
    ),
    config_schema=OrdersConfig,
)
