"""Jinja set-up: navigation from enabled modules, template globals and filters."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request, url_for
from flask_login import current_user

from webapp.modules import enabled_codes
from webapp.registry import NavEntry, Surface, get_registry
from webapp.security import can
from webapp.tenancy import current_platform, current_store


def navigation(surface: Surface | str) -> list[dict]:
    """Menu entries of the modules enabled on this platform that the user may see."""
    surface = Surface(surface)
    enabled = enabled_codes(current_platform())
    store = current_store()
    items: list[tuple[NavEntry, str]] = []
    for module in get_registry():
        if module.code not in enabled:
            continue
        for entry in module.nav(surface):
            if entry.super_admin_only and not (current_user.is_authenticated and current_user.is_super_admin):
                continue
            if entry.permission and not can(current_user, entry.permission, store):
                continue
            items.append((entry, module.code))
    items.sort(key=lambda item: item[0].order)
    links = [
        {"label": entry.label, "url": url_for(entry.endpoint), "icon": entry.icon, "module": code, "active": False}
        for entry, code in items
    ]
    # The entry whose address is the longest prefix of this page's path is the active one.
    matching = [
        link for link in links
        if request.path == link["url"] or request.path.startswith(link["url"].rstrip("/") + "/")
    ]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return links


def format_datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt) if value else "—"


def format_timestamp(value: float) -> str:
    return datetime.fromtimestamp(value).strftime("%Y-%m-%d %H:%M:%S")


def inject_globals() -> dict:
    return {
        "navigation": navigation,
        "can": can,
        "current_store": current_store,
        "current_platform": current_platform,
        "app_version": current_app.config["VERSION"],
        "is_development": current_app.config["BUTTEK_ENV"] != "production",
    }


class MacroLibrary:
    """A macro file exposed as a global (``ui.button(...)``) in every template.

    jinja2-fragments cannot see macros imported at a template's top level when it renders a
    single block, so the component macros are globals instead of per-template imports.
    """

    def __init__(self, env, template_name: str):
        self._env = env
        self._template_name = template_name

    def __getattr__(self, name: str):
        return getattr(self._env.get_template(self._template_name).module, name)


MACRO_LIBRARIES = {"ui": "macros/ui.html", "forms": "macros/forms.html", "tables": "macros/tables.html"}


def init_templating(app) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["timestamp"] = format_timestamp
    for name, template_name in MACRO_LIBRARIES.items():
        app.jinja_env.globals[name] = MacroLibrary(app.jinja_env, template_name)
    app.context_processor(inject_globals)
