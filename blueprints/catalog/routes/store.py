"""Store admin: the product list (search, filters, bulk status), the product editor (images, tags, the
variant generator), the category tree, and CSV import and export.

Every object in a URL is looked up through the catalog service scoped to the store: another store's is a 404.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.catalog import services
from blueprints.catalog.forms import (
    ImportForm,
    add_image,
    apply_error,
    category_data,
    category_form,
    fill,
    fill_category,
    move_image,
    price_text,
    product_data,
    product_form,
    set_variant_rows,
    variant_rows,
)
from blueprints.catalog.models import STATUSES, VAT_RATES
from blueprints.catalog.pricing import InvalidValue, format_money, parse_price, vat_included
from blueprints.catalog.services import CatalogError, NotFound, csv_io
from webapp import htmx
from webapp.i18n import LANGUAGES, store_languages
from webapp.models import utcnow
from webapp.security import can, current_actor
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("catalog_store", __name__, "catalog")



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
               "tag": services.normalise_tag(request.args.get("tag", ""))[:services.MAX_TAG],
               "sort": request.args.get("sort", "updated"), "dir": request.args.get("dir", "")}
    if filters["status"] not in ("", *STATUSES):
        filters["status"] = ""
    if filters["sort"] not in services.SORTS:
        filters["sort"] = "updated"
    if filters["dir"] not in ("asc", "desc"):
        filters["dir"] = "desc" if filters["sort"] == "updated" else "asc"
    result = services.list_products(store, filters["q"], filters["status"],
                                     int(filters["category"]) if filters["category"] else None,
                                     filters["sort"], request.args.get("page", 1, type=int), filters["dir"],
                                     tag=filters["tag"])
    active = {key: value for key, value in filters.items() if value and key not in ("sort", "dir")}
    language = store_languages(store)[0]
    return htmx.render("catalog/products/index.html", "product_table", store=store, result=result, filters=filters,
                       filtered=any(filters[key] for key in ("q", "status", "category", "tag")),
                       list_url=url_for(".index", **active), list_url_sorted=url_for(
                           ".index", **active, sort=filters["sort"], dir=filters["dir"]),
                       categories=services.category_tree(store), language=language,
                       money=lambda cents: format_money(cents, language=language),
                       may_publish=can(current_user, "catalog.publish", store),
                       may_edit=can(current_user, "catalog.edit", store),
                       may_import=can(current_user, "catalog.import", store))


@bp.post("/bulk")
@store_page("catalog.publish")
def bulk(store):
    action = request.form.get("action", "")
    status = {"publish": "active", "archive": "archived", "draft": "draft"}.get(action)
    if status is None:
        abort(400)
    changed = services.set_status(store, request.form.getlist("product_ids"), status, current_actor())
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
    option_names = [name.strip() for name in (form.option_names.data or "").split(",") if name.strip()]
    return htmx.render("catalog/products/edit.html", "editor" if request.method == "POST" else None,
                       status=status, store=store, form=form, product=product, error=error, languages=languages,
                       language_names=LANGUAGES, vat_class=vat_class, vat_rate=VAT_RATES[vat_class],
                       money=lambda cents: format_money(cents, language=language), vat_included=vat_included,
                       parse_cents=_cents_or_none, image_urls=services.image_urls(store, form.images.data or []),
                       option_names=option_names[:len(form.option_values.entries)],
                       save_url=url_for(".edit", product_id=product.id) if product else url_for(".new"),
                       may_edit=can(current_user, "catalog.edit", store),
                       may_pick_media=can(current_user, "cms.media.manage", store))


def _cents_or_none(text):
    try:
        return parse_price(text)
    except InvalidValue:
        return None


def _editor_action(store, form, product=None):
    """Handle the editor's server-side buttons (variant rows, images, the generator): the re-rendered
    editor when the form is only changed, not saved; None to save it."""
    add_image(form, request.form.get("image_add"))  # the picker's choice travels with any post
    if "add_image" in request.form:  # sent when the picker's choice changes
        return _editor(store, form, product)
    for button, step in (("image_up", -1), ("image_down", 1), ("image_remove", 0)):
        if button in request.form:
            move_image(form, request.form[button], step)
            return _editor(store, form, product)
    if "add_variant" in request.form:
        form.variants.append_entry()
        return _editor(store, form, product)
    removed = request.form.get("remove_variant")
    if removed is not None:
        form.variants.entries = [entry for entry in form.variants.entries if entry.name != removed]
        return _editor(store, form, product)
    if "generate_variants" in request.form:
        return _generate_variants(store, form, product)
    if "apply_price" in request.form:
        return _apply_price(store, form, product)
    return None


def _generate_variants(store, form, product):
    rows = variant_rows(form)
    sku_base = (form.sku_base.data or "").strip() or services.suggest_sku_base(
        form.slug.data or getattr(form, f"title_{form.languages[0]}").data or "", [row.get("sku") for row in rows])
    try:
        generated = services.variant_matrix(form.option_names.data, [entry.data for entry in form.option_values],
                                            rows, sku_base=sku_base, price=form.price_all.data or "")
    except CatalogError as exc:
        return _editor(store, form, product, error=apply_error(form, exc), status=422)
    set_variant_rows(form, generated)
    form.sku_base.data = sku_base
    return _editor(store, form, product)


def _apply_price(store, form, product):
    """One price for every variant row (saved with the product)."""
    try:
        cents = parse_price(form.price_all.data, "price_all")
    except InvalidValue as exc:
        form.price_all.errors = [str(exc)]
        return _editor(store, form, product, status=422)
    if cents is None:
        form.price_all.errors = [_("Enter the price to give every variant.")]
        return _editor(store, form, product, status=422)
    for entry in form.variants.entries:
        entry.form.price.data = price_text(cents)
    return _editor(store, form, product)


def _save(store, form, product=None):
    changed = _editor_action(store, form, product)
    if changed is not None:
        return changed
    if not form.validate():
        return _editor(store, form, product, status=422)
    if (form.status.data != (product.status if product else "draft")
            and not can(current_user, "catalog.publish", store)):
        form.status.errors = [*form.status.errors, _("Publishing and archiving is for those who may publish.")]
        return _editor(store, form, product, status=422)
    try:
        if product is None:
            product = services.create_product(store, product_data(form), current_actor())
            flash(_("The product is created."), "success")
        else:
            services.update_product(store, product, product_data(form), current_actor())
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


@bp.route("/<id:product_id>", methods=["GET", "POST"])
@store_page("catalog.view")
def edit(store, product_id: int):
    product = _product(store, product_id)
    form = product_form(store_languages(store), services.category_tree(store),
                        formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        fill(form, product)
        form.sku_base.data = services.suggest_sku_base(product.slug, [variant.sku for variant in product.variants])
        return _editor(store, form, product)
    if not can(current_user, "catalog.edit", store):  # viewers may open the editor, not save
        abort(403)
    return _save(store, form, product)


# -- categories ---------------------------------------------------------------------------------
def _sibling_edges(tree) -> tuple[set[int], set[int]]:
    """The ids of the categories first and last among their siblings (their up / down arrows do nothing)."""
    siblings: dict[int | None, list[int]] = {}
    for category, _depth in tree:
        siblings.setdefault(category.parent_id, []).append(category.id)
    return {ids[0] for ids in siblings.values()}, {ids[-1] for ids in siblings.values()}


def _categories_page(store, form, category=None, *, error=None, status=200):
    tree = services.category_tree(store)
    first_siblings, last_siblings = _sibling_edges(tree)
    return htmx.render("catalog/categories/index.html", "category_form" if status == 422 else None, status=status,
                       store=store, form=form, category=category, error=error, tree=tree,
                       first_siblings=first_siblings, last_siblings=last_siblings,
                       product_counts=services.category_product_counts(store),
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
        services.save_category(store, category_data(form), current_actor(), category)
    except CatalogError as exc:
        return _categories_page(store, form, category, error=apply_error(form, exc), status=422)
    flash(_("The category is saved."), "success")
    return htmx.redirect(url_for(".categories"))


@bp.post("/categories/new")
@store_page("catalog.edit")
def category_new(store):
    return _save_category(store)


@bp.route("/categories/<id:category_id>", methods=["GET", "POST"])
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


@bp.post("/categories/<id:category_id>/move")
@store_page("catalog.edit")
def category_move(store, category_id: int):
    _category(store, category_id)
    try:
        services.move_category(store, category_id, request.form.get("direction", ""), current_actor())
    except CatalogError as exc:
        abort(400, str(exc))
    return htmx.redirect(url_for(".categories"))


@bp.post("/categories/<id:category_id>/delete")
@store_page("catalog.edit")
def category_delete(store, category_id: int):
    _category(store, category_id)
    try:
        services.delete_category(store, category_id, current_actor())
    except CatalogError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("The category is deleted."), "success")
    return htmx.redirect(url_for(".categories"))


# -- CSV import and export ----------------------------------------------------------------------
def _imports_page(store, form, *, status=200):
    result = csv_io.list_imports(store, request.args.get("page", 1, type=int))
    return htmx.render("catalog/imports/index.html", "upload_form" if request.method == "POST" else "import_table",
                       status=status, store=store, form=form, result=result, columns=csv_io.columns(store),
                       required=csv_io.REQUIRED, max_mb=csv_io.MAX_BYTES // (1024 * 1024))


@bp.get("/imports")
@store_page("catalog.import")
def imports(store):
    return _imports_page(store, ImportForm(formdata=None))


@bp.post("/imports")
@store_page("catalog.import")
def import_upload(store):
    form = ImportForm()
    if not form.validate():
        return _imports_page(store, form, status=422)
    upload = request.files.get("file")
    try:
        run = csv_io.start_import(store, upload.filename if upload else "", upload.stream if upload else None,
                                  current_actor())
    except csv_io.CsvError as exc:
        form.file.errors = [str(exc)]
        return _imports_page(store, form, status=422)
    return htmx.redirect(url_for(".import_run", import_id=run.id))


@bp.get("/imports/<id:import_id>")
@store_page("catalog.import")
def import_run(store, import_id: int):
    """An import's state and errors; the block polls itself every 2 s until the run is finished."""
    try:
        run = csv_io.get_import(store, import_id)
    except NotFound:
        abort(404)
    return htmx.render("catalog/imports/run.html", "import_status", store=store, run=run)


@bp.get("/export")
@store_page("catalog.import")
def export(store):
    """Every product as CSV, one row per variant (read before the first byte is sent)."""
    name = f"products-{store.store_code}-{utcnow():%Y-%m-%d}.csv"
    return Response(csv_io.export_csv(store), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
