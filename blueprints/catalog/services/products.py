"""Catalog writes and lookups for the store admin: products with their translations, variants, tags and
images (items of the store's media library), bulk status changes and the category tree. Every lookup is
scoped to the store; every write audits.

A product is saved all or nothing: everything posted is checked before the first row changes.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from blueprints.catalog.models import (
    ACTIVE,
    PRODUCT_TYPES,
    STATUSES,
    VAT_RATES,
    Category,
    Product,
    ProductImage,
    ProductTranslation,
    ProductVariant,
    product_categories,
)
from blueprints.catalog.pricing import InvalidValue, clean_gtin, parse_price
from blueprints.cms.services import media
from webapp import pagination, tenancy
from webapp.extensions import db
from webapp.i18n import LANGUAGES, store_languages
from webapp.models import utcnow
from webapp.pagination import Page
from webapp.security import audit

PAGE_SIZE = 25
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TITLE, MAX_DESCRIPTION, MAX_SKU, MAX_OPTION = 200, 20_000, 64, 60
MAX_OPTION_NAMES, MAX_VARIANTS = 3, 100
MAX_TAGS, MAX_TAG = 20, 40
MAX_IMAGES = 20
SORTS = ("title", "updated", "price")


class CatalogError(ValueError):
    """A refusal to show the merchant, under ``field`` when one fits (``variants-<n>-sku``)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFound(tenancy.NotFound):
    """Not an object of this store: a 404."""


@dataclass(frozen=True)
class ProductRow:
    """One line of the product list, read in the list's single query."""

    product: Product
    title: str | None
    min_price: int | None
    max_price: int | None
    variant_count: int
    first_sku: str | None
    image_url: str | None = None  # the first image's thumbnail




def _like(text: str) -> str:
    """A LIKE pattern that matches ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120].strip("-")


# -- reading -----------------------------------------------------------------------------------
def _tag_pattern(tag: str) -> str:
    """A LIKE pattern finding ``tag`` as one whole element of the JSON list ``Product.tags``.

    Tags are stored as JSON text (``["linen", "summer"]``) on SQLite and PostgreSQL alike; the quotes
    make "linen" not match "linen-look". ``!`` escapes LIKE's own characters (JSON escapes use ``\\``)."""
    quoted = json.dumps(tag)
    return "%" + quoted.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def has_tag(tag: str):
    """A condition on Product: it carries ``tag`` (tags are stored normalised: lower case)."""
    return cast(Product.tags, String).like(_tag_pattern(tag), escape="!")


def list_products(store, search: str = "", status: str = "", category_id: int | None = None,
                  sort: str = "updated", page: int = 1, direction: str | None = None, tag: str = "") -> Page:
    """One page of the store's products: one count query, one list query, and one query for the first
    images' addresses when any product on the page has images, whatever the page size."""
    if status and status not in STATUSES:
        raise CatalogError(f"Choose a status: {', '.join(STATUSES)}.", "status")
    if sort not in SORTS:
        raise CatalogError(f"Sort by {', '.join(SORTS)}.", "sort")
    direction = direction if direction in ("asc", "desc") else ("desc" if sort == "updated" else "asc")

    conditions = [Product.store_id == store.id]
    if status:
        conditions.append(Product.status == status)
    if category_id is not None:
        conditions.append(exists().where(product_categories.c.product_id == Product.id,
                                         product_categories.c.category_id == category_id))
    tag = normalise_tag(tag or "")
    if tag:
        conditions.append(has_tag(tag))
    search = " ".join((search or "").split())[:100]
    if search:
        pattern = _like(search)
        conditions.append(or_(
            exists().where(ProductTranslation.product_id == Product.id,
                           func.lower(ProductTranslation.title).like(pattern, escape="\\")),
            exists().where(ProductVariant.product_id == Product.id,
                           func.lower(ProductVariant.sku).like(pattern, escape="\\")),
        ))

    title = (select(ProductTranslation.title)
             .where(ProductTranslation.product_id == Product.id,
                    ProductTranslation.language == store.default_language)
             .correlate(Product).scalar_subquery())
    any_title = (select(func.min(ProductTranslation.title)).where(ProductTranslation.product_id == Product.id)
                 .correlate(Product).scalar_subquery())
    shown_title = func.coalesce(title, any_title)

    def of_variants(column):
        return select(column).where(ProductVariant.product_id == Product.id).correlate(Product).scalar_subquery()

    min_price, max_price = of_variants(func.min(ProductVariant.price_cents)), of_variants(
        func.max(ProductVariant.price_cents))
    count = of_variants(func.count(ProductVariant.id))
    first_sku = (select(ProductVariant.sku).where(ProductVariant.product_id == Product.id)
                 .order_by(ProductVariant.position, ProductVariant.id).limit(1).correlate(Product).scalar_subquery())
    first_image = (select(ProductImage.media_id).where(ProductImage.product_id == Product.id)
                   .order_by(ProductImage.position, ProductImage.id).limit(1).correlate(Product).scalar_subquery())
    key = {"title": func.lower(shown_title), "updated": Product.updated_at, "price": min_price}[sort]
    order = [key.asc() if direction == "asc" else key.desc(), Product.id.asc() if direction == "asc"
             else Product.id.desc()]

    total = db.session.scalar(select(func.count(Product.id)).where(*conditions))
    page, pages = pagination.clamp(page, total, PAGE_SIZE)
    rows = db.session.execute(
        select(Product, shown_title, min_price, max_price, count, first_sku, first_image).where(*conditions)
        .order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    thumbnails = media.urls_of(store, [row[-1] for row in rows if row[-1]], thumbnail=True)
    return Page([ProductRow(*row[:-1], image_url=thumbnails.get(row[-1])) for row in rows], total, page, pages)


def count_products(store, status: str | None = None) -> int:
    conditions = [Product.store_id == store.id]
    if status is not None:
        conditions.append(Product.status == status)
    return db.session.scalar(select(func.count(Product.id)).where(*conditions)) or 0


def count_active_products(store) -> int:
    return count_products(store, ACTIVE)


def category_product_counts(store) -> dict[int, int]:
    """How many products each category of the store holds (directly), in one query."""
    rows = db.session.execute(
        select(product_categories.c.category_id, func.count(product_categories.c.product_id))
        .join(Category, Category.id == product_categories.c.category_id)
        .where(Category.store_id == store.id).group_by(product_categories.c.category_id)).all()
    return dict(rows)


def image_urls(store, media_ids, *, thumbnail: bool = True) -> dict[int, str]:
    """Addresses of the store's media items (one query); ids of other stores' items are left out."""
    return media.urls_of(store, media_ids, thumbnail=thumbnail)


def get_product(store, product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or product.store_id != store.id:
        raise NotFound(product_id)
    return product


def get_category(store, category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None or category.store_id != store.id:
        raise NotFound(category_id)
    return category


def category_tree(store) -> list[tuple[Category, int]]:
    """The store's categories in tree order, each with its depth (0: top level), from one query."""
    categories = db.session.scalars(select(Category).where(Category.store_id == store.id)
                                    .order_by(Category.position, Category.id)).all()
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    tree: list[tuple[Category, int]] = []

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            tree.append((category, depth))
            walk(category.id, depth + 1)

    walk(None, 0)
    return tree


# -- products ----------------------------------------------------------------------------------
def _text(value, limit: int | None = None) -> str:
    text = " ".join(str(value or "").split())
    return text[:limit] if limit else text


def _options_list(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("/", ",").split(",")
    return [_text(item) for item in (value or []) if _text(item)]


def normalise_tag(value) -> str:
    """Tags compare in lower case with single spaces: "Summer  Sale" and "summer sale" are one tag."""
    return _text(value).lower()


def clean_tags(value) -> list[str]:
    """Tags from comma-separated text (or a list): trimmed, lower case, each once, in the order given."""
    if isinstance(value, str):
        value = value.split(",")
    tags: list[str] = []
    for item in value or []:
        tag = normalise_tag(item)
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG:
            raise CatalogError(f"A tag has at most {MAX_TAG} characters ('{tag[:MAX_TAG]}…' is longer).", "tags")
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise CatalogError(f"A product has at most {MAX_TAGS} tags (you gave {len(tags)}).", "tags")
    return tags


def _clean_images(store, value) -> list[int]:
    """Media ids in the order shown, each once; every one an image of this store's media library."""
    media_ids: list[int] = []
    for item in value or []:
        try:
            media_id = int(item)
        except (TypeError, ValueError):
            raise CatalogError("Choose the images from the media library.", "images") from None
        if media_id not in media_ids:
            media_ids.append(media_id)
    if len(media_ids) > MAX_IMAGES:
        raise CatalogError(f"A product shows at most {MAX_IMAGES} images.", "images")
    for media_id in media_ids:
        if media.find_item(store, media_id, accept="image") is None:
            raise CatalogError(f"Image {media_id} is not an image of this store's media library; "
                               "choose the images from your own library.", "images")
    return media_ids


def _when(value, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise CatalogError("Enter a date and time, e.g. 2026-12-01 09:00.", field) from None


def _clean_variants(store, product: Product | None, option_names: list[str], posted: list[dict]) -> list[dict]:
    if not posted:
        raise CatalogError("A product needs at least one variant (its SKU and price).", "variants")
    if len(posted) > MAX_VARIANTS:
        raise CatalogError(f"A product has at most {MAX_VARIANTS} variants.", "variants")
    own_ids = {v.id for v in product.variants} if product is not None else set()
    cleaned, seen_skus, seen_options = [], {}, {}
    for index, values in enumerate(posted):
        field = f"variants-{index}-"
        variant_id = values.get("id") or None
        if variant_id is not None:
            try:
                variant_id = int(variant_id)
            except (TypeError, ValueError):
                variant_id = -1
            if variant_id not in own_ids:
                raise CatalogError("This variant is not one of this product's; reload the page.", field + "sku")
        sku = _text(values.get("sku"))
        if not sku:
            raise CatalogError("Give each variant a SKU.", field + "sku")
        if len(sku) > MAX_SKU:
            raise CatalogError(f"A SKU has at most {MAX_SKU} characters.", field + "sku")
        if sku.lower() in seen_skus:
            raise CatalogError(f"The SKU '{sku}' is given to two variants of this form.", field + "sku")
        seen_skus[sku.lower()] = index
        options = _options_list(values.get("options"))
        if len(options) != len(option_names):
            message = (f"Give the {len(option_names)} option value(s) in the order {', '.join(option_names)}, "
                       "separated by commas." if option_names else "Name the options first (e.g. Size, Colour).")
            raise CatalogError(message, field + "options")
        if any(len(option) > MAX_OPTION for option in options):
            raise CatalogError(f"An option value has at most {MAX_OPTION} characters.", field + "options")
        combination = tuple(option.lower() for option in options)
        if option_names and combination in seen_options:
            raise CatalogError(f"Two variants have the options {', '.join(options)}.", field + "options")
        seen_options[combination] = index
        try:
            gtin = clean_gtin(values.get("gtin"))
            price = parse_price(values.get("price"), field + "price")
            sale_price = parse_price(values.get("sale_price"), field + "sale_price")
        except InvalidValue as exc:
            raise CatalogError(str(exc), exc.field if exc.field.startswith(field) else field + exc.field) from None
        if price is None:
            raise CatalogError("Give each variant a price.", field + "price")
        if sale_price is not None and sale_price >= price:
            raise CatalogError("The sale price is lower than the price.", field + "sale_price")
        starts = _when(values.get("sale_starts_at"), field + "sale_starts_at")
        ends = _when(values.get("sale_ends_at"), field + "sale_ends_at")
        if starts and ends and ends <= starts:
            raise CatalogError("The sale ends after it starts.", field + "sale_ends_at")
        cleaned.append({"id": variant_id, "sku": sku, "gtin": gtin, "options": options, "price_cents": price,
                        "sale_price_cents": sale_price, "sale_starts_at": starts, "sale_ends_at": ends,
                        "position": index})
    query = select(ProductVariant.sku).where(ProductVariant.store_id == store.id,
                                             func.lower(ProductVariant.sku).in_(list(seen_skus)))
    if product is not None:
        query = query.where(ProductVariant.product_id != product.id)
    taken = db.session.scalars(query.limit(1)).first()
    if taken is not None:
        raise CatalogError(f"Another product of this store already has the SKU '{taken}'.",
                           f"variants-{seen_skus[taken.lower()]}-sku")
    return cleaned


def _clean_product(store, product: Product | None, data: dict) -> dict:
    languages = store_languages(store)
    default = languages[0]
    translations = {}
    for language in languages:
        values = (data.get("translations") or {}).get(language) or {}
        title = _text(values.get("title"))
        description = str(values.get("description") or "").replace("\r\n", "\n").strip()
        if not (title or description):
            continue
        if not title:
            raise CatalogError(f"Give the {LANGUAGES[language]} version a title, or leave its description empty.",
                               f"title_{language}")
        if len(title) > MAX_TITLE:
            raise CatalogError(f"A title has at most {MAX_TITLE} characters.", f"title_{language}")
        if len(description) > MAX_DESCRIPTION:
            raise CatalogError(f"A description has at most {MAX_DESCRIPTION} characters.", f"description_{language}")
        translations[language] = {"title": title, "description": description}
    if default not in translations:
        raise CatalogError(f"Give the product a title in {LANGUAGES[default]} (the store's default language).",
                           f"title_{default}")
    slug = (_text(data.get("slug")).lower()) or slugify(translations[default]["title"])
    if not SLUG.match(slug) or len(slug) > 120:
        raise CatalogError("Use lower-case letters, digits and single hyphens for the address (e.g. linen-shirt).",
                           "slug")
    query = select(Product.id).where(Product.store_id == store.id, Product.slug == slug)
    if product is not None:
        query = query.where(Product.id != product.id)
    if db.session.scalar(query) is not None:
        raise CatalogError(f"Another product already uses the address '{slug}'.", "slug")
    product_type = data.get("product_type") or "physical"
    if product_type not in PRODUCT_TYPES:
        raise CatalogError(f"Choose a type: {', '.join(PRODUCT_TYPES)}.", "product_type")
    status = data.get("status") or "draft"
    if status not in STATUSES:
        raise CatalogError(f"Choose a status: {', '.join(STATUSES)}.", "status")
    vat_class = data.get("vat_class") or "standard"
    if vat_class not in VAT_RATES:
        raise CatalogError(f"Choose a VAT class: {', '.join(VAT_RATES)}.", "vat_class")
    option_names = _options_list(data.get("option_names"))
    if len(option_names) > MAX_OPTION_NAMES:
        raise CatalogError(f"A product varies by at most {MAX_OPTION_NAMES} options.", "option_names")
    if len({name.lower() for name in option_names}) != len(option_names):
        raise CatalogError("Each option name once, please.", "option_names")
    if any(len(name) > MAX_OPTION for name in option_names):
        raise CatalogError(f"An option name has at most {MAX_OPTION} characters.", "option_names")
    try:
        category_ids = {int(value) for value in data.get("categories") or []}
    except (TypeError, ValueError):
        raise CatalogError("Choose categories from the list.", "categories") from None
    categories = list(db.session.scalars(select(Category).where(Category.store_id == store.id,
                                                                Category.id.in_(category_ids)))) if category_ids else []
    if len(categories) != len(category_ids):
        raise CatalogError("Choose categories of this store.", "categories")
    # Left out of ``data``, tags and images stay as they are (a CSV import without those columns).
    if "tags" in data:
        tags = clean_tags(data.get("tags"))
    else:
        tags = list(product.tags or []) if product is not None else []
    images = _clean_images(store, data.get("images")) if "images" in data else None
    variants = _clean_variants(store, product, option_names, list(data.get("variants") or []))
    return {"slug": slug, "product_type": product_type, "status": status, "vat_class": vat_class,
            "option_names": option_names, "translations": translations, "categories": categories,
            "tags": tags, "images": images, "variants": variants}


def _apply(store, product: Product, cleaned: dict) -> None:
    for key in ("slug", "product_type", "status", "vat_class", "option_names", "tags"):
        setattr(product, key, cleaned[key])
    product.categories = cleaned["categories"]
    if cleaned["images"] is not None:
        by_media = {image.media_id: image for image in product.images}
        images = []
        for position, media_id in enumerate(cleaned["images"]):
            image = by_media.pop(media_id, None) or ProductImage(media_id=media_id)
            image.position = position
            images.append(image)
        product.images = images  # the images left out are deleted (delete-orphan)
    existing = {t.language: t for t in product.translations}
    for language, values in cleaned["translations"].items():
        translation = existing.pop(language, None)
        if translation is None:
            translation = ProductTranslation(language=language)
            product.translations.append(translation)
        translation.title, translation.description = values["title"], values["description"]
    for stale in existing.values():
        product.translations.remove(stale)

    kept = {values["id"] for values in cleaned["variants"] if values["id"] is not None}
    by_id = {variant.id: variant for variant in product.variants}
    removed = [variant for variant in product.variants if variant.id not in kept]
    for variant in removed:
        product.variants.remove(variant)
    if removed and product.id is not None:
        db.session.flush()  # free the removed variants' SKUs before a new variant takes one of them
    for values in cleaned["variants"]:
        variant = by_id.get(values["id"]) if values["id"] is not None else None
        if variant is None:
            variant = ProductVariant(store_id=store.id)
            product.variants.append(variant)
        for key, value in values.items():
            if key != "id":
                setattr(variant, key, value)
    product.updated_at = utcnow()


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise CatalogError("Another product was saved with the same address or SKU meanwhile; nothing was saved. "
                           "Check them and save again.") from exc


def create_product(store, data: dict, actor) -> Product:
    cleaned = _clean_product(store, None, data)
    product = Product(store_id=store.id)
    db.session.add(product)
    _apply(store, product, cleaned)
    audit("catalog.product_created", target=product.slug, store=store, user=actor,
          details={"variants": len(cleaned["variants"])})
    _commit()
    return product


def update_product(store, product: Product, data: dict, actor) -> Product:
    if product.store_id != store.id:
        raise NotFound(product.id)
    # Prices change here: two saves of one product (the editor, an import) wait for each other.
    db.session.execute(select(Product.id).where(Product.id == product.id).with_for_update())
    cleaned = _clean_product(store, product, data)
    _apply(store, product, cleaned)
    audit("catalog.product_saved", target=product.slug, store=store, user=actor,
          details={"variants": len(cleaned["variants"])})
    _commit()
    return product


def suggest_sku_base(slug: str, skus) -> str:
    """The start of generated SKUs: what the product's SKUs share (``ML-TS01`` of ``ML-TS01-S``,
    ``ML-TS01-M``), its one SKU, or else its address in capitals."""
    skus = [_text(sku).upper() for sku in skus or [] if _text(sku)]
    if len(skus) == 1:
        return skus[0][:40]
    if skus:
        shared = os.path.commonprefix(skus).rstrip("-_ ./")
        if len(shared) >= 2:
            return shared[:40]
    return slugify(slug or "").upper()[:40]


def _sku_part(value: str) -> str:
    return slugify(value).upper() or "X"


def variant_matrix(option_names, value_lists, rows: list[dict], *, sku_base: str = "", price: str = "") -> list[dict]:
    """Every combination of the options' values as variant rows (the editor's row data), the first option
    varying slowest. A row whose options match keeps its SKU, prices and id; new rows get a suggested SKU
    (``BASE-S-RED``) and ``price`` (or the first row's price). A single plain variant becomes the first
    combination, keeping its id and prices, so what refers to it (stock, carts) still does."""
    names = _options_list(option_names)
    if not names:
        raise CatalogError("Name the options first (e.g. Size, Colour).", "option_names")
    if len(names) > MAX_OPTION_NAMES:
        raise CatalogError(f"A product varies by at most {MAX_OPTION_NAMES} options.", "option_names")
    values: list[list[str]] = []
    for index, name in enumerate(names):
        listed: list[str] = []
        for value in _options_list(value_lists[index] if index < len(value_lists) else ""):
            if len(value) > MAX_OPTION:
                raise CatalogError(f"An option value has at most {MAX_OPTION} characters.", f"option_values-{index}")
            if value.lower() not in {known.lower() for known in listed}:
                listed.append(value)
        if not listed:
            raise CatalogError(f"List the values of {name}, separated by commas (e.g. S, M, L).",
                               f"option_values-{index}")
        values.append(listed)
    total = math.prod(len(listed) for listed in values)
    if total > MAX_VARIANTS:
        raise CatalogError(f"These values make {total} combinations; a product has at most {MAX_VARIANTS} variants.",
                           "option_values-0")
    by_options: dict[tuple, dict] = {}
    for row in rows:
        by_options.setdefault(tuple(value.lower() for value in _options_list(row.get("options"))), row)
    plain = rows[0] if len(rows) == 1 and not _options_list(rows[0].get("options")) else None
    default_price = _text(price) or next((_text(row.get("price")) for row in rows if _text(row.get("price"))), "")
    base = _text(sku_base).upper()
    generated = []
    for combination in itertools.product(*values):
        options = ", ".join(combination)
        row = by_options.get(tuple(value.lower() for value in combination))
        if row is not None:  # kept as it is, down to the spelling of its values
            generated.append(dict(row))
            continue
        sku = "-".join(part for part in (base, *map(_sku_part, combination)) if part)[:MAX_SKU]
        new_row = {"id": "", "sku": sku, "gtin": "", "options": options, "price": default_price, "sale_price": "",
                   "sale_starts_at": None, "sale_ends_at": None}
        if plain is not None and not generated:
            new_row.update({key: plain.get(key) for key in ("id", "sale_price", "sale_starts_at", "sale_ends_at")})
            new_row["price"] = _text(plain.get("price")) or default_price
        generated.append(new_row)
    return generated


def set_status(store, product_ids, status: str, actor) -> int:
    """Publish, archive or unpublish several products at once; ids of other stores are ignored."""
    if status not in STATUSES:
        raise CatalogError(f"Choose a status: {', '.join(STATUSES)}.", "status")
    ids = set()
    for value in product_ids or []:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            continue
    if not ids:
        return 0
    result = db.session.execute(update(Product).where(Product.store_id == store.id, Product.id.in_(ids),
                                                      Product.status != status)
                                .values(status=status, updated_at=utcnow()).execution_options(
                                    synchronize_session="fetch"))
    changed = result.rowcount or 0
    audit("catalog.products_status_set", target=status, store=store, user=actor,
          details={"requested": len(ids), "changed": changed})
    db.session.commit()
    return changed


# -- the media library asks where an item is used --------------------------------------------
def media_usages(store, media_id: int) -> list[str]:
    """The media library refuses to delete an image that a product shows: "Product: Linen shirt"."""
    title = (select(ProductTranslation.title)
             .where(ProductTranslation.product_id == Product.id,
                    ProductTranslation.language == store.default_language)
             .correlate(Product).scalar_subquery())
    rows = db.session.execute(
        select(Product.slug, title).join(ProductImage, ProductImage.product_id == Product.id)
        .where(Product.store_id == store.id, ProductImage.media_id == media_id).order_by(Product.slug)).all()
    return [f"Product: {shown or slug}" for slug, shown in rows]


media.register_usage(media_usages)


# -- categories --------------------------------------------------------------------------------
def _descendant_ids(store, category_id: int) -> set[int]:
    found, frontier = set(), {category_id}
    rows = db.session.execute(select(Category.id, Category.parent_id).where(Category.store_id == store.id)).all()
    while frontier:
        frontier = {child for child, parent in rows if parent in frontier} - found
        found |= frontier
    return found


def save_category(store, data: dict, actor, category: Category | None = None) -> Category:
    """Create (``category`` None) or save a category: a name per language, its address and its parent."""
    languages = store_languages(store)
    texts = {}
    for language in languages:
        name = _text(((data.get("texts") or {}).get(language) or {}).get("name"))
        if len(name) > 80:
            raise CatalogError("A name has at most 80 characters.", f"name_{language}")
        if name:
            texts[language] = {"name": name}
    if languages[0] not in texts:
        raise CatalogError(f"Name the category in {LANGUAGES[languages[0]]} (the store's default language).",
                           f"name_{languages[0]}")
    slug = _text(data.get("slug")).lower() or slugify(texts[languages[0]]["name"])
    if not SLUG.match(slug) or len(slug) > 80:
        raise CatalogError("Use lower-case letters, digits and single hyphens for the address.", "slug")
    query = select(Category.id).where(Category.store_id == store.id, Category.slug == slug)
    if category is not None:
        if category.store_id != store.id:
            raise NotFound(category.id)
        query = query.where(Category.id != category.id)
    if db.session.scalar(query) is not None:
        raise CatalogError(f"Another category already uses the address '{slug}'.", "slug")
    parent_id = data.get("parent_id") or None
    if parent_id is not None:
        try:
            parent = get_category(store, int(parent_id))
        except (TypeError, ValueError, NotFound):
            raise CatalogError("Choose a parent category of this store.", "parent_id") from None
        if category is not None and (parent.id == category.id or parent.id in _descendant_ids(store, category.id)):
            raise CatalogError("A category cannot sit inside itself or one of its subcategories.", "parent_id")
        parent_id = parent.id
    created = category is None
    if created or category.parent_id != parent_id:
        last = db.session.scalar(select(func.max(Category.position)).where(
            Category.store_id == store.id,
            Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id))
        position = (last if last is not None else -1) + 1
    else:
        position = category.position
    if created:
        category = Category(store_id=store.id)
        db.session.add(category)
    category.slug, category.parent_id, category.texts, category.position = slug, parent_id, texts, position
    audit("catalog.category_created" if created else "catalog.category_saved", target=slug, store=store, user=actor)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise CatalogError(f"Another category already uses the address '{slug}'.", "slug") from exc
    return category


def move_category(store, category_id: int, direction: str, actor=None) -> Category:
    """Move a category one place up or down among its siblings; their order is renumbered 0, 1, 2…"""
    if direction not in ("up", "down"):
        raise CatalogError("Move a category up or down.", "direction")
    category = get_category(store, category_id)
    siblings = list(db.session.scalars(select(Category).where(
        Category.store_id == store.id,
        Category.parent_id.is_(None) if category.parent_id is None else Category.parent_id == category.parent_id)
        .order_by(Category.position, Category.id)))
    index = siblings.index(category)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    audit("catalog.category_moved", target=category.slug, store=store, user=actor, details={"direction": direction})
    db.session.commit()
    return category


def delete_category(store, category_id: int, actor) -> None:
    """Delete an empty branch: products keep existing, they just leave the category."""
    category = get_category(store, category_id)
    if db.session.scalar(select(Category.id).where(Category.parent_id == category.id).limit(1)) is not None:
        raise CatalogError("Move or delete its subcategories first.")
    db.session.execute(delete(product_categories).where(product_categories.c.category_id == category.id))
    audit("catalog.category_deleted", target=category.slug, store=store, user=actor)
    db.session.delete(category)
    db.session.commit()

