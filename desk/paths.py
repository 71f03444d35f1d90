"""Where desk finds its shipped data and keeps the user's files.

Shipped data lives in the repository's top-level ``data/``; an installed wheel carries the
same folder as ``desk/_data``. Everything else (database, config, workstation state) lives in
the user's data directory from platformdirs, unless overridden.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir() -> Path:
    """The shipped ``data/`` folder, in a wheel or in a source checkout."""
    for candidate in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("desk's shipped data folder is missing; reinstall desk")


def user_dir() -> Path:
    """The per-user folder for the default database, its config and workstation state."""
    override = os.environ.get("DESK_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("desk", appauthor=False))


def default_db_path() -> Path:
    return user_dir() / "desk.db"


def demo_db_path() -> Path:
    """The demo center's own database (``desk --demo``), apart from the user's center."""
    return user_dir() / "demo" / "desk.db"


def sqlite_files(db: Path) -> tuple[Path, ...]:
    """A SQLite database file and the files SQLite keeps beside it: WAL, shared memory, journal."""
    db = Path(db)
    return (db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


def database_file_at(path: Path, db: Path | None) -> Path | None:
    """Which file of the SQLite database ``db`` ``path`` is, or None; nothing is opened.

    Compared by resolved name (a -wal that does not exist yet) and by stat (a hard or symbolic
    link to the database). Only stat: opening and closing a database file in a process that
    holds a connection to it would drop that process's locks (POSIX fcntl semantics).
    """
    if db is None:
        return None
    where = os.path.realpath(path)
    for name in sqlite_files(db):
        if os.path.realpath(name) == where:
            return name
        try:
            if os.path.samefile(path, name):
                return name
        except OSError:
            continue
    return None
