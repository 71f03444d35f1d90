"""PINs (PLACEHOLDER: replaced by the audit branch's 0009_identity at merge)

Revision ID: 0009_identity
Revises: 0008_registers
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_identity'
down_revision = '0008_registers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_hash', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('pin_hash')
