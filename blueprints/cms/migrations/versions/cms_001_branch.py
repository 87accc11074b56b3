"""Start of the cms module's migration branch; its tables come in the revisions that follow.

Revision ID: cms_001
Revises:
Create Date: 2026-11-26
"""

revision = "cms_001"
down_revision = None
branch_labels = ("cms",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
