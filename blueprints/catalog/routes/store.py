"""Store admin: the product list (search, filters, bulk status), the product editor and the category tree.

Every object in a URL is looked up through the catalog service scoped to the store: another store's is a 404.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.catalog import services
from blueprints.catalog.forms import (
    apply_error,
    category_data,
    category_form,
    fill,
    fill_category,
    product_data,
    product_form,
)
from blueprints.catalog.models import STATUSES, VAT_RATES
from blueprints.catalog.pricing import InvalidValue, format_money, parse_price, vat_included
from blueprints.catalog.services import CatalogError, NotFound
from webapp import htmx
from webapp.i18n import LANGUAGES, store_languages
from webapp.security import can
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("catalog_store", __name__, "catalog")
ID = "int(max=2147483647)"


def _actor():
    return current_user._get_current_object()


def _product(store, product_id: int):
    try:
        return services.get_product(store, product_id)
    except NotFound:
        abort(404)


def _category(store, category_id: int):
    try:
        return services.get_category(store, category_id)
    except NotFound:
        abort(404)


# -- the product list ---------------------------------------------------------------------------
@bp.get("/")
@store_page("catalog.view")
def index(store):
    category = request.args.get("category", "")
    filters = {"q": request.args.get("q", "").strip()[:100], "status": request.args.get("status", ""),
               "category": category if category.isdigit() and len(category) < 10 else "",
               "sort": request.args.get("sort", "updated"), "dir": request.args.get("dir", "")}
    if filters["status"] not in ("", *STATUSES):
        filters["status"] = ""
    if filters["sort"] not in services.SORTS:
        filters["sort"] = "updated"
    if filters["dir"] not in ("asc", "desc"):
        filters["dir"] = "desc" if filters["sort"] == "updated" else "asc"
    result = services.list_products(store, filters["q"], filters["status"],
                                     int(filters["category"]) if filters["category"] else None,
                                     filters["sort"], request.args.get("page", 1, type=int), filters["dir"])
    active = {key: value for key, value in filters.items() if value and key not in ("sort", "dir")}
    language = store_languages(store)[0]
    return htmx.render("catalog/products/index.html", "product_table", store=store, result=result, filters=filters,
                       filtered=any(filters[key] for key in ("q", "status", "category")),
                       list_url=url_for(".index", **active), list_url_sorted=url_for(
                           ".index", **active, sort=filters["sort"], dir=filters["dir"]),
                       categories=services.category_tree(store), language=language,
                       money=lambda cents: format_money(cents, language=language),
                       may_publish=can(current_user, "catalog.publish", store),
                       may_edit=can(current_user, "catalog.edit", store))


@bp.post("/bulk")
@store_page("catalog.publish")
def bulk(store):
    action = request.form.get("action", "")
    status = {"publish": "active", "archive": "archived", "draft": "draft"}.get(action)
    if status is None:
        abort(400)
    changed = services.set_status(store, request.form.getlist("product_ids"), status, _actor())
    flash({"active": _("%(count)s product(s) published.", count=changed),
           "archived": _("%(count)s product(s) archived.", count=changed),
           "draft": _("%(count)s product(s) set to draft.", count=changed)}[status], "success")
    return htmx.redirect(_back_to_list())


def _back_to_list() -> str:
    """The list as the merchant left it (its search, filters and page), never another site's address."""
    referrer = urlsplit(request.referrer or "")
    if referrer.path == url_for(".index") and referrer.netloc in ("", request.host):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for(".index")


# -- one product ------------------------------------------------------------------------------
def _editor(store, form, product=None, *, error=None, status=200):
    languages = store_languages(store)
    language = languages[0]
    vat_class = form.vat_class.data if form.vat_class.data in VAT_RATES else "standard"
    return htmx.render("catalog/products/edit.html", "editor" if request.method == "POST" else None,
                       status=status, store=store, form=form, product=product, error=error, languages=languages,
                       language_names=LANGUAGES, vat_class=vat_class, vat_rate=VAT_RATES[vat_class],
                       money=lambda cents: format_money(cents, language=language), vat_included=vat_included,
                       parse_cents=_cents_or_none,
                       save_url=url_for(".edit", product_id=product.id) if product else url_for(".new"),
                       may_edit=can(current_user, "catalog.edit", store))


def _cents_or_none(text):
    try:
        return parse_price(text)
    except InvalidValue:
        return None


def _rows_changed(form) -> bool:
    """Handle the server-side row buttons; True when the form is only re-rendered, not saved."""
    if "add_variant" in request.form:
        form.variants.append_entry()
        return True
    removed = request.form.get("remove_variant")
    if removed is not None:
        form.variants.entries = [entry for entry in form.variants.entries if entry.name != removed]
        return True
    return False


def _save(store, form, product=None):
    if _rows_changed(form):
        return _editor(store, form, product)
    if not form.validate():
        return _editor(store, form, product, status=422)
    if (form.status.data != (product.status if product else "draft")
            and not can(current_user, "catalog.publish", store)):
        form.status.errors = [*form.status.errors, _("Publishing and archiving is for those who may publish.")]
        return _editor(store, form, product, status=422)
    try:
        if product is None:
            product = services.create_product(store, product_data(form), _actor())
            flash(_("The product is created."), "success")
        else:
            services.update_product(store, product, product_data(form), _actor())
            flash(_("The product is saved."), "success")
    except CatalogError as exc:
        return _editor(store, form, product, error=apply_error(form, exc), status=422)
    return htmx.redirect(url_for(".edit", product_id=product.id))


@bp.route("/new", methods=["GET", "POST"])
@store_page("catalog.edit")
def new(store):
    form = product_form(store_languages(store), services.category_tree(store))
    if request.method == "GET":
        form.vat_class.data = "standard"
        return _editor(store, form)
    return _save(store, form)


@bp.route(f"/<{ID}:product_id>", methods=["GET", "POST"])
@store_page("catalog.view")
def edit(store, product_id: int):
    product = _product(store, product_id)
    form = product_form(store_languages(store), services.category_tree(store),
                        formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        fill(form, product)
        return _editor(store, form, product)
    if not can(current_user, "catalog.edit", store):  # viewers may open the editor, not save
        abort(403)
    return _save(store, form, product)


# -- categories ---------------------------------------------------------------------------------
def _categories_page(store, form, category=None, *, error=None, status=200):
    return htmx.render("catalog/categories/index.html", "category_form" if status == 422 else None, status=status,
                       store=store, form=form, category=category, error=error, tree=services.category_tree(store),
                       language=store_languages(store)[0], may_edit=can(current_user, "catalog.edit", store),
                       save_url=url_for(".category", category_id=category.id) if category
                       else url_for(".category_new"))


@bp.get("/categories")
@store_page("catalog.view")
def categories(store):
    form = category_form(store_languages(store), services.category_tree(store), formdata=None)
    return _categories_page(store, form)


def _save_category(store, category=None):
    tree = services.category_tree(store)
    form = category_form(store_languages(store), tree)
    if not form.validate():
        return _categories_page(store, form, category, status=422)
    try:
        services.save_category(store, category_data(form), _actor(), category)
    except CatalogError as exc:
        return _categories_page(store, form, category, error=apply_error(form, exc), status=422)
    flash(_("The category is saved."), "success")
    return htmx.redirect(url_for(".categories"))


@bp.post("/categories/new")
@store_page("catalog.edit")
def category_new(store):
    return _save_category(store)


@bp.route(f"/categories/<{ID}:category_id>", methods=["GET", "POST"])
@store_page("catalog.view")
def category(store, category_id: int):
    category = _category(store, category_id)
    if request.method == "POST":
        if not can(current_user, "catalog.edit", store):
            abort(403)
        return _save_category(store, category)
    tree = services.category_tree(store)
    form = category_form(store_languages(store), tree, formdata=None)
    fill_category(form, category)
    return _categories_page(store, form, category)


@bp.post(f"/categories/<{ID}:category_id>/move")
@store_page("catalog.edit")
def category_move(store, category_id: int):
    _category(store, category_id)
    try:
        services.move_category(store, category_id, request.form.get("direction", ""), _actor())
    except CatalogError as exc:
        abort(400, str(exc))
    return htmx.redirect(url_for(".categories"))


@bp.post(f"/categories/<{ID}:category_id>/delete")
@store_page("catalog.edit")
def category_delete(store, category_id: int):
    _category(store, category_id)
    try:
        services.delete_category(store, category_id, _actor())
    except CatalogError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("The category is deleted."), "success")
    return htmx.redirect(url_for(".categories"))
