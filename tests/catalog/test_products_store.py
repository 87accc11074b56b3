"""The store admin's products: the editor (texts, settings, variants), the list and bulk status changes."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services
from blueprints.catalog.models import Product, ProductVariant
from tests.catalog.conftest import product_data
from webapp import modules
from webapp.extensions import db
from webapp.models import AuditLog

GTIN = "4006381333931"  # a valid EAN-13


def form(title="Linen shirt", variants=(("LS-S", "S", "29,90"), ("LS-M", "M", "31")), **overrides) -> dict:
    data = {"slug": "", "product_type": "physical", "status": "draft", "vat_class": "standard",
            "option_names": "Size", "title_fr": title, "description_fr": "Pure linen."}
    for index, (sku, option, price) in enumerate(variants):
        data.update({f"variants-{index}-sku": sku, f"variants-{index}-options": option,
                     f"variants-{index}-price": price, f"variants-{index}-gtin": ""})
    data.update(overrides)
    return data


def variant_count(store) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(ProductVariant.id)).where(ProductVariant.store_id == store.id))


def test_an_owner_creates_then_edits_a_product_with_two_variants(sign_in, owner, store):
    client = sign_in(owner)
    response = client.post(f"/store/{store.store_code}/catalog/new", data=form(**{"variants-0-gtin": GTIN}))
    assert response.status_code == 303, response.get_data(as_text=True)
    product = db.session.scalar(select(Product).where(Product.store_id == store.id))
    assert response.location.endswith(f"/catalog/{product.id}")
    assert product.slug == "linen-shirt" and product.option_names == ["Size"]
    assert [(v.sku, v.options, v.price_cents, v.gtin) for v in product.variants] == [
        ("LS-S", ["S"], 2990, GTIN), ("LS-M", ["M"], 3100, None)]

    page = client.get(f"/store/{store.store_code}/catalog/{product.id}").get_data(as_text=True)
    assert 'data-count="2"' in page and "LS-M" in page
    assert "4,34" in page  # the VAT within 29,90 € at 17 %

    ids = [v.id for v in product.variants]
    edited = form("Linen shirt, washed", variants=(("LS-S", "S", "27"), ("LS-L", "L", "33")),
                  **{"variants-0-id": str(ids[0]), "slug": "linen-shirt"})
    response = client.post(f"/store/{store.store_code}/catalog/{product.id}", data=edited)
    assert response.status_code == 303
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.translation("fr", "fr").title == "Linen shirt, washed"
    assert [(v.id == ids[0], v.sku, v.price_cents) for v in product.variants] == [(True, "LS-S", 2700),
                                                                                 (False, "LS-L", 3300)]
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.target == "linen-shirt")))
    assert {"catalog.product_created", "catalog.product_saved"} <= actions


def test_add_variant_re_renders_the_form_with_one_more_row_and_saves_nothing(sign_in, owner, store, htmx_client):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(add_variant="1"))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<form") and 'data-count="3"' in body
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(remove_variant="variants-0"))
    assert 'data-count="1"' in response.get_data(as_text=True)
    assert variant_count(store) == 0


@pytest.mark.parametrize("variants", [
    (("LS-S", "S", "10"), ("ls-s", "M", "10")),  # twice in the form (case does not make a new SKU)
    (("TAKEN-1", "S", "10"), ("LS-M", "M", "10")),  # another product has it
])
def test_a_duplicate_sku_is_refused_with_422_and_nothing_is_written(sign_in, owner, store, make_product,
                                                                    htmx_client, variants):
    make_product(store, "Other", variants=[{"sku": "TAKEN-1", "price": "5"}])
    sign_in(owner)
    before = variant_count(store)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(variants=variants))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "SKU" in body and "is-invalid" in body
    assert variant_count(store) == before
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 1


def test_an_invalid_gtin_answers_422_with_the_message_under_the_field(sign_in, owner, store, htmx_client):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new",
                                data=form(**{"variants-1-gtin": "4006381333932"}))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "is not a valid GTIN/EAN" in body
    assert 'id="variants-1-gtin"' in body and variant_count(store) == 0


def test_a_negative_price_answers_422(sign_in, owner, store, htmx_client):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(**{"variants-0-price": "-3"}))
    assert response.status_code == 422
    assert "cannot be negative" in response.get_data(as_text=True)
    assert variant_count(store) == 0


def test_a_failed_edit_leaves_the_product_as_it_was(sign_in, owner, store, make_product, htmx_client):
    product = make_product(store, "Bread")
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/{product.id}",
                                data=form("Renamed", variants=(("A", "S", "1"), ("B", "M", "oops"))))
    assert response.status_code == 422
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.translation("fr", "fr").title == "Bread" and [v.sku for v in product.variants] == ["SKU-BREAD"]


def test_another_stores_product_is_404_and_stays_unchanged(sign_in, owner, store, other_store, make_product):
    foreign = make_product(other_store, "Their coat")
    client = sign_in(owner)
    assert client.get(f"/store/{store.store_code}/catalog/{foreign.id}").status_code == 404
    assert client.post(f"/store/{store.store_code}/catalog/{foreign.id}", data=form("Mine now")).status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, foreign.id).translation("fr", "fr").title == "Their coat"
    with pytest.raises(services.NotFound):
        services.get_product(store, foreign.id)


def test_staff_may_look_but_not_create_edit_or_publish(sign_in, staff_user, store, make_product):
    product = make_product(store, "Bread")
    client = sign_in(staff_user)
    assert client.get(f"/store/{store.store_code}/catalog/").status_code == 200
    assert client.get(f"/store/{store.store_code}/catalog/{product.id}").status_code == 200
    assert client.post(f"/store/{store.store_code}/catalog/new", data=form()).status_code == 403
    assert client.post(f"/store/{store.store_code}/catalog/{product.id}", data=form("X")).status_code == 403
    assert client.post(f"/store/{store.store_code}/catalog/bulk",
                       data={"action": "publish", "product_ids": [product.id]}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "draft"


def test_the_list_costs_the_same_queries_for_1_and_50_products(sign_in, owner, store, make_product, count_queries):
    client = sign_in(owner)
    make_product(store, "Product 0")
    url = f"/store/{store.store_code}/catalog/?sort=price"
    client.get(url)
    with count_queries() as one:
        response = client.get(url)
    assert response.get_data(as_text=True).count('data-status="draft"') == 1
    for number in range(1, 50):
        make_product(store, f"Product {number}", variants=[{"sku": f"P{number}-A", "price": "1"},
                                                           {"sku": f"P{number}-B", "price": "2"}])
    client.get(url)  # the same warm caches (store, modules, access) as the first count
    with count_queries() as fifty:
        response = client.get(url)
    assert response.get_data(as_text=True).count('data-status="draft"') == services.PAGE_SIZE
    assert fifty.count == one.count, fifty.statements


def test_search_filters_and_paging_answer_the_table_fragment(sign_in, owner, store, make_product, htmx_client):
    make_product(store, "Linen shirt")
    make_product(store, "Wool_coat", variants=[{"sku": "WOOL-1", "price": "99"}])
    make_product(store, "Woolen hat", variants=[{"sku": "HAT-1", "price": "20"}], status="active")
    sign_in(owner)
    base = f"/store/{store.store_code}/catalog/"
    response = htmx_client.get(base + "?q=wool_")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="product-table"') and 'data-count="1"' in body  # "_" is literal
    assert 'data-count="1"' in htmx_client.get(base + "?q=hat-1").get_data(as_text=True)  # by SKU
    assert 'data-count="1"' in htmx_client.get(base + "?status=active").get_data(as_text=True)
    full = htmx_client.get(base + "?sort=title&dir=desc").get_data(as_text=True)
    assert full.index("Woolen hat") < full.index("Linen shirt")


def test_bulk_publish_touches_only_this_stores_products(sign_in, owner, store, other_store, make_product):
    mine = [make_product(store, f"Mine {n}") for n in range(2)]
    theirs = make_product(other_store, "Theirs")
    client = sign_in(owner)
    response = client.post(f"/store/{store.store_code}/catalog/bulk",
                           data={"action": "publish", "product_ids": [p.id for p in (*mine, theirs)]})
    assert response.status_code == 303
    db.session.expire_all()
    assert [db.session.get(Product, p.id).status for p in mine] == ["active", "active"]
    assert db.session.get(Product, theirs.id).status == "draft"
    assert services.set_status(store, [theirs.id, "x"], "archived", owner) == 0


def test_a_disabled_catalog_answers_404(sign_in, owner, store, catalog_on):
    modules.disable(catalog_on, "catalog")
    db.session.commit()
    client = sign_in(owner)
    assert client.get(f"/store/{store.store_code}/catalog/").status_code == 404
    assert client.get(f"/store/{store.store_code}/catalog/new").status_code == 404


def test_the_service_needs_a_default_language_title_and_a_variant(store, owner):
    with pytest.raises(services.CatalogError) as refused:
        services.create_product(store, product_data("", translations={"de": {"title": "Brot"}}), owner)
    assert refused.value.field == "title_fr"
    with pytest.raises(services.CatalogError) as refused:
        services.create_product(store, product_data(variants=[]), owner)
    assert refused.value.field == "variants"


def test_the_new_product_page_has_a_tab_per_store_language_default_first(sign_in, owner, store):
    page = sign_in(owner).get(f"/store/{store.store_code}/catalog/new").get_data(as_text=True)
    tabs = [page.index(f'id="tab-{language}"') for language in ("fr", "en", "de")]
    assert tabs == sorted(tabs) and 'name="title_de"' in page and 'name="variants-0-sku"' in page
    assert "Standard (17 %)" in page


def test_bulk_archive_returns_to_the_list_as_it_was_filtered(sign_in, owner, store, make_product):
    product = make_product(store, "Bread", status="active")
    client = sign_in(owner)
    listed = f"http://localhost/store/{store.store_code}/catalog/?status=active"
    response = client.post(f"/store/{store.store_code}/catalog/bulk", headers={"Referer": listed},
                           data={"action": "archive", "product_ids": [product.id]})
    assert response.location.endswith("/catalog/?status=active")
    response = client.post(f"/store/{store.store_code}/catalog/bulk", headers={"Referer": "https://evil.test/x"},
                           data={"action": "archive", "product_ids": [product.id]})
    assert response.location.endswith("/catalog/")
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == "archived"
