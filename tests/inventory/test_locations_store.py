"""Locations in the store admin: a merchant's warehouses and shops, the stores each one serves
(only the merchant's, only those the user manages), deactivation; and the services behind them."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.inventory import services
from blueprints.inventory.models import Location
from blueprints.inventory.services import locations
from blueprints.tenancy.models import StoreMembership
from tests.tenancy.factories import make_member, make_user
from webapp.extensions import db
from webapp.models import AuditLog


def url(store, path=""):
    return f"/store/{store.store_code}/inventory/locations{path}"


def location_count() -> int:
    return db.session.scalar(select(func.count(Location.id)))


def test_an_owner_creates_a_location_serving_two_stores_then_edits_it(sign_in, owner, store, sibling_store):
    client = sign_in(owner)
    page = client.get(url(store, "/new")).get_data(as_text=True)
    assert 'name="stores"' in page and "Épicerie Gare" in page
    response = client.post(url(store, "/new"), data={"name": "Entrepôt Bertrange", "kind": "warehouse",
                                                     "address": "5, rue des Mérovingiens", "position": "",
                                                     "stores": [store.id, sibling_store.id]})
    assert response.status_code == 303
    location = db.session.scalar(select(Location))
    assert response.location.endswith(url(store, f"/{location.id}"))
    assert {s.id for s in location.stores} == {store.id, sibling_store.id} and location.merchant_id == store.merchant_id
    response = client.post(url(store, f"/{location.id}"), data={"name": "Dépôt Bertrange", "kind": "shop",
                                                                "address": "", "position": "3", "stores": [store.id]})
    assert response.status_code == 303
    db.session.expire_all()
    location = db.session.get(Location, location.id)
    assert (location.name, location.kind, location.position, [s.id for s in location.stores]) == (
        "Dépôt Bertrange", "shop", 3, [store.id])
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("inventory.location%"))))
    assert actions == {"inventory.location_created", "inventory.location_saved"}


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "kind": "warehouse"}, "Name the location"),
    ({"name": "Depot", "kind": "castle"}, "Choose a kind"),
    ({"name": "Depot", "kind": "shop", "position": "first"}, "whole number for the order"),
    ({"name": "x" * 121, "kind": "shop"}, "at most 120 characters"),
    ({"name": "warehouse bertrange", "kind": "shop"}, "is called"),  # the same name, whatever the case
])
def test_bad_input_answers_422_with_the_form_and_writes_nothing(sign_in, owner, store, warehouse, htmx_client, data,
                                                                message):
    sign_in(owner)
    response = htmx_client.post(url(store, "/new"), data={**data, "stores": [store.id]})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form') and message in body and location_count() == 1


def test_a_location_serves_stores_of_its_merchant_only(sign_in, owner, store, other_store, htmx_client):
    sign_in(owner)
    response = htmx_client.post(url(store, "/new"), data={"name": "Depot", "kind": "warehouse",
                                                          "stores": [store.id, other_store.id]})
    assert response.status_code == 422 and "serves stores of Épicerie Test only" in response.get_data(as_text=True)
    with pytest.raises(services.InventoryError):
        locations.save_location(store, {"name": "Depot", "stores": [other_store.id]}, owner)
    assert location_count() == 0


def test_a_store_manager_changes_only_the_stores_they_manage(sign_in, store, sibling_store, make_location):
    manager = make_user("manager@epicerie.test")
    make_member(manager, store, StoreMembership.MANAGER)
    shared = make_location(store, "Shared depot", stores=[store, sibling_store])
    client = sign_in(manager)
    page = client.get(url(store, f"/{shared.id}")).get_data(as_text=True)
    sibling_box = page[page.index(f'value="{sibling_store.id}"') - 120:page.index(f'value="{sibling_store.id}"') + 40]
    assert "disabled" in sibling_box
    # Browsers do not send disabled boxes: the sibling store keeps being served.
    response = client.post(url(store, f"/{shared.id}"), data={"name": "Shared depot", "kind": "warehouse",
                                                               "stores": [store.id]})
    assert response.status_code == 303
    db.session.expire_all()
    assert {s.id for s in db.session.get(Location, shared.id).stores} == {store.id, sibling_store.id}
    annex = make_location(sibling_store, "Annex only", stores=[sibling_store])
    response = client.post(url(store, "/new"), data={"name": "Sneaky", "kind": "shop",
                                                     "stores": [store.id, sibling_store.id]})
    assert response.status_code == 422
    assert client.get(url(store, f"/{annex.id}")).status_code == 404  # serves only a store they do not run


def test_deactivating_a_location_stops_its_stock_counting(sign_in, owner, store, make_variant, warehouse,
                                                          htmx_client):
    variant = make_variant(store)
    services.receive(store, warehouse, {variant.id: 6}, actor=owner)
    sign_in(owner)
    response = htmx_client.post(url(store, f"/{warehouse.id}/deactivate"))
    assert response.headers["HX-Redirect"].endswith(url(store))
    assert services.available(store, [variant.id]) == {variant.id: 0}
    page = htmx_client.client.get(url(store)).get_data(as_text=True)
    assert f'id="location-{warehouse.id}" data-state="inactive"' in page
    htmx_client.post(url(store, f"/{warehouse.id}/activate"))
    assert services.available(store, [variant.id]) == {variant.id: 6}
    actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.target == warehouse.name)
                                      .order_by(AuditLog.id)))
    assert actions[-2:] == ["inventory.location_deactivated", "inventory.location_activated"]


def test_another_merchants_location_is_404_and_stays_unchanged(sign_in, owner, store, other_store, make_location):
    foreign = make_location(other_store, "Their depot")
    client = sign_in(owner)
    assert client.get(url(store, f"/{foreign.id}")).status_code == 404
    assert client.post(url(store, f"/{foreign.id}"), data={"name": "Mine now", "kind": "shop"}).status_code == 404
    assert client.post(url(store, f"/{foreign.id}/deactivate")).status_code == 404
    db.session.expire_all()
    foreign = db.session.get(Location, foreign.id)
    assert (foreign.name, foreign.active) == ("Their depot", True)


def test_staff_see_the_locations_but_cannot_change_them(sign_in, staff_user, store, warehouse):
    client = sign_in(staff_user)
    page = client.get(url(store)).get_data(as_text=True)
    assert "Warehouse Bertrange" in page and "New location" not in page
    assert client.get(url(store, "/new")).status_code == 403
    assert client.post(url(store, f"/{warehouse.id}/deactivate")).status_code == 403


def test_the_location_list_costs_the_same_queries_for_1_and_many(sign_in, owner, store, sibling_store,
                                                                 make_location, count_queries):
    client = sign_in(owner)
    make_location(store, "Depot 0")
    client.get(url(store))
    with count_queries() as one:
        assert 'data-count="1"' in client.get(url(store)).get_data(as_text=True)
    for number in range(1, 12):
        make_location(store, f"Depot {number}", stores=[store, sibling_store])
    client.get(url(store))
    with count_queries() as many:
        assert 'data-count="12"' in client.get(url(store)).get_data(as_text=True)
    assert many.count == one.count, many.statements
