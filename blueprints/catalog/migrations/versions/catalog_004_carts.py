"""Catalog: shopper carts and their items.

Revision ID: catalog_004
Revises: catalog_003
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = 'catalog_004'
down_revision = 'catalog_003'
branch_labels = None
depends_on = ('customers_002',)


def upgrade():
    op.create_table('catalog_carts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'converted')", name=op.f('ck_catalog_carts_status_known')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_catalog_carts_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_catalog_carts_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_carts')),
    sa.UniqueConstraint('token', name=op.f('uq_catalog_carts_token'))
    )
    op.create_index(op.f('ix_catalog_carts_customer_id'), 'catalog_carts', ['customer_id'], unique=False)
    op.create_index(op.f('ix_catalog_carts_store_id'), 'catalog_carts', ['store_id'], unique=False)
    op.create_index(op.f('ix_catalog_carts_updated_at'), 'catalog_carts', ['updated_at'], unique=False)
    op.create_index('uq_catalog_carts_open_customer', 'catalog_carts', ['store_id', 'customer_id'], unique=True,
                    postgresql_where=sa.text("status = 'open' AND customer_id IS NOT NULL"),
                    sqlite_where=sa.text("status = 'open' AND customer_id IS NOT NULL"))
    op.create_table('catalog_cart_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_catalog_cart_items_quantity_positive')),
    sa.ForeignKeyConstraint(['cart_id'], ['catalog_carts.id'], name=op.f('fk_catalog_cart_items_cart_id_catalog_carts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['catalog_variants.id'], name=op.f('fk_catalog_cart_items_variant_id_catalog_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_cart_items')),
    sa.UniqueConstraint('cart_id', 'variant_id', name=op.f('uq_catalog_cart_items_cart_id_variant_id'))
    )
    op.create_index(op.f('ix_catalog_cart_items_variant_id'), 'catalog_cart_items', ['variant_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_catalog_cart_items_variant_id'), table_name='catalog_cart_items')
    op.drop_table('catalog_cart_items')
    op.drop_index('uq_catalog_carts_open_customer', table_name='catalog_carts')
    op.drop_index(op.f('ix_catalog_carts_updated_at'), table_name='catalog_carts')
    op.drop_index(op.f('ix_catalog_carts_store_id'), table_name='catalog_carts')
    op.drop_index(op.f('ix_catalog_carts_customer_id'), table_name='catalog_carts')
    op.drop_table('catalog_carts')
