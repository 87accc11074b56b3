"""CSV export and import of products: the file's content, the upload's checks, the import run (each product
saved whole or not at all, errors at their row and column), its page, and who may use them."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from blueprints.catalog import services
from blueprints.catalog.models import CatalogImport, Product, ProductVariant
from blueprints.catalog.services import csv_io
from webapp.extensions import db
from webapp.models import AuditLog, TaskRun, utcnow

GTIN = "4006381333931"  # a valid EAN-13
HEADER = ["handle", "title_fr", "title_en", "status", "categories", "tags", "option_names", "option_values", "sku",
          "gtin", "price", "sale_price"]


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def row(handle, sku, price="10.00", title=None, **values) -> list[str]:
    """A CSV row in HEADER's order; unnamed columns empty, the title from the handle."""
    cells = {"handle": handle, "sku": sku, "price": price, "title_fr": title if title is not None else handle.title()}
    cells.update(values)
    return [cells.get(name, "") for name in HEADER]


def upload(client, data: bytes, filename="products.csv", **headers):
    return client.post("/store/epicerie/catalog/imports", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", headers=headers)


def latest_run() -> CatalogImport:
    db.session.expire_all()
    return db.session.scalar(select(CatalogImport).order_by(CatalogImport.id.desc()))


def products(store) -> dict[str, Product]:
    db.session.expire_all()
    return {p.slug: p for p in db.session.scalars(select(Product).where(Product.store_id == store.id))}


@pytest.fixture
def shirts(store, owner):
    return services.save_category(store, {"slug": "chemises", "texts": {"fr": {"name": "Chemises"}}}, owner)


# -- export -------------------------------------------------------------------------------------
def test_the_export_has_a_row_per_variant_with_every_column(sign_in, owner, store, shirts, make_product, make_media):
    image = make_media(store)
    make_product(store, "Chemise", slug="chemise", status="active", option_names="Size", tags="linen, summer",
                 categories=[shirts.id], images=[image.id],
                 translations={"fr": {"title": "Chemise", "description": "Lin; lavé,\nsouple"},
                               "en": {"title": "=HYPERLINK(\"http://x\")", "description": ""}},
                 variants=[{"sku": "CH-S", "options": "S", "price": "29,90", "gtin": GTIN, "sale_price": "24,90"},
                           {"sku": "CH-M", "options": "M", "price": "31"}])
    response = sign_in(owner).get("/store/epicerie/catalog/export")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="products-epicerie-')
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with the byte-order mark
    assert '"Lin; lavé,\nsouple"'.encode() in raw  # quoted whole: no separator splits it
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(table[0]) == csv_io.columns(store) == [
        "handle", "title_fr", "title_en", "title_de", "description_fr", "description_en", "description_de", "status",
        "type", "vat_class", "categories", "tags", "option_names", "option_values", "sku", "gtin", "price",
        "sale_price", "images"]
    assert [(r["handle"], r["sku"], r["option_values"], r["price"], r["sale_price"], r["gtin"]) for r in table] == [
        ("chemise", "CH-S", "S", "29.90", "24.90", GTIN), ("chemise", "CH-M", "M", "31.00", "", "")]
    first = table[0]
    assert (first["status"], first["categories"], first["tags"], first["option_names"], first["images"]) == (
        "active", "chemises", "linen|summer", "Size", str(image.id))
    assert first["title_en"] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet shows it, never runs it


def test_the_export_costs_the_same_queries_for_1_and_many_products(sign_in, owner, store, shirts, make_product,
                                                                  make_media, count_queries):
    make_product(store, "Product 0", categories=[shirts.id], images=[make_media(store).id])
    client = sign_in(owner)
    client.get("/store/epicerie/catalog/export")
    with count_queries() as one:
        client.get("/store/epicerie/catalog/export")
    for number in range(1, 25):
        make_product(store, f"Product {number}", categories=[shirts.id], images=[make_media(store).id],
                     variants=[{"sku": f"P{number}-A", "price": "1"}, {"sku": f"P{number}-B", "price": "2"}])
    client.get("/store/epicerie/catalog/export")
    with count_queries() as many:
        body = client.get("/store/epicerie/catalog/export").get_data(as_text=True)
    assert body.count("\r\n") == 1 + 1 + 24 * 2
    assert many.count == one.count, many.statements


def test_an_export_imports_back_unchanged(sign_in, owner, store, shirts, make_product):
    make_product(store, "Chemise", categories=[shirts.id], tags="linen", option_names="Size",
                 variants=[{"sku": "CH-S", "options": "S", "price": "29,90", "gtin": GTIN},
                           {"sku": "CH-M", "options": "M", "price": "31"}])
    make_product(store, "Pain", translations={"fr": {"title": "Pain", "description": "=1+1"}})
    before = {slug: [(v.id, v.sku, v.price_cents, v.gtin, v.options) for v in p.variants]
              for slug, p in products(store).items()}
    client = sign_in(owner)
    exported = client.get("/store/epicerie/catalog/export").get_data()
    assert upload(client, exported, "export.csv").status_code == 303
    run = latest_run()
    assert (run.state, run.created_count, run.updated_count, run.failed_count, run.errors) == ("done", 0, 2, 0, [])
    after = products(store)
    assert {slug: [(v.id, v.sku, v.price_cents, v.gtin, v.options) for v in p.variants]
            for slug, p in after.items()} == before
    assert after["pain"].translation("fr", "fr").description == "=1+1"
    assert after["chemise"].tags == ["linen"] and [c.slug for c in after["chemise"].categories] == ["chemises"]


# -- import ---------------------------------------------------------------------------------------
def test_an_import_creates_new_products_and_updates_existing_ones_by_handle(sign_in, owner, store, shirts,
                                                                             make_product):
    bread = make_product(store, "Pain", slug="pain", variants=[{"sku": "PAIN", "price": "2,90"}])
    bread_variant = bread.variants[0].id
    data = csv_bytes([
        row("linen-shirt", "LS-S", "29.90", "Chemise en lin", title_en="Linen shirt", status="Active",
            categories="chemises", tags="Linen|summer", option_names="Size", option_values="S", gtin=GTIN),
        row("linen-shirt", "LS-M", "31,00", "", option_values="M", sale_price="25"),
        row("pain", "PAIN", "3.20", "Pain"),
    ])
    client = sign_in(owner)
    response = upload(client, data)
    run = latest_run()
    assert response.status_code == 303 and response.location.endswith(f"/catalog/imports/{run.id}")
    assert (run.state, run.row_count, run.created_count, run.updated_count, run.failed_count) == ("done", 3, 1, 1, 0)
    assert run.user_id == owner.id and run.finished_at is not None and run.errors == []
    found = products(store)
    shirt = found["linen-shirt"]
    assert (shirt.status, shirt.option_names, shirt.tags, [c.slug for c in shirt.categories]) == (
        "active", ["Size"], ["linen", "summer"], ["chemises"])
    assert shirt.translation("en", "fr").title == "Linen shirt"
    assert [(v.sku, v.options, v.price_cents, v.sale_price_cents, v.gtin) for v in shirt.variants] == [
        ("LS-S", ["S"], 2990, None, GTIN), ("LS-M", ["M"], 3100, 2500, None)]
    assert [(v.id, v.price_cents) for v in found["pain"].variants] == [(bread_variant, 320)]
    actions = list(db.session.scalars(select(AuditLog.action).where(AuditLog.store_id == store.id)))
    assert {"catalog.import_started", "catalog.product_created", "catalog.product_saved",
            "catalog.import_finished"} <= set(actions)
    assert db.session.scalar(select(TaskRun.state).where(TaskRun.task_name == "catalog.run_import")) == "SUCCESS"

    page = client.get(response.location).get_data(as_text=True)
    assert 'data-state="done"' in page and "every 2s" not in page and "No errors" in page


MALFORMED = {
    # name: (rows of the product "bad", the error's row offset in it, column, words of the message)
    "wrong column count": ([row("bad", "BAD-1") + ["extra"]], 0, None, "columns"),
    "invalid GTIN": ([row("bad", "BAD-1", gtin="4006381333932")], 0, "gtin", "not a valid GTIN"),
    "SKU of another product": ([row("bad", "GOOD-A")], 0, "sku", "already has the SKU"),
    "SKU twice in the product": ([row("bad", "BAD-1", option_names="Size", option_values="S"),
                                  row("bad", "bad-1", option_values="M")], 1, "sku", "given to two variants"),
    "negative price": ([row("bad", "BAD-1"), row("bad", "BAD-2", "-5")], 1, "price", "cannot be negative"),
    "price not a number": ([row("bad", "BAD-1", "ten")], 0, "price", "Enter the price as a number"),
    "unknown category": ([row("bad", "BAD-1", categories="chemises|shoes")], 0, "categories", "address shoes"),
    "unknown status": ([row("bad", "BAD-1", status="published")], 0, "status", "Choose a status"),
    "no title": ([row("bad", "BAD-1", title="")], 0, "title_fr", "title in Français"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_product_is_skipped_whole_with_its_row_and_column_and_the_others_are_saved(
        sign_in, owner, store, shirts, case):
    bad_rows, offset, column, words = MALFORMED[case]
    data = csv_bytes([row("good-a", "GOOD-A"), *bad_rows, row("good-b", "GOOD-B")])
    assert upload(sign_in(owner), data).status_code == 303
    run = latest_run()
    assert (run.state, run.created_count, run.updated_count, run.failed_count) == ("done", 2, 0, 1)
    assert len(run.errors) == 1
    error = run.errors[0]
    assert (error["row"], error["column"]) == (3 + offset, column)  # the header is row 1, good-a row 2
    assert words in error["message"]
    assert set(products(store)) == {"good-a", "good-b"}
    assert db.session.scalar(select(func.count(ProductVariant.id)).where(ProductVariant.store_id == store.id)) == 2


def test_a_refused_update_leaves_the_product_as_it_was(sign_in, owner, store, make_product):
    product = make_product(store, "Pain", slug="pain", variants=[{"sku": "PAIN", "price": "2,90"}])
    data = csv_bytes([row("pain", "PAIN", "3.50", "Pain complet"), row("pain", "PAIN-XL", "oops")])
    assert upload(sign_in(owner), data).status_code == 303
    assert latest_run().failed_count == 1
    product = products(store)["pain"]
    assert product.translation("fr", "fr").title == "Pain"
    assert [(v.sku, v.price_cents) for v in product.variants] == [("PAIN", 290)]


def test_rows_without_a_handle_are_listed_and_counted(sign_in, owner, store):
    assert upload(sign_in(owner), csv_bytes([row("", "X-1"), row("fine", "FINE")])).status_code == 303
    run = latest_run()
    assert (run.created_count, run.failed_count) == (1, 1)
    assert run.errors == [{"row": 2, "column": "handle", "message": run.errors[0]["message"]}]


def test_a_semicolon_separated_windows_1252_file_from_excel_is_read(sign_in, owner, store):
    data = csv_bytes([row("pate", "PATE", "4,50", "Pâte à tartiner")], delimiter=";", encoding="cp1252")
    assert upload(sign_in(owner), data, "excel.csv").status_code == 303
    product = products(store)["pate"]
    assert product.translation("fr", "fr").title == "Pâte à tartiner" and product.variants[0].price_cents == 450


@pytest.mark.parametrize(("data", "message"), [
    (csv_bytes([["x", "y"]], header=["handle", "title_fr"]), "lacks the column(s) sku, price"),
    (b"PK\x03\x04" + b"\x00" * 100, "Excel workbook"),
    ("handle,sku,price\n".encode("utf-16"), "not UTF-8 text"),
    (b"", "empty"),
    (csv_bytes([]), "no product rows"),
    (csv_bytes([["a", "b", "c"]], header=["handle", "sku", "price", "sku"]), "sku twice"),
])
def test_a_file_that_cannot_be_imported_answers_422_with_the_reason_and_starts_nothing(
        sign_in, owner, store, htmx_client, data, message):
    sign_in(owner)
    response = htmx_client.post("/store/epicerie/catalog/imports", data={"file": (io.BytesIO(data), "x.csv")},
                                content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form method="post"') and message in body and "is-invalid" in body
    assert db.session.scalar(select(func.count(CatalogImport.id))) == 0


def test_a_file_over_the_size_limit_answers_422(sign_in, owner, store, htmx_client, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_BYTES", 200)
    sign_in(owner)
    data = csv_bytes([row(f"p{n}", f"P{n}") for n in range(10)])
    response = htmx_client.post("/store/epicerie/catalog/imports", data={"file": (io.BytesIO(data), "big.csv")},
                                content_type="multipart/form-data")
    assert response.status_code == 422 and "larger than the limit" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Product.id))) == 0


def test_no_file_chosen_answers_422(sign_in, owner, store):
    response = sign_in(owner).post("/store/epicerie/catalog/imports", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file" in response.get_data(as_text=True)


def test_a_queued_run_polls_until_it_is_done_and_a_task_delivered_twice_imports_once(sign_in, owner, store,
                                                                                      htmx_client):
    text = csv_bytes([row("tea", "TEA", "5")]).decode()
    run = CatalogImport(store_id=store.id, user_id=owner.id, filename="tea.csv", csv_text=text, row_count=1)
    db.session.add(run)
    db.session.commit()
    sign_in(owner)
    url = f"/store/epicerie/catalog/imports/{run.id}"
    body = htmx_client.get(url).get_data(as_text=True)
    assert body.lstrip().startswith('<div id="import-status" data-state="queued"') and 'hx-trigger="every 2s"' in body

    assert csv_io.run_import(run.id) == {"created": 1, "updated": 0, "failed": 0}
    assert csv_io.run_import(run.id) == {"skipped": True}
    body = htmx_client.get(url).get_data(as_text=True)
    assert 'data-state="done"' in body and "hx-trigger" not in body
    assert db.session.scalar(select(func.count(Product.id)).where(Product.store_id == store.id)) == 1


def test_the_run_page_lists_the_errors_with_row_and_column(sign_in, owner, store):
    client = sign_in(owner)
    response = upload(client, csv_bytes([row("bad", "BAD", gtin="123")]))
    page = client.get(response.location).get_data(as_text=True)
    assert 'class="import-error" data-row="2" data-column="gtin"' in page and "not a valid GTIN" in page


def test_the_imports_list_costs_the_same_queries_for_1_and_many_runs(sign_in, owner, store, count_queries):
    def add_runs(count):
        for number in range(count):
            db.session.add(CatalogImport(store_id=store.id, user_id=owner.id, filename=f"{number}.csv",
                                         csv_text="handle,sku,price\n", state="done"))
        db.session.commit()

    add_runs(1)
    client = sign_in(owner)
    client.get("/store/epicerie/catalog/imports")
    with count_queries() as one:
        page = client.get("/store/epicerie/catalog/imports").get_data(as_text=True)
    assert page.count('data-state="done"') == 1 and owner.email in page
    add_runs(30)
    client.get("/store/epicerie/catalog/imports")
    with count_queries() as many:
        page = client.get("/store/epicerie/catalog/imports").get_data(as_text=True)
    assert page.count('data-state="done"') == csv_io.PAGE_SIZE
    assert many.count == one.count, many.statements


def test_staff_without_the_import_permission_may_neither_import_nor_export(sign_in, staff_user, store):
    client = sign_in(staff_user)
    assert client.get("/store/epicerie/catalog/imports").status_code == 403
    assert client.get("/store/epicerie/catalog/export").status_code == 403
    assert upload(client, csv_bytes([row("tea", "TEA")])).status_code == 403
    assert db.session.scalar(select(func.count(CatalogImport.id))) == 0
    assert db.session.scalar(select(func.count(Product.id))) == 0
    assert "/catalog/imports" not in client.get("/store/epicerie/catalog/").get_data(as_text=True)


def test_another_stores_import_run_is_404(sign_in, owner, store, other_store):
    theirs = CatalogImport(store_id=other_store.id, filename="x.csv", csv_text="handle,sku,price\n", state="done")
    db.session.add(theirs)
    db.session.commit()
    assert sign_in(owner).get(f"/store/epicerie/catalog/imports/{theirs.id}").status_code == 404


def test_an_import_whose_worker_died_is_shown_as_failed_after_six_hours(sign_in, owner, store):
    now = utcnow()
    stalled = CatalogImport(store_id=store.id, filename="old.csv", csv_text="handle,sku,price\n", state="running",
                            created_at=now - timedelta(hours=7))
    lost = CatalogImport(store_id=store.id, filename="lost.csv", csv_text="handle,sku,price\n", state="queued",
                         created_at=now - timedelta(hours=7))
    current = CatalogImport(store_id=store.id, filename="new.csv", csv_text="handle,sku,price\n", state="running",
                            created_at=now - timedelta(minutes=5))
    db.session.add_all([stalled, lost, current])
    db.session.commit()

    assert csv_io.fail_stalled_imports() == 2
    db.session.expire_all()
    assert (stalled.state, lost.state, current.state) == ("failed", "failed", "running")
    page = sign_in(owner).get(f"/store/{store.store_code}/catalog/imports/{stalled.id}").get_data(as_text=True)
    assert "stopped without finishing" in page
