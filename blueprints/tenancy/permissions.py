"""Who may do what: roles map to the permission codes that modules declare.

``can(user, permission, store)`` (webapp.security) calls ``check`` below, registered at start-up.
A permission of a module that is off on the store's platform is never granted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from blueprints.tenancy.models import MerchantMembership, PlatformAssignment, StoreMembership
from webapp.extensions import db
from webapp.modules import is_enabled
from webapp.registry import get_registry

OWNER, ADMIN = MerchantMembership.OWNER, MerchantMembership.ADMIN
MANAGER, STAFF = StoreMembership.MANAGER, StoreMembership.STAFF

# Not for store managers, nor therefore for staff: the merchant, its domains, money settings, GDPR.
NOT_FOR_STORE_ROLES = ("!tenancy.merchants.*", "!tenancy.domains.*", "!tenancy.users.*", "!tenancy.audit.*",
                       "!billing.*", "!payments.gateways.*", "!payments.refund", "!orders.refund", "!customers.gdpr",
                       "!marketplace.connect")

# Platform-level permissions: platform staff only, whatever a merchant role's "*" says.
PLATFORM_ONLY = ("!core.modules.*", "!core.settings.*", "!tenancy.users.*", "!billing.plans.*")

# Patterns over permission codes; "!" excludes. Later entries win.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    OWNER: ("*", *PLATFORM_ONLY),
    # Everything but the merchant's subscription, which stays the owner's decision.
    ADMIN: ("*", "!billing.manage", *PLATFORM_ONLY),
    # Runs a store: everything there, but not the merchant, its domains, money settings or GDPR.
    MANAGER: ("*", *NOT_FOR_STORE_ROLES, *PLATFORM_ONLY),
    # Day-to-day work: look at everything a manager may see, handle orders, stock and messages.
    STAFF: ("*.view", "core.dashboard.view", "core.profile.edit", "orders.manage", "inventory.adjust",
            "messaging.reply", "customers.edit", "loyalty.adjust", *NOT_FOR_STORE_ROLES),
}
# Lazy: translated when read, in the request's language (English outside a request). str() them to join.
ROLE_LABELS = {OWNER: _l("Owner"), ADMIN: _l("Administrator"), MANAGER: _l("Store manager"), STAFF: _l("Staff")}
MERCHANT_ROLES = (OWNER, ADMIN)
STORE_ROLES = (MANAGER, STAFF)


def choose_a_role(roles: tuple[str, ...]) -> str:
    return f"Choose a role: {', '.join(str(ROLE_LABELS[role]) for role in roles)}."


def role_allows(role: str, permission: str) -> bool:
    allowed = False
    for pattern in ROLE_PERMISSIONS.get(role, ()):
        if pattern.startswith("!"):
            if fnmatchcase(permission, pattern[1:]):
                allowed = False
        elif fnmatchcase(permission, pattern):
            allowed = True
    return allowed


def module_of(permission: str) -> str:
    return permission.split(".", 1)[0]


@dataclass
class Access:
    """A user's memberships, loaded once per request."""

    merchant_roles: dict[int, str] = field(default_factory=dict)  # merchant id -> role
    store_roles: dict[int, str] = field(default_factory=dict)  # store id -> role
    platform_ids: set[int] = field(default_factory=set)  # a platform admin's assigned platforms

    def role_in(self, store) -> str | None:
        return self.merchant_roles.get(store.merchant_id) or self.store_roles.get(store.id)


def access_of(user) -> Access:
    cache = g.setdefault("tenancy_access", {}) if has_request_context() else {}
    if user.id in cache:
        return cache[user.id]
    access = Access(
        merchant_roles=dict(db.session.execute(
            select(MerchantMembership.merchant_id, MerchantMembership.role).where(MerchantMembership.user_id == user.id)
        ).all()),
        store_roles=dict(db.session.execute(
            select(StoreMembership.store_id, StoreMembership.role).where(StoreMembership.user_id == user.id)
        ).all()),
    )
    if user.platform_role == user.ROLE_PLATFORM_ADMIN:
        assigned = set(db.session.scalars(
            select(PlatformAssignment.platform_id).where(PlatformAssignment.user_id == user.id)
        ))
        access.platform_ids = assigned
    cache[user.id] = access
    return access


def forget_access(user_id: int | None = None) -> None:
    if has_request_context():
        cache = g.get("tenancy_access", {})
        cache.clear() if user_id is None else cache.pop(user_id, None)


def may_use_platform(user, platform_id: int) -> bool:
    """Platform staff scope: super admins see every platform, platform admins only those assigned to them.

    An admin without assignments sees none: access is granted explicitly, never by an empty list.
    """
    if user.is_super_admin:
        return True
    if not user.is_platform_staff:
        return False
    return platform_id in access_of(user).platform_ids


def check(user, permission: str, store=None) -> bool:
    module = get_registry().get(module_of(permission))
    if module is None:
        return False
    if user.is_platform_staff:
        if module.is_internal and not user.is_super_admin:
            return False
        if store is None:
            return True
        return may_use_platform(user, store.platform_id) and is_enabled(store.platform, module.code)
    if store is None:
        return False
    role = access_of(user).role_in(store)
    if role is None or not role_allows(role, permission) or module.is_internal:
        return False
    return is_enabled(store.platform, module.code)
