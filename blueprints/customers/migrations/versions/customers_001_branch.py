"""Start of the customers module's migration branch; its tables come in the revisions that follow.

Revision ID: customers_001
Revises:
Create Date: 2026-11-26
"""

revision = "customers_001"
down_revision = None
branch_labels = ("customers",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
