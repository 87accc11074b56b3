"""Customers: shopper accounts per merchant, profiles, addresses, segments, GDPR requests."""
from webapp.registry import ModuleDefinition, Permission, Tier

MODULE = ModuleDefinition(
    code="customers",
    name="Customers",
    description="Customer accounts, profiles, addresses and segments.",
    version="1.0.0",
    tier=Tier.CORE,
    position=40,
    permissions=(
        Permission("customers.view", "View customers"),
        Permission("customers.edit", "Edit customers, notes and tags"),
        Permission("customers.segments.manage", "Manage customer segments"),
        Permission("customers.gdpr", "Export and erase customer data"),
    ),
)
