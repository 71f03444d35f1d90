"""audit index by action, table and row: a lead's reassignments without scanning the audit

Indexes only: every row stays as it was.

Revision ID: 0006_audit_action_index
Revises: 0005_follow_up_queue_index
Create Date: 2026-11-26
"""
from alembic import op

revision = '0006_audit_action_index'
down_revision = '0005_follow_up_queue_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index('ix_audit_action_row', ['action', 'table_name', 'row_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_action_row')
