"""Storefront shopping pages: product list, categories, search and the product page."""
from __future__ import annotations

from webapp.tenancy import storefront_blueprint

bp = storefront_blueprint("catalog_storefront", __name__)
