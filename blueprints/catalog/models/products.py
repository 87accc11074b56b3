"""Catalog tables: products with translated texts, their variants (SKU, GTIN, options, prices), a
category tree, tags and images from the media library. Every row carries its store's key.

Prices are integer cents, entered and stored gross (VAT included), as merchants in Luxembourg
quote them; the VAT class names the rate that applies (LU: 17 / 14 / 8 / 3 %).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models import utcnow

__all__ = ["VAT_RATES", "PRODUCT_TYPES", "DRAFT", "ACTIVE", "ARCHIVED", "STATUSES", "product_categories",
           "Category", "Product", "ProductTranslation", "ProductVariant", "ProductImage"]

VAT_RATES = {"standard": 17, "intermediate": 14, "reduced": 8, "super_reduced": 3}  # per cent, Luxembourg
PRODUCT_TYPES = ("physical", "digital", "service")
DRAFT, ACTIVE, ARCHIVED = "draft", "active", "archived"
STATUSES = (DRAFT, ACTIVE, ARCHIVED)

product_categories = Table(
    "catalog_product_categories", db.metadata,
    Column("product_id", ForeignKey("catalog_products.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("catalog_categories.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Category(db.Model):
    """A node of the store's category tree (``parent`` None: a top-level category)."""

    __tablename__ = "catalog_categories"
    __table_args__ = (UniqueConstraint("store_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_categories.id", ondelete="CASCADE"),
                                                  index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    # {language: {"name": ..., "description": ...}}
    texts: Mapped[dict] = mapped_column(JSON, default=dict)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.position")

    def name_in(self, language: str, fallback: str) -> str:
        texts = self.texts or {}
        return (texts.get(language) or texts.get(fallback) or next(iter(texts.values()), {})).get("name", self.slug)


class Product(db.Model):
    __tablename__ = "catalog_products"
    __table_args__ = (
        UniqueConstraint("store_id", "slug"),
        Index("ix_catalog_products_store_status", "store_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    product_type: Mapped[str] = mapped_column(String(10), default="physical")
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    vat_class: Mapped[str] = mapped_column(String(16), default="standard")
    # The names of the options its variants differ by, e.g. ["Size", "Colour"] (empty: one plain variant).
    option_names: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    translations: Mapped[list[ProductTranslation]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductTranslation.language")
    variants: Mapped[list[ProductVariant]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductVariant.position")
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position")
    categories: Mapped[list[Category]] = relationship(secondary=product_categories)

    @property
    def vat_rate(self) -> int:
        return VAT_RATES[self.vat_class]

    @property
    def is_stocked(self) -> bool:
        """Digital products and services never run out."""
        return self.product_type == "physical"

    def translation(self, language: str, fallback: str) -> ProductTranslation | None:
        by_language = {t.language: t for t in self.translations}
        return by_language.get(language) or by_language.get(fallback) or next(iter(self.translations), None)


class ProductTranslation(db.Model):
    __tablename__ = "catalog_product_translations"
    __table_args__ = (
        UniqueConstraint("product_id", "language"),
        # Storefront search (services/shop.py search_vector), PostgreSQL only (migration catalog_005); written
        # as PostgreSQL reports the expression, so that models and migrations compare equal.
        Index("ix_catalog_product_translations_search",
              db.text("to_tsvector('simple'::regconfig, (title::text || ' '::text) || description)"),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown

    product: Mapped[Product] = relationship(back_populates="translations")


class ProductVariant(db.Model):
    """What is sold and stocked: one option combination of a product, with its SKU and price."""

    __tablename__ = "catalog_variants"
    __table_args__ = (
        UniqueConstraint("store_id", "sku"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("sale_price_cents IS NULL OR sale_price_cents >= 0", name="sale_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    options: Mapped[list] = mapped_column(JSON, default=list)  # values in the order of option_names
    price_cents: Mapped[int] = mapped_column()  # gross, VAT included
    sale_price_cents: Mapped[int | None] = mapped_column()
    sale_starts_at: Mapped[datetime | None] = mapped_column()
    sale_ends_at: Mapped[datetime | None] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="variants")

    def price_at(self, moment: datetime) -> int:
        """The gross price a shopper pays at ``moment``: the sale price within its period."""
        on_sale = (self.sale_price_cents is not None
                   and (self.sale_starts_at is None or self.sale_starts_at <= moment)
                   and (self.sale_ends_at is None or moment < self.sale_ends_at))
        return self.sale_price_cents if on_sale else self.price_cents


class ProductImage(db.Model):
    __tablename__ = "catalog_product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(index=True)  # an item of the store's media library
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="images")
