"""Start of the marketplace module's migration branch; its tables come in the revisions that follow.

Revision ID: marketplace_001
Revises:
Create Date: 2026-11-26
"""

revision = "marketplace_001"
down_revision = None
branch_labels = ("marketplace",)
depends_on = ('framework', 'inventory', 'orders')


def upgrade():
    pass


def downgrade():
    pass
