"""The media library: images and PDFs uploaded by a store, stored by generated names."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models import utcnow

__all__ = ["MEDIA_KINDS", "MediaItem"]

IMAGE, PDF = "image", "pdf"
MEDIA_KINDS = (IMAGE, PDF)


class MediaItem(db.Model):
    """One uploaded file of a store; the bytes live in the media storage under ``<store_id>/<name>``."""

    __tablename__ = "media_items"
    __table_args__ = (Index("ix_media_items_store_id_created_at", "store_id", "created_at"),)

    IMAGE, PDF = IMAGE, PDF

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(40))
    # Generated on the server (random token + the extension of the detected type): never the uploader's name.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    thumbnail_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Cleaned, for display and for the download name (Content-Disposition); never used as a path.
    original_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    alt_text: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_image(self) -> bool:
        return self.kind == IMAGE

    @property
    def dimensions(self) -> str:
        return f"{self.width} × {self.height}" if self.width and self.height else ""
