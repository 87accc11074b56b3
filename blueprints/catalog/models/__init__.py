"""Catalog tables: products, variants, categories and images."""
from blueprints.catalog.models.products import *  # noqa: F403
