"""Start of the loyalty module's migration branch; its tables come in the revisions that follow.

Revision ID: loyalty_001
Revises:
Create Date: 2026-11-26
"""

revision = "loyalty_001"
down_revision = None
branch_labels = ("loyalty",)
depends_on = ('framework', 'customers')


def upgrade():
    pass


def downgrade():
    pass
