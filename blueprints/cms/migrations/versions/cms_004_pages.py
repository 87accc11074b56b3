"""Content pages, their translations and revisions; storefront home sections.

Revision ID: cms_004
Revises: cms_003
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

revision = 'cms_004'
down_revision = 'cms_003'
branch_labels = None
depends_on = ('tenancy_002',)


def upgrade():
    op.create_table('cms_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('placement', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('publish_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_cms_pages_platform_id_platforms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_cms_pages_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cms_pages'))
    )
    op.create_index(op.f('ix_cms_pages_platform_id'), 'cms_pages', ['platform_id'], unique=False)
    op.create_index(op.f('ix_cms_pages_store_id'), 'cms_pages', ['store_id'], unique=False)
    op.create_index('uq_cms_pages_store_slug', 'cms_pages', ['store_id', 'slug'], unique=True,
                    postgresql_where=sa.text('store_id IS NOT NULL'), sqlite_where=sa.text('store_id IS NOT NULL'))
    op.create_index('uq_cms_pages_platform_scope_slug', 'cms_pages', ['platform_id', 'scope', 'slug'], unique=True,
                    postgresql_where=sa.text('store_id IS NULL'), sqlite_where=sa.text('store_id IS NULL'))
    op.create_table('cms_page_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('seo_title', sa.String(length=200), nullable=False),
    sa.Column('seo_description', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['cms_pages.id'], name=op.f('fk_cms_page_translations_page_id_cms_pages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cms_page_translations')),
    sa.UniqueConstraint('page_id', 'language', name=op.f('uq_cms_page_translations_page_id_language'))
    )
    op.create_index(op.f('ix_cms_page_translations_page_id'), 'cms_page_translations', ['page_id'], unique=False)
    op.create_table('cms_page_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_cms_page_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['page_id'], ['cms_pages.id'], name=op.f('fk_cms_page_revisions_page_id_cms_pages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cms_page_revisions')),
    sa.UniqueConstraint('page_id', 'number', name=op.f('uq_cms_page_revisions_page_id_number'))
    )
    op.create_index(op.f('ix_cms_page_revisions_page_id'), 'cms_page_revisions', ['page_id'], unique=False)
    op.create_table('cms_home_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('button_url', sa.String(length=300), nullable=False),
    sa.Column('image_media_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_cms_home_sections_store_id_stores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cms_home_sections'))
    )
    op.create_index(op.f('ix_cms_home_sections_store_id'), 'cms_home_sections', ['store_id'], unique=False)


def downgrade():
    op.drop_table('cms_home_sections')
    op.drop_table('cms_page_revisions')
    op.drop_table('cms_page_translations')
    op.drop_index('uq_cms_pages_platform_scope_slug', table_name='cms_pages')
    op.drop_index('uq_cms_pages_store_slug', table_name='cms_pages')
    op.drop_table('cms_pages')
