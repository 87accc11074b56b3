"""Core: admin dashboards, platform settings and module switches, staff sign-in and profile."""
from flask_babel import lazy_gettext as _l

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier

MODULE = ModuleDefinition(
    code="core",
    name="Core",
    description="Dashboards, platform settings, module switches, staff sign-in and profile.",
    version="1.0.0",
    tier=Tier.CORE,
    position=10,
    permissions=(
        Permission("core.dashboard.view", "View dashboards"),
        Permission("core.settings.manage", "Manage platform settings"),
        Permission("core.modules.manage", "Switch modules on and off"),
        Permission("core.profile.edit", "Edit own profile"),
    ),
    navigation={
        Surface.PLATFORM_ADMIN: (
            NavEntry(_l("Dashboard"), "core_admin.dashboard", icon="speedometer2", order=0),
            NavEntry(_l("Platforms"), "core_admin.platforms", icon="diagram-3", permission="core.modules.manage",
                     order=10),
        ),
    },
    blueprints=("blueprints.core.routes.admin:bp",),
    cli="blueprints.core.cli:users_cli",
    demo_seeder="blueprints.core.demo:seed",
)
