"""The home screen's roster read through the DB-API alone, before SQLAlchemy is imported.

Start-up budget (issue 2): importing SQLAlchemy, SQLModel and the models costs about 250 ms,
more than a bare Textual app needs to start and paint. The first screen needs one small
query, so on a SQLite file already at the newest schema desk reads it with :mod:`sqlite3`,
paints, and opens the full :class:`~desk.dal.store.Store` in the background. A database that
needs migrating (or any other database) takes the ordinary path: open, migrate, then paint.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desk.migrations import HEAD


@dataclass(frozen=True)
class DutyRow:
    """One person on duty, with the attributes of ``Staff`` the home screen shows."""

    id: int
    name: str
    role: str
    extension: str | None
    state: str
    rotation_position: int | None


def board_order(staff) -> tuple:
    """Consultants first in rotation order, then everyone else by name (``Staff`` or ``DutyRow``)."""
    return (staff.role != "consultant", staff.rotation_position or 0, staff.name)


def roster_at_head(path: Path) -> list[DutyRow] | None:
    """Everyone on duty, if ``path`` is a desk database at the newest schema; else None.

    Call :func:`desk.db.checked_sqlite_file` first: it refuses foreign and newer databases
    without writing to them. This read writes nothing either.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != HEAD:
            return None
        rows = conn.execute(
            "SELECT id, name, role, extension, state, rotation_position FROM staff WHERE active AND on_duty"
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return sorted((DutyRow(*row) for row in rows), key=board_order)
