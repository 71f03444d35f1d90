"""lead keys by both readings of a special surname (曾 "zeng" and "ceng")

Adds the everyday reading's keys beside the surname reading's and recomputes the keys of
every lead with the same function the data layer uses: names starting with 曾, 单, 解, 仇,
查, 覃, 区, 朴, 盖, 缪 or 柏 were keyed by the everyday reading only.

Revision ID: 0007_surname_readings
Revises: 0006_audit_action_index
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_surname_readings'
down_revision = '0006_audit_action_index'
branch_labels = None
depends_on = None


def _code_points(length: int) -> sa.String:
    return sa.String(length=length).with_variant(sa.String(length=length, collation='C'), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        # Code point order on PostgreSQL (desk.models.types.code_point_string); SQLite as it was.
        batch_op.add_column(sa.Column('name_pinyin_other', _code_points(400), nullable=True))
        batch_op.add_column(sa.Column('name_initials_other', _code_points(100), nullable=True))
        batch_op.create_index(batch_op.f('ix_lead_name_pinyin_other'), ['name_pinyin_other'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_name_initials_other'), ['name_initials_other'], unique=False)

    # Only names starting with one of the surnames change: the others keep the keys they have.
    from desk.search_keys import SURNAME_READINGS, name_keys, other_name_keys

    bind = op.get_bind()
    lead = sa.table("lead", sa.column("id"), sa.column("name"), sa.column("name_pinyin"), sa.column("name_initials"),
                    sa.column("name_pinyin_other"), sa.column("name_initials_other"))
    starts = sa.or_(*(sa.func.ltrim(lead.c.name).like(surname + "%") for surname in SURNAME_READINGS))
    rows = bind.execute(sa.select(lead.c.id, lead.c.name).where(starts)).all()
    for row in rows:
        full, initials = name_keys(row.name or "")
        other_full, other_initials = other_name_keys(row.name or "")
        bind.execute(
            lead.update().where(lead.c.id == row.id).values(
                name_pinyin=full, name_initials=initials, name_pinyin_other=other_full, name_initials_other=other_initials
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_name_initials_other'))
        batch_op.drop_index(batch_op.f('ix_lead_name_pinyin_other'))
        batch_op.drop_column('name_initials_other')
        batch_op.drop_column('name_pinyin_other')
