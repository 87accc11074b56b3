"""Start of the billing module's migration branch; its tables come in the revisions that follow.

Revision ID: billing_001
Revises:
Create Date: 2026-11-26
"""

revision = "billing_001"
down_revision = None
branch_labels = ("billing",)
depends_on = ('framework', 'payments')


def upgrade():
    pass


def downgrade():
    pass
