"""Whose daily targets (docs/domain.md §7.5) the config names: the roster side of ``[targets.staff]``.

The config loader checks the values of a person's own targets but cannot know who works
here; this module reads the staff, so that the follow-up queue and ``desk config`` can say
which table names no one. :func:`of` gives one person's targets (``rules.targets``) to the
follow-up and outreach counts.

Imports stay light (no SQLAlchemy at import time): ``desk config`` reads the roster of a
SQLite file with :mod:`sqlite3` alone, read-only, and never creates or migrates a database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from desk.rules.targets import DailyTargets

if TYPE_CHECKING:
    from sqlmodel import Session

    from desk.config import Config
    from desk.dal.store import Store
    from desk.models import Staff


def _config(config: Config | None) -> Config:
    if config is None:
        from desk.config import load

        return load(None)
    return config


def of(config: Config | None, person: Staff | None) -> DailyTargets:
    """``person``'s daily targets; None (everyone, the manager's view): the center's."""
    targets = _config(config).targets
    if person is None:
        return targets.daily()
    return targets.daily(person.name, person.english_name)


def of_id(session: Session, config: Config | None, staff_id: int | None) -> DailyTargets:
    """The daily targets of the staff member ``staff_id`` (None: the center's)."""
    from desk.models import Staff

    return of(config, session.get(Staff, staff_id) if staff_id is not None else None)


def problems(store: Store, config: Config) -> list[str]:
    """Each ``[targets.staff]`` table that names no one on the staff, or several people."""
    if not config.targets.staff:
        return []
    from sqlmodel import col, select

    from desk.models import Staff

    with store.read() as session:
        roster = session.exec(select(col(Staff.name), col(Staff.english_name)).order_by(col(Staff.id))).all()
    return config.staff_target_problems(roster)


def roster_in_file(path: Path | None) -> list[tuple[str, str | None]] | None:
    """Everyone on the staff of the SQLite file ``path``, active or not, as (name, English
    name); None when there is no such file or it is no desk database (nothing to check)."""
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return [tuple(row) for row in conn.execute("SELECT name, english_name FROM staff ORDER BY id").fetchall()]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
