"""Pricing the cart for the page and checkout: sale prices in their period, VAT per rate, untracked stock."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services
from blueprints.catalog.models import Cart, CartItem
from blueprints.catalog.services import cart as carts
from blueprints.catalog.tasks import housekeeping
from blueprints.customers.models import Customer
from tests.catalog.conftest import product_data
from tests.tenancy.factories import make_store
from webapp.extensions import db
from webapp.models import utcnow


@pytest.fixture
def store(merchant):
    return make_store(merchant, "boutique", name="Boutique", languages=["en", "fr"], default_language="en")


@pytest.fixture
def product(store, owner):
    def factory(title, price, vat_class="standard", **kwargs):
        kwargs.setdefault("translations", {"en": {"title": title, "description": ""}})
        data = product_data(title, status="active", vat_class=vat_class,
                            variants=[{"sku": title.upper().replace(" ", "-"), "price": price}], **kwargs)
        return services.create_product(store, data, owner)

    return factory


def cart_with(store, *lines) -> Cart:
    cart = Cart(store_id=store.id, token=secrets.token_urlsafe(32),
                items=[CartItem(variant_id=variant.id, quantity=quantity) for variant, quantity in lines])
    db.session.add(cart)
    db.session.commit()
    return cart


def test_vat_is_given_per_rate_on_each_rates_total(store, product):
    bread = product("Bread", "10,80", "reduced").variants[0]  # 8 %: 0,80 included
    wine = product("Wine", "11,70", "standard").variants[0]  # 17 %: 1,70 included
    mint = product("Mint", "0,07", "reduced").variants[0]  # 8 %: 0,0052 included, a cent when rounded alone
    salt = product("Salt", "0,07", "reduced").variants[0]
    summary = carts.lines(store, cart_with(store, (bread, 2), (wine, 1), (mint, 1), (salt, 1)), "en")
    assert summary.total_cents == 2 * 1080 + 1170 + 7 + 7
    # 8 %: once on 21,74 € (1,61 €), not rounded per line (1,60 + 0,01 + 0,01)
    assert summary.vat_by_rate == [(8, 161), (17, 170)] and summary.vat_cents == 331
    assert summary.items == 5 and summary.ready
    assert [(line.title, line.vat_rate, line.total_cents) for line in summary.lines] == [
        ("Bread", 8, 2160), ("Wine", 17, 1170), ("Mint", 8, 7), ("Salt", 8, 7)]


def test_the_sale_price_counts_during_the_sale_only(store, product):
    variant = product("Linen shirt", "25").variants[0]
    now = utcnow()
    variant.sale_price_cents, variant.sale_starts_at, variant.sale_ends_at = 2000, now - timedelta(days=1), \
        now + timedelta(days=1)
    db.session.commit()
    cart = cart_with(store, (variant, 2))
    during = carts.lines(store, cart, "en", now=now).lines[0]
    assert (during.unit_cents, during.regular_cents, during.total_cents, during.on_sale) == (2000, 2500, 4000, True)
    after = carts.lines(store, cart, "en", now=now + timedelta(days=2)).lines[0]
    assert (after.unit_cents, after.total_cents, after.on_sale) == (2500, 5000, False)
    before = carts.lines(store, cart, "en", now=now - timedelta(days=2)).lines[0]
    assert before.unit_cents == 2500


def test_the_cart_page_shows_the_sale_price_and_the_struck_regular_one(client, store, product):
    variant = product("Linen shirt", "25").variants[0]
    variant.sale_price_cents, variant.sale_starts_at = 2000, utcnow() - timedelta(hours=1)
    db.session.commit()
    client.post("/s/boutique/cart/add", data={"variant_id": variant.id, "quantity": "2"})
    body = client.get("/s/boutique/cart/").get_data(as_text=True)
    assert "<span data-unit-price>€20.00</span>" in body and '<s class="text-body-secondary ms-1">€25.00</s>' in body
    assert 'id="cart-total">€40.00<' in body


def test_titles_follow_the_shoppers_language(store, product):
    variant = product("Linen shirt", "25", translations={"en": {"title": "Linen shirt", "description": ""},
                                                         "fr": {"title": "Chemise en lin", "description": ""}}
                      ).variants[0]
    cart = cart_with(store, (variant, 1))
    assert carts.lines(store, cart, "fr").lines[0].title == "Chemise en lin"
    assert carts.lines(store, cart, "de").lines[0].title == "Linen shirt"  # not offered: the store's default


def test_an_empty_or_missing_cart_has_nothing_to_check_out(store):
    assert not carts.lines(store, None, "en").ready
    assert carts.lines(store, cart_with(store), "en").total_cents == 0


def test_anonymous_carts_untouched_for_30_days_are_purged_and_accounts_carts_stay(store, product, merchant):
    bread = product("Bread", "3,00")
    variant = bread.variants[0]
    stale, recent = cart_with(store, (variant, 1)), cart_with(store, (variant, 2))
    kept_for_account = cart_with(store, (variant, 3))
    customer = Customer(merchant_id=merchant.id, email="lena@example.lu", session_token="t")
    db.session.add(customer)
    db.session.flush()
    long_ago = utcnow() - timedelta(days=31)
    stale.updated_at = kept_for_account.updated_at = long_ago
    kept_for_account.customer_id = customer.id
    db.session.commit()
    stale_id = stale.id

    assert housekeeping.delay().get()["carts_purged"] == 1  # the Celery task, run eagerly here
    db.session.expire_all()
    assert db.session.get(Cart, stale_id) is None
    assert db.session.scalar(select(func.count(CartItem.id)).where(CartItem.cart_id == stale_id)) == 0
    assert {cart.id for cart in db.session.scalars(select(Cart))} == {recent.id, kept_for_account.id}
    assert carts.purge_abandoned() == 0  # nothing left to purge
