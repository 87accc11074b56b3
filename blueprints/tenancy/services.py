"""Tenancy writes and scoped reads: merchants, stores, domains, team, invitations, staff users.

Every read of a tenant-owned row goes through a helper here that takes the acting user, and an
object the user may not see raises ``NotFound`` (a 404), never a 403 that would confirm it exists.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from blueprints.tenancy import permissions, resolution
from blueprints.tenancy.dns import DnsLookupError, record_name, record_value
from blueprints.tenancy.models import (
    ACTIVE,
    LANGUAGES,
    STATUSES,
    Invitation,
    Merchant,
    MerchantMembership,
    PlatformAssignment,
    Store,
    StoreDomain,
    StoreMembership,
)
from blueprints.tenancy.tokens import password_reset_token
from blueprints.tenancy.validation import InvalidInput, check_store_code, normalise_domain, normalise_vat
from webapp import pagination, tenancy
from webapp.extensions import db
from webapp.mail import absolute_url, send_mail
from webapp.models import AuditLog, Platform, User, utcnow
from webapp.pagination import Page
from webapp.security import audit, new_session_token, set_password
from webapp.tenancy import current_platform, platform_hosts

INVITATION_LIFETIME = timedelta(days=7)
PAGE_SIZE = 20


class NotFound(tenancy.NotFound):
    """The object does not exist for this user (another tenant's object looks the same)."""


class TenancyError(ValueError):
    """Refused input; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field




def paginate(query, page: int, count_query=None) -> Page:
    total = db.session.scalar(count_query if count_query is not None
                              else select(func.count()).select_from(query.order_by(None).subquery()))
    page, pages = pagination.clamp(page, total, PAGE_SIZE)
    items = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).unique().all()
    return Page(items, total, page, pages)


def one_line(value) -> str:
    """Names end up in e-mail subjects and headers: no line breaks, no surrounding space."""
    return " ".join(str(value or "").split())


def _flush_unique(message: str, field: str) -> None:
    """Flush now, so that a row another request inserted first is a clear refusal, not a 500."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise TenancyError(message, field) from exc


def _commit(*, invalidate: bool = False) -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent request took the same code or host first
        db.session.rollback()
        raise TenancyError("That was just taken by someone else; please choose another value.") from exc
    if invalidate:
        resolution.invalidate()


# -- platforms visible to a platform admin ------------------------------------------------------
def visible_platforms(user: User) -> list[Platform]:
    platforms = db.session.scalars(select(Platform).order_by(Platform.code)).all()
    return [p for p in platforms if permissions.may_use_platform(user, p.id)]


def get_platform(user: User, code: str) -> Platform:
    platform = db.session.scalar(select(Platform).where(Platform.code == code))
    if platform is None or not permissions.may_use_platform(user, platform.id):
        raise NotFound(code)
    return platform


def chosen_platform(user: User, code: str | None) -> Platform:
    """The platform an admin page is about: ``code`` (``?platform=``) else this host's; NotFound outside
    the user's platforms."""
    host_platform = current_platform()
    return get_platform(user, code or (host_platform.code if host_platform else ""))


def assign_platforms(user: User, platform_ids: list[int], actor: User) -> None:
    db.session.execute(PlatformAssignment.__table__.delete().where(PlatformAssignment.user_id == user.id))
    for platform_id in sorted(set(platform_ids)):
        db.session.add(PlatformAssignment(user_id=user.id, platform_id=platform_id))
    audit("user.platforms_assigned", target=user.email, user=actor, details={"platform_ids": sorted(platform_ids)})
    _commit()
    permissions.forget_access(user.id)


# -- merchants --------------------------------------------------------------------------------
MERCHANT_FIELDS = ("name", "legal_name", "vat_number", "street", "postal_code", "city", "country", "contact_email")


def _clean_merchant(data: dict) -> dict:
    cleaned = {key: one_line(data.get(key)) for key in MERCHANT_FIELDS}
    if not cleaned["name"]:
        raise TenancyError("Enter the merchant's name.", "name")
    cleaned["legal_name"] = cleaned["legal_name"] or cleaned["name"]
    try:
        cleaned["vat_number"] = normalise_vat(cleaned["vat_number"])
    except InvalidInput as exc:
        raise TenancyError(str(exc), exc.field) from exc
    cleaned["country"] = (cleaned["country"] or "LU").upper()
    if not (len(cleaned["country"]) == 2 and cleaned["country"].isascii() and cleaned["country"].isalpha()):
        raise TenancyError("Use the two-letter country code, e.g. LU.", "country")
    if cleaned["vat_number"] and not cleaned["vat_number"].startswith(cleaned["country"]) \
            and not (cleaned["country"] == "GR" and cleaned["vat_number"].startswith("EL")):
        raise TenancyError(f"The VAT number is not from the merchant's country ({cleaned['country']}).", "vat_number")
    cleaned["contact_email"] = cleaned["contact_email"].lower()
    if "@" not in cleaned["contact_email"]:
        raise TenancyError("Enter a contact e-mail address.", "contact_email")
    return cleaned


def merchants_query(platform: Platform, search: str = "", status: str = "", sort: str = "name"):
    query = select(Merchant).where(Merchant.platform_id == platform.id).options(selectinload(Merchant.stores))
    if search:
        query = query.where(or_(*(func.lower(column).contains(search.lower(), autoescape=True) for column in
                                  (Merchant.name, Merchant.legal_name, Merchant.vat_number, Merchant.contact_email))))
    if status in STATUSES:
        query = query.where(Merchant.status == status)
    orders = {"name": Merchant.name.asc(), "-name": Merchant.name.desc(),
              "created": Merchant.created_at.asc(), "-created": Merchant.created_at.desc()}
    return query.order_by(orders.get(sort, Merchant.name.asc()), Merchant.id)


def list_merchants(platform: Platform, *, search: str = "", status: str = "", sort: str = "name",
                   page: int = 1) -> Page:
    return paginate(merchants_query(platform, search, status, sort), page)


def get_merchant(user: User, merchant_id: int) -> Merchant:
    merchant = db.session.get(Merchant, merchant_id)
    if merchant is None or not _may_see_merchant(user, merchant):
        raise NotFound(merchant_id)
    return merchant


def _may_see_merchant(user: User, merchant: Merchant) -> bool:
    if user.is_platform_staff:
        return permissions.may_use_platform(user, merchant.platform_id)
    return merchant.id in permissions.access_of(user).merchant_roles


def create_merchant(platform: Platform, data: dict, actor: User) -> Merchant:
    merchant = Merchant(platform_id=platform.id, **_clean_merchant(data))
    db.session.add(merchant)
    db.session.flush()
    audit("merchant.created", target=merchant.name, merchant=merchant, user=actor)
    _commit()
    return merchant


def update_merchant(merchant: Merchant, data: dict, actor: User) -> Merchant:
    cleaned = _clean_merchant(data)
    changed = {key: value for key, value in cleaned.items() if getattr(merchant, key) != value}
    for key, value in changed.items():
        setattr(merchant, key, value)
    audit("merchant.updated", target=merchant.name, merchant=merchant, user=actor, details={"fields": sorted(changed)})
    _commit()
    return merchant


def set_merchant_status(merchant: Merchant, status: str, actor: User) -> Merchant:
    if status not in STATUSES:
        raise TenancyError(f"Unknown status '{status}'.")
    merchant.status = status
    audit(f"merchant.{'reactivated' if status == ACTIVE else 'suspended'}", target=merchant.name,
          merchant=merchant, user=actor)
    _commit(invalidate=True)
    return merchant


# -- stores -----------------------------------------------------------------------------------
def _clean_languages(default_language: str, languages) -> tuple[str, list[str]]:
    chosen = [code for code in LANGUAGES if code in set(languages or [])]
    if not chosen:
        raise TenancyError("Choose at least one language.", "languages")
    if default_language not in chosen:
        raise TenancyError("The default language must be one of the store's languages.", "default_language")
    return default_language, chosen


def create_store(merchant: Merchant, data: dict, actor: User, *, owner_email: str | None = None) -> Store:
    """A new store of ``merchant``; with ``owner_email``, its owner is invited (unless already one).

    Store and invitation are one transaction: if the invitation e-mail cannot be sent, neither is kept.
    """
    try:
        code = check_store_code(data.get("store_code", ""))
    except InvalidInput as exc:
        raise TenancyError(str(exc), exc.field) from exc
    if db.session.scalar(select(Store.id).where(Store.platform_id == merchant.platform_id, Store.store_code == code)):
        raise TenancyError(f"The store code '{code}' is already used on this platform.", "store_code")
    name = one_line(data.get("name"))
    if not name:
        raise TenancyError("Enter the store's name.", "name")
    default_language, languages = _clean_languages(data.get("default_language", "fr"), data.get("languages"))
    store = Store(platform_id=merchant.platform_id, merchant=merchant, store_code=code, name=name,
                  default_language=default_language, languages=languages,
                  contact_email=(data.get("contact_email") or merchant.contact_email).strip().lower())
    db.session.add(store)
    _flush_unique(f"The store code '{code}' is already used on this platform.", "store_code")
    audit("store.created", target=code, store=store, user=actor)
    if owner_email and not _is_merchant_member(merchant, owner_email):
        invite(merchant, owner_email, MerchantMembership.OWNER, actor)  # commits, or rolls the store back too
        resolution.invalidate()
    else:
        _commit(invalidate=True)
    return store


def _is_merchant_member(merchant: Merchant, email: str) -> bool:
    return db.session.scalar(
        select(MerchantMembership.id).join(User).where(MerchantMembership.merchant_id == merchant.id,
                                                       User.email == email.strip().lower())
    ) is not None


def update_store(store: Store, data: dict, actor: User) -> Store:
    name = one_line(data.get("name"))
    if not name:
        raise TenancyError("Enter the store's name.", "name")
    store.default_language, store.languages = _clean_languages(data.get("default_language", ""), data.get("languages"))
    store.name = name
    store.contact_email = (data.get("contact_email") or "").strip().lower()
    store.phone = (data.get("phone") or "").strip()
    audit("store.updated", target=store.store_code, store=store, user=actor)
    _commit(invalidate=True)
    return store


def set_store_status(store: Store, status: str, actor: User) -> Store:
    if status not in STATUSES:
        raise TenancyError(f"Unknown status '{status}'.")
    store.status = status
    audit(f"store.{'reactivated' if status == ACTIVE else 'suspended'}", target=store.store_code, store=store,
          user=actor)
    _commit(invalidate=True)
    return store


def list_stores(platform: Platform, *, search: str = "", status: str = "", page: int = 1) -> Page:
    query = (select(Store).join(Merchant).options(joinedload(Store.merchant), selectinload(Store.domains))
             .where(Store.platform_id == platform.id).order_by(Store.name, Store.id))
    if search:
        query = query.where(or_(*(func.lower(column).contains(search.lower(), autoescape=True) for column in
                                  (Store.name, Store.store_code, Merchant.name))))
    if status in STATUSES:
        query = query.where(Store.status == status)
    return paginate(query, page)


def stores_of(user: User, platform: Platform | None = None) -> list[Store]:
    """The stores ``user`` works in (every store of the platform for platform staff)."""
    query = select(Store).options(joinedload(Store.merchant)).order_by(Store.name)
    if user.is_platform_staff:
        if platform is None:
            return []
        return list(db.session.scalars(query.where(Store.platform_id == platform.id)))
    access = permissions.access_of(user)
    query = query.where(or_(Store.merchant_id.in_(access.merchant_roles or [0]),
                            Store.id.in_(access.store_roles or [0])))
    if platform is not None:  # a person may work for merchants on several platforms
        query = query.where(Store.platform_id == platform.id)
    return list(db.session.scalars(query))


def get_store_for(user: User, store: Store | None) -> Store:
    """The resolved store, if ``user`` may open its admin; else NotFound."""
    if store is None:
        raise NotFound("store")
    if user.is_platform_staff:
        if not permissions.may_use_platform(user, store.platform_id):
            raise NotFound(store.store_code)
        return store
    if permissions.access_of(user).role_in(store) is None:
        raise NotFound(store.store_code)
    return store


# -- domains ----------------------------------------------------------------------------------
def add_domain(store: Store, raw_host: str, actor: User) -> StoreDomain:
    try:
        host = normalise_domain(raw_host)
    except InvalidInput as exc:
        raise TenancyError(str(exc), exc.field) from exc
    if host in platform_hosts() or db.session.scalar(select(StoreDomain.id).where(StoreDomain.host == host)):
        raise TenancyError(f"{host} already belongs to a store or platform.", "host")
    # It becomes primary when verified (if the store has no primary yet): an unverified host never is.
    domain = StoreDomain(store=store, host=host, verification_token=secrets.token_hex(16), is_primary=False)
    db.session.add(domain)
    _flush_unique(f"{host} already belongs to a store or platform.", "host")
    audit("domain.added", target=host, store=store, user=actor)
    _commit(invalidate=True)
    return domain


def get_domain(store: Store, domain_id: int) -> StoreDomain:
    domain = db.session.get(StoreDomain, domain_id)
    if domain is None or domain.store_id != store.id:
        raise NotFound(domain_id)
    return domain


def dns_instructions(domain: StoreDomain) -> dict:
    return {"type": "TXT", "name": record_name(domain.host), "value": record_value(domain.verification_token)}


def verify_domain(domain: StoreDomain, resolver, actor: User) -> bool:
    """Look up the TXT record; a found token marks the domain verified (and routable)."""
    try:
        records = resolver.txt_records(record_name(domain.host))
    except DnsLookupError as exc:
        raise TenancyError(f"DNS did not answer; please try again in a few minutes ({exc}).") from exc
    if record_value(domain.verification_token) not in records:
        audit("domain.verification_failed", target=domain.host, store=domain.store, user=actor)
        _commit()
        return False
    domain.verified_at = utcnow()
    if not any(other.is_primary for other in domain.store.domains if other.id != domain.id):
        domain.is_primary = True
    audit("domain.verified", target=domain.host, store=domain.store, user=actor)
    _commit(invalidate=True)
    return True


def make_primary(domain: StoreDomain, actor: User) -> None:
    if not domain.is_verified:
        raise TenancyError("Only a verified domain can be the primary one.")
    for other in domain.store.domains:
        other.is_primary = other.id == domain.id
    audit("domain.made_primary", target=domain.host, store=domain.store, user=actor)
    _commit(invalidate=True)


def remove_domain(domain: StoreDomain, actor: User) -> None:
    store, was_primary = domain.store, domain.is_primary
    audit("domain.removed", target=domain.host, store=store, user=actor)
    db.session.delete(domain)
    db.session.flush()
    if was_primary:
        successor = next((d for d in store.domains if d.id != domain.id and d.is_verified), None)
        if successor:
            successor.is_primary = True
    _commit(invalidate=True)


# -- invitations and team ---------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(merchant: Merchant, email: str, role: str, actor: User | None, store: Store | None = None) -> tuple[
        Invitation, str]:
    """Invite ``email`` as merchant owner/admin, or (with ``store``) as its manager/staff; mails the link."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise TenancyError("Enter a valid e-mail address.", "email")
    allowed = permissions.STORE_ROLES if store is not None else permissions.MERCHANT_ROLES
    if role not in allowed:
        raise TenancyError(permissions.choose_a_role(allowed), "role")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(token_hash=_token_hash(token), email=email, merchant=merchant, store=store, role=role,
                            invited_by_id=actor.id if actor else None, expires_at=utcnow() + INVITATION_LIFETIME)
    db.session.add(invitation)
    audit("team.invited", target=email, merchant=merchant, store=store, user=actor, details={"role": role})
    db.session.flush()
    where = store.name if store else merchant.name
    link = absolute_url("tenancy_public.accept_invitation", token=token)
    try:  # an invitation exists only if its e-mail went out
        send_mail(email, f"You are invited to {where} on Buttek",
                  f"Hello,\n\nYou have been invited to join {where} as {permissions.ROLE_LABELS[role].lower()}.\n"
                  f"Accept the invitation within 7 days:\n\n{link}\n\nIf you did not expect this, ignore this "
                  "e-mail.\n")
    except (OSError, ValueError) as exc:
        db.session.rollback()
        raise TenancyError(f"The invitation e-mail could not be sent ({exc}); please try again later.",
                           "email") from exc
    _commit()
    return invitation, token


def find_invitation(token: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token or "")))
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound("invitation")
    if invitation.accepted_at is not None:
        raise TenancyError("This invitation has already been used. Sign in instead.")
    if invitation.expires_at < utcnow():
        raise TenancyError("This invitation has expired. Ask the person who invited you to send a new one.")
    if not invitation.merchant.is_active or (invitation.store is not None and not invitation.store.is_active):
        raise TenancyError("This invitation is to a store that is suspended; it cannot be accepted for now.")
    return invitation


def accept_invitation(token: str, *, name: str = "", password: str = "") -> User:
    """Join with the invitation; creates the account when the e-mail has none yet."""
    invitation = find_invitation(token)
    # Lock it: a double-clicked submit must not accept (and create the account) twice.
    db.session.refresh(invitation, with_for_update=True)
    if invitation.accepted_at is not None:
        raise TenancyError("This invitation has already been used. Sign in instead.")
    user = db.session.scalar(select(User).where(User.email == invitation.email))
    if user is None:
        if not name.strip():
            raise TenancyError("Enter your name.", "name")
        user = User(email=invitation.email, name=one_line(name), session_token=new_session_token())
        try:
            set_password(user, password)
        except ValueError as exc:
            raise TenancyError(str(exc), "password") from exc
        db.session.add(user)
        _flush_unique("This invitation has already been used. Sign in instead.", "email")
    elif not user.is_active:
        raise TenancyError("This account is deactivated; contact the platform's support.")
    if invitation.store_id is not None:
        membership = db.session.scalar(select(StoreMembership).where(
            StoreMembership.store_id == invitation.store_id, StoreMembership.user_id == user.id))
        if membership is None:
            db.session.add(StoreMembership(store_id=invitation.store_id, user_id=user.id, role=invitation.role))
        else:
            membership.role = invitation.role
    else:
        membership = db.session.scalar(select(MerchantMembership).where(
            MerchantMembership.merchant_id == invitation.merchant_id, MerchantMembership.user_id == user.id))
        if membership is None:
            db.session.add(MerchantMembership(merchant_id=invitation.merchant_id, user_id=user.id,
                                              role=invitation.role))
        else:
            membership.role = invitation.role
    invitation.accepted_at = utcnow()
    audit("team.invitation_accepted", target=user.email, merchant=invitation.merchant, store=invitation.store,
          user=user, details={"role": invitation.role})
    _commit()
    permissions.forget_access(user.id)
    return user


@dataclass
class Member:
    user: User
    role: str
    scope: str  # "merchant" | "store"
    membership_id: int


def team_of(store: Store) -> list[Member]:
    """Everyone who works in ``store``: the merchant's owners/admins and the store's own staff."""
    merchant_members = db.session.execute(
        select(MerchantMembership, User).join(User).where(MerchantMembership.merchant_id == store.merchant_id)
    ).all()
    store_members = db.session.execute(
        select(StoreMembership, User).join(User).where(StoreMembership.store_id == store.id)
    ).all()
    members = [Member(user, m.role, "merchant", m.id) for m, user in merchant_members]
    members += [Member(user, m.role, "store", m.id) for m, user in store_members]
    order = {role: index for index, role in enumerate(permissions.MERCHANT_ROLES + permissions.STORE_ROLES)}
    return sorted(members, key=lambda m: (order[m.role], m.user.email))


def pending_invitations(store: Store) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).where(Invitation.store_id == store.id, Invitation.accepted_at.is_(None),
                                 Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())
    ))


def get_store_membership(store: Store, membership_id: int) -> StoreMembership:
    membership = db.session.get(StoreMembership, membership_id)
    if membership is None or membership.store_id != store.id:
        raise NotFound(membership_id)
    return membership


def change_store_role(membership: StoreMembership, role: str, actor: User) -> None:
    if role not in permissions.STORE_ROLES:
        raise TenancyError(permissions.choose_a_role(permissions.STORE_ROLES), "role")
    membership.role = role
    audit("team.role_changed", target=membership.user.email, store=membership.store, user=actor,
          details={"role": role})
    _commit()
    permissions.forget_access(membership.user_id)


def remove_store_member(membership: StoreMembership, actor: User) -> None:
    audit("team.removed", target=membership.user.email, store=membership.store, user=actor)
    db.session.delete(membership)
    _commit()
    permissions.forget_access(membership.user_id)


def get_merchant_membership(merchant_id: int, membership_id: int) -> MerchantMembership:
    membership = db.session.get(MerchantMembership, membership_id)
    if membership is None or membership.merchant_id != merchant_id:
        raise NotFound(membership_id)
    return membership


def _keep_an_owner(membership: MerchantMembership, doing: str) -> None:
    """Refuse to leave a merchant without an owner; the merchant row lock makes two demotions queue up."""
    if membership.role != permissions.OWNER:
        return
    db.session.execute(select(Merchant.id).where(Merchant.id == membership.merchant_id).with_for_update())
    owners = db.session.scalar(select(func.count(MerchantMembership.id)).where(
        MerchantMembership.merchant_id == membership.merchant_id, MerchantMembership.role == permissions.OWNER))
    if owners <= 1:
        raise TenancyError(f"You cannot {doing} the only owner of {membership.merchant.name}; "
                           "make someone else an owner first.")


def change_merchant_role(membership: MerchantMembership, role: str, actor: User) -> None:
    if role not in permissions.MERCHANT_ROLES:
        raise TenancyError(permissions.choose_a_role(permissions.MERCHANT_ROLES), "role")
    if role == membership.role:
        return
    _keep_an_owner(membership, "demote")
    membership.role = role
    audit("team.role_changed", target=membership.user.email, merchant=membership.merchant, user=actor,
          details={"role": role})
    _commit()
    permissions.forget_access(membership.user_id)


def remove_merchant_member(membership: MerchantMembership, actor: User) -> None:
    _keep_an_owner(membership, "remove")
    audit("team.removed", target=membership.user.email, merchant=membership.merchant, user=actor)
    db.session.delete(membership)
    _commit()
    permissions.forget_access(membership.user_id)


def revoke_invitation(store: Store, invitation_id: int, actor: User) -> None:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.store_id != store.id:
        raise NotFound(invitation_id)
    invitation.revoked_at = utcnow()
    audit("team.invitation_revoked", target=invitation.email, store=store, user=actor)
    _commit()


# -- staff users (platform admin) -------------------------------------------------------------
def list_users(search: str = "", page: int = 1) -> Page:
    query = select(User).order_by(User.email)
    if search:
        query = query.where(or_(func.lower(User.email).contains(search.lower(), autoescape=True),
                                func.lower(User.name).contains(search.lower(), autoescape=True)))
    return paginate(query, page)


def invite_platform_staff(email: str, role: str, actor: User, platform_ids: list[int] | None = None) -> User:
    """A new platform admin or super admin, mailed a link to choose a password (valid one hour)."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise TenancyError("Enter a valid e-mail address.", "email")
    if role not in User.PLATFORM_ROLES:
        raise TenancyError("Choose platform admin or super admin.", "platform_role")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise TenancyError(f"{email} already has an account; change its role in the list below.", "email")
    if role == User.ROLE_PLATFORM_ADMIN and not platform_ids:
        raise TenancyError("Tick the platforms this platform admin runs.", "platform_ids")
    user = User(email=email, name=email.split("@")[0], platform_role=role, session_token=new_session_token())
    db.session.add(user)
    db.session.flush()
    for platform_id in sorted(set(platform_ids or [])):
        db.session.add(PlatformAssignment(user_id=user.id, platform_id=platform_id))
    audit("user.invited", target=email, user=actor, details={"platform_role": role})
    link = absolute_url("tenancy_store.password_reset", token=password_reset_token(user))
    admin = absolute_url("core_admin.login")
    try:
        send_mail(email, "Your Buttek admin account",
                  f"Hello,\n\nAn account was created for you in the Buttek platform admin. Choose your password "
                  f"within one hour:\n\n{link}\n\nThen sign in at {admin}. If the link has expired, use "
                  "'Forgot your password?' on the sign-in page.\n")
    except OSError as exc:
        db.session.rollback()
        raise TenancyError(f"The invitation e-mail could not be sent ({exc}); please try again later.",
                           "email") from exc
    _commit()
    return user


def platform_ids_by_user(user_ids: list[int]) -> dict[int, set[int]]:
    rows = db.session.execute(select(PlatformAssignment.user_id, PlatformAssignment.platform_id)
                              .where(PlatformAssignment.user_id.in_(user_ids or [0])))
    assigned: dict[int, set[int]] = {}
    for user_id, platform_id in rows:
        assigned.setdefault(user_id, set()).add(platform_id)
    return assigned


def set_user_active(user: User, active: bool, actor: User) -> None:
    """Deactivating ends every session of the user at once (their session token changes)."""
    if user.id == actor.id and not active:
        raise TenancyError("You cannot deactivate your own account.")
    user.is_active_user = active
    if not active:
        user.session_token = new_session_token()
    audit("user.activated" if active else "user.deactivated", target=user.email, user=actor)
    _commit()


def set_platform_role(user: User, role: str | None, actor: User) -> None:
    if role not in (None, *User.PLATFORM_ROLES):
        raise TenancyError("Unknown role.", "platform_role")
    if user.id == actor.id:
        raise TenancyError("You cannot change your own role.")
    user.platform_role = role
    audit("user.role_changed", target=user.email, user=actor, details={"platform_role": role})
    _commit()
    permissions.forget_access(user.id)


# -- audit log --------------------------------------------------------------------------------
def audit_entries(platform: Platform, *, action: str = "", merchant_id: int | None = None,
                  user_email: str = "", page: int = 1, include_platformless: bool = False) -> Page:
    """The platform's audit rows; with ``include_platformless`` (super admins) also the rows about
    staff accounts and sign-ins, which belong to no platform."""
    scope = AuditLog.platform_id == platform.id
    if include_platformless:
        scope = or_(scope, AuditLog.platform_id.is_(None))
    query = (select(AuditLog).options(joinedload(AuditLog.user)).where(scope)
             .order_by(AuditLog.created_at.desc(), AuditLog.id.desc()))
    if action:
        query = query.where(AuditLog.action.startswith(action, autoescape=True))
    if merchant_id:
        query = query.where(AuditLog.merchant_id == merchant_id)
    if user_email:
        query = query.join(User, AuditLog.user_id == User.id).where(func.lower(User.email) == user_email.lower())
    return paginate(query, page)


def record_on_behalf(store: Store, actor: User) -> None:
    """A platform admin opened a store's admin on the merchant's behalf."""
    audit("store.opened_on_behalf", target=store.store_code, store=store, user=actor)
    _commit()
