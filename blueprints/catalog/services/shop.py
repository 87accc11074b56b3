"""What shoppers see of the catalog: product cards (all products, a category, search results), one product
with its variants, and the category tree. Read only.

Only the store's active products are shown, and every page costs the same number of queries whatever the
size of the catalog or of the page: one count, one page of products, then their texts, variants and images
by the page's product ids. Search is PostgreSQL full-text search (the GIN index of migration catalog_005);
SQLite, the embedded quick-start database, falls back to LIKE over titles and SKUs.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import and_, case, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased, selectinload

from blueprints.catalog.models import ACTIVE, Category, Product, ProductTranslation, ProductVariant, product_categories
from blueprints.catalog.pricing import InvalidValue, parse_price
from blueprints.catalog.services import stock
from blueprints.catalog.services.products import NotFound, category_tree
from blueprints.cms.services import media
from webapp import pagination
from webapp.extensions import db
from webapp.i18n import store_languages
from webapp.models import utcnow
from webapp.modules import module_states

SORTS = ("relevance", "newest", "price_asc", "price_desc", "title")
MAX_QUERY, MAX_TERMS, MAX_PAGE = 100, 8, 10_000
SITEMAP_PRODUCTS = 50_000  # one sitemap file's limit: the sitemap cuts again per language
LOW_STOCK = 5  # "Only n left" from this many units down
# Words of a search: letters and digits only, so no shopper input can break a tsquery.
TERM = re.compile(r"[^\W_]+", re.UNICODE)
SIMPLE = literal_column("'simple'::regconfig")


def search_vector(translation=ProductTranslation):
    """The text searched: what the GIN index of catalog_005 is built on (the same expression, or the
    index is not used)."""
    return func.to_tsvector(SIMPLE, translation.title + literal_column("' '") + translation.description)


# -- the category tree -------------------------------------------------------------------------
def categories(store) -> list[tuple[Category, int]]:
    """The store's categories in tree order with their depth; read once per request (the header shows
    them too)."""
    cache = g.setdefault("catalog_shop_categories", {}) if has_request_context() else {}
    if store.id not in cache:
        cache[store.id] = category_tree(store)
    return cache[store.id]


def top_categories(store) -> list[Category]:
    return [category for category, depth in categories(store) if depth == 0]


def get_category(store, slug: str) -> Category:
    found = next((category for category, _depth in categories(store) if category.slug == slug), None)
    if found is None:
        raise NotFound(slug)
    return found


def subcategories(store, category: Category) -> list[Category]:
    return [child for child, _depth in categories(store) if child.parent_id == category.id]


def branch_ids(store, category: Category) -> list[int]:
    """The category and every category below it."""
    ids, frontier = [category.id], {category.id}
    while frontier:
        frontier = {child.id for child, _depth in categories(store) if child.parent_id in frontier}
        ids += sorted(frontier)
    return ids


def trail(store, category: Category) -> list[Category]:
    """From the top-level category down to ``category`` (for breadcrumbs)."""
    by_id = {item.id: item for item, _depth in categories(store)}
    path, current = [], category
    while current is not None and len(path) < len(by_id) + 1:
        path.insert(0, current)
        current = by_id.get(current.parent_id)
    return path


def sitemap_entries(store) -> list[tuple[str, dict, datetime | None]]:
    """The shop index, the categories and the active products, for the store's sitemap (one query beyond
    the category tree, however many products: slugs and dates only)."""
    entries = [("catalog_storefront.index", {}, None)]
    entries += [("catalog_storefront.category", {"category_slug": category.slug}, None)
                for category, _depth in categories(store)]
    entries += [("catalog_storefront.product", {"product_slug": slug}, updated) for slug, updated in db.session.execute(
        select(Product.slug, Product.updated_at).where(Product.store_id == store.id, Product.status == ACTIVE)
        .order_by(Product.id).limit(SITEMAP_PRODUCTS))]
    return entries


# -- filters -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """What the shopper asked for, from the query string. ``ignored`` names the parameters whose values
    made no sense (``min``, ``max``, ``category``): the page says so and shows results without them."""

    q: str = ""
    category: str = ""
    min_price: int | None = None
    max_price: int | None = None
    min_text: str = ""
    max_text: str = ""
    in_stock: bool = False
    sort: str = "newest"
    page: int = 1
    ignored: tuple[str, ...] = ()
    searching: bool = False

    @property
    def narrowed(self) -> bool:
        """True when something beyond the search words limits the results."""
        return bool(self.category or self.min_price is not None or self.max_price is not None or self.in_stock)

    def args(self) -> dict[str, str]:
        """These filters as query parameters (defaults left out), for links that keep them."""
        values = {"q": self.q, "category": self.category,
                  "min": self.min_text if self.min_price is not None else "",
                  "max": self.max_text if self.max_price is not None else "",
                  "in_stock": "1" if self.in_stock else "",
                  "sort": self.sort if self.sort != default_sort(self.searching) else ""}
        return {key: value for key, value in values.items() if value}


def default_sort(searching: bool) -> str:
    """Search results come best match first (newest first until words are typed), lists newest first."""
    return "relevance" if searching else "newest"


def _price(text: str) -> tuple[int | None, bool]:
    """(cents, valid) of a price typed in a filter: ``12``, ``12,50``, ``€ 12.50``."""
    try:
        return parse_price(text), True
    except (InvalidValue, ArithmeticError):  # ArithmeticError: an exponent too large to round (``1e999``)
        return None, False


def parse_filters(args: Mapping, *, searching: bool = False, category_slugs: set[str] | None = None) -> Filters:
    """Filters from a query string. Nothing here raises: a bad value is left out and named in ``ignored``."""
    ignored = []
    q = " ".join(str(args.get("q", "") if searching else "").split())[:MAX_QUERY]
    category = str(args.get("category", "")).strip() if category_slugs is not None else ""
    if category and category not in category_slugs:
        ignored.append("category")
        category = ""
    min_text, max_text = str(args.get("min", "")).strip()[:20], str(args.get("max", "")).strip()[:20]
    min_price, valid = _price(min_text)
    if not valid:
        ignored.append("min")
    max_price, valid = _price(max_text)
    if not valid:
        ignored.append("max")
    if min_price is not None and max_price is not None and min_price > max_price:
        min_price, max_price, min_text, max_text = max_price, min_price, max_text, min_text
    sort = str(args.get("sort", "")) or default_sort(searching)
    if sort not in SORTS or (sort == "relevance" and not searching):
        sort = default_sort(searching)
    page = str(args.get("page", "1"))
    page = int(page) if page.isdigit() and 0 < len(page) < 6 else 1
    return Filters(q=q, category=category, min_price=min_price, max_price=max_price, min_text=min_text,
                   max_text=max_text, in_stock=str(args.get("in_stock", "")) in ("1", "on", "true"),
                   sort=sort, page=min(max(page, 1), MAX_PAGE), ignored=tuple(ignored), searching=searching)


# -- product cards ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """One product of a grid: its lowest price now (``varies``: variants cost different amounts), the
    regular price struck through when that lowest price is a sale price, and whether all is sold out."""

    product: Product
    title: str
    image_url: str | None
    price: int | None
    compare_at: int | None
    varies: bool
    on_sale: bool
    sold_out: bool


@dataclass(frozen=True)
class Results:
    cards: list[Card]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Settings:
    products_per_page: int
    show_out_of_stock: bool


def settings(store) -> Settings:
    """The catalog module's configuration on the store's platform (read with the module states, cached)."""
    config = module_states(store.platform)["catalog"].config
    return Settings(int(config["products_per_page"]), bool(config["show_out_of_stock"]))


def _price_now(now: datetime, variant=ProductVariant):
    """A variant's price at ``now`` in SQL, as ``ProductVariant.price_at`` computes it."""
    on_sale = and_(variant.sale_price_cents.is_not(None),
                   or_(variant.sale_starts_at.is_(None), variant.sale_starts_at <= now),
                   or_(variant.sale_ends_at.is_(None), variant.sale_ends_at > now))
    return case((on_sale, variant.sale_price_cents), else_=variant.price_cents)


def _terms(q: str) -> list[str]:
    return TERM.findall(q.lower())[:MAX_TERMS]


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


class _Scope:
    """The products a listing shows, applicable to any select over Product: the store's active products,
    narrowed by category, search words, price and stock. ``rank`` is the search relevance (PostgreSQL).

    Its EXISTS subqueries read their own alias of the variants, so they stay correlated to the product
    alone when the outer query reads variants too (the stock filter's does).
    """

    def __init__(self, store, filters: Filters, within: list[int] | None, now: datetime):
        self.conditions = [Product.store_id == store.id, Product.status == ACTIVE]
        self.matches = None
        self.rank = None
        if within is not None:
            self.conditions.append(Product.id.in_(select(product_categories.c.product_id)
                                                  .where(product_categories.c.category_id.in_(within))))
        if filters.q:
            self._search(filters.q)
        if filters.min_price is not None or filters.max_price is not None:
            variant = aliased(ProductVariant)
            price = _price_now(now, variant)
            bounds = [variant.product_id == Product.id]
            if filters.min_price is not None:
                bounds.append(price >= filters.min_price)
            if filters.max_price is not None:
                bounds.append(price <= filters.max_price)
            self.conditions.append(exists().where(*bounds))

    def _search(self, q: str) -> None:
        terms = _terms(q)
        if not terms:  # only punctuation: nothing can match it
            self.conditions.append(Product.id.is_(None))
        elif _is_postgresql():
            query = func.to_tsquery(SIMPLE, " & ".join(f"{term}:*" for term in terms))
            vector = search_vector()
            self.matches = (select(ProductTranslation.product_id,
                                   func.max(func.ts_rank(vector, query)).label("rank"))
                            .where(vector.op("@@")(query)).group_by(ProductTranslation.product_id)
                            .subquery("matches"))
            self.rank = self.matches.c.rank
        else:
            variant = aliased(ProductVariant)
            for term in terms:  # every word, in a title or a SKU
                self.conditions.append(or_(
                    exists().where(ProductTranslation.product_id == Product.id,
                                   func.lower(ProductTranslation.title).contains(term, autoescape=True)),
                    exists().where(variant.product_id == Product.id,
                                   func.lower(variant.sku).contains(term, autoescape=True))))

    def apply(self, query):
        if self.matches is not None:
            query = query.join(self.matches, self.matches.c.product_id == Product.id)
        return query.where(*self.conditions)


def _in_stock(store):
    """SQL condition on Product: something of it can be sold (digital and service products always can)."""
    variant = aliased(ProductVariant)
    return or_(Product.product_type != "physical",
               exists().where(variant.product_id == Product.id, stock.sellable(store, variant.id)))


def _order(store, query, filters: Filters, scope: _Scope, language: str, now: datetime):
    if filters.sort == "relevance" and scope.rank is not None:
        return query.order_by(scope.rank.desc(), Product.created_at.desc(), Product.id.desc())
    if filters.sort in ("price_asc", "price_desc"):
        # Correlated to the products that match, by the variants' product_id index: a search or a category
        # reads the variants of its own results, not every variant of the store.
        variant = aliased(ProductVariant)
        price = (select(func.min(_price_now(now, variant))).where(variant.product_id == Product.id)
                 .correlate(Product).scalar_subquery())
        key = price.asc() if filters.sort == "price_asc" else price.desc()
        return query.order_by(key.nulls_last(), Product.id.asc())
    if filters.sort == "title":
        wanted, fallback = aliased(ProductTranslation), aliased(ProductTranslation)
        default = store_languages(store)[0]
        title = func.lower(func.coalesce(wanted.title, fallback.title, Product.slug))
        return (query.outerjoin(wanted, and_(wanted.product_id == Product.id, wanted.language == language))
                .outerjoin(fallback, and_(fallback.product_id == Product.id, fallback.language == default))
                .order_by(title.asc(), Product.id.asc()))
    return query.order_by(Product.created_at.desc(), Product.id.desc())


def browse(store, filters: Filters, language: str, *, per_page: int, within: list[int] | None = None,
           hide_sold_out: bool = False, now: datetime | None = None) -> Results:
    """One page of product cards: the store's active products (of the categories ``within``) that match."""
    now = now or utcnow()
    scope = _Scope(store, filters, within, now)
    if (filters.in_stock or hide_sold_out) and stock.tracks_stock(store):
        scope.conditions.append(_in_stock(store))
    total = db.session.scalar(select(func.count()).select_from(scope.apply(select(Product.id)).subquery()))
    page, pages = pagination.clamp(filters.page, total, per_page)
    query = _order(store, scope.apply(select(Product)), filters, scope, language, now)
    products = db.session.scalars(query.options(
        selectinload(Product.translations).defer(ProductTranslation.description),  # cards show titles only
        selectinload(Product.variants), selectinload(Product.images))
        .limit(per_page).offset((page - 1) * per_page)).all()
    return Results(cards(store, products, language, now), total, page, pages)


def cards(store, products: list[Product], language: str, now: datetime) -> list[Card]:
    """Cards of loaded products: one query for their images, one per stock source for their variants."""
    default = store_languages(store)[0]
    first_images = {product.id: product.images[0].media_id for product in products if product.images}
    urls = media.urls_of(store, first_images.values(), thumbnail=True) if first_images else {}
    levels = stock.available(store, [variant.id for product in products if product.is_stocked
                                     for variant in product.variants])
    result = []
    for product in products:
        translation = product.translation(language, default)
        variants = product.variants
        cheapest = min(variants, key=lambda variant: (variant.price_at(now), variant.position)) if variants else None
        prices = {variant.price_at(now) for variant in variants}
        price = cheapest.price_at(now) if cheapest else None
        sold_out = product.is_stocked and bool(variants) and all(levels.get(v.id) == 0 for v in variants)
        result.append(Card(
            product=product, title=translation.title if translation else product.slug,
            image_url=urls.get(first_images.get(product.id)), price=price,
            compare_at=cheapest.price_cents if cheapest and price < cheapest.price_cents else None,
            varies=len(prices) > 1, on_sale=any(v.price_at(now) < v.price_cents for v in variants),
            sold_out=sold_out))
    return result


# -- one product -----------------------------------------------------------------------------
@dataclass(frozen=True)
class OptionValue:
    value: str
    selected: bool
    state: str  # "available" | "sold_out" | "unavailable" (no variant with the other options chosen)


@dataclass(frozen=True)
class OptionPicker:
    index: int
    name: str
    values: list[OptionValue]


@dataclass(frozen=True)
class Availability:
    """``state``: "unlimited" (not counted, or digital/service), "in_stock", "low" (``units`` left), "sold_out"."""

    state: str
    units: int | None

    @property
    def can_buy(self) -> bool:
        return self.state != "sold_out"


def get_product(store, slug: str) -> Product:
    """An active product of the store with its texts, variants, images and categories (four queries)."""
    product = db.session.scalar(
        select(Product).where(Product.store_id == store.id, Product.slug == str(slug)[:120], Product.status == ACTIVE)
        .options(selectinload(Product.translations), selectinload(Product.variants), selectinload(Product.images),
                 selectinload(Product.categories)))
    if product is None or not product.variants:  # without a variant there is nothing to sell
        raise NotFound(slug)
    return product


def _key(options) -> tuple[str, ...]:
    return tuple(str(option).strip().lower() for option in options or [])


def choose_variant(product: Product, variant_id=None, options: list[str] | None = None) -> ProductVariant:
    """The variant a shopper looks at: by id (another product's id, or none, gives the first variant), or
    by the options they picked. When no variant has that combination, the option they changed wins: the
    best match among the variants that have it."""
    variants = product.variants
    current = next((v for v in variants if str(v.id) == str(variant_id or "")), variants[0])
    if options is None or len(options) != len(product.option_names):
        return current
    wanted = _key(options)
    exact = next((variant for variant in variants if _key(variant.options) == wanted), None)
    if exact is not None:
        return exact
    had = _key(current.options)
    changed = [index for index, value in enumerate(wanted) if index >= len(had) or had[index] != value]

    def score(variant):
        values = _key(variant.options)
        matches = [index < len(values) and values[index] == value for index, value in enumerate(wanted)]
        return (sum(matches[index] for index in changed), sum(matches), -variant.position)

    return max(variants, key=score)


def stock_levels(store, product: Product) -> dict[int, int | None]:
    """Units to sell per variant; None means unlimited (digital and services are never counted)."""
    if not product.is_stocked:
        return dict.fromkeys((variant.id for variant in product.variants), None)
    return stock.available(store, [variant.id for variant in product.variants])


def availability(product: Product, units: int | None) -> Availability:
    if not product.is_stocked or units is None:
        return Availability("unlimited", None)
    if units <= 0:
        return Availability("sold_out", 0)
    return Availability("low" if units <= LOW_STOCK else "in_stock", units)


def option_pickers(product: Product, chosen: ProductVariant, levels: dict[int, int | None]) -> list[OptionPicker]:
    """One picker per option name, its values in the variants' order; each value says whether the variant
    it leads to (the other options kept) exists and can be bought."""
    by_key = {_key(variant.options): variant for variant in product.variants}
    pickers = []
    for index, name in enumerate(product.option_names):
        seen, values = set(), []
        for variant in product.variants:
            value = variant.options[index] if index < len(variant.options) else ""
            if value.lower() in seen:
                continue
            seen.add(value.lower())
            target = by_key.get(_key([*chosen.options[:index], value, *chosen.options[index + 1:]]))
            state = ("unavailable" if target is None
                     else "sold_out" if product.is_stocked and levels.get(target.id) == 0 else "available")
            values.append(OptionValue(value, _key([value]) == _key(chosen.options[index:index + 1]), state))
        pickers.append(OptionPicker(index, name, values))
    return pickers


def image_urls(store, product: Product) -> list[tuple[str, str]]:
    """(full size, thumbnail) of the product's images in their order, from one query."""
    ids = [image.media_id for image in product.images]
    full = media.urls_of(store, ids) if ids else {}
    thumbnails = media.urls_of(store, ids, thumbnail=True) if ids else {}  # the per-request cache answers
    return [(full[media_id], thumbnails[media_id]) for media_id in ids if media_id in full]
