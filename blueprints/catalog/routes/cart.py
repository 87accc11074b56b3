"""Storefront cart at /s/<store_code>/cart."""
from __future__ import annotations

from webapp.tenancy import storefront_blueprint

bp = storefront_blueprint("catalog_cart", __name__, "cart")
