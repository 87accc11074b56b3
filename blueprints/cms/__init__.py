"""CMS: content pages at platform, store-default and store level, media library, themes."""
from webapp.registry import ModuleDefinition, Permission, Tier

MODULE = ModuleDefinition(
    code="cms",
    name="Content",
    description="Content pages, media library and storefront themes.",
    version="1.0.0",
    tier=Tier.CORE,
    position=30,
    permissions=(
        Permission("cms.pages.view", "View content pages"),
        Permission("cms.pages.edit", "Edit and publish content pages"),
        Permission("cms.media.manage", "Upload and delete media"),
        Permission("cms.theme.edit", "Edit the storefront theme"),
    ),
)
