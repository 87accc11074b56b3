"""Inventory pages: the store admin (stock, movements, locations)."""
