"""desk backup, restore and check, and demo --force: copies that are whole while other
processes write, rotation, restores that the other workstations see, refusals that leave the
center as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.backup import backup, backup_before, backups_in
from desk.db import make_engine, open_database, resolve, upgrade
from desk.migrations import HEAD
from desk.paths import sqlite_files
from tests.helpers import ROOT, assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")  # the commands speak English here


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def staff_names(db: Path) -> list[str]:
    return [name for (name,) in rows(db, "SELECT name FROM staff ORDER BY id")]


def integrity(db: Path) -> list[str]:
    return [row[0] for row in rows(db, "PRAGMA integrity_check")]


@pytest.fixture
def center(tmp_path) -> Path:
    """A real center (not the demo): two staff on a migrated SQLite file."""
    db = tmp_path / "center" / "desk.db"
    for name, role in (("王芳", "consultant"), ("赵敏", "receptionist")):
        assert desk("--db", str(db), "staff", "add", name, "--role", role).exit_code == 0
    return db


# ---- a backup while another process writes -------------------------------------------------

WRITER = """
import os, sys
from sqlalchemy import text
from desk.db import open_database

engine = open_database(sys.argv[1])
stop = sys.argv[2]
n = 0
while not os.path.exists(stop) and n < 200_000:  # until the test has its backups (bounded)
    # Two rows per transaction: a backup that cut a transaction in half would hold one.
    with engine.begin() as conn:
        for _ in range(2):
            conn.execute(text("INSERT INTO audit (at, action, table_name, row_id, changes) "
                              "VALUES (CURRENT_TIMESTAMP, 'pair', 'test', :n, '{}')"), {"n": n})
    n += 1
    print(n, flush=True)
"""


def pairs(db: Path) -> list[tuple[int, int]]:
    return rows(db, "SELECT row_id, count(*) FROM audit WHERE action = 'pair' GROUP BY row_id ORDER BY row_id")


def test_backup_while_another_process_writes_is_one_consistent_snapshot(center, tmp_path):
    # The writer writes until told to stop, after the backups and one more transaction of
    # its own: every backup is taken while it writes, however slow the machine is.
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(center), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "1"  # it is writing
        made = []
        for _ in range(4):
            result = desk("--db", str(center), "backup", "--keep", "10")
            assert result.exit_code == 0, result.output
            made.append(Path(result.stdout.split("Backup: ", 1)[1].split("\n", 1)[0]))
            time.sleep(0.05)
        last = writer.stdout.readline()  # one more transaction after the last backup
        still_writing = writer.poll() is None
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    written = int((out.split() or [last])[-1])  # the writer's transactions, all committed
    assert writer.returncode == 0, err  # the writer never saw an error, never waited out
    assert still_writing, "the writer stopped before it was told to"
    counts = []
    for copy in made:
        assert copy.parent == center.parent / "backups" and copy.name.startswith("desk-")
        assert integrity(copy) == ["ok"]
        got = pairs(copy)
        # Whole transactions only, and every one before the last: a snapshot, not a mix.
        assert got == [(n, 2) for n in range(len(got))]
        assert staff_names(copy) == ["王芳", "赵敏"]
        assert rows(copy, "PRAGMA journal_mode") == [("delete",)]  # one file, no -wal beside it
        assert not Path(f"{copy}-wal").exists()
        counts.append(len(got))
    assert counts == sorted(counts) and counts[0] > 0 and counts[-1] < written
    assert pairs(center) == [(n, 2) for n in range(written)]  # nothing the writer wrote was lost
    assert integrity(center) == ["ok"]


# ---- keeping the newest N ------------------------------------------------------------------


def test_keep_n_removes_only_the_oldest_backups(center, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    others = [folder / "notes.txt", folder / "desk-old.db", folder / "other-20260101T000000Z-manual.db"]
    for path in others:
        path.write_text("not desk's to remove", encoding="utf-8")
    made = []
    for _ in range(4):
        result = desk("--db", str(center), "backup", "--to", str(folder), "--keep", "2")
        assert result.exit_code == 0, result.output
        made.append(Path(result.stdout.split("Backup: ", 1)[1].split("\n", 1)[0]))
    assert "Removed 1 older backups" in result.stdout
    assert backups_in(folder, "desk") == made[-2:]
    assert sorted(p for p in folder.iterdir()) == sorted(made[-2:] + others)
    assert all(p.read_text(encoding="utf-8") == "not desk's to remove" for p in others)


def test_keep_comes_from_the_config(center):
    (center.parent / "desk.toml").write_text("[backup]\nkeep = 1\n", encoding="utf-8")
    for _ in range(3):
        assert desk("--db", str(center), "backup").exit_code == 0
    assert len(backups_in(center.parent / "backups", "desk")) == 1
    (center.parent / "desk.toml").write_text("[backup]\nkeep = 0\n", encoding="utf-8")
    assert_one_line_error(desk("--db", str(center), "backup"), "backup.keep", "1 or more")
    assert_one_line_error(desk("--db", str(center), "backup", "--keep", "0"), "--keep")


def test_backup_refusals(tmp_path, center):
    assert_one_line_error(desk("--db", str(tmp_path / "none.db"), "backup"), "no database")
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "backups").exists()
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE mine (x)")
    assert_one_line_error(desk("--db", str(foreign), "backup"), "not a desk database")
    assert_one_line_error(desk("--db", str(center), "backup", "--to", str(center)), "not a folder")
    assert not (tmp_path / "backups").exists() and not (center.parent / "backups").exists()


def test_backup_before_keeps_a_center_and_skips_an_empty_database(tmp_path, center, monkeypatch):
    assert backup_before(resolve(tmp_path / "missing.db"), "before-upgrade") is None
    engine = make_engine(resolve(tmp_path / "empty.db"))  # a database with no tables yet
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA user_version").scalar_one()
        assert (tmp_path / "empty.db").exists()
        assert backup_before(engine, "before-upgrade") is None
    finally:
        engine.dispose()
    assert not (tmp_path / "backups").exists()
    live = open_database(center)
    opened = []

    def spy(real):
        def opening(path, *args, **kwargs):
            if isinstance(path, (str, bytes, os.PathLike)):
                opened.append(os.path.realpath(path))
            return real(path, *args, **kwargs)
        return opening

    import builtins
    import io

    for module, name in ((os, "open"), (builtins, "open"), (io, "open")):
        monkeypatch.setattr(module, name, spy(getattr(module, name)))
    try:
        with live.connect() as conn:  # an open connection in this process: its locks must hold
            conn.exec_driver_sql("SELECT count(*) FROM staff").scalar_one()
            made = backup_before(live, "before-upgrade")
            monkeypatch.undo()
            # Python never opened a file of the database (SQLite's own opens keep its locks).
            assert not {str(p) for p in sqlite_files(center)} & set(opened)
            assert made.name.endswith("-before-upgrade.db") and made.parent == center.parent / "backups"
            assert staff_names(made) == ["王芳", "赵敏"]
            conn.exec_driver_sql("INSERT INTO staff (name, role, state, on_duty, active, is_new, created_at) "
                                 "VALUES ('林涛', 'teacher', 'free', 0, 1, 0, '2026-11-26 02:00:00')")
            conn.commit()
    finally:
        live.dispose()
    assert staff_names(center) == ["王芳", "赵敏", "林涛"]


# ---- restoring -----------------------------------------------------------------------------


def test_restore_round_trip_is_seen_by_open_connections(center):
    copy = backup(resolve(center), keep=10).path
    assert desk("--db", str(center), "staff", "add", "林涛", "--role", "teacher").exit_code == 0
    workstation = sqlite3.connect(center)  # another workstation, connected before the restore
    try:
        assert len(workstation.execute("SELECT name FROM staff").fetchall()) == 3
        result = desk("--db", str(center), "restore", str(copy), "--force")
        assert result.exit_code == 0, result.output
        assert f"Restored {copy} into {center}" in result.stdout
        # The same open connection reads the restored center: it was written into the live file.
        assert [n for (n,) in workstation.execute("SELECT name FROM staff ORDER BY id")] == ["王芳", "赵敏"]
    finally:
        workstation.close()
    kept = Path(result.stdout.split("kept in ", 1)[1].split("\n", 1)[0])
    assert kept.name.endswith("-before-restore.db") and staff_names(kept) == ["王芳", "赵敏", "林涛"]
    assert staff_names(center) == ["王芳", "赵敏"] and integrity(center) == ["ok"]
    assert rows(center, "PRAGMA journal_mode") == [("wal",)]
    assert desk("--db", str(center), "staff", "add", "何雪", "--role", "head_teacher").exit_code == 0
    assert copy.exists()  # the backup restored from is still there


def test_restore_onto_a_new_machine_and_an_older_schema_is_upgraded(tmp_path, center):
    old = tmp_path / "old.db"
    engine = make_engine(resolve(old))
    upgrade(engine, "0003_lecture_bookings")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO staff (name, role, state, on_duty, active, is_new, created_at) "
                             "VALUES ('周强', 'manager', 'free', 0, 1, 0, '2026-11-26 02:00:00')")
    engine.dispose()
    fresh = tmp_path / "new-machine" / "desk.db"
    result = desk("--db", str(fresh), "restore", str(old), "--force")
    assert result.exit_code == 0, result.output
    assert "kept in" not in result.stdout  # nothing was there to keep
    assert staff_names(fresh) == ["周强"]
    assert rows(fresh, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert rows(old, "SELECT version_num FROM alembic_version") == [("0003_lecture_bookings",)]  # untouched


def test_restore_of_a_copy_with_another_page_size(center, tmp_path):
    copy = backup(resolve(center), folder=tmp_path / "copies", keep=10).path
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA page_size=8192")
        conn.execute("VACUUM")
    assert rows(copy, "PRAGMA page_size") == [(8192,)]
    assert desk("--db", str(center), "staff", "add", "林涛", "--role", "teacher").exit_code == 0
    result = desk("--db", str(center), "restore", str(copy), "--force")
    assert result.exit_code == 0, result.output
    assert staff_names(center) == ["王芳", "赵敏"] and integrity(center) == ["ok"]
    assert rows(center, "PRAGMA page_size") == [(4096,)] and rows(center, "PRAGMA journal_mode") == [("wal",)]


def damaged_copy(center: Path, tmp_path: Path) -> Path:
    copy = backup(resolve(center), folder=tmp_path / "damaged", keep=10).path
    data = bytearray(copy.read_bytes())
    page = rows(copy, "PRAGMA page_size")[0][0]
    for start in range(page * 2, len(data), page):  # every page after the schema: garbage
        data[start:start + 64] = b"\xff" * 64
    copy.write_bytes(bytes(data))
    return copy


def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(center, tmp_path):
    assert desk("--db", str(center), "staff", "add", "林涛", "--role", "teacher").exit_code == 0
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE mine (x)")
    cases = [
        (damaged_copy(center, tmp_path), "damaged"),
        (garbage, "damaged"),
        (foreign, "not a desk database"),
        (tmp_path / "nothing.db", "no such file"),
        (center, "the database itself"),
        (Path(f"{center}-wal"), "the database itself"),
    ]
    for file, words in cases:
        assert_one_line_error(desk("--db", str(center), "restore", str(file), "--force"), words)
    assert staff_names(center) == ["王芳", "赵敏", "林涛"] and integrity(center) == ["ok"]
    assert not (center.parent / "backups").exists()  # refused before anything was kept aside
    assert not (tmp_path / "nothing.db").exists()


def test_restore_asks_at_a_terminal_and_needs_force_without_one(center, monkeypatch):
    copy = backup(resolve(center), keep=10).path
    assert desk("--db", str(center), "staff", "add", "林涛", "--role", "teacher").exit_code == 0
    assert_one_line_error(desk("--db", str(center), "restore", str(copy)), "--force")
    monkeypatch.setattr("desk.cli.common.interactive", lambda: True)
    result = desk("--db", str(center), "restore", str(copy), input="n\n")
    assert result.exit_code == 1 and "aborted" in result.stderr
    assert staff_names(center) == ["王芳", "赵敏", "林涛"]
    result = desk("--db", str(center), "restore", str(copy), input="y\n")
    assert result.exit_code == 0, result.output
    assert staff_names(center) == ["王芳", "赵敏"]


# ---- checking ------------------------------------------------------------------------------


def test_check_says_ok_on_a_healthy_center(center):
    result = desk("--db", str(center), "check")
    assert result.exit_code == 0, result.output
    tables = [n for (n,) in rows(center, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    total = sum(rows(center, f'SELECT count(*) FROM "{name}"')[0][0] for name in tables)
    assert total == 2 + 2 + 1  # two staff, their two audit rows, the schema revision
    assert result.stdout.strip().splitlines() == [
        f"{center}: no problems found (integrity, foreign keys); {len(tables)} tables, {total} rows"
    ]


def test_check_finds_a_broken_reference_and_a_damaged_file(center, tmp_path):
    with sqlite3.connect(center) as conn:  # foreign keys are off in a bare connection
        conn.execute("INSERT INTO follow_up (kind, owner_id, due_at, created_at) "
                     "VALUES ('callback', 99, '2026-11-26 10:00:00', '2026-11-26 09:00:00')")
    before = center.stat().st_size
    result = desk("--db", str(center), "check")
    assert result.exit_code == 1
    assert result.stdout.strip().splitlines() == [
        "table follow_up, row 1: refers to a row of staff that does not exist"
    ]
    assert result.stderr.strip() == f"desk: {center}: 1 problem(s) found"
    assert center.stat().st_size == before
    # A backup of a center with a problem is still kept (the best copy there is), with a warning.
    result = desk("--db", str(center), "backup")
    assert result.exit_code == 0 and "Backup: " in result.stdout
    assert result.stderr.strip().startswith("desk: the backup holds the database's own 1 problem(s)")
    result = desk("--db", str(damaged_copy(center, tmp_path)), "check")
    assert result.exit_code == 1 and result.stdout.strip() and "Traceback" not in result.output
    assert_one_line_error(desk("--db", str(tmp_path / "none.db"), "check"), "no database")
    assert not (tmp_path / "none.db").exists()


# ---- demo --force --------------------------------------------------------------------------


def test_demo_force_refuses_a_real_center(center):
    assert_one_line_error(desk("--db", str(center), "demo", "--days", "3", "--force"), "real center", "not the demo")
    assert staff_names(center) == ["王芳", "赵敏"]
    assert not (center.parent / "backups").exists()


def test_demo_force_backs_the_demo_up_first(tmp_path, monkeypatch):
    db = tmp_path / "demo" / "desk.db"
    assert desk("--db", str(db), "demo", "--days", "3", "--seed", "5").exit_code == 0
    monkeypatch.setenv("DESK_PIN", "1234")  # the demo's documented PIN; its manager adds staff
    assert desk("--db", str(db), "--as", "周强", "staff", "add", "试用者", "--role", "teacher").exit_code == 0
    monkeypatch.delenv("DESK_PIN")
    result = desk("--db", str(db), "demo", "--days", "3", "--seed", "6", "--force")
    assert result.exit_code == 0, result.output
    kept = Path(result.stdout.split("rebuilt: ", 1)[1].split("\n", 1)[0])
    assert kept.name.endswith("-before-demo.db") and "试用者" in staff_names(kept)
    assert "试用者" not in staff_names(db) and "seed 6" in result.stdout


# ---- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres_url():
    """A throw-away PostgreSQL server on a private socket, with password authentication, and a
    desk schema at head in it (made from the models: the test is about backups, not migrations)."""
    import shutil
    import tempfile

    pytest.importorskip("psycopg")
    if not shutil.which("initdb") or not shutil.which("pg_ctl") or not shutil.which("pg_dump"):
        pytest.skip("the PostgreSQL server programs are not installed")
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    home = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    (home / "pw").write_text("se cret\n", encoding="utf-8")
    if run_as:
        shutil.chown(home, "postgres")
        shutil.chown(home / "pw", "postgres")
    data = home / "data"
    subprocess.run([*run_as, "initdb", "-D", str(data), "-U", "desk", "-A", "scram-sha-256", f"--pwfile={home / 'pw'}"],
                   check=True, capture_output=True, cwd=home)
    options = f"-p 55439 -k {home} -c listen_addresses="
    subprocess.run([*run_as, "pg_ctl", "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start"],
                   check=True, capture_output=True, cwd=home)
    url = f"postgresql+psycopg://desk:se%20cret@/postgres?host={home}&port=55439"
    try:
        from sqlalchemy import create_engine, text
        from sqlmodel import SQLModel

        import desk.models  # noqa: F401

        engine = create_engine(url)
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": HEAD})
        engine.dispose()
        yield url
    finally:
        subprocess.run([*run_as, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"], capture_output=True, cwd=home)
        shutil.rmtree(home, ignore_errors=True)


def pg_staff(url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT name FROM staff ORDER BY id")).scalars())
    finally:
        engine.dispose()


def test_postgres_backup_check_restore_and_the_password_stays_off_command_lines(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_DATABASE_URL", postgres_url)
    seen = []
    real_run = subprocess.run

    def spy(args, **kwargs):
        seen.append((list(args), kwargs.get("env") or {}))
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    assert desk("staff", "add", "王芳", "--role", "consultant").exit_code == 0
    result = desk("check")
    assert result.exit_code == 0, result.output
    assert "  staff: 1 rows" in result.stdout and "connected; 20 tables" in result.stdout
    result = desk("backup", "--to", str(tmp_path / "dumps"))
    assert result.exit_code == 0, result.output
    dump = Path(result.stdout.split("Backup: ", 1)[1].split("\n", 1)[0])
    assert dump.name.startswith("postgres-") and dump.suffix == ".dump"
    assert desk("staff", "add", "林涛", "--role", "teacher").exit_code == 0
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(b"not a dump")
    assert_one_line_error(desk("restore", str(garbage), "--force"), "not a pg_dump file")
    assert pg_staff(postgres_url) == ["王芳", "林涛"]
    result = desk("restore", str(dump), "--force")
    assert result.exit_code == 0, result.output
    assert pg_staff(postgres_url) == ["王芳"]
    kept = Path(result.stdout.split("kept in ", 1)[1].split("\n", 1)[0])
    assert kept.parent == Path(os.environ["DESK_HOME"]) / "backups" and kept.suffix == ".dump"
    assert "se cret" not in result.output and "se%20cret" not in result.output
    tools = [(args, env) for args, env in seen if Path(args[0]).name in ("pg_dump", "pg_restore")]
    assert {Path(args[0]).name for args, _ in tools} == {"pg_dump", "pg_restore"}
    for args, _ in tools:
        assert not any("cret" in arg for arg in args), args
    assert all(env.get("PGPASSWORD") == "se cret" for args, env in tools if "--list" not in args)
    # A PostgreSQL check that finds a problem: a schema from a newer desk.
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    try:
        result = desk("check")
        assert result.exit_code == 1 and "newer desk" in result.stdout
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD})
        engine.dispose()
