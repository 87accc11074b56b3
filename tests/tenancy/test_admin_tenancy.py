"""Platform admin pages of the tenancy module: merchants, stores, domains, users, audit log."""
import email
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blueprints.tenancy.dns import StaticTxtResolver, record_name, record_value
from blueprints.tenancy.models import Invitation, Merchant, PlatformAssignment, Store, StoreDomain
from webapp.extensions import db
from webapp.models import AuditLog, User

MERCHANT = {"name": "Bakery", "legal_name": "Bakery S.à r.l.", "vat_number": "LU15027442", "country": "LU",
            "contact_email": "hello@bakery.lu", "city": "Luxembourg"}


def add_merchant(platform, name="Bakery", **fields) -> Merchant:
    merchant = Merchant(platform_id=platform.id, name=name, legal_name=fields.pop("legal_name", name),
                        contact_email=fields.pop("contact_email", f"{name.lower()}@example.com"), **fields)
    db.session.add(merchant)
    db.session.commit()
    return merchant


def add_store(merchant, code, name=None, **fields) -> Store:
    store = Store(platform_id=merchant.platform_id, merchant=merchant, store_code=code, name=name or code.title(),
                  languages=["fr", "en"], default_language="fr", **fields)
    db.session.add(store)
    db.session.commit()
    return store


@pytest.fixture
def mailbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "mail"))

    def read() -> list[email.message.EmailMessage]:
        folder = Path(app.config["MAIL_FOLDER"])
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]

    return read


@pytest.fixture
def dns(app, monkeypatch):
    resolver = StaticTxtResolver()
    monkeypatch.setitem(app.extensions, "tenancy.dns", resolver)
    return resolver


# -- merchants --------------------------------------------------------------------------------
def test_super_admin_creates_a_merchant(client, as_super_admin, platform):
    response = client.post("/admin/merchants/new?platform=main", data=MERCHANT)
    merchant = db.session.scalar(select(Merchant).where(Merchant.name == "Bakery"))
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/merchants/{merchant.id}"
    assert merchant.vat_number == "LU15027442" and merchant.platform_id == platform.id
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "merchant.created")).merchant_id == merchant.id


@pytest.mark.parametrize("vat, message", [("LU15027443", "checksum"), ("LU123", "not a valid EU VAT number"),
                                          ("FR40303265045", "not from the merchant")])
def test_malformed_vat_number_is_refused_inline_and_nothing_is_stored(htmx_client, as_super_admin, vat, message):
    response = htmx_client.post("/admin/merchants/new?platform=main", data={**MERCHANT, "vat_number": vat})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert re.search(r'id="field-vat_number".*?is-invalid.*?' + re.escape(message), html, re.S)
    assert db.session.scalar(select(func.count()).select_from(Merchant)) == 0


def test_merchant_list_searches_filters_and_sorts_as_htmx_fragments(htmx_client, as_super_admin, platform):
    add_merchant(platform, "Alpha Bakery")
    add_merchant(platform, "Beta Fashion", status="suspended")
    add_merchant(platform, "Gamma Books")
    html = htmx_client.get("/admin/merchants?q=bak").get_data(as_text=True)
    assert "<html" not in html and 'data-count="1"' in html and "Alpha Bakery" in html
    suspended = htmx_client.get("/admin/merchants?status=suspended").get_data(as_text=True)
    assert 'data-count="1"' in suspended and "Beta Fashion" in suspended
    descending = htmx_client.get("/admin/merchants?sort=name&dir=desc").get_data(as_text=True)
    assert descending.index("Gamma Books") < descending.index("Beta Fashion") < descending.index("Alpha Bakery")
    assert htmx_client.get("/admin/merchants?sort=password").status_code == 400


@pytest.mark.parametrize("url", ["/admin/merchants", "/admin/stores", "/admin/users"])
def test_lists_keep_their_query_budget_for_1_and_200_rows(client, as_super_admin, platform, count_queries, url):
    def add(number):
        merchant = add_merchant(platform, f"Merchant {number:03d}")
        add_store(merchant, f"store-{number:03d}")
        user = User(email=f"user{number:03d}@example.com", session_token="x", password_hash="")
        db.session.add(user)
        db.session.commit()

    add(0)
    client.get(url)  # warm per-process caches, as in a running server
    with count_queries() as one:
        assert client.get(url).status_code == 200
    for number in range(1, 200):
        add(number)
    with count_queries() as many:
        response = client.get(url)
    assert response.status_code == 200 and 'data-count="20"' in response.get_data(as_text=True)
    assert one.count == many.count <= 8, (one.statements, many.statements)


def test_suspending_a_merchant_is_recorded_and_reversible(client, as_super_admin, platform):
    merchant = add_merchant(platform)
    client.post(f"/admin/merchants/{merchant.id}/status", data={"status": "suspended"})
    db.session.refresh(merchant)
    assert merchant.status == "suspended"
    client.post(f"/admin/merchants/{merchant.id}/status?status=active")
    db.session.refresh(merchant)
    assert merchant.status == "active"
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.merchant_id == merchant.id)).all()
    assert {"merchant.suspended", "merchant.reactivated"} <= set(actions)
    assert client.post(f"/admin/merchants/{merchant.id}/status", data={"status": "deleted"}).status_code == 400


# -- stores -----------------------------------------------------------------------------------
def test_creating_a_store_invites_its_owner_by_mail(client, as_super_admin, platform, mailbox):
    merchant = add_merchant(platform)
    response = client.post(f"/admin/merchants/{merchant.id}/stores", data={
        "store_code": "bakery-centre", "name": "Bakery Centre", "languages": ["fr", "de"],
        "default_language": "fr", "owner_email": "Owner@Bakery.lu"})
    store = db.session.scalar(select(Store).where(Store.store_code == "bakery-centre"))
    assert response.status_code == 303 and store.languages == ["fr", "de"]
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "owner@bakery.lu" and invitation.role == "owner"
    [mail] = mailbox()
    assert mail["To"] == "owner@bakery.lu"
    assert re.search(r"/invite/[\w-]{20,}", mail.get_content())


@pytest.mark.parametrize("code, message", [("bakery-centre", "already used on this platform"),
                                           ("login", "is reserved"), ("Bad Code!", "lower-case letters")])
def test_bad_store_codes_are_refused_with_a_clear_message(htmx_client, as_super_admin, platform, code, message):
    merchant = add_merchant(platform)
    add_store(merchant, "bakery-centre")
    response = htmx_client.post(f"/admin/merchants/{merchant.id}/stores", data={
        "store_code": code, "name": "X", "languages": ["fr"], "default_language": "fr"})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Store)) == 1


def test_the_same_store_code_may_exist_on_another_platform(client, as_super_admin, platform, create_platform):
    other = create_platform("be", "Belgium", ["shop.be"])
    add_store(add_merchant(other, "Other"), "bakery-centre")
    merchant = add_merchant(platform)
    response = client.post(f"/admin/merchants/{merchant.id}/stores", data={
        "store_code": "bakery-centre", "name": "Bakery Centre", "languages": ["fr"], "default_language": "fr"})
    assert response.status_code == 303


def test_store_languages_must_include_the_default(htmx_client, as_super_admin, platform):
    store = add_store(add_merchant(platform), "bakery")
    response = htmx_client.post(f"/admin/stores/{store.id}", data={"name": "Bakery", "languages": ["de"],
                                                                     "default_language": "fr"})
    assert response.status_code == 422 and "default language must be one of" in response.get_data(as_text=True)


# -- domains ----------------------------------------------------------------------------------
def test_domain_shows_dns_instructions_and_routes_only_once_verified(htmx_client, client, as_super_admin, platform,
                                                                     dns):
    store = add_store(add_merchant(platform), "bakery")
    added = htmx_client.post(f"/admin/stores/{store.id}/domains", data={"host": "Shop.Bakery.LU."})
    html = added.get_data(as_text=True)
    domain = db.session.scalar(select(StoreDomain))
    assert domain.host == "shop.bakery.lu" and not domain.is_primary and not domain.is_verified
    assert record_name("shop.bakery.lu") in html and record_value(domain.verification_token) in html

    failed = htmx_client.post(f"/admin/stores/{store.id}/domains/{domain.id}/verify").get_data(as_text=True)
    assert "No TXT record with the token was found" in failed and 'data-verified="false"' in failed

    dns.records[record_name("shop.bakery.lu")] = ["other", record_value(domain.verification_token)]
    verified = htmx_client.post(f"/admin/stores/{store.id}/domains/{domain.id}/verify").get_data(as_text=True)
    assert 'data-verified="true"' in verified and "now serves the storefront" in verified
    db.session.refresh(domain)
    assert domain.is_primary  # the store's first verified domain becomes its primary one


def test_a_host_can_belong_to_one_store_only(htmx_client, as_super_admin, platform):
    platform.hosts = ["localhost", "market.example.lu"]
    db.session.commit()
    merchant = add_merchant(platform)
    first, second = add_store(merchant, "one"), add_store(merchant, "two")
    htmx_client.post(f"/admin/stores/{first.id}/domains", data={"host": "shop.example.lu"})
    taken = htmx_client.post(f"/admin/stores/{second.id}/domains", data={"host": "SHOP.example.lu"})
    assert taken.status_code == 422 and "already belongs to a store or platform" in taken.get_data(as_text=True)
    platform_host = htmx_client.post(f"/admin/stores/{second.id}/domains", data={"host": "Market.Example.lu"})
    assert platform_host.status_code == 422
    bad = htmx_client.post(f"/admin/stores/{second.id}/domains", data={"host": "https://x.lu/path"})
    assert bad.status_code == 422 and "host name only" in bad.get_data(as_text=True)


def test_one_primary_domain_per_store(htmx_client, as_super_admin, platform, dns):
    store = add_store(add_merchant(platform), "bakery")
    for host in ("a.bakery.lu", "b.bakery.lu"):
        htmx_client.post(f"/admin/stores/{store.id}/domains", data={"host": host})
    first, second = db.session.scalars(select(StoreDomain).order_by(StoreDomain.host)).all()
    refused = htmx_client.post(f"/admin/stores/{store.id}/domains/{second.id}/primary").get_data(as_text=True)
    assert "Only a verified domain can be the primary one" in refused
    dns.records[record_name(second.host)] = [record_value(second.verification_token)]
    htmx_client.post(f"/admin/stores/{store.id}/domains/{second.id}/verify")
    htmx_client.post(f"/admin/stores/{store.id}/domains/{second.id}/primary")
    db.session.expire_all()
    assert [d.host for d in db.session.scalars(select(StoreDomain).where(StoreDomain.is_primary))] == ["b.bakery.lu"]


def test_a_domain_of_another_store_is_a_404(client, as_super_admin, platform):
    merchant = add_merchant(platform)
    first, second = add_store(merchant, "one"), add_store(merchant, "two")
    domain = StoreDomain(store=second, host="two.example.lu", verification_token="t")
    db.session.add(domain)
    db.session.commit()
    assert client.post(f"/admin/stores/{first.id}/domains/{domain.id}/remove").status_code == 404
    assert db.session.get(StoreDomain, domain.id) is not None


# -- platform scope, users, audit -------------------------------------------------------------
def test_a_platform_admin_limited_to_one_platform_gets_404_elsewhere(client, auth, platform_admin, platform,
                                                                   create_platform):
    other = create_platform("be", "Belgium", ["shop.be"])
    foreign = add_merchant(other, "Foreign")
    home = add_merchant(platform, "Home")  # the platform_admin fixture runs the main platform only
    auth.login(platform_admin)
    assert client.get(f"/admin/merchants/{home.id}").status_code == 200
    assert client.get(f"/admin/merchants/{foreign.id}").status_code == 404
    assert client.get("/admin/merchants?platform=be").status_code == 404
    assert client.post(f"/admin/merchants/{foreign.id}/status", data={"status": "suspended"}).status_code == 404


def test_deactivating_a_user_ends_their_sessions(app, client, as_super_admin, create_user):
    from tests.conftest import Auth

    victim = create_user("leaving@example.com")
    other_client = app.test_client()
    Auth(other_client).login(victim)
    assert other_client.get("/admin/").status_code == 200
    response = client.post(f"/admin/users/{victim.id}/deactivate")
    assert response.status_code == 200 and "is deactivated and signed out" in response.get_data(as_text=True)
    assert other_client.get("/admin/").status_code == 302
    assert client.post(f"/admin/users/{as_super_admin.id}/deactivate").status_code == 409


def test_users_page_is_for_super_admins(client, as_platform_admin):
    assert client.get("/admin/users").status_code == 403


def test_audit_log_filters_by_action_and_user(htmx_client, client, as_super_admin, platform):
    client.post("/admin/merchants/new?platform=main", data=MERCHANT)
    html = htmx_client.get("/admin/audit?action=merchant.").get_data(as_text=True)
    assert 'data-action="merchant.created"' in html and 'data-action="auth.login"' not in html
    mine = htmx_client.get(f"/admin/audit?user={as_super_admin.email}").get_data(as_text=True)
    assert 'data-action="merchant.created"' in mine
    nobody = htmx_client.get("/admin/audit?user=nobody@example.com").get_data(as_text=True)
    assert 'data-count="0"' in nobody


def test_an_invitation_whose_mail_cannot_be_sent_is_not_kept(platform, super_admin, monkeypatch):
    from blueprints.tenancy import services

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(services, "send_mail", smtp_down)
    merchant = add_merchant(platform)
    with pytest.raises(services.TenancyError, match="could not be sent"):
        services.invite(merchant, "someone@example.com", "admin", super_admin)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_search_treats_wildcards_literally(htmx_client, as_super_admin, platform):
    add_merchant(platform, "100% Bio")
    add_merchant(platform, "Plain")
    assert 'data-count="1"' in htmx_client.get("/admin/merchants?q=%25").get_data(as_text=True)
    assert 'data-count="0"' in htmx_client.get("/admin/merchants?q=_").get_data(as_text=True)


def test_super_admin_invites_a_platform_admin_limited_to_one_platform(client, htmx_client, as_super_admin, platform,
                                                                      create_platform, mailbox):
    other = create_platform("be", "Belgium", ["shop.be"])
    response = client.post("/admin/users/invite", data={"email": "New.Admin@example.com",
                                                        "platform_role": "platform_admin",
                                                        "platform_ids": [str(platform.id)]})
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "new.admin@example.com"))
    assert user.platform_role == "platform_admin" and user.password_hash == ""
    assigned = db.session.scalars(select(PlatformAssignment.platform_id).where(PlatformAssignment.user_id == user.id))
    assert list(assigned) == [platform.id]
    [mail] = mailbox()
    assert mail["To"] == "new.admin@example.com" and "/store/password-reset/" in mail.get_content()
    again = htmx_client.post("/admin/users/invite", data={"email": "new.admin@example.com",
                                                          "platform_role": "platform_admin"})
    assert again.status_code == 422 and "already has an account" in again.get_data(as_text=True)
    widened = htmx_client.post(f"/admin/users/{user.id}/platforms",
                               data={"platform_ids": [str(platform.id), str(other.id)]})
    assert "works on 2 platform(s)" in widened.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/merchants", "/admin/stores", "/admin/audit"])
def test_lists_switch_between_the_platforms_an_admin_works_on(client, as_super_admin, platform, create_platform, url):
    other = create_platform("be", "Belgium", ["shop.be"])
    add_store(add_merchant(other, "Brussels Bakery"), "brussels")
    page = client.get(f"{url}?platform=be").get_data(as_text=True)
    assert '<select class="form-select form-select-sm" id="filter-platform" name="platform">' in page
    assert '<option value="be" selected>Belgium</option>' in page
    if url != "/admin/audit":
        assert "Brussels Bakery" in page
        assert "Brussels Bakery" not in client.get(f"{url}?platform=main").get_data(as_text=True)


def test_a_suspended_store_is_closed_to_its_staff(app, client, as_super_admin, platform):
    from blueprints.tenancy.models import MerchantMembership

    merchant = add_merchant(platform)
    store = add_store(merchant, "closing")
    owner = User(email="boss@closing.lu", session_token="t", password_hash="")
    db.session.add(owner)
    db.session.flush()
    db.session.add(MerchantMembership(merchant_id=merchant.id, user_id=owner.id, role="owner"))
    db.session.commit()
    from webapp.security import hash_password

    owner.password_hash = hash_password("correct horse battery")
    db.session.commit()
    staff_client = app.test_client()
    staff_client.post("/store/login", data={"email": owner.email, "password": "correct horse battery"})
    assert staff_client.get("/store/closing/settings").status_code == 200
    client.post(f"/admin/merchants/{merchant.id}/status", data={"status": "suspended"})
    closed = staff_client.get("/store/closing/settings")
    assert closed.status_code == 403 and b"is suspended by the platform" in closed.data
    assert staff_client.post("/store/closing/settings", data={"name": "Sneaky"}).status_code == 403
    db.session.refresh(store)
    assert store.name != "Sneaky"
    assert client.get("/store/closing/").status_code == 200  # platform staff may still look in


def test_platform_limits_are_never_widened_by_unknown_ids(client, as_super_admin, platform, platform_admin):
    response = client.post(f"/admin/users/{platform_admin.id}/platforms", data={"platform_ids": ["999999"]})
    assert response.status_code == 400
    kept = db.session.scalars(select(PlatformAssignment.platform_id)
                              .where(PlatformAssignment.user_id == platform_admin.id)).all()
    assert kept == [platform.id]


def test_super_admins_see_account_events_in_the_audit_log(htmx_client, as_super_admin, create_user):
    victim = create_user("leaving@example.com")
    htmx_client.post(f"/admin/users/{victim.id}/deactivate")
    html = htmx_client.get("/admin/audit?action=user.").get_data(as_text=True)
    assert 'data-action="user.deactivated"' in html


def test_open_store_admin_links_to_the_stores_platform_host(client, as_super_admin, platform, create_platform):
    other = create_platform("be", "Belgium", ["shop.be"])
    store = add_store(add_merchant(other, "Brussels"), "brussels")
    page = client.get(f"/admin/stores/{store.id}").get_data(as_text=True)
    assert 'href="http://shop.be/store/brussels/"' in page


def test_a_store_whose_owner_invitation_cannot_be_sent_is_not_kept(platform, super_admin, monkeypatch):
    from blueprints.tenancy import services

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(services, "send_mail", smtp_down)
    merchant = add_merchant(platform)
    with pytest.raises(services.TenancyError, match="could not be sent"):
        services.create_store(merchant, {"store_code": "half-made", "name": "Half made", "languages": ["fr"]},
                              super_admin, owner_email="owner@example.com")
    assert db.session.scalar(select(func.count()).select_from(Store)) == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_platform_admin_is_invited_for_named_platforms_only(htmx_client, as_super_admin, platform, mailbox):
    response = htmx_client.post("/admin/users/invite", data={"email": "nowhere@example.com",
                                                             "platform_role": "platform_admin"})
    assert response.status_code == 422 and "Tick the platforms" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.id).where(User.email == "nowhere@example.com")) is None
    assert mailbox() == []
