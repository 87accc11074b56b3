"""The media library.

Revision ID: cms_002
Revises: cms_001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

revision = 'cms_002'
down_revision = 'cms_001'
branch_labels = None
# media_items references stores: the tenancy tables come first.
depends_on = ('tenancy_002',)


def upgrade():
    op.create_table('media_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('thumbnail_name', sa.String(length=64), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('alt_text', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_media_items_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_media_items_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_items')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_media_items_stored_name')),
    sa.UniqueConstraint('thumbnail_name', name=op.f('uq_media_items_thumbnail_name'))
    )
    with op.batch_alter_table('media_items', schema=None) as batch_op:
        batch_op.create_index('ix_media_items_store_id_created_at', ['store_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('media_items', schema=None) as batch_op:
        batch_op.drop_index('ix_media_items_store_id_created_at')

    op.drop_table('media_items')
