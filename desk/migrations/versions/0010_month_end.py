"""consultants' levels and QA reviews

New tables only: every existing row stays as it was.

Revision ID: 0010_month_end
Revises: 0009_identity
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_month_end'
down_revision = '0009_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('level_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_level', sa.Integer(), nullable=True),
    sa.Column('criteria', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('level_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_level_record_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_level_record_decided_at'), ['decided_at'], unique=False)

    op.create_table('qa_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('note_id', sa.Integer(), nullable=True),
    sa.Column('consult_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marks', sa.String(), nullable=False),
    sa.Column('items', sa.String(), nullable=False),
    sa.Column('bonus', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('fatal', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['note_id'], ['consult_note.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('qa_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_review_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_review_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_review_note_id'), ['note_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_review_consult_at'), ['consult_at'], unique=False)


def downgrade() -> None:
    op.drop_table('qa_review')
    op.drop_table('level_record')
