"""CSV imports: one row per uploaded file, holding its text until a background task has worked through it,
then the outcome (products created, updated, refused) and the errors per CSV row for the merchant to fix."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models import User, utcnow

__all__ = ["IMPORT_STATES", "QUEUED", "RUNNING", "DONE", "FAILED", "CatalogImport"]

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
IMPORT_STATES = (QUEUED, RUNNING, DONE, FAILED)


class CatalogImport(db.Model):
    """A product CSV a merchant uploaded: ``failed`` means the file as a whole could not be read;
    a run that refused some products is still ``done``, with those products counted in ``failed_count``."""

    __tablename__ = "catalog_imports"
    __table_args__ = (Index("ix_catalog_imports_store_id_created_at", "store_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200))
    csv_text: Mapped[str] = mapped_column(Text)  # capped at upload (csv_io.MAX_BYTES)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    row_count: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    # [{"row": 3, "column": "gtin", "message": "..."}]; "row" is the spreadsheet's row number (the header is 1).
    errors: Mapped[list] = mapped_column(JSON, default=list)
    task_id: Mapped[str | None] = mapped_column(String(155))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User | None] = relationship()

    @property
    def is_finished(self) -> bool:
        return self.state in (DONE, FAILED)
