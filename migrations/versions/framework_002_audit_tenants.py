"""Audit rows name the merchant and store they concern.

Revision ID: framework_002
Revises: framework_001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "framework_002"
down_revision = "framework_001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("merchant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("store_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_merchant_id"), ["merchant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_store_id"), ["store_id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_store_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_merchant_id"))
        batch_op.drop_column("store_id")
        batch_op.drop_column("merchant_id")
