"""What the first paint shows, read through the DB-API alone, before SQLAlchemy is imported.

Start-up budget (issue 2): importing SQLAlchemy, SQLModel and the models costs about 250 ms,
more than a bare Textual app needs to start and paint. The first screen needs two small
queries (who is on duty; who may sign in, and whether the center has PINs), so on a SQLite
file already at the newest schema desk reads them with :mod:`sqlite3`, paints the home screen
and the sign-in picker over it, and opens the full :class:`~desk.dal.store.Store` in the
background while the person types their PIN (issues 14 and 16). A database that needs
migrating (or any other database) takes the ordinary path: open, migrate, then paint.
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


@dataclass(frozen=True)
class SignInRow:
    """One person who may sign in, with the attributes of ``Staff`` the sign-in picker shows."""

    id: int
    name: str
    role: str
    extension: str | None
    english_name: str | None


@dataclass(frozen=True)
class FirstPaint:
    """The first screen's data: the home screen's roster and the sign-in picker's people.

    ``guarded``: some staff member has a PIN (desk.dal.identity.guarded), so desk asks for one.
    """

    duty: list[DutyRow]
    people: list[SignInRow]
    guarded: bool


def board_order(staff) -> tuple:
    """Consultants first in rotation order, then everyone else by name (``Staff`` or ``DutyRow``)."""
    return (staff.role != "consultant", staff.rotation_position or 0, staff.name)


def first_paint_at_head(path: Path) -> FirstPaint | None:
    """The first screen's data, if ``path`` is a desk database at the newest schema; else None.

    Call :func:`desk.db.checked_sqlite_file` first: it refuses foreign and newer databases
    without writing to them. This read writes nothing either. The picker's people are in
    the order of ``desk.dal.staff.list_staff``, as when the store lists them.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != HEAD:
            return None
        active = conn.execute(
            "SELECT id, name, role, extension, english_name, on_duty, state, rotation_position"
            " FROM staff WHERE active ORDER BY rotation_position IS NULL, rotation_position, name"
        ).fetchall()
        guarded = conn.execute("SELECT EXISTS (SELECT 1 FROM staff WHERE pin_hash IS NOT NULL)").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    duty = [DutyRow(id_, name, role, extension, state, position)
            for id_, name, role, extension, _, on_duty, state, position in active if on_duty]
    return FirstPaint(
        duty=sorted(duty, key=board_order),
        people=[SignInRow(*row[:5]) for row in active],
        guarded=bool(guarded),
    )
