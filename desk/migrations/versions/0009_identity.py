"""the audit trail's hash chain, and the column for a staff member's PIN

``audit.hash`` chains every row to the one before it (desk.rules.audit_chain): the rows
already there are chained here, in id order, a batch at a time. ``staff.pin_hash`` is for
signing in; it starts empty. Both columns are added in place: SQLite cannot rebuild
``staff``, which the foreign keys of almost every table point at.

Revision ID: 0009_identity
Revises: 0008_registers
Create Date: 2026-11-29
"""
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from desk.rules.audit_chain import GENESIS, AuditFields, row_hash

revision = '0009_identity'
down_revision = '0008_registers'
branch_labels = None
depends_on = None

_BATCH = 2000
_audit = sa.table(
    'audit',
    sa.column('id', sa.Integer()), sa.column('at', sa.DateTime(timezone=True)), sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()), sa.column('table_name', sa.String()), sa.column('row_id', sa.Integer()),
    sa.column('changes', sa.String()), sa.column('reason', sa.String()), sa.column('hash', sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pin_hash', sa.String(length=200), nullable=True))
    _chain_existing_rows()


def _chain_existing_rows() -> None:
    """Hash the rows already there, in id order, ``_BATCH`` rows per read and per update."""
    bind = op.get_bind()
    c = _audit.c
    fields = [c.id, c.at, c.actor_id, c.action, c.table_name, c.row_id, c.changes, c.reason]
    update = _audit.update().where(c.id == sa.bindparam('b_id')).values(hash=sa.bindparam('b_hash'))
    prev, last = GENESIS, None
    while True:
        query = sa.select(*fields).order_by(c.id).limit(_BATCH)
        if last is not None:
            query = query.where(c.id > last)
        rows = bind.execute(query).all()
        if not rows:
            return
        hashes = []
        for row in rows:
            at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC)  # SQLite keeps UTC, naive
            prev = row_hash(prev, AuditFields(row.id, at, row.actor_id, row.action, row.table_name, row.row_id,
                                              row.changes, row.reason))
            hashes.append({'b_id': row.id, 'b_hash': prev})
        bind.execute(update, hashes)
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('pin_hash')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_column('hash')
