"""Start of the analytics module's migration branch; its tables come in the revisions that follow.

Revision ID: analytics_001
Revises:
Create Date: 2026-11-26
"""

revision = "analytics_001"
down_revision = None
branch_labels = ("analytics",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
