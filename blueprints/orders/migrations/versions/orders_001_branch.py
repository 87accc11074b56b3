"""Start of the orders module's migration branch; its tables come in the revisions that follow.

Revision ID: orders_001
Revises:
Create Date: 2026-11-26
"""

revision = "orders_001"
down_revision = None
branch_labels = ("orders",)
depends_on = ('framework', 'payments', 'catalog')


def upgrade():
    pass


def downgrade():
    pass
