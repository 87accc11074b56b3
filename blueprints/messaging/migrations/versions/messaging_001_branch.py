"""Start of the messaging module's migration branch; its tables come in the revisions that follow.

Revision ID: messaging_001
Revises:
Create Date: 2026-11-26
"""

revision = "messaging_001"
down_revision = None
branch_labels = ("messaging",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
