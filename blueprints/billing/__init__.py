"""Billing: merchant subscriptions to platform tiers, invoices and plan limits."""
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, Permission, Tier


class BillingConfig(BaseModel):
    trial_days: int = Field(14, ge=0, le=90, title="Free trial (days)")
    invoice_prefix: str = Field(
        "BT", min_length=1, max_length=8, pattern=r"^[A-Z0-9-]+$", title="Invoice number prefix"
    )
    payment_terms_days: int = Field(30, ge=0, le=90, title="Invoice payment terms (days)")


MODULE = ModuleDefinition(
    code="billing",
    name="Billing",
    description="Merchant subscriptions to platform tiers, invoices and limits.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=60,
    requires=("payments",),
    permissions=(
        Permission("billing.view", "View subscription and invoices"),
        Permission("billing.manage", "Change subscription and payment method"),
        Permission("billing.plans.manage", "Manage platform subscription tiers"),
    ),
    config_schema=BillingConfig,
)
