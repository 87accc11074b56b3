"""Merchants, stores, store domains, staff memberships, invitations and platform assignments.

Revision ID: tenancy_002
Revises: tenancy_001
Create Date: 2026-11-26 23:52:28.571269
"""
from alembic import op
import sqlalchemy as sa


revision = 'tenancy_002'
down_revision = 'tenancy_001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('merchants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('vat_number', sa.String(length=20), nullable=True),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_merchants_platform_id_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchants'))
    )
    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merchants_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merchants_status'), ['status'], unique=False)

    op.create_table('platform_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_platform_assignments_platform_id_platforms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_platform_assignments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_assignments')),
    sa.UniqueConstraint('user_id', 'platform_id', name=op.f('uq_platform_assignments_user_id_platform_id'))
    )
    with op.batch_alter_table('platform_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_assignments_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('merchant_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_merchant_memberships_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_merchant_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant_memberships')),
    sa.UniqueConstraint('merchant_id', 'user_id', name=op.f('uq_merchant_memberships_merchant_id_user_id'))
    )
    with op.batch_alter_table('merchant_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merchant_memberships_merchant_id'), ['merchant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merchant_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('stores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('store_code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('default_language', sa.String(length=2), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_stores_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_stores_platform_id_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stores')),
    sa.UniqueConstraint('platform_id', 'store_code', name=op.f('uq_stores_platform_id_store_code'))
    )
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stores_merchant_id'), ['merchant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stores_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stores_status'), ['status'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_invitations_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_invitations_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_merchant_id'), ['merchant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_store_id'), ['store_id'], unique=False)

    op.create_table('store_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('verification_token', sa.String(length=64), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_domains_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_domains')),
    sa.UniqueConstraint('host', name=op.f('uq_store_domains_host'))
    )
    with op.batch_alter_table('store_domains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_domains_store_id'), ['store_id'], unique=False)

    op.create_table('store_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_memberships_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_store_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_memberships')),
    sa.UniqueConstraint('store_id', 'user_id', name=op.f('uq_store_memberships_store_id_user_id'))
    )
    with op.batch_alter_table('store_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_memberships_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_store_memberships_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('store_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_store_memberships_store_id'))

    op.drop_table('store_memberships')
    with op.batch_alter_table('store_domains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_domains_store_id'))

    op.drop_table('store_domains')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_store_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_merchant_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_email'))

    op.drop_table('invitations')
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stores_status'))
        batch_op.drop_index(batch_op.f('ix_stores_platform_id'))
        batch_op.drop_index(batch_op.f('ix_stores_merchant_id'))

    op.drop_table('stores')
    with op.batch_alter_table('merchant_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merchant_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_merchant_memberships_merchant_id'))

    op.drop_table('merchant_memberships')
    with op.batch_alter_table('platform_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_platform_assignments_platform_id'))

    op.drop_table('platform_assignments')
    with op.batch_alter_table('merchants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merchants_status'))
        batch_op.drop_index(batch_op.f('ix_merchants_platform_id'))

    op.drop_table('merchants')
