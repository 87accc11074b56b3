"""Server time of storefront pages against the bare storefront layout, with few and with 100 pages.

The bare layout is the storefront shell alone (theme, navigation, language switcher) around an empty
page: what every shopper page costs at least. The issue asks that home, a content page and the
account pages render within 2x of it. Runs in-process (Flask test client) on a temporary SQLite
database, or on DATABASE_URL, with the demo data. Usage: .venv/bin/python bench/bench_storefront.py [requests]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from flask import render_template_string
from sqlalchemy import event, select

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from webapp import create_app
from webapp.extensions import db
from webapp.module_migrations import upgrade_database
from webapp.tenancy import storefront_blueprint

STORE = "/s/boulangerie-centre"
BARE = f"{STORE}/bench-bare/"
PAGES = [BARE, f"{STORE}/", f"{STORE}/pages/about", f"{STORE}/account/login", f"{STORE}/account/register",
         f"{STORE}/account/"]
CUSTOMER = ("customer@boulangerie.demo", "buttek-demo")


def bare_layout_blueprint():
    blueprint = storefront_blueprint("bench_bare", __name__, "bench-bare")
    blueprint.add_url_rule("/", "bare", lambda: render_template_string(
        '{% extends "layouts/storefront.html" %}{% block page_title %}Bare{% endblock %}'))
    return blueprint


def add_pages(app, count: int) -> None:
    from blueprints.cms.services import pages
    from blueprints.tenancy.models import Store

    with app.app_context():
        store = db.session.scalar(select(Store).where(Store.store_code == "boulangerie-centre"))
        for number in range(count):
            pages.create_store_page(store, {"slug": f"bench-{number}", "placement": "footer", "published": True,
                                            "translations": {"fr": {"title": f"Page {number}", "body": "Text."}}},
                                    None)


ANONYMOUS = {f"{STORE}/account/login", f"{STORE}/account/register"}  # a signed-in shopper is sent on


def measure(app, signed_in, requests: int, queries: dict) -> dict:
    results = {}
    anonymous = app.test_client()
    for path in PAGES:
        client = anonymous if path in ANONYMOUS else signed_in
        for _ in range(max(3, requests // 10)):
            client.get(path)
        timings, queries["count"] = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                results[path] = None
                break
        else:
            results[path] = (statistics.mean(timings), sorted(timings)[int(len(timings) * 0.95) - 1],
                             queries["count"] / requests)
    return results


def report(title: str, results: dict) -> None:
    bare = results[BARE][0]
    print(f"\n{title}")
    print(f"{'page':<44} {'mean ms':>8} {'p95 ms':>8} {'queries':>8} {'x bare':>7}")
    for path, figures in results.items():
        if figures is None:
            print(f"{path:<44} {'(not available)':>34}")
            continue
        mean, p95, per_request = figures
        print(f"{path:<44} {mean:8.2f} {p95:8.2f} {per_request:8.1f} {mean / bare:7.2f}")


def main(requests: int) -> None:
    workdir = tempfile.mkdtemp(prefix="buttek-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": "10000 per minute",
                      "LOG_LEVEL": "WARNING", "MAIL_FOLDER": f"{workdir}/mail"})
    app.register_blueprint(bare_layout_blueprint())
    with app.app_context():
        upgrade_database()
        engine = db.engine
    app.test_cli_runner().invoke(args=["demo", "seed"])
    queries = {"count": 0}
    event.listen(engine, "before_cursor_execute", lambda *a, **k: queries.__setitem__("count", queries["count"] + 1))
    client = app.test_client()
    client.post(f"{STORE}/account/login", data={"email": CUSTOMER[0], "password": CUSTOMER[1]})
    few = measure(app, client, requests, queries)
    add_pages(app, 100)
    many = measure(app, client, requests, queries)
    report("With the demo pages (7 linked):", few)
    report("With 100 more pages in the footer:", many)
    print(f"\n{requests} requests per page on {engine.dialect.name}; x bare = mean / mean of the bare layout")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
