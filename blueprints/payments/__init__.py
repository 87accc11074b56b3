"""Payments: payment gateways (Stripe, PayPal, bank transfer, cash on delivery)."""
from typing import Literal

from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class PaymentsConfig(BaseModel):
    stripe_enabled: bool = Field(True, title="Stripe (cards, Bancontact, iDEAL)")
    paypal_enabled: bool = Field(False, title="PayPal")
    bank_transfer_enabled: bool = Field(True, title="Bank transfer")
    cash_on_delivery_enabled: bool = Field(False, title="Cash on delivery")
    capture: Literal["automatic", "manual"] = Field("automatic", title="Card capture")
    bank_transfer_due_days: int = Field(14, ge=1, le=60, title="Bank transfer due within (days)")


MODULE = ModuleDefinition(
    code="payments",
    name="Payments",
    description="Payment gateways: Stripe, PayPal, bank transfer and cash on delivery.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=50,
    permissions=(
        Permission("payments.view", "View payments"),
        Permission("payments.refund", "Refund payments"),
        Permission("payments.gateways.manage", "Configure payment gateways"),
    ),
    config_schema=PaymentsConfig,
)
