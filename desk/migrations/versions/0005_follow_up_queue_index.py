"""follow-up queue indexes: open rows in due order, everyone's and per owner

Indexes only: every row stays as it was.

Revision ID: 0005_follow_up_queue_index
Revises: 0004_outreach
Create Date: 2026-11-26
"""
from alembic import op

revision = '0005_follow_up_queue_index'
down_revision = '0004_outreach'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_open_due', ['done_at', 'due_at'], unique=False)
        batch_op.create_index('ix_follow_up_owner_open_due', ['owner_id', 'done_at', 'due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_owner_open_due')
        batch_op.drop_index('ix_follow_up_open_due')
