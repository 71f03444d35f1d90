"""Ids written by hand, and the sequences that must then move past them.

Every desk write takes its id from the database, except the demo builder, which numbers its
rows itself so the whole center is one batched flush. SQLite hands out max(id) + 1 anyway;
PostgreSQL draws from a sequence per table, which knows nothing of ids written past it and
would hand out 1 next, a duplicate key on the first ordinary insert. ``move_sequences_past_ids``
is what a writer of explicit ids calls at the end, in its transaction. ``pk`` reads the id of a
row that has one.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import text
from sqlmodel import Session, SQLModel

import desk.models  # noqa: F401  (registers every table)


def move_sequences_past_ids(session: Session) -> None:
    """Set each table's id sequence so its next id is max(id) + 1 (1 for an empty table).

    A no-op on SQLite. Flushes first, so rows added to ``session`` count.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    session.flush()
    quote = bind.dialect.identifier_preparer.quote
    for table in SQLModel.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        name = quote(table.name)
        session.execute(
            text(f"SELECT setval(pg_get_serial_sequence(:table, 'id'), coalesce(max(id), 0) + 1, false) FROM {name}"),
            {"table": name},
        )


class _Row(Protocol):
    id: int | None


def pk(row: _Row) -> int:
    """The id of a row that is in the database (read from it, or flushed to it).

    The models declare ``id: int | None`` because a row has none until the database gives it
    one; from then on it is an int, and this says so to the type checker.
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: it was never flushed")
    return row.id
