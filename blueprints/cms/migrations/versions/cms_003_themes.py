"""Store themes.

Revision ID: cms_003
Revises: cms_002
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = 'cms_003'
down_revision = 'cms_002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
