"""CMS media tables."""
__all__: list[str] = []
