"""The tenant context of a request: which platform (and later merchant/store) it belongs to.

The framework keeps the context and a default resolver (platform by host, else the default
platform); the tenancy module registers the full resolver at start-up.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, g, request
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Platform


@dataclass
class TenantContext:
    platform: Platform | None = None
    merchant: Any = None
    store: Any = None
    # True when the host is the store's own verified domain (its storefront is at "/").
    on_store_domain: bool = False
    # No platform and no verified store domain claims the host: every page answers 404.
    unknown_host: bool = False


Resolver = Callable[[], TenantContext]
_resolver: Resolver | None = None


def set_resolver(resolver: Resolver) -> None:
    global _resolver
    _resolver = resolver


def normalise_host(host: str) -> str:
    """``Shop.Example.COM.:8080`` -> ``shop.example.com``: no port, no case, no trailing dot."""
    host = (host or "").strip().lower()
    if host.startswith("["):  # IPv6 literal, perhaps with a port
        return host.split("]")[0] + "]"
    return host.split(":")[0].rstrip(".")


def platform_hosts() -> set[str]:
    """Every host name some platform claims (the hosts the operator configured)."""
    return {host for hosts in db.session.scalars(select(Platform.hosts)) for host in (hosts or [])}


def default_resolver() -> TenantContext:
    """Until the tenancy module registers its resolver (at start-up), a request has no tenant."""
    return TenantContext()


def current_tenant() -> TenantContext:
    """The tenant context of this request, resolved once and cached on ``g``."""
    if "tenant" not in g:
        g.tenant = (_resolver or default_resolver)()
    return g.tenant


def current_platform() -> Platform | None:
    return current_tenant().platform


def current_store():
    return current_tenant().store


# Paths that answer whatever the host: load balancers and monitoring call them by address.
HOST_INDEPENDENT_PATHS = ("/health", "/metrics", "/static/")


# Admin surfaces live on platform hosts only, never on a merchant's own domain.
ADMIN_PATHS = ("/admin", "/store")


def guard_hosts() -> None:
    """before_request: a host that belongs to no platform and no store gets the 404 page, and a
    store's own domain serves its storefront only (its owner controls that host)."""
    if request.path.startswith(HOST_INDEPENDENT_PATHS) or request.blueprint is None:
        return  # framework routes answer by address, and /health/live must not touch the database
    tenant = current_tenant()
    if tenant.unknown_host or (tenant.on_store_domain and request.path.startswith(ADMIN_PATHS)):
        abort(404)


def init_tenancy(app) -> None:
    app.before_request(guard_hosts)
