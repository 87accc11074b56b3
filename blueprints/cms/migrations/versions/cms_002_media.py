"""The media library.

Revision ID: cms_002
Revises: cms_001
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = 'cms_002'
down_revision = 'cms_001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
