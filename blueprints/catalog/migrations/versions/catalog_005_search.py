"""Catalog: full-text search over product titles and descriptions (a GIN expression index, PostgreSQL only).

Revision ID: catalog_005
Revises: catalog_004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = 'catalog_005'
down_revision = 'catalog_004'
branch_labels = None
depends_on = None

# The storefront's search_vector(): the 'simple' configuration (no stemming, every language alike).
SEARCH_VECTOR = "to_tsvector('simple'::regconfig, (title::text || ' '::text) || description)"


def upgrade():
    # SQLite has no such index; the storefront searches it with LIKE instead.
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.create_index('ix_catalog_product_translations_search', 'catalog_product_translations',
                    [sa.text(SEARCH_VECTOR)], unique=False, postgresql_using='gin')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_catalog_product_translations_search', table_name='catalog_product_translations')
