"""Backups, restores and checks of a center's database while other workstations use it.

SQLite: every copy goes through SQLite's online backup API, in one step, so it is a single
consistent snapshot (one read transaction) however hard the others write, and it is never a
file copy. No file of a live database is ever ``open()``ed here: POSIX drops *every* fcntl lock
a process holds on a file when any descriptor of that file is closed, so one plain open/close
of ``desk.db`` in a process with a connection (the TUI migrating, ``desk demo --force``) would
let another process checkpoint and delete the WAL under it. Paths are compared by stat only
(:func:`desk.paths.database_file_at`). A restore writes the copy *into* the live database
through the same API, so the connections the other workstations hold see the restored center
instead of an unlinked file.

PostgreSQL: ``pg_dump`` in its custom format, ``pg_restore`` to put one back. The connection
goes to them in the libpq environment (PGHOST, PGUSER, PGPASSWORD …): never a password on a
command line, where ``ps`` shows it, or in a message.

Backups are named ``<database>-<UTC time>-<reason>.db`` (``.dump`` for PostgreSQL), so they sort
by time; the folder keeps the newest ``[backup] keep`` of them and nothing else is ever removed.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desk.errors import DatabaseError, DeskError
from desk.files import replace
from desk.i18n import t
from desk.paths import database_file_at, sqlite_files, user_dir
from desk.permissions import Kind, apply, create_database_file, make_folder

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from desk.db import Target

FOLDER = "backups"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:\.(?P<n>\d+))?-(?P<reason>[a-z0-9-]+)\.(?:db|dump)$")
# How long a copy waits for another workstation's write to finish (SQLite busy timeout, s).
_WAIT = 30


class BackupFailed(DeskError):
    """The copy could not be made, checked or put back (a full disk, pg_dump failing): a
    runtime failure, exit code 1, where a wrong file or option is the user's to fix (exit 2)."""


@dataclass
class Backup:
    """A backup made: its file, what its own integrity check found (the database's problems,
    copied faithfully: a copy of a damaged center is still the best copy there is), and the
    older backups rotation removed."""

    path: Path
    problems: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


@dataclass
class Health:
    """What ``check`` found: ``problems`` (one line each, empty when healthy) and ``notes``."""

    where: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---- where and how many ------------------------------------------------------------------


def target_of(where: Target | Engine) -> Target:
    """The Target of an engine (with its password: pg_dump needs it), or the Target itself."""
    from desk.db import Target, resolve

    if isinstance(where, Target):
        return where
    url = where.url
    if url.get_backend_name() == "sqlite":
        return resolve(url.database)
    return Target(url=url.render_as_string(hide_password=False), path=None)


def default_folder(target: Target) -> Path:
    """``backups/`` beside the database file, or beside the config for a database server."""
    return (target.path.parent if target.path is not None else user_dir()) / FOLDER


def configured_keep(target: Target) -> int:
    """``[backup] keep`` of the center's desk.toml (a broken config is refused as everywhere)."""
    from desk.config import config_path, load

    return load(config_path(target.path)).backup.keep


def _stem(target: Target) -> str:
    if target.path is not None:
        return target.path.stem
    from sqlalchemy.engine import make_url

    return make_url(target.url).database or "desk"


def _new_name(folder: Path, stem: str, reason: str, suffix: str) -> Path:
    """A name after every backup already there: within one second, numbered past the last
    (the newest is never rotated away, so the number only grows)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    taken = [int(m["n"] or 1) for m in map(_NAME.match, (p.name for p in folder.iterdir()))
             if m and m["stem"] == stem and m["stamp"] == stamp]
    n = max(taken, default=0) + 1
    path = folder / (f"{stem}-{stamp}-{reason}{suffix}" if n == 1 else f"{stem}-{stamp}.{n}-{reason}{suffix}")
    while path.exists() or path.is_symlink():  # a file of somebody else's by that name
        n += 1
        path = folder / f"{stem}-{stamp}.{n}-{reason}{suffix}"
    return path


def backups_in(folder: Path, stem: str) -> list[Path]:
    """The backups of database ``stem`` in ``folder``, oldest first (by the time in the name)."""
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == stem and path.is_file():
            found.append(((match["stamp"], int(match["n"] or 1)), path))
    return [path for _, path in sorted(found)]


def rotate(folder: Path, stem: str, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups of ``stem``; return what was removed."""
    old = backups_in(folder, stem)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _folder_ready(folder: Path) -> Path:
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise DeskError(t("backup.not_a_folder", path=folder))
    try:
        make_folder(folder)
    except OSError as err:
        raise DeskError(t("backup.no_folder", path=folder, reason=err.strerror or err)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DeskError(t("backup.no_folder", path=folder, reason=os.strerror(13)))
    return folder


# ---- backing up --------------------------------------------------------------------------


def backup(target: Target, *, folder: Path | None = None, keep: int | None = None,
           reason: str = "manual") -> Backup:
    """Copy the database into ``folder`` (default: ``backups/`` beside it), then keep the newest
    ``keep`` (default: the config's)."""
    keep = configured_keep(target) if keep is None else keep
    if keep < 1:
        raise DeskError(t("backup.bad_keep", keep=keep))
    made = make_backup(target, folder=folder, reason=reason)
    made.removed = rotate(made.path.parent, _stem(target), keep)
    return made


def make_backup(target: Target, *, folder: Path | None = None, reason: str = "manual") -> Backup:
    """One backup, nothing rotated: its file name sorts by the time it was taken."""
    if not re.fullmatch(r"[a-z0-9-]+", reason):
        raise ValueError(f"a backup's reason goes into its file name: lowercase words and '-', not {reason!r}")
    if target.path is None:
        return Backup(_dump_postgres(target, _folder_ready(folder or default_folder(target)), reason))
    db = target.path
    if not db.is_file():
        raise DeskError(t("backup.no_database", path=db))
    with closing(_connect_ro(db)) as source:
        _require_desk(source, db)
        folder = _folder_ready(folder or default_folder(target))
        final = _new_name(folder, db.stem, reason, ".db")
        with _staging(folder, final.name) as temp:
            _copy(source, temp)
            with closing(sqlite3.connect(temp)) as copy:
                problems = _integrity(copy)
            apply(temp, Kind.SHARED)
            replace(temp, final)
    return Backup(final, problems)


def backup_before(where: Target | Engine, reason: str) -> Path | None:
    """An automatic backup before something that rewrites the center (a schema upgrade,
    ``desk demo --force``): None when there is nothing to keep (no file, no tables)."""
    target = target_of(where)
    if target.path is not None:
        if not target.path.is_file():
            return None
        with closing(_connect_ro(target.path)) as conn:
            if not _tables(conn):
                return None
    elif not _server_has_tables(None if where is target else where, target):
        return None
    return backup(target, reason=reason).path


def _server_has_tables(engine: Engine | None, target: Target) -> bool:
    from sqlalchemy import inspect

    from desk.db import make_engine

    own = engine is None
    engine = make_engine(target) if own else engine
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        if own:
            engine.dispose()


@contextmanager
def _staging(folder: Path, name: str) -> Iterator[Path]:
    """A hidden temp file in ``folder`` (never taken for a backup), removed unless renamed."""
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    path = Path(temp)
    try:
        yield path
    except sqlite3.Error as err:
        raise BackupFailed(t("backup.failed", path=path.parent, reason=err)) from None
    except OSError as err:
        raise BackupFailed(t("backup.failed", path=path.parent, reason=err.strerror or err)) from None
    finally:
        for leftover in sqlite_files(path):
            leftover.unlink(missing_ok=True)


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection to a live database: it waits out a writer, never writes it."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_WAIT)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as err:
        raise DatabaseError(t("backup.unreadable", path=path, reason=err)) from None
    return conn


def _tables(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def _require_desk(conn: sqlite3.Connection, where: Path) -> str | None:
    """The desk schema revision of ``conn``'s database; refuse one that is not desk's."""
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in names:
            raise DeskError(t("backup.not_desk", path=where))
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as err:
        raise DeskError(t("backup.damaged", path=where, problem=err)) from None
    return row[0] if row else None


def _copy(source: sqlite3.Connection, dest: Path) -> None:
    """All of ``source`` into the file ``dest`` in one step (one snapshot), as a single file."""
    with closing(sqlite3.connect(dest)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")


def _integrity(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check``: one line per problem."""
    found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    problems = [] if found == ["ok"] else found
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(t("backup.foreign_key", table=table, row=rowid, parent=parent))
    return problems


# ---- restoring ---------------------------------------------------------------------------


def restore(target: Target, file: Path, *, folder: Path | None = None) -> Path | None:
    """Put the center of backup ``file`` in place of ``target``'s; return where the current one
    was kept (None when there was none). ``file`` is checked whole before anything changes."""
    file = Path(file).expanduser()
    if database_file_at(file, target.path) is not None:  # by name: its -wal need not be there now
        raise DeskError(t("backup.restore_itself", path=file))
    if not file.is_file():
        raise DeskError(t("backup.no_file", path=file))
    if target.path is None:
        return _restore_postgres(target, file, folder)
    db = target.path
    # Staged beside the database (the same disk; a refused file leaves no trace but the temp's).
    with _staging(_folder_ready(db.parent), f"restore-{file.name}") as temp:
        _stage(file, temp)
        kept = make_backup(target, folder=folder, reason="before-restore").path if _live_center(db) else None
        _put_back(temp, db)
    return kept


def _stage(file: Path, temp: Path) -> None:
    """Copy ``file`` to ``temp``, check it is a whole desk database, bring it to this desk's schema."""
    try:
        with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as source:
            _copy(source, temp)
    except sqlite3.DatabaseError as err:
        raise DeskError(t("backup.damaged", path=file, problem=err)) from None
    with closing(sqlite3.connect(temp)) as conn:
        try:
            problems = _integrity(conn)
        except sqlite3.DatabaseError as err:
            problems = [str(err)]
        if problems:
            raise DeskError(t("backup.damaged", path=file, problem=problems[0]))
        revision = _require_desk(conn, file)
    from desk.migrations import HEAD
    from desk.migrations.runner import known_revisions, run_upgrade

    if revision is None:
        raise DeskError(t("backup.not_desk", path=file))
    if revision not in known_revisions():
        raise DeskError(f"{file}: {t('backup.check_newer', revision=revision)}")
    if revision != HEAD:
        from desk.db import make_engine, resolve

        engine = make_engine(resolve(temp))
        try:
            run_upgrade(engine)
        finally:
            engine.dispose()


def _live_center(db: Path) -> bool:
    """Whether there is a database at ``db`` to keep aside; refuse one that is not desk's."""
    if not db.is_file():
        return False
    with closing(_connect_ro(db)) as conn:
        if not _tables(conn):
            return False
        _require_desk(conn, db)
    return True


def _put_back(temp: Path, db: Path) -> None:
    """Write ``temp`` into the live database through the backup API, as one write transaction."""
    new = not db.exists()
    try:
        if new:
            create_database_file(db)
        with closing(sqlite3.connect(temp)) as source, closing(sqlite3.connect(db, timeout=_WAIT)) as live:
            if not new:
                # A WAL database cannot change its page size: give the copy the live one's.
                size = live.execute("PRAGMA page_size").fetchone()[0]
                if source.execute("PRAGMA page_size").fetchone()[0] != size:
                    source.execute("PRAGMA journal_mode=DELETE")
                    source.execute(f"PRAGMA page_size={int(size)}")
                    source.execute("VACUUM")
            source.backup(live)
            live.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as err:
        raise BackupFailed(t("backup.restore_failed", path=db, reason=err)) from None
    except OSError as err:
        raise BackupFailed(t("backup.restore_failed", path=db, reason=err.strerror or err)) from None


# ---- checking ----------------------------------------------------------------------------


def check(target: Target) -> Health:
    """What is wrong with the database, read only: SQLite's own checks, or for a server the
    connection, the schema revision and the rows per table (PostgreSQL checks its own pages)."""
    if target.path is None:
        return _check_postgres(target)
    db = target.path
    health = Health(where=str(db))
    if not db.is_file():
        raise DeskError(t("backup.no_database", path=db))
    try:
        conn = _connect_ro(db)
    except DatabaseError as err:
        health.problems.append(str(err))
        return health
    with closing(conn):
        try:
            revision = _require_desk(conn, db)
            if revision is None:
                raise DeskError(t("backup.not_desk", path=db))
            health.problems = _integrity(conn)
        except DeskError as err:
            health.problems.append(str(err))
            return health
        except sqlite3.DatabaseError as err:
            health.problems.append(str(err))
            return health
        _note_revision(health, revision)
        if not health.problems:
            tables = [row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            rows = sum(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables)
            health.notes.append(t("backup.check_ok", where=db, tables=len(tables), rows=rows))
    return health


def _note_revision(health: Health, revision: str | None) -> None:
    from desk.migrations import HEAD
    from desk.migrations.runner import known_revisions

    if revision == HEAD:
        return
    if revision not in known_revisions():
        health.problems.append(t("backup.check_newer", revision=revision))
    else:
        health.notes.append(t("backup.check_older", revision=revision, head=HEAD))


def _check_postgres(target: Target) -> Health:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    from desk.db import current_revision, make_engine

    health = Health(where=target.description)
    engine = make_engine(target)
    try:
        revision = current_revision(engine)
        if revision is None:
            health.problems.append(t("backup.not_desk", path=target.description))
            return health
        _note_revision(health, revision)
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            for name in names:
                count = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                health.notes.append(t("backup.check_table", table=name, rows=count))
        health.notes.append(t("backup.check_server", where=target.description, tables=len(names)))
    except SQLAlchemyError as err:
        health.problems.append(str(getattr(err, "orig", err)).splitlines()[0])
    finally:
        engine.dispose()
    return health


# ---- PostgreSQL --------------------------------------------------------------------------


def _pg_env(target: Target) -> dict[str, str]:
    """The libpq environment for the tools: the URL's parts, the password included."""
    from sqlalchemy.engine import make_url

    url = make_url(target.url)
    env = dict(os.environ)
    parts = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": str(url.port) if url.port else url.query.get("port"),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    env.update({key: str(value) for key, value in parts.items() if value})
    return env


def _pg_program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupFailed(t("backup.no_tool", tool=name))
    return program


def _pg_tool(name: str, args: list[str], target: Target) -> None:
    done = subprocess.run([_pg_program(name), *args], env=_pg_env(target), capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupFailed(t("backup.tool_failed", tool=name, reason=lines[0] if lines else done.returncode))


def _dump_postgres(target: Target, folder: Path, reason: str) -> Path:
    final = _new_name(folder, _stem(target), reason, ".dump")
    with _staging(folder, final.name) as temp:
        _pg_tool("pg_dump", ["--format=custom", "--file", str(temp)], target)
        apply(temp, Kind.SHARED)
        replace(temp, final)
    return final


def _restore_postgres(target: Target, file: Path, folder: Path | None) -> Path:
    listing = subprocess.run([_pg_program("pg_restore"), "--list", str(file)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise DeskError(t("backup.not_a_dump", path=file))
    if not re.search(r"TABLE DATA \S+ alembic_version ", listing.stdout):
        raise DeskError(t("backup.not_desk", path=file))
    kept = make_backup(target, folder=folder, reason="before-restore").path
    from sqlalchemy.engine import make_url

    database = make_url(target.url).database or ""
    _pg_tool("pg_restore", ["--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges",
                            "--dbname", database, str(file)], target)
    from desk.db import make_engine_for

    make_engine_for(target).dispose()  # an older backup: brought to this desk's schema
    return kept
