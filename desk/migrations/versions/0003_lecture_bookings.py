"""lecture bookings: who booked, when, and one booking per person per lecture

Revision ID: 0003_lecture_bookings
Revises: 0002_lookup_keys
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_lecture_bookings'
down_revision = '0002_lookup_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Before the unique index: fold any duplicate booking into the first one of its pair,
    # keeping "attended" if either row had it. PostgreSQL has no max() of booleans: take the
    # max of 1/0, which is what SQLite stores for them anyway.
    bind = op.get_bind()
    booking = sa.table("lecture_booking", sa.column("id"), sa.column("lecture_id"), sa.column("lead_id"), sa.column("attended"))
    attended_01 = sa.case((booking.c.attended, 1), else_=0)
    dupes = bind.execute(
        sa.select(booking.c.lecture_id, booking.c.lead_id, sa.func.min(booking.c.id), sa.func.max(attended_01))
        .group_by(booking.c.lecture_id, booking.c.lead_id).having(sa.func.count() > 1)
    ).all()
    for lecture_id, lead_id, keep, attended in dupes:
        pair = (booking.c.lecture_id == lecture_id) & (booking.c.lead_id == lead_id)
        bind.execute(booking.delete().where(pair, booking.c.id != keep))
        bind.execute(booking.update().where(booking.c.id == keep).values(attended=bool(attended)))

    with op.batch_alter_table('lecture_booking', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booked_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('booked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_lecture_booking_booked_by_id_staff', 'staff', ['booked_by_id'], ['id'])
        batch_op.create_index('ix_lecture_booking_once', ['lecture_id', 'lead_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('lecture_booking', schema=None) as batch_op:
        batch_op.drop_index('ix_lecture_booking_once')
        batch_op.drop_constraint('fk_lecture_booking_booked_by_id_staff', type_='foreignkey')
        batch_op.drop_column('booked_at')
        batch_op.drop_column('booked_by_id')
