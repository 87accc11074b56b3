"""Customers: shopper accounts per merchant, profiles, addresses, segments, GDPR requests."""
from flask_babel import lazy_gettext as _l

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier

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
    navigation={
        Surface.STORE_ADMIN: (
            NavEntry(_l("Customers"), "customers_store.index", icon="person-vcard", permission="customers.view",
                     order=50),
            NavEntry(_l("Segments"), "customers_store.segments", icon="funnel",
                     permission="customers.segments.manage", order=51),
        ),
        Surface.STOREFRONT: (
            NavEntry(_l("My account"), "customers_storefront.account", icon="person-circle", order=90),
        ),
    },
    on_startup="blueprints.customers.hooks:on_startup",
    blueprints=(
        "blueprints.customers.routes.store:bp",
        "blueprints.customers.routes.storefront:bp",
    ),
    demo_seeder="blueprints.customers.demo:seed",
)
