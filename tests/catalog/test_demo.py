"""``flask demo seed`` gives the demo stores a catalog: a bakery for both Boulangerie Demo stores and a
fashion range with size/colour variants for Mode Lux, added once however often the seed runs."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from blueprints.catalog import demo
from blueprints.catalog.models import VAT_RATES, Category, Product, ProductVariant
from blueprints.catalog.pricing import parse_price
from blueprints.tenancy.models import Store
from webapp.extensions import db


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def counts(store_code: str) -> tuple[int, int, int]:
    store_id = db.session.scalar(select(Store.id).where(Store.store_code == store_code))
    return tuple(db.session.scalar(select(func.count(model.id)).where(model.store_id == store_id))
                 for model in (Category, Product, ProductVariant))


def test_demo_seed_gives_each_demo_store_a_catalog_once(cli):
    started = time.perf_counter()
    first = cli("demo", "seed")
    elapsed = time.perf_counter() - started
    assert first.exit_code == 0, first.output
    assert "Seeded catalog." in first.output
    after_first = {code: counts(code) for code in ("boulangerie-centre", "boulangerie-gare", "mode-lux")}

    for code in ("boulangerie-centre", "boulangerie-gare"):
        categories, products, variants = after_first[code]
        assert categories == 5 and products >= 25 and variants > products
    categories, products, variants = after_first["mode-lux"]
    assert categories == 5 and products >= 55 and variants >= 3 * products

    second = cli("demo", "seed")
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert {code: counts(code) for code in after_first} == after_first
    assert elapsed < 30  # the whole seed, every module; the catalog part alone takes well under 2 s


def test_demo_products_are_complete_and_priced(cli):
    assert cli("demo", "seed").exit_code == 0
    bakery = db.session.scalar(select(Store).where(Store.store_code == "boulangerie-centre"))
    mode = db.session.scalar(select(Store).where(Store.store_code == "mode-lux"))

    bakery_products = db.session.scalars(select(Product).where(Product.store_id == bakery.id)).all()
    assert all({t.language for t in p.translations} == {"fr", "de", "en"} for p in bakery_products)
    assert all(t.description for p in bakery_products for t in p.translations)
    assert all(len(p.categories) == 1 for p in bakery_products)
    by_slug = {p.slug: p for p in bakery_products}
    assert by_slug["baguette"].variants[0].price_cents == 120
    assert by_slug["baguette"].vat_class == "super_reduced"
    assert by_slug["croissant"].variants[0].price_cents == 130
    assert by_slug["cremant-de-luxembourg-75-cl"].vat_class == "standard"
    campagne = by_slug["pain-de-campagne"]
    assert campagne.option_names == ["Size"]
    assert [(v.options, v.price_cents) for v in campagne.variants] == [(["400 g"], 290), (["800 g"], 490)]
    statuses = [p.status for p in bakery_products]
    assert 1 <= statuses.count("draft") <= 3 and statuses.count("active") == len(statuses) - statuses.count("draft")

    mode_products = db.session.scalars(select(Product).where(Product.store_id == mode.id)).all()
    assert all(p.vat_class == "standard" for p in mode_products)
    prices = [v.price_cents for p in mode_products for v in p.variants]
    assert min(prices) >= 1990 and max(prices) <= 14900
    assert sum(1 for p in mode_products if len(p.variants) > 1) >= 50
    assert any(v.sale_price_cents is not None and v.sale_price_cents < v.price_cents
               for p in mode_products for v in p.variants)
    accessories = [p for p in mode_products if p.categories[0].slug == "accessoires"]
    assert accessories and all(p.option_names == ["Colour"] for p in accessories)
    clothes = [p for p in mode_products if p.categories[0].slug != "accessoires"]
    assert all(p.option_names == ["Size", "Colour"] for p in clothes)
    assert all(len(v.options) == len(p.option_names) for p in mode_products for v in p.variants)


def test_the_demo_data_is_consistent():
    """Cheap checks on the lists themselves: unique addresses and SKUs, sale below price, known VAT classes."""
    for products in (demo._bakery_products(), demo._fashion_products()):
        slugs = [p["slug"] for p in products]
        skus = [v["sku"].lower() for p in products for v in p["variants"]]
        assert len(set(slugs)) == len(slugs) and len(set(skus)) == len(skus)
        assert all(p["vat_class"] in VAT_RATES for p in products)
        for product in products:
            for variant in product["variants"]:
                sale = parse_price(variant.get("sale_price"))
                assert sale is None or sale < parse_price(variant["price"])


def test_the_seed_does_nothing_without_the_demo_stores():
    demo.seed()  # no demo stores in this database: nothing to attach a catalog to
    assert db.session.scalar(select(func.count(Product.id))) == 0
