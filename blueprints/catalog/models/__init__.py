"""Catalog tables: products, variants, categories and images; CSV imports; shopper carts."""
from blueprints.catalog.models.cart import *  # noqa: F403
from blueprints.catalog.models.imports import *  # noqa: F403
from blueprints.catalog.models.products import *  # noqa: F403
