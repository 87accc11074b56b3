"""Start of the dev-tools module's migration branch; its tables come in the revisions that follow.

Revision ID: dev_tools_001
Revises:
Create Date: 2026-11-26
"""

revision = "dev_tools_001"
down_revision = None
branch_labels = ("dev-tools",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
