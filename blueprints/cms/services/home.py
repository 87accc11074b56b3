"""The storefront home page: an ordered list of sections the merchant edits."""
from __future__ import annotations

from sqlalchemy import select

from blueprints.cms.models import HomeSection
from webapp.extensions import db


def home_sections(store) -> list[HomeSection]:
    return list(db.session.scalars(select(HomeSection).where(HomeSection.store_id == store.id)
                                   .order_by(HomeSection.position, HomeSection.id)))
