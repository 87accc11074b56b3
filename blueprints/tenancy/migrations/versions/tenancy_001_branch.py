"""Start of the tenancy module's migration branch; its tables come in the revisions that follow.

Revision ID: tenancy_001
Revises:
Create Date: 2026-11-26
"""

revision = "tenancy_001"
down_revision = None
branch_labels = ("tenancy",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
