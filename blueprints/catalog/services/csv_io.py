"""Products as CSV: the export (one row per variant) and the import (the upload is checked here, in the
request; its rows are worked through by the task ``catalog.run_import``).

Columns: ``handle`` (the product's address), ``title_<language>`` and ``description_<language>`` per store
language, ``status``, ``type``, ``vat_class``, ``categories`` (their addresses), ``tags``, ``option_names``,
``option_values``, ``sku``, ``gtin``, ``price``, ``sale_price``, ``images`` (media ids). Lists inside a cell
are separated by ``|``. The rows of one handle are all the variants of that product; the product's own
columns are read from its first row. A column left out of the file leaves that value as it is.

Each product is saved through ``create_product``/``update_product`` (by handle: an existing address is
updated) in a transaction of its own, so a refused product is skipped whole while the others land.
"""
from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from celery.utils import uuid
from sqlalchemy import func, select, update
from sqlalchemy.orm import defer, joinedload, selectinload

from blueprints.catalog.models import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    CatalogImport,
    Category,
    Product,
)
from blueprints.catalog.services.products import CatalogError, NotFound, create_product, update_product
from blueprints.tenancy.models import Store
from webapp import pagination
from webapp.extensions import db
from webapp.i18n import store_languages
from webapp.models import User, utcnow
from webapp.pagination import Page
from webapp.security import audit

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS = 500
PAGE_SIZE = 20
LIST = "|"
REQUIRED = ("handle", "sku", "price")
# A spreadsheet runs a cell starting with one of these as a formula: exported with a leading "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What the product service names a field -> the CSV column it came from.
COLUMN_OF_FIELD = {"slug": "handle", "product_type": "type", "variants": None, "options": "option_values",
                   "sale_starts_at": None, "sale_ends_at": None}


class CsvError(ValueError):
    """The file as a whole is refused (shown above the upload form, 422)."""




# -- export ------------------------------------------------------------------------------------
def columns(store) -> list[str]:
    languages = store_languages(store)
    return ["handle", *(f"title_{language}" for language in languages),
            *(f"description_{language}" for language in languages), "status", "type", "vat_class", "categories",
            "tags", "option_names", "option_values", "sku", "gtin", "price", "sale_price", "images"]


def cents_text(cents: int | None) -> str:
    return "" if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _uncell(text: str) -> str:
    """A cell as exported: the "'" that kept a spreadsheet from running it as a formula comes off."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS else text


def export_rows(store) -> list[list[str]]:
    """One row per variant of every product of the store, in five queries whatever the number of products."""
    languages = store_languages(store)
    products = db.session.scalars(
        select(Product).where(Product.store_id == store.id).order_by(Product.slug)
        .options(selectinload(Product.translations), selectinload(Product.variants),
                 selectinload(Product.categories), selectinload(Product.images))).all()
    rows = []
    for product in products:
        texts = {translation.language: translation for translation in product.translations}
        shared = [
            product.slug,
            *(texts[language].title if language in texts else "" for language in languages),
            *(texts[language].description if language in texts else "" for language in languages),
            product.status, product.product_type, product.vat_class,
            LIST.join(category.slug for category in product.categories), LIST.join(product.tags or []),
            LIST.join(product.option_names or []),
        ]
        images = LIST.join(str(image.media_id) for image in product.images)
        for variant in product.variants:
            rows.append([*shared, LIST.join(variant.options or []), variant.sku, variant.gtin or "",
                         cents_text(variant.price_cents), cents_text(variant.sale_price_cents), images])
    return rows


def export_csv(store) -> Iterator[str]:
    """The CSV in chunks: a byte-order mark (so Excel reads UTF-8), the header, a row per variant.

    Every cell is quoted, so a comma, a semicolon (Excel's separator in French and German) or a line
    break inside a text never splits it. The rows are read before the first chunk is sent."""
    rows = export_rows(store)
    header = columns(store)

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(value) for value in row])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return chunks()


# -- reading a file ----------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise CsvError("This is an Excel workbook (or another ZIP file), not a CSV file. In Excel choose "
                       "File › Save as › “CSV UTF-8”, and upload that file.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise CsvError("This file is not UTF-8 text (it may be UTF-16 or a binary file). Save it as "
                       "“CSV UTF-8” and upload it again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows writes Windows-1252; every byte then decodes, so take it as such.
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    """Comma, semicolon (Excel in French or German) or tab: whichever the header line uses most."""
    return max((",", ";", "\t"), key=header_line.count)


def _reader(text: str):
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=False)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise CsvError(f"The header row cannot be read as CSV: {exc}.") from None
    return reader, [name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_") for name in header]


def check_text(text: str) -> int:
    """The number of product rows of ``text``; CsvError when the file cannot be imported at all."""
    reader, header = _reader(text)
    if not any(header):
        raise CsvError("The file is empty: its first row must name the columns (handle, sku, price …).")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CsvError(f"The header row lacks the column(s) {', '.join(missing)}. The first row names the "
                       f"columns; export your products to see them all (found: {', '.join(header[:12])}).")
    doubled = sorted({name for name in header if name and header.count(name) > 1})
    if doubled:
        raise CsvError(f"The header row names the column(s) {', '.join(doubled)} twice.")
    rows = 0
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows += 1
                if rows > MAX_ROWS:
                    raise CsvError(f"The file has more than {MAX_ROWS} rows; split it into smaller files.")
    except csv.Error as exc:
        raise CsvError(f"Row {reader.line_num} cannot be read as CSV ({exc}); check its quotes.") from None
    if not rows:
        raise CsvError("The file has a header row but no product rows.")
    return rows


def read_upload(filename: str, stream) -> tuple[str, str, int]:
    """(clean file name, text, product rows) of an uploaded CSV; CsvError with what to fix otherwise."""
    if stream is None or not (filename or "").strip():
        raise CsvError("Choose a CSV file to import.")
    name = " ".join("".join(ch for ch in str(filename).replace("\\", "/").rsplit("/", 1)[-1]
                            if ch.isprintable()).split())[:200] or "products.csv"
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CsvError(f"The file is larger than the limit of {MAX_BYTES // (1024 * 1024)} MB; split it into "
                       "smaller files.")
    if not data.strip():
        raise CsvError("The file is empty.")
    text = _decode(data)
    return name, text, check_text(text)


# -- imports -----------------------------------------------------------------------------------
def start_import(store, filename: str, stream, actor) -> CatalogImport:
    """Check the file, keep it as an import run and queue the task that works through it.

    Without Redis the task runs at once, in this request; the run then is finished on return."""
    from blueprints.catalog import tasks  # the task module imports this one

    name, text, rows = read_upload(filename, stream)
    run = CatalogImport(store_id=store.id, user_id=getattr(actor, "id", None), filename=name, csv_text=text,
                        state=QUEUED, row_count=rows, errors=[], task_id=uuid())
    db.session.add(run)
    db.session.flush()
    audit("catalog.import_started", target=name, store=store, user=actor, details={"import_id": run.id, "rows": rows})
    db.session.commit()
    run_id = run.id
    try:
        tasks.run_import.apply_async(kwargs={"import_id": run_id, "platform_id": store.platform_id},
                                     task_id=run.task_id)
    except Exception:  # the broker is down: say so on the run instead of leaving it queued for ever
        log.exception("Could not queue catalog import %s", run_id)
        db.session.rollback()
        _finish(run_id, FAILED, [_error(None, None, "The import could not be started just now; nothing was "
                                                    "imported. Please upload the file again in a moment.")])
    db.session.expire_all()
    return get_import(store, run_id)


def _runs(store):
    return (select(CatalogImport).where(CatalogImport.store_id == store.id)
            .options(defer(CatalogImport.csv_text), joinedload(CatalogImport.user)))


def list_imports(store, page: int = 1) -> Page:
    """The store's import runs, newest first (one count and one list query; the files are not read)."""
    total = db.session.scalar(select(func.count(CatalogImport.id)).where(CatalogImport.store_id == store.id))
    page, pages = pagination.clamp(page, total, PAGE_SIZE)
    items = db.session.scalars(_runs(store).order_by(CatalogImport.created_at.desc(), CatalogImport.id.desc())
                               .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page(list(items), total, page, pages)


def get_import(store, import_id: int) -> CatalogImport:
    run = db.session.scalar(_runs(store).where(CatalogImport.id == import_id))
    if run is None:
        raise NotFound(import_id)
    return run


def _error(row: int | None, column: str | None, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def _finish(run_id: int, state: str, errors: list[dict]) -> None:
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], _error(None, None, f"{len(errors) - MAX_ERRORS} more errors are not "
                                                           "listed; correct those above and import again.")]
    db.session.execute(update(CatalogImport).where(CatalogImport.id == run_id)
                       .values(state=state, errors=errors, finished_at=utcnow()))
    db.session.commit()


STALLED_AFTER = timedelta(hours=6)  # a 5 MB file takes minutes: a run this old lost its worker


def fail_stalled_imports(now: datetime | None = None) -> int:
    """Mark runs still queued or running long after their upload as failed (their worker died, or the
    broker lost the task), so the merchant sees that and uploads the file again."""
    cutoff = (now or utcnow()) - STALLED_AFTER
    failed = db.session.execute(
        update(CatalogImport).where(CatalogImport.state.in_((QUEUED, RUNNING)), CatalogImport.created_at < cutoff)
        .values(state=FAILED, finished_at=utcnow(),
                errors=[_error(None, None, "The import stopped without finishing; the products listed as created "
                                           "or updated are saved. Upload the file again for the rest.")])).rowcount
    db.session.commit()
    return failed or 0


def run_import(import_id: int) -> dict:
    """Work through an import run (the task's body). A run that is not queued (already taken by another
    worker, or finished) is left alone, so a task delivered twice imports once."""
    taken = db.session.execute(update(CatalogImport).where(CatalogImport.id == import_id,
                                                           CatalogImport.state == QUEUED)
                               .values(state=RUNNING)).rowcount
    db.session.commit()
    if not taken:
        return {"skipped": True}
    run = db.session.get(CatalogImport, import_id)
    store = db.session.get(Store, run.store_id)
    actor = db.session.get(User, run.user_id) if run.user_id else None
    try:
        counts, errors = _import_rows(store, actor, run.csv_text, import_id)
    except CsvError as exc:
        db.session.rollback()
        _finish(import_id, FAILED, [_error(None, None, str(exc))])
        return {"failed": str(exc)}
    except Exception:
        db.session.rollback()
        _finish(import_id, FAILED, [_error(None, None, "The import stopped on an unexpected error; the products "
                                                       "listed as created or updated are saved.")])
        raise
    _finish(import_id, DONE, errors)
    return counts


def _split(text: str, *, commas: bool = False) -> list[str]:
    parts = text.replace(",", LIST).split(LIST) if commas else text.split(LIST)
    return [" ".join(part.split()) for part in parts if part.strip()]


def _import_rows(store, actor, text: str, import_id: int) -> tuple[dict, list[dict]]:
    check_text(text)  # checked at the upload already; a run queued by other means gets the same messages
    reader, header = _reader(text)
    handle_at = header.index("handle")
    errors: list[dict] = []
    groups: dict[str, list[tuple[int, dict]]] = {}
    broken: set[str] = set()  # handles with a row that could not be read: the whole product is skipped
    orphans = 0  # rows without a handle
    for number, cells in enumerate(reader, start=2):  # the spreadsheet's row number: the header is row 1
        if not any(cell.strip() for cell in cells):
            continue
        handle = cells[handle_at].strip().lower() if handle_at < len(cells) else ""
        if len(cells) != len(header):
            errors.append(_error(number, None, f"This row has {len(cells)} columns where the header has "
                                               f"{len(header)}; check its separators and quotes."))
            if handle:
                broken.add(handle)
                groups.setdefault(handle, [])
            else:
                orphans += 1
            continue
        if not handle:
            errors.append(_error(number, "handle", "Give every row the handle of its product (its address, "
                                                   "e.g. linen-shirt)."))
            orphans += 1
            continue
        groups.setdefault(handle, []).append((number, {name: _uncell(cell) for name, cell in zip(header, cells,
                                                                                                   strict=True)}))

    categories = {category.slug: category.id for category in
                  db.session.scalars(select(Category).where(Category.store_id == store.id))}
    counts = {"created": 0, "updated": 0, "failed": orphans}
    for handle, rows in groups.items():
        if handle in broken or not rows:
            counts["failed"] += 1
        else:
            existing = db.session.scalar(select(Product).where(Product.store_id == store.id, Product.slug == handle))
            data, problems = _product_data(store, header, handle, rows, existing, categories)
            if problems:
                errors.extend(problems)
                counts["failed"] += 1
            else:
                try:
                    if existing is None:
                        create_product(store, data, actor)
                        counts["created"] += 1
                    else:
                        update_product(store, existing, data, actor)
                        counts["updated"] += 1
                except CatalogError as exc:
                    db.session.rollback()  # ends the transaction (and its row lock) of the refused product
                    errors.append(_error_of(exc, rows))
                    counts["failed"] += 1
        db.session.execute(update(CatalogImport).where(CatalogImport.id == import_id).values(
            created_count=counts["created"], updated_count=counts["updated"], failed_count=counts["failed"]))
        db.session.commit()
    if orphans:
        db.session.execute(update(CatalogImport).where(CatalogImport.id == import_id)
                           .values(failed_count=counts["failed"]))
        db.session.commit()
    audit("catalog.import_finished", target=str(import_id), store=store, user=actor, details=counts)
    db.session.commit()
    return counts, errors


def _product_data(store, header: list[str], handle: str, rows: list[tuple[int, dict]], existing: Product | None,
                  categories: dict[str, int]) -> tuple[dict, list[dict]]:
    """What ``create_product``/``update_product`` take, from the rows of one handle; and the problems the
    service cannot see (category addresses, image ids), each at its row and column."""
    number, first = rows[0]
    present = set(header)
    problems: list[dict] = []
    data: dict = {"slug": handle}

    translations = {t.language: {"title": t.title, "description": t.description}
                    for t in (existing.translations if existing else [])}
    for language in store_languages(store):
        texts = translations.setdefault(language, {"title": "", "description": ""})
        for key in ("title", "description"):
            if f"{key}_{language}" in present:
                texts[key] = first[f"{key}_{language}"]
    data["translations"] = translations

    for key, column in (("status", "status"), ("product_type", "type"), ("vat_class", "vat_class")):
        value = first[column].strip().lower() if column in present else ""
        data[key] = value or (getattr(existing, key) if existing is not None else "")

    if "categories" in present:
        slugs = [slug.lower() for slug in _split(first["categories"], commas=True)]
        unknown = [slug for slug in slugs if slug not in categories]
        if unknown:
            problems.append(_error(number, "categories", f"This store has no category with the address "
                                                         f"{', '.join(unknown)}; create it first or correct it."))
        data["categories"] = [categories[slug] for slug in slugs if slug in categories]
    else:
        data["categories"] = [category.id for category in existing.categories] if existing is not None else []
    if "tags" in present:
        data["tags"] = _split(first["tags"], commas=True)
    data["option_names"] = (_split(first["option_names"]) if "option_names" in present
                            else list(existing.option_names or []) if existing is not None else [])
    if "images" in present:
        ids = _split(first["images"], commas=True)
        if not all(value.isdigit() and len(value) < 10 for value in ids):
            problems.append(_error(number, "images", "Give images as media ids separated by |, e.g. 12|15."))
        else:
            data["images"] = [int(value) for value in ids]

    by_sku = {variant.sku.lower(): variant for variant in (existing.variants if existing is not None else [])}
    variants = []
    for _number, values in rows:
        sku = " ".join(values["sku"].split())
        current = by_sku.get(sku.lower())
        variants.append({
            "id": current.id if current is not None else None,
            "sku": sku,
            "options": (_split(values["option_values"]) if "option_values" in present
                        else list(current.options or []) if current is not None else []),
            "price": values["price"],
            "gtin": values["gtin"] if "gtin" in present else (current.gtin if current is not None else ""),
            "sale_price": (values["sale_price"] if "sale_price" in present
                           else cents_text(current.sale_price_cents) if current is not None else ""),
            "sale_starts_at": current.sale_starts_at if current is not None else None,
            "sale_ends_at": current.sale_ends_at if current is not None else None,
        })
    data["variants"] = variants
    return data, problems


def _error_of(exc: CatalogError, rows: list[tuple[int, dict]]) -> dict:
    """The product service's refusal at the CSV row and column it is about."""
    field = exc.field or ""
    number = rows[0][0]
    if field.startswith("variants-"):
        _, index, attribute = field.split("-", 2)
        if index.isdigit() and int(index) < len(rows):
            number = rows[int(index)][0]
        return _error(number, COLUMN_OF_FIELD.get(attribute, attribute), str(exc))
    return _error(number, COLUMN_OF_FIELD.get(field, field or None), str(exc))
