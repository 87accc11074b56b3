"""The theme on the storefront: theme.css per store (cached by version, two queries), logo and favicon."""
from __future__ import annotations

import re

import pytest

from blueprints.cms.services import themes
from tests.cms.theme_fixtures import build_theme_world, make_media, theme_data
from tests.tenancy.factories import make_domain


@pytest.fixture
def theme_world(platform):
    return build_theme_world(platform)


def css_link(html: str) -> str | None:
    match = re.search(r'<link rel="stylesheet" href="([^"]*theme\.css[^"]*)"', html)
    return match[1] if match else None


def test_a_store_without_a_theme_keeps_the_built_in_look(client, theme_world):
    html = client.get("/s/centre/").get_data(as_text=True)
    assert css_link(html) is None
    response = client.get("/s/centre/theme.css")  # still answers, with the classic preset
    assert response.status_code == 200 and "--sf-primary: #1f4e79;" in response.get_data(as_text=True)


def test_the_storefront_links_the_theme_stylesheet_logo_and_favicon(client, theme_world):
    store = theme_world.store
    logo, icon = make_media(store), make_media(store)
    themes.save_theme(store, theme_data(primary_color="#aa0000", logo_media_id=logo.id, favicon_media_id=icon.id),
                      theme_world.owner)
    html = client.get("/s/centre/").get_data(as_text=True)
    url = css_link(html)
    _css, digest = themes.theme_css(store)
    assert url == f"/s/centre/theme.css?v={digest}"
    assert html.index("css/storefront.css") < html.index(url)  # the theme overrides the defaults
    assert f'<img src="/s/centre/media/{logo.stored_name}"' in html
    assert f'<link rel="icon" href="/s/centre/media/{icon.thumbnail_name}">' in html
    assert "<style" not in html and not re.search(r"\sstyle=", html)


def test_theme_css_is_cached_for_a_year_under_its_version_and_answers_304(client, theme_world):
    store = theme_world.store
    themes.save_theme(store, theme_data(custom_css=".sf-hero { padding: 0 }"), theme_world.owner)
    _css, digest = themes.theme_css(store)
    response = client.get(f"/s/centre/theme.css?v={digest}")
    css = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "--sf-primary: #4f46e5;" in css and css.rstrip().endswith(".sf-hero { padding: 0 }")
    assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable
    assert response.get_etag()[0] == digest
    again = client.get(f"/s/centre/theme.css?v={digest}", headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304 and again.get_data() == b""
    stale = client.get("/s/centre/theme.css?v=old")
    assert stale.status_code == 200 and stale.cache_control.max_age == 300 and not stale.cache_control.immutable


def test_each_store_gets_its_own_theme_whatever_the_url_asks_for(client, theme_world):
    store, other = theme_world.store, theme_world.other_store
    themes.save_theme(store, theme_data(primary_color="#aa0000"), theme_world.owner)
    themes.save_theme(other, theme_data(primary_color="#00bb00", preset="dark"), theme_world.other_owner)
    _css, digest_a = themes.theme_css(store)
    response = client.get(f"/s/mode-lux/theme.css?v={digest_a}")  # A's version at B's address
    css = response.get_data(as_text=True)
    assert "#00bb00" in css and "#aa0000" not in css
    assert not response.cache_control.immutable  # not B's version: not cached as if it were
    assert "#aa0000" in client.get("/s/centre/theme.css").get_data(as_text=True)


def test_on_the_stores_own_domain_theme_css_is_at_the_root(client, theme_world):
    store = theme_world.store
    make_domain(store, "shop.boulangerie.test")
    themes.save_theme(store, theme_data(primary_color="#aa0000"), theme_world.owner)
    html = client.get("/", base_url="http://shop.boulangerie.test").get_data(as_text=True)
    url = css_link(html)
    assert url.startswith("/theme.css?v=")
    assert "#aa0000" in client.get(url, base_url="http://shop.boulangerie.test").get_data(as_text=True)


def test_theme_css_of_a_suspended_or_unknown_store_is_404(client, theme_world):
    from webapp.extensions import db

    assert client.get("/s/nowhere/theme.css").status_code == 404
    theme_world.store.status = "suspended"
    db.session.commit()
    assert client.get("/s/centre/theme.css").status_code == 404


def test_theme_css_needs_at_most_two_queries(client, theme_world, count_queries):
    themes.save_theme(theme_world.store, theme_data(custom_css="h1 { x: y }"), theme_world.owner)
    client.get("/s/centre/theme.css")  # warms the per-process host and store-code lookups, as in a server
    with count_queries() as counter:
        assert client.get("/s/centre/theme.css?v=x").status_code == 200
    # The store (resolution) and its theme; a core module's routes skip the module-state check.
    assert counter.count <= 2, counter.statements


def test_the_theme_costs_a_storefront_page_two_queries_at_most(client, theme_world, count_queries):
    store = theme_world.store
    client.get("/s/centre/")
    with count_queries() as without:
        client.get("/s/centre/")
    logo = make_media(store)
    themes.save_theme(store, theme_data(logo_media_id=logo.id, favicon_media_id=logo.id), theme_world.owner)
    client.get("/s/centre/")
    with count_queries() as with_theme:
        client.get("/s/centre/")
    assert with_theme.count - without.count <= 2, with_theme.statements
