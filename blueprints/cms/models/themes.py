"""CMS themes tables."""
__all__: list[str] = []
