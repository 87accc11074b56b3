"""The media library: uploads per store, checked by content, stored behind a storage interface."""
from __future__ import annotations

from collections.abc import Callable

# Other parts of the CMS (themes, pages) say where a media item is used, so that deleting it can be
# refused with the list of places: provider(store, media_id) -> ["Theme: logo", ...].
UsageProvider = Callable[[object, int], list[str]]
_usage_providers: list[UsageProvider] = []


def register_usage(provider: UsageProvider) -> None:
    if provider not in _usage_providers:
        _usage_providers.append(provider)


def usages(store, media_id: int) -> list[str]:
    return [place for provider in _usage_providers for place in provider(store, media_id)]


def url_of(store, media_id: int | None, *, thumbnail: bool = False) -> str | None:
    """The public URL of a store's media item (None if it is not one of the store's items)."""
    return None
