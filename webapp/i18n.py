"""Languages: Flask-Babel, and which language a request is answered in.

Storefront (``/s/<store_code>/…`` or a store's own domain), among the store's enabled languages:
``?lang=`` (the switcher, remembered in a cookie) → the signed-in customer's preference → the
cookie → the store's default → the browser's Accept-Language → French.
Admin (``/admin``, ``/store``): the signed-in user's language → Accept-Language → English, among en/fr/de.
Other public pages (the platform's site): ``?lang=`` → cookie → Accept-Language → English.

Catalogs live in ``translations/`` and are compiled by ``make translations`` (part of ``make install``).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from webapp.config import PROJECT_ROOT
from webapp.extensions import babel
from webapp.tenancy import ADMIN_PATHS, STOREFRONT_PREFIX_KEY, current_store

LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "lb": "Lëtzebuergesch"}
ADMIN_LANGUAGES = ("en", "fr", "de")
STOREFRONT_FALLBACK = "fr"
LANGUAGE_COOKIE = "buttek_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# The customers module registers the signed-in shopper's preferred language (and how to store a new one).
CustomerLanguage = Callable[[], str | None]
_customer_language: CustomerLanguage | None = None
_remember_customer_language: Callable[[str], None] | None = None


def set_customer_language(read: CustomerLanguage, remember: Callable[[str], None] | None = None) -> None:
    global _customer_language, _remember_customer_language
    _customer_language, _remember_customer_language = read, remember


def is_storefront_request() -> bool:
    return bool(request.environ.get(STOREFRONT_PREFIX_KEY)) or request.path.startswith("/s/")


def store_languages(store) -> list[str]:
    """The store's enabled languages, its default first."""
    enabled = [code for code in (store.languages or []) if code in LANGUAGES] or [STOREFRONT_FALLBACK]
    default = store.default_language if store.default_language in enabled else enabled[0]
    return [default, *[code for code in enabled if code != default]]


def storefront_language(store) -> str:
    offered = store_languages(store)
    chosen = request.args.get("lang", "")
    if chosen in offered:
        g.switched_language = chosen
        return chosen
    customer = _customer_language() if _customer_language else None
    if customer in offered:
        return customer
    cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    if cookie in offered:
        return cookie
    if store.default_language in offered:
        return store.default_language
    best = request.accept_languages.best_match(offered)
    return best or (STOREFRONT_FALLBACK if STOREFRONT_FALLBACK in offered else offered[0])


def admin_language() -> str:
    user_language = getattr(current_user, "language", None) if current_user.is_authenticated else None
    if user_language in ADMIN_LANGUAGES:
        return user_language
    return request.accept_languages.best_match(ADMIN_LANGUAGES) or "en"


def current_language() -> str:
    """The language code of this request (``fr``), for ``<html lang>`` and the switcher."""
    return str(get_locale() or "en")


def public_language() -> str:
    """Public pages outside a store (the platform's site, invitations): ?lang= → cookie → browser → English."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            if candidate == request.args.get("lang"):
                g.switched_language = candidate
            return candidate
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def select_locale() -> str:
    if not has_request_context():  # the CLI, the worker, tests: messages in English
        return "en"
    if "locale" not in g:
        store = current_store() if is_storefront_request() else None
        if store is not None:
            g.locale = storefront_language(store)
        elif request.path.startswith(ADMIN_PATHS):
            g.locale = admin_language()
        else:
            g.locale = public_language()
    return g.locale


def remember_switch(response):
    """after_request: a language chosen with ``?lang=`` stays chosen (cookie, and the customer's profile)."""
    chosen = g.get("switched_language")
    if chosen:
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
        if _remember_customer_language:
            _remember_customer_language(chosen)
    return response


def init_i18n(app) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_switch)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
