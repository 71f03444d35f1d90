"""consult note index by promised visit day: the promised-visit sweep reads the window's promises

Indexes only: every row stays as it was.

Revision ID: 0011_report_indexes
Revises: 0010_month_end
Create Date: 2026-11-29
"""
from alembic import op

revision = '0011_report_indexes'
down_revision = '0010_month_end'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consult_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consult_note_promised_visit_on'), ['promised_visit_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consult_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consult_note_promised_visit_on'))
