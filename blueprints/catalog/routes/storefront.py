"""Storefront shopping pages: product list, categories, search and the product page.

Filters and the chosen variant travel in the query string (GET forms with hx-push-url), so reload, Back and a
shared link show the same thing. htmx asks for the ``results`` or ``buybox`` block; without JavaScript the
same forms load the whole page.
"""
from __future__ import annotations

from urllib.parse import urljoin

from flask import abort, request, url_for
from flask_babel import gettext as _

from blueprints.catalog.pricing import format_money, vat_included
from blueprints.catalog.services import NotFound, shop
from blueprints.cms.services import contributions, markdown
from webapp import htmx
from webapp.i18n import current_language, store_languages
from webapp.models import utcnow
from webapp.tenancy import current_store, storefront_blueprint

bp = storefront_blueprint("catalog_storefront", __name__)
HEADER_CATEGORIES = 6  # top-level categories linked from the storefront header


def _money(store, language: str):
    return lambda cents: format_money(cents, store.currency or "EUR", language)


def _category_name(store, language: str):
    default = store_languages(store)[0]
    return lambda category: category.name_in(language, default)


# -- lists ---------------------------------------------------------------------------------------
@bp.get("/products")
def index():
    return _listing(".index")


@bp.get("/c/<category_slug>")
def category(category_slug: str):
    try:
        chosen = shop.get_category(current_store(), category_slug)
    except NotFound:
        abort(404)
    return _listing(".category", chosen, category_slug=category_slug)


@bp.get("/search")
def search():
    return _listing(".search", searching=True)


def _listing(endpoint: str, category=None, *, searching: bool = False, **view_args):
    store, language = current_store(), current_language()
    tree = shop.categories(store)
    filters = shop.parse_filters(request.args, searching=searching,
                                 category_slugs={item.slug for item, _depth in tree} if searching else None)
    if searching and filters.category:
        category = shop.get_category(store, filters.category)
    config = shop.settings(store)
    results = shop.browse(store, filters, language, per_page=config.products_per_page,
                          within=shop.branch_ids(store, category) if category else None,
                          hide_sold_out=not config.show_out_of_stock)
    form_url = url_for(endpoint, **view_args)
    name = _category_name(store, language)
    if searching:
        heading = _("Results for “%(q)s”", q=filters.q) if filters.q else _("Search")
        crumbs = [(_("Shop"), url_for(".index")), (_("Search"), None)]
    elif category is not None:
        heading = name(category)
        crumbs = [(_("Shop"), url_for(".index")), *_category_crumbs(store, category, name)]
    else:
        heading, crumbs = _("All products"), []
    return htmx.render(
        "catalog/shop/list.html", "results", store=store, filters=filters, results=results, searching=searching,
        category=category, heading=heading, crumbs=crumbs,
        subcategories=shop.subcategories(store, category) if category else
        ([] if searching else shop.top_categories(store)),
        tree=tree, sorts=[sort for sort in shop.SORTS if sort != "relevance" or searching],
        form_url=form_url, list_url=url_for(endpoint, **view_args, **filters.args()),
        money=_money(store, language), category_name=_category_name(store, language))


def _category_crumbs(store, category, name) -> list[tuple[str, str]]:
    return [(name(item), url_for(".category", category_slug=item.slug)) for item in shop.trail(store, category)]


# -- one product -----------------------------------------------------------------------------------
def _chosen_options(product) -> list[str] | None:
    if not product.option_names:
        return None
    values = [request.args.get(f"option-{index}") for index in range(len(product.option_names))]
    return None if any(value is None for value in values) else values


@bp.get("/p/<product_slug>")
def product(product_slug: str):
    store, language = current_store(), current_language()
    try:
        found = shop.get_product(store, product_slug)
    except NotFound:
        abort(404)
    variant = shop.choose_variant(found, request.args.get("variant"), _chosen_options(found))
    levels = shop.stock_levels(store, found)
    translation = found.translation(language, store_languages(store)[0])
    title = translation.title if translation else found.slug
    description = translation.description if translation else ""
    images = shop.image_urls(store, found)
    price = variant.price_at(utcnow())
    category = found.categories[0] if found.categories else None  # the breadcrumb's way back
    name = _category_name(store, language)
    crumbs = [(_("Shop"), url_for(".index")), *(_category_crumbs(store, category, name) if category else []),
              (title, None)]
    # htmx swaps the buy box and puts the chosen variant in the address bar (reload and Back show it again);
    # a page opened from a link keeps the address it was opened with.
    return htmx.render(
        "catalog/shop/product.html", "buybox",
        push_url=url_for(".product", product_slug=found.slug, variant=variant.id) if htmx.wants_fragment() else None,
        store=store, product=found, title=title, variant=variant, price=price,
        vat=vat_included(price, found.vat_class), stock=shop.availability(found, levels.get(variant.id)),
        pickers=shop.option_pickers(found, variant, levels), images=images, crumbs=crumbs,
        description_html=markdown.render(description), meta_description=markdown.plain_text(description) or title,
        product_url=url_for(".product", product_slug=found.slug),
        canonical_url=url_for(".product", product_slug=found.slug, _external=True),
        cart_url=url_for("catalog_cart.add"), json_ld=_json_ld(store, found, title, description, images, levels),
        money=_money(store, language), category_name=name)


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _json_ld(store, product, title: str, description: str, images, levels) -> dict:
    """schema.org Product with one Offer per variant, for search engines."""
    now = utcnow()
    offers = []
    for variant in product.variants:
        sold_out = product.is_stocked and levels.get(variant.id) == 0
        offer = {"@type": "Offer", "sku": variant.sku, "price": _amount(variant.price_at(now)),
                 "priceCurrency": store.currency or "EUR",
                 "availability": f"https://schema.org/{'OutOfStock' if sold_out else 'InStock'}",
                 "url": url_for(".product", product_slug=product.slug, variant=variant.id, _external=True)}
        if variant.gtin:
            offer["gtin"] = variant.gtin
        offers.append(offer)
    data = {"@context": "https://schema.org", "@type": "Product", "name": title,
            "description": markdown.plain_text(description, 5000), "sku": product.variants[0].sku,
            "image": [urljoin(request.host_url, full) for full, _thumbnail in images],
            "brand": {"@type": "Brand", "name": store.name}, "offers": offers}
    return {key: value for key, value in data.items() if value}


# -- the storefront header: the top-level categories, while the catalog is enabled ---------------------
def _header_categories(store, language: str) -> list[tuple[str, str]]:
    name = _category_name(store, language)
    return [(name(category), url_for("catalog_storefront.category", category_slug=category.slug))
            for category in shop.top_categories(store)[:HEADER_CATEGORIES]]


contributions.register_header_links("catalog", _header_categories)
contributions.register_sitemap_entries("catalog", shop.sitemap_entries)
