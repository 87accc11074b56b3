"""CMS themes tables: one storefront theme per store."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models import utcnow

__all__ = ["StoreTheme"]


class StoreTheme(db.Model):
    """How a store's storefront looks: a preset, the colours and fonts adjusted from it, logo,
    favicon and validated custom CSS. No row means the storefront's built-in look (the classic preset).

    Colours are ``#rrggbb``; fonts and corner radius are keys of the safe lists in
    ``services.themes``; logo and favicon are media library items of the same store (no database
    foreign key: the media table belongs to another part of the module and may be migrated later).
    """

    __tablename__ = "store_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), unique=True)
    preset: Mapped[str] = mapped_column(String(20))
    primary_color: Mapped[str] = mapped_column(String(7))
    accent_color: Mapped[str] = mapped_column(String(7))
    background_color: Mapped[str] = mapped_column(String(7))
    text_color: Mapped[str] = mapped_column(String(7))
    muted_color: Mapped[str] = mapped_column(String(7))
    font_body: Mapped[str] = mapped_column(String(20))
    font_heading: Mapped[str] = mapped_column(String(20))
    radius: Mapped[str] = mapped_column(String(10))
    logo_media_id: Mapped[int | None] = mapped_column()
    favicon_media_id: Mapped[int | None] = mapped_column()
    custom_css: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
