"""What a store can sell of each variant, asked of a stock source.

The catalog keeps no stock itself. The inventory module (which requires the catalog, so it may
import this) registers its source at start-up; the catalog asks it only when inventory is enabled
for the store's platform. Without a source everything can be sold, as in a catalog without stock.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, true

from webapp.modules import is_enabled


@dataclass(frozen=True)
class StockSource:
    module: str
    # (store, variant_ids) -> {variant_id: units available}; a variant left out is not tracked
    # (a digital or service product, or one the merchant does not count): it never runs out.
    available: Callable[[object, list[int]], dict[int, int]]
    # (store, variant id column) -> SQL condition "at least one unit can be sold", so that listings filter
    # on stock inside their own query instead of asking about every variant of the catalog.
    sellable: Callable | None = None


_sources: list[StockSource] = []


def register_source(module: str, available: Callable[[object, list[int]], dict[int, int]],
                    sellable: Callable | None = None) -> None:
    """Called by a module's start-up hook; registering again (each app start) replaces the entry."""
    _sources[:] = [source for source in _sources if source.module != module]
    _sources.append(StockSource(module, available, sellable))


def tracks_stock(store) -> bool:
    return any(is_enabled(store.platform, source.module) for source in _sources)


def available(store, variant_ids: Iterable[int]) -> dict[int, int | None]:
    """Units that can be sold per variant: None means unlimited (not tracked). One query per source."""
    ids = sorted({int(variant_id) for variant_id in variant_ids})
    levels: dict[int, int | None] = dict.fromkeys(ids)
    if not ids:
        return levels
    for source in _sources:
        if is_enabled(store.platform, source.module):
            for variant_id, units in source.available(store, ids).items():
                if variant_id in levels:
                    levels[variant_id] = max(0, units)
    return levels


def sellable(store, variant_id):
    """SQL condition on a variant id column: the store can sell at least one unit of it (always true
    without an enabled source)."""
    conditions = [source.sellable(store, variant_id) for source in _sources
                  if source.sellable is not None and is_enabled(store.platform, source.module)]
    return and_(*conditions) if conditions else true()
