"""Catalog services. ``products`` (re-exported here) owns products and categories for the store admin;
``stock`` asks the stock source (inventory, when enabled) what can be sold."""
from blueprints.catalog.services.products import (  # noqa: F401
    PAGE_SIZE,
    SORTS,
    CatalogError,
    NotFound,
    Page,
    ProductRow,
    category_tree,
    create_product,
    delete_category,
    get_category,
    get_product,
    list_products,
    move_category,
    save_category,
    set_status,
    slugify,
    update_product,
)
