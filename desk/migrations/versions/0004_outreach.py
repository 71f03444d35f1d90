"""outreach activities, who ran them, the leads collected

New tables only: every existing row stays as it was.

Revision ID: 0004_outreach
Revises: 0003_lecture_bookings
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_outreach'
down_revision = '0003_lecture_bookings'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outreach',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_day'), ['day'], unique=False)

    op.create_table('outreach_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outreach_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('collector_id', sa.Integer(), nullable=False),
    sa.Column('new_lead', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['collector_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['lead_id'], ['lead.id'], ),
    sa.ForeignKeyConstraint(['outreach_id'], ['outreach.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('outreach_id', 'lead_id', name='uq_outreach_contact_once')
    )
    with op.batch_alter_table('outreach_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_contact_collector_id'), ['collector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_contact_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_contact_outreach_id'), ['outreach_id'], unique=False)

    op.create_table('outreach_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outreach_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['outreach_id'], ['outreach.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('outreach_id', 'staff_id', name='uq_outreach_staff_once')
    )
    with op.batch_alter_table('outreach_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_staff_outreach_id'), ['outreach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_staff_staff_id'), ['staff_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outreach_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_staff_staff_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_staff_outreach_id'))

    op.drop_table('outreach_staff')
    with op.batch_alter_table('outreach_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_contact_outreach_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_contact_lead_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_contact_collector_id'))

    op.drop_table('outreach_contact')
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_day'))

    op.drop_table('outreach')
