"""Tenancy services: merchants, stores, domains, invitations, team, staff users, scoped reads.

Reads of tenant-owned rows take the acting user and raise ``NotFound`` for anything of another
tenant; writes raise ``TenancyError`` naming the form field, write nothing when refused, and
leave an audit row (who, what, which tenant) when done.
"""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from blueprints.tenancy import resolution, services
from blueprints.tenancy.dns import DnsLookupError, StaticTxtResolver, record_name, record_value
from blueprints.tenancy.models import (
    Invitation,
    Merchant,
    MerchantMembership,
    PlatformAssignment,
    Store,
    StoreDomain,
    StoreMembership,
)
from blueprints.tenancy.services import NotFound, TenancyError
from tests.tenancy.factories import (
    VALID_LU_VAT,
    at,
    make_domain,
    make_member,
    make_merchant,
    make_store,
    make_user,
    merchant_data,
    store_data,
)
from webapp.extensions import db
from webapp.models import AuditLog, User, utcnow
from webapp.security import can, load_user, password_hasher


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def audit_rows(**filters) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).filter_by(**filters).order_by(AuditLog.id)))


def only_audit(action: str) -> AuditLog:
    rows = audit_rows(action=action)
    assert len(rows) == 1, [row.action for row in audit_rows()]
    return rows[0]


def fresh(obj):
    """The row as the database has it now (not as this session remembers it)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


# -- merchants --------------------------------------------------------------------------------
def test_create_merchant_stores_the_cleaned_fields_and_audits_the_tenant(platform, super_admin):
    merchant = services.create_merchant(
        platform, merchant_data(vat_number="lu 1502 7442", country="lu", contact_email=" Contact@Boulangerie.TEST "),
        super_admin)

    merchant = fresh(merchant)
    assert merchant.platform_id == platform.id
    assert merchant.vat_number == VALID_LU_VAT
    assert merchant.country == "LU"
    assert merchant.contact_email == "contact@boulangerie.test"
    assert merchant.status == "active" and merchant.is_active
    entry = only_audit("merchant.created")
    assert (entry.platform_id, entry.merchant_id, entry.store_id) == (platform.id, merchant.id, None)
    assert entry.user_id == super_admin.id
    assert entry.target == "Boulangerie Test"


def test_the_legal_name_defaults_to_the_name_and_the_vat_number_is_optional(platform, super_admin):
    merchant = services.create_merchant(platform, merchant_data(legal_name="", vat_number=""), super_admin)
    assert fresh(merchant).legal_name == "Boulangerie Test"
    assert fresh(merchant).vat_number is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"),
    ({"contact_email": ""}, "contact_email"),
    ({"contact_email": "not-an-address"}, "contact_email"),
    ({"vat_number": "LU1502"}, "vat_number"),  # malformed
    ({"vat_number": "LU15027443"}, "vat_number"),  # bad check digits
    ({"vat_number": "15027442"}, "vat_number"),  # no country prefix
    ({"vat_number": "DE136695976"}, "vat_number"),  # valid, but German for a Luxembourg merchant
    ({"country": "Luxembourg"}, "country"),  # a name, not an ISO code (and longer than the column)
    ({"country": "L1"}, "country"),
    ({"country": "1 "}, "country"),
])
def test_refused_merchant_input_names_its_field_and_stores_nothing(platform, super_admin, changes, field):
    with pytest.raises(TenancyError) as error:
        services.create_merchant(platform, merchant_data(**changes), super_admin)
    assert error.value.field == field
    assert str(error.value)
    assert count(Merchant) == 0
    assert count(AuditLog) == 0


def test_a_wrong_country_vat_number_says_which_country_is_expected(platform, super_admin):
    with pytest.raises(TenancyError, match=r"\(LU\)"):
        services.create_merchant(platform, merchant_data(vat_number="DE136695976"), super_admin)


@pytest.mark.parametrize(("country", "vat"), [("DE", "DE136695976"), ("BE", "BE0403019261"), ("GR", "EL094259216")])
def test_a_vat_number_of_the_merchants_own_country_is_accepted(platform, super_admin, country, vat):
    """Greece is GR in addresses but EL in VAT numbers."""
    merchant = services.create_merchant(platform, merchant_data(country=country, vat_number=vat), super_admin)
    assert fresh(merchant).vat_number == vat


def test_update_merchant_changes_the_fields_and_audits_which(merchant, super_admin):
    data = merchant_data(name=merchant.name, legal_name=merchant.legal_name, vat_number="",
                         street=merchant.street, postal_code=merchant.postal_code, city="Esch-sur-Alzette",
                         contact_email="NEW@boulangerie.test")
    services.update_merchant(merchant, data, super_admin)

    merchant = fresh(merchant)
    assert merchant.city == "Esch-sur-Alzette"
    assert merchant.contact_email == "new@boulangerie.test"
    entry = only_audit("merchant.updated")
    assert entry.merchant_id == merchant.id and entry.platform_id == merchant.platform_id
    assert entry.details == {"fields": ["city", "contact_email"]}


def test_update_merchant_with_a_bad_vat_number_changes_nothing(merchant, super_admin):
    before = (merchant.name, merchant.vat_number)
    with pytest.raises(TenancyError) as error:
        services.update_merchant(merchant, merchant_data(name="Renamed", vat_number="LU15027443"), super_admin)
    assert error.value.field == "vat_number"
    merchant = fresh(merchant)
    assert (merchant.name, merchant.vat_number) == before
    assert count(AuditLog) == 0


def test_suspending_and_reactivating_a_merchant_is_audited(merchant, store, super_admin):
    services.set_merchant_status(merchant, "suspended", super_admin)
    assert fresh(merchant).status == "suspended"
    assert not fresh(store).is_active  # a suspended merchant's stores are not active either
    suspended = only_audit("merchant.suspended")
    assert (suspended.merchant_id, suspended.user_id) == (merchant.id, super_admin.id)

    services.set_merchant_status(merchant, "active", super_admin)
    assert fresh(merchant).status == "active"
    assert fresh(store).is_active
    assert only_audit("merchant.reactivated").merchant_id == merchant.id


def test_an_unknown_merchant_status_is_refused(merchant, super_admin):
    with pytest.raises(TenancyError):
        services.set_merchant_status(merchant, "deleted", super_admin)
    assert fresh(merchant).status == "active"
    assert count(AuditLog) == 0


# -- stores -----------------------------------------------------------------------------------
def test_create_store_normalises_and_audits_with_the_store_and_merchant(merchant, super_admin, mailbox):
    store = services.create_store(merchant, store_data(" Centre ", languages=["lb", "en", "fr"]), super_admin)

    store = fresh(store)
    assert store.store_code == "centre"
    assert (store.platform_id, store.merchant_id) == (merchant.platform_id, merchant.id)
    assert store.languages == ["en", "fr", "lb"]  # in the platform's order, whatever the form sent
    assert store.default_language == "fr"
    assert store.currency == "EUR"
    assert store.contact_email == merchant.contact_email  # defaults to the merchant's
    entry = only_audit("store.created")
    assert (entry.platform_id, entry.merchant_id, entry.store_id) == (merchant.platform_id, merchant.id, store.id)
    assert mailbox.messages() == []  # no owner e-mail given: nobody invited


def test_a_store_code_is_unique_per_platform_across_merchants(store, other_merchant, super_admin):
    with pytest.raises(TenancyError) as error:
        services.create_store(other_merchant, store_data("CENTRE"), super_admin)
    assert error.value.field == "store_code"
    assert "centre" in str(error.value)
    assert count(Store) == 1
    assert audit_rows(action="store.created") == []


def test_the_same_store_code_is_allowed_on_another_platform(store, create_platform, super_admin):
    elsewhere = make_merchant(create_platform("market", hosts=["market.lu"]))
    other = services.create_store(elsewhere, store_data("centre"), super_admin)
    assert fresh(other).store_code == fresh(store).store_code == "centre"
    assert fresh(other).platform_id != fresh(store).platform_id


@pytest.mark.parametrize("code", ["login", "admin", "Select", "static"])
def test_a_reserved_store_code_is_refused(merchant, super_admin, code):
    with pytest.raises(TenancyError, match="reserved") as error:
        services.create_store(merchant, store_data(code), super_admin)
    assert error.value.field == "store_code"
    assert count(Store) == 0


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": " "}, "name"),
    ({"store_code": "bad code"}, "store_code"),
    ({"languages": []}, "languages"),
    ({"languages": None}, "languages"),
    ({"languages": ["es", "it"]}, "languages"),  # only en/fr/de/lb exist
    ({"languages": ["fr", "en"], "default_language": "de"}, "default_language"),
    ({"default_language": "es"}, "default_language"),
])
def test_refused_store_input_names_its_field_and_stores_nothing(merchant, super_admin, mailbox, changes, field):
    with pytest.raises(TenancyError) as error:
        services.create_store(merchant, store_data("centre", **changes), super_admin,
                              owner_email="owner@boulangerie.test")
    assert error.value.field == field
    assert count(Store) == 0
    assert count(Invitation) == 0
    assert mailbox.messages() == []  # a refused store invites nobody


def accept_link_token(app, mail) -> str:
    """The token of the accept link in ``mail``, checked to route to the accept page."""
    links = re.findall(r"https?://\S+", mail.body)
    assert len(links) == 1, mail.body
    link = urlsplit(links[0])
    assert links[0].startswith(app.config["BASE_URL"])  # no request here: the configured base URL
    endpoint, values = app.url_map.bind(link.netloc).match(link.path)
    assert endpoint == "tenancy_public.accept_invitation"
    return values.get("token") or parse_qs(link.query)["token"][0]


def test_create_store_with_an_owner_email_mails_exactly_one_invitation(app, merchant, super_admin, mailbox):
    store = services.create_store(merchant, store_data("centre"), super_admin, owner_email=" Owner@Boulangerie.TEST")

    mail = mailbox.only()
    assert mail.to == "owner@boulangerie.test"
    assert merchant.name in mail.subject
    assert "owner" in mail.body.lower()
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.email, invitation.role) == ("owner@boulangerie.test", "owner")
    assert (invitation.merchant_id, invitation.store_id) == (merchant.id, None)  # owner of the whole merchant
    assert invitation.invited_by_id == super_admin.id

    owner = services.accept_invitation(accept_link_token(app, mail), name="Olga Owner", password="a long passphrase")
    assert services.get_store_for(owner, store) == store


def test_create_store_does_not_invite_someone_who_already_owns_the_merchant(merchant, owner, super_admin, mailbox):
    services.create_store(merchant, store_data("centre"), super_admin, owner_email=owner.email.upper())
    assert mailbox.messages() == []
    assert count(Invitation) == 0


def test_update_store_changes_name_languages_and_contact(store, super_admin):
    services.update_store(store, {"name": "Centre-Ville", "default_language": "de", "languages": ["de", "lb"],
                                  "contact_email": "Centre@Boulangerie.test", "phone": " +352 12 34 "}, super_admin)
    store = fresh(store)
    assert (store.name, store.default_language, store.languages) == ("Centre-Ville", "de", ["de", "lb"])
    assert (store.contact_email, store.phone) == ("centre@boulangerie.test", "+352 12 34")
    assert only_audit("store.updated").store_id == store.id


def test_update_store_refuses_a_default_language_the_store_does_not_offer(store, super_admin):
    with pytest.raises(TenancyError) as error:
        services.update_store(store, {"name": "Centre", "default_language": "en", "languages": ["fr"]}, super_admin)
    assert error.value.field == "default_language"
    assert fresh(store).languages == ["en", "fr", "de"]


def test_suspending_a_store_is_audited(store, super_admin):
    services.set_store_status(store, "suspended", super_admin)
    assert not fresh(store).is_active
    entry = only_audit("store.suspended")
    assert (entry.store_id, entry.merchant_id) == (store.id, store.merchant_id)
    services.set_store_status(store, "active", super_admin)
    assert fresh(store).is_active
    assert only_audit("store.reactivated").store_id == store.id


def test_stores_of_lists_exactly_the_stores_a_user_works_in(platform, merchant, store, second_store, other_store,
                                                            owner, staff_user, super_admin):
    assert [s.store_code for s in services.stores_of(owner)] == ["centre", "gare"]
    assert [s.store_code for s in services.stores_of(staff_user)] == ["centre"]
    assert services.stores_of(make_user("nobody@example.com")) == []
    assert {s.store_code for s in services.stores_of(super_admin, platform)} == {"centre", "gare", "mode-lux"}


# -- scoped reads -----------------------------------------------------------------------------
def test_get_merchant_finds_the_users_own_merchant(merchant, owner, super_admin):
    assert services.get_merchant(owner, merchant.id) == merchant
    assert services.get_merchant(super_admin, merchant.id) == merchant


def test_get_merchant_of_another_merchant_is_not_found(merchant, owner, other_merchant, other_owner, staff_user):
    with pytest.raises(NotFound):
        services.get_merchant(owner, other_merchant.id)
    with pytest.raises(NotFound):
        services.get_merchant(other_owner, merchant.id)
    with pytest.raises(NotFound):  # store staff work in a store, not in the merchant's settings
        services.get_merchant(staff_user, merchant.id)
    with pytest.raises(NotFound):
        services.get_merchant(owner, 10**9)


def test_get_store_for_opens_the_stores_a_user_may_work_in(store, second_store, owner, staff_user):
    assert services.get_store_for(owner, store) == store
    assert services.get_store_for(owner, second_store) == second_store
    assert services.get_store_for(staff_user, store) == store


def test_get_store_for_a_store_of_another_tenant_is_not_found(store, second_store, other_store, owner, staff_user):
    with pytest.raises(NotFound):
        services.get_store_for(owner, other_store)
    with pytest.raises(NotFound):  # staff of one store do not reach the merchant's other store
        services.get_store_for(staff_user, second_store)
    with pytest.raises(NotFound):  # an unknown store code resolves to no store
        services.get_store_for(owner, None)


def test_get_domain_of_another_store_is_not_found(store, other_store):
    own = make_domain(store, "shop.boulangerie.lu")
    foreign = make_domain(other_store, "shop.mode.lu")
    assert services.get_domain(store, own.id) == own
    with pytest.raises(NotFound):
        services.get_domain(store, foreign.id)
    with pytest.raises(NotFound):
        services.get_domain(store, 10**9)


def test_get_store_membership_of_another_store_is_not_found(store, second_store, staff_user):
    colleague = make_user("gare@boulangerie.test")
    elsewhere = make_member(colleague, second_store, "staff")
    own = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == staff_user.id))
    assert services.get_store_membership(store, own.id) == own
    with pytest.raises(NotFound):
        services.get_store_membership(store, elsewhere.id)


# -- platform admins limited to some platforms --------------------------------------------------
def test_an_assigned_platform_admin_sees_only_the_assigned_platforms(platform, create_platform, platform_admin,
                                                                    super_admin):
    market = create_platform("market", hosts=["market.lu"])
    services.assign_platforms(platform_admin, [market.id], super_admin)

    assert [p.code for p in services.visible_platforms(platform_admin)] == ["market"]
    assert services.get_platform(platform_admin, "market") == market
    with pytest.raises(NotFound):
        services.get_platform(platform_admin, "main")
    entry = only_audit("user.platforms_assigned")
    assert entry.details == {"platform_ids": [market.id]} and entry.user_id == super_admin.id


def test_assigning_platforms_replaces_the_previous_assignment(platform, create_platform, platform_admin, super_admin):
    market = create_platform("market", hosts=["market.lu"])
    services.assign_platforms(platform_admin, [market.id, market.id], super_admin)
    services.assign_platforms(platform_admin, [platform.id], super_admin)
    assert [p.code for p in services.visible_platforms(platform_admin)] == ["main"]
    assert count(PlatformAssignment) == 1


def test_super_admins_see_every_platform_and_unassigned_platform_admins_none(platform, create_platform,
                                                                              platform_admin, super_admin):
    market = create_platform("market", hosts=["market.lu"])
    services.assign_platforms(super_admin, [market.id], super_admin)  # never limits a super admin
    assert [p.code for p in services.visible_platforms(super_admin)] == ["main", "market"]
    assert [p.code for p in services.visible_platforms(platform_admin)] == ["main"]
    services.assign_platforms(platform_admin, [], super_admin)  # access is explicit: no row, no platform
    assert services.visible_platforms(platform_admin) == []
    with pytest.raises(NotFound):
        services.get_platform(platform_admin, "main")


def test_merchant_staff_see_no_platform(platform, owner):
    assert services.visible_platforms(owner) == []
    with pytest.raises(NotFound):
        services.get_platform(owner, "main")


def test_a_platform_admin_of_another_platform_cannot_reach_its_merchants_and_stores(
        create_platform, merchant, store, platform_admin, super_admin):
    market = create_platform("market", hosts=["market.lu"])
    services.assign_platforms(platform_admin, [market.id], super_admin)
    with pytest.raises(NotFound):
        services.get_merchant(platform_admin, merchant.id)
    with pytest.raises(NotFound):
        services.get_store_for(platform_admin, store)

    services.assign_platforms(platform_admin, [market.id, merchant.platform_id], super_admin)
    assert services.get_merchant(platform_admin, merchant.id) == merchant
    assert services.get_store_for(platform_admin, store) == store


# -- invitations ------------------------------------------------------------------------------
@pytest.fixture
def staff_invitation(store, owner):
    """(invitation, token) inviting new@example.com as staff of ``store``."""
    return services.invite(store.merchant, " New@Example.com ", "staff", owner, store=store)


def test_an_invitation_stores_only_a_hash_of_the_mailed_token(staff_invitation, store, mailbox):
    invitation, token = staff_invitation
    assert invitation.email == "new@example.com"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.expires_at > utcnow() + timedelta(days=6)
    mail = mailbox.only()
    assert mail.to == "new@example.com"
    assert store.name in mail.subject
    assert token in mail.body and "7 days" in mail.body
    entry = only_audit("team.invited")
    assert (entry.store_id, entry.merchant_id, entry.details) == (store.id, store.merchant_id, {"role": "staff"})


@pytest.mark.parametrize(("email", "role", "in_store", "field"), [
    ("not-an-address", "staff", True, "email"),
    ("", "staff", True, "email"),
    ("x@example.com", "owner", True, "role"),  # a store has managers and staff
    ("x@example.com", "staff", False, "role"),  # a merchant has owners and admins
    ("x@example.com", "superuser", False, "role"),
])
def test_a_refused_invitation_names_its_field_and_mails_nothing(store, owner, mailbox, email, role, in_store, field):
    with pytest.raises(TenancyError) as error:
        services.invite(store.merchant, email, role, owner, store=store if in_store else None)
    assert error.value.field == field
    assert count(Invitation) == 0
    assert mailbox.messages() == []


def test_accepting_creates_the_account_with_an_argon2_hash_and_the_membership(staff_invitation, store):
    invitation, token = staff_invitation
    user = services.accept_invitation(token, name=" Nora New ", password="a long passphrase")

    user = fresh(user)
    assert (user.email, user.name, user.platform_role) == ("new@example.com", "Nora New", None)
    assert user.password_hash.startswith("$argon2id$")
    assert password_hasher.verify(user.password_hash, "a long passphrase")
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == user.id))
    assert (membership.store_id, membership.role) == (store.id, "staff")
    assert fresh(invitation).accepted_at is not None
    entry = only_audit("team.invitation_accepted")
    assert (entry.user_id, entry.store_id) == (user.id, store.id)
    assert can(user, "core.dashboard.view", store)


@pytest.mark.parametrize(("name", "password", "field"), [
    ("Nora", "short", "password"),
    ("Nora", "", "password"),
    ("  ", "a long passphrase", "name"),
])
def test_accepting_with_bad_details_writes_nothing(staff_invitation, name, password, field):
    invitation, token = staff_invitation
    with pytest.raises(TenancyError) as error:
        services.accept_invitation(token, name=name, password=password)
    assert error.value.field == field
    assert count(User, User.email == "new@example.com") == 0
    assert count(StoreMembership) == 0
    assert fresh(invitation).accepted_at is None
    assert audit_rows(action="team.invitation_accepted") == []
    # the invitation is still good once the form is filled in properly
    assert services.accept_invitation(token, name="Nora", password="a long passphrase").email == "new@example.com"


def test_an_expired_invitation_says_so(staff_invitation):
    invitation, token = staff_invitation
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(TenancyError, match="has expired"):
        services.accept_invitation(token, name="Nora", password="a long passphrase")
    assert count(User, User.email == "new@example.com") == 0


def test_a_used_invitation_cannot_be_used_again(staff_invitation):
    _, token = staff_invitation
    services.accept_invitation(token, name="Nora", password="a long passphrase")
    with pytest.raises(TenancyError, match="already been used"):
        services.accept_invitation(token, name="Mallory", password="another passphrase")
    assert count(User, User.email == "new@example.com") == 1


def test_a_revoked_invitation_is_not_found(staff_invitation, store, owner):
    invitation, token = staff_invitation
    services.revoke_invitation(store, invitation.id, owner)
    assert only_audit("team.invitation_revoked").store_id == store.id
    with pytest.raises(NotFound):
        services.find_invitation(token)
    with pytest.raises(NotFound):
        services.accept_invitation(token, name="Nora", password="a long passphrase")


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_an_unknown_token_is_not_found(staff_invitation, token):
    with pytest.raises(NotFound):
        services.accept_invitation(token, name="Nora", password="a long passphrase")


def test_an_invitation_of_another_store_cannot_be_revoked_from_this_one(staff_invitation, other_store, other_owner):
    invitation, _ = staff_invitation
    with pytest.raises(NotFound):
        services.revoke_invitation(other_store, invitation.id, other_owner)
    assert fresh(invitation).revoked_at is None


def test_an_existing_user_accepting_gets_the_membership_without_a_new_account(store, owner, other_owner):
    """Someone who already works for another merchant joins with the same account and password."""
    hash_before = other_owner.password_hash
    users_before = count(User)
    _, token = services.invite(store.merchant, other_owner.email, "manager", owner, store=store)

    user = services.accept_invitation(token)  # no name or password asked
    assert user.id == other_owner.id
    assert count(User) == users_before
    assert fresh(other_owner).password_hash == hash_before
    assert services.get_store_for(user, store) == store
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == user.id))
    assert membership.role == "manager"


def test_accepting_again_for_the_same_store_changes_the_role_instead_of_duplicating(store, owner, staff_user):
    _, token = services.invite(store.merchant, staff_user.email, "manager", owner, store=store)
    services.accept_invitation(token)
    memberships = db.session.scalars(select(StoreMembership).where(StoreMembership.user_id == staff_user.id)).all()
    assert [(m.store_id, m.role) for m in memberships] == [(store.id, "manager")]


def test_a_deactivated_user_cannot_accept(store, owner, staff_user, super_admin):
    _, token = services.invite(store.merchant, staff_user.email, "manager", owner, store=store)
    services.set_user_active(staff_user, False, super_admin)
    with pytest.raises(TenancyError, match="deactivated"):
        services.accept_invitation(token)
    assert db.session.scalar(select(StoreMembership.role).where(StoreMembership.user_id == staff_user.id)) == "staff"


def test_a_merchant_invitation_makes_an_admin_of_every_store(merchant, store, second_store, owner):
    _, token = services.invite(merchant, "admin@boulangerie.test", "admin", owner)
    admin = services.accept_invitation(token, name="Ada", password="a long passphrase")
    assert db.session.scalar(select(MerchantMembership.role).where(MerchantMembership.user_id == admin.id)) == "admin"
    assert [s.store_code for s in services.stores_of(admin)] == ["centre", "gare"]


def test_pending_invitations_are_the_open_ones_of_this_store(store, second_store, owner):
    open_one, _ = services.invite(store.merchant, "open@example.com", "staff", owner, store=store)
    used, used_token = services.invite(store.merchant, "used@example.com", "staff", owner, store=store)
    revoked, _ = services.invite(store.merchant, "revoked@example.com", "staff", owner, store=store)
    expired, _ = services.invite(store.merchant, "expired@example.com", "staff", owner, store=store)
    services.invite(store.merchant, "gare@example.com", "staff", owner, store=second_store)
    services.accept_invitation(used_token, name="Used", password="a long passphrase")
    services.revoke_invitation(store, revoked.id, owner)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert [i.email for i in services.pending_invitations(store)] == ["open@example.com"]


# -- team -------------------------------------------------------------------------------------
def test_team_of_lists_owners_admins_managers_then_staff(merchant, store, second_store, other_store, owner,
                                                         staff_user):
    make_member(make_user("b-admin@boulangerie.test"), merchant, "admin")
    make_member(make_user("a-admin@boulangerie.test"), merchant, "admin")
    make_member(make_user("manager@boulangerie.test"), store, "manager")
    make_member(make_user("another-staff@boulangerie.test"), store, "staff")
    make_member(make_user("gare@boulangerie.test"), second_store, "staff")  # another store
    make_member(make_user("mode@mode.test"), other_store, "manager")  # another merchant

    team = services.team_of(store)
    assert [(m.user.email, m.role, m.scope) for m in team] == [
        ("owner@boulangerie.test", "owner", "merchant"),
        ("a-admin@boulangerie.test", "admin", "merchant"),
        ("b-admin@boulangerie.test", "admin", "merchant"),
        ("manager@boulangerie.test", "manager", "store"),
        ("another-staff@boulangerie.test", "staff", "store"),
        ("staff@boulangerie.test", "staff", "store"),
    ]


def test_changing_a_store_role_is_audited_and_takes_effect(store, owner, staff_user):
    membership = services.get_store_membership(
        store, db.session.scalar(select(StoreMembership.id).where(StoreMembership.user_id == staff_user.id)))
    assert not can(staff_user, "tenancy.team.manage", store)

    services.change_store_role(membership, "manager", owner)
    assert fresh(membership).role == "manager"
    assert can(fresh(staff_user), "tenancy.team.manage", store)
    entry = only_audit("team.role_changed")
    assert (entry.store_id, entry.target, entry.details) == (store.id, staff_user.email, {"role": "manager"})


def test_a_store_role_must_be_manager_or_staff(store, owner, staff_user):
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == staff_user.id))
    with pytest.raises(TenancyError) as error:
        services.change_store_role(membership, "owner", owner)
    assert error.value.field == "role"
    assert fresh(membership).role == "staff"


def test_removing_a_store_member_ends_their_access(store, owner, staff_user):
    membership = db.session.scalar(select(StoreMembership).where(StoreMembership.user_id == staff_user.id))
    services.remove_store_member(membership, owner)
    assert count(StoreMembership) == 0
    assert only_audit("team.removed").target == staff_user.email
    assert not can(staff_user, "core.dashboard.view", store)
    with pytest.raises(NotFound):
        services.get_store_for(staff_user, store)


# -- staff users ------------------------------------------------------------------------------
def test_deactivating_a_user_ends_every_session(staff_user, super_admin):
    session_id = staff_user.get_id()
    assert load_user(session_id) == staff_user

    services.set_user_active(staff_user, False, super_admin)
    user = fresh(staff_user)
    assert not user.is_active
    assert user.get_id() != session_id
    assert load_user(session_id) is None  # the old session cookie no longer signs anybody in
    assert only_audit("user.deactivated").target == staff_user.email

    services.set_user_active(user, True, super_admin)
    assert fresh(user).is_active
    assert load_user(session_id) is None  # reactivation does not bring old sessions back
    assert only_audit("user.activated").user_id == super_admin.id


def test_nobody_can_deactivate_themselves(super_admin):
    token = super_admin.session_token
    with pytest.raises(TenancyError, match="your own account"):
        services.set_user_active(super_admin, False, super_admin)
    assert fresh(super_admin).is_active and fresh(super_admin).session_token == token
    assert count(AuditLog) == 0


def test_platform_roles_are_changed_by_someone_else_only(platform_admin, super_admin):
    with pytest.raises(TenancyError):
        services.set_platform_role(super_admin, None, super_admin)
    with pytest.raises(TenancyError) as error:
        services.set_platform_role(platform_admin, "god", super_admin)
    assert error.value.field == "platform_role"
    services.set_platform_role(platform_admin, None, super_admin)
    assert not fresh(platform_admin).is_platform_staff
    assert fresh(super_admin).is_super_admin


# -- merchant list ----------------------------------------------------------------------------
def names(page) -> list[str]:
    return [m.name for m in page.items]


def test_list_merchants_searches_name_legal_name_vat_and_email_case_insensitively(platform, create_platform):
    make_merchant(platform, name="Boulangerie Schmit", legal_name="Schmit S.à r.l.", contact_email="a@schmit.lu")
    make_merchant(platform, name="Mode Lux", legal_name="Fashion S.A.", vat_number=VALID_LU_VAT,
                  contact_email="hello@mode.lu")
    make_merchant(platform, name="Garage", legal_name="Garage Weber", contact_email="info@weber.lu")
    make_merchant(create_platform("market", hosts=["market.lu"]), name="Boulangerie Elsewhere")

    assert names(services.list_merchants(platform, search="BOULANGERIE")) == ["Boulangerie Schmit"]
    assert names(services.list_merchants(platform, search="fashion")) == ["Mode Lux"]
    assert names(services.list_merchants(platform, search="lu1502")) == ["Mode Lux"]
    assert names(services.list_merchants(platform, search="@weber")) == ["Garage"]
    assert names(services.list_merchants(platform, search="nothing like it")) == []
    assert services.list_merchants(platform).total == 3  # another platform's merchants never show


def test_list_merchants_filters_by_status(platform):
    make_merchant(platform, name="Open")
    make_merchant(platform, name="Closed", status="suspended")
    assert names(services.list_merchants(platform, status="suspended")) == ["Closed"]
    assert names(services.list_merchants(platform, status="active")) == ["Open"]
    assert names(services.list_merchants(platform, status="")) == ["Closed", "Open"]
    assert names(services.list_merchants(platform, status="bogus")) == ["Closed", "Open"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", ["Alpha", "Bravo", "Charlie"]),
    ("-name", ["Charlie", "Bravo", "Alpha"]),
    ("created", ["Bravo", "Charlie", "Alpha"]),
    ("-created", ["Alpha", "Charlie", "Bravo"]),
    ("not-a-column", ["Alpha", "Bravo", "Charlie"]),
])
def test_list_merchants_sorts(platform, sort, expected):
    make_merchant(platform, name="Charlie", created_at=at(2021))
    make_merchant(platform, name="Alpha", created_at=at(2022))
    make_merchant(platform, name="Bravo", created_at=at(2020))
    assert names(services.list_merchants(platform, sort=sort)) == expected


def test_list_merchants_pages_by_twenty(platform):
    for number in range(45):
        make_merchant(platform, name=f"Merchant {number:02d}", legal_name=f"Legal {number:02d}")
    first = services.list_merchants(platform)
    assert (first.total, first.pages, first.page, len(first.items)) == (45, 3, 1, services.PAGE_SIZE)
    assert names(first)[0] == "Merchant 00"
    last = services.list_merchants(platform, page=3)
    assert names(last) == [f"Merchant {n}" for n in range(40, 45)]
    assert services.list_merchants(platform, page=99).page == 3  # past the end: the last page
    assert services.list_merchants(platform, page=0).page == 1
    searched = services.list_merchants(platform, search="merchant 4")
    assert (names(searched), searched.pages) == ([f"Merchant {n}" for n in range(40, 45)], 1)


def test_the_merchant_list_costs_the_same_queries_for_one_and_for_fifty_merchants(create_platform, count_queries):
    """Each merchant row shows its stores; that must not cost a query per merchant."""
    def queries_to_list(platform) -> tuple[int, int]:
        platform_id = platform.id  # noqa: F841 - loads the expired platform outside the count
        with count_queries() as counter:
            page = services.list_merchants(platform)
            rows = [(m.name, m.status, [s.store_code for s in m.stores]) for m in page.items]
        assert all(len(stores) == 2 for _, _, stores in rows)
        return counter.count, len(rows)

    small, large = create_platform("small", hosts=["small.lu"]), create_platform("large", hosts=["large.lu"])
    for platform, merchants in ((small, 1), (large, 50)):
        for number in range(merchants):
            merchant = make_merchant(platform)
            make_store(merchant, f"{platform.code}-{number}-a")
            make_store(merchant, f"{platform.code}-{number}-b")

    small_queries, small_rows = queries_to_list(small)
    large_queries, large_rows = queries_to_list(large)
    assert (small_rows, large_rows) == (1, services.PAGE_SIZE)
    assert small_queries == large_queries <= 3  # count, merchants, their stores


# -- audit log --------------------------------------------------------------------------------
def test_audit_entries_filter_by_action_merchant_and_user(platform, create_platform, merchant, other_merchant,
                                                          super_admin, platform_admin):
    services.set_merchant_status(merchant, "suspended", super_admin)
    services.set_merchant_status(merchant, "active", platform_admin)
    services.set_merchant_status(other_merchant, "suspended", platform_admin)
    services.create_store(merchant, store_data("centre"), super_admin)
    elsewhere = make_merchant(create_platform("market", hosts=["market.lu"]))
    services.set_merchant_status(elsewhere, "suspended", super_admin)

    def actions(**filters):
        return [(e.action, e.merchant_id) for e in services.audit_entries(platform, **filters).items]

    assert actions() == [  # newest first, this platform only
        ("store.created", merchant.id),
        ("merchant.suspended", other_merchant.id),
        ("merchant.reactivated", merchant.id),
        ("merchant.suspended", merchant.id),
    ]
    assert actions(action="merchant.") == actions()[1:]
    assert actions(merchant_id=other_merchant.id) == [("merchant.suspended", other_merchant.id)]
    assert actions(user_email="OPS@example.com") == [("merchant.suspended", other_merchant.id),
                                                     ("merchant.reactivated", merchant.id)]
    assert actions(action="merchant.suspended", user_email=super_admin.email) == [("merchant.suspended", merchant.id)]
    entry = services.audit_entries(platform).items[0]
    assert entry.user.email == super_admin.email


def test_opening_a_store_on_behalf_of_the_merchant_is_audited(store, platform_admin):
    services.record_on_behalf(store, platform_admin)
    entry = only_audit("store.opened_on_behalf")
    assert (entry.user_id, entry.store_id, entry.merchant_id) == (platform_admin.id, store.id, store.merchant_id)


# -- domains ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "host"), [
    ("Shop.Boulangerie.LU", "shop.boulangerie.lu"),
    ("shop.boulangerie.lu.", "shop.boulangerie.lu"),
    ("https://shop.boulangerie.lu", "shop.boulangerie.lu"),
    ("Bäckerei.lu", "xn--bckerei-5wa.lu"),
])
def test_add_domain_stores_the_normalised_host(store, owner, raw, host):
    domain = services.add_domain(store, raw, owner)
    assert fresh(domain).host == host
    assert only_audit("domain.added").target == host


def test_a_new_domain_is_neither_verified_nor_primary_until_verified(store, owner):
    """An unverified host never routes, so it cannot be the primary one either."""
    first = services.add_domain(store, "shop.boulangerie.lu", owner)
    second = services.add_domain(store, "www.boulangerie.lu", owner)
    first, second = fresh(first), fresh(second)
    assert (first.is_primary, second.is_primary) == (False, False)
    assert not first.is_verified and not second.is_verified
    assert first.verification_token != second.verification_token
    assert len(first.verification_token) >= 32


@pytest.mark.parametrize("raw", ["SHOP.mode.lu", "shop.mode.lu.", "https://shop.mode.lu"])
def test_a_host_of_another_store_is_refused(store, other_store, owner, raw):
    make_domain(other_store, "shop.mode.lu", verified=False)
    with pytest.raises(TenancyError) as error:
        services.add_domain(store, raw, owner)
    assert error.value.field == "host"
    assert count(StoreDomain, StoreDomain.store_id == store.id) == 0


def test_the_same_host_twice_in_one_store_is_refused(store, owner):
    services.add_domain(store, "shop.boulangerie.lu", owner)
    with pytest.raises(TenancyError):
        services.add_domain(store, "SHOP.boulangerie.lu", owner)
    assert count(StoreDomain) == 1


def test_a_host_of_a_platform_is_refused(store, create_platform, owner):
    create_platform("market", hosts=["market.lu", "www.market.lu"])
    with pytest.raises(TenancyError) as error:
        services.add_domain(store, "WWW.Market.lu.", owner)
    assert error.value.field == "host"
    assert count(StoreDomain) == 0


@pytest.mark.parametrize("raw", ["", "localhost", "shop.boulangerie.lu/path", "shop.boulangerie.lu:8443"])
def test_something_that_is_not_a_host_is_refused_on_the_host_field(store, owner, raw):
    with pytest.raises(TenancyError) as error:
        services.add_domain(store, raw, owner)
    assert error.value.field == "host"
    assert count(StoreDomain) == 0


def test_dns_instructions_name_the_txt_record_to_create(store, owner):
    domain = services.add_domain(store, "shop.boulangerie.lu", owner)
    assert services.dns_instructions(domain) == {
        "type": "TXT",
        "name": "_buttek-verify.shop.boulangerie.lu",
        "value": f"buttek-verify={domain.verification_token}",
    }


@pytest.fixture
def pending_domain(store, owner):
    return services.add_domain(store, "shop.boulangerie.lu", owner)


@pytest.mark.parametrize("records", [
    {},  # no TXT record at all
    {"_buttek-verify.shop.boulangerie.lu": ["buttek-verify=wrong-token"]},
    {"shop.boulangerie.lu": ["buttek-verify={token}"]},  # right value, wrong name
    {"_buttek-verify.shop.boulangerie.lu": ["{token}"]},  # token without the prefix
])
def test_verification_without_the_right_txt_record_fails_and_is_audited(pending_domain, owner, records):
    token = pending_domain.verification_token
    resolver = StaticTxtResolver({name: [v.format(token=token) for v in values] for name, values in records.items()})
    assert services.verify_domain(pending_domain, resolver, owner) is False
    assert not fresh(pending_domain).is_verified
    entry = only_audit("domain.verification_failed")
    assert (entry.target, entry.store_id) == ("shop.boulangerie.lu", pending_domain.store_id)
    assert audit_rows(action="domain.verified") == []


def test_verification_with_the_right_txt_record_verifies_and_routes_the_domain(pending_domain, owner):
    resolver = StaticTxtResolver({record_name(pending_domain.host): [
        "v=spf1 -all", record_value(pending_domain.verification_token)]})
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None  # cached as "not a store domain"

    assert services.verify_domain(pending_domain, resolver, owner) is True
    assert fresh(pending_domain).is_verified
    assert only_audit("domain.verified").store_id == pending_domain.store_id
    assert resolution.resolve("shop.boulangerie.lu", "/").store.id == pending_domain.store_id  # cache invalidated


def test_a_dns_failure_is_a_clear_error_and_verifies_nothing(pending_domain, owner):
    class DownResolver:
        def txt_records(self, name):
            raise DnsLookupError(f"DNS did not answer for {name}: LifetimeTimeout")

    with pytest.raises(TenancyError, match="try again"):
        services.verify_domain(pending_domain, DownResolver(), owner)
    assert not fresh(pending_domain).is_verified


def test_only_a_verified_domain_becomes_primary(store, owner):
    make_domain(store, "shop.boulangerie.lu", primary=True)
    pending = make_domain(store, "new.boulangerie.lu", verified=False)
    with pytest.raises(TenancyError, match="verified"):
        services.make_primary(pending, owner)
    assert not fresh(pending).is_primary


def test_make_primary_leaves_exactly_one_primary_domain(store, owner):
    old = make_domain(store, "shop.boulangerie.lu", primary=True)
    new = make_domain(store, "www.boulangerie.lu")
    make_domain(store, "pending.boulangerie.lu", verified=False)

    services.make_primary(new, owner)
    primaries = db.session.scalars(select(StoreDomain.host).where(StoreDomain.is_primary)).all()
    assert primaries == ["www.boulangerie.lu"]
    assert not fresh(old).is_primary
    assert only_audit("domain.made_primary").target == "www.boulangerie.lu"


def test_removing_the_primary_domain_hands_primary_to_another_verified_domain(store, owner):
    primary = make_domain(store, "shop.boulangerie.lu", primary=True)
    make_domain(store, "a-pending.boulangerie.lu", verified=False)
    make_domain(store, "www.boulangerie.lu")
    assert resolution.resolve("shop.boulangerie.lu", "/").store is not None

    services.remove_domain(primary, owner)
    remaining = {d.host: d.is_primary for d in db.session.scalars(select(StoreDomain))}
    assert remaining == {"a-pending.boulangerie.lu": False, "www.boulangerie.lu": True}
    assert only_audit("domain.removed").target == "shop.boulangerie.lu"
    assert resolution.resolve("shop.boulangerie.lu", "/").store is None  # no longer routed


def test_removing_the_primary_domain_with_no_verified_successor_leaves_none_primary(store, owner):
    primary = make_domain(store, "shop.boulangerie.lu", primary=True)
    make_domain(store, "pending.boulangerie.lu", verified=False)
    services.remove_domain(primary, owner)
    assert db.session.scalars(select(StoreDomain.host).where(StoreDomain.is_primary)).all() == []
