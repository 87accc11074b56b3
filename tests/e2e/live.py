"""A live Buttek server for the browser tests and scripts/screenshots.py.

Its own app on its own temporary SQLite file (never the savepoint-wrapped test database, which
another thread could not see), migrated and seeded with the demo data, served by werkzeug in a
daemon thread on a free loopback port.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PLATFORM = "main"
CORE_MODULES = ("core", "tenancy", "cms", "customers")


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def demo_credentials() -> tuple[str, str]:
    from blueprints.core.demo import DEMO_ADMIN, DEMO_PASSWORD

    return DEMO_ADMIN, DEMO_PASSWORD


@dataclass
class _GlobalState:
    """Process-wide state that create_app rebinds to the newest app: Celery's Flask app and the
    root log handlers of webapp.observability (marked ``_buttek``)."""

    celery_app: object = None
    log_handlers: list = field(default_factory=list)

    @classmethod
    def capture(cls) -> _GlobalState:
        from webapp.extensions import celery

        ours = [handler for handler in logging.getLogger().handlers if getattr(handler, "_buttek", False)]
        return cls(getattr(celery, "flask_app", None), ours)

    def restore(self) -> None:
        from webapp.extensions import celery

        if self.celery_app is not None:
            celery.flask_app = self.celery_app
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_buttek", False):
                root.removeHandler(handler)
        for handler in self.log_handlers:
            root.addHandler(handler)


@contextmanager
def _logging_kept() -> Iterator[None]:
    """Alembic's env.py runs logging.config.fileConfig, which drops every root handler, among
    them the app's recent-log handler that the monitoring log page reads: put them back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def build_app(database_path: Path, **overrides) -> Flask:
    """A development-mode app on ``database_path``, migrated and seeded with the demo data."""
    from webapp import create_app
    from webapp.extensions import db
    from webapp.module_migrations import upgrade_database

    config = {
        "BUTTEK_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database_path}",
        "REDIS_URL": "",
        "SERVER_NAME": None,
        # Every test signs in; the production limit (5 a minute) would lock the suite out.
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context(), _logging_kept():
        upgrade_database()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    if result.exit_code != 0:
        raise RuntimeError(f"flask demo seed failed: {result.output}") from result.exception
    return app


class LiveServer:
    """``app`` served on 127.0.0.1 in a daemon thread; ``url`` is its base address."""

    def __init__(self, app: Flask):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="buttek-live", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def live_server(directory: Path, **overrides) -> Iterator[LiveServer]:
    """Build, seed and serve an app on ``directory/buttek.sqlite3``; leaves process globals as found."""
    before = _GlobalState.capture()
    app = build_app(Path(directory) / "buttek.sqlite3", **overrides)
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()
        before.restore()


def reset_modules(app: Flask) -> None:
    """Every module of the platform back on, as the demo seed left it."""
    from webapp import modules as module_service
    from webapp.extensions import db
    from webapp.registry import get_registry

    with app.app_context():
        platform = module_service.get_platform(PLATFORM)
        for module in get_registry():
            if module.code not in CORE_MODULES and not module_service.module_states(platform)[module.code].enabled:
                module_service.enable(platform, module.code)
        db.session.remove()


def sign_in(page, base_url: str, email: str | None = None, password: str | None = None) -> None:
    """Sign in through the login form, as a person would, and wait for the dashboard."""
    default_email, default_password = demo_credentials()
    page.goto(f"{base_url}/admin/login")
    page.fill("input[name=email]", email or default_email)
    page.fill("input[name=password]", password or default_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/admin/", timeout=10_000)
