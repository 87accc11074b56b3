"""Store admin: the merchant's customers (list, details, notes, tags, GDPR) and segments.

Customers are merchant-wide: every store of a merchant shows the same customers. Every object in
a URL is looked up through a service scoped to the store's merchant; another merchant's is a 404.
"""
from __future__ import annotations

import json

from flask import Response, abort, flash, request, url_for
from flask_login import current_user

from blueprints.customers.forms import CustomerEditForm, NoteForm, SegmentForm, TagForm
from blueprints.customers.services import CustomerError, directory, gdpr, segments
from webapp import htmx
from webapp.i18n import LANGUAGES
from webapp.security import can, current_actor
from webapp.tenancy import store_admin_blueprint, store_page

bp = store_admin_blueprint("customers_store", __name__, "customers")




def _add_error(form, exc: CustomerError) -> str | None:
    """Put a service's refusal under its field; returns it when it belongs to no field of ``form``."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None or not hasattr(field, "errors") or exc.field == "rules":
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None


# -- the customer list --------------------------------------------------------------------------
@bp.get("/")
@store_page("customers.view")
def index(store):
    filters = {"q": request.args.get("q", "").strip(), "tag": request.args.get("tag", "").strip().lower(),
               "language": request.args.get("language", ""), "consent": request.args.get("consent", ""),
               "segment": request.args.get("segment", "")}
    segment = None
    if filters["segment"]:
        if not filters["segment"].isdigit() or len(filters["segment"]) > 10:
            abort(404)
        segment = segments.get_segment(store, int(filters["segment"]))
    try:
        result = directory.list_customers(store, search=filters["q"], tag=filters["tag"],
                                          language=filters["language"], consent=filters["consent"],
                                          segment=segment, page=request.args.get("page", 1, type=int))
    except CustomerError as exc:
        abort(400, str(exc))
    active = {key: value for key, value in filters.items() if value}
    return htmx.render("customers/store/customers.html", "customer_table", store=store, result=result,
                       filters=filters, filtered=bool(active), segment=segment,
                       list_url=url_for(".index", **active), tags=directory.merchant_tags(store),
                       languages=LANGUAGES)


# -- one customer -------------------------------------------------------------------------------
def _customer_page(store, customer_id: int, block: str | None = None, *, status: int = 200, **context):
    customer = directory.customer_details(store, customer_id)
    context.setdefault("form", CustomerEditForm(formdata=None, obj=customer))
    context.setdefault("note_form", NoteForm(formdata=None))
    context.setdefault("tag_form", TagForm(formdata=None))
    return htmx.render("customers/store/customer.html", block, status=status, store=store, customer=customer,
                       may_edit=can(current_user, "customers.edit", store),
                       may_gdpr=can(current_user, "customers.gdpr", store),
                       tags=directory.merchant_tags(store), **context)


@bp.get("/<id:customer_id>")
@store_page("customers.view")
def customer(store, customer_id: int):
    return _customer_page(store, customer_id)


@bp.post("/<id:customer_id>")
@store_page("customers.edit")
def customer_update(store, customer_id: int):
    customer = directory.get_customer(store, customer_id)
    form = CustomerEditForm()
    if form.validate():
        try:
            directory.update_customer(store, customer, form.data, current_actor())
        except CustomerError as exc:
            return _customer_page(store, customer_id, "profile_form", status=422, form=form,
                                  error=_add_error(form, exc))
        return _customer_page(store, customer_id, "profile_form", form=form, toast="Customer saved.")
    return _customer_page(store, customer_id, "profile_form", status=422, form=form)


@bp.post("/<id:customer_id>/notes")
@store_page("customers.edit")
def note_add(store, customer_id: int):
    customer = directory.get_customer(store, customer_id)
    form = NoteForm()
    if form.validate():
        try:
            directory.add_note(store, customer, form.body.data, current_actor())
        except CustomerError as exc:
            return _customer_page(store, customer_id, "notes", status=422, note_form=form,
                                  note_error=_add_error(form, exc))
        return _customer_page(store, customer_id, "notes", toast="Note added.")
    return _customer_page(store, customer_id, "notes", status=422, note_form=form)


@bp.post("/<id:customer_id>/notes/<id:note_id>/delete")
@store_page("customers.edit")
def note_delete(store, customer_id: int, note_id: int):
    customer = directory.get_customer(store, customer_id)
    directory.delete_note(store, customer, note_id, current_actor())
    return _customer_page(store, customer_id, "notes", toast="Note deleted.")


@bp.post("/<id:customer_id>/tags")
@store_page("customers.edit")
def tag_add(store, customer_id: int):
    customer = directory.get_customer(store, customer_id)
    form = TagForm()
    if form.validate():
        try:
            tag = directory.add_tag(store, customer, form.name.data, current_actor())
        except CustomerError as exc:
            return _customer_page(store, customer_id, "tags", status=422, tag_form=form,
                                  tag_error=_add_error(form, exc))
        return _customer_page(store, customer_id, "tags", toast=f"Tagged '{tag.name}'.",
                              trigger={"customers:tags-changed": {"customer": customer_id}})
    return _customer_page(store, customer_id, "tags", status=422, tag_form=form)


@bp.post("/<id:customer_id>/tags/<id:tag_id>/remove")
@store_page("customers.edit")
def tag_remove(store, customer_id: int, tag_id: int):
    customer = directory.get_customer(store, customer_id)
    directory.remove_tag(store, customer, tag_id, current_actor())
    return _customer_page(store, customer_id, "tags", toast="Tag removed.",
                          trigger={"customers:tags-changed": {"customer": customer_id}})


# -- GDPR ---------------------------------------------------------------------------------------
@bp.post("/<id:customer_id>/export")
@store_page("customers.gdpr")
def export(store, customer_id: int):
    customer = directory.get_customer(store, customer_id)
    data = gdpr.export_customer(store, customer, current_actor())
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="customer-{customer.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<id:customer_id>/erase")
@store_page("customers.gdpr")
def erase(store, customer_id: int):
    customer = directory.get_customer(store, customer_id)
    try:
        gdpr.erase_customer(store, customer, current_actor())
    except CustomerError as exc:
        flash(str(exc), "warning")
    else:
        flash(f"The personal data of customer #{customer.id} is erased. The erasure is recorded in the audit log.",
              "success")
    return htmx.redirect(url_for(".customer", customer_id=customer.id))


# -- segments -----------------------------------------------------------------------------------
@bp.get("/segments", endpoint="segments")
@store_page("customers.segments.manage")
def segments_page(store):
    result = segments.list_segments(store, page=request.args.get("page", 1, type=int))
    return htmx.render("customers/store/segments.html", "segment_table", store=store, result=result,
                       counts=segments.counts_of(store.merchant_id, result.items), fields=segments.FIELDS,
                       list_url=url_for(".segments"))


def _segment_page(store, segment, form: SegmentForm, block: str | None = None, *, status: int = 200,
                  error: str | None = None):
    preview = _preview(store, form)
    return htmx.render("customers/store/segment.html", block, status=status, store=store, segment=segment,
                       form=form, error=error, fields=segments.FIELDS, operators=segments.operator_choices(),
                       preview=preview)


def _preview(store, form: SegmentForm) -> dict:
    try:
        rules = segments.validate_rules(form.rules_data())
    except CustomerError as exc:
        return {"count": None, "error": str(exc)}
    return {"count": segments.count_matching(store.merchant_id, rules, form.match.data or "all"), "error": None}


def _edit_rows(form: SegmentForm) -> bool:
    """Add, remove or refresh rule rows without saving (the editor works without JavaScript too).

    A refresh follows a change of a rule's field: its operator becomes one that applies to the field.
    """
    rows = form.rules_data()
    remove = request.form.get("remove_rule", "")
    if "add_rule" in request.form:
        rows = rows + [{"field": "tag", "operator": "is", "value": ""}] if len(rows) < segments.MAX_RULES else rows
    elif remove.isdigit() and len(remove) < 4:
        rows = [row for number, row in enumerate(rows) if number != int(remove)]
    elif "refresh" not in request.form:
        return False
    for row in rows:
        field = segments.FIELDS.get(row["field"])
        if field is not None and row["operator"] not in field.operators:
            row["operator"] = next(iter(field.operators))
    while form.rules.entries:
        form.rules.pop_entry()
    for row in rows:
        form.rules.append_entry(row)
    return True


def _save_segment(store, segment):
    form = SegmentForm()
    if _edit_rows(form):
        return _segment_page(store, segment, form, "segment_form")
    error = None
    if form.validate():
        data = {**form.data, "rules": form.rules_data()}
        try:
            if segment is None:
                segment = segments.create_segment(store, data, current_actor())
                flash(f"Segment '{segment.name}' created.", "success")
            else:
                segments.update_segment(store, segment, data, current_actor())
                flash(f"Segment '{segment.name}' saved.", "success")
        except CustomerError as exc:
            error = _add_error(form, exc)
        else:
            return htmx.redirect(url_for(".segments"))
    return _segment_page(store, segment, form, "segment_form", status=422, error=error)


@bp.route("/segments/new", methods=["GET", "POST"])
@store_page("customers.segments.manage")
def segment_new(store):
    if request.method == "POST":
        return _save_segment(store, None)
    form = SegmentForm(formdata=None, data={"match": "all", "rules": [{"field": "tag", "operator": "is",
                                                                       "value": ""}]})
    return _segment_page(store, None, form)


@bp.route("/segments/<id:segment_id>", methods=["GET", "POST"])
@store_page("customers.segments.manage")
def segment_edit(store, segment_id: int):
    segment = segments.get_segment(store, segment_id)
    if request.method == "POST":
        return _save_segment(store, segment)
    form = SegmentForm(formdata=None, data={"name": segment.name, "match": segment.match, "rules": segment.rules})
    return _segment_page(store, segment, form)


@bp.post("/segments/preview")
@store_page("customers.segments.manage")
def segment_preview(store):
    """The live member count while editing: one query, or the reason the rules cannot be counted (422)."""
    preview = _preview(store, SegmentForm())
    return htmx.render("customers/store/_segment_preview.html", status=422 if preview["error"] else 200,
                       preview=preview)


@bp.post("/segments/<id:segment_id>/delete")
@store_page("customers.segments.manage")
def segment_delete(store, segment_id: int):
    segment = segments.get_segment(store, segment_id)
    segments.delete_segment(store, segment, current_actor())
    flash(f"Segment '{segment.name}' deleted.", "success")
    return htmx.redirect(url_for(".segments"))
