"""Start of the monitoring module's migration branch; its tables come in the revisions that follow.

Revision ID: monitoring_001
Revises:
Create Date: 2026-11-26
"""

revision = "monitoring_001"
down_revision = None
branch_labels = ("monitoring",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
