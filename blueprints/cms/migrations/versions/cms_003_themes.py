"""Store themes.

Revision ID: cms_003
Revises: cms_002
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

revision = 'cms_003'
down_revision = 'cms_002'
branch_labels = None
depends_on = ('tenancy_002',)  # store_themes.store_id references stores


def upgrade():
    # logo_media_id / favicon_media_id name media_items rows without a foreign key: the theme
    # service checks that they belong to the store, and the media library refuses to delete them.
    op.create_table('store_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('preset', sa.String(length=20), nullable=False),
    sa.Column('primary_color', sa.String(length=7), nullable=False),
    sa.Column('accent_color', sa.String(length=7), nullable=False),
    sa.Column('background_color', sa.String(length=7), nullable=False),
    sa.Column('text_color', sa.String(length=7), nullable=False),
    sa.Column('muted_color', sa.String(length=7), nullable=False),
    sa.Column('font_body', sa.String(length=20), nullable=False),
    sa.Column('font_heading', sa.String(length=20), nullable=False),
    sa.Column('radius', sa.String(length=10), nullable=False),
    sa.Column('logo_media_id', sa.Integer(), nullable=True),
    sa.Column('favicon_media_id', sa.Integer(), nullable=True),
    sa.Column('custom_css', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_themes_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_themes')),
    sa.UniqueConstraint('store_id', name=op.f('uq_store_themes_store_id'))
    )


def downgrade():
    op.drop_table('store_themes')
