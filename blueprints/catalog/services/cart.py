"""The shopper's cart: which cart a request uses, changing it, and its priced lines for the page and checkout.

A browser's anonymous cart is named by a token the session keeps per store; it is created only when
something is first added, so looking at an empty cart writes nothing. A signed-in customer's cart is
found by the account; on the first request after sign-in, the browser's anonymous cart is merged into it
(and the token forgotten, so signing out starts an empty cart). Every change locks the cart row and checks
the store, the product's status and the stock before it writes anything.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import g, has_request_context, session
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from blueprints.catalog.models import ACTIVE, CART_OPEN, VAT_RATES, Cart, CartItem, Product, ProductVariant
from blueprints.catalog.pricing import vat_included
from blueprints.catalog.services import stock
from blueprints.cms.services import media
from blueprints.customers.services.sessions import current_customer
from webapp.extensions import db
from webapp.models import utcnow
from webapp.modules import is_enabled

SESSION_KEY = "catalog_carts"  # {store id: token of the browser's anonymous cart}
MAX_QUANTITY = 99
MAX_ID = 2_147_483_647  # larger ids would overflow PostgreSQL's integer instead of simply matching nothing
_CACHE = "catalog_carts"
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


class CartError(ValueError):
    """A refusal shown to the shopper; ``variant_id`` names the line it is about, when there is one."""

    def __init__(self, message: str, field: str | None = None, variant_id: int | None = None):
        super().__init__(message)
        self.field = field
        self.variant_id = variant_id


@dataclass(frozen=True)
class CartLine:
    variant_id: int
    product_id: int
    title: str  # the product's title in the shopper's language
    options: list[tuple[str, str]]  # (option name, value), e.g. [("Size", "M"), ("Colour", "Blue")]
    image_url: str | None
    quantity: int
    unit_cents: int  # gross, the sale price during a sale
    regular_cents: int  # the price without the sale (equal to unit_cents outside one)
    vat_class: str
    total_cents: int
    sellable: bool  # the product is still offered (active)
    units_available: int | None  # None: unlimited
    problem: str | None  # why this line cannot be bought as it is

    @property
    def label(self) -> str:
        """``Linen shirt – M / Blue``: how messages name the line."""
        return _label(self.title, [value for _name, value in self.options])

    @property
    def vat_rate(self) -> int:
        return VAT_RATES[self.vat_class]

    @property
    def vat_cents(self) -> int:
        return vat_included(self.total_cents, self.vat_class)

    @property
    def on_sale(self) -> bool:
        return self.unit_cents < self.regular_cents


@dataclass(frozen=True)
class CartSummary:
    """The cart as the page and checkout read it; totals count the sellable lines only."""

    lines: list[CartLine] = field(default_factory=list)
    currency: str = "EUR"

    @property
    def items(self) -> int:
        return sum(line.quantity for line in self.lines if line.sellable)

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines if line.sellable)

    @property
    def vat_by_rate(self) -> list[tuple[int, int]]:
        """[(rate, VAT cents)] by ascending rate, each computed once on that rate's gross total (no summed
        rounding errors of the lines)."""
        gross: dict[str, int] = {}
        for line in self.lines:
            if line.sellable:
                gross[line.vat_class] = gross.get(line.vat_class, 0) + line.total_cents
        return sorted((VAT_RATES[vat_class], vat_included(cents, vat_class)) for vat_class, cents in gross.items())

    @property
    def vat_cents(self) -> int:
        return sum(cents for _rate, cents in self.vat_by_rate)

    @property
    def ready(self) -> bool:
        """Checkout may start: something to buy and no line with a problem."""
        return bool(self.lines) and all(line.problem is None for line in self.lines)


# -- checkout is another module's -------------------------------------------------------------
_checkout: tuple[str, str] | None = None


def register_checkout(module: str, endpoint: str) -> None:
    """Called by the orders module at start-up: the cart page then links to ``endpoint`` while it is enabled."""
    global _checkout
    _checkout = (module, endpoint)


def checkout_endpoint(store) -> str | None:
    if _checkout is None or not is_enabled(store.platform, _checkout[0]):
        return None
    return _checkout[1]


# -- reading the request's input ----------------------------------------------------------------
def parse_quantity(value) -> int:
    text = str(value if value is not None else "").strip()
    if not _WHOLE_NUMBER.fullmatch(text) or not 1 <= int(text) <= MAX_QUANTITY:
        raise CartError(_("Enter a quantity as a whole number from 1 to %(max)s.", max=MAX_QUANTITY), "quantity")
    return int(text)


def parse_variant_id(value) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        raise _not_available()
    return int(text)


def _not_available(variant_id: int | None = None) -> CartError:
    # One message for an unknown id, another store's variant and a product that is not on sale: no hint
    # of what exists elsewhere.
    return CartError(_("This product is not available."), "variant_id", variant_id)


def _label(title: str, values: list[str]) -> str:
    values = [str(value) for value in values if str(value).strip()]
    return f"{title} – {' / '.join(values)}" if values else title


# -- which cart ---------------------------------------------------------------------------------
def _session_token(store) -> str | None:
    tokens = session.get(SESSION_KEY)
    token = tokens.get(str(store.id)) if isinstance(tokens, dict) else None
    return token if isinstance(token, str) and 0 < len(token) <= 64 else None


def _remember_token(store, token: str) -> None:
    tokens = session.get(SESSION_KEY)
    session[SESSION_KEY] = {**(tokens if isinstance(tokens, dict) else {}), str(store.id): token}


def _forget_token(store) -> None:
    tokens = session.get(SESSION_KEY)
    if isinstance(tokens, dict) and str(store.id) in tokens:
        remaining = {key: value for key, value in tokens.items() if key != str(store.id)}
        if remaining:
            session[SESSION_KEY] = remaining
        else:
            session.pop(SESSION_KEY, None)


def _open_cart(store, *, token: str | None = None, customer=None, lock: bool = False) -> Cart | None:
    query = select(Cart).where(Cart.store_id == store.id, Cart.status == CART_OPEN)
    if customer is not None:
        query = query.where(Cart.customer_id == customer.id)
    else:
        query = query.where(Cart.token == token, Cart.customer_id.is_(None))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def _cache() -> dict:
    return g.setdefault(_CACHE, {}) if has_request_context() else {}


def current_cart(store) -> Cart | None:
    """This request's open cart in ``store`` (None until something is added); cached per request."""
    cache = _cache()
    if store.id not in cache:
        cache[store.id] = _find_cart(store)
    return cache[store.id]


def _find_cart(store) -> Cart | None:
    customer = current_customer()
    token = _session_token(store)
    anonymous = _open_cart(store, token=token) if token else None
    if token and anonymous is None:
        _forget_token(store)  # converted into an order, or purged: the next addition starts a new cart
    if customer is None:
        return anonymous
    if anonymous is None:
        return _open_cart(store, customer=customer)
    _forget_token(store)  # the items now belong to the account: signing out starts an empty cart
    return _merge(store, token, customer)


def _merge(store, token: str, customer) -> Cart | None:
    """Move the browser's cart into the customer's: quantities summed, capped at the stock and 99."""
    for _attempt in range(2):
        # Both rows locked: two first requests after sign-in must not both move the same items.
        anonymous = _open_cart(store, token=token, lock=True)
        if anonymous is None:  # merged by a parallel request meanwhile
            break
        own = _open_cart(store, customer=customer, lock=True)
        if own is None:
            anonymous.customer_id = customer.id  # nothing to sum: the cart simply joins the account
            anonymous.updated_at = utcnow()
        else:
            _move_items(store, anonymous, own)
            db.session.delete(anonymous)
        try:
            db.session.commit()
        except IntegrityError:  # the customer's cart was created in parallel: merge into that one
            db.session.rollback()
            continue
        return own or anonymous
    return _open_cart(store, customer=customer)


def _move_items(store, source: Cart, target: Cart) -> None:
    have = {item.variant_id: item for item in target.items}
    levels = stock.available(store, [item.variant_id for item in source.items])
    for item in source.items:
        units = levels.get(item.variant_id)
        limit = MAX_QUANTITY if units is None else min(MAX_QUANTITY, units)
        existing = have.get(item.variant_id)
        current = existing.quantity if existing else 0
        wanted = max(current, min(current + item.quantity, limit))
        if existing is not None:
            existing.quantity = wanted
        elif wanted > 0:
            target.items.append(CartItem(variant_id=item.variant_id, quantity=wanted, added_at=item.added_at))
    target.updated_at = utcnow()


def _cart_for_writing(store) -> Cart | None:
    """The current cart, its row locked so that parallel changes of this cart wait for each other."""
    cart = current_cart(store)
    if cart is None:
        return None
    if db.session.scalar(select(Cart.id).where(Cart.id == cart.id, Cart.status == CART_OPEN).with_for_update()) is None:
        _cache().pop(store.id, None)  # turned into an order meanwhile: changes go to a new cart
        _forget_token(store)
        return None
    return cart


def _new_cart(store) -> Cart:
    customer = current_customer()
    cart = Cart(store_id=store.id, token=secrets.token_urlsafe(32), customer_id=customer.id if customer else None)
    db.session.add(cart)
    return cart


# -- changes ------------------------------------------------------------------------------------
def _sellable(store, variant_id: int) -> tuple[ProductVariant, Product]:
    """A variant of this store whose product is on sale; anything else is 'not available'."""
    row = db.session.execute(
        select(ProductVariant, Product).join(Product, Product.id == ProductVariant.product_id)
        .where(ProductVariant.id == variant_id, ProductVariant.store_id == store.id, Product.store_id == store.id,
               Product.status == ACTIVE)
        .options(selectinload(Product.translations))).first()
    if row is None:
        raise _not_available(variant_id)
    return row[0], row[1]


def _variant_label(store, variant: ProductVariant, product: Product, language: str | None) -> str:
    translation = product.translation(language or store.default_language, store.default_language)
    return _label(translation.title if translation else product.slug, list(variant.options or []))


def _check_quantity(store, variant: ProductVariant, label: str, quantity: int, in_cart: int = 0) -> None:
    if quantity > MAX_QUANTITY:
        raise CartError(_("You can have at most %(max)s of %(item)s in your cart (%(count)s already are).",
                          max=MAX_QUANTITY, item=label, count=in_cart), "quantity", variant.id)
    units = stock.available(store, [variant.id]).get(variant.id)
    if units is None or quantity <= units:
        return
    if units == 0:
        raise CartError(_("Sorry, %(item)s is sold out.", item=label), "quantity", variant.id)
    if in_cart:
        raise CartError(_("Only %(count)s left of %(item)s, and %(in_cart)s are already in your cart.",
                          count=units, item=label, in_cart=in_cart), "quantity", variant.id)
    raise CartError(_("Only %(count)s left of %(item)s.", count=units, item=label), "quantity", variant.id)


class _Conflict(CartError):
    """A parallel request of this shopper created the same cart or line first (a unique constraint)."""


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        _cache().clear()
        raise _Conflict(_("Your cart changed in another window meanwhile. Please try again.")) from exc


@dataclass(frozen=True)
class Added:
    label: str
    quantity: int  # now in the cart


def add(store, variant_id, quantity=1, *, language: str | None = None) -> Added:
    """Add ``quantity`` of a variant; the cart is created now if there was none. All checks come first:
    a refusal writes nothing. A race with a parallel addition (same new cart or line) is retried once."""
    variant_id = parse_variant_id(variant_id)
    quantity = parse_quantity(quantity if quantity not in (None, "") else 1)
    try:
        return _add(store, variant_id, quantity, language)
    except _Conflict:
        return _add(store, variant_id, quantity, language)


def _add(store, variant_id: int, quantity: int, language: str | None) -> Added:
    variant, product = _sellable(store, variant_id)
    label = _variant_label(store, variant, product, language)
    cart = _cart_for_writing(store)
    item = None
    if cart is not None:
        item = db.session.scalar(select(CartItem).where(CartItem.cart_id == cart.id, CartItem.variant_id == variant_id)
                                 .execution_options(populate_existing=True))
    in_cart = item.quantity if item else 0
    _check_quantity(store, variant, label, in_cart + quantity, in_cart)
    created = cart is None
    if created:
        cart = _new_cart(store)
    if item is None:
        item = CartItem(cart=cart, variant_id=variant_id, quantity=quantity)
        db.session.add(item)
    else:
        item.quantity = in_cart + quantity
    cart.updated_at = utcnow()
    _commit()
    if created:
        _cache()[store.id] = cart
        if cart.customer_id is None:
            _remember_token(store, cart.token)
    return Added(label, item.quantity)


def set_quantity(store, variant_id, quantity, *, language: str | None = None) -> CartItem:
    """Change a line's quantity (1 to 99, within the stock); the remove action takes a line out."""
    variant_id = parse_variant_id(variant_id)
    try:
        quantity = parse_quantity(quantity)
        cart = _cart_for_writing(store)
        item = None if cart is None else db.session.scalar(
            select(CartItem).where(CartItem.cart_id == cart.id, CartItem.variant_id == variant_id)
            .execution_options(populate_existing=True))
        if item is None:
            raise CartError(_("This item is no longer in your cart."), "variant_id")
        variant, product = _sellable(store, variant_id)
        _check_quantity(store, variant, _variant_label(store, variant, product, language), quantity)
    except CartError as exc:
        exc.variant_id = variant_id  # shown at its line
        raise
    item.quantity = quantity
    cart.updated_at = utcnow()
    _commit()
    return item


def remove(store, variant_id) -> bool:
    """Take a line out of the cart; False when it was not there (removed in another tab: nothing to do)."""
    variant_id = parse_variant_id(variant_id)
    cart = _cart_for_writing(store)
    if cart is None:
        return False
    removed = db.session.execute(delete(CartItem).where(CartItem.cart_id == cart.id,
                                                        CartItem.variant_id == variant_id)).rowcount
    cart.updated_at = utcnow()
    db.session.commit()
    db.session.expire(cart, ["items"])
    return bool(removed)


def clear(store) -> None:
    cart = _cart_for_writing(store)
    if cart is None:
        return
    db.session.execute(delete(CartItem).where(CartItem.cart_id == cart.id))
    cart.updated_at = utcnow()
    db.session.commit()
    db.session.expire(cart, ["items"])


# -- reading ------------------------------------------------------------------------------------
def count(store) -> int:
    """Units in this request's cart, for the header badge: one query (none for a browser without a cart)."""
    cache = _cache()
    token = _session_token(store)
    if store.id not in cache and token is not None and current_customer() is not None:
        current_cart(store)  # a merge is due: the full lookup does it
    if store.id in cache:
        if cache[store.id] is None:
            return 0
        condition = Cart.id == cache[store.id].id
    elif (customer := current_customer()) is not None:
        condition = Cart.customer_id == customer.id
    elif token is not None:
        condition = (Cart.token == token) & Cart.customer_id.is_(None)
    else:
        return 0
    return db.session.scalar(
        select(func.coalesce(func.sum(CartItem.quantity), 0)).join(Cart, Cart.id == CartItem.cart_id)
        .where(condition, Cart.store_id == store.id, Cart.status == CART_OPEN)) or 0


def lines(store, cart: Cart | None, language: str, *, now: datetime | None = None) -> CartSummary:
    """The cart's priced lines, in the order they were added, with a fixed number of queries whatever
    their number: the lines with their variants and products, the titles, the images and their files,
    and the stock."""
    currency = store.currency or "EUR"
    if cart is None:
        return CartSummary(currency=currency)
    now = now or utcnow()
    rows = db.session.execute(
        select(CartItem, ProductVariant, Product)
        .join(ProductVariant, ProductVariant.id == CartItem.variant_id)
        .join(Product, Product.id == ProductVariant.product_id)
        .where(CartItem.cart_id == cart.id, ProductVariant.store_id == store.id)
        .order_by(CartItem.added_at, CartItem.id)
        .options(selectinload(Product.translations), selectinload(Product.images))).all()
    if not rows:
        return CartSummary(currency=currency)
    first_images = {product.id: product.images[0].media_id for _item, _variant, product in rows if product.images}
    image_urls = media.urls_of(store, first_images.values(), thumbnail=True) if first_images else {}
    levels = stock.available(store, [variant.id for _item, variant, _product in rows])
    result = []
    for item, variant, product in rows:
        translation = product.translation(language, store.default_language)
        options = list(zip(product.option_names or [], variant.options or [], strict=False))
        sellable = product.status == ACTIVE
        units = levels.get(variant.id)
        if not sellable:
            problem = _("No longer available: please remove it.")
        elif units is not None and item.quantity > units:
            problem = _("Sold out.") if units == 0 else _("Only %(count)s left.", count=units)
        else:
            problem = None
        unit = variant.price_at(now)
        result.append(CartLine(
            variant_id=variant.id, product_id=product.id, title=translation.title if translation else product.slug,
            options=options, image_url=image_urls.get(first_images.get(product.id)), quantity=item.quantity,
            unit_cents=unit, regular_cents=variant.price_cents, vat_class=product.vat_class,
            total_cents=unit * item.quantity, sellable=sellable, units_available=units, problem=problem))
    return CartSummary(result, currency)


# -- housekeeping ----------------------------------------------------------------------------------
ABANDONED_AFTER = timedelta(days=30)


def purge_abandoned(now: datetime | None = None, batch: int = 1_000) -> int:
    """Delete anonymous carts nobody touched for ``ABANDONED_AFTER`` (every add-to-cart without a cookie
    makes one); a signed-in shopper's cart stays with the account. Returns how many went."""
    cutoff = (now or utcnow()) - ABANDONED_AFTER
    purged = 0
    stale = (Cart.customer_id.is_(None), Cart.status == CART_OPEN, Cart.updated_at < cutoff)
    while True:
        ids = list(db.session.scalars(select(Cart.id).where(*stale).order_by(Cart.id).limit(batch)))
        if not ids:
            return purged
        # Both deletes ask again whether the cart is stale: a shopper may have come back meanwhile.
        still_stale = select(Cart.id).where(Cart.id.in_(ids), *stale)
        db.session.execute(delete(CartItem).where(CartItem.cart_id.in_(still_stale)))
        purged += db.session.execute(delete(Cart).where(Cart.id.in_(ids), *stale)).rowcount or 0
        db.session.commit()
