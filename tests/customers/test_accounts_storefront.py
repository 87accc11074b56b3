"""Shopper accounts on the storefront: register, sign in and out, reset, profile, addresses, languages."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blueprints.customers.models import Customer, CustomerAddress
from blueprints.customers.services import accounts
from tests.customers.conftest import SHOPPER_PASSWORD, make_customer, shopper_login
from tests.tenancy.factories import make_domain
from webapp.extensions import db
from webapp.models import AuditLog
from webapp.security import verify_password

NEW_PASSWORD = "pain-au-chocolat-42"
RESET_LINK = re.compile(r"https?://\S+/account/password-reset/[A-Za-z0-9_.\-]+")


def register(client, store, **overrides):
    data = {"first_name": "Marie", "last_name": "Schmit", "email": "Marie@Example.lu", "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD}
    data.update(overrides)
    return client.post(f"/s/{store.store_code}/account/register", data=data)


def customers_count() -> int:
    return db.session.scalar(select(func.count(Customer.id)))


# -- registration -------------------------------------------------------------------------------
def test_registering_creates_a_merchant_wide_account_and_signs_in(client, store, second_store):
    response = register(client, store, marketing_consent="y")
    assert response.status_code == 303
    assert response.location.endswith("/s/centre/account/")
    customer = db.session.scalar(select(Customer))
    assert customer.email == "marie@example.lu" and customer.merchant_id == store.merchant_id
    assert customer.registered_store_id == store.id
    assert customer.marketing_consent and customer.marketing_consent_at is not None
    assert verify_password(customer.password_hash, NEW_PASSWORD)
    assert client.get("/s/centre/account/").status_code == 200
    assert client.get("/s/gare/account/").status_code == 200  # another store of the same merchant
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "customer.registered"))


@pytest.mark.parametrize("overrides, field, message", [
    ({"password": "short", "password_confirm": "short"}, "password", "at least 10 characters"),
    ({"password": "aaaaaaaaaaaa", "password_confirm": "aaaaaaaaaaaa"}, "password", "too easy to guess"),
    ({"password_confirm": "something-else-1"}, "password_confirm", "The passwords differ."),
    ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
    ({"first_name": ""}, "first_name", "This field is required."),
])
def test_bad_registrations_are_422_and_store_nothing(client, store, overrides, field, message):
    response = register(client, store, **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert customers_count() == 0


def test_a_duplicate_email_is_refused_per_merchant_but_allowed_at_another_merchant(client, app, store, other_store,
                                                                                   merchant):
    make_customer(merchant, "marie@example.lu")
    response = register(client, store)
    assert response.status_code == 422
    assert "An account with this e-mail already exists" in response.get_data(as_text=True)
    assert customers_count() == 1
    assert register(app.test_client(), other_store).status_code == 303  # another merchant, another account
    assert customers_count() == 2


# -- sign-in and merchant isolation -------------------------------------------------------------
def test_login_with_the_right_password_signs_in_and_wrong_ones_share_one_message(client, app, store, customer):
    wrong = shopper_login(client, store, customer.email, "wrong-password-1")
    unknown = shopper_login(app.test_client(), store, "nobody@example.lu")
    assert wrong.status_code == unknown.status_code == 422
    message = "The e-mail or password is not correct."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert client.get("/s/centre/account/").status_code == 303
    response = shopper_login(client, store, "CLAIRE@example.lu")
    assert response.status_code == 303 and response.location.endswith("/s/centre/account/")
    page = client.get("/s/centre/account/")
    assert page.status_code == 200 and "claire@example.lu" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).last_login_at is not None


def test_a_customer_of_one_merchant_cannot_log_in_at_another_merchants_store(client, store, other_store, customer):
    response = shopper_login(client, other_store, customer.email)
    assert response.status_code == 422
    assert client.get("/s/mode-lux/account/").status_code == 303


def test_a_session_counts_in_the_merchants_other_stores_only(client, store, second_store, other_store, customer):
    assert shopper_login(client, store, customer.email).status_code == 303
    assert client.get("/s/gare/account/").status_code == 200
    other = client.get("/s/mode-lux/account/")
    assert other.status_code == 303 and "/s/mode-lux/account/login" in other.location
    assert "claire@example.lu" not in client.get("/s/mode-lux/account/login").get_data(as_text=True)


def test_a_shopper_session_is_not_a_staff_session(client, store, customer):
    shopper_login(client, store, customer.email)
    response = client.get("/store/centre/customers/")
    assert response.status_code in (302, 303) and "/store/login" in response.location


def test_logout_ends_the_session_of_that_merchant(client, store, customer):
    shopper_login(client, store, customer.email)
    assert client.post("/s/centre/account/logout").status_code == 303
    assert client.get("/s/centre/account/").status_code == 303


def test_login_follows_a_safe_next_only(client, store, customer):
    response = shopper_login(client, store, customer.email, query_string={"next": "//evil.example/x"})
    assert response.location.endswith("/s/centre/account/")


def test_an_erased_customer_cannot_sign_in(client, store, customer):
    customer.erased_at = customer.created_at
    db.session.commit()
    assert shopper_login(client, store, customer.email).status_code == 422


def test_login_is_rate_limited(client, store, customer):
    statuses = [shopper_login(client, store, customer.email, "wrong-password-1").status_code for _ in range(6)]
    assert statuses[-1] == 429


# -- password reset -----------------------------------------------------------------------------
def test_reset_request_answers_the_same_for_unknown_addresses_and_mails_known_ones(client, store, customer, mailbox):
    unknown = client.post("/s/centre/account/password-reset", data={"email": "nobody@example.lu"})
    known = client.post("/s/centre/account/password-reset", data={"email": customer.email})
    assert unknown.status_code == known.status_code == 200
    assert unknown.get_data(as_text=True).count("If an account uses this address") == 1
    assert known.get_data(as_text=True).count("If an account uses this address") == 1
    mail = mailbox.only()
    assert mail.to == customer.email and RESET_LINK.search(mail.body)


def _reset_link(client, customer, mailbox) -> str:
    client.post("/s/centre/account/password-reset", data={"email": customer.email})
    return RESET_LINK.search(mailbox.only().body).group(0).split("localhost", 1)[-1]


def test_a_reset_link_sets_a_new_password_once_and_ends_other_sessions(client, app, store, customer, mailbox):
    other_device = app.test_client()
    shopper_login(other_device, store, customer.email)
    path = _reset_link(client, customer, mailbox)
    assert client.get(path).status_code == 200
    weak = client.post(path, data={"password": "short", "password_confirm": "short"})
    assert weak.status_code == 422 and "at least 10 characters" in weak.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 303
    db.session.expire_all()
    assert verify_password(db.session.get(Customer, customer.id).password_hash, NEW_PASSWORD)
    assert client.get("/s/centre/account/").status_code == 200
    assert other_device.get("/s/centre/account/").status_code == 303  # signed out by the new password
    used = app.test_client().get(path)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_expired_and_tampered_reset_links_are_clear_pages(client, store, customer, mailbox, monkeypatch):
    path = _reset_link(client, customer, mailbox)
    monkeypatch.setattr(accounts, "PASSWORD_RESET_MAX_AGE", -1)
    expired = client.get(path)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    posted = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert posted.status_code == 410
    db.session.expire_all()
    assert verify_password(db.session.get(Customer, customer.id).password_hash, SHOPPER_PASSWORD)
    tampered = client.get(path[:-3] + "xyz")
    assert tampered.status_code == 400 and "not valid" in tampered.get_data(as_text=True)


def test_a_reset_link_of_one_merchant_is_not_valid_at_another(client, store, other_store, customer, mailbox):
    path = _reset_link(client, customer, mailbox)
    assert client.get(path.replace("/s/centre/", "/s/mode-lux/")).status_code == 400


# -- profile, consent, language, password -------------------------------------------------------
def test_profile_changes_and_the_consent_date(client, store, customer):
    shopper_login(client, store, customer.email)
    response = client.post("/s/centre/account/profile", data={"first_name": "Claire", "last_name": "Weber",
                                                              "phone": "+352 621 000", "language": "de",
                                                              "marketing_consent": "y"})
    assert response.status_code == 200
    db.session.expire_all()
    saved = db.session.get(Customer, customer.id)
    assert (saved.last_name, saved.language, saved.marketing_consent) == ("Weber", "de", True)
    assert saved.marketing_consent_at is not None
    client.post("/s/centre/account/profile", data={"first_name": "Claire", "language": "de"})
    db.session.expire_all()
    saved = db.session.get(Customer, customer.id)
    assert not saved.marketing_consent and saved.marketing_consent_at is None
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("customer.marketing%"))).all()
    assert sorted(actions) == ["customer.marketing_consent_given", "customer.marketing_consent_withdrawn"]


def test_a_language_the_store_does_not_offer_is_refused(client, store, customer):
    shopper_login(client, store, customer.email)
    response = client.post("/s/centre/account/profile", data={"first_name": "Claire", "language": "lb"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).language is None


def test_the_customers_language_is_used_and_a_switch_is_remembered(client, store, customer):
    customer.language = "de"
    db.session.commit()
    shopper_login(client, store, customer.email)
    assert 'lang="de"' in client.get("/s/centre/account/").get_data(as_text=True)
    assert 'lang="en"' in client.get("/s/centre/account/", query_string={"lang": "en"}).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).language == "en"


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(client, app, store, customer):
    other_device = app.test_client()
    shopper_login(other_device, store, customer.email)
    shopper_login(client, store, customer.email)
    wrong = client.post("/s/centre/account/password", data={"current_password": "nope-nope-nope",
                                                            "new_password": NEW_PASSWORD,
                                                            "new_password_confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current password is not correct" in wrong.get_data(as_text=True)
    done = client.post("/s/centre/account/password", data={"current_password": SHOPPER_PASSWORD,
                                                           "new_password": NEW_PASSWORD,
                                                           "new_password_confirm": NEW_PASSWORD})
    assert done.status_code == 200
    assert client.get("/s/centre/account/").status_code == 200
    assert other_device.get("/s/centre/account/").status_code == 303


# -- addresses ----------------------------------------------------------------------------------
ADDRESS = {"label": "Home", "name": "Claire Muller", "street": "5, rue de Hollerich", "postal_code": "1740",
           "city": "Luxembourg", "country": "lu"}


def test_addresses_are_added_edited_made_default_and_removed(client, htmx_client, store, customer):
    shopper_login(client, store, customer.email)
    first = htmx_client.post("/s/centre/account/addresses", data=ADDRESS)
    assert first.status_code == 200 and 'id="address-book"' in first.get_data(as_text=True)
    htmx_client.post("/s/centre/account/addresses", data={**ADDRESS, "label": "Office"})
    home, office = db.session.scalars(select(CustomerAddress).order_by(CustomerAddress.id)).all()
    assert home.is_default and not office.is_default and home.country == "LU"
    htmx_client.post(f"/s/centre/account/addresses/{office.id}/default")
    db.session.expire_all()
    assert db.session.get(CustomerAddress, office.id).is_default
    assert not db.session.get(CustomerAddress, home.id).is_default
    edited = client.post(f"/s/centre/account/addresses/{home.id}", data={**ADDRESS, "city": "Esch-sur-Alzette"})
    assert edited.status_code == 303
    htmx_client.post(f"/s/centre/account/addresses/{office.id}/delete")
    db.session.expire_all()
    remaining = db.session.scalars(select(CustomerAddress)).all()
    assert [(a.city, a.is_default) for a in remaining] == [("Esch-sur-Alzette", True)]


def test_an_invalid_address_is_422_and_stores_nothing(client, store, customer):
    shopper_login(client, store, customer.email)
    response = client.post("/s/centre/account/addresses", data={**ADDRESS, "street": "", "country": "LUX"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(CustomerAddress.id))) == 0


def test_another_customers_address_is_a_404(client, store, merchant, customer):
    stranger = make_customer(merchant, addresses=1)
    address_id = stranger.addresses[0].id
    shopper_login(client, store, customer.email)
    assert client.get(f"/s/centre/account/addresses/{address_id}").status_code == 404
    assert client.post(f"/s/centre/account/addresses/{address_id}/delete").status_code == 404
    assert client.post(f"/s/centre/account/addresses/{address_id}/default").status_code == 404
    assert db.session.scalar(select(func.count(CustomerAddress.id))) == 1


# -- query budgets ------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["/s/centre/account/", "/s/centre/account/addresses"])
def test_account_pages_cost_the_same_queries_for_1_and_30_addresses(client, store, merchant, count_queries, page):
    few, many = make_customer(merchant, addresses=1), make_customer(merchant, addresses=30)

    def queries(customer) -> int:
        fresh = client.application.test_client()
        shopper_login(fresh, store, customer.email)
        fresh.get(page)  # warm the per-process lookups
        with count_queries() as counter:
            assert fresh.get(page).status_code == 200
        return counter.count

    assert queries(few) == queries(many) <= 10


def test_login_page_costs_the_same_with_1_and_many_customers(client, store, merchant, count_queries):
    make_customer(merchant)
    client.get("/s/centre/account/login")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/s/centre/account/login").status_code == 200
        return counter.count

    few = queries()
    for _ in range(20):
        make_customer(merchant)
    assert queries() == few <= 8


# -- templates ----------------------------------------------------------------------------------
STOREFRONT_TEMPLATES = Path(__file__).parents[2] / "templates" / "customers" / "storefront"


@pytest.mark.parametrize("template", sorted(p.name for p in STOREFRONT_TEMPLATES.glob("*.html")))
def test_every_visible_string_of_the_storefront_templates_is_translated(template):
    source = (STOREFRONT_TEMPLATES / template).read_text()
    text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    leftovers = [word for word in text.split() if re.search(r"[A-Za-z]", word)]
    assert leftovers == [], f"{template}: untranslated text {leftovers}"
    for attribute in re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', source):
        assert not re.search(r"[A-Za-z]", re.sub(r"{{.*?}}", "", attribute)), (template, attribute)


@pytest.mark.parametrize("page", ["/s/centre/account/login", "/s/centre/account/register",
                                  "/s/centre/account/password-reset", "/s/centre/account/",
                                  "/s/centre/account/addresses"])
def test_account_pages_have_no_inline_scripts_styles_or_handlers(client, store, merchant, page):
    shopper_login(client, store, make_customer(merchant, addresses=1).email)
    html = client.get(page, follow_redirects=True).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
    assert not re.search(r"\sstyle=", html), page
    assert not re.search(r"\son[a-z]+=", html), page


def test_htmx_form_posts_answer_the_fragment_only(htmx_client, store):
    response = htmx_client.post("/s/centre/account/login", data={"email": "x@example.lu", "password": "y"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="customer-login-form"' in body and "<html" not in body


def test_on_the_stores_own_domain_the_account_lives_at_account(client, store, customer):
    make_domain(store, "shop.boulangerie.lu")
    host = {"base_url": "http://shop.boulangerie.lu"}
    stranger = client.get("/account/addresses", **host)
    assert stranger.status_code == 303 and stranger.location.endswith("/account/login?next=/account/addresses")
    signed_in = client.post("/account/login", data={"email": customer.email, "password": SHOPPER_PASSWORD},
                            query_string={"next": "/account/addresses"}, **host)
    assert signed_in.status_code == 303 and signed_in.location.endswith("/account/addresses")
    page = client.get("/account/", **host)
    assert page.status_code == 200 and 'action="/account/profile"' in page.get_data(as_text=True)
