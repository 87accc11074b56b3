"""Fixtures of the theme tests: two merchants' stores, their owners, a staff member, media images."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from blueprints.cms.models import MediaItem
from blueprints.tenancy.models import MerchantMembership, Store, StoreMembership
from tests.tenancy.factories import TEST_PASSWORD, make_member, make_merchant, make_store
from webapp.extensions import db
from webapp.models import User
from webapp.security import hash_password, new_session_token

PASSWORD_HASH = hash_password(TEST_PASSWORD)  # once: argon2 is slow on purpose


def make_user(email: str) -> User:
    user = User(email=email, name=email.split("@")[0].title(), password_hash=PASSWORD_HASH,
                session_token=new_session_token())
    db.session.add(user)
    db.session.commit()
    return user


@dataclass
class ThemeWorld:
    store: Store
    other_store: Store
    owner: User
    other_owner: User
    staff: User


def build_theme_world(platform) -> ThemeWorld:
    """Two merchants' stores and owners, and a staff member of the first store (who may not edit the theme)."""
    merchant = make_merchant(platform, name="Boulangerie Test")
    other_merchant = make_merchant(platform, name="Mode Test")
    store = make_store(merchant, "centre", name="Boulangerie Centre")
    other_store = make_store(other_merchant, "mode-lux", name="Mode Lux")
    owner, other_owner = make_user("owner@boulangerie.test"), make_user("owner@mode.test")
    staff = make_user("staff@boulangerie.test")
    make_member(owner, merchant, MerchantMembership.OWNER)
    make_member(other_owner, other_merchant, MerchantMembership.OWNER)
    make_member(staff, store, StoreMembership.STAFF)
    return ThemeWorld(store, other_store, owner, other_owner, staff)


def sign_in(client, user: User):
    response = client.post("/store/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    return client


def make_media(store: Store, kind: str = MediaItem.IMAGE) -> MediaItem:
    """A media library row (no file behind it: the theme only needs its id, kind and URL)."""
    token = secrets.token_hex(16)
    extension, content_type = ("png", "image/png") if kind == MediaItem.IMAGE else ("pdf", "application/pdf")
    item = MediaItem(store_id=store.id, kind=kind, content_type=content_type, stored_name=f"{token}.{extension}",
                     thumbnail_name=f"{token}-thumb.webp" if kind == MediaItem.IMAGE else None,
                     original_name=f"logo.{extension}", size_bytes=1234, width=40, height=30)
    db.session.add(item)
    db.session.commit()
    return item


def theme_data(**overrides) -> dict:
    """A complete, valid theme form (the modern preset, no images, no custom CSS)."""
    data = {
        "preset": "modern", "primary_color": "#4f46e5", "accent_color": "#0891b2", "background_color": "#f8fafc",
        "text_color": "#0f172a", "muted_color": "#64748b", "font_body": "humanist", "font_heading": "geometric",
        "radius": "large", "logo_media_id": "", "favicon_media_id": "", "custom_css": "",
    }
    data.update(overrides)
    return data
