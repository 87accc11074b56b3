"""Catalog: CSV imports (the uploaded file, its state and the errors per row).

Revision ID: catalog_003
Revises: catalog_002
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = 'catalog_003'
down_revision = 'catalog_002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalog_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('csv_text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('task_id', sa.String(length=155), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_catalog_imports_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_catalog_imports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_imports'))
    )
    op.create_index('ix_catalog_imports_store_id_created_at', 'catalog_imports', ['store_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_catalog_imports_store_id_created_at', table_name='catalog_imports')
    op.drop_table('catalog_imports')
