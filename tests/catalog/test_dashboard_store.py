"""What the catalog shows on the store dashboard."""
from __future__ import annotations

from webapp import modules
from webapp.extensions import db


def test_the_dashboard_counts_active_products_and_links_to_them(sign_in, owner, store, other_store, make_product):
    make_product(store, "Bread", status="active")
    make_product(store, "Cake", status="active")
    make_product(store, "Draft pie")
    make_product(other_store, "Their coat", status="active")
    page = sign_in(owner).get(f"/store/{store.store_code}/").get_data(as_text=True)
    tile = page[page.index('data-tile="Active products"'):]
    tile = tile[:tile.index("</div>\n  </div>")]
    assert f'href="/store/{store.store_code}/catalog/?status=active"' in tile and ">2</a>" in tile


def test_no_tile_when_the_catalog_is_off(sign_in, owner, store, catalog_on):
    modules.disable(catalog_on, "catalog")
    db.session.commit()
    page = sign_in(owner).get(f"/store/{store.store_code}/").get_data(as_text=True)
    assert 'data-tile="Active products"' not in page
