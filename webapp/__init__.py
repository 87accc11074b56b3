"""Buttek: the framework layer and its application factory."""
from __future__ import annotations

from flask import Flask

from webapp.cli import init_cli
from webapp.config import PROJECT_ROOT, load_config
from webapp.database import init_database
from webapp.errors import init_errors
from webapp.extensions import csrf, limiter, migrate
from webapp.htmx import init_htmx
from webapp.i18n import init_i18n
from webapp.module_migrations import init_module_migrations
from webapp.modules import init_modules
from webapp.observability import init_observability
from webapp.registry import init_registry
from webapp.security import init_security
from webapp.tasks import init_tasks
from webapp.templating import init_templating
from webapp.tenancy import domain_relative, init_tenancy


class Buttek(Flask):
    def url_for(self, endpoint: str, /, **values) -> str:
        """On a store's own domain, storefront links drop their ``/s/<store_code>`` prefix."""
        return domain_relative(super().url_for(endpoint, **values))


def create_app(config: dict | None = None) -> Flask:
    app = Buttek(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.update(load_config(config))
    init_observability(app)
    init_database(app)
    init_module_migrations(app, migrate)
    csrf.init_app(app)
    limiter.init_app(app)
    init_tenancy(app)  # before init_security: ProxyFix must wrap (and run before) the store-domain paths
    init_security(app)
    init_htmx(app)
    init_i18n(app)
    init_templating(app)
    init_errors(app)
    init_tasks(app)
    init_registry(app)
    init_modules(app)
    init_cli(app)
    return app
