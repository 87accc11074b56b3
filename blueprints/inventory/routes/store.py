"""Store admin: stock (list, inline adjustments, one variant's locations with transfers and alerts),
the movement journal and the merchant's locations.

Every object in a URL is looked up through a service scoped to the store and its merchant: another
store's variant, or a location that does not serve this store, is a 404.
"""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.inventory.forms import (
    REASON_LABELS,
    AdjustForm,
    ThresholdForm,
    TransferForm,
    apply_error,
    fill_location,
    location_data,
    location_form,
)
from blueprints.inventory.models import REASONS
from blueprints.inventory.services import InventoryError, NotFound, Page, locations, movements, stock
from blueprints.inventory.services.common import serving_location, stocked_variant
from webapp import htmx
from webapp.security import can, current_actor
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("inventory_store", __name__, "inventory")




def _id_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# -- the stock list --------------------------------------------------------------------------------
@bp.get("/")
@store_page("inventory.view")
def index(store):
    location_id = _id_arg("location")
    location = serving_location(store, location_id) if location_id else None
    filters = {"q": request.args.get("q", "").strip()[:100], "location": str(location.id) if location else "",
               "low": "1" if request.args.get("low") == "1" else ""}
    result = stock.stock_rows(store, search=filters["q"], location=location, low_only=bool(filters["low"]),
                              page=request.args.get("page", 1, type=int))
    active = {key: value for key, value in filters.items() if value}
    return htmx.render("inventory/stock/index.html", "stock_table", store=store, result=result, filters=filters,
                       filtered=bool(active), list_url=url_for(".index", **active),
                       locations=locations.serving_locations(store),
                       may_adjust=can(current_user, "inventory.adjust", store),
                       may_edit_products=can(current_user, "catalog.view", store))


def _row_page(store, variant_id: int, location_id: int, *, form=None, error=None, status=200, toast=None):
    row = stock.stock_row(store, variant_id, location_id)
    return htmx.render("inventory/stock/row.html", "row", status=status, store=store, row=row, form=form,
                       error=error, toast=toast, may_adjust=True,
                       may_edit_products=can(current_user, "catalog.view", store))


@bp.post("/stock/<id:variant_id>/<id:location_id>/adjust")
@store_page("inventory.adjust")
def adjust(store, variant_id: int, location_id: int):
    stock.stock_row(store, variant_id, location_id)  # a 404 before anything else for another store's objects
    form = AdjustForm()
    if not form.validate():
        return _row_page(store, variant_id, location_id, form=form, status=422)
    try:
        stock.record(store, variant_id, location_id, form.reason.data, form.quantity.data, note=form.note.data,
                     actor=current_actor())
    except InventoryError as exc:
        return _row_page(store, variant_id, location_id, form=form, error=apply_error(form, exc), status=422)
    if not htmx.is_htmx():
        flash(_("The stock is saved."), "success")
        return htmx.redirect(request.referrer if _is_own_page(request.referrer) else url_for(".index"))
    return _row_page(store, variant_id, location_id, toast=_("The stock is saved."))


def _is_own_page(url: str | None) -> bool:
    """The referrer is a page of this store's stock list (never another site: the redirect goes there)."""
    return bool(url) and url.startswith(request.host_url.rstrip("/") + url_for(".index"))


# -- one variant: its locations, a transfer, alerts, its movements ------------------------------------
def _variant_page(store, variant_id: int, block=None, *, transfer_form=None, transfer_error=None,
                  threshold_errors=None, status=200):
    rows = stock.stock_rows(store, variant_id=variant_id, inactive_too=True).items
    if not rows:
        raise NotFound(variant_id)
    active = [row.location for row in rows if row.location.active]
    if transfer_form is None:
        transfer_form = TransferForm(formdata=None)
        if len(active) > 1:
            best = max((row for row in rows if row.location.active), key=lambda row: row.available)
            transfer_form.from_location.data = str(best.location.id)
            transfer_form.to_location.data = str(next(loc.id for loc in active if loc.id != best.location.id))
    # Units may leave a deactivated location (to empty it), but only go to an active one.
    transfer_form.from_location.choices = [
        (str(row.location.id), row.location.name if row.location.active else _("%(name)s (inactive)",
                                                                               name=row.location.name))
        for row in rows]
    transfer_form.to_location.choices = [(str(loc.id), loc.name) for loc in active]
    journal = movements.list_movements(store, variant_id=variant_id, per_page=20)
    return htmx.render("inventory/stock/variant.html", block, status=status, store=store, rows=rows, first=rows[0],
                       transfer_form=transfer_form, transfer_error=transfer_error,
                       threshold_errors=threshold_errors or {}, journal=journal, reason_labels=REASON_LABELS,
                       may_adjust=can(current_user, "inventory.adjust", store),
                       may_edit_products=can(current_user, "catalog.view", store))


@bp.get("/stock/<id:variant_id>")
@store_page("inventory.view")
def variant(store, variant_id: int):
    return _variant_page(store, variant_id)


@bp.post("/stock/<id:variant_id>/transfer")
@store_page("inventory.adjust")
def transfer(store, variant_id: int):
    _stocked_or_404(store, variant_id)
    form = TransferForm()
    if not form.validate():
        return _variant_page(store, variant_id, "transfer_form", transfer_form=form, status=422)
    try:
        source = serving_location(store, _int_or_zero(form.from_location.data))
        target = serving_location(store, _int_or_zero(form.to_location.data))
        stock.transfer(store, variant_id, source, target, form.quantity.data, note=form.note.data,
                       actor=current_actor())
    except NotFound:
        form.to_location.errors = [_("Choose locations that serve this store.")]
        return _variant_page(store, variant_id, "transfer_form", transfer_form=form, status=422)
    except InventoryError as exc:
        return _variant_page(store, variant_id, "transfer_form", transfer_form=form,
                             transfer_error=apply_error(form, exc), status=422)
    flash(_("The units are moved."), "success")
    return htmx.redirect(url_for(".variant", variant_id=variant_id))


def _stocked_or_404(store, variant_id: int):
    try:
        return stocked_variant(store, variant_id)
    except InventoryError:  # a digital product or a service: it has no stock page
        abort(404)


def _int_or_zero(value) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else 0


@bp.post("/stock/<id:variant_id>/<id:location_id>/threshold")
@store_page("inventory.adjust")
def threshold(store, variant_id: int, location_id: int):
    stock.stock_row(store, variant_id, location_id)
    form = ThresholdForm()
    try:
        if not form.validate():
            raise InventoryError(_("Check the value."), "low_stock_threshold")
        stock.set_threshold(store, variant_id, location_id, (form.low_stock_threshold.data or "").strip(),
                            actor=current_actor())
    except InventoryError as exc:
        return _variant_page(store, variant_id, "levels", threshold_errors={location_id: str(exc)}, status=422)
    flash(_("The low-stock alert is saved."), "success")
    return htmx.redirect(url_for(".variant", variant_id=variant_id))


# -- movements ---------------------------------------------------------------------------------------
@bp.get("/movements", endpoint="movements")
@store_page("inventory.view")
def movements_page(store):
    location_id = _id_arg("location")
    location = locations.get_location(store, location_id) if location_id else None
    filters = {"q": request.args.get("q", "").strip()[:100], "location": str(location.id) if location else "",
               "reason": request.args.get("reason", "") if request.args.get("reason") in REASONS else "",
               "since": request.args.get("since", "").strip()[:10], "until": request.args.get("until", "").strip()[:10]}
    error, status = None, 200
    try:
        since = movements.parse_day(filters["since"], "since")
        until = movements.parse_day(filters["until"], "until")
        result = movements.list_movements(store, search=filters["q"], location=location, reason=filters["reason"],
                                          since=since, until=until, page=request.args.get("page", 1, type=int))
    except InventoryError as exc:  # a hand-typed date: say what is wrong instead of the list
        error, status, result = str(exc), 422, Page([], 0, 1, 1)
    active = {key: value for key, value in filters.items() if value}
    return htmx.render("inventory/movements/index.html", "movement_table", status=status, store=store,
                       result=result, filters=filters, filtered=bool(active), error=error,
                       list_url=url_for(".movements", **active), locations=locations.list_locations(store),
                       reason_labels=REASON_LABELS)


# -- locations ---------------------------------------------------------------------------------------
@bp.get("/locations", endpoint="locations")
@store_page("inventory.view")
def locations_page(store):
    return htmx.render("inventory/locations/index.html", store=store, locations=locations.list_locations(store),
                       may_manage=can(current_user, "inventory.locations.manage", store))


def _location_form(store, formdata=None):
    stores = locations.merchant_stores(store)

    def may_change(other):
        return can(current_user, "inventory.locations.manage", other)

    form = location_form(stores, may_change, formdata=formdata)
    return form, [s.id for s in stores if may_change(s)]


def _location_page(store, form, location=None, *, error=None, status=200):
    return htmx.render("inventory/locations/edit.html", "location_form" if request.method == "POST" else None,
                       status=status, store=store, form=form, location=location, error=error,
                       save_url=url_for(".location", location_id=location.id) if location else
                       url_for(".location_new"))


def _save_location(store, location=None):
    form, allowed = _location_form(store, request.form)
    if not form.validate():
        return _location_page(store, form, location, status=422)
    try:
        saved = locations.save_location(store, location_data(form), current_actor(), location,
                                        allowed_store_ids=allowed)
    except InventoryError as exc:
        return _location_page(store, form, location, error=apply_error(form, exc), status=422)
    flash(_("The location is saved."), "success")
    try:
        locations.get_location(store, saved.id)
    except NotFound:  # it now serves only other stores: this store's admin no longer shows it
        return htmx.redirect(url_for(".locations"))
    return htmx.redirect(url_for(".location", location_id=saved.id))


@bp.route("/locations/new", methods=["GET", "POST"])
@store_page("inventory.locations.manage")
def location_new(store):
    if request.method == "POST":
        return _save_location(store)
    form, _allowed = _location_form(store)
    form.kind.data, form.stores.data = "warehouse", [store.id]
    return _location_page(store, form)


@bp.route("/locations/<id:location_id>", methods=["GET", "POST"])
@store_page("inventory.locations.manage")
def location(store, location_id: int):
    found = locations.get_location(store, location_id)
    if request.method == "POST":
        return _save_location(store, found)
    form, _allowed = _location_form(store)
    fill_location(form, found)
    return _location_page(store, form, found)


@bp.post("/locations/<id:location_id>/deactivate")
@store_page("inventory.locations.manage")
def location_deactivate(store, location_id: int):
    locations.set_active(store, locations.get_location(store, location_id), False, current_actor())
    flash(_("The location is deactivated: its stock no longer counts as available."), "success")
    return htmx.redirect(url_for(".locations"))


@bp.post("/locations/<id:location_id>/activate")
@store_page("inventory.locations.manage")
def location_activate(store, location_id: int):
    locations.set_active(store, locations.get_location(store, location_id), True, current_actor())
    flash(_("The location is active again."), "success")
    return htmx.redirect(url_for(".locations"))
