"""The storefront product page: texts, gallery, price with VAT, stock badge, option pickers swapping the buy box
through htmx (and without JavaScript), the add-to-cart form, search-engine data, 404s and the query budget."""
from __future__ import annotations

import json
import re

import pytest
from flask import url_for

from blueprints.catalog.pricing import vat_included
from tests.catalog.test_storefront_shop import add_category, add_image, add_product, euros, html, stock_source
from tests.tenancy.factories import make_domain

__all__ = ["stock_source"]  # the fixture, shared with the shop's tests

SHIRT_VARIANTS = [{"options": ["S", "Blue"], "price_cents": 2990}, {"options": ["M", "Blue"], "price_cents": 3100},
                  {"options": ["M", "Red"], "price_cents": 3100, "sale_price_cents": 2500}]


@pytest.fixture
def shirt(store):
    return add_product(store, "Linen shirt", option_names=["Size", "Colour"], variants=SHIRT_VARIANTS,
                       vat_class="standard", images=[add_image(store), add_image(store)],
                       texts={"fr": ("Chemise en lin", "Du **lin** lavé.\n\nCoupe droite."),
                              "en": ("Linen shirt", "Washed **linen**.\n\nStraight cut.")},
                       categories=[add_category(store, "chemises", {"fr": "Chemises", "en": "Shirts"})])


def buybox(response) -> str:
    page = html(response)
    start = page.index('<div id="buybox"')
    end = page.find('id="product-description"', start)
    return page[start:end if end != -1 else None]


def chosen_variant(response) -> int:
    return int(re.search(r'id="buybox"[^>]*data-variant="(\d+)"', html(response)).group(1))


def test_the_product_page_shows_texts_gallery_price_and_vat(client, store, shirt):
    response = client.get(f"/s/{store.store_code}/p/{shirt.slug}?lang=en")
    assert response.status_code == 200
    page = html(response)
    assert "<title>Linen shirt · " in page and '<h1 class="shop-product-title">Linen shirt</h1>' in page
    assert "Washed <strong>linen</strong>." in page  # Markdown, rendered
    assert '<meta name="description" content="Washed linen. Straight cut.">' in page
    assert f'<link rel="canonical" href="http://localhost/s/epicerie/p/{shirt.slug}">' in page
    gallery = page.split('id="product-gallery"')[1].split("</div>")[0]
    assert gallery.count("<img") == 2 and 'data-count="2"' in page
    assert euros(2990, "en") in buybox(response)
    assert f"incl. VAT {euros(vat_included(2990, 'standard'), 'en')}" in page  # 17 % within 29,90 €: 4,34 €
    crumbs = page.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    assert ">Shirts</a>" in crumbs and 'aria-current="page">Linen shirt</li>' in crumbs


def test_the_page_falls_back_to_the_store_language(client, store):
    product = add_product(store, "Croissant", texts={"fr": ("Croissant pur beurre", "Feuilleté à la main.")})
    page = html(client.get(f"/s/{store.store_code}/p/{product.slug}?lang=de"))
    assert '<html lang="de">' in page and "Croissant pur beurre" in page and "Feuilleté à la main." in page


def test_the_json_ld_describes_the_product_and_each_offer(client, store, shirt, stock_source):
    stock_source.update({shirt.variants[0].id: 0})
    page = html(client.get(f"/s/{store.store_code}/p/{shirt.slug}?lang=en"))
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "Product" and data["name"] == "Linen shirt"
    assert data["image"][0].startswith("http://localhost/") and len(data["image"]) == 2
    offers = {offer["sku"]: offer for offer in data["offers"]}
    assert [offers[v.sku]["price"] for v in shirt.variants] == ["29.90", "31.00", "25.00"]  # the sale price
    assert offers[shirt.variants[0].sku]["availability"] == "https://schema.org/OutOfStock"
    assert offers[shirt.variants[1].sku]["availability"] == "https://schema.org/InStock"


def test_json_ld_cannot_close_its_script_element(client, store):
    product = add_product(store, "</script><script>alert(1)</script>")
    page = html(client.get(f"/s/{store.store_code}/p/{product.slug}"))
    json_ld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in json_ld and json.loads(json_ld)["name"].startswith("</script>")


# -- variants ------------------------------------------------------------------------------------
def test_a_variant_in_the_url_is_the_one_shown(client, store, shirt):
    red = shirt.variants[2]
    response = client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={red.id}&lang=en")
    assert chosen_variant(response) == red.id
    box = buybox(response)
    assert euros(2500, "en") in box and '<s class="shop-price-was">' in box and euros(3100, "en") in box
    assert re.search(r'name="option-1" id="option-1-\d+" value="Red"\s+autocomplete="off" checked', box)


@pytest.mark.parametrize("variant", ["999999", "abc", "", "-1", "1e3", "99999999999999999999"])
def test_an_unknown_variant_falls_back_to_the_first(client, store, shirt, variant):
    response = client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={variant}")
    assert response.status_code == 200 and chosen_variant(response) == shirt.variants[0].id


def test_another_products_variant_is_not_shown(client, store, shirt):
    other = add_product(store, "Tote bag", price=1500)
    response = client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={other.variants[0].id}")
    assert chosen_variant(response) == shirt.variants[0].id


def test_picking_options_through_htmx_swaps_the_buy_box_and_pushes_the_variant_url(store, shirt, htmx_client):
    blue_m = shirt.variants[1]
    response = htmx_client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={shirt.variants[0].id}"
                               "&option-0=M&option-1=Blue")
    body = html(response)
    assert body.lstrip().startswith('<div id="buybox"') and "<html" not in body
    assert chosen_variant(response) == blue_m.id and f'name="variant_id" value="{blue_m.id}"' in body
    assert response.headers["HX-Push-Url"] == f"/s/epicerie/p/{shirt.slug}?variant={blue_m.id}"


def test_a_combination_that_does_not_exist_keeps_the_option_just_changed(store, shirt, htmx_client):
    small_blue, medium_red = shirt.variants[0], shirt.variants[2]
    # From S/Blue the shopper picks Red: there is no S/Red, so Red wins (M/Red), not S.
    response = htmx_client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={small_blue.id}"
                               "&option-0=S&option-1=Red")
    assert chosen_variant(response) == medium_red.id
    # From M/Red the shopper picks S: S/Red does not exist, so S wins (S/Blue).
    response = htmx_client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={medium_red.id}"
                               "&option-0=S&option-1=Red")
    assert chosen_variant(response) == small_blue.id


def test_without_javascript_the_option_form_loads_the_page_of_the_chosen_variant(client, store, shirt):
    page = html(client.get(f"/s/{store.store_code}/p/{shirt.slug}?lang=en"))
    form = page.split('<form id="variant-picker"')[1].split("</form>")[0]
    assert 'method="get"' in form and f'action="/s/epicerie/p/{shirt.slug}"' in form
    assert 'hx-target="#buybox"' in form and "<noscript><button type=\"submit\"" in form
    response = client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={shirt.variants[0].id}"
                          "&option-0=M&option-1=Red")
    assert "<html" in html(response) and chosen_variant(response) == shirt.variants[2].id


def test_option_values_say_which_are_sold_out_or_missing(client, store, shirt, stock_source):
    stock_source.update({shirt.variants[1].id: 0})  # M/Blue
    box = buybox(client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={shirt.variants[0].id}"))
    sizes = box.split('id="option-0"')[1].split("</fieldset>")[0]
    colours = box.split('id="option-1"')[1].split("</fieldset>")[0]
    assert re.search(r'is-sold-out" for="option-0-\d+">M', sizes)  # M/Blue: sold out
    assert re.search(r'is-unavailable" for="option-1-\d+">Red', colours)  # S/Red does not exist


# -- stock and the cart -----------------------------------------------------------------------------
@pytest.mark.parametrize("units, badge", [(None, "In stock"), (12, "In stock"), (3, "Only 3 left"),
                                          (0, "Out of stock")])
def test_the_stock_badge(client, store, stock_source, units, badge):
    product = add_product(store, "Tarte")
    if units is not None:
        stock_source[product.variants[0].id] = units
    page = html(client.get(f"/s/{store.store_code}/p/{product.slug}?lang=en"))
    assert badge in page.split('id="stock-badge"')[1].split("</p>")[0]


def test_digital_products_never_run_out(client, store, stock_source):
    ebook = add_product(store, "Recipe book", product_type="digital")
    stock_source[ebook.variants[0].id] = 0
    page = html(client.get(f"/s/{store.store_code}/p/{ebook.slug}?lang=en"))
    assert "In stock" in page.split('id="stock-badge"')[1].split("</p>")[0]
    assert 'data-stock="unlimited"' in page


def test_the_add_to_cart_form_posts_the_variant_and_a_quantity(app, client, store, shirt, stock_source):
    stock_source[shirt.variants[1].id] = 4
    page = html(client.get(f"/s/{store.store_code}/p/{shirt.slug}?variant={shirt.variants[1].id}"))
    if "catalog_cart.add" not in app.view_functions:
        assert 'id="add-to-cart"' not in page  # no cart yet: no form that would post nowhere
        return
    with app.test_request_context():
        action = url_for("catalog_cart.add", store_code=store.store_code)
    form = page.split('<form id="add-to-cart"')[1].split("</form>")[0]
    assert f'action="{action}"' in form and 'method="post"' in form and 'name="csrf_token"' in form
    assert f'name="variant_id" value="{shirt.variants[1].id}"' in form
    assert re.search(r'name="quantity" value="1" min="1"[^>]*max="4"', form)


def test_a_sold_out_variant_cannot_be_added(app, client, store, stock_source):
    product = add_product(store, "Tarte")
    stock_source[product.variants[0].id] = 0
    page = html(client.get(f"/s/{store.store_code}/p/{product.slug}?lang=en"))
    if "catalog_cart.add" in app.view_functions:
        form = page.split('<form id="add-to-cart"')[1].split("</form>")[0]
        assert "Sold out" in form and re.search(r'type="submit" class="btn btn-secondary w-100"\s*disabled', form)


# -- 404s, the store's own domain, the budget -----------------------------------------------------------
@pytest.mark.parametrize("status", ["draft", "archived"])
def test_an_unpublished_product_is_a_404(client, store, status):
    product = add_product(store, "Brioche", status=status)
    assert client.get(f"/s/{store.store_code}/p/{product.slug}").status_code == 404


def test_another_stores_product_and_an_unknown_address_are_404(client, store, other_store):
    foreign = add_product(other_store, "Shirt")
    assert client.get(f"/s/{store.store_code}/p/{foreign.slug}").status_code == 404
    assert client.get(f"/s/{store.store_code}/p/nothing-here").status_code == 404
    assert client.get(f"/s/{store.store_code}/p/{'x' * 500}").status_code == 404


def test_the_product_page_on_the_stores_own_domain(client, store, shirt):
    make_domain(store, "shop.epicerie.lu")
    response = client.get(f"/p/{shirt.slug}", base_url="http://shop.epicerie.lu")
    assert response.status_code == 200 and "/s/epicerie" not in html(response)
    assert f'<link rel="canonical" href="http://shop.epicerie.lu/p/{shirt.slug}">' in html(response)


def test_the_product_page_costs_the_same_queries_for_one_or_many_variants_and_images(client, store,
                                                                                   stock_source, count_queries):
    category = add_category(store, "pains")
    plain = add_product(store, "Baguette", images=[add_image(store)], categories=[category])
    rich = add_product(store, "Pain", option_names=["Poids"], categories=[category],
                       images=[add_image(store) for _ in range(8)],
                       variants=[{"options": [f"{grams} g"], "price_cents": grams} for grams in range(100, 3100, 100)])
    counts = []
    for product in (plain, rich):
        url = f"/s/{store.store_code}/p/{product.slug}"
        client.get(url)  # warm the per-process caches
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter)
    assert counts[0].count == counts[1].count <= 13, counts[1].statements
