"""Server time of the foundation's pages, against the bare liveness probe.

Runs the app in-process (Flask test client, no network) on a temporary SQLite database, or on
DATABASE_URL when given, with the demo data. Prints mean and p95 per page, its query count,
and its ratio to /health/live. Usage: .venv/bin/python bench/bench_admin_pages.py [requests]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

from sqlalchemy import event

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from blueprints.core.demo import DEMO_ADMIN, DEMO_PASSWORD, seed
from webapp import create_app
from webapp.extensions import db
from webapp.module_migrations import upgrade_database

PAGES = [
    "/health/live",
    "/admin/login",
    "/admin/",
    "/admin/platforms",
    "/admin/platforms/main/modules",
    "/admin/platforms/main/modules/payments/config",
    "/admin/monitoring/tasks",
]


ANONYMOUS_PAGES = {"/health/live", "/admin/login"}


def main(requests: int) -> None:
    workdir = tempfile.mkdtemp(prefix="buttek-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": "10000 per minute",
                      "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade_database()
        seed()
        engine = db.engine
    queries = {"count": 0}
    event.listen(engine, "before_cursor_execute", lambda *a, **k: queries.__setitem__("count", queries["count"] + 1))

    anonymous = app.test_client()
    client = app.test_client()
    client.post("/admin/login", data={"email": DEMO_ADMIN, "password": DEMO_PASSWORD})
    results = {}
    for path in PAGES:
        client_for_page = anonymous if path in ANONYMOUS_PAGES else client
        for _ in range(max(3, requests // 10)):  # warm up caches and connections
            client_for_page.get(path)
        timings = []
        queries["count"] = 0
        for _ in range(requests):
            started = time.perf_counter()
            response = client_for_page.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results[path] = (statistics.mean(timings), sorted(timings)[int(len(timings) * 0.95) - 1],
                         queries["count"] / requests)
    baseline = results["/health/live"][0]
    print(f"{'page':<48} {'mean ms':>8} {'p95 ms':>8} {'queries':>8} {'x live':>7}")
    for path, (mean, p95, per_request) in results.items():
        print(f"{path:<48} {mean:8.2f} {p95:8.2f} {per_request:8.1f} {mean / baseline:7.1f}")
    print(f"\n{requests} requests per page on {engine.dialect.name}; ratio = mean / mean of /health/live")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
