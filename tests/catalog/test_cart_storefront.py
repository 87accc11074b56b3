"""The storefront cart: adding from a product page, changing and removing lines, the header badge, stock,
bad input, another store's products, sign-in merges, query budgets and the catalog switched off."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from blueprints.catalog.models import Cart, CartItem, ProductImage
from blueprints.catalog.services import stock
from blueprints.cms.models import MediaItem
from tests.customers.conftest import make_customer, shopper_login
from tests.framework.test_i18n import unmarked_strings
from tests.tenancy.factories import make_domain, make_store
from webapp import modules
from webapp.config import PROJECT_ROOT
from webapp.extensions import db

WRITES = ("INSERT", "UPDATE", "DELETE")
# The storefront layout (store, modules, theme, navigation) and the cart: its lines, titles, images, files,
# stock and the badge.
CART_PAGE_BUDGET = 16


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture
def store(merchant):
    """English first, so that the tests read the messages as written."""
    return make_store(merchant, "boutique", name="Boutique", languages=["en", "fr"], default_language="en")


@pytest.fixture
def make_product(make_product):
    """The catalog's factory, titled in English and French (the default languages of the stores here)."""
    def factory(store, title="Linen shirt", **kwargs):
        kwargs.setdefault("translations", {language: {"title": title, "description": ""} for language in ("en", "fr")})
        return make_product(store, title, **kwargs)

    return factory


@pytest.fixture
def shirt(store, make_product):
    """An active shirt in two sizes and colours: M / Blue at 25 €, L / Red at 27 €."""
    product = make_product(store, "Linen shirt", status="active", option_names="Size, Colour", variants=[
        {"sku": "SHIRT-M-BLUE", "options": "M, Blue", "price": "25"},
        {"sku": "SHIRT-L-RED", "options": "L, Red", "price": "27"}])
    return product


@pytest.fixture
def blue(shirt):
    return shirt.variants[0]


@pytest.fixture
def red(shirt):
    return shirt.variants[1]


@pytest.fixture
def stock_levels(monkeypatch, catalog_on):
    """A stock source with the given levels (variant id -> units), inventory on; other variants are untracked."""
    levels: dict[int, int] = {}
    monkeypatch.setattr(stock, "_sources", list(stock._sources))  # registrations end with the test
    stock.register_source("inventory", lambda store, ids: {i: levels[i] for i in ids if i in levels})
    modules.enable(catalog_on, "inventory")
    db.session.commit()
    return levels


def cart_url(store, action: str = "") -> str:
    return f"/s/{store.store_code}/cart/{action}"


def add(client, store, variant_id, quantity="1", **kwargs):
    return client.post(cart_url(store, "add"), data={"variant_id": variant_id, "quantity": quantity}, **kwargs)


def quantities() -> dict[int, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(CartItem.variant_id, CartItem.quantity)).all())


def carts_count() -> int:
    return db.session.scalar(select(func.count(Cart.id)))


def event(response) -> dict:
    return json.loads(response.headers["HX-Trigger"])["catalog:cart-updated"]


def text(response) -> str:
    return response.get_data(as_text=True)


# -- adding, changing, removing -----------------------------------------------------------------
def test_adding_without_javascript_creates_the_cart_and_redirects_to_it_with_a_message(client, store, blue):
    response = add(client, store, blue.id, "2")
    assert response.status_code == 303 and response.location.endswith("/s/boutique/cart/")
    page = client.get(response.location)
    body = text(page)
    assert page.status_code == 200
    assert "Linen shirt – M / Blue is in your cart (2)." in body  # the flash message
    assert f'id="cart-line-{blue.id}"' in body and 'data-quantity="2"' in body
    assert "Size: M · Colour: Blue" in body
    assert quantities() == {blue.id: 2}


def test_an_htmx_addition_answers_a_toast_and_the_updated_event_with_the_count(client, htmx_client, store, blue,
                                                                              red):
    add(client, store, red.id, "1")
    response = add(htmx_client, store, blue.id, "2")
    assert response.status_code == 200
    assert event(response) == {"count": 3}
    assert response.headers["HX-Reswap"] == "none"  # the product page keeps its form
    assert 'hx-swap-oob="beforeend:#toasts"' in text(response)
    assert "Linen shirt – M / Blue is in your cart (2)." in text(response)


def test_adding_the_same_variant_again_sums_the_line(client, store, blue):
    add(client, store, blue.id, "2")
    add(client, store, blue.id, "3")
    assert quantities() == {blue.id: 5}
    assert db.session.scalar(select(func.count(CartItem.id))) == 1 and carts_count() == 1


def test_a_quantity_left_out_adds_one(client, store, blue):
    client.post(cart_url(store, "add"), data={"variant_id": blue.id})
    assert quantities() == {blue.id: 1}


def test_changing_a_quantity_rerenders_the_cart_and_fires_the_event(client, htmx_client, store, blue, red):
    add(client, store, blue.id, "1")
    add(client, store, red.id, "1")
    response = htmx_client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": "4"})
    body = text(response)
    assert response.status_code == 200 and event(response) == {"count": 5}
    assert body.lstrip().startswith('<div id="cart"') and "<html" not in body  # the cart block only
    assert f'data-variant-id="{blue.id}"\n    data-quantity="4"' in body
    assert "Quantity updated." in body  # an out-of-band toast
    assert quantities() == {blue.id: 4, red.id: 1}


def test_removing_a_line_and_emptying_the_cart(client, htmx_client, store, blue, red):
    add(client, store, blue.id, "1")
    add(client, store, red.id, "2")
    response = htmx_client.post(cart_url(store, "remove"), data={"variant_id": blue.id})
    assert response.status_code == 200 and event(response) == {"count": 2}
    assert f'id="cart-line-{blue.id}"' not in text(response) and f'id="cart-line-{red.id}"' in text(response)
    assert quantities() == {red.id: 2}
    response = htmx_client.post(cart_url(store, "clear"))
    assert event(response) == {"count": 0} and "Your cart is empty" in text(response)
    assert quantities() == {}


def test_removing_a_line_that_is_gone_already_is_harmless(client, store, blue, red):
    add(client, store, red.id, "1")
    response = client.post(cart_url(store, "remove"), data={"variant_id": blue.id})
    assert response.status_code == 303 and quantities() == {red.id: 1}


def test_forms_without_javascript_redirect_to_the_cart_with_a_flash(client, store, blue):
    add(client, store, blue.id, "1")
    response = client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": "3"})
    assert response.status_code == 303 and response.location.endswith("/s/boutique/cart/")
    assert "Quantity updated." in text(client.get(response.location))
    response = client.post(cart_url(store, "remove"), data={"variant_id": blue.id})
    assert response.status_code == 303
    assert "Removed from your cart." in text(client.get(response.location)) and quantities() == {}


# -- the badge ----------------------------------------------------------------------------------
def test_the_header_badge_shows_the_count_and_listens_for_cart_changes(client, htmx_client, store, blue):
    home = text(client.get("/s/boutique/"))
    assert 'id="cart-badge"' in home and 'hx-trigger="catalog:cart-updated from:body"' in home
    assert 'data-count="0"' in home
    add(client, store, blue.id, "3")
    assert 'id="cart-badge-link" data-count="3"' in text(client.get("/s/boutique/"))
    fragment = htmx_client.get(cart_url(store, "badge"))
    assert fragment.status_code == 200 and text(fragment).lstrip().startswith("<a")  # swapped into the <li>
    assert 'data-count="3"' in text(fragment) and "3 items" in text(fragment)


# -- stock --------------------------------------------------------------------------------------
def test_more_than_the_stock_is_refused_with_what_is_left_and_nothing_is_written(client, htmx_client, store, blue,
                                                                               stock_levels):
    stock_levels[blue.id] = 3
    response = add(client, store, blue.id, "4")
    assert response.status_code == 422 and "Only 3 left of Linen shirt – M / Blue." in text(response)
    assert carts_count() == 0 and quantities() == {}

    add(client, store, blue.id, "2")
    response = add(htmx_client, store, blue.id, "2")
    assert response.status_code == 422 and "HX-Trigger" not in response.headers
    assert "Only 3 left of Linen shirt – M / Blue, and 2 are already in your cart." in text(response)
    assert quantities() == {blue.id: 2}

    response = htmx_client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": "5"})
    assert response.status_code == 422 and "Only 3 left of Linen shirt – M / Blue." in text(response)
    assert quantities() == {blue.id: 2}


def test_a_sold_out_variant_cannot_be_added_and_untracked_ones_can(client, store, blue, red, stock_levels):
    stock_levels[blue.id] = 0
    response = add(client, store, blue.id, "1")
    assert response.status_code == 422 and "Sorry, Linen shirt – M / Blue is sold out." in text(response)
    assert add(client, store, red.id, "40").status_code == 303  # not counted: never runs out
    assert quantities() == {red.id: 40}


def test_lines_that_exceed_the_stock_now_are_marked_on_the_page(client, store, blue, stock_levels):
    add(client, store, blue.id, "3")
    stock_levels[blue.id] = 1
    body = text(client.get(cart_url(store)))
    assert "Only 1 left." in body and "data-problem" in body


def test_without_a_stock_source_everything_can_be_added(client, store, blue):
    assert add(client, store, blue.id, "99").status_code == 303
    assert quantities() == {blue.id: 99}


def test_a_registered_source_is_not_asked_while_inventory_is_off(client, store, blue, monkeypatch):
    monkeypatch.setattr(stock, "_sources", list(stock._sources))
    stock.register_source("inventory", lambda store, ids: dict.fromkeys(ids, 0))
    assert add(client, store, blue.id, "5").status_code == 303


# -- bad input ----------------------------------------------------------------------------------
BAD_QUANTITIES = ["0", "-1", "abc", "1.5", "1000", "1e2", "²"]


@pytest.mark.parametrize("quantity", BAD_QUANTITIES)
def test_adding_a_quantity_that_is_not_1_to_99_is_422_and_writes_nothing(client, htmx_client, store, blue, quantity):
    for answer in (add(client, store, blue.id, quantity), add(htmx_client, store, blue.id, quantity)):
        assert answer.status_code == 422
        assert "Enter a quantity as a whole number from 1 to 99." in text(answer)
    assert carts_count() == 0


@pytest.mark.parametrize("quantity", [*BAD_QUANTITIES, ""])
def test_changing_to_a_quantity_that_is_not_1_to_99_is_422_at_the_line(client, htmx_client, store, blue, quantity):
    add(client, store, blue.id, "2")
    response = htmx_client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": quantity})
    assert response.status_code == 422 and "HX-Trigger" not in response.headers
    line = text(response).split(f'id="cart-line-{blue.id}"')[1]
    assert "Enter a quantity as a whole number from 1 to 99." in line and "is-invalid" in line
    assert quantities() == {blue.id: 2}


def test_more_than_99_in_the_cart_is_refused(client, store, blue):
    add(client, store, blue.id, "98")
    response = add(client, store, blue.id, "2")
    assert response.status_code == 422
    assert "You can have at most 99 of Linen shirt – M / Blue in your cart (98 already are)." in text(response)
    assert quantities() == {blue.id: 98}


def test_a_variant_of_another_store_is_not_available_here_and_nothing_is_written(client, htmx_client, store,
                                                                                other_store, make_product):
    foreign = make_product(other_store, "Wool coat", status="active").variants[0]
    for answer in (add(client, store, foreign.id), add(htmx_client, store, foreign.id)):
        assert answer.status_code == 422 and "This product is not available." in text(answer)
        assert "Wool coat" not in text(answer)
    assert carts_count() == 0


@pytest.mark.parametrize("variant_id", ["", "abc", "0", "-3", "99999999", "9999999999999", "1 OR 1=1"])
def test_unknown_or_malformed_variant_ids_are_refused_without_a_500(client, store, blue, variant_id):
    response = add(client, store, variant_id)
    assert response.status_code == 422 and "This product is not available." in text(response)
    assert carts_count() == 0


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_a_product_that_is_not_active_cannot_be_added(client, store, make_product, status):
    variant = make_product(store, "Prototype", status=status).variants[0]
    response = add(client, store, variant.id)
    assert response.status_code == 422 and "This product is not available." in text(response)
    assert carts_count() == 0


def test_a_product_unpublished_after_adding_is_marked_and_left_out_of_the_total(client, store, blue, red, owner):
    from blueprints.catalog import services

    add(client, store, blue.id, "1")
    add(client, store, red.id, "1")  # the same product: archive it, both lines go
    services.set_status(store, [blue.product_id], "archived", owner)
    body = text(client.get(cart_url(store)))
    assert body.count("No longer available: please remove it.") == 2
    assert 'data-items="0"' in body
    response = client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": "2"})
    assert response.status_code == 422 and quantities() == {blue.id: 1, red.id: 1}


def test_changing_a_line_that_is_not_in_the_cart_is_422(client, store, blue, red):
    add(client, store, red.id, "1")
    response = client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": "2"})
    assert response.status_code == 422 and "This item is no longer in your cart." in text(response)


# -- tenants and sessions -----------------------------------------------------------------------
def test_a_cart_belongs_to_its_store(client, store, blue, merchant, make_product):
    sibling = make_store(merchant, "annexe", name="Annexe", languages=["en", "fr"], default_language="en")
    make_product(sibling, "Linen shirt", status="active")
    add(client, store, blue.id, "2")
    page = client.get(cart_url(sibling))
    assert page.status_code == 200 and 'data-count="0"' in text(page) and "Your cart is empty" in text(page)
    assert 'id="cart-badge-link" data-count="0"' in text(page)


def test_another_stores_cart_token_in_the_session_is_not_used(client, store, other_store, blue, make_product):
    add(client, store, blue.id, "2")
    with client.session_transaction() as session:
        token = session["catalog_carts"][str(store.id)]
        session["catalog_carts"] = {str(other_store.id): token}  # a forged entry: the token of another store
    assert 'data-count="0"' in text(client.get(cart_url(other_store)))
    foreign = make_product(other_store, "Wool coat", status="active").variants[0]
    assert add(client, other_store, foreign.id).status_code == 303
    assert db.session.scalar(select(func.count(Cart.id)).where(Cart.store_id == other_store.id)) == 1
    assert quantities()[blue.id] == 2  # the first store's cart is untouched


def test_each_browser_has_its_own_cart(app, client, store, blue):
    add(client, store, blue.id, "2")
    other_browser = app.test_client()
    assert 'data-count="0"' in text(other_browser.get(cart_url(store)))


def test_the_cart_works_on_the_stores_own_domain(client, store, blue):
    make_domain(store, "boutique.example.lu")
    response = client.post("/cart/add", data={"variant_id": blue.id}, base_url="http://boutique.example.lu")
    assert response.status_code == 303 and response.location.endswith("/cart/")
    assert "/s/boutique" not in response.location
    page = client.get("/cart/", base_url="http://boutique.example.lu")
    assert page.status_code == 200 and f'id="cart-line-{blue.id}"' in text(page)


def test_viewing_an_empty_cart_writes_nothing(client, store, blue, count_queries):
    client.get("/s/boutique/")
    with count_queries() as counter:
        response = client.get(cart_url(store))
    assert response.status_code == 200 and "Your cart is empty" in text(response)
    assert [s for s in counter.statements if s.lstrip().upper().startswith(WRITES)] == []
    assert carts_count() == 0


# -- sign-in ------------------------------------------------------------------------------------
@pytest.fixture
def shopper(merchant, store):
    return make_customer(merchant, "lea@example.lu", store=store)


def customer_cart(customer) -> Cart | None:
    db.session.expire_all()
    return db.session.scalar(select(Cart).where(Cart.customer_id == customer.id, Cart.status == "open"))


def test_signing_in_merges_the_browsers_cart_into_the_accounts_summed_and_capped(app, client, store, blue, red,
                                                                                shopper, stock_levels):
    stock_levels[blue.id] = 5
    elsewhere = app.test_client()  # an earlier visit, signed in: 4 blue in the account's cart
    assert shopper_login(elsewhere, store, shopper.email).status_code == 303
    add(elsewhere, store, blue.id, "4")
    add(client, store, blue.id, "3")  # now, before signing in: 3 blue and 2 red
    add(client, store, red.id, "2")
    assert carts_count() == 2

    assert shopper_login(client, store, shopper.email).status_code == 303
    page = text(client.get(cart_url(store)))
    assert quantities() == {blue.id: 5, red.id: 2}  # 4 + 3 capped at the 5 in stock
    assert carts_count() == 1 and customer_cart(shopper) is not None
    assert 'data-items="7"' in page and "data-problem" not in page

    client.post(f"/s/{store.store_code}/account/logout")
    assert 'data-count="0"' in text(client.get(cart_url(store)))  # the cart stays with the account
    assert quantities() == {blue.id: 5, red.id: 2}
    assert shopper_login(client, store, shopper.email).status_code == 303
    assert 'data-items="7"' in text(client.get(cart_url(store)))


def test_merging_caps_each_line_at_99(app, client, store, blue, shopper):
    elsewhere = app.test_client()
    shopper_login(elsewhere, store, shopper.email)
    add(elsewhere, store, blue.id, "60")
    add(client, store, blue.id, "60")
    shopper_login(client, store, shopper.email)
    client.get("/s/boutique/")  # any page: the badge's lookup merges
    assert quantities() == {blue.id: 99} and carts_count() == 1


def test_a_first_sign_in_takes_the_browsers_cart_into_the_account(client, store, blue, shopper):
    add(client, store, blue.id, "2")
    shopper_login(client, store, shopper.email)
    assert 'id="cart-badge-link" data-count="2"' in text(client.get("/s/boutique/"))
    assert customer_cart(shopper) is not None and quantities() == {blue.id: 2} and carts_count() == 1
    with client.session_transaction() as session:
        assert str(store.id) not in session.get("catalog_carts", {})  # signing out starts an empty cart


def test_a_signed_in_shoppers_additions_go_to_the_account_in_each_store(client, store, blue, shopper, merchant,
                                                                       make_product):
    sibling = make_store(merchant, "annexe", name="Annexe", languages=["en", "fr"], default_language="en")
    other = make_product(sibling, "Scarf", status="active").variants[0]
    shopper_login(client, store, shopper.email)
    add(client, store, blue.id, "1")
    add(client, sibling, other.id, "2")
    db.session.expire_all()
    rows = db.session.execute(select(Cart.store_id, Cart.customer_id)).all()
    assert sorted(rows) == sorted([(store.id, shopper.id), (sibling.id, shopper.id)])


# -- money --------------------------------------------------------------------------------------
def test_the_page_shows_vat_per_rate_and_the_total(client, store, make_product):
    bread = make_product(store, "Bread", status="active", vat_class="reduced",
                         variants=[{"sku": "BREAD", "price": "10,80"}]).variants[0]
    wine = make_product(store, "Wine", status="active", vat_class="standard",
                        variants=[{"sku": "WINE", "price": "11,70"}]).variants[0]
    add(client, store, bread.id, "2")
    add(client, store, wine.id, "1")
    body = text(client.get(cart_url(store)))
    assert "incl. VAT 8 %" in body and "incl. VAT 17 %" in body
    assert 'data-vat-rate="8">€1.60<' in body and 'data-vat-rate="17">€1.70<' in body
    assert 'id="cart-total">€33.30<' in body


# -- query budgets ------------------------------------------------------------------------------
def _products_with_images(store, make_product, count: int) -> list[int]:
    ids = []
    for number in range(count):
        product = make_product(store, f"Product {number}", status="active", option_names="Size", variants=[
            {"sku": f"P{number}-S", "options": "S", "price": "5"},
            {"sku": f"P{number}-M", "options": "M", "price": "6"}])
        item = MediaItem(store_id=store.id, kind="image", content_type="image/png", stored_name=f"{number:032x}.png",
                         original_name="p.png", size_bytes=1, width=1, height=1)
        db.session.add(item)
        db.session.flush()
        db.session.add(ProductImage(product_id=product.id, media_id=item.id))
        ids += [variant.id for variant in product.variants]
    db.session.commit()
    return ids


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_cart_page_costs_the_same_queries_for_1_and_many_lines(client, store, make_product, count_queries,
                                                                   stock_levels, shopper, signed_in):
    if signed_in:
        shopper_login(client, store, shopper.email)
    variant_ids = _products_with_images(store, make_product, 10)
    stock_levels.update(dict.fromkeys(variant_ids, 50))
    add(client, store, variant_ids[0], "1")
    client.get(cart_url(store))
    with count_queries() as one:
        response = client.get(cart_url(store))
    assert 'data-count="1"' in text(response) and text(response).count('class="rounded object-fit-cover') == 1
    for variant_id in variant_ids[1:]:
        add(client, store, variant_id, "2")
    client.get(cart_url(store))
    with count_queries() as many:
        response = client.get(cart_url(store))
    assert 'data-count="20"' in text(response) and text(response).count('class="rounded object-fit-cover') == 20
    assert many.count == one.count, many.statements
    assert one.count <= CART_PAGE_BUDGET, one.statements


def test_the_badge_costs_one_query_and_none_without_a_cart(client, store, blue, count_queries):
    client.get(cart_url(store, "badge"))
    with count_queries() as empty:
        client.get(cart_url(store, "badge"))
    add(client, store, blue.id, "1")
    client.get(cart_url(store, "badge"))
    with count_queries() as full:
        client.get(cart_url(store, "badge"))
    assert full.count == empty.count + 1, full.statements
    assert not any("catalog_cart" in statement for statement in empty.statements)


# -- the catalog switched off -------------------------------------------------------------------
def test_with_the_catalog_off_the_cart_is_404_and_the_badge_is_gone_without_a_query(client, store, blue,
                                                                                     catalog_on, count_queries):
    add(client, store, blue.id, "2")
    modules.disable(catalog_on, "catalog")
    for response in (client.get(cart_url(store)), client.get(cart_url(store, "badge")), add(client, store, blue.id),
                     client.post(cart_url(store, "update"), data={"variant_id": blue.id, "quantity": "3"}),
                     client.post(cart_url(store, "remove"), data={"variant_id": blue.id})):
        assert response.status_code == 404
    client.get("/s/boutique/")
    with count_queries() as counter:
        home = client.get("/s/boutique/")
    assert home.status_code == 200 and 'id="cart-badge"' not in text(home)
    assert not any("catalog_cart" in statement for statement in counter.statements)
    assert quantities() == {blue.id: 2}


# -- checkout comes with the orders module ---------------------------------------------------------
def test_the_checkout_button_appears_only_with_a_registered_checkout(client, store, blue, monkeypatch, app):
    from blueprints.catalog.services import cart as carts

    add(client, store, blue.id, "1")
    assert "Checkout" not in text(client.get(cart_url(store)))
    monkeypatch.setattr(carts, "_checkout", None)
    carts.register_checkout("catalog", "cms_storefront.home")  # any enabled module's endpoint stands in
    assert "Checkout" in text(client.get(cart_url(store)))


# -- translations ------------------------------------------------------------------------------
def test_every_cart_template_marks_its_strings_for_translation():
    templates = sorted((PROJECT_ROOT / "templates" / "catalog" / "cart").glob("*.html"))
    assert len(templates) >= 4
    assert {template.name: unmarked_strings(template.read_text()) for template in templates} == dict.fromkeys(
        (template.name for template in templates), [])

