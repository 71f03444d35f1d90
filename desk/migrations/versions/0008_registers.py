"""channel partners, referrers, recordings on notes, merged leads, the checks' verdicts

New columns are nullable and the new table starts empty: every existing row stays as it was.
The referred-by index serves the month report's referrals per referrer.

Revision ID: 0008_registers
Revises: 0007_surname_readings
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_registers'
down_revision = '0007_surname_readings'
branch_labels = None
depends_on = None


def _code_points(length: int) -> sa.String:
    return sa.String(length=length).with_variant(sa.String(length=length, collation='C'), 'postgresql')


def upgrade() -> None:
    op.create_table('partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', _code_points(100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_name'), ['name'], unique=True)

    _add_reference('lead', 'referred_by_staff_id', 'staff')
    _add_reference('lead', 'partner_id', 'partner')
    _add_reference('lead', 'merged_into_id', 'lead')
    _add_reference('lead', 'flag_checked_by_id', 'staff')
    _add_reference('call', 'partner_id', 'partner')
    _add_reference('visit', 'partner_id', 'partner')
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flag_verdict', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('flag_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flag_check_note', sa.String(), nullable=True))
        for column in ('referred_by_id', 'referred_by_staff_id', 'partner_id', 'merged_into_id', 'flag_checked_at'):
            batch_op.create_index(batch_op.f(f'ix_lead_{column}'), [column], unique=False)
    for table in ('call', 'visit'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_partner_id'), ['partner_id'], unique=False)

    with op.batch_alter_table('consult_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording_ref', sa.String(length=200), nullable=True))


def _add_reference(table: str, column: str, target: str) -> None:
    """Add a nullable column referencing ``target.id`` without copying the table.

    SQLite adds a column with its REFERENCES clause in place; batch mode would rebuild ``lead``,
    which the foreign keys of every call, visit and note pointing at it forbid.
    """
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE "{table}" ADD COLUMN {column} INTEGER REFERENCES "{target}" (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(f'fk_{table}_{column}_{target}', table, target, [column], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('consult_note', schema=None) as batch_op:
        batch_op.drop_column('recording_ref')

    for table in ('visit', 'call'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_partner_id_partner', type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_partner_id'))
            batch_op.drop_column('partner_id')

    with op.batch_alter_table('lead', schema=None) as batch_op:
        for name in ('flag_checked_by_id_staff', 'merged_into_id_lead', 'partner_id_partner', 'referred_by_staff_id_staff'):
            batch_op.drop_constraint(f'fk_lead_{name}', type_='foreignkey')
        for column in ('flag_checked_at', 'merged_into_id', 'partner_id', 'referred_by_staff_id', 'referred_by_id'):
            batch_op.drop_index(batch_op.f(f'ix_lead_{column}'))
        for column in ('flag_check_note', 'flag_checked_by_id', 'flag_checked_at', 'flag_verdict', 'merged_into_id',
                       'partner_id', 'referred_by_staff_id'):
            batch_op.drop_column(column)

    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_name'))
    op.drop_table('partner')
