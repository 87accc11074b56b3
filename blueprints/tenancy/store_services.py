"""Writes and scoped reads of the unified store admin that services.py does not cover yet.

Staff sign-in bookkeeping, password resets, profile changes, the team page's invitations and
role changes, dashboard counts. Same rules as services.py: writes audit and commit, and an object
outside the acting store raises ``services.NotFound``.
"""
from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import func, select

from blueprints.tenancy import permissions, services
from blueprints.tenancy.models import LANGUAGES, Invitation, MerchantMembership, Store, StoreDomain, StoreMembership
from blueprints.tenancy.services import NotFound, TenancyError
from blueprints.tenancy.tokens import password_fingerprint, password_reset_token, serializer
from webapp.extensions import db
from webapp.mail import absolute_url, send_mail
from webapp.models import User, utcnow
from webapp.security import audit, can, set_password, verify_password

log = logging.getLogger(__name__)
PASSWORD_RESET_MAX_AGE = 3600  # seconds
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "lb": "Lëtzebuergesch"}


# -- sign-in ---------------------------------------------------------------------------------
def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit("auth.login", target=user.email, user=user, details={"surface": "store"})
    db.session.commit()


def record_logout(user: User) -> None:
    audit("auth.logout", target=user.email, user=user, details={"surface": "store"})
    db.session.commit()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


# -- password reset --------------------------------------------------------------------------
class ResetLinkError(ValueError):
    """A reset link that cannot be used; ``status`` is the HTTP answer (400 malformed, 410 gone)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def request_password_reset(email: str) -> bool:
    """Mail a reset link if an active account has this e-mail; the caller answers the same either way."""
    user = user_by_email(email)
    if user is None or not user.is_active:
        return False
    link = absolute_url("tenancy_store.password_reset", token=password_reset_token(user))
    audit("auth.password_reset_requested", target=user.email, user=user)
    db.session.commit()
    try:
        send_mail(user.email, "Reset your Buttek password",
                  f"Hello {user.name or user.email},\n\nSomeone (hopefully you) asked to reset the password of your "
                  f"Buttek account. Choose a new password within one hour:\n\n{link}\n\n"
                  "If you did not ask for this, ignore this e-mail: your password stays as it is.\n")
    except (OSError, ValueError):
        # The page answers the same whether or not the address exists; a 500 here would tell.
        log.exception("The password reset mail to %s could not be sent", user.email)
        return False
    return True


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for; raises ResetLinkError when it is malformed, expired or used."""
    try:
        data = serializer().loads(token, max_age=PASSWORD_RESET_MAX_AGE)
    except SignatureExpired as exc:
        raise ResetLinkError("This reset link has expired (links are valid for one hour). "
                             "Ask for a new one below.", 410) from exc
    except BadSignature as exc:
        raise ResetLinkError("This reset link is not valid. Check that you copied the whole link from the "
                             "e-mail, or ask for a new one.", 400) from exc
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) and isinstance(data.get("user"),
                                                                                           int) else None
    if user is None or not user.is_active:
        raise ResetLinkError("This reset link is not valid. Ask for a new one.", 400)
    if not hmac.compare_digest(str(data.get("fingerprint", "")), password_fingerprint(user)):
        raise ResetLinkError("This reset link has already been used. Ask for a new one if you need to.", 410)
    return user


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link; every session of the user ends (new session token)."""
    user = user_for_reset_token(token)
    try:
        set_password(user, password)
    except ValueError as exc:
        raise TenancyError(str(exc), "password") from exc
    audit("auth.password_reset", target=user.email, user=user)
    db.session.commit()
    return user


# -- profile ---------------------------------------------------------------------------------
def update_profile(user: User, data: dict) -> User:
    name = (data.get("name") or "").strip()
    if not name:
        raise TenancyError("Enter your name.", "name")
    language = data.get("language") or ""
    if language not in LANGUAGES:
        raise TenancyError(f"Choose a language: {', '.join(LANGUAGES)}.", "language")
    changed = sorted(key for key, value in (("name", name), ("language", language)) if getattr(user, key) != value)
    user.name, user.language = name, language
    audit("user.profile_updated", target=user.email, user=user, details={"fields": changed})
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> User:
    """Re-authenticates with the current password first; other sessions of the user end."""
    if not verify_password(user.password_hash, current_password or ""):
        raise TenancyError("The current password is not correct.", "current_password")
    if verify_password(user.password_hash, new_password or ""):
        raise TenancyError("Choose a password that differs from the current one.", "new_password")
    try:
        set_password(user, new_password or "")
    except ValueError as exc:
        raise TenancyError(str(exc), "new_password") from exc
    audit("user.password_changed", target=user.email, user=user)
    db.session.commit()
    return user


# -- team ------------------------------------------------------------------------------------
def invitable_roles(user: User, store: Store) -> tuple[str, ...]:
    """Store roles for whoever manages the team; merchant admins only for those who manage the merchant.

    Ownership is never handed out from the store admin: the platform admin does that.
    """
    roles: tuple[str, ...] = permissions.STORE_ROLES
    if can(user, "tenancy.merchants.manage", store):
        roles += (permissions.ADMIN,)
    return roles


def invite_to_team(store: Store, email: str, role: str, actor: User) -> Invitation:
    if role not in invitable_roles(actor, store):
        raise TenancyError("You cannot invite someone with that role.", "role")
    email = (email or "").strip().lower()
    if _works_in(store, email):
        raise TenancyError(f"{email} already works in {store.name}.", "email")
    if role in permissions.MERCHANT_ROLES:
        invitation, _token = services.invite(store.merchant, email, role, actor)
    else:
        invitation, _token = services.invite(store.merchant, email, role, actor, store=store)
    return invitation


def _works_in(store: Store, email: str) -> bool:
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    if user_id is None:
        return False
    return db.session.scalar(
        select(func.count()).select_from(
            select(MerchantMembership.id).where(MerchantMembership.merchant_id == store.merchant_id,
                                                MerchantMembership.user_id == user_id)
            .union_all(select(StoreMembership.id).where(StoreMembership.store_id == store.id,
                                                        StoreMembership.user_id == user_id)).subquery()
        )
    ) > 0


def team_invitations(store: Store) -> list[Invitation]:
    """Open invitations to this store and to its merchant (merchant admins work in every store)."""
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.merchant_id == store.merchant_id,
               (Invitation.store_id == store.id) | Invitation.store_id.is_(None),
               Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ))


def revoke_team_invitation(store: Store, invitation_id: int, actor: User) -> Invitation:
    """Revoke an invitation to ``store``, or to its merchant when ``actor`` manages the merchant."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.merchant_id != store.merchant_id:
        raise NotFound(invitation_id)
    if invitation.store_id is None:
        if not can(actor, "tenancy.merchants.manage", store):
            raise NotFound(invitation_id)
    elif invitation.store_id != store.id:
        raise NotFound(invitation_id)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise TenancyError("This invitation is no longer open.")
    invitation.revoked_at = utcnow()
    audit("team.invitation_revoked", target=invitation.email, store=store, user=actor)
    db.session.commit()
    return invitation


def _own_membership_guard(membership: StoreMembership, actor: User, doing: str) -> None:
    if membership.user_id == actor.id:
        raise TenancyError(f"You cannot {doing} yourself; ask another manager or the owner.")


def change_member_role(store: Store, membership_id: int, role: str, actor: User) -> StoreMembership:
    membership = services.get_store_membership(store, membership_id)
    _own_membership_guard(membership, actor, "change the role of")
    services.change_store_role(membership, role, actor)
    return membership


def remove_member(store: Store, membership_id: int, actor: User) -> StoreMembership:
    membership = services.get_store_membership(store, membership_id)
    _own_membership_guard(membership, actor, "remove")
    services.remove_store_member(membership, actor)
    return membership


def merchant_roles_granted_by(actor: User, store: Store) -> tuple[str, ...]:
    """Merchant roles ``actor`` may hand out: owners (and platform staff) any, administrators none above their own."""
    if not can(actor, "tenancy.merchants.manage", store):
        return ()
    if actor.is_platform_staff or permissions.access_of(actor).role_in(store) == permissions.OWNER:
        return permissions.MERCHANT_ROLES
    return (permissions.ADMIN,)


def _manageable_merchant_membership(store: Store, membership_id: int, actor: User, doing: str) -> MerchantMembership:
    membership = services.get_merchant_membership(store.merchant_id, membership_id)
    if membership.user_id == actor.id:
        raise TenancyError(f"You cannot {doing} yourself; ask another owner.")
    if membership.role not in merchant_roles_granted_by(actor, store):
        raise TenancyError(f"Only an owner can {doing} an owner.")
    return membership


def change_merchant_member_role(store: Store, membership_id: int, role: str, actor: User) -> MerchantMembership:
    """An owner/administrator of the merchant (who works in all its stores) gets another merchant role."""
    membership = _manageable_merchant_membership(store, membership_id, actor, "change the role of")
    if role not in permissions.MERCHANT_ROLES:
        raise TenancyError(permissions.choose_a_role(permissions.MERCHANT_ROLES), "role")
    if role not in merchant_roles_granted_by(actor, store):
        raise TenancyError("Only an owner can make someone an owner.", "role")
    services.change_merchant_role(membership, role, actor)
    return membership


def remove_merchant_member(store: Store, membership_id: int, actor: User) -> MerchantMembership:
    membership = _manageable_merchant_membership(store, membership_id, actor, "remove")
    services.remove_merchant_member(membership, actor)
    return membership


# -- dashboard -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoreCounts:
    team: int
    domains: int
    verified_domains: int


def store_counts(store: Store) -> StoreCounts:
    """Team size (merchant owners/admins + store staff) and domains, in one query."""
    team = (select(func.count(MerchantMembership.id)).where(MerchantMembership.merchant_id == store.merchant_id)
            .scalar_subquery())
    staff = select(func.count(StoreMembership.id)).where(StoreMembership.store_id == store.id).scalar_subquery()
    domains = select(func.count(StoreDomain.id)).where(StoreDomain.store_id == store.id).scalar_subquery()
    verified = (select(func.count(StoreDomain.id))
                .where(StoreDomain.store_id == store.id, StoreDomain.verified_at.is_not(None)).scalar_subquery())
    row = db.session.execute(select(team, staff, domains, verified)).one()
    return StoreCounts(team=row[0] + row[1], domains=row[2], verified_domains=row[3])
