"""Start of the catalog module's migration branch; its tables come in the revisions that follow.

Revision ID: catalog_001
Revises:
Create Date: 2026-11-26
"""

revision = "catalog_001"
down_revision = None
branch_labels = ("catalog",)
depends_on = ('framework',)


def upgrade():
    pass


def downgrade():
    pass
