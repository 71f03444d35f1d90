"""Opening the database: where it is, checking it is a desk database, migrating it.

One engine per process. SQLite (the default, a file in the user's data dir) is opened with
WAL so the TUI and ``desk ring`` / ``desk report`` can share it, with foreign keys enforced and
a busy timeout so a second writer waits instead of failing. Any SQLAlchemy URL works through
``DESK_DATABASE_URL`` (PostgreSQL for a shared center database).

Alembic owns the schema from the first table: ``open_database`` upgrades an older database in
place. Alembic is imported only when the database is not already at head, so a normal start
pays nothing for it.
"""

from __future__ import annotations

import os
import random
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk.errors import DatabaseError
from desk.migrations import HEAD
from desk.paths import default_db_path, demo_db_path
from desk.permissions import create_database_file, make_folder

if TYPE_CHECKING:
    # SQLAlchemy is imported where an engine is made: resolving a path and the read-only
    # checks run before it, so the first screen can paint while it loads (desk.dal.first_paint).
    from sqlalchemy.engine import Engine



@dataclass(frozen=True)
class Target:
    """Which database to open: a SQLAlchemy URL and, for SQLite files, the path.

    ``source`` is what chose it, as the user would name it in a message: ``--db``,
    ``--demo``, ``DESK_DATABASE_URL``, ``DESK_DB``, or ``default``.
    """

    url: str
    path: Path | None
    source: str = "default"

    @property
    def description(self) -> str:
        if self.path:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def resolve(db: str | os.PathLike | None = None, *, demo: bool = False) -> Target:
    """The one rule for which database desk uses, for every command, the TUI and the ring hook.

    ``--db PATH`` first, then ``--demo`` (the demo center in the user folder), then
    ``DESK_DATABASE_URL``, then ``DESK_DB``, then the default file in the user folder.
    The command line wins over the environment; ``--db`` with ``--demo`` is refused by the CLI.
    """
    if db is not None:
        return _sqlite_target(Path(db), "--db")
    if demo:
        return _sqlite_target(demo_db_path(), "--demo")
    url = os.environ.get("DESK_DATABASE_URL")
    if url:
        url = with_driver(url)
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            parsed = make_url(url)
        except ArgumentError:
            raise DatabaseError(f"DESK_DATABASE_URL is not a database URL: {url!r}") from None
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            return _sqlite_target(Path(parsed.database), "DESK_DATABASE_URL")
        return Target(url=url, path=None, source="DESK_DATABASE_URL")
    env_path = os.environ.get("DESK_DB")
    if env_path:
        return _sqlite_target(Path(env_path), "DESK_DB")
    return _sqlite_target(default_db_path())


def with_driver(url: str) -> str:
    """``url`` with desk's PostgreSQL driver named when it names none.

    ``postgres://`` and ``postgresql://`` are how PostgreSQL URLs are usually written (libpq,
    hosting dashboards); SQLAlchemy would refuse the first and look for psycopg2 for the
    second. desk installs psycopg 3 (``pip install 'desk[postgres]'``), so both mean
    ``postgresql+psycopg://``. A URL that names its driver is left as it is.
    """
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def _sqlite_target(path: Path, source: str = "default") -> Target:
    path = path.expanduser().resolve()
    return Target(url=f"sqlite:///{path}", path=path, source=source)


def _check_sqlite_file(path: Path) -> None:
    """Refuse, without touching it, a path that cannot be a desk database file."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory; give --db the path of a database file")
    if not path.exists():
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise DatabaseError(f"{parent} is not a directory; cannot create {path.name} there")
        try:
            make_folder(parent)
        except OSError as err:
            raise DatabaseError(f"cannot create the folder {parent}: {err.strerror}") from None
        if not os.access(parent, os.W_OK):
            raise DatabaseError(f"cannot create a database in {parent}: permission denied")
        return
    if not os.access(path, os.R_OK) or not os.access(path, os.W_OK):
        raise DatabaseError(f"{path} cannot be opened for reading and writing: permission denied")
    # Whether it is an SQLite file at all is left to SQLite (_precheck_sqlite_file): a plain
    # open()/close() of the database file in a process that holds a connection to it drops
    # every POSIX lock that process has on it, and the next process to close its own
    # connection then checkpoints and deletes the WAL this one is still writing into.


def _create_sqlite_file(path: Path) -> None:
    """A new database file made with the center's rights (desk.permissions) before SQLite
    makes it with the umask's: its -wal and -shm take the database file's mode."""
    if path.exists():
        return
    try:
        create_database_file(path)
    except OSError as err:
        raise DatabaseError(f"cannot create the database {path}: {err.strerror or err}") from None


# Busy timeouts, in milliseconds: a writer waits this long for another workstation's
# transaction (desk's are a few milliseconds; `desk import` commits in short batches); a
# migration may wait for another workstation's whole migration.
WRITE_WAIT_MS = 5000
MIGRATE_WAIT_MS = 120_000

# PostgreSQL advisory lock keys: one for every write transaction (desk serialises its writes
# exactly as SQLite does, so read-check-write needs nothing more), one for migrations.
PG_WRITE_LOCK = 0x6465736B  # "desk"
PG_MIGRATE_LOCK = 0x6465736D


def _sqlite_connect(dbapi_connection, _record) -> None:
    # desk says BEGIN itself (_sqlite_begin): pysqlite's own BEGIN comes only before the
    # first write, so the reads of a read-check-write would run outside the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # SQLite's own wait, for what desk does not wait for itself (the pragmas below, a
    # checkpoint); desk's writes wait in _begin_immediate, with a busy timeout of 0 there.
    cursor.execute(f"PRAGMA busy_timeout={WRITE_WAIT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    """A write takes the database's write lock when it begins (BEGIN IMMEDIATE), before it
    reads: what it checks cannot change until it commits. Reads begin deferred and never wait."""
    lock = conn.get_execution_options().get("desk_lock")
    if lock is None:
        conn.exec_driver_sql("BEGIN")
        return
    import sqlite3

    from sqlalchemy.exc import OperationalError

    try:
        _begin_immediate(conn.connection.dbapi_connection, MIGRATE_WAIT_MS if lock == "migrate" else WRITE_WAIT_MS)
    except sqlite3.OperationalError as err:  # as SQLAlchemy reports every other database error
        raise OperationalError("BEGIN IMMEDIATE", None, err) from None


def _begin_immediate(dbapi_connection, wait_ms: int) -> None:
    """BEGIN IMMEDIATE, waiting up to ``wait_ms`` for another workstation's write to end.

    desk waits itself rather than through SQLite's busy handler, whose sleeps grow to 100 ms:
    a desk write holds the lock for a few milliseconds, so a waiter that wakes every 100 ms
    keeps losing it to the others and the slowest save of a busy minute took a second. Here
    the sleep doubles from 0.5 ms to at most 4 ms, with jitter so waiters do not wake together
    (`desk import` steps aside longer than that between its batches).
    """
    import sqlite3
    import time

    deadline = time.monotonic() + wait_ms / 1000
    delay = 0.0005
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise
                if time.monotonic() + delay > deadline:
                    raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.004)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={WRITE_WAIT_MS}")


def _postgres_begin(conn) -> None:
    """The same one-writer-at-a-time rule on PostgreSQL: a transaction-scoped advisory lock,
    released by COMMIT or ROLLBACK. Reads (READ COMMITTED) are not blocked by it."""
    lock = conn.get_execution_options().get("desk_lock")
    if lock is not None:
        key = PG_MIGRATE_LOCK if lock == "migrate" else PG_WRITE_LOCK
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")


# Rows SQLite's ANALYZE reads per index when desk closes a connection: enough for the planner
# (https://sqlite.org/lang_analyze.html#approx), and a close stays a few milliseconds.
OPTIMIZE_ANALYSIS_LIMIT = 400


def _sqlite_optimize(dbapi_connection, _record) -> None:
    """``PRAGMA optimize`` as a connection closes, as SQLite recommends: it refreshes the
    planner's statistics of the tables this connection queried when they are missing or
    stale (a center's tables grow 100-fold in their first year). Closing never fails or waits
    on it: a database another workstation is writing (no busy wait here), or a read-only one,
    is left for the next close."""
    import sqlite3

    try:
        dbapi_connection.execute("PRAGMA busy_timeout=0")
        dbapi_connection.execute(f"PRAGMA analysis_limit={OPTIMIZE_ANALYSIS_LIMIT}")
        dbapi_connection.execute("PRAGMA optimize")
    except sqlite3.Error:
        pass


def analyze(engine: Engine) -> None:
    """Refresh the query planner's statistics of every table: after a migration (its new
    indexes have none, and SQLite without them can prefer an index that reads all of
    history) and after an import (thousands of new leads at once). ~1 s on SQLite at a
    million calls; PostgreSQL's autovacuum would get there too, later."""
    from sqlalchemy import text

    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def make_engine(target: Target) -> Engine:
    """An engine for ``target``; a driver that is unknown or not installed is a DatabaseError.

    Transactions opened on ``engine.execution_options(desk_lock="write")`` (the Store's
    writes) or ``desk_lock="migrate"`` hold the database's write lock from their first
    statement; see :func:`_sqlite_begin` and :func:`_postgres_begin`.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if target.path is not None:
        _check_sqlite_file(target.path)
        _create_sqlite_file(target.path)
    options = {} if target.path is not None else {"pool_pre_ping": True}
    try:
        engine = create_engine(target.url, **options)
    except (NoSuchModuleError, ArgumentError) as err:
        scheme = target.url.split(":", 1)[0]
        raise DatabaseError(f"unknown database driver {scheme!r} in the URL ({err})") from None
    except ImportError as err:
        scheme = target.url.split(":", 1)[0]
        raise DatabaseError(f"the database driver for {scheme!r} is not installed: {err.name or err}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "close", _sqlite_optimize)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgres_begin)
    return engine


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision stamped in the database, None for an empty one.

    A database that has tables but no desk revision is somebody else's: refuse it.
    """
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if not names:
                return None
            if "alembic_version" not in names:
                raise DatabaseError(f"{_where(engine)} is not a desk database (it has other tables); it was left untouched")
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None
    except DatabaseError:
        raise
    except SQLAlchemyError as err:
        raise DatabaseError(f"{_where(engine)} cannot be opened as a database: {_first_line(err)}") from None


def _where(engine: Engine) -> str:
    url = engine.url
    return url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def _first_line(err: Exception) -> str:
    return str(getattr(err, "orig", err)).splitlines()[0]


def upgrade(engine: Engine, revision: str = "head", before=None) -> None:
    """Run Alembic's migrations up to ``revision`` on ``engine``, keeping every row;
    ``before(current revision)`` runs first when there is something to upgrade."""
    from desk.migrations.runner import run_upgrade

    run_upgrade(engine, revision, before)


def open_database(db: str | os.PathLike | None = None) -> Engine:
    """Resolve, check, and migrate to head: the one way the app and the CLI get an engine."""
    return make_engine_for(resolve(db))


# One engine per process and database: a second one in the same process would be a second
# pool of connections to the same file, and re-running the file checks for it is what once
# deleted a live WAL. Held weakly: an engine nobody uses any more (a test's) is let go.
_ENGINES: weakref.WeakValueDictionary[str, Engine] = weakref.WeakValueDictionary()
_FILES: dict[str, tuple[int, int]] = {}
_ENGINES_LOCK = threading.Lock()


def make_engine_for(target: Target) -> Engine:
    """The engine on ``target``, checked to be a desk database and migrated to head.

    The same engine is returned to every caller in the process while it is in use and the
    file is the same file (a database replaced on disk gets a new one).
    """
    with _ENGINES_LOCK:
        engine = _ENGINES.get(target.url)
        if engine is not None and _FILES.get(target.url) == _file_id(target.path):
            return engine
        engine = make_engine(target)
        try:
            if target.path is not None:
                _precheck_sqlite_file(target.path)
            revision = current_revision(engine)
            if revision != HEAD:
                _check_revision(revision, target.description)
                upgrade(engine, before=lambda current: _backup_before_upgrade(engine, current))
                if revision is not None:  # a new, empty database has nothing to measure yet
                    analyze(engine)
        except BaseException:
            engine.dispose()
            raise
        _ENGINES[target.url] = engine
        _FILES[target.url] = _file_id(target.path)
    from sqlalchemy import event

    event.listen(engine, "engine_disposed", lambda _engine: _forget(target.url, engine))
    return engine


def _forget(url: str, engine: Engine) -> None:
    """A disposed engine is done with: the next open checks the database afresh."""
    with _ENGINES_LOCK:
        if _ENGINES.get(url) is engine:
            del _ENGINES[url]


def _backup_before_upgrade(engine: Engine, revision: str) -> None:
    """A copy of the center as it was, before a newer desk rewrites its schema.

    A SQLite copy that cannot be made stops the upgrade (the disk is full or the folder
    read-only: better to say so than to migrate with no way back). On PostgreSQL the copy
    needs ``pg_dump`` on this workstation; without it the upgrade goes on and the log says
    so, since the server's own backups are the center's first line there.
    """
    from desk.backup import BackupFailed, backup_before
    from desk.log import logger

    try:
        path = backup_before(engine, "before-upgrade")
    except BackupFailed as err:
        if engine.dialect.name == "sqlite":
            raise DatabaseError(f"not upgrading {_where(engine)} from schema {revision}: no backup could be made ({err})") from None
        logger().warning("no backup before upgrading from schema %s: %s", revision, err)
        return
    logger().info("backed up to %s before upgrading from schema %s", path, revision)


def _file_id(path: Path | None) -> tuple[int, int]:
    """Which file ``path`` is now (device and inode, from stat: the file is never opened)."""
    if path is None:
        return (0, 0)
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)


def checked_sqlite_file(target: Target) -> Path | None:
    """The SQLite file of ``target`` after every read-only refusal has run; None for a URL.

    Lets start-up read the first screen straight from the file before SQLAlchemy is loaded:
    a directory, a foreign or a newer database is refused here exactly as by
    :func:`make_engine_for`, and nothing is written.
    """
    if target.path is None:
        return None
    _check_sqlite_file(target.path)
    _precheck_sqlite_file(target.path)
    return target.path


def _precheck_sqlite_file(path: Path) -> None:
    """Read an existing SQLite file without writing to it, before the engine's pragmas can.

    Connecting through the engine switches the file to WAL, which rewrites its header: a
    foreign database, or one from a newer desk, must be refused before that so it is left
    byte for byte as it was.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    import sqlite3

    # Without a -wal file the main file is the whole database: read it as immutable, so that
    # SQLite creates no -shm/-wal files beside it either.
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True)
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in names else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        if "not a database" in str(err):
            raise DatabaseError(f"{path} is not a desk database (not an SQLite file); it was left untouched") from None
        raise DatabaseError(f"{path} cannot be opened as a desk database ({err}); it was left untouched") from None
    except sqlite3.Error as err:
        raise DatabaseError(f"{path} cannot be opened as a desk database ({err}); it was left untouched") from None
    if names - {"sqlite_sequence"} and "alembic_version" not in names:
        raise DatabaseError(f"{path} is not a desk database (it has other tables); it was left untouched")
    _check_revision(row[0] if row else None, str(path))


def _check_revision(revision: str | None, where: str) -> None:
    """Refuse a schema revision this desk does not know: the database is from a newer desk."""
    if revision is None or revision == HEAD:
        return
    from desk.migrations.runner import known_revisions

    if revision not in known_revisions():
        raise DatabaseError(f"{where} was written by a newer desk (schema {revision}); upgrade desk to open it")
