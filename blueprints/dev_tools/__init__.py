"""Dev tools: the component library and the icon gallery, for designers and developers."""
from flask_babel import lazy_gettext as _l

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier

MODULE = ModuleDefinition(
    code="dev-tools",
    name="Developer tools",
    description="Component library and icon gallery.",
    version="1.0.0",
    tier=Tier.INTERNAL,
    position=140,
    permissions=(Permission("dev-tools.view", "Open the component library and icon gallery"),),
    navigation={
        Surface.PLATFORM_ADMIN: (
            NavEntry(_l("Components"), "dev_tools_admin.components", icon="grid-1x2", super_admin_only=True, order=80),
            NavEntry(_l("Icons"), "dev_tools_admin.icons", icon="emoji-smile", super_admin_only=True, order=81),
        ),
    },
    blueprints=("blueprints.dev_tools.routes.admin:bp",),
)
