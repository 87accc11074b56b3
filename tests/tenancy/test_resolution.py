"""Store resolution: which platform and store a host and path belong to, and its lookup cache.

A verified store domain serves that store at ``/``. Any other host is a platform host (an
unknown one the default platform), where ``/s/<code>/`` is a storefront and ``/store/<code>/`` a
store admin. Lookups are cached per process; ``invalidate()`` (called by every service that
changes a store or domain) empties the cache of every process, through Redis when configured.
"""
from __future__ import annotations

import socket
import uuid

import pytest
import redis
from sqlalchemy import select

from blueprints.tenancy import resolution
from blueprints.tenancy.models import StoreDomain
from tests.conftest import REDIS_TEST_URL, require
from tests.tenancy.factories import make_domain, make_merchant, make_store
from webapp.extensions import db
from webapp.models import utcnow


@pytest.fixture
def market(create_platform):
    """A second platform, answering on its own host."""
    return create_platform("market", hosts=["market.lu", "www.market.lu"])


# -- store domains ----------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["shop.boulangerie.lu", "SHOP.Boulangerie.lu", "shop.boulangerie.lu.",
                                  "shop.boulangerie.lu:8443", "Shop.Boulangerie.LU.:8443"])
def test_a_verified_store_domain_serves_that_store(platform, store, host):
    make_domain(store, "shop.boulangerie.lu")
    tenant = resolution.resolve(host, "/")
    assert tenant.store == store
    assert tenant.merchant == store.merchant
    assert tenant.platform == platform
    assert tenant.on_store_domain is True


def test_on_a_store_domain_every_path_is_that_store(store, other_store):
    make_domain(store, "shop.boulangerie.lu")
    tenant = resolution.resolve("shop.boulangerie.lu", "/s/mode-lux/products")
    assert tenant.store == store and tenant.on_store_domain


def test_an_unverified_domain_does_not_route(platform, store):
    make_domain(store, "shop.boulangerie.lu", verified=False)
    tenant = resolution.resolve("shop.boulangerie.lu", "/")
    assert tenant.store is None and tenant.platform is None
    assert tenant.unknown_host is True  # a host nobody verified is nobody's: 404
    assert tenant.on_store_domain is False


# -- platform hosts ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/s/centre/", "/s/centre", "/s/centre/products/42", "/store/centre/",
                                  "/store/centre/team"])
def test_a_store_code_in_the_path_on_a_platform_host_is_that_store(platform, store, path):
    tenant = resolution.resolve("localhost", path)
    assert (tenant.platform, tenant.merchant, tenant.store) == (platform, store.merchant, store)
    assert tenant.on_store_domain is False


@pytest.mark.parametrize("path", ["/s/nowhere/", "/store/nowhere/", "/s/CENTRE/", "/s/centre-x/", "/x/centre/",
                                  "/admin/", "/", "/scentre/"])
def test_anything_else_on_a_platform_host_is_the_platform_without_a_store(platform, store, path):
    tenant = resolution.resolve("localhost", path)
    assert tenant.platform == platform
    assert tenant.store is None and tenant.merchant is None


def test_an_unknown_host_belongs_to_no_platform(platform, market):
    assert resolution.resolve("unknown.example.com", "/").unknown_host is True
    assert resolution.resolve("", "/").unknown_host is True


def test_without_configured_hosts_the_default_platform_answers_every_host(create_platform):
    default = create_platform("main", "Main", [])
    assert resolution.resolve("anything.example.com", "/").platform == default


def test_unknown_hosts_get_the_404_page_but_health_still_answers(client, platform, store):
    assert client.get("/store/login", base_url="http://stranger.example.com").status_code == 404
    assert client.get("/admin/login", base_url="http://stranger.example.com").status_code == 404
    assert client.get("/health/live", base_url="http://stranger.example.com").status_code == 200


def test_store_codes_are_looked_up_on_the_platform_of_the_host(platform, market, store):
    """The same code on two platforms: each host reaches its own store."""
    market_store = make_store(make_merchant(market), "centre")
    assert resolution.resolve("market.lu", "/s/centre/").store == market_store
    assert resolution.resolve("WWW.market.lu:443", "/store/centre/").store == market_store
    assert resolution.resolve("localhost", "/s/centre/").store == store


def test_a_store_of_another_platform_is_not_reached_through_this_platforms_host(platform, market):
    make_store(make_merchant(market), "market-only")
    tenant = resolution.resolve("localhost", "/s/market-only/")
    assert tenant.store is None and tenant.platform == platform


# -- the lookup cache -------------------------------------------------------------------------
def test_repeated_lookups_are_answered_from_the_cache(platform, store, count_queries):
    make_domain(store, "shop.boulangerie.lu")
    hosts_and_paths = [("shop.boulangerie.lu", "/"), ("localhost", "/s/centre/"), ("localhost", "/admin/")]
    for host, path in hosts_and_paths:
        resolution.resolve(host, path)

    with count_queries() as counter:
        for host, path in hosts_and_paths:
            resolution.resolve(host, path)
    lookups = [sql for sql in counter.statements if "FROM store_domains" in sql
               or "stores.store_code =" in sql or "platforms.hosts" in sql]
    assert lookups == []
    assert counter.count <= 2  # loading each resolved store, nothing else


def test_a_changed_domain_is_seen_after_invalidate(store):
    domain = make_domain(store, "shop.boulangerie.lu", verified=False)
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None

    domain.verified_at = utcnow()  # changed behind the services' back: the cache does not know yet
    db.session.commit()
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None

    resolution.invalidate()
    assert resolution.resolve("shop.boulangerie.lu", "/").store == store


def test_a_removed_domain_stops_routing_after_invalidate(store):
    make_domain(store, "shop.boulangerie.lu")
    assert resolution.resolve("shop.boulangerie.lu", "/").store == store
    db.session.delete(db.session.scalar(select(StoreDomain)))
    db.session.commit()
    resolution.invalidate()
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None


def test_a_new_store_is_found_after_invalidate(platform, merchant):
    assert resolution.resolve("localhost", "/s/fresh/").store is None  # "no such store" is cached too
    store = make_store(merchant, "fresh")  # the factory invalidates, as create_store does
    assert resolution.resolve("localhost", "/s/fresh/").store == store


# -- the cache generation shared through Redis ------------------------------------------------
@pytest.fixture
def shared_generation(app, monkeypatch):
    """The app configured with Redis, on a generation key of this test only; yields a client."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
        available = True
    except redis.RedisError:
        available = False
    require(available, f"Redis ({REDIS_TEST_URL})")
    key = f"buttek:test:tenancy:generation:{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
    monkeypatch.setattr(resolution, "GENERATION_KEY", key)
    yield client
    client.delete(key)
    client.close()


def test_invalidate_bumps_the_generation_shared_with_other_processes(shared_generation):
    before = int(shared_generation.get(resolution.GENERATION_KEY) or 0)
    resolution.invalidate()
    assert int(shared_generation.get(resolution.GENERATION_KEY)) == before + 1


def test_another_process_bumping_the_generation_empties_this_processes_cache(store, shared_generation,
                                                                            count_queries):
    domain = make_domain(store, "shop.boulangerie.lu", verified=False)
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None
    with count_queries() as counter:
        assert resolution.resolve("shop.boulangerie.lu", "/").store is None
    assert not any("FROM store_domains" in sql for sql in counter.statements)  # cached

    # Another process verifies the domain: the database changes and it bumps the generation.
    domain.verified_at = utcnow()
    db.session.commit()
    shared_generation.incr(resolution.GENERATION_KEY)

    assert resolution.resolve("shop.boulangerie.lu", "/").store == store


def test_without_redis_answering_resolution_still_works(app, store, monkeypatch):
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{port}/0")
    resolution.invalidate()
    assert resolution.resolve("localhost", "/s/centre/").store == store


def test_a_store_domain_never_serves_the_admin_surfaces(client, platform, store, owner):
    make_domain(store, "shop.boulangerie.lu", verified=True)
    for path in ("/admin/login", "/admin/", "/store/login", f"/store/{store.store_code}/"):
        assert client.get(path, base_url="http://shop.boulangerie.lu").status_code == 404, path
    assert client.get("/admin/login").status_code == 200  # the platform host still serves them


def test_without_redis_another_processes_change_shows_after_the_unshared_cache_expires(app, store, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    monkeypatch.setattr(resolution, "UNSHARED_CACHE_SECONDS", 30)
    clock = [1000.0]
    monkeypatch.setattr(resolution.time, "monotonic", lambda: clock[0])
    domain = make_domain(store, "shop.boulangerie.lu", verified=False)
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None

    domain.verified_at = utcnow()  # another process verifies it; this one hears nothing
    db.session.commit()
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None  # still cached
    clock[0] += resolution.UNSHARED_CACHE_SECONDS
    assert resolution.resolve("shop.boulangerie.lu", "/").store == store
