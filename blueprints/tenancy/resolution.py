"""Which platform, merchant and store a request belongs to.

A verified store domain serves that store's storefront at ``/``; any other host is a platform
host, where ``/s/<store_code>/`` is a storefront and ``/store/<store_code>/`` a store admin.
Host and code lookups are cached per process; a change to a store or domain bumps a generation
counter (shared through Redis when configured) that empties every process's cache. Without Redis
other processes cannot hear of a change, so their caches also expire every UNSHARED_CACHE_SECONDS.
"""
from __future__ import annotations

import logging
import re
import threading
import time

from flask import current_app, g, has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.tenancy.models import Store, StoreDomain
from webapp.extensions import db
from webapp.models import Platform
from webapp.tenancy import TenantContext, normalise_host

log = logging.getLogger(__name__)

STORE_PATH = re.compile(r"^/(?P<surface>s|store)/(?P<code>[a-z0-9][a-z0-9-]*)(?:/|$)")
GENERATION_KEY = "buttek:tenancy:generation"
UNSHARED_CACHE_SECONDS = 30


class LookupCache:
    """host -> platform id, verified host -> store id, (platform id, code) -> store id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation: object = None
        self.platform_by_host: dict[str, int | None] = {}
        self.store_by_domain: dict[str, int | None] = {}
        self.store_by_code: dict[tuple[int, str], int | None] = {}
        self.code_by_domain: dict[str, str | None] = {}

    def clear(self) -> None:
        with self.lock:
            self.platform_by_host.clear()
            self.store_by_domain.clear()
            self.store_by_code.clear()
            self.code_by_domain.clear()


cache = LookupCache()
_local_generation = 0


def _redis():
    """One client (and connection pool) per app, made on first use."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("tenancy.redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        current_app.extensions["tenancy.redis"] = client
    return client


def current_generation() -> object:
    """The shared generation, read from Redis at most once per request.

    Without Redis (or with Redis down) it is this process's own counter plus a time slot, so that a
    change made by another process shows here within UNSHARED_CACHE_SECONDS.
    """
    if has_request_context() and "tenancy_generation" in g:
        return g.tenancy_generation
    client = _redis()
    generation: object = (_local_generation, int(time.monotonic() // UNSHARED_CACHE_SECONDS))
    if client is not None:
        try:
            generation = int(client.get(GENERATION_KEY) or 0)
        except Exception:
            log.warning("Could not read the tenancy cache generation from Redis", exc_info=True)
    if has_request_context():
        g.tenancy_generation = generation
    return generation


def invalidate() -> None:
    """Call after committing a change to stores or domains: every process re-reads."""
    global _local_generation
    _local_generation += 1
    cache.clear()
    if has_request_context():
        g.pop("tenancy_generation", None)
    client = _redis()
    if client is not None:
        try:
            client.incr(GENERATION_KEY)
        except Exception:
            log.warning("Could not bump the tenancy cache generation in Redis", exc_info=True)


def _fresh_cache() -> LookupCache:
    generation = current_generation()
    if generation != cache.generation:
        cache.clear()
        cache.generation = generation
    return cache


UNKNOWN_HOST = -1


def _platform_id_for_host(host: str) -> int | None:
    """The platform listing ``host``; else the default platform if it lists no hosts at all (an
    installation that never configured any); else UNKNOWN_HOST. None when there is no platform yet."""
    lookups = _fresh_cache()
    if host not in lookups.platform_by_host:
        platforms = db.session.execute(select(Platform.id, Platform.code, Platform.hosts).order_by(Platform.id)).all()
        match = next((p.id for p in platforms if host in (p.hosts or [])), None)
        if match is None and platforms:
            default = next((p for p in platforms if p.code == current_app.config["DEFAULT_PLATFORM"]), None)
            match = default.id if default is not None and not default.hosts else UNKNOWN_HOST
        lookups.platform_by_host[host] = match
    return lookups.platform_by_host[host]


def _store_id_for_domain(host: str) -> int | None:
    lookups = _fresh_cache()
    if host not in lookups.store_by_domain:
        lookups.store_by_domain[host] = db.session.scalar(
            select(StoreDomain.store_id).where(StoreDomain.host == host, StoreDomain.verified_at.is_not(None))
        )
    return lookups.store_by_domain[host]


def _store_id_for_code(platform_id: int, code: str) -> int | None:
    lookups = _fresh_cache()
    key = (platform_id, code)
    if key not in lookups.store_by_code:
        lookups.store_by_code[key] = db.session.scalar(
            select(Store.id).where(Store.platform_id == platform_id, Store.store_code == code)
        )
    return lookups.store_by_code[key]


def store_code_for_domain(host: str) -> str | None:
    """The code of the store whose verified domain ``host`` is (the storefront paths are then its own)."""
    lookups = _fresh_cache()
    if host not in lookups.code_by_domain:
        lookups.code_by_domain[host] = db.session.scalar(
            select(Store.store_code).join(StoreDomain).where(StoreDomain.host == host,
                                                             StoreDomain.verified_at.is_not(None))
        ) if host else None
    return lookups.code_by_domain[host]


def load_store(store_id: int) -> Store | None:
    return db.session.scalar(
        select(Store).options(joinedload(Store.merchant), joinedload(Store.platform)).where(Store.id == store_id)
    )


def resolve(host: str, path: str) -> TenantContext:
    """The tenant of a request for ``host`` and ``path`` (no request object needed)."""
    host = normalise_host(host)
    store_id = _store_id_for_domain(host) if host else None
    if store_id is not None:
        store = load_store(store_id)
        return TenantContext(platform=store.platform, merchant=store.merchant, store=store, on_store_domain=True)
    platform_id = _platform_id_for_host(host)
    if platform_id is None:
        return TenantContext()
    if platform_id == UNKNOWN_HOST:
        return TenantContext(unknown_host=True)
    match = STORE_PATH.match(path)
    if match:
        store_id = _store_id_for_code(platform_id, match["code"])
        if store_id is not None:
            store = load_store(store_id)
            return TenantContext(platform=store.platform, merchant=store.merchant, store=store)
    return TenantContext(platform=db.session.get(Platform, platform_id))


def resolve_request() -> TenantContext:
    return resolve(request.host, request.path)
