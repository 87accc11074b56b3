"""Store themes: presets, colours, fonts, logo and favicon, custom CSS."""
from __future__ import annotations


def shell_assets(store) -> dict:
    """What the storefront layout needs of the theme: ``theme_css_url``, ``logo_url``, ``favicon_url``."""
    return {"theme_css_url": None, "logo_url": None, "favicon_url": None}
