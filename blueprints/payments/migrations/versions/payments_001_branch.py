"""Start of the payments module's migration branch; its tables come in the revisions that follow.

Revision ID: payments_001
Revises:
Create Date: 2026-11-26
"""

revision = "payments_001"
down_revision = None
branch_labels = ("payments",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
