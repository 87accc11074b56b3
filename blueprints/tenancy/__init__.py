"""Tenancy: platforms, merchants, stores, store domains, staff users and their roles."""
from flask_babel import lazy_gettext as _l

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier

MODULE = ModuleDefinition(
    code="tenancy",
    name="Tenancy",
    description="Merchants, stores and their domains, staff users and roles.",
    version="1.0.0",
    tier=Tier.CORE,
    position=20,
    permissions=(
        Permission("tenancy.merchants.view", "View merchants"),
        Permission("tenancy.merchants.manage", "Create and edit merchants"),
        Permission("tenancy.stores.manage", "Create and edit stores"),
        Permission("tenancy.domains.manage", "Manage store domains"),
        Permission("tenancy.team.manage", "Invite and manage team members"),
        Permission("tenancy.users.manage", "Manage platform users"),
        Permission("tenancy.audit.view", "View the audit log"),
    ),
    navigation={
        Surface.PLATFORM_ADMIN: (
            NavEntry(_l("Merchants"), "tenancy_admin.merchants", icon="shop", permission="tenancy.merchants.view",
                     order=20),
            NavEntry(_l("Stores"), "tenancy_admin.stores", icon="shop-window", permission="tenancy.merchants.view",
                     order=21),
            NavEntry(_l("Users"), "tenancy_admin.users", icon="people", super_admin_only=True, order=30),
            NavEntry(_l("Audit log"), "tenancy_admin.audit_log", icon="journal-text", permission="tenancy.audit.view",
                     order=40),
        ),
        Surface.STORE_ADMIN: (
            NavEntry(_l("Dashboard"), "tenancy_store.dashboard", icon="speedometer2", permission="core.dashboard.view",
                     order=0),
            NavEntry(_l("Team"), "tenancy_store.team", icon="people", permission="tenancy.team.manage", order=80),
            NavEntry(_l("Store settings"), "tenancy_store.settings", icon="gear", permission="tenancy.stores.manage",
                     order=90),
            NavEntry(_l("Merchant"), "tenancy_store.merchant", icon="building", permission="tenancy.merchants.manage",
                     order=95),
        ),
    },
    on_startup="blueprints.tenancy.hooks:on_startup",
    dashboard_tiles="blueprints.tenancy.dashboard:tiles",
    blueprints=(
        "blueprints.tenancy.routes.admin:bp",
        "blueprints.tenancy.routes.store:bp",
        "blueprints.tenancy.routes.public:bp",
    ),
    demo_seeder="blueprints.tenancy.demo:seed",
)
