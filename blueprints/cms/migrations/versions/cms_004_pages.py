"""Content pages, their translations and revisions; storefront home sections.

Revision ID: cms_004
Revises: cms_003
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = 'cms_004'
down_revision = 'cms_003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
