"""What other modules add to a store's storefront, asked only while the module is enabled: links in the
header (the catalog: its top categories) and entries of sitemap.xml (its categories and products)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from blueprints.cms.services import pages
from webapp.i18n import store_languages
from webapp.modules import enabled_codes

MAX_URLS = 50_000  # what one sitemap file may hold (sitemaps.org)

# provider(store, language) -> [(label, url)]
HeaderLinks = Callable[[object, str], list[tuple[str, str]]]
_header_links: dict[str, HeaderLinks] = {}

# (endpoint, url values, last modified)
Entry = tuple[str, dict, datetime | None]
_providers: dict[str, Callable[[object], Iterable[Entry]]] = {}


def register_header_links(module: str, provider: HeaderLinks) -> None:
    """Registering again (each app start) replaces the module's provider."""
    _header_links[module] = provider


def header_links(store, language: str) -> list[tuple[str, str]]:
    enabled = enabled_codes(store.platform)  # cached per request: the layout's navigation reads them too
    return [link for module, provider in _header_links.items() if module in enabled
            for link in provider(store, language)]


def register_sitemap_entries(module: str, provider: Callable[[object], Iterable[Entry]]) -> None:
    _providers[module] = provider


def sitemap_entries(store) -> list[Entry]:
    """The store's home and live content pages, then the modules' entries, each one URL per language."""
    listed: list[Entry] = [("cms_storefront.home", {}, None)]
    listed += [("cms_storefront.page", {"slug": page.slug}, page.updated_at) for page in pages.live_pages(store)]
    enabled = enabled_codes(store.platform)
    for module, provider in _providers.items():
        if module in enabled:
            listed += provider(store)
    return listed[:MAX_URLS // max(1, len(store_languages(store)))]
