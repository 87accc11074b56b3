"""Inventory: locations and the stores they serve, stock levels, the movement journal, reservations.

Revision ID: inventory_002
Revises: inventory_001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = 'inventory_002'
down_revision = 'inventory_001'
branch_labels = None
depends_on = ('catalog_002',)


def upgrade():
    op.create_table('inventory_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('warehouse', 'shop')", name=op.f('ck_inventory_locations_kind_known')),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_inventory_locations_merchant_id_merchants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_locations')),
    sa.UniqueConstraint('merchant_id', 'name', name=op.f('uq_inventory_locations_merchant_id_name'))
    )
    op.create_index(op.f('ix_inventory_locations_merchant_id'), 'inventory_locations', ['merchant_id'], unique=False)
    op.create_table('inventory_location_stores',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['inventory_locations.id'], name=op.f('fk_inventory_location_stores_location_id_inventory_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_inventory_location_stores_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location_id', 'store_id', name=op.f('pk_inventory_location_stores'))
    )
    op.create_index(op.f('ix_inventory_location_stores_store_id'), 'inventory_location_stores', ['store_id'], unique=False)
    op.create_table('inventory_reservations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_inventory_reservations_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_inventory_reservations_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_reservations')),
    sa.UniqueConstraint('merchant_id', 'key', name=op.f('uq_inventory_reservations_merchant_id_key'))
    )
    op.create_index('ix_inventory_reservations_status_expires', 'inventory_reservations', ['status', 'expires_at'], unique=False)
    op.create_index(op.f('ix_inventory_reservations_store_id'), 'inventory_reservations', ['store_id'], unique=False)
    op.create_table('inventory_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('delta_on_hand', sa.Integer(), nullable=False),
    sa.Column('delta_reserved', sa.Integer(), nullable=False),
    sa.Column('on_hand_before', sa.Integer(), nullable=False),
    sa.Column('on_hand_after', sa.Integer(), nullable=False),
    sa.Column('reserved_before', sa.Integer(), nullable=False),
    sa.Column('reserved_after', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['inventory_locations.id'], name=op.f('fk_inventory_movements_location_id_inventory_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_inventory_movements_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_inventory_movements_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_inventory_movements_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['variant_id'], ['catalog_variants.id'], name=op.f('fk_inventory_movements_variant_id_catalog_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_movements'))
    )
    op.create_index('ix_inventory_movements_location_created', 'inventory_movements', ['location_id', 'created_at'], unique=False)
    op.create_index('ix_inventory_movements_merchant_created', 'inventory_movements', ['merchant_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_inventory_movements_reference'), 'inventory_movements', ['reference'], unique=False)
    op.create_index('ix_inventory_movements_store_created', 'inventory_movements', ['store_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_inventory_movements_user_id'), 'inventory_movements', ['user_id'], unique=False)
    op.create_index('ix_inventory_movements_variant_created', 'inventory_movements', ['variant_id', 'created_at'], unique=False)
    op.create_table('inventory_reservation_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reservation_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('backordered', sa.Integer(), nullable=False),
    sa.CheckConstraint('backordered >= 0 AND backordered <= quantity', name=op.f('ck_inventory_reservation_lines_backordered_within_quantity')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_inventory_reservation_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['location_id'], ['inventory_locations.id'], name=op.f('fk_inventory_reservation_lines_location_id_inventory_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reservation_id'], ['inventory_reservations.id'], name=op.f('fk_inventory_reservation_lines_reservation_id_inventory_reservations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['catalog_variants.id'], name=op.f('fk_inventory_reservation_lines_variant_id_catalog_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_reservation_lines'))
    )
    op.create_index(op.f('ix_inventory_reservation_lines_reservation_id'), 'inventory_reservation_lines', ['reservation_id'], unique=False)
    op.create_index('ix_inventory_reservation_lines_variant_location', 'inventory_reservation_lines', ['variant_id', 'location_id'], unique=False)
    op.create_table('inventory_stock_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.Column('low_stock_threshold', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('low_stock_threshold IS NULL OR low_stock_threshold >= 0', name=op.f('ck_inventory_stock_levels_threshold_not_negative')),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_inventory_stock_levels_on_hand_not_negative')),
    sa.CheckConstraint('reserved >= 0', name=op.f('ck_inventory_stock_levels_reserved_not_negative')),
    sa.ForeignKeyConstraint(['location_id'], ['inventory_locations.id'], name=op.f('fk_inventory_stock_levels_location_id_inventory_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_inventory_stock_levels_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['catalog_variants.id'], name=op.f('fk_inventory_stock_levels_variant_id_catalog_variants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_stock_levels')),
    sa.UniqueConstraint('variant_id', 'location_id', name=op.f('uq_inventory_stock_levels_variant_id_location_id'))
    )
    op.create_index(op.f('ix_inventory_stock_levels_location_id'), 'inventory_stock_levels', ['location_id'], unique=False)
    op.create_index(op.f('ix_inventory_stock_levels_merchant_id'), 'inventory_stock_levels', ['merchant_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_inventory_stock_levels_merchant_id'), table_name='inventory_stock_levels')
    op.drop_index(op.f('ix_inventory_stock_levels_location_id'), table_name='inventory_stock_levels')
    op.drop_table('inventory_stock_levels')
    op.drop_index('ix_inventory_reservation_lines_variant_location', table_name='inventory_reservation_lines')
    op.drop_index(op.f('ix_inventory_reservation_lines_reservation_id'), table_name='inventory_reservation_lines')
    op.drop_table('inventory_reservation_lines')
    op.drop_index('ix_inventory_movements_variant_created', table_name='inventory_movements')
    op.drop_index(op.f('ix_inventory_movements_user_id'), table_name='inventory_movements')
    op.drop_index('ix_inventory_movements_store_created', table_name='inventory_movements')
    op.drop_index(op.f('ix_inventory_movements_reference'), table_name='inventory_movements')
    op.drop_index('ix_inventory_movements_merchant_created', table_name='inventory_movements')
    op.drop_index('ix_inventory_movements_location_created', table_name='inventory_movements')
    op.drop_table('inventory_movements')
    op.drop_index(op.f('ix_inventory_reservations_store_id'), table_name='inventory_reservations')
    op.drop_index('ix_inventory_reservations_status_expires', table_name='inventory_reservations')
    op.drop_table('inventory_reservations')
    op.drop_index(op.f('ix_inventory_location_stores_store_id'), table_name='inventory_location_stores')
    op.drop_table('inventory_location_stores')
    op.drop_index(op.f('ix_inventory_locations_merchant_id'), table_name='inventory_locations')
    op.drop_table('inventory_locations')
