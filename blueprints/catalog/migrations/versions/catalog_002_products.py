"""Catalog: categories, products with their translations, variants, images.

Revision ID: catalog_002
Revises: catalog_001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = 'catalog_002'
down_revision = 'catalog_001'
branch_labels = None
depends_on = ('tenancy_002',)


def upgrade():
    op.create_table('catalog_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['catalog_categories.id'], name=op.f('fk_catalog_categories_parent_id_catalog_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_catalog_categories_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_categories')),
    sa.UniqueConstraint('store_id', 'slug', name=op.f('uq_catalog_categories_store_id_slug'))
    )
    op.create_index(op.f('ix_catalog_categories_parent_id'), 'catalog_categories', ['parent_id'], unique=False)
    op.create_index(op.f('ix_catalog_categories_store_id'), 'catalog_categories', ['store_id'], unique=False)
    op.create_table('catalog_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('product_type', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('vat_class', sa.String(length=16), nullable=False),
    sa.Column('option_names', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_catalog_products_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_products')),
    sa.UniqueConstraint('store_id', 'slug', name=op.f('uq_catalog_products_store_id_slug'))
    )
    op.create_index(op.f('ix_catalog_products_store_id'), 'catalog_products', ['store_id'], unique=False)
    op.create_index('ix_catalog_products_store_status', 'catalog_products', ['store_id', 'status'], unique=False)
    op.create_table('catalog_product_categories',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['catalog_categories.id'], name=op.f('fk_catalog_product_categories_category_id_catalog_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['catalog_products.id'], name=op.f('fk_catalog_product_categories_product_id_catalog_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'category_id', name=op.f('pk_catalog_product_categories'))
    )
    op.create_index(op.f('ix_catalog_product_categories_category_id'), 'catalog_product_categories', ['category_id'], unique=False)
    op.create_table('catalog_product_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['catalog_products.id'], name=op.f('fk_catalog_product_images_product_id_catalog_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_product_images'))
    )
    op.create_index(op.f('ix_catalog_product_images_media_id'), 'catalog_product_images', ['media_id'], unique=False)
    op.create_index(op.f('ix_catalog_product_images_product_id'), 'catalog_product_images', ['product_id'], unique=False)
    op.create_table('catalog_product_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['catalog_products.id'], name=op.f('fk_catalog_product_translations_product_id_catalog_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_product_translations')),
    sa.UniqueConstraint('product_id', 'language', name=op.f('uq_catalog_product_translations_product_id_language'))
    )
    op.create_index(op.f('ix_catalog_product_translations_product_id'), 'catalog_product_translations', ['product_id'], unique=False)
    op.create_table('catalog_variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('sale_price_cents', sa.Integer(), nullable=True),
    sa.Column('sale_starts_at', sa.DateTime(), nullable=True),
    sa.Column('sale_ends_at', sa.DateTime(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_catalog_variants_price_not_negative')),
    sa.CheckConstraint('sale_price_cents IS NULL OR sale_price_cents >= 0', name=op.f('ck_catalog_variants_sale_price_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['catalog_products.id'], name=op.f('fk_catalog_variants_product_id_catalog_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_catalog_variants_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_variants')),
    sa.UniqueConstraint('store_id', 'sku', name=op.f('uq_catalog_variants_store_id_sku'))
    )
    op.create_index(op.f('ix_catalog_variants_gtin'), 'catalog_variants', ['gtin'], unique=False)
    op.create_index(op.f('ix_catalog_variants_product_id'), 'catalog_variants', ['product_id'], unique=False)
    op.create_index(op.f('ix_catalog_variants_store_id'), 'catalog_variants', ['store_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_catalog_variants_store_id'), table_name='catalog_variants')
    op.drop_index(op.f('ix_catalog_variants_product_id'), table_name='catalog_variants')
    op.drop_index(op.f('ix_catalog_variants_gtin'), table_name='catalog_variants')
    op.drop_table('catalog_variants')
    op.drop_index(op.f('ix_catalog_product_translations_product_id'), table_name='catalog_product_translations')
    op.drop_table('catalog_product_translations')
    op.drop_index(op.f('ix_catalog_product_images_product_id'), table_name='catalog_product_images')
    op.drop_index(op.f('ix_catalog_product_images_media_id'), table_name='catalog_product_images')
    op.drop_table('catalog_product_images')
    op.drop_index(op.f('ix_catalog_product_categories_category_id'), table_name='catalog_product_categories')
    op.drop_table('catalog_product_categories')
    op.drop_index('ix_catalog_products_store_status', table_name='catalog_products')
    op.drop_index(op.f('ix_catalog_products_store_id'), table_name='catalog_products')
    op.drop_table('catalog_products')
    op.drop_index(op.f('ix_catalog_categories_store_id'), table_name='catalog_categories')
    op.drop_index(op.f('ix_catalog_categories_parent_id'), table_name='catalog_categories')
    op.drop_table('catalog_categories')
