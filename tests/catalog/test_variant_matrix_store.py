"""The variant generator of the product editor: every combination of the option values as rows (existing
rows kept), suggested SKUs, and one price for every row."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services
from blueprints.catalog.models import Product, ProductVariant
from webapp.extensions import db


def form(**overrides) -> dict:
    data = {"slug": "", "product_type": "physical", "status": "draft", "vat_class": "standard",
            "option_names": "Size, Colour", "title_fr": "Tee", "variants-0-sku": "", "variants-0-options": "",
            "variants-0-price": "", "option_values-0": "S, M", "option_values-1": "Red, Navy blue",
            "option_values-2": "", "sku_base": "TEE", "price_all": "19,90"}
    data.update(overrides)
    return data


def rows(body: str) -> list[tuple[str, str, str]]:
    """(sku, options, price) of every variant row of a rendered editor."""
    found = []
    for index in sorted({int(n) for n in re.findall(r'name="variants-(\d+)-sku"', body)}):
        def value(field, index=index):
            match = re.search(rf'name="variants-{index}-{field}"[^>]*value="([^"]*)"', body) or re.search(
                rf'value="([^"]*)"[^>]*name="variants-{index}-{field}"', body)
            return match.group(1) if match else ""
        found.append((value("sku"), value("options"), value("price")))
    return found


def test_generate_fills_a_row_per_combination_with_suggested_skus(sign_in, owner, store, htmx_client):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(generate_variants="1"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith("<form")
    assert 'data-count="4"' in body
    assert rows(body) == [("TEE-S-RED", "S, Red", "19,90"), ("TEE-S-NAVY-BLUE", "S, Navy blue", "19,90"),
                          ("TEE-M-RED", "M, Red", "19,90"), ("TEE-M-NAVY-BLUE", "M, Navy blue", "19,90")]
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 0


def test_generated_rows_save_as_variants(sign_in, owner, store, htmx_client, client):
    sign_in(owner)
    body = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=form(generate_variants="1")).get_data(
        as_text=True)
    data = form()
    for index, (sku, options, price) in enumerate(rows(body)):
        data.update({f"variants-{index}-sku": sku, f"variants-{index}-options": options,
                     f"variants-{index}-price": price})
    data["variants-3-price"] = "24,90"  # the merchant edits one row before saving
    assert client.post(f"/store/{store.store_code}/catalog/new", data=data).status_code == 303
    product = db.session.scalar(select(Product).where(Product.store_id == store.id))
    assert [(v.sku, v.options, v.price_cents) for v in product.variants] == [
        ("TEE-S-RED", ["S", "Red"], 1990), ("TEE-S-NAVY-BLUE", ["S", "Navy blue"], 1990),
        ("TEE-M-RED", ["M", "Red"], 1990), ("TEE-M-NAVY-BLUE", ["M", "Navy blue"], 2490)]


def test_regenerating_keeps_the_rows_that_match_and_their_ids(sign_in, owner, store, make_product, htmx_client):
    product = make_product(store, "Tee", option_names="Size", variants=[
        {"sku": "MY-S", "options": "S", "price": "10"}, {"sku": "MY-XL", "options": "XL", "price": "12"}])
    small = product.variants[0]
    sign_in(owner)
    data = form(slug="tee", option_names="Size", **{"option_values-0": "s, M", "option_values-1": "",
                                                    "sku_base": "", "price_all": "", "generate_variants": "1"})
    for index, variant in enumerate(product.variants):
        data.update({f"variants-{index}-id": str(variant.id), f"variants-{index}-sku": variant.sku,
                     f"variants-{index}-options": ", ".join(variant.options), f"variants-{index}-price": "10,00"})
    body = htmx_client.post(f"/store/{store.store_code}/catalog/{product.id}", data=data).get_data(as_text=True)
    assert rows(body) == [("MY-S", "S", "10,00"), ("MY-M", "M", "10,00")]  # XL is not listed any more
    assert re.search(rf'id="variants-0-id" name="variants-0-id" type="hidden" value="{small.id}"', body)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ProductVariant.id)).where(ProductVariant.product_id == product.id)) == 2


def test_a_plain_variant_becomes_the_first_combination():
    generated = services.variant_matrix("Size", ["S, M"], [{"id": "7", "sku": "BREAD", "options": "",
                                                           "price": "3,50", "sale_price": "3"}], sku_base="BREAD")
    assert [(row["id"], row["sku"], row["options"], row["price"], row["sale_price"]) for row in generated] == [
        ("7", "BREAD-S", "S", "3,50", "3"), ("", "BREAD-M", "M", "3,50", "")]


def test_the_sku_prefix_is_what_the_existing_skus_share():
    assert services.suggest_sku_base("tee", ["ML-TS01-S-WHI", "ML-TS01-M-WHI"]) == "ML-TS01"
    assert services.suggest_sku_base("tee", ["BL-BAGUETTE"]) == "BL-BAGUETTE"
    assert services.suggest_sku_base("linen-shirt", []) == "LINEN-SHIRT"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"option_names": ""}, "option_names", "Name the options first"),
    ({"option_values-1": " , "}, "option_values-1", "List the values of Colour"),
    ({"option_values-0": ", ".join(str(n) for n in range(51))}, "option_values-0", "102 combinations"),
])
def test_generating_without_options_or_with_too_many_combinations_answers_422(
        sign_in, owner, store, htmx_client, overrides, field, message):
    sign_in(owner)
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new",
                                data=form(generate_variants="1", **overrides))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body and re.search(rf'id="{field}"[^>]*is-invalid|is-invalid[^>]*id="{field}"', body)
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 0


def test_one_price_for_every_row(sign_in, owner, store, htmx_client):
    sign_in(owner)
    data = form(option_names="Size", price_all="15", apply_price="1", **{
        "variants-0-sku": "A", "variants-0-options": "S", "variants-0-price": "10",
        "variants-1-sku": "B", "variants-1-options": "M", "variants-1-price": ""})
    body = htmx_client.post(f"/store/{store.store_code}/catalog/new", data=data).get_data(as_text=True)
    assert [price for _sku, _options, price in rows(body)] == ["15,00", "15,00"]
    response = htmx_client.post(f"/store/{store.store_code}/catalog/new", data={**data, "price_all": "-2"})
    assert response.status_code == 422 and "cannot be negative" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 0
