"""Who may do what: ``can(user, permission, store)``, the one check of views, menus and services.

Merchant staff get permissions from their role in the store (owner/admin of its merchant, or
manager/staff of the store itself), only for modules enabled on the store's platform and never
for internal modules. Platform staff act on the platforms they are assigned to.
"""
from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from blueprints.tenancy import permissions, services
from blueprints.tenancy.models import StoreMembership
from tests.tenancy.factories import make_member, make_merchant, make_store, make_user
from webapp import modules, security
from webapp.extensions import db
from webapp.registry import get_registry

ROLES = ("owner", "admin", "manager", "staff")


def declared(*, internal: bool = False) -> list[str]:
    return sorted(p.code for m in get_registry() if m.is_internal == internal for p in m.permissions)


def granted(user, store) -> set[str]:
    return {code for code in declared() if security.can(user, code, store)}


@pytest.fixture
def all_modules(platform):
    """Every optional module switched on for the platform, so that only roles decide."""
    for module in get_registry():
        if module.is_optional:
            modules.enable(platform, module.code)
    return platform


@pytest.fixture
def member_of(merchant, store):
    """member_of(role): a new user holding ``role`` in ``store`` (owner/admin through its merchant)."""
    def factory(role: str):
        user = make_user(f"{role}@boulangerie.test")
        make_member(user, merchant if role in ("owner", "admin") else store, role)
        return user

    return factory


def test_the_tenancy_rules_are_what_can_asks():
    assert security._permission_check is permissions.check


# -- the role matrix --------------------------------------------------------------------------
# Switching modules, platform settings, platform users and subscription tiers belong to platform staff.
PLATFORM_LEVEL = {"core.modules.manage", "core.settings.manage", "tenancy.users.manage", "billing.plans.manage"}


def test_an_owner_may_do_everything_in_the_store_including_billing(all_modules, store, member_of):
    owner = member_of("owner")
    assert granted(owner, store) == set(declared()) - PLATFORM_LEVEL
    assert "billing.manage" in granted(owner, store)


def test_an_admin_may_do_everything_but_manage_the_subscription(all_modules, store, member_of):
    assert set(declared()) - granted(member_of("admin"), store) == {"billing.manage"} | PLATFORM_LEVEL


@pytest.mark.parametrize("role", ["owner", "admin", "manager", "staff"])
def test_no_merchant_role_has_platform_level_permissions(all_modules, store, member_of, role):
    assert granted(member_of(role), store) & PLATFORM_LEVEL == set()


@pytest.mark.parametrize(("permission", "allowed"), [
    ("catalog.edit", True),
    ("catalog.publish", True),
    ("orders.manage", True),
    ("inventory.adjust", True),
    ("tenancy.team.manage", True),
    ("tenancy.stores.manage", True),
    ("core.dashboard.view", True),
    ("tenancy.merchants.manage", False),
    ("tenancy.merchants.view", False),
    ("tenancy.domains.manage", False),
    ("tenancy.audit.view", False),
    ("billing.view", False),
    ("billing.manage", False),
    ("payments.gateways.manage", False),
    ("payments.refund", False),
    ("orders.refund", False),
    ("customers.gdpr", False),
    ("marketplace.connect", False),
])
def test_a_store_manager_runs_the_store_but_not_the_merchant_or_its_money(all_modules, store, member_of, permission,
                                                                         allowed):
    assert security.can(member_of("manager"), permission, store) is allowed


@pytest.mark.parametrize(("permission", "allowed"), [
    ("core.dashboard.view", True),
    ("catalog.view", True),
    ("orders.view", True),
    ("inventory.view", True),
    ("orders.manage", True),
    ("inventory.adjust", True),
    ("messaging.reply", True),
    ("core.profile.edit", True),
    ("catalog.edit", False),
    ("catalog.publish", False),
    ("orders.refund", False),
    ("tenancy.team.manage", False),
    ("tenancy.stores.manage", False),
    ("core.settings.manage", False),
    ("core.modules.manage", False),
])
def test_staff_look_at_everything_and_handle_orders_but_do_not_edit_the_catalog(all_modules, store, member_of,
                                                                               permission, allowed):
    assert security.can(member_of("staff"), permission, store) is allowed


def test_staff_see_every_view_a_manager_sees(all_modules, store, member_of):
    staff, manager = granted(member_of("staff"), store), granted(member_of("manager"), store)
    views = {code for code in declared() if code.endswith(".view")}
    assert views & manager <= staff


@pytest.mark.parametrize(("lower", "higher"), [("staff", "manager"), ("manager", "admin"), ("admin", "owner")])
def test_a_role_never_has_a_permission_that_the_role_above_lacks(lower, higher):
    """E.g. staff must not read the audit log or the merchant's billing when their manager cannot."""
    extra = [code for code in declared()
             if permissions.role_allows(lower, code) and not permissions.role_allows(higher, code)]
    assert extra == []


# -- whose store ------------------------------------------------------------------------------
def test_an_owner_acts_in_every_store_of_the_merchant_and_no_other(all_modules, store, second_store, other_store,
                                                                  owner):
    assert security.can(owner, "catalog.edit", store)
    assert security.can(owner, "catalog.edit", second_store)
    assert granted(owner, other_store) == set()


def test_store_staff_act_only_in_their_own_store(all_modules, store, second_store, staff_user):
    assert security.can(staff_user, "orders.view", store)
    assert granted(staff_user, second_store) == set()


def test_a_user_without_a_membership_may_do_nothing(all_modules, store):
    assert granted(make_user("stranger@example.com"), store) == set()


def test_merchant_staff_need_a_store(all_modules, store, owner):
    """Outside a store (e.g. on the platform admin) merchant staff hold no permission."""
    assert granted(owner, None) == set()


def test_unknown_permissions_are_never_granted(store, owner, super_admin):
    for user in (owner, super_admin):
        assert not security.can(user, "nonexistent.view", store)
        assert not security.can(user, "nonexistent.view")


def test_signed_out_and_deactivated_users_may_do_nothing(store, owner, super_admin):
    assert not security.can(AnonymousUserMixin(), "core.dashboard.view", store)
    assert not security.can(None, "core.dashboard.view", store)
    services.set_user_active(owner, False, super_admin)
    assert not security.can(owner, "core.dashboard.view", store)


# -- modules switched off on the platform -----------------------------------------------------
def test_a_disabled_module_grants_nothing_in_the_stores_of_that_platform(all_modules, store, owner, member_of,
                                                                          super_admin, platform_admin):
    modules.disable(all_modules, "catalog")
    for user in (owner, member_of("manager"), member_of("staff"), super_admin, platform_admin):
        assert not security.can(user, "catalog.view", store), user
        assert security.can(user, "core.dashboard.view", store), user  # the rest is untouched

    modules.enable(all_modules, "catalog")
    assert security.can(owner, "catalog.edit", store)


def test_a_module_disabled_on_another_platform_stays_granted_here(all_modules, store, owner, create_platform):
    market = create_platform("market", hosts=["market.lu"])
    modules.disable(market, "catalog")
    assert security.can(owner, "catalog.edit", store)


def test_optional_modules_start_switched_off_so_their_permissions_too(platform, store, owner):
    assert not security.can(owner, "catalog.view", store)
    assert security.can(owner, "core.dashboard.view", store)  # core modules are always on


# -- internal modules and platform staff ------------------------------------------------------
@pytest.mark.parametrize("permission", declared(internal=True))
def test_internal_modules_are_for_super_admins_only(store, owner, platform_admin, super_admin, permission):
    assert permission in ("dev-tools.view", "monitoring.view", "monitoring.run")
    assert not security.can(owner, permission, store)
    assert not security.can(platform_admin, permission, store)
    assert not security.can(platform_admin, permission)
    assert security.can(super_admin, permission, store)
    assert security.can(super_admin, permission)


def test_platform_admins_act_in_any_store_of_their_platforms(all_modules, store, platform_admin):
    assert granted(platform_admin, store) == set(declared())
    assert granted(platform_admin, None) == set(declared())


def test_a_platform_admin_limited_to_another_platform_may_do_nothing_here(create_platform, store, platform_admin,
                                                                          super_admin):
    market = create_platform("market", hosts=["market.lu"])
    market_store = make_store(make_merchant(market), "market-store")
    services.assign_platforms(platform_admin, [market.id], super_admin)

    assert granted(platform_admin, store) == set()
    assert security.can(platform_admin, "core.dashboard.view", market_store)
    assert security.can(super_admin, "core.dashboard.view", store)  # assignments never limit super admins


# -- per-request caching ----------------------------------------------------------------------
def test_a_role_change_applies_within_the_same_request(app, store, owner, staff_user):
    membership = db.session.query(StoreMembership).filter_by(user_id=staff_user.id).one()
    with app.test_request_context("/store/centre/team"):
        assert not security.can(staff_user, "tenancy.team.manage", store)  # memberships now cached on g
        services.change_store_role(membership, "manager", owner)
        assert security.can(staff_user, "tenancy.team.manage", store)
        services.remove_store_member(membership, owner)
        assert not security.can(staff_user, "core.dashboard.view", store)


def test_memberships_are_read_once_per_request(app, store, second_store, owner, count_queries):
    with app.test_request_context("/store/centre/"):
        security.can(owner, "core.dashboard.view", store)
        security.can(owner, "core.dashboard.view", second_store)
        with count_queries() as counter:
            for code in ("core.dashboard.view", "tenancy.team.manage", "tenancy.stores.manage"):
                assert security.can(owner, code, store)
                assert security.can(owner, code, second_store)
        assert counter.count == 0
