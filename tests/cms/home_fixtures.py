"""Helpers of the home page editor tests: two merchants' stores, their owner and staff, sections, sign-in."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from blueprints.cms.models import HomeSection, MediaItem
from blueprints.tenancy.models import MerchantMembership, Store, StoreMembership
from tests.tenancy.factories import TEST_PASSWORD, make_member, make_merchant, make_store, make_user
from webapp.extensions import db
from webapp.models import User


@dataclass
class HomeWorld:
    store: Store  # default language fr; languages fr, en, de
    other_store: Store  # another merchant's
    owner: User
    staff: User


def build_world(platform) -> HomeWorld:
    merchant = make_merchant(platform, name="Boulangerie Test")
    other_merchant = make_merchant(platform, name="Mode Test")
    store = make_store(merchant, "centre", name="Boulangerie Centre")
    other_store = make_store(other_merchant, "mode-lux", name="Mode Lux")
    owner, staff = make_user("owner@boulangerie.test"), make_user("staff@boulangerie.test")
    make_member(owner, merchant, MerchantMembership.OWNER)
    make_member(staff, store, StoreMembership.STAFF)
    return HomeWorld(store, other_store, owner, staff)


def sign_in(client, user: User) -> None:
    response = client.post("/store/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303), response.status_code


def add_section(store: Store, kind: str = "text", position: int | None = None, **content) -> HomeSection:
    """A section inserted as is (no service, no audit): ``fr={"title": ...}``."""
    if position is None:
        position = len(db.session.scalars(db.select(HomeSection.id).where(HomeSection.store_id == store.id)).all())
    section = HomeSection(store_id=store.id, kind=kind, position=position,
                          content=content or {"fr": {"title": f"Section {position}", "text": "", "button_label": ""}},
                          button_url="", image_media_id=None)
    db.session.add(section)
    db.session.commit()
    return section


def make_media(store: Store, kind: str = MediaItem.IMAGE) -> MediaItem:
    """A media library row (no file behind it: a home section only needs its id, kind and URL)."""
    token = secrets.token_hex(16)
    extension, content_type = ("png", "image/png") if kind == MediaItem.IMAGE else ("pdf", "application/pdf")
    item = MediaItem(store_id=store.id, kind=kind, content_type=content_type, stored_name=f"{token}.{extension}",
                     original_name=f"photo.{extension}", size_bytes=1234, width=40, height=30)
    db.session.add(item)
    db.session.commit()
    return item


def form(**values) -> dict:
    """Editor form data: ``title_fr="…"`` etc.; every other field empty."""
    data = {"button_url": "", "image_media_id": ""}
    for language in ("fr", "en", "de"):
        for key in ("title", "text", "button_label"):
            data[f"{key}_{language}"] = ""
    data.update(values)
    return data
