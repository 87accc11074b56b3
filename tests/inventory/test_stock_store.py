"""The store admin's stock pages: the list (search, filters, paging, budget), inline adjustments, one
variant's locations with transfers and alerts; permissions and other tenants' objects."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.inventory import services
from blueprints.inventory.models import StockMovement
from blueprints.inventory.services.common import PAGE_SIZE
from blueprints.tenancy import permissions
from tests.inventory.conftest import counts, movements_of
from webapp import modules
from webapp.extensions import db
from webapp.models import AuditLog


def url(store, path=""):
    return f"/store/{store.store_code}/inventory/{path}"


def movement_count() -> int:
    return db.session.scalar(select(func.count(StockMovement.id)))


def test_the_list_shows_each_variant_at_each_location_with_its_counts(sign_in, owner, store, make_variant,
                                                                      warehouse, shop):
    shirt = make_variant(store, "Linen shirt", skus=("LS-S", "LS-M"))[0]
    services.receive(store, warehouse, {shirt.id: 12}, actor=owner)
    services.reserve(store, "cart-1", [(shirt.id, 2)])
    page = sign_in(owner).get(url(store)).get_data(as_text=True)
    assert 'data-count="4"' in page
    row = page[page.index(f'id="stock-{shirt.id}-{warehouse.id}"'):]
    row = row[:row.index("</tr>")]
    assert 'data-available="10"' in row and "<td class=\"text-end\" data-on-hand>12</td>" in row
    assert f'/catalog/{shirt.product_id}"' in row  # the link to the product editor
    assert 'data-state="out"' in page  # the M size has none anywhere


def test_search_location_and_low_stock_filters_answer_the_table_fragment(sign_in, owner, store, make_variant,
                                                                         warehouse, shop, htmx_client):
    plenty, few = make_variant(store, "Wool_coat", skus=("WOOL-1",)), make_variant(store, "Hat", skus=("HAT-1",))
    services.receive(store, warehouse, {plenty.id: 40, few.id: 2}, actor=owner)
    services.receive(store, shop, {plenty.id: 40, few.id: 30}, actor=owner)
    sign_in(owner)
    body = htmx_client.get(url(store, "?q=wool_")).get_data(as_text=True)
    assert body.lstrip().startswith('<div id="stock-table"') and 'data-count="2"' in body  # "_" is literal
    assert 'data-count="2"' in htmx_client.get(url(store, "?q=hat-1")).get_data(as_text=True)  # by SKU
    assert 'data-count="2"' in htmx_client.get(url(store, f"?location={shop.id}")).get_data(as_text=True)
    low = htmx_client.get(url(store, "?low=1")).get_data(as_text=True)
    assert 'data-count="1"' in low and f'id="stock-{few.id}-{warehouse.id}"' in low


def test_the_list_costs_the_same_queries_for_1_and_many_rows(sign_in, owner, store, make_variant, warehouse,
                                                             count_queries):
    client = sign_in(owner)
    services.receive(store, warehouse, {make_variant(store, "Product 0", skus=("P0",)).id: 3}, actor=owner)
    client.get(url(store))
    with count_queries() as one:
        response = client.get(url(store))
    assert response.get_data(as_text=True).count('data-available="3"') == 1
    for number in range(1, 40):
        variant = make_variant(store, f"Product {number}", skus=(f"P{number}",))
        services.receive(store, warehouse, {variant.id: 3}, actor=owner)
    client.get(url(store))  # the same warm caches (store, modules, access) as the first count
    with count_queries() as many:
        response = client.get(url(store))
    assert response.get_data(as_text=True).count('data-available="3"') == PAGE_SIZE
    assert many.count == one.count, many.statements


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": "received", "quantity": "abc"}, "Enter a whole number of units."),
    ({"reason": "received", "quantity": "1.5"}, "Enter a whole number of units."),
    ({"reason": "correction", "quantity": "-2"}, "Enter zero or more units."),
    ({"reason": "damaged", "quantity": "9"}, "Only 5 on hand at Warehouse Bertrange: cannot remove 9."),
    ({"reason": "stolen", "quantity": "1"}, "Choose a reason"),
])
def test_bad_input_re_renders_the_row_with_422_and_changes_nothing(sign_in, owner, store, make_variant, warehouse,
                                                                   htmx_client, data, message):
    variant = make_variant(store)
    services.receive(store, warehouse, {variant.id: 5}, actor=owner)
    sign_in(owner)
    before = movement_count()
    response = htmx_client.post(url(store, f"stock/{variant.id}/{warehouse.id}/adjust"), data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<tr id="stock-{variant.id}-{warehouse.id}"') and message in body
    assert "is-invalid" in body and counts(variant, warehouse) == (5, 0) and movement_count() == before


def test_an_adjustment_answers_the_updated_row_and_is_audited(sign_in, owner, store, make_variant, warehouse,
                                                              htmx_client):
    variant = make_variant(store)
    sign_in(owner)
    response = htmx_client.post(url(store, f"stock/{variant.id}/{warehouse.id}/adjust"),
                                data={"reason": "received", "quantity": "7", "note": "Delivery"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'data-available="7"' in body and "hx-swap-oob" in body
    assert counts(variant, warehouse) == (7, 0)
    assert [(m.reason, m.note, m.user_id) for m in movements_of(variant)] == [("received", "Delivery", owner.id)]
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.target == variant.sku)) == \
        "inventory.stock_adjusted"


def test_without_javascript_an_adjustment_redirects_to_the_list(sign_in, owner, store, make_variant, warehouse):
    variant = make_variant(store)
    response = sign_in(owner).post(url(store, f"stock/{variant.id}/{warehouse.id}/adjust"),
                                   data={"reason": "correction", "quantity": "4"})
    assert response.status_code == 303 and response.location.endswith(url(store))
    assert counts(variant, warehouse) == (4, 0)


def test_staff_may_adjust_but_not_manage_locations(sign_in, staff_user, store, make_variant, warehouse):
    variant = make_variant(store)
    client = sign_in(staff_user)
    page = client.get(url(store)).get_data(as_text=True)
    assert f'id="stock-{variant.id}-{warehouse.id}-adjust"' in page
    assert client.post(url(store, f"stock/{variant.id}/{warehouse.id}/adjust"),
                       data={"reason": "received", "quantity": "2"}).status_code == 303
    assert client.post(url(store, "locations/new"), data={"name": "Mine"}).status_code == 403
    assert counts(variant, warehouse) == (2, 0)


def test_staff_without_the_adjust_permission_only_look(sign_in, staff_user, store, make_variant, warehouse, shop,
                                                       monkeypatch):
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, permissions.STAFF,
                        (*permissions.ROLE_PERMISSIONS[permissions.STAFF], "!inventory.adjust"))
    variant = make_variant(store)
    client = sign_in(staff_user)
    page = client.get(url(store)).get_data(as_text=True)
    assert f'id="stock-{variant.id}-{warehouse.id}"' in page and "-adjust" not in page
    assert client.post(url(store, f"stock/{variant.id}/{warehouse.id}/adjust"),
                       data={"reason": "received", "quantity": "2"}).status_code == 403
    assert client.post(url(store, f"stock/{variant.id}/transfer"),
                       data={"from_location": warehouse.id, "to_location": shop.id, "quantity": "1"}
                       ).status_code == 403
    assert client.post(url(store, f"stock/{variant.id}/{warehouse.id}/threshold"),
                       data={"low_stock_threshold": "2"}).status_code == 403
    assert movement_count() == 0


def test_another_merchants_variant_or_location_is_404(sign_in, owner, store, other_store, make_variant,
                                                      make_location, warehouse):
    mine, theirs = make_variant(store), make_variant(other_store, "Coat", skus=("COAT",))
    foreign = make_location(other_store, "Their depot")
    client = sign_in(owner)
    for path in (f"stock/{theirs.id}/{warehouse.id}/adjust", f"stock/{mine.id}/{foreign.id}/adjust",
                 f"stock/{mine.id}/{foreign.id}/threshold", f"stock/{theirs.id}/transfer"):
        assert client.post(url(store, path), data={"reason": "received", "quantity": "1"}).status_code == 404, path
    assert client.get(url(store, f"stock/{theirs.id}")).status_code == 404
    assert client.get(url(store, f"?location={foreign.id}")).status_code == 404
    assert movement_count() == 0


def test_a_digital_product_has_no_stock_page(sign_in, owner, store, make_variant, warehouse):
    ebook = make_variant(store, "E-book", skus=("EBOOK",), product_type="digital")
    client = sign_in(owner)
    assert client.get(url(store, f"stock/{ebook.id}")).status_code == 404
    assert client.post(url(store, f"stock/{ebook.id}/transfer"), data={"quantity": "1"}).status_code == 404


def test_the_variant_page_transfers_units_between_locations(sign_in, owner, store, make_variant, warehouse, shop,
                                                            htmx_client):
    variant = make_variant(store)
    services.receive(store, warehouse, {variant.id: 10}, actor=owner)
    client = sign_in(owner)
    page = client.get(url(store, f"stock/{variant.id}")).get_data(as_text=True)
    assert 'id="transfer-form"' in page and 'data-count="2"' in page and "Received" in page
    refused = htmx_client.post(url(store, f"stock/{variant.id}/transfer"),
                               data={"from_location": warehouse.id, "to_location": shop.id, "quantity": "11"})
    assert refused.status_code == 422
    assert "10 available at Warehouse Bertrange: cannot move 11." in refused.get_data(as_text=True)
    done = htmx_client.post(url(store, f"stock/{variant.id}/transfer"),
                            data={"from_location": warehouse.id, "to_location": shop.id, "quantity": "4"})
    assert done.headers["HX-Redirect"].endswith(url(store, f"stock/{variant.id}"))
    assert counts(variant, warehouse) == (6, 0) and counts(variant, shop) == (4, 0)


def test_a_low_stock_alert_is_set_per_location(sign_in, owner, store, make_variant, warehouse, htmx_client):
    variant = make_variant(store)
    services.receive(store, warehouse, {variant.id: 8}, actor=owner)
    sign_in(owner)
    refused = htmx_client.post(url(store, f"stock/{variant.id}/{warehouse.id}/threshold"),
                               data={"low_stock_threshold": "-1"})
    assert refused.status_code == 422 and "zero or more" in refused.get_data(as_text=True)
    htmx_client.post(url(store, f"stock/{variant.id}/{warehouse.id}/threshold"), data={"low_stock_threshold": "10"})
    assert [row.sku for row in services.low_stock(store)] == [variant.sku]


def test_a_disabled_inventory_answers_404(sign_in, owner, store, inventory_on):
    modules.disable(inventory_on, "inventory")
    db.session.commit()
    client = sign_in(owner)
    assert client.get(url(store)).status_code == 404
    assert client.get(url(store, "locations")).status_code == 404
