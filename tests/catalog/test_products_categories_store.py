"""The store's category tree: add, edit, order, delete; parents only of this store, never a loop."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from blueprints.catalog import services
from blueprints.catalog.models import Category, Product
from webapp.extensions import db


def category(store, owner, name, parent=None):
    return services.save_category(store, {"texts": {"fr": {"name": name}},
                                          "parent_id": parent.id if parent else None}, owner)


def test_an_owner_adds_categories_and_orders_them(sign_in, owner, store):
    client = sign_in(owner)
    base = f"/store/{store.store_code}/catalog/categories"
    assert client.post(base + "/new", data={"name_fr": "Pains", "slug": ""}).status_code == 303
    assert client.post(base + "/new", data={"name_fr": "Gâteaux", "slug": ""}).status_code == 303
    breads, cakes = db.session.scalars(select(Category).where(Category.store_id == store.id)
                                       .order_by(Category.position)).all()
    assert (breads.slug, cakes.slug) == ("pains", "gateaux")
    assert client.post(f"{base}/{cakes.id}/move", data={"direction": "up"}).status_code == 303
    assert [c.slug for c, _ in services.category_tree(store)] == ["gateaux", "pains"]
    page = client.get(base).get_data(as_text=True)
    assert page.index("Gâteaux") < page.index("Pains") and 'data-count="2"' in page


def test_a_duplicate_address_answers_422(sign_in, owner, store, htmx_client):
    category(store, owner, "Pains")
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/categories/new",
                                data={"name_fr": "Autres pains", "slug": "pains"})
    assert response.status_code == 422
    assert "already uses the address" in response.get_data(as_text=True)


def test_a_category_cannot_move_inside_itself_or_its_subcategory(store, owner):
    top = category(store, owner, "Top")
    child = category(store, owner, "Child", top)
    for parent in (top, child):
        with pytest.raises(services.CatalogError) as refused:
            services.save_category(store, {"texts": {"fr": {"name": "Top"}}, "slug": "top", "parent_id": parent.id},
                                   owner, top)
        assert refused.value.field == "parent_id"
    assert [(c.slug, depth) for c, depth in services.category_tree(store)] == [("top", 0), ("child", 1)]


def test_another_stores_category_is_neither_a_parent_nor_reachable(sign_in, owner, store, other_store):
    theirs = category(other_store, owner, "Theirs")
    with pytest.raises(services.CatalogError):
        services.save_category(store, {"texts": {"fr": {"name": "Mine"}}, "parent_id": theirs.id}, owner)
    client = sign_in(owner)
    base = f"/store/{store.store_code}/catalog/categories/{theirs.id}"
    assert client.get(base).status_code == 404
    assert client.post(base + "/delete").status_code == 404
    assert db.session.get(Category, theirs.id) is not None


def test_deleting_a_category_keeps_its_products(sign_in, owner, store, make_product):
    shelf = category(store, owner, "Shelf")
    product = make_product(store, "Bread", categories=[shelf.id])
    assert [c.id for c in product.categories] == [shelf.id]
    client, shelf_id = sign_in(owner), shelf.id
    assert client.post(f"/store/{store.store_code}/catalog/categories/{shelf_id}/delete").status_code == 303
    db.session.expire_all()
    assert db.session.get(Category, shelf_id) is None
    assert db.session.get(Product, product.id).categories == []


def test_a_product_takes_only_this_stores_categories(store, other_store, owner, make_product):
    theirs = category(other_store, owner, "Theirs")
    with pytest.raises(services.CatalogError) as refused:
        make_product(store, "Bread", categories=[theirs.id])
    assert refused.value.field == "categories"


def test_the_category_page_counts_products_per_category_in_a_fixed_number_of_queries(
        sign_in, owner, store, other_store, make_product, count_queries):
    shelf = category(store, owner, "Shelf")
    make_product(store, "Bread", categories=[shelf.id])
    theirs = category(other_store, owner, "Shelf")
    make_product(other_store, "Their bread", categories=[theirs.id])
    client = sign_in(owner)
    url = f"/store/{store.store_code}/catalog/categories"
    client.get(url)
    with count_queries() as one:
        page = client.get(url).get_data(as_text=True)
    assert 'data-products="1"' in page and f'href="/store/{store.store_code}/catalog/?category={shelf.id}"' in page
    for number in range(20):
        extra = category(store, owner, f"Extra {number}")
        make_product(store, f"Cake {number}", categories=[shelf.id, extra.id],
                     variants=[{"sku": f"C{number}", "price": "1"}])
    client.get(url)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert 'data-products="21"' in page and page.count('data-products="1"') == 20
    assert many.count == one.count, many.statements


def test_the_first_and_last_of_each_level_cannot_move_further(sign_in, owner, store):
    top = category(store, owner, "Top")
    lone = category(store, owner, "Lone child", top)
    bottom = category(store, owner, "Bottom")
    page = sign_in(owner).get(f"/store/{store.store_code}/catalog/categories").get_data(as_text=True)

    def arrows(node):
        row = page[page.index(f'id="category-{node.id}"'):]
        row = row[:row.index("</tr>")]
        return ["disabled" in button for button in row.split("<button")[1:3]]

    assert arrows(top) == [True, False] and arrows(bottom) == [False, True] and arrows(lone) == [True, True]
