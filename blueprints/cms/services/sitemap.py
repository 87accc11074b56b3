"""What a store's sitemap.xml lists: its home and live content pages, then what other modules add (the
catalog: its categories and active products), each entry in every language of the store."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from blueprints.cms.services import pages
from webapp.i18n import store_languages
from webapp.modules import enabled_codes

MAX_URLS = 50_000  # what one sitemap file may hold (sitemaps.org)

# (endpoint, url values, last modified)
Entry = tuple[str, dict, datetime | None]
_providers: dict[str, Callable[[object], Iterable[Entry]]] = {}


def register_entries(module: str, provider: Callable[[object], Iterable[Entry]]) -> None:
    """A module's entries, asked only while it is enabled; registering again (each app) replaces them."""
    _providers[module] = provider


def entries(store) -> list[Entry]:
    listed: list[Entry] = [("cms_storefront.home", {}, None)]
    listed += [("cms_storefront.page", {"slug": page.slug}, page.updated_at) for page in pages.live_pages(store)]
    enabled = enabled_codes(store.platform)
    for module, provider in _providers.items():
        if module in enabled:
            listed += provider(store)
    return listed[:MAX_URLS // max(1, len(store_languages(store)))]  # every entry is one URL per language
