"""Factories for tenancy rows: plain inserts (no audit rows, no mails), committed at once.

They bypass the services on purpose, so that a test of a service starts from a known state
that the service under test did not create. Stores and domains empty the resolution cache,
as the services do, so that a test never sees ids cached from another test's rows.
"""
from __future__ import annotations

from datetime import datetime
from itertools import count

from blueprints.tenancy import resolution
from blueprints.tenancy.models import Merchant, MerchantMembership, Store, StoreDomain, StoreMembership
from webapp.extensions import db
from webapp.models import Platform, User, utcnow
from webapp.security import hash_password, new_session_token

TEST_PASSWORD = "correct horse battery"
VALID_LU_VAT = "LU15027442"
_sequence = count(1)


def make_merchant(platform: Platform, **overrides) -> Merchant:
    number = next(_sequence)
    values = {
        "name": f"Merchant {number}",
        "legal_name": f"Merchant {number} S.à r.l.",
        "vat_number": None,
        "street": "1, rue de la Gare",
        "postal_code": "1611",
        "city": "Luxembourg",
        "country": "LU",
        "contact_email": f"contact{number}@merchant.test",
    }
    values.update(overrides)
    merchant = Merchant(platform_id=platform.id, **values)
    db.session.add(merchant)
    db.session.commit()
    return merchant


def make_store(merchant: Merchant, code: str, **overrides) -> Store:
    values = {
        "name": code.replace("-", " ").title(),
        "default_language": "fr",
        "languages": ["en", "fr", "de"],
        "contact_email": merchant.contact_email,
    }
    values.update(overrides)
    store = Store(platform_id=merchant.platform_id, merchant_id=merchant.id, store_code=code, **values)
    db.session.add(store)
    db.session.commit()
    resolution.invalidate()
    return store


def make_domain(store: Store, host: str, *, verified: bool = True, primary: bool = False,
                token: str = "0123456789abcdef0123456789abcdef") -> StoreDomain:
    domain = StoreDomain(store_id=store.id, host=host, is_primary=primary, verification_token=token,
                         verified_at=utcnow() if verified else None)
    db.session.add(domain)
    db.session.commit()
    resolution.invalidate()
    return domain


def make_user(email: str, *, platform_role: str | None = None, password: str = TEST_PASSWORD,
              active: bool = True) -> User:
    """A user; without ``platform_role`` a merchant/store staff member (roles come from memberships)."""
    user = User(email=email, name=email.split("@")[0].title(), platform_role=platform_role,
                password_hash=hash_password(password), session_token=new_session_token(), is_active_user=active)
    db.session.add(user)
    db.session.commit()
    return user


def make_member(user: User, tenant: Merchant | Store, role: str) -> MerchantMembership | StoreMembership:
    """``role`` in a merchant (owner/admin) or in a store (manager/staff)."""
    if isinstance(tenant, Merchant):
        assert role in MerchantMembership.ROLES, role
        membership = MerchantMembership(merchant_id=tenant.id, user_id=user.id, role=role)
    else:
        assert role in StoreMembership.ROLES, role
        membership = StoreMembership(store_id=tenant.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def merchant_data(**overrides) -> dict:
    """Form data for ``services.create_merchant`` / ``update_merchant``."""
    data = {
        "name": "Boulangerie Test",
        "legal_name": "Boulangerie Test S.à r.l.",
        "vat_number": VALID_LU_VAT,
        "street": "12, rue du Fossé",
        "postal_code": "1536",
        "city": "Luxembourg",
        "country": "LU",
        "contact_email": "Contact@Boulangerie.test",
    }
    data.update(overrides)
    return data


def store_data(code: str = "centre", **overrides) -> dict:
    """Form data for ``services.create_store``."""
    data = {"store_code": code, "name": f"Store {code}", "default_language": "fr", "languages": ["fr", "de", "en"]}
    data.update(overrides)
    return data


def at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, 0)
