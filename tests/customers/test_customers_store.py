"""Store admin: the customer list, a customer's page, notes, tags, GDPR export and erasure."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from blueprints.customers.models import Customer, CustomerAddress, CustomerNote, CustomerTag, customer_tag_links
from tests.customers.conftest import make_customer, make_note, shopper_login, staff_login
from tests.tenancy.factories import make_member, make_user
from webapp.extensions import db
from webapp.models import AuditLog


def audit_actions(prefix: str = "customers.") -> list[str]:
    return db.session.scalars(select(AuditLog.action).where(AuditLog.action.startswith(prefix))
                              .order_by(AuditLog.id)).all()


# -- the list -----------------------------------------------------------------------------------
def test_the_list_shows_the_merchants_customers_only(client, owner, store, merchant, other_merchant, customer):
    make_customer(other_merchant, "rival@example.lu")
    staff_login(client, owner)
    response = client.get("/store/centre/customers/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-count="1"' in body and "claire@example.lu" in body and "rival@example.lu" not in body


def test_search_and_filters_narrow_the_list(client, htmx_client, owner, store, merchant, customer):
    make_customer(merchant, "jean@example.lu", first_name="Jean", tags=["vip"], language="de",
                  marketing_consent=True)
    make_customer(merchant, "50%off@example.lu", first_name="Percent")
    staff_login(client, owner)

    def count(**query) -> int:
        response = htmx_client.get("/store/centre/customers/", query_string=query)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "<html" not in body  # the table fragment only
        return int(body.split('data-count="', 1)[1].split('"', 1)[0])

    assert count() == 3
    assert count(q="claire muller") == 1
    assert count(q="JEAN") == 1
    assert count(q="%") == 1  # wildcards are literal
    assert count(tag="vip") == 1
    assert count(language="de") == 1
    assert count(consent="yes") == 1 and count(consent="no") == 2
    assert client.get("/store/centre/customers/", query_string={"consent": "maybe"}).status_code == 400


def test_the_list_is_paginated(client, owner, store, merchant):
    for number in range(30):
        make_customer(merchant, f"p{number:02d}@example.lu")
    staff_login(client, owner)
    first = client.get("/store/centre/customers/").get_data(as_text=True)
    second = client.get("/store/centre/customers/", query_string={"page": 2}).get_data(as_text=True)
    assert 'data-count="25"' in first and "30 in all" in first
    assert 'data-count="5"' in second


def test_the_list_costs_the_same_queries_for_1_and_25_customers(client, owner, store, merchant, count_queries):
    make_customer(merchant, tags=["vip"])
    staff_login(client, owner)
    client.get("/store/centre/customers/")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/store/centre/customers/").status_code == 200
        return counter.count

    few = queries()
    for number in range(30):
        make_customer(merchant, tags=["vip", f"t{number}"])
    assert queries() == few <= 14


# -- one customer -------------------------------------------------------------------------------
def test_the_customer_page_shows_profile_addresses_notes_and_tags(client, owner, store, merchant):
    customer = make_customer(merchant, "claire@example.lu", tags=["vip"], addresses=2)
    make_note(customer, owner, "Allergic to nuts.")
    staff_login(client, owner)
    body = client.get(f"/store/centre/customers/{customer.id}").get_data(as_text=True)
    assert "claire@example.lu" in body and "Allergic to nuts." in body and 'data-tag="vip"' in body
    assert 'id="customer-addresses" data-count="2"' in body


def test_the_customer_page_costs_the_same_queries_for_few_and_many_notes(client, owner, store, merchant,
                                                                         count_queries):
    customer = make_customer(merchant, tags=["vip"], addresses=1)
    make_note(customer, owner)
    staff_login(client, owner)
    url = f"/store/centre/customers/{customer.id}"
    client.get(url)

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    few = queries()
    for number in range(20):
        make_note(customer, owner, f"note {number}")
    assert queries() == few <= 16


def test_staff_edit_a_customer_and_bad_input_is_422(client, htmx_client, owner, store, customer):
    staff_login(client, owner)
    ok = htmx_client.post(f"/store/centre/customers/{customer.id}",
                          data={"first_name": "Clara", "last_name": "Muller", "phone": "621", "language": "fr"})
    assert ok.status_code == 200 and "Customer saved." in ok.get_data(as_text=True)
    bad = htmx_client.post(f"/store/centre/customers/{customer.id}", data={"first_name": "X", "language": "xx"})
    assert bad.status_code == 422
    db.session.expire_all()
    saved = db.session.get(Customer, customer.id)
    assert (saved.first_name, saved.language) == ("Clara", "fr")
    assert audit_actions() == ["customers.customer_updated"]


def test_notes_are_added_and_deleted_with_audit_rows(client, htmx_client, owner, store, customer):
    staff_login(client, owner)
    empty = htmx_client.post(f"/store/centre/customers/{customer.id}/notes", data={"body": "  "})
    assert empty.status_code == 422
    added = htmx_client.post(f"/store/centre/customers/{customer.id}/notes", data={"body": "Wants invoices."})
    assert added.status_code == 200 and "Wants invoices." in added.get_data(as_text=True)
    note = db.session.scalar(select(CustomerNote))
    assert note.author_id == owner.id
    deleted = htmx_client.post(f"/store/centre/customers/{customer.id}/notes/{note.id}/delete")
    assert deleted.status_code == 200 and 'id="no-notes"' in deleted.get_data(as_text=True)
    assert audit_actions() == ["customers.note_added", "customers.note_deleted"]


def test_tags_are_merchant_wide_and_added_once(client, htmx_client, owner, store, merchant, customer):
    other = make_customer(merchant)
    staff_login(client, owner)
    first = htmx_client.post(f"/store/centre/customers/{customer.id}/tags", data={"name": " VIP "})
    assert first.status_code == 200 and "customers:tags-changed" in first.headers["HX-Trigger"]
    again = htmx_client.post(f"/store/centre/customers/{customer.id}/tags", data={"name": "vip"})
    assert again.status_code == 422 and "already" in again.get_data(as_text=True)
    htmx_client.post(f"/store/centre/customers/{other.id}/tags", data={"name": "vip"})
    assert db.session.scalars(select(CustomerTag.name)).all() == ["vip"]
    assert db.session.scalar(select(func.count()).select_from(customer_tag_links)) == 2
    tag = db.session.scalar(select(CustomerTag))
    removed = htmx_client.post(f"/store/centre/customers/{customer.id}/tags/{tag.id}/remove")
    assert removed.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(customer_tag_links)) == 1


# -- permissions and isolation ------------------------------------------------------------------
def test_staff_may_look_and_edit_but_not_export_or_erase(client, staff, store, customer):
    staff_login(client, staff)
    assert client.get(f"/store/centre/customers/{customer.id}").status_code == 200
    assert client.post(f"/store/centre/customers/{customer.id}/notes", data={"body": "ok"}).status_code == 200
    assert client.post(f"/store/centre/customers/{customer.id}/export").status_code == 403
    assert client.post(f"/store/centre/customers/{customer.id}/erase").status_code == 403
    assert client.get("/store/centre/customers/segments").status_code == 403


def test_a_manager_may_manage_segments_but_not_gdpr(client, manager, store, customer):
    staff_login(client, manager)
    assert client.get("/store/centre/customers/segments").status_code == 200
    assert client.post(f"/store/centre/customers/{customer.id}/export").status_code == 403


def test_customers_are_the_same_in_every_store_of_the_merchant(client, owner, store, second_store, customer):
    staff_login(client, owner)
    assert client.get(f"/store/gare/customers/{customer.id}").status_code == 200


def test_another_merchants_customers_notes_and_tags_are_404(client, owner, store, other_merchant, customer):
    stranger = make_customer(other_merchant, tags=["vip"])
    note = make_note(stranger, None)
    foreign_tag = db.session.scalar(select(CustomerTag).where(CustomerTag.merchant_id == other_merchant.id))
    own_note = make_note(customer, owner)
    staff_login(client, owner)
    before = audit_actions("")
    urls = [("GET", f"/store/centre/customers/{stranger.id}"),
            ("POST", f"/store/centre/customers/{stranger.id}"),
            ("POST", f"/store/centre/customers/{stranger.id}/notes"),
            ("POST", f"/store/centre/customers/{stranger.id}/tags"),
            ("POST", f"/store/centre/customers/{stranger.id}/export"),
            ("POST", f"/store/centre/customers/{stranger.id}/erase"),
            ("POST", f"/store/centre/customers/{customer.id}/notes/{note.id}/delete"),
            ("POST", f"/store/centre/customers/{stranger.id}/notes/{note.id}/delete"),
            ("POST", f"/store/centre/customers/{customer.id}/tags/{foreign_tag.id}/remove"),
            ("POST", f"/store/centre/customers/{stranger.id}/notes/{own_note.id}/delete"),
            ("GET", "/store/centre/customers/99999999")]
    for method, url in urls:
        assert client.open(url, method=method, data={"body": "x", "name": "x"}).status_code == 404, url
    assert audit_actions("") == before
    db.session.expire_all()
    assert db.session.get(Customer, stranger.id).erased_at is None
    assert db.session.scalar(select(func.count(CustomerNote.id))) == 2


def test_a_staff_member_of_another_merchant_gets_404(client, other_store, customer):
    rival = make_user("owner@mode.test")
    make_member(rival, other_store.merchant, "owner")
    staff_login(client, rival)
    assert client.get("/store/centre/customers/").status_code == 404
    assert client.get(f"/store/mode-lux/customers/{customer.id}").status_code == 404


# -- GDPR ---------------------------------------------------------------------------------------
def test_export_is_a_json_download_and_audited(client, owner, store, merchant):
    customer = make_customer(merchant, "claire@example.lu", tags=["vip"], addresses=1, marketing_consent=True)
    make_note(customer, owner, "Likes rye.")
    staff_login(client, owner)
    response = client.post(f"/store/centre/customers/{customer.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="customer-{customer.id}.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "claire@example.lu"
    assert data["tags"] == ["vip"] and data["notes"][0]["body"] == "Likes rye."
    assert data["addresses"][0]["city"] == "Luxembourg" and data["marketing_consent"]["given"] is True
    assert audit_actions() == ["customers.gdpr_exported"]


def test_erasure_anonymises_ends_sessions_is_audited_and_refused_twice(client, app, owner, store, merchant):
    customer = make_customer(merchant, "claire@example.lu", tags=["vip"], addresses=2, phone="621",
                             marketing_consent=True)
    make_note(customer, owner, "Lives at 5, rue Haute.")
    shopper = app.test_client()
    shopper_login(shopper, store, "claire@example.lu")
    assert shopper.get("/s/centre/account/").status_code == 200
    staff_login(client, owner)
    response = client.post(f"/store/centre/customers/{customer.id}/erase")
    assert response.status_code == 303
    db.session.expire_all()
    erased = db.session.get(Customer, customer.id)
    assert erased.email == f"erased-{customer.id}@invalid"
    assert (erased.first_name, erased.last_name, erased.phone, erased.password_hash) == ("", "", "", "")
    assert erased.erased_at is not None and not erased.marketing_consent
    assert db.session.scalar(select(func.count(CustomerAddress.id))) == 0
    assert db.session.scalar(select(func.count(CustomerNote.id))) == 0
    assert db.session.scalar(select(func.count()).select_from(customer_tag_links)) == 0
    assert shopper.get("/s/centre/account/").status_code == 303
    assert shopper_login(app.test_client(), store, "claire@example.lu").status_code == 422
    again = client.post(f"/store/centre/customers/{customer.id}/erase", follow_redirects=True)
    assert again.status_code == 200 and "already erased" in again.get_data(as_text=True)
    assert audit_actions() == ["customers.gdpr_erased"]
    logged = db.session.scalars(select(AuditLog.target)).all()
    assert not any("claire" in target for target in logged)
    # the address can register again, as a new customer
    assert client.get(f"/store/centre/customers/{customer.id}").status_code == 200


@pytest.mark.parametrize("page", ["/store/centre/customers/", "/store/centre/customers/segments",
                                  "/store/centre/customers/segments/new"])
def test_store_pages_have_no_inline_scripts_styles_or_handlers(client, owner, store, customer, page):
    staff_login(client, owner)
    html = client.get(page).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
    assert not re.search(r"\sstyle=", html), page
    assert not re.search(r"\son[a-z]+=", html), page
