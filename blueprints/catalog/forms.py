"""Catalog forms: the product editor (settings, a title and description per store language, tags, images,
variant rows and the variant generator), the category form and the CSV upload. Field names equal the model
attributes; prices are typed as merchants write them.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.catalog.models import PRODUCT_TYPES, STATUSES, VAT_RATES
from webapp.i18n import LANGUAGES

TYPE_LABELS = {"physical": _l("Physical goods"), "digital": _l("Digital"), "service": _l("Service")}
STATUS_LABELS = {"draft": _l("Draft"), "active": _l("Active"), "archived": _l("Archived")}
VAT_LABELS = {"standard": _l("Standard"), "intermediate": _l("Intermediate"), "reduced": _l("Reduced"),
              "super_reduced": _l("Super-reduced")}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VariantForm(Form):
    """One row of the variants table (a sub-form: the product form carries the CSRF token)."""

    id = HiddenField()
    sku = StringField(_l("SKU"))
    gtin = StringField(_l("GTIN / EAN"))
    options = StringField(_l("Options"), description=_l("Values in the order of the option names, comma-separated."))
    price = StringField(_l("Price (VAT incl.)"))
    sale_price = StringField(_l("Sale price"))
    sale_starts_at = DateTimeLocalField(_l("Sale from"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    sale_ends_at = DateTimeLocalField(_l("Sale until"), format="%Y-%m-%dT%H:%M", validators=[Optional()])


class ProductSettingsForm(FlaskForm):
    slug = StringField(_l("Address"),
                       description=_l("Lower-case letters, digits and hyphens; from the title when empty."))
    product_type = SelectField(_l("Type"), choices=[SelectChoice(t, TYPE_LABELS[t]) for t in PRODUCT_TYPES],
                               validate_choice=False)
    status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES],
                         validate_choice=False)
    vat_class = SelectField(_l("VAT class"), choices=[
        SelectChoice(code, _l("%(name)s (%(rate)s %%)", name=VAT_LABELS[code], rate=rate))
        for code, rate in VAT_RATES.items()], validate_choice=False)
    option_names = StringField(_l("Options"), description=_l(
        "What the variants differ by, comma-separated, e.g. Size, Colour. Empty: one plain variant."))
    categories = CheckboxesField(_l("Categories"), coerce=int, validate_choice=False)
    tags = StringField(_l("Tags"), description=_l(
        "Comma-separated, e.g. linen, summer. Up to 20 tags of at most 40 characters."))
    # Media ids in the order shown, rendered as hidden inputs by the images card.
    images = SelectMultipleField(_l("Images"), coerce=int, validate_choice=False)
    variants = FieldList(FormField(VariantForm), min_entries=1)
    # The variant generator: the values of each option (up to three), a SKU prefix, a price for every row.
    option_values = FieldList(StringField(), min_entries=3, max_entries=3)
    sku_base = StringField(_l("SKU prefix"), description=_l("New variants get SKUs like PREFIX-S-RED."))
    price_all = StringField(_l("Price for every variant"))


def product_form(languages: list[str], categories: list[tuple], *args, **kwargs) -> ProductSettingsForm:
    """A product form with a title and description per language; ``categories`` are (category, depth)."""

    class ProductForm(ProductSettingsForm):
        pass

    for language in languages:
        name = LANGUAGES[language]
        setattr(ProductForm, f"title_{language}", StringField(_l("Title (%(language)s)", language=name)))
        setattr(ProductForm, f"description_{language}", TextAreaField(
            _l("Description (%(language)s)", language=name), render_kw={"rows": 8},
            description=_l("Markdown: **bold**, *italic*, - lists.")))
    form = ProductForm(*args, **kwargs)
    form.languages = languages
    form.categories.choices = [SelectChoice(category.id, "— " * depth + category.name_in(languages[0], languages[0]))
                               for category, depth in categories]
    return form


def price_text(cents: int | None) -> str:
    """Cents as a merchant types them back: ``12,50``."""
    return "" if cents is None else f"{cents // 100},{cents % 100:02d}"


def fill(form, product) -> None:
    """Put a saved product into an unsubmitted form."""
    for key in ("slug", "product_type", "status", "vat_class"):
        getattr(form, key).data = getattr(product, key)
    form.option_names.data = ", ".join(product.option_names or [])
    form.categories.data = [category.id for category in product.categories]
    form.tags.data = ", ".join(product.tags or [])
    form.images.data = [image.media_id for image in product.images]
    for index, entry in enumerate(form.option_values.entries):
        values: list[str] = []
        for variant in product.variants:
            options = variant.options or []
            if index < len(options) and options[index] not in values:
                values.append(options[index])
        entry.data = ", ".join(values)
    for translation in product.translations:
        if translation.language in form.languages:
            getattr(form, f"title_{translation.language}").data = translation.title
            getattr(form, f"description_{translation.language}").data = translation.description
    while form.variants.entries:
        form.variants.pop_entry()
    for variant in product.variants:
        form.variants.append_entry({
            "id": variant.id, "sku": variant.sku, "gtin": variant.gtin or "",
            "options": ", ".join(variant.options or []),
            "price": price_text(variant.price_cents), "sale_price": price_text(variant.sale_price_cents),
            "sale_starts_at": variant.sale_starts_at, "sale_ends_at": variant.sale_ends_at})
    if not form.variants.entries:
        form.variants.append_entry()


def product_data(form) -> dict:
    """The form's values as the catalog service takes them."""
    return {
        "slug": form.slug.data, "product_type": form.product_type.data, "status": form.status.data,
        "vat_class": form.vat_class.data, "option_names": form.option_names.data or "",
        "categories": form.categories.data or [], "tags": form.tags.data or "", "images": form.images.data or [],
        "translations": {language: {"title": getattr(form, f"title_{language}").data or "",
                                    "description": getattr(form, f"description_{language}").data or ""}
                         for language in form.languages},
        "variants": [dict(entry.form.data) for entry in form.variants.entries],
    }


def add_image(form, media_id) -> None:
    """Append the image chosen in the editor's picker (checked when the product is saved)."""
    try:
        media_id = int(media_id)
    except (TypeError, ValueError):
        return
    images = list(form.images.data or [])
    if media_id not in images:
        form.images.data = [*images, media_id]


def move_image(form, media_id, step: int) -> None:
    """Move an image one place (``step`` -1: towards the first, the product's main image) or remove it (0)."""
    images = list(form.images.data or [])
    try:
        index = images.index(int(media_id))
    except (TypeError, ValueError):
        return
    if step == 0:
        images.pop(index)
    elif 0 <= index + step < len(images):
        images[index], images[index + step] = images[index + step], images[index]
    form.images.data = images


def variant_rows(form) -> list[dict]:
    return [dict(entry.form.data) for entry in form.variants.entries]


def set_variant_rows(form, rows: list[dict]) -> None:
    while form.variants.entries:
        form.variants.pop_entry()
    for row in rows:
        form.variants.append_entry(row)


def apply_error(form, exc) -> str | None:
    """Put a service's refusal under its field (``variants-<n>-sku``: the n-th row's SKU,
    ``option_values-<n>``: the n-th option's values); else return it."""
    name = exc.field or ""
    field = None
    if name.startswith("variants-"):
        _, index, attribute = name.split("-", 2)
        entries = form.variants.entries
        if index.isdigit() and int(index) < len(entries):
            field = getattr(entries[int(index)].form, attribute, None)
    elif name.startswith("option_values-"):
        index = name.rsplit("-", 1)[1]
        entries = form.option_values.entries
        if index.isdigit() and int(index) < len(entries):
            field = entries[int(index)]
    elif name and name != "variants":
        field = getattr(form, name, None)
    if field is None or not hasattr(field, "errors"):
        return str(exc)
    field.errors = [*field.errors, str(exc)]
    return None


def category_form(languages: list[str], parents: list[tuple], *args, **kwargs):
    class CategoryForm(FlaskForm):
        slug = StringField(_l("Address"), description=_l("From the name when empty."))
        parent_id = SelectField(_l("Inside"), validate_choice=False)

    for language in languages:
        setattr(CategoryForm, f"name_{language}",
                StringField(_l("Name (%(language)s)", language=LANGUAGES[language])))
    form = CategoryForm(*args, **kwargs)
    form.languages = languages
    form.parent_id.choices = [SelectChoice("", _l("Top level"))] + [
        SelectChoice(str(category.id), "— " * depth + category.name_in(languages[0], languages[0]))
        for category, depth in parents]
    return form


def category_data(form) -> dict:
    return {"slug": form.slug.data, "parent_id": form.parent_id.data or None,
            "texts": {language: {"name": getattr(form, f"name_{language}").data or ""} for language in form.languages}}


def fill_category(form, category) -> None:
    form.slug.data, form.parent_id.data = category.slug, str(category.parent_id or "")
    for language in form.languages:
        getattr(form, f"name_{language}").data = (category.texts or {}).get(language, {}).get("name", "")


class ImportForm(FlaskForm):
    """The CSV upload; the file is checked by the import service (size, encoding, header)."""

    file = FileField(_l("CSV file"), description=_l(
        "UTF-8 (as exported here, or Excel's \"CSV UTF-8\"), comma- or semicolon-separated, at most 5 MB."))
