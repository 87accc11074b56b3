"""Tenancy: platforms, merchants, stores, store domains, staff users and their roles."""
from webapp.registry import ModuleDefinition, Permission, Tier

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
    on_startup="blueprints.tenancy.hooks:on_startup",
    blueprints=(
        "blueprints.tenancy.routes.admin:bp",
        "blueprints.tenancy.routes.store:bp",
        "blueprints.tenancy.routes.public:bp",
    ),
    demo_seeder="blueprints.tenancy.demo:seed",
)
