"""Wiping a center's data rows (``desk demo --force``): the schema and its revision stay."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlmodel import Session, SQLModel

import desk.models  # noqa: F401  (registers every table)
from desk.dal.store import Store
from desk.models import Staff


def wipe(session: Session) -> int:
    """Delete every row of every desk table inside ``session``'s transaction; return how many."""
    total = 0
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name == "lead":
            # Leads refer to leads (referred_by): cut those links before deleting.
            session.execute(table.update().values(referred_by_id=None))
        total += session.execute(delete(table)).rowcount or 0
    return total


def wipe_all(store: Store) -> int:
    """Delete every data row, in one transaction."""
    with store.write() as session:
        return wipe(session)


def staff_count(store: Store) -> int:
    with store.read() as session:
        return session.execute(select(func.count()).select_from(Staff)).scalar_one()
