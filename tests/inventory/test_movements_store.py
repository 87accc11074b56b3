"""The movement journal in the store admin: filters, paging, a fixed query budget, this store's only;
and the dashboard's low-stock tile."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from blueprints.inventory import services
from blueprints.inventory.models import StockMovement
from blueprints.inventory.services.movements import MOVEMENTS_PER_PAGE
from webapp.extensions import db
from webapp.models import utcnow


def url(store, query=""):
    return f"/store/{store.store_code}/inventory/movements{query}"


def test_movements_filter_by_location_reason_search_and_date(sign_in, owner, store, make_variant, warehouse, shop,
                                                              htmx_client):
    shirt, hat = make_variant(store, "Shirt", skus=("SHIRT",)), make_variant(store, "Wool hat", skus=("HAT",))
    services.receive(store, warehouse, {shirt.id: 5, hat.id: 5}, actor=owner)
    services.transfer(store, shirt, warehouse, shop, 2, actor=owner)
    services.reserve(store, "cart-9", [(hat.id, 1)])
    old = services.adjust(store, hat, warehouse, delta=-1, reason="damaged", actor=owner)
    db.session.execute(update(StockMovement).where(StockMovement.id == old.id)
                       .values(created_at=utcnow() - timedelta(days=10)))
    db.session.commit()
    sign_in(owner)

    def count(query):
        body = htmx_client.get(url(store, query)).get_data(as_text=True)
        assert body.lstrip().startswith('<div id="movement-table"')
        return int(body.split('data-count="', 1)[1].split('"', 1)[0])

    assert count("") == 6
    assert count(f"?location={shop.id}") == 1
    assert count("?reason=received") == 2
    assert count("?q=wool") == 3 and count("?q=cart-9") == 1  # by title, and by reference
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    assert count(f"?since={since}") == 5
    assert count(f"?until={since}") == 1


def test_a_bad_date_answers_422_and_says_what_to_type(sign_in, owner, store, htmx_client):
    sign_in(owner)
    response = htmx_client.get(url(store, "?since=31/12/2026"))
    assert response.status_code == 422 and "Enter a date as YYYY-MM-DD." in response.get_data(as_text=True)
    response = htmx_client.get(url(store, "?since=2026-12-05&until=2026-12-01"))
    assert response.status_code == 422 and "comes after the start date" in response.get_data(as_text=True)


def test_another_stores_movements_are_not_listed(sign_in, owner, store, other_store, make_variant, make_location,
                                                 warehouse):
    theirs = make_variant(other_store, "Coat", skus=("COAT",))
    services.receive(other_store, make_location(other_store, "Their depot"), {theirs.id: 3})
    page = sign_in(owner).get(url(store)).get_data(as_text=True)
    assert 'data-count="0"' in page and "COAT" not in page


def test_the_movement_list_costs_the_same_queries_for_1_and_many(sign_in, owner, store, make_variant, warehouse,
                                                                 count_queries):
    client = sign_in(owner)
    variant = make_variant(store)
    services.adjust(store, variant, warehouse, delta=1, reason="received", actor=owner)
    client.get(url(store))
    with count_queries() as one:
        assert 'data-count="1"' in client.get(url(store)).get_data(as_text=True)
    for _ in range(MOVEMENTS_PER_PAGE + 5):
        services.adjust(store, variant, warehouse, delta=1, reason="received", actor=owner)
    client.get(url(store))
    with count_queries() as many:
        assert f'data-count="{MOVEMENTS_PER_PAGE}"' in client.get(url(store)).get_data(as_text=True)
    assert many.count == one.count, many.statements


def test_the_dashboard_counts_low_variants_and_links_to_them(sign_in, owner, store, make_variant, warehouse):
    plenty, few = make_variant(store, "Plenty", skus=("P",)), make_variant(store, "Few", skus=("F",))
    services.receive(store, warehouse, {plenty.id: 50, few.id: 1}, actor=owner)
    page = sign_in(owner).get(f"/store/{store.store_code}/").get_data(as_text=True)
    tile = page[page.index('data-tile="Low stock"'):]
    tile = tile[:tile.index("</div>\n</div>")]
    assert ">1</a>" in tile and f"/store/{store.store_code}/inventory/?low=1" in tile
