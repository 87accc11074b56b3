"""Start of the inventory module's migration branch; its tables come in the revisions that follow.

Revision ID: inventory_001
Revises:
Create Date: 2026-11-26
"""

revision = "inventory_001"
down_revision = None
branch_labels = ("inventory",)
depends_on = ('framework', 'catalog')


def upgrade():
    pass


def downgrade():
    pass
