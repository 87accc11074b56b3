"""Storefront shopping pages at catalog scale: 1,000 against 100,000 variants in one store.

Fills a fresh store of the demo merchant Mode Lux with products of four variants each (bulk
inserts, not the services: a fill of 100k variants through the editor's checks would take the
benchmark's whole time), with stock in two locations when the inventory module is there, and
measures the server time and query count of the category page, a search and a product page.
A page whose time grows with the catalog, or whose query count changes, shows in the ratio column.
On PostgreSQL (DATABASE_URL=postgresql://…) it also prints the plans of the pages' list queries.

Usage: .venv/bin/python bench/bench_catalog_scale.py [requests] [--small N] [--large N]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from sqlalchemy import event, insert, select, text

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from webapp import create_app, modules
from webapp.extensions import db
from webapp.models import utcnow
from webapp.module_migrations import upgrade_database

STORE_CODE = "bench-scale"
VARIANTS_PER_PRODUCT = 4
CATEGORIES = 20
BATCH = 5_000
# Searched words: one common (in a tenth of the titles), one rare (a handful of products).
COMMON, RARE = "linen", "zephyr"
NOUNS = ["shirt", "dress", "coat", "scarf", "trousers", "jacket", "skirt", "sweater", "belt", "cap"]
ADJECTIVES = ["cotton", "wool", "silk", "denim", "velvet", "cashmere", "leather", "knitted", "striped"]
SIZES, COLOURS = ["S", "M"], ["Navy", "Sand"]


def make_store(code: str = STORE_CODE):
    from blueprints.tenancy.models import Merchant, Store

    merchant = db.session.scalar(select(Merchant).where(Merchant.name.like("Mode%")))
    store = Store(platform_id=merchant.platform_id, merchant_id=merchant.id, store_code=code,
                  name=code.replace("-", " ").title(), default_language="fr", languages=["fr", "en"])
    db.session.add(store)
    modules.enable(merchant.platform, "catalog")
    db.session.commit()
    return store


def fill(store, first: int, count: int, category_ids: list[int], locations: list[int]) -> None:
    """Products ``first`` … ``first + count - 1``, four variants each, in bulk."""
    from blueprints.catalog.models import Product, ProductTranslation, ProductVariant, product_categories

    rng = random.Random(first)
    now = utcnow()
    stock_table = _stock_table()
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        products = [{"store_id": store.id, "slug": f"p-{n}", "product_type": "physical", "status": "active",
                     "vat_class": "standard", "option_names": ["Size", "Colour"], "tags": [], "created_at": now,
                     "updated_at": now} for n in numbers]
        ids = db.session.execute(insert(Product).returning(Product.id, Product.slug), products).all() \
            if db.engine.dialect.name == "postgresql" else _insert_sqlite(Product, products)
        id_of = {slug: product_id for product_id, slug in ids}
        translations, variants, links = [], [], []
        for n in numbers:
            product_id = id_of[f"p-{n}"]
            word = COMMON if n % 10 == 0 else (RARE if n % 20_011 == 7 else rng.choice(ADJECTIVES))
            title = f"{word.capitalize()} {rng.choice(NOUNS)} {n}"
            translations += [{"product_id": product_id, "language": "fr", "title": title,
                              "description": f"A {word} piece, number {n}."},
                             {"product_id": product_id, "language": "en", "title": title, "description": ""}]
            price = rng.randrange(900, 19_900, 100)
            variants += [{"product_id": product_id, "store_id": store.id, "sku": f"B{n}-{size}-{colour[:1]}",
                          "options": [size, colour], "price_cents": price, "position": position, "created_at": now}
                         for position, (size, colour) in enumerate((s, c) for s in SIZES for c in COLOURS)]
            links.append({"product_id": product_id, "category_id": category_ids[n % len(category_ids)]})
        db.session.execute(insert(ProductTranslation), translations)
        db.session.execute(insert(ProductVariant), variants)
        db.session.execute(insert(product_categories), links)
        if stock_table is not None and locations:
            variant_ids = db.session.scalars(select(ProductVariant.id).where(
                ProductVariant.store_id == store.id, ProductVariant.product_id.in_(list(id_of.values())))).all()
            db.session.execute(insert(stock_table), [
                {"merchant_id": store.merchant_id, "variant_id": variant_id, "location_id": location,
                 "on_hand": rng.randrange(0, 30), "reserved": 0, "updated_at": now}
                for variant_id in variant_ids for location in locations])
        db.session.commit()


def _insert_sqlite(model, rows):
    # SQLite's executemany cannot return ids; the slugs are unique per store, so read them back.
    db.session.execute(insert(model), rows)
    return db.session.execute(select(model.id, model.slug).where(
        model.store_id == rows[0]["store_id"], model.slug.in_([row["slug"] for row in rows]))).all()


def _stock_table():
    return db.metadata.tables.get("inventory_stock_levels")


def make_locations(store, prefix: str = "Bench") -> list[int]:
    """Two locations serving the store, when the inventory module is installed."""
    from blueprints.inventory.services.locations import save_location

    modules.enable(store.platform, "inventory")
    db.session.commit()
    return [save_location(store, {"name": name, "kind": kind, "stores": [store.id]}, None).id
            for name, kind in ((f"{prefix} warehouse", "warehouse"), (f"{prefix} shop", "shop"))]


def make_categories(store) -> list[int]:
    from blueprints.catalog.models import Category

    rows = [{"store_id": store.id, "slug": f"category-{n}", "position": n,
             "texts": {"fr": {"name": f"Catégorie {n}"}}} for n in range(CATEGORIES)]
    db.session.execute(insert(Category), rows)
    db.session.commit()
    return list(db.session.scalars(select(Category.id).where(Category.store_id == store.id).order_by(Category.id)))


def pages(product_number: int) -> dict[str, str]:
    base = f"/s/{STORE_CODE}"
    return {"category page": f"{base}/c/category-3",
            "category page 5": f"{base}/c/category-3?page=5",
            f"search '{COMMON}'": f"{base}/search?q={COMMON}",
            f"search '{RARE}'": f"{base}/search?q={RARE}",
            "search + filters": f"{base}/search?q={COMMON}&min_price=20&max_price=120&in_stock=1&sort=price_asc",
            "product page": f"{base}/p/p-{product_number}",
            "product page ?variant": f"{base}/p/p-{product_number}?variant=__VARIANT__"}


def measure(app, requests: int, counter: dict, statements: list | None = None) -> dict:
    from blueprints.catalog.models import Product, ProductVariant

    with app.app_context():
        variant = db.session.scalar(select(ProductVariant.id).join(Product).where(Product.slug == "p-30")
                                    .order_by(ProductVariant.id.desc()).limit(1))
    client = app.test_client()
    results = {}
    for name, path in pages(30).items():
        path = path.replace("__VARIANT__", str(variant))
        for _ in range(3):
            response = client.get(path)
        if response.status_code != 200:
            results[name] = (None, None, None, response.status_code)
            continue
        timings, counter["count"] = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (statistics.median(timings), sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
                         counter["count"] / requests, 200)
        if statements is not None:
            counter["record"] = name
            client.get(path)
            counter["record"] = None
    return results


def explain(app, statements: list) -> None:
    print("\nPostgreSQL plans of the pages' queries (100k variants):")
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            for page, statement, parameters in statements:
                if not statement.lstrip().upper().startswith("SELECT") or "catalog_" not in statement:
                    continue
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + statement, parameters)
                plan = [row[0] for row in cursor.fetchall()]
                print(f"\n-- {page}: {' '.join(statement.split())[:160]}…")
                print("\n".join("   " + line for line in plan))
        finally:
            connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("requests", nargs="?", type=int, default=30)
    parser.add_argument("--small", type=int, default=1_000, help="variants of the small catalog")
    parser.add_argument("--large", type=int, default=100_000, help="variants of the large catalog")
    parser.add_argument("--neighbour", type=int, default=100_000,
                        help="variants of another store on the platform, filled first (a platform has many stores)")
    parser.add_argument("--no-plans", action="store_true")
    options = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="buttek-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url, "LOG_LEVEL": "WARNING", "MAIL_FOLDER": f"{workdir}/mail"})
    with app.app_context():
        upgrade_database()
    app.test_cli_runner().invoke(args=["demo", "seed"])

    counter, statements = {"count": 0, "record": None}, []

    def count(conn, cursor, statement, parameters, context, executemany):
        counter["count"] += 1
        if counter["record"]:
            statements.append((counter["record"], statement, parameters))

    with app.app_context():
        if options.neighbour:
            neighbour = make_store("bench-neighbour")
            fill(neighbour, 0, options.neighbour // VARIANTS_PER_PRODUCT, make_categories(neighbour),
                 make_locations(neighbour, "Neighbour"))
        store = make_store()
        categories, locations = make_categories(store), make_locations(store)
        started = time.perf_counter()
        fill(store, 0, options.small // VARIANTS_PER_PRODUCT, categories, locations)
        small_fill = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        event.listen(db.engine, "before_cursor_execute", count)
    small = measure(app, options.requests, counter)

    with app.app_context():
        store = db.session.merge(store)
        started = time.perf_counter()
        fill(store, options.small // VARIANTS_PER_PRODUCT, (options.large - options.small) // VARIANTS_PER_PRODUCT,
             categories, locations)
        large_fill = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        dialect = db.engine.dialect.name
    plans = dialect == "postgresql" and not options.no_plans
    large = measure(app, options.requests, counter, statements if plans else None)

    print(f"\nStore '{STORE_CODE}' on {dialect}, beside a store of {options.neighbour:,} variants: "
          f"{options.small:,} then {options.large:,} variants "
          f"({VARIANTS_PER_PRODUCT} per product, {CATEGORIES} categories, stock in {len(locations)} locations); "
          f"fill {small_fill:.1f} s + {large_fill:.1f} s; {options.requests} requests per page, median and p95")
    small_ms, large_ms = f"{options.small / 1000:g}k ms", f"{options.large / 1000:g}k ms"
    print(f"{'page':<26} {small_ms:>8} {'p95':>7} {'q':>4} {large_ms:>9} {'p95':>7} {'q':>4} {'ratio':>6}")
    for name in small:
        a, b = small[name], large[name]
        if a[0] is None or b[0] is None:
            print(f"{name:<26} answered {a[3]} / {b[3]}")
            continue
        print(f"{name:<26} {a[0]:8.2f} {a[1]:7.2f} {a[2]:4.0f} {b[0]:9.2f} {b[1]:7.2f} {b[2]:4.0f} {b[0] / a[0]:6.2f}")
    if plans:
        explain(app, statements)


if __name__ == "__main__":
    main()
