"""Inventory forms: a stock adjustment (one row of the stock list), a transfer, a low-stock alert and a
location. Numbers are typed as text and checked by the services, which say what is wrong with them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.inventory.models import ADJUST_REASONS, KINDS

REASON_LABELS = {
    "received": _l("Received"), "returned": _l("Returned"), "damaged": _l("Damaged"), "correction": _l("Count"),
    "sold": _l("Sold"), "transfer_in": _l("Transfer in"), "transfer_out": _l("Transfer out"),
    "reserved": _l("Reserved"), "released": _l("Released"), "committed": _l("Committed"),
}
KIND_LABELS = {"warehouse": _l("Warehouse"), "shop": _l("Shop")}


class ChoiceCheckbox(CheckboxInput):
    """A checkbox that takes its choice's ``render_kw`` (e.g. disabled: a store the user may not change)."""

    def __call__(self, field, **kwargs):
        return super().__call__(field, **{**(getattr(field.choice, "render_kw", None) or {}), **kwargs})


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = ChoiceCheckbox()


class AdjustForm(FlaskForm):
    reason = SelectField(_l("Reason"), choices=[SelectChoice(r, REASON_LABELS[r]) for r in ADJUST_REASONS],
                         validate_choice=False)
    quantity = StringField(_l("Units"), description=_l(
        "Received, returned: units added. Damaged: units removed. Count: the units now on hand."))
    note = StringField(_l("Note"))


class TransferForm(FlaskForm):
    from_location = SelectField(_l("From"), validate_choice=False)
    to_location = SelectField(_l("To"), validate_choice=False)
    quantity = StringField(_l("Units"))
    note = StringField(_l("Note"))


class ThresholdForm(FlaskForm):
    low_stock_threshold = StringField(_l("Low-stock alert at"), description=_l(
        "Flag this variant here when this many units or fewer are available; empty: the platform's default."))


class LocationForm(FlaskForm):
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS], validate_choice=False)
    address = StringField(_l("Address"), description=_l("Street, postcode and town, on one line."))
    position = StringField(_l("Order"), description=_l("Lower numbers first: stock is taken from them first."))
    stores = CheckboxesField(_l("Serves the stores"), coerce=int, validate_choice=False, description=_l(
        "Only the stock of the active locations serving a store can be sold there."))


def location_form(stores, may_change, **kwargs) -> LocationForm:
    """The location form; ``stores`` are the merchant's, ``may_change(store)`` says which boxes are live."""
    form = LocationForm(**kwargs)
    form.stores.choices = [SelectChoice(s.id, s.name, render_kw={} if may_change(s) else {"disabled": True})
                           for s in stores]
    return form


def fill_location(form, location) -> None:
    form.name.data, form.kind.data, form.address.data = location.name, location.kind, location.address
    form.position.data, form.stores.data = str(location.position), [s.id for s in location.stores]


def location_data(form) -> dict:
    return {"name": form.name.data, "kind": form.kind.data, "address": form.address.data,
            "position": form.position.data, "stores": form.stores.data or []}


def apply_error(form, exc) -> str | None:
    """Put a service's refusal under its field; return it when it belongs to none of ``form``'s."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None or not hasattr(field, "errors"):
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None
