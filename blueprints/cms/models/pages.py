"""CMS pages tables."""
__all__: list[str] = []
