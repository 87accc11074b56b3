"""Framework tables: platforms, per-platform module state, staff users, task runs, audit log.

Revision ID: framework_001
Revises:
Create Date: 2026-11-26 23:12:45.705535
"""
from alembic import op
import sqlalchemy as sa


revision = 'framework_001'
down_revision = None
branch_labels = ('framework',)
depends_on = None


def upgrade():
    op.create_table('platforms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('hosts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platforms')),
    sa.UniqueConstraint('code', name=op.f('uq_platforms_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('platform_role', sa.String(length=20), nullable=True),
    sa.Column('is_active_user', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_audit_log_platform_id_platforms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)

    op.create_table('platform_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('module_code', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_platform_modules_platform_id_platforms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_platform_modules_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_modules')),
    sa.UniqueConstraint('platform_id', 'module_code', name=op.f('uq_platform_modules_platform_id_module_code'))
    )
    with op.batch_alter_table('platform_modules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_modules_platform_id'), ['platform_id'], unique=False)

    op.create_table('task_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('task_name', sa.String(length=200), nullable=False),
    sa.Column('module_code', sa.String(length=40), nullable=True),
    sa.Column('platform_id', sa.Integer(), nullable=True),
    sa.Column('args_summary', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_task_runs_platform_id_platforms'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_runs'))
    )
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_runs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_runs_module_code'), ['module_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_runs_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_runs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_runs_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_runs_task_name'), ['task_name'], unique=False)



def downgrade():
    with op.batch_alter_table('task_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_runs_task_name'))
        batch_op.drop_index(batch_op.f('ix_task_runs_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_runs_state'))
        batch_op.drop_index(batch_op.f('ix_task_runs_platform_id'))
        batch_op.drop_index(batch_op.f('ix_task_runs_module_code'))
        batch_op.drop_index(batch_op.f('ix_task_runs_created_at'))

    op.drop_table('task_runs')
    with op.batch_alter_table('platform_modules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_modules_platform_id'))

    op.drop_table('platform_modules')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_platform_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_table('platforms')
