"""Has the database changed since I last looked? What keeps every workstation's screens live.

The receptionist's board must show, within a second, the state a consultant set on her own
workstation. Re-reading every list on a timer would cost queries and repaints for nothing
most of the time, so desk asks the database itself, cheaply, whether anything was committed:

- SQLite: ``PRAGMA data_version`` on one connection kept open for it. Its value changes when
  any *other* connection commits, in another process or in this one (the Store's pooled
  connections), so desk's own writes count too and need no hook. It costs a few µs, reads no
  table and takes no lock that a writer waits for. The connection is opened through
  :mod:`sqlite3` with a ``file:`` URI, never by opening the file directly: closing a plain
  file descriptor on the database drops SQLite's POSIX locks and can lose the WAL.
- PostgreSQL: ``LISTEN desk_changes`` on a dedicated psycopg 3 connection in autocommit, read
  by a background thread. ``Store.write`` sends ``pg_notify('desk_changes', <tables>)`` inside
  each write transaction, which PostgreSQL delivers at commit to every listening session,
  this process's included. Each time LISTEN is in place (at start, and after a lost connection,
  retried every second) the watcher reports a change: commits made before it listened
  notified nobody.

Both answer :meth:`Watcher.changed` without waiting, so the app can ask four times a second on
its UI thread.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desk.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

CHANNEL = "desk_changes"
_RECONNECT_SECONDS = 1.0
# How long the listening thread waits for a notification before it looks whether it was told
# to stop: also how long a closed watcher's thread lives on.
_WAKE_SECONDS = 0.2


class Watcher(Protocol):
    def changed(self) -> bool:
        """True when something was committed since the last call. A PostgreSQL watcher also
        answers True once it listens (at start, after a lost connection)."""

    def close(self) -> None:
        """Stop watching and let go of the watcher's connection."""


def watch(engine: Engine) -> Watcher:
    """A watcher of the database behind ``engine``, on a connection of its own; a
    DatabaseError when it cannot watch (desk then works on, refreshing when asked)."""
    if engine.dialect.name == "sqlite":
        try:
            assert engine.url.database is not None  # desk's SQLite databases are files
            return SqliteWatcher(Path(engine.url.database))
        except sqlite3.Error as err:
            raise DatabaseError(f"cannot watch {engine.url.database} for changes: {err}") from None
    try:
        return PostgresWatcher(conninfo(engine.url))
    except ImportError:
        raise DatabaseError("watching PostgreSQL for changes needs psycopg 3: pip install 'psycopg[binary]'") from None


class SqliteWatcher:
    """``PRAGMA data_version``, read on the thread that created the watcher."""

    def __init__(self, path: Path) -> None:
        # mode=rw: the watcher never creates the file; the engine already made it.
        self._conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=0.1)
        self._version: int | None = self._read()

    def _read(self) -> int | None:
        try:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return None  # busy or unreadable for a moment: compared as "changed" once it reads again

    def changed(self) -> bool:
        version = self._read()
        if version is None:
            return False
        before, self._version = self._version, version
        return version != before

    def close(self) -> None:
        self._conn.close()


class PostgresWatcher:
    """``LISTEN desk_changes`` in a daemon thread; a notification sets a flag that
    :meth:`changed` reads and clears."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._flag = threading.Event()
        self._stop = threading.Event()
        threading.Thread(target=self._run, name="desk-changes", daemon=True).start()

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._flag.set()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=_WAKE_SECONDS):
                            self._flag.set()
            except psycopg.Error:
                self._stop.wait(_RECONNECT_SECONDS)

    def changed(self) -> bool:
        if not self._flag.is_set():
            return False
        self._flag.clear()
        return True

    def close(self) -> None:
        """The thread sees this within ``_WAKE_SECONDS`` and closes its connection."""
        self._stop.set()


def conninfo(url: URL) -> str:
    """A libpq connection string for ``url``, whichever SQLAlchemy driver it names: the
    watcher connects with psycopg 3 whatever the engine itself uses."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import make_conninfo

    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    try:
        return make_conninfo("", **{key: value for key, value in params.items() if value is not None})
    except ProgrammingError as err:
        raise DatabaseError(f"cannot watch the database for changes: {err}") from None
