"""Catalog: products, variants, categories, prices and VAT classes."""
from typing import Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, Field

from webapp.registry import ModuleDefinition, NavEntry, Permission, Surface, Tier


class CatalogConfig(BaseModel):
    products_per_page: int = Field(24, ge=6, le=120, title="Products per storefront page")
    default_vat_class: Literal["standard", "intermediate", "reduced", "super_reduced"] = Field(
        "standard", title="Default VAT class (LU 17 / 14 / 8 / 3 %)"
    )
    show_out_of_stock: bool = Field(True, title="List products that are out of stock")


MODULE = ModuleDefinition(
    code="catalog",
    name="Catalog",
    description="Products, variants, categories, prices and VAT classes.",
    version="1.0.0",
    tier=Tier.OPTIONAL,
    position=70,
    permissions=(
        Permission("catalog.view", "View products"),
        Permission("catalog.edit", "Create and edit products"),
        Permission("catalog.publish", "Publish and archive products"),
        Permission("catalog.import", "Import and export products"),
    ),
    config_schema=CatalogConfig,
    navigation={
        Surface.STORE_ADMIN: (
            NavEntry(_l("Products"), "catalog_store.index", icon="box-seam", permission="catalog.view", order=20),
            NavEntry(_l("Categories"), "catalog_store.categories", icon="diagram-3", permission="catalog.view",
                     order=21),
            NavEntry(_l("Import / export"), "catalog_store.imports", icon="filetype-csv",
                     permission="catalog.import", order=22),
        ),
        Surface.STOREFRONT: (NavEntry(_l("Shop"), "catalog_storefront.index", icon="bag", order=10),),
    },
    blueprints=("blueprints.catalog.routes.store:bp", "blueprints.catalog.routes.storefront:bp",
                "blueprints.catalog.routes.cart:bp"),
    demo_seeder="blueprints.catalog.demo:seed",
    on_startup="blueprints.catalog.hooks:on_startup",
    dashboard_tiles="blueprints.catalog.dashboard:tiles",
)
