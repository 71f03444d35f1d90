"""lead lookup keys

Revision ID: 0002_lookup_keys
Revises: 0001_initial
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_lookup_keys'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def _code_points(length: int) -> sa.String:
    return sa.String(length=length).with_variant(sa.String(length=length, collation='C'), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        # Code point order on PostgreSQL (desk.models.types.code_point_string); SQLite as it was.
        batch_op.add_column(sa.Column('phone_digits', _code_points(32), nullable=True))
        batch_op.add_column(sa.Column('name_pinyin', _code_points(400), nullable=True))
        batch_op.add_column(sa.Column('name_initials', _code_points(100), nullable=True))
        batch_op.create_index(batch_op.f('ix_lead_name_initials'), ['name_initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_name_pinyin'), ['name_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_phone_digits'), ['phone_digits'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_name'), ['name'], unique=False)

    # Fill the keys of the leads already there, with the same function the data layer uses.
    from desk.search_keys import name_keys, phone_digits

    bind = op.get_bind()
    lead = sa.table("lead", sa.column("id"), sa.column("name"), sa.column("phone"),
                    sa.column("phone_digits"), sa.column("name_pinyin"), sa.column("name_initials"))
    rows = bind.execute(sa.select(lead.c.id, lead.c.name, lead.c.phone)).all()
    for row in rows:
        full, initials = name_keys(row.name or "")
        bind.execute(
            lead.update().where(lead.c.id == row.id).values(
                phone_digits=phone_digits(row.phone), name_pinyin=full, name_initials=initials
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_name'))
        batch_op.drop_index(batch_op.f('ix_lead_phone_digits'))
        batch_op.drop_index(batch_op.f('ix_lead_name_pinyin'))
        batch_op.drop_index(batch_op.f('ix_lead_name_initials'))
        batch_op.drop_column('name_initials')
        batch_op.drop_column('name_pinyin')
        batch_op.drop_column('phone_digits')

