"""Start of the core module's migration branch; its tables come in the revisions that follow.

Revision ID: core_001
Revises:
Create Date: 2026-11-26
"""

revision = "core_001"
down_revision = None
branch_labels = ("core",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
