"""Wiping a center's data rows (``desk demo --force``): the schema and its revision stay.

Only a demo center is ever wiped. It is recognised by the audit row ``build_demo`` writes
(action and table "demo"): every demo database has had it since the builder existed, a center
started with ``desk init`` never has it, and it needs no column or table of its own.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlmodel import Session, SQLModel, col

import desk.models  # noqa: F401  (registers every table)
from desk.dal.store import Store
from desk.models import AuditEntry, Staff


def wipe(session: Session) -> int:
    """Delete every row of every desk table inside ``session``'s transaction; return how many."""
    total = 0
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name == "lead":
            # Leads refer to leads (referred_by): cut those links before deleting.
            session.execute(table.update().values(referred_by_id=None))
        # A DELETE gives a CursorResult (it has the rowcount); Session.execute is typed for any statement.
        total += cast(CursorResult[Any], session.execute(delete(table))).rowcount or 0
    return total


def wipe_all(store: Store) -> int:
    """Delete every data row, in one transaction."""
    with store.write() as session:
        return wipe(session)


def staff_count(store: Store) -> int:
    with store.read() as session:
        return session.execute(select(func.count()).select_from(Staff)).scalar_one()


def is_demo(store: Store) -> bool:
    """Whether the database holds the demo center (``build_demo``'s audit row is there)."""
    marker = select(col(AuditEntry.id)).where(col(AuditEntry.action) == "demo", col(AuditEntry.table_name) == "demo").limit(1)
    with store.read() as session:
        return session.execute(marker).first() is not None
