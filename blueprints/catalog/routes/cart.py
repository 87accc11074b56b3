"""Storefront cart at /s/<store_code>/cart: the cart page, additions from product pages, changing and removing
lines, and the header badge.

A change answers htmx with the re-rendered cart (an addition with a toast only, leaving the product page as
it is) and the event ``catalog:cart-updated`` carrying the new count, which the header badge listens for.
Without JavaScript the same forms post normally and are redirected to the cart page with a flash message.
"""
from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _

from blueprints.catalog.pricing import format_money
from blueprints.catalog.services import cart as carts
from blueprints.catalog.services.cart import CartError
from webapp import htmx
from webapp.extensions import limiter
from webapp.i18n import current_language, is_storefront_request
from webapp.modules import is_enabled
from webapp.tenancy import current_platform, current_store, storefront_blueprint

bp = storefront_blueprint("catalog_cart", __name__, "cart")
CART_UPDATED = "catalog:cart-updated"
PAGE = "catalog/cart/index.html"


@bp.app_context_processor
def inject_cart_badge() -> dict:
    return {"catalog_cart_badge": cart_badge}


def cart_badge() -> int | None:
    """The units for the storefront header's badge; None (no badge, no query) where the catalog is off."""
    store = current_store()
    if store is None or not is_storefront_request() or not is_enabled(current_platform(), "catalog"):
        return None
    return carts.count(store)


def _updated(store) -> dict:
    return {CART_UPDATED: {"count": carts.count(store)}}


def _cart_page(store, *, status: int = 200, error: str | None = None, error_variant: int | None = None,
               toast: str | None = None, trigger: dict | None = None):
    language = current_language()
    summary = carts.lines(store, carts.current_cart(store), language)
    checkout = carts.checkout_endpoint(store)
    return htmx.render(PAGE, "cart", status=status, trigger=trigger, store=store, summary=summary, error=error,
                       error_variant=error_variant, toast=toast, checkout_url=url_for(checkout) if checkout else None,
                       money=lambda cents: format_money(cents, summary.currency, language))


def _changed(store, message: str):
    if htmx.wants_fragment():
        return _cart_page(store, toast=message, trigger=_updated(store))
    flash(message, "success")
    return htmx.redirect(url_for(".index"))


@bp.get("/")
def index():
    return _cart_page(current_store())


@bp.get("/badge")
def badge():
    return htmx.render("catalog/cart/_badge.html", "badge_link", cart_count=carts.count(current_store()))


@bp.post("/add")
@limiter.limit("120 per minute")  # each addition without a cart cookie creates a cart: no flooding
def add():
    """From a product page: ``variant_id`` and ``quantity`` (1 when left out)."""
    store = current_store()
    try:
        added = carts.add(store, request.form.get("variant_id"), request.form.get("quantity"),
                          language=current_language())
    except CartError as exc:
        if htmx.wants_fragment():
            return htmx.render("catalog/cart/_added.html", status=422, reswap="none", message=str(exc),
                               level="danger")
        return _cart_page(store, status=422, error=str(exc))
    message = _("%(item)s is in your cart (%(count)s).", item=added.label, count=added.quantity)
    if htmx.wants_fragment():  # the product page stays as it is: a toast, and the badge updates itself
        return htmx.render("catalog/cart/_added.html", reswap="none", trigger=_updated(store), message=message,
                           level="success")
    flash(message, "success")
    return htmx.redirect(url_for(".index"))


@bp.post("/update")
def update():
    store = current_store()
    try:
        carts.set_quantity(store, request.form.get("variant_id"), request.form.get("quantity"),
                           language=current_language())
    except CartError as exc:
        return _cart_page(store, status=422, error=str(exc), error_variant=exc.variant_id)
    return _changed(store, _("Quantity updated."))


@bp.post("/remove")
def remove():
    store = current_store()
    try:
        carts.remove(store, request.form.get("variant_id"))
    except CartError as exc:
        return _cart_page(store, status=422, error=str(exc))
    return _changed(store, _("Removed from your cart."))


@bp.post("/clear")
def clear():
    store = current_store()
    carts.clear(store)
    return _changed(store, _("Your cart is empty now."))
