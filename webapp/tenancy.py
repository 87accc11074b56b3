"""The tenant context of a request: which platform (and later merchant/store) it belongs to.

The framework keeps the context and a default resolver (platform by host, else the default
platform); the tenancy module registers the full resolver at start-up.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, abort, current_app, g, has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import IntegerConverter

from webapp.extensions import db
from webapp.models import Platform

log = logging.getLogger(__name__)

class NotFound(LookupError):
    """No object of the current tenant under that key: none at all, or another tenant's (which must look
    the same). Each module's services raise a subclass; the app answers it with a 404 page."""


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


# -- blueprints of other modules inside a store ------------------------------------------------
# The tenancy module registers how a store admin page is entered (sign-in, membership, permission).
StoreGuard = Callable[[str], Any]  # permission -> the store, or a response (a redirect to sign in)
_store_guard: StoreGuard | None = None


def set_store_guard(guard: StoreGuard) -> None:
    global _store_guard
    _store_guard = guard


def pull_store_code(endpoint, values) -> None:
    """``/store/<store_code>/…`` and ``/s/<store_code>/…`` must name the store the resolver found."""
    if not values or "store_code" not in values:
        return
    code = values.pop("store_code")
    store = current_store()
    if store is None or store.store_code != code:
        abort(404)


def add_store_code(endpoint, values) -> None:
    """``url_for`` inside a store's pages links within the same store."""
    if "store_code" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "store_code"):
        return
    store = current_store()
    if store is not None:
        values["store_code"] = store.store_code


def store_blueprint(name: str, import_name: str, url_prefix: str) -> Blueprint:
    """A blueprint under ``/store/<store_code>/…`` or ``/s/<store_code>/…``, bound to the request's store."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix)
    blueprint.url_value_preprocessor(pull_store_code)
    blueprint.url_defaults(add_store_code)
    return blueprint


def store_admin_blueprint(name: str, import_name: str, segment: str) -> Blueprint:
    """A module's pages in the unified store admin, at ``/store/<store_code>/<segment>/…``."""
    return store_blueprint(name, import_name, f"/store/<store_code>/{segment}")


def storefront_blueprint(name: str, import_name: str, segment: str = "") -> Blueprint:
    """Shopper pages at ``/s/<store_code>/<segment>/…``, and at ``/<segment>/…`` on the store's own domain."""
    blueprint = store_blueprint(name, import_name, f"/s/<store_code>{'/' + segment if segment else ''}")
    blueprint.before_request(_storefront_open)
    return blueprint


def _storefront_open() -> None:
    store = current_store()
    if store is None or not store.is_active:  # a suspended store shows nothing to shoppers
        abort(404)


def store_page(permission: str):
    """A store admin view: signed in, a user of this store (else 404), holding ``permission`` (else 403).

    The view receives the store as its first argument.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if _store_guard is None:
                abort(404)
            entered = _store_guard(permission)
            if not getattr(entered, "store_code", None):
                return entered  # a response: the way to sign in
            return view(entered, *args, **kwargs)

        return wrapped

    return decorator


# -- a store's own domain ----------------------------------------------------------------------
# On a verified store domain, ``/about`` is served by the route of ``/s/<code>/about``: one set of
# storefront routes. The tenancy module registers the host -> store code lookup.
DomainLookup = Callable[[str], str | None]
_domain_lookup: DomainLookup | None = None
STOREFRONT_PREFIX_KEY = "buttek.storefront_prefix"


def set_domain_lookup(lookup: DomainLookup) -> None:
    global _domain_lookup
    _domain_lookup = lookup


class StoreDomainPaths:
    """WSGI middleware: prefixes the path of a store-domain request with ``/s/<store_code>``."""

    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if _domain_lookup is not None and not path.startswith(HOST_INDEPENDENT_PATHS):
            host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
            code = None
            with self.app.app_context():
                try:
                    code = _domain_lookup(normalise_host(host))
                except SQLAlchemyError:  # no database (yet): the request is served as on a platform host
                    log.warning("Could not look up the store domain %s", host, exc_info=True)
            if code:
                prefix = f"/s/{code}"
                environ[STOREFRONT_PREFIX_KEY] = prefix
                environ["PATH_INFO"] = prefix + (path if path != "/" else "/")
        return self.wsgi_app(environ, start_response)


def domain_relative(url: str) -> str:
    """A URL built for ``/s/<code>/…`` as the store's own domain shows it (``/…``)."""
    prefix = request.environ.get(STOREFRONT_PREFIX_KEY) if has_request_context() else None
    if not prefix:
        return url
    parts = urlsplit(url)
    if parts.path == prefix or parts.path.startswith(prefix + "/"):
        return urlunsplit(parts._replace(path=parts.path[len(prefix):] or "/"))
    return url


class ObjectIdConverter(IntegerConverter):
    """``<id:name>`` in a route: a row id. One beyond a database integer is a 404, not a driver overflow."""

    def __init__(self, url_map):
        super().__init__(url_map, max=2_147_483_647)


def init_tenancy(app) -> None:
    app.url_map.converters["id"] = ObjectIdConverter
    app.wsgi_app = StoreDomainPaths(app, app.wsgi_app)
    app.before_request(guard_hosts)
