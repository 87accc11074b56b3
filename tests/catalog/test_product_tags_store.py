"""Product tags: typed comma-separated in the editor, kept normalised, and a filter of the product list."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services
from blueprints.catalog.models import Product
from webapp.extensions import db


def form(title="Linen shirt", tags="", **overrides) -> dict:
    data = {"slug": "", "product_type": "physical", "status": "draft", "vat_class": "standard", "option_names": "",
            "title_fr": title, "variants-0-sku": "LS-1", "variants-0-options": "", "variants-0-price": "29,90",
            "tags": tags}
    data.update(overrides)
    return data


def test_tags_are_trimmed_lower_cased_and_kept_once_in_the_order_typed(sign_in, owner, store):
    client = sign_in(owner)
    response = client.post(f"/store/{store.store_code}/catalog/new",
                           data=form(tags=" Summer, linen  LOOK ,summer,, Été "))
    assert response.status_code == 303
    product = db.session.scalar(select(Product).where(Product.store_id == store.id))
    assert product.tags == ["summer", "linen look", "été"]
    page = client.get(f"/store/{store.store_code}/catalog/{product.id}").get_data(as_text=True)
    assert 'value="summer, linen look, été"' in page


@pytest.mark.parametrize(("tags", "message"), [
    (", ".join(f"tag{n}" for n in range(21)), "at most 20 tags"),
    ("fine, " + "x" * 41, "at most 40 characters"),
])
def test_too_many_or_too_long_tags_answer_422_and_nothing_is_written(sign_in, owner, store, htmx_client, tags,
                                                                      message):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(tags=tags))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and 'id="tags"' in body and "is-invalid" in body
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 0


def test_the_list_filters_by_one_whole_tag(sign_in, owner, store, other_store, make_product, htmx_client):
    make_product(store, "Linen shirt", tags="linen, summer")
    make_product(store, "Linen-look shirt", tags="linen-look")
    make_product(store, "Percent", tags="100% wool, a_b")
    make_product(other_store, "Their linen", tags="linen")
    sign_in(owner)
    base = f"/store/{store.store_code}/catalog/"

    def listed(query: str) -> list[str]:
        body = htmx_client.get(base + query).get_data(as_text=True)
        return sorted(title for title in ("Linen shirt", "Linen-look shirt", "Percent", "Their linen")
                      if f">{title}</a>" in body)

    assert listed("?tag=linen") == ["Linen shirt"]
    assert listed("?tag=LINEN") == ["Linen shirt"]
    assert listed("?tag=linen-look") == ["Linen-look shirt"]
    assert listed("?tag=100%25+wool") == ["Percent"]  # % and _ are taken literally
    assert listed("?tag=a_b") == ["Percent"] and listed("?tag=axb") == []
    assert listed("?tag=summer&q=shirt") == ["Linen shirt"]
    page = htmx_client.get(base).get_data(as_text=True)
    assert 'data-tag="summer"' in page and f'href="{base}?tag=summer"' in page


def test_the_tag_filter_keeps_the_same_query_count(sign_in, owner, store, make_product, count_queries):
    make_product(store, "Product 0", tags="sale")
    client = sign_in(owner)
    url = f"/store/{store.store_code}/catalog/?tag=sale"
    client.get(url)
    with count_queries() as one:
        client.get(url)
    for number in range(1, 30):
        make_product(store, f"Product {number}", tags="sale, extra", variants=[{"sku": f"P{number}", "price": "1"}])
    client.get(url)
    with count_queries() as many:
        body = client.get(url).get_data(as_text=True)
    assert body.count('data-status="draft"') == services.PAGE_SIZE
    assert many.count == one.count


def test_the_service_keeps_tags_when_the_data_leaves_them_out(store, owner, make_product):
    product = make_product(store, "Bread", tags="fresh")
    services.update_product(store, product, {"slug": "bread", "translations": {"fr": {"title": "Bread"}},
                                             "variants": [{"id": product.variants[0].id, "sku": "B", "price": "2"}]},
                            owner)
    assert product.tags == ["fresh"]
    assert services.clean_tags(["A", "a ", "b"]) == ["a", "b"]
