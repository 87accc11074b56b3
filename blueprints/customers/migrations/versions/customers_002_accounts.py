"""Customer accounts, addresses, staff notes, tags and segments.

Revision ID: customers_002
Revises: customers_001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = 'customers_002'
down_revision = 'customers_001'
branch_labels = None
depends_on = ('tenancy_002',)


def upgrade():
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('registered_store_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('marketing_consent', sa.Boolean(), nullable=False),
    sa.Column('marketing_consent_at', sa.DateTime(), nullable=True),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_customers_merchant_id_merchants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_store_id'], ['stores.id'], name=op.f('fk_customers_registered_store_id_stores'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('merchant_id', 'email', name=op.f('uq_customers_merchant_id_email'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_merchant_id'), ['merchant_id'], unique=False)

    op.create_table('customer_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_customer_tags_merchant_id_merchants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_tags')),
    sa.UniqueConstraint('merchant_id', 'name', name=op.f('uq_customer_tags_merchant_id_name'))
    )
    with op.batch_alter_table('customer_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_tags_merchant_id'), ['merchant_id'], unique=False)

    op.create_table('customer_segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('match', sa.String(length=3), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_customer_segments_merchant_id_merchants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_segments')),
    sa.UniqueConstraint('merchant_id', 'name', name=op.f('uq_customer_segments_merchant_id_name'))
    )
    with op.batch_alter_table('customer_segments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_segments_merchant_id'), ['merchant_id'], unique=False)

    op.create_table('customer_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_addresses_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_addresses'))
    )
    with op.batch_alter_table('customer_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_addresses_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_customer_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_notes_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_notes'))
    )
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_notes_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_tag_links',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_tag_links_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['customer_tags.id'], name=op.f('fk_customer_tag_links_tag_id_customer_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'tag_id', name=op.f('pk_customer_tag_links'))
    )
    with op.batch_alter_table('customer_tag_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_tag_links_tag_id'), ['tag_id'], unique=False)


def downgrade():
    with op.batch_alter_table('customer_tag_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_tag_links_tag_id'))

    op.drop_table('customer_tag_links')
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_notes_customer_id'))

    op.drop_table('customer_notes')
    with op.batch_alter_table('customer_addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_addresses_customer_id'))

    op.drop_table('customer_addresses')
    with op.batch_alter_table('customer_segments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_segments_merchant_id'))

    op.drop_table('customer_segments')
    with op.batch_alter_table('customer_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_tags_merchant_id'))

    op.drop_table('customer_tags')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_merchant_id'))
        batch_op.drop_index(batch_op.f('ix_customers_created_at'))

    op.drop_table('customers')
