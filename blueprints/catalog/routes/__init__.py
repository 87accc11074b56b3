"""Catalog pages: the store admin (products, categories)."""
