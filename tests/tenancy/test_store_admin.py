"""The unified store admin (/store/…): sign-in, picker, isolation, settings, profile, team, dashboard."""
from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blueprints.tenancy import resolution
from blueprints.tenancy.models import (
    Invitation,
    Merchant,
    MerchantMembership,
    Store,
    StoreDomain,
    StoreMembership,
)
from webapp.extensions import db
from webapp.models import AuditLog, User, utcnow
from webapp.security import hash_password, new_session_token, verify_password

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose
LINK = re.compile(r"https?://[^\s]+/invite/[A-Za-z0-9_\-]+")


# -- a small world: two merchants, three stores, their staff -----------------------------------
def make_user(email: str, *, platform_role: str | None = None) -> User:
    user = User(email=email, name=email.split("@")[0].title(), platform_role=platform_role,
                password_hash=PASSWORD_HASH, session_token=new_session_token())
    db.session.add(user)
    db.session.commit()
    return user


def make_store(merchant: Merchant, code: str, name: str) -> Store:
    store = Store(platform_id=merchant.platform_id, merchant_id=merchant.id, store_code=code, name=name,
                  default_language="fr", languages=["fr", "de", "en"], contact_email=merchant.contact_email)
    db.session.add(store)
    db.session.commit()
    resolution.invalidate()
    return store


def join(user: User, tenant, role: str) -> None:
    if isinstance(tenant, Merchant):
        db.session.add(MerchantMembership(merchant_id=tenant.id, user_id=user.id, role=role))
    else:
        db.session.add(StoreMembership(store_id=tenant.id, user_id=user.id, role=role))
    db.session.commit()


@dataclass
class World:
    bakery: Merchant
    centre: Store
    gare: Store
    fashion: Merchant
    lux: Store
    owner: User  # owner of the bakery (both stores)
    manager: User  # manager of centre
    staff: User  # staff of gare
    fashion_owner: User


@pytest.fixture
def world(platform) -> World:
    bakery = Merchant(platform_id=platform.id, name="Bakery", legal_name="Bakery S.à r.l.", vat_number="LU15027442",
                      contact_email="hello@bakery.lu", country="LU")
    fashion = Merchant(platform_id=platform.id, name="Fashion", legal_name="Fashion S.A.",
                       contact_email="hello@fashion.lu", country="LU")
    db.session.add_all([bakery, fashion])
    db.session.commit()
    centre, gare = make_store(bakery, "centre", "Bakery Centre"), make_store(bakery, "gare", "Bakery Gare")
    lux = make_store(fashion, "lux", "Fashion Lux")
    owner, manager = make_user("owner@bakery.lu"), make_user("manager@bakery.lu")
    staff, fashion_owner = make_user("staff@bakery.lu"), make_user("owner@fashion.lu")
    join(owner, bakery, MerchantMembership.OWNER)
    join(manager, centre, StoreMembership.MANAGER)
    join(staff, gare, StoreMembership.STAFF)
    join(fashion_owner, fashion, MerchantMembership.OWNER)
    return World(bakery, centre, gare, fashion, lux, owner, manager, staff, fashion_owner)


@pytest.fixture
def mail_folder(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(folder))
    return folder


def sign_in(client, user_or_email, password=PASSWORD):
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    response = client.post("/store/login", data={"email": email, "password": password})
    assert response.status_code == 303, response.status_code
    return response


def audit_actions(**where) -> list[str]:
    query = select(AuditLog.action)
    for key, value in where.items():
        query = query.where(getattr(AuditLog, key) == value)
    return list(db.session.scalars(query))


def text(response) -> str:
    return response.get_data(as_text=True)


# -- sign-in, picker, sign-out -----------------------------------------------------------------
def test_login_page_asks_for_email_and_password(client, platform):
    response = client.get("/store/login")
    assert response.status_code == 200
    assert 'name="email"' in text(response) and 'name="password"' in text(response)
    assert "/store/password-reset" in text(response)


def test_staff_of_a_single_store_lands_in_that_store(client, world):
    response = sign_in(client, world.staff)
    assert response.headers["Location"] == "/store/"
    picker = client.get("/store/")
    assert picker.status_code == 303 and picker.headers["Location"] == "/store/gare/"
    assert client.get("/store/gare/").status_code == 200


def test_owner_of_two_stores_chooses_in_the_picker(client, world):
    sign_in(client, world.owner)
    page = text(client.get("/store/"))
    assert 'id="store-list" data-count="2"' in page
    assert 'href="/store/centre/"' in page and 'href="/store/gare/"' in page and "/store/lux/" not in page


def test_someone_without_a_store_sees_an_empty_picker(client, world):
    make_user("nobody@bakery.lu")
    sign_in(client, "nobody@bakery.lu")
    page = client.get("/store/")
    assert page.status_code == 200 and 'id="store-list" data-count="0"' in text(page)


def test_wrong_password_and_unknown_email_get_the_same_answer(client, world):
    wrong = client.post("/store/login", data={"email": world.owner.email, "password": "not the password"})
    unknown = client.post("/store/login", data={"email": "nobody@bakery.lu", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 422
    assert "The e-mail or password is not correct." in text(wrong)
    assert "The e-mail or password is not correct." in text(unknown)
    assert client.get("/store/centre/").status_code == 303


def test_login_attempts_are_rate_limited(client, world):
    statuses = [client.post("/store/login", data={"email": world.owner.email, "password": "wrong password!"})
                .status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    response = client.post("/store/login", data={"email": world.owner.email, "password": PASSWORD})
    assert response.status_code == 429 and "Too many attempts" in text(response)


def test_session_is_rotated_on_login(client, world):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, world.owner)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{world.owner.id}:")
    assert "auth.login" in audit_actions(user_id=world.owner.id)


def test_logout_ends_the_session(client, world):
    sign_in(client, world.owner)
    response = client.post("/store/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/store/login"
    assert client.get("/store/centre/").status_code == 303


def test_store_pages_send_signed_out_visitors_to_login_and_back(client, world):
    response = client.get("/store/centre/team")
    assert response.status_code == 303
    assert response.headers["Location"] == "/store/login?next=/store/centre/team"
    login = client.post("/store/login?next=/store/centre/team", data={"email": world.owner.email,
                                                                     "password": PASSWORD})
    assert login.headers["Location"] == "/store/centre/team"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/%09/x"])
def test_next_never_leads_off_the_site(client, world, target):
    response = client.post(f"/store/login?next={target}", data={"email": world.owner.email, "password": PASSWORD})
    assert response.headers["Location"] == "/store/"


def test_htmx_login_redirects_with_hx_redirect(htmx_client, world):
    response = htmx_client.post("/store/login", data={"email": world.owner.email, "password": PASSWORD})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/store/"


def test_invalid_login_posted_by_htmx_answers_the_form_fragment(htmx_client, world):
    response = htmx_client.post("/store/login", data={"email": "not-an-email", "password": ""})
    assert response.status_code == 422
    assert "<html" not in text(response) and 'id="login-form"' in text(response)


def test_platform_admin_signs_in_and_sees_every_store_of_the_platform(client, world, platform_admin):
    sign_in(client, platform_admin)
    assert 'data-count="3"' in text(client.get("/store/"))


# -- isolation: 404 for other tenants, 403 for missing permissions ------------------------------
STORE_PAGES = ["/", "/settings", "/merchant", "/profile", "/team"]


@pytest.mark.parametrize("page", STORE_PAGES)
def test_staff_of_one_store_finds_nothing_in_other_stores(client, world, page):
    sign_in(client, world.staff)  # staff of gare only
    assert client.get(f"/store/centre{page}").status_code == 404  # same merchant, another store
    assert client.get(f"/store/lux{page}").status_code == 404  # another merchant


@pytest.mark.parametrize("page", STORE_PAGES)
def test_owner_of_one_merchant_finds_nothing_in_another_merchants_store(client, world, page):
    sign_in(client, world.owner)
    assert client.get(f"/store/lux{page}").status_code == 404


def test_unknown_store_code_is_a_404(client, world):
    sign_in(client, world.owner)
    assert client.get("/store/no-such-store/").status_code == 404


@pytest.mark.parametrize(("page", "status"), [("/", 200), ("/profile", 200), ("/settings", 403), ("/team", 403),
                                              ("/merchant", 403)])
def test_staff_may_only_open_what_their_role_allows(client, world, page, status):
    sign_in(client, world.staff)
    assert client.get(f"/store/gare{page}").status_code == status


def test_owner_sees_merchant_settings_but_a_manager_does_not(client, world):
    sign_in(client, world.owner)
    assert client.get("/store/centre/merchant").status_code == 200
    client.post("/store/logout")
    sign_in(client, world.manager)
    assert client.get("/store/centre/merchant").status_code == 403
    assert client.get("/store/centre/settings").status_code == 200


def test_menu_shows_only_the_pages_a_role_may_open(client, world):
    sign_in(client, world.staff)
    nav = text(client.get("/store/gare/")).split('id="store-nav"')[1].split("</ul>")[0]
    assert 'href="/store/gare/"' in nav
    assert "/team" not in nav and "/settings" not in nav and "/merchant" not in nav
    client.post("/store/logout")
    sign_in(client, world.owner)
    nav = text(client.get("/store/centre/")).split('id="store-nav"')[1].split("</ul>")[0]
    for href in ("/store/centre/team", "/store/centre/settings", "/store/centre/merchant"):
        assert f'href="{href}"' in nav


def test_store_switcher_lists_the_users_stores(client, world):
    sign_in(client, world.owner)
    page = text(client.get("/store/centre/"))
    switcher = page.split('id="store-switcher"')[1].split("</ul>")[0]
    assert 'data-count="2"' in switcher and 'href="/store/gare/"' in switcher and "/store/lux/" not in switcher
    client.post("/store/logout")
    sign_in(client, world.staff)
    assert 'id="store-switcher"' not in text(client.get("/store/gare/"))


def test_team_members_of_another_store_cannot_be_changed_or_removed(client, world):
    staff_membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == world.staff.id))
    sign_in(client, world.manager)  # manager of centre; the staff member works in gare
    assert client.post(f"/store/centre/team/members/{staff_membership.id}/role",
                       data={"role": "manager"}).status_code == 404
    assert client.post(f"/store/centre/team/members/{staff_membership.id}/remove").status_code == 404
    db.session.expire_all()
    assert db.session.get(StoreMembership, staff_membership.id).role == StoreMembership.STAFF


# -- store and merchant settings ----------------------------------------------------------------
def settings_data(**overrides) -> dict:
    data = {"name": "Bakery Centre-Ville", "languages": ["fr", "lb"], "default_language": "lb",
            "contact_email": "centre@bakery.lu", "phone": "+352 123 456"}
    data.update(overrides)
    return data


def test_store_settings_are_saved_and_audited(htmx_client, client, world):
    sign_in(client, world.owner)
    response = htmx_client.post("/store/centre/settings", data=settings_data())
    assert response.status_code == 200
    assert "Store settings saved." in text(response)
    assert 'id="store-name" hx-swap-oob="true"' in text(response)  # the sidebar shows the new name
    db.session.expire_all()
    store = db.session.get(Store, world.centre.id)
    assert (store.name, store.languages, store.default_language) == ("Bakery Centre-Ville", ["fr", "lb"], "lb")
    assert (store.contact_email, store.phone) == ("centre@bakery.lu", "+352 123 456")
    assert "store.updated" in audit_actions(store_id=world.centre.id)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"languages": []}, "languages", "Choose at least one language."),
    ({"languages": ["fr", "de"], "default_language": "en"}, "default_language", "must be one of the store"),
    ({"name": ""}, "name", "This field is required."),
    ({"contact_email": "not an address"}, "contact_email", "Invalid email address."),
    ({"languages": ["fr", "xx"]}, "languages", "not a valid choice"),
])
def test_bad_store_settings_answer_422_inline_and_save_nothing(htmx_client, client, world, overrides, field,
                                                                message):
    sign_in(client, world.owner)
    response = htmx_client.post("/store/centre/settings", data=settings_data(**overrides))
    assert response.status_code == 422
    html = text(response)
    assert "<html" not in html and html.lstrip().startswith("<form")
    field_html = html.split(f'id="field-{field}"')[1].split('id="field-')[0]
    assert "is-invalid" in field_html and message in field_html
    db.session.expire_all()
    store = db.session.get(Store, world.centre.id)
    assert store.name == "Bakery Centre" and store.languages == ["fr", "de", "en"]
    assert "store.updated" not in audit_actions(store_id=world.centre.id)


def test_bad_settings_posted_without_htmx_get_the_whole_page_with_422(client, world):
    sign_in(client, world.owner)
    response = client.post("/store/centre/settings", data=settings_data(languages=[]))
    assert response.status_code == 422 and "<html" in text(response)


def merchant_form(**overrides) -> dict:
    data = {"name": "Bakery", "legal_name": "Bakery S.à r.l.", "vat_number": "lu 150 274 42",
            "street": "12, rue du Fossé", "postal_code": "1536", "city": "Luxembourg", "country": "LU",
            "contact_email": "Hello@Bakery.lu"}
    data.update(overrides)
    return data


def test_owner_saves_merchant_details_with_a_normalised_vat_number(htmx_client, client, world):
    sign_in(client, world.owner)
    response = htmx_client.post("/store/centre/merchant", data=merchant_form(city="Esch-sur-Alzette"))
    assert response.status_code == 200 and "Merchant details saved." in text(response)
    db.session.expire_all()
    merchant = db.session.get(Merchant, world.bakery.id)
    assert (merchant.city, merchant.vat_number, merchant.contact_email) == (
        "Esch-sur-Alzette", "LU15027442", "hello@bakery.lu")
    assert 'value="LU15027442"' in text(response)


@pytest.mark.parametrize("vat", ["LU12345678", "XX123", "FR40303265045"])
def test_malformed_or_foreign_vat_number_is_refused_inline(htmx_client, client, world, vat):
    sign_in(client, world.owner)
    response = htmx_client.post("/store/centre/merchant", data=merchant_form(vat_number=vat, name="Renamed"))
    assert response.status_code == 422
    field_html = text(response).split('id="field-vat_number"')[1].split('id="field-')[0]
    assert "is-invalid" in field_html and "invalid-feedback" in field_html
    db.session.expire_all()
    assert db.session.get(Merchant, world.bakery.id).name == "Bakery"


# -- profile ------------------------------------------------------------------------------------
def test_profile_name_and_language_are_saved(htmx_client, client, world):
    sign_in(client, world.staff)
    response = htmx_client.post("/store/gare/profile", data={"name": "Sam Staff", "language": "lb"})
    assert response.status_code == 200 and "Your profile is saved." in text(response)
    db.session.expire_all()
    user = db.session.get(User, world.staff.id)
    assert (user.name, user.language) == ("Sam Staff", "lb")


def test_password_change_needs_the_current_password(htmx_client, client, world):
    sign_in(client, world.staff)
    response = htmx_client.post("/store/gare/profile/password", data={
        "current_password": "a wrong guess", "new_password": "a brand new secret",
        "new_password_confirm": "a brand new secret"})
    assert response.status_code == 422 and "<html" not in text(response)
    assert "The current password is not correct." in text(response)
    db.session.expire_all()
    assert verify_password(db.session.get(User, world.staff.id).password_hash, PASSWORD)


def test_password_change_keeps_this_session_and_ends_the_others(app, client, world):
    other_device = app.test_client()
    sign_in(other_device, world.staff)
    sign_in(client, world.staff)
    response = client.post("/store/gare/profile/password", data={
        "current_password": PASSWORD, "new_password": "a brand new secret",
        "new_password_confirm": "a brand new secret"})
    assert response.status_code == 200 and "Your password is changed." in text(response)
    assert client.get("/store/gare/profile").status_code == 200  # still signed in here
    assert other_device.get("/store/gare/profile").status_code == 303  # signed out there
    assert "user.password_changed" in audit_actions(user_id=world.staff.id)
    client.post("/store/logout")
    sign_in(client, world.staff, "a brand new secret")


def test_new_password_must_be_long_enough_and_confirmed(htmx_client, client, world):
    sign_in(client, world.staff)
    short = htmx_client.post("/store/gare/profile/password", data={
        "current_password": PASSWORD, "new_password": "short", "new_password_confirm": "short"})
    assert short.status_code == 422 and "at least 10 characters" in text(short)
    differ = htmx_client.post("/store/gare/profile/password", data={
        "current_password": PASSWORD, "new_password": "a brand new secret", "new_password_confirm": "another one!"})
    assert differ.status_code == 422 and "The passwords differ." in text(differ)


# -- team ---------------------------------------------------------------------------------------
def test_team_page_lists_members_with_role_labels(client, world):
    sign_in(client, world.owner)
    page = text(client.get("/store/centre/team"))
    members = page.split('id="member-table"')[1]
    assert members.startswith(' class="data-table" data-count="2"')
    assert "owner@bakery.lu" in members and "manager@bakery.lu" in members
    assert "staff@bakery.lu" not in members  # works in gare
    assert "Owner" in members and "Store manager" in members
    assert 'id="invitation-table" class="data-table" data-count="0"' in page


def test_invitation_email_lets_a_new_member_set_a_password_and_land_in_the_store(
        app, htmx_client, client, world, mail_folder):
    sign_in(client, world.manager)
    response = htmx_client.post("/store/centre/team/invitations", data={"email": "New@Bakery.lu", "role": "staff"})
    assert response.status_code == 200
    assert "Invitation sent to new@bakery.lu." in text(response)
    assert 'id="invitations" hx-swap-oob="true"' in text(response) and "new@bakery.lu" in text(response)
    assert "tenancy:team-changed" in response.headers["HX-Trigger"]
    mails = list(mail_folder.glob("*.eml"))
    assert len(mails) == 1
    message = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
    body = message.get_body().get_content()
    assert message["To"] == "new@bakery.lu"
    link = LINK.search(body).group(0)

    newcomer = app.test_client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = newcomer.get(f"/{path}")
    assert page.status_code == 200 and "Bakery Centre" in text(page)
    accepted = newcomer.post(f"/{path}", data={"name": "Nina New", "password": "a long new secret",
                                                "password_confirm": "a long new secret"})
    assert accepted.status_code == 303 and accepted.headers["Location"] == "/store/"
    assert newcomer.get("/store/").headers["Location"] == "/store/centre/"
    assert newcomer.get("/store/centre/").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "new@bakery.lu"))
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == user.id))
    assert (membership.store_id, membership.role) == (world.centre.id, StoreMembership.STAFF)


def test_invalid_invitation_answers_the_form_fragment_with_422(htmx_client, client, world, mail_folder):
    sign_in(client, world.manager)
    response = htmx_client.post("/store/centre/team/invitations", data={"email": "not-an-email", "role": "staff"})
    assert response.status_code == 422
    assert "<html" not in text(response) and text(response).lstrip().startswith('<form method="post"')
    assert not mail_folder.exists() or not list(mail_folder.glob("*.eml"))


def test_inviting_someone_already_in_the_team_is_refused(htmx_client, client, world, mail_folder):
    sign_in(client, world.owner)
    response = htmx_client.post("/store/centre/team/invitations", data={"email": world.manager.email,
                                                                        "role": "staff"})
    assert response.status_code == 422 and "already works in Bakery Centre" in text(response)


def test_only_those_who_manage_the_merchant_may_invite_its_administrators(htmx_client, client, world, mail_folder):
    sign_in(client, world.manager)
    assert 'value="admin"' not in text(client.get("/store/centre/team"))
    refused = htmx_client.post("/store/centre/team/invitations", data={"email": "boss@bakery.lu", "role": "admin"})
    assert refused.status_code == 422
    client.post("/store/logout")
    sign_in(client, world.owner)
    accepted = htmx_client.post("/store/centre/team/invitations", data={"email": "boss@bakery.lu", "role": "admin"})
    assert accepted.status_code == 200
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "boss@bakery.lu"))
    assert (invitation.merchant_id, invitation.store_id, invitation.role) == (world.bakery.id, None, "admin")
    assert 'value="owner"' not in text(client.get("/store/centre/team"))  # ownership is not handed out here


def test_changing_a_role_swaps_the_row(htmx_client, client, world):
    clerk = make_user("clerk@bakery.lu")
    join(clerk, world.centre, StoreMembership.STAFF)
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == clerk.id))
    sign_in(client, world.manager)
    response = htmx_client.post(f"/store/centre/team/members/{membership.id}/role", data={"role": "manager"})
    assert response.status_code == 200
    html = text(response)
    assert html.lstrip().startswith(f'<tr id="member-store-{membership.id}"') and 'data-role="manager"' in html
    assert "clerk@bakery.lu is now store manager." in html
    db.session.expire_all()
    assert db.session.get(StoreMembership, membership.id).role == StoreMembership.MANAGER
    assert "team.role_changed" in audit_actions(store_id=world.centre.id)


def test_a_manager_cannot_change_their_own_role(htmx_client, client, world):
    own = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == world.manager.id))
    sign_in(client, world.manager)
    response = htmx_client.post(f"/store/centre/team/members/{own.id}/role", data={"role": "staff"})
    assert response.status_code == 422 and "You cannot change the role of yourself" in text(response)
    db.session.expire_all()
    assert db.session.get(StoreMembership, own.id).role == StoreMembership.MANAGER


def test_unknown_role_is_refused(htmx_client, client, world):
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == world.manager.id))
    sign_in(client, world.owner)
    response = htmx_client.post(f"/store/centre/team/members/{membership.id}/role", data={"role": "owner"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(StoreMembership, membership.id).role == StoreMembership.MANAGER


def test_removing_a_member_asks_in_a_modal_and_updates_the_list(htmx_client, client, world):
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == world.manager.id))
    sign_in(client, world.owner)
    page = text(client.get("/store/centre/team"))
    assert f'id="remove-member-store-{membership.id}"' in page and 'data-bs-target="#remove-member-' in page
    response = htmx_client.post(f"/store/centre/team/members/{membership.id}/remove")
    assert response.status_code == 200
    html = text(response)
    assert 'id="member-table" class="data-table" data-count="1"' in html and "manager@bakery.lu no longer" in html
    membership_id = membership.id
    db.session.expire_all()
    assert db.session.get(StoreMembership, membership_id) is None
    assert "team.removed" in audit_actions(store_id=world.centre.id)


def test_plain_form_posts_on_the_team_page_redirect_back_to_it(client, world, mail_folder):
    sign_in(client, world.owner)
    response = client.post("/store/centre/team/invitations", data={"email": "plain@bakery.lu", "role": "staff"})
    assert response.status_code == 303 and response.headers["Location"] == "/store/centre/team"
    assert "plain@bakery.lu" in text(client.get("/store/centre/team"))


def test_revoking_an_invitation_removes_it_from_the_list(htmx_client, client, world, mail_folder):
    sign_in(client, world.owner)
    htmx_client.post("/store/centre/team/invitations", data={"email": "maybe@bakery.lu", "role": "staff"})
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "maybe@bakery.lu"))
    response = htmx_client.post(f"/store/centre/team/invitations/{invitation.id}/revoke")
    assert response.status_code == 200
    assert 'data-count="0"' in text(response) and "maybe@bakery.lu is revoked" in text(response)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is not None


def test_an_invitation_of_another_store_cannot_be_revoked(client, world, mail_folder):
    invitation = Invitation(token_hash="x" * 64, email="elsewhere@bakery.lu", merchant_id=world.bakery.id,
                            store_id=world.gare.id, role="staff", expires_at=utcnow().replace(year=2100))
    db.session.add(invitation)
    db.session.commit()
    sign_in(client, world.manager)  # manager of centre
    assert client.post(f"/store/centre/team/invitations/{invitation.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None


# -- platform staff on the merchant's behalf ----------------------------------------------------
def test_platform_admin_opens_a_store_on_behalf_with_a_banner_and_one_audit_row(client, world, platform_admin):
    sign_in(client, platform_admin)
    page = text(client.get("/store/centre/"))
    assert 'id="on-behalf-banner"' in page and "You are acting on behalf of Bakery" in page
    client.get("/store/centre/team")
    opened = audit_actions(store_id=world.centre.id, user_id=platform_admin.id)
    assert opened.count("store.opened_on_behalf") == 1
    client.get("/store/lux/")
    assert audit_actions(store_id=world.lux.id, user_id=platform_admin.id) == ["store.opened_on_behalf"]


def test_merchant_staff_see_no_on_behalf_banner(client, world):
    sign_in(client, world.owner)
    assert 'id="on-behalf-banner"' not in text(client.get("/store/centre/"))
    assert "store.opened_on_behalf" not in audit_actions()


# -- dashboard ----------------------------------------------------------------------------------
def test_dashboard_shows_team_and_domain_counts(client, world):
    db.session.add_all([
        StoreDomain(store_id=world.centre.id, host="bakery.lu", verification_token="t" * 32, verified_at=utcnow()),
        StoreDomain(store_id=world.centre.id, host="www.bakery.lu", verification_token="u" * 32),
    ])
    db.session.commit()
    sign_in(client, world.owner)
    page = text(client.get("/store/centre/"))
    team = page.split('data-tile="Team members"')[1].split('data-tile=')[0]
    domains = page.split('data-tile="Domains"')[1].split("</div>\n</div>")[0]
    assert re.search(r'stat-value"><a href="/store/centre/team"[^>]*>2<', team)  # the owner and the manager
    assert 'stat-value">2<' in domains and "1 verified" in domains


def test_staff_see_the_team_tile_without_a_link_they_could_not_open(client, world):
    sign_in(client, world.staff)
    team = text(client.get("/store/gare/")).split('data-tile="Team members"')[1]
    assert 'stat-value">2<' in team.split("data-tile=")[0]  # the owner and the staff member
    assert "/store/gare/team" not in team.split("data-tile=")[0]


def add_clerks(store: Store, how_many: int) -> None:
    for number in range(how_many):
        user = User(email=f"clerk{number}@{store.store_code}.test", name=f"Clerk {number}", password_hash="",
                    session_token=new_session_token())
        db.session.add(user)
        db.session.flush()
        db.session.add(StoreMembership(store_id=store.id, user_id=user.id, role=StoreMembership.STAFF))
    db.session.commit()


@pytest.mark.parametrize("page", ["/", "/team"])
def test_dashboard_and_team_cost_the_same_queries_for_1_and_20_members(client, world, count_queries, page):
    sign_in(client, world.owner)
    client.get(f"/store/centre{page}")  # warm the per-process lookups, as a running server has them

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(f"/store/centre{page}").status_code == 200
        return counter.count

    few = queries()
    add_clerks(world.centre, 20)
    many = queries()
    assert few == many, (few, many)
    assert many <= 12
    count = db.session.scalar(select(func.count(StoreMembership.id)).where(StoreMembership.store_id == world.centre.id))
    assert count == 21


# -- pages and fragments are CSP-clean ----------------------------------------------------------
@pytest.mark.parametrize("page", STORE_PAGES)
def test_store_pages_have_no_inline_scripts_styles_or_handlers(client, world, page):
    sign_in(client, world.owner)
    html = text(client.get(f"/store/centre{page}"))
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
    assert not re.search(r"\sstyle=", html) and "<style" not in html, page
    assert not re.search(r"\son[a-z]+=", html), page


def test_boosted_navigation_gets_the_whole_page(htmx_client, client, world):
    sign_in(client, world.owner)
    response = htmx_client.get("/store/centre/settings", boosted=True)
    assert "<html" in text(response)
    assert "HX-Request" in response.vary


# -- the merchant's owners and administrators on the team page ----------------------------------
def merchant_membership(user: User) -> MerchantMembership:
    return db.session.scalar(select(MerchantMembership).where(MerchantMembership.user_id == user.id))


def test_an_owner_promotes_an_administrator_and_removes_another(htmx_client, client, world):
    partner, helper = make_user("partner@bakery.lu"), make_user("helper@bakery.lu")
    join(partner, world.bakery, MerchantMembership.ADMIN)
    join(helper, world.bakery, MerchantMembership.ADMIN)
    sign_in(client, world.owner)
    page = text(client.get("/store/centre/team"))
    assert f'id="remove-member-merchant-{merchant_membership(helper).id}"' in page

    promoted = htmx_client.post(f"/store/centre/team/merchant-members/{merchant_membership(partner).id}/role",
                                data={"role": "owner"})
    assert promoted.status_code == 200 and "partner@bakery.lu is now owner." in text(promoted)
    assert text(promoted).lstrip().startswith(f'<tr id="member-merchant-{merchant_membership(partner).id}"')
    removed = htmx_client.post(f"/store/centre/team/merchant-members/{merchant_membership(helper).id}/remove")
    assert removed.status_code == 200 and "helper@bakery.lu no longer works in Bakery Centre." in text(removed)

    db.session.expire_all()
    assert merchant_membership(partner).role == MerchantMembership.OWNER and merchant_membership(helper) is None
    assert {"team.role_changed", "team.removed"} <= set(audit_actions(merchant_id=world.bakery.id))
    client.post("/store/logout")
    sign_in(client, helper)  # signs in, but works nowhere any more
    assert client.get("/store/gare/").status_code == 404


def test_an_administrator_may_not_touch_an_owner_nor_make_one(htmx_client, client, world):
    admin, other_admin = make_user("admin@bakery.lu"), make_user("admin2@bakery.lu")
    join(admin, world.bakery, MerchantMembership.ADMIN)
    join(other_admin, world.bakery, MerchantMembership.ADMIN)
    sign_in(client, admin)
    page = text(client.get("/store/centre/team"))
    assert f'id="remove-member-merchant-{merchant_membership(world.owner).id}"' not in page
    assert 'value="owner"' not in page

    owner_id = merchant_membership(world.owner).id
    demote = htmx_client.post(f"/store/centre/team/merchant-members/{owner_id}/role", data={"role": "admin"})
    remove = htmx_client.post(f"/store/centre/team/merchant-members/{owner_id}/remove")
    promote = htmx_client.post(f"/store/centre/team/merchant-members/{merchant_membership(other_admin).id}/role",
                               data={"role": "owner"})
    assert [demote.status_code, remove.status_code, promote.status_code] == [422, 422, 422]
    assert "Only an owner can change the role of an owner." in text(demote)
    assert "Only an owner can make someone an owner." in text(promote)
    db.session.expire_all()
    assert merchant_membership(world.owner).role == MerchantMembership.OWNER
    assert merchant_membership(other_admin).role == MerchantMembership.ADMIN


def test_the_last_owner_is_never_demoted_nor_removed(htmx_client, client, world, platform_admin):
    sign_in(client, platform_admin)  # platform staff may change anyone, but the merchant keeps an owner
    owner_id = merchant_membership(world.owner).id
    demote = htmx_client.post(f"/store/centre/team/merchant-members/{owner_id}/role", data={"role": "admin"})
    remove = htmx_client.post(f"/store/centre/team/merchant-members/{owner_id}/remove")
    assert demote.status_code == remove.status_code == 422
    assert "You cannot demote the only owner of Bakery" in text(demote)
    assert "You cannot remove the only owner of Bakery" in text(remove)
    db.session.expire_all()
    assert merchant_membership(world.owner).role == MerchantMembership.OWNER


def test_a_store_manager_cannot_change_the_merchants_administrators(htmx_client, client, world):
    admin = make_user("admin@bakery.lu")
    join(admin, world.bakery, MerchantMembership.ADMIN)
    sign_in(client, world.manager)
    assert f'id="remove-member-merchant-{merchant_membership(admin).id}"' not in text(client.get("/store/centre/team"))
    response = htmx_client.post(f"/store/centre/team/merchant-members/{merchant_membership(admin).id}/remove")
    assert response.status_code == 403
    db.session.expire_all()
    assert merchant_membership(admin) is not None


def test_an_owner_of_another_merchant_gets_404_for_this_merchants_administrators(htmx_client, client, world):
    admin = make_user("admin@bakery.lu")
    join(admin, world.bakery, MerchantMembership.ADMIN)
    sign_in(client, world.fashion_owner)
    response = htmx_client.post(f"/store/lux/team/merchant-members/{merchant_membership(admin).id}/remove")
    assert response.status_code == 404
    db.session.expire_all()
    assert merchant_membership(admin) is not None
