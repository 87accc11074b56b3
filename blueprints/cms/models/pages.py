"""Content pages at three levels, their translations and revisions; the storefront home sections.

A page belongs to a platform and has a scope:
- ``platform``: the platform's own site (no store);
- ``default``: a page the platform defines for every store (no store);
- ``store``: a store's own page, or its override of a default (same slug).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models import utcnow

__all__ = ["Page", "PageTranslation", "PageRevision", "HomeSection"]


class Page(db.Model):
    __tablename__ = "cms_pages"
    __table_args__ = (
        # One slug per store, per platform's defaults, per platform's own site (partial: store_id may be NULL).
        Index("uq_cms_pages_store_slug", "store_id", "slug", unique=True,
              postgresql_where=text("store_id IS NOT NULL"), sqlite_where=text("store_id IS NOT NULL")),
        Index("uq_cms_pages_platform_scope_slug", "platform_id", "scope", "slug", unique=True,
              postgresql_where=text("store_id IS NULL"), sqlite_where=text("store_id IS NULL")),
    )

    PLATFORM, DEFAULT, STORE = "platform", "default", "store"
    SCOPES = (PLATFORM, DEFAULT, STORE)
    PLACEMENTS = ("none", "header", "footer", "legal")

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    slug: Mapped[str] = mapped_column(String(80))
    placement: Mapped[str] = mapped_column(String(10), default="none")
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=False)
    publish_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    translations: Mapped[list[PageTranslation]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="PageTranslation.language")

    def is_live(self, now: datetime) -> bool:
        return self.published and (self.publish_at is None or self.publish_at <= now)

    def translation(self, language: str, fallback: str | None = None) -> PageTranslation | None:
        by_language = {t.language: t for t in self.translations}
        return by_language.get(language) or (by_language.get(fallback) if fallback else None) or next(
            iter(self.translations), None)

    def __repr__(self) -> str:
        return f"<Page {self.scope} {self.slug}>"


class PageTranslation(db.Model):
    __tablename__ = "cms_page_translations"
    __table_args__ = (UniqueConstraint("page_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("cms_pages.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown; rendered and sanitised on display
    seo_title: Mapped[str] = mapped_column(String(200), default="")
    seo_description: Mapped[str] = mapped_column(String(300), default="")

    page: Mapped[Page] = relationship(back_populates="translations")


class PageRevision(db.Model):
    """A page as it was saved: settings and every translation, restorable."""

    __tablename__ = "cms_page_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("cms_pages.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    snapshot: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HomeSection(db.Model):
    """One block of a store's home page: hero, text, image + text or call to action."""

    __tablename__ = "cms_home_sections"

    KINDS = ("hero", "text", "image_text", "cta")

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(default=0)
    # {language: {"title": ..., "text": ..., "button_label": ...}}
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    button_url: Mapped[str] = mapped_column(String(300), default="")
    image_media_id: Mapped[int | None] = mapped_column()

    def text_in(self, language: str, fallback: str) -> dict:
        return self.content.get(language) or self.content.get(fallback) or next(iter(self.content.values()), {})
