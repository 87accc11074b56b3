"""CMS: content pages at platform, store-default and store level, media library, themes."""
from flask_babel import lazy_gettext as _l

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier

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
    navigation={
        Surface.PLATFORM_ADMIN: (
            NavEntry(_l("Content pages"), "cms_admin.index", icon="file-earmark-richtext", permission="cms.pages.edit",
                     order=25),
        ),
        Surface.STORE_ADMIN: (
            NavEntry(_l("Pages"), "cms_pages.index", icon="file-earmark-richtext", permission="cms.pages.view",
                     order=40),
            NavEntry(_l("Home page"), "cms_home.index", icon="house", permission="cms.pages.edit", order=39),
            NavEntry(_l("Media"), "cms_media.index", icon="images", permission="cms.media.manage", order=41),
            NavEntry(_l("Theme"), "cms_theme.edit", icon="palette", permission="cms.theme.edit", order=42),
        ),
    },
    on_startup="blueprints.cms.hooks:on_startup",
    blueprints=(
        "blueprints.cms.routes.admin_pages:bp",
        "blueprints.cms.routes.site:bp",
        "blueprints.cms.routes.store_pages:bp",
        "blueprints.cms.routes.store_media:bp",
        "blueprints.cms.routes.store_theme:bp",
        "blueprints.cms.routes.store_home:bp",
        "blueprints.cms.routes.storefront:bp",
        "blueprints.cms.routes.media_files:bp",
        "blueprints.cms.routes.theme_assets:bp",
    ),
    demo_seeder="blueprints.cms.demo:seed",
)
