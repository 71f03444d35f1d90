"""Opening databases: migrations keep every row, pragmas, and refusing what is not ours."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import desk.models  # noqa: F401
from desk.db import make_engine, make_engine_for, open_database, resolve, upgrade
from desk.errors import DatabaseError
from desk.migrations import HEAD
from desk.migrations.runner import head_revision, known_revisions


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes, its mtime and what lies beside it: all must survive a refusal."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def test_head_constant_is_alembic_head():
    assert head_revision() == HEAD
    assert {"0001_initial", HEAD} <= known_revisions()


def test_empty_file_is_migrated_to_head(tmp_path):
    path = tmp_path / "new.db"
    engine = open_database(path)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert tables == set(SQLModel.metadata.tables) | {"alembic_version"}
        assert version == HEAD
    finally:
        engine.dispose()


def test_existing_empty_file_is_migrated(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    engine = open_database(path)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD


# One row per table, written with plain SQL against the first revision's schema (booleans as
# TRUE/FALSE, which PostgreSQL needs and SQLite stores as the 1/0 it always did).
ROWS_AT_0001 = [
    "INSERT INTO staff (id, name, english_name, role, extension, state, rotation_position, on_duty, is_new, active, created_at)"
    " VALUES (1, '王芳', 'Fiona', 'consultant', '801', 'free', 1, TRUE, FALSE, TRUE, '2026-01-05 01:00:00')",
    "INSERT INTO lecture (id, starts_at, topic) VALUES (1, '2026-01-10 06:00:00', 'UI设计公开课')",
    "INSERT INTO lead (id, name, phone, age, education, school_or_job, course_interest, it_related, non_computer_only,"
    " media_source, channel, stage, owner_id, has_contact, phone_contacted, brought_in_person, came_after_questionnaire,"
    " first_call_result, valid, validity_reasons, flag_checked, first_contact_at, created_at, updated_at)"
    " VALUES (1, '张伟', '+8613812345678', 22, 'associate', '文员', 'UI设计', TRUE, FALSE, '百度', 'phone', 'lead', 1, TRUE, TRUE,"
    " FALSE, FALSE, 'connected', TRUE, '[]', FALSE, '2026-01-05 02:00:00', '2026-01-05 02:00:00', '2026-01-05 02:00:00')",
    "INSERT INTO lead (id, name, phone, age, education, it_related, non_computer_only, channel, stage, owner_id,"
    " referred_by_id, has_contact, phone_contacted, brought_in_person, came_after_questionnaire, first_call_result,"
    " validity_reasons, flag_checked, first_contact_at, created_at, updated_at)"
    " VALUES (2, 'Anna 李', '+861062345678', 30, 'bachelor', TRUE, FALSE, 'referral', 'lead', 1, 1, TRUE, FALSE, FALSE, FALSE,"
    " 'connected', '[]', FALSE, '2026-01-06 02:00:00', '2026-01-06 02:00:00', '2026-01-06 02:00:00')",
    "INSERT INTO call (id, started_at, caller_number, words, call_type, outcome, to_staff_id, lead_id, recording_ref, register_complete)"
    " VALUES (1, '2026-01-05 02:00:00', '+8613812345678', '你们有UI设计的课吗', 'first_inquiry', 'transferred', 1, 1, 'rec/1.wav', TRUE)",
    "INSERT INTO visit (id, arrived_at, visitor_type, visitor_name, lead_id, group_size, received_by_id, lecture_id)"
    " VALUES (1, '2026-01-10 05:50:00', 'lecture_attendee', '张伟', 1, 1, 1, 1)",
    "INSERT INTO lecture_booking (id, lecture_id, lead_id, attended) VALUES (1, 1, 1, TRUE)",
    "INSERT INTO consult_note (id, lead_id, staff_id, kind, call_id, intent, text, created_at)"
    " VALUES (1, 1, 1, 'phone', 1, 'high', '零基础，想转行', '2026-01-05 02:10:00')",
    "INSERT INTO trial (id, lead_id, consultant_id, course, booked_for, attended, created_at)"
    " VALUES (1, 1, 1, 'UI设计', '2026-01-12 02:00:00', TRUE, '2026-01-10 08:00:00')",
    "INSERT INTO enrollment (id, lead_id, consultant_id, course, amount_fen, balance_due_on, enrolled_at)"
    " VALUES (1, 1, 1, 'UI设计', 1280000, '2026-02-01', '2026-01-12 08:00:00')",
    "INSERT INTO payment (id, enrollment_id, kind, amount_fen, paid_at, staff_id)"
    " VALUES (1, 1, 'initial', 500000, '2026-01-12 08:00:00', 1)",
    "INSERT INTO follow_up (id, kind, owner_id, lead_id, enrollment_id, due_at, note, created_at)"
    " VALUES (1, 'balance_due', 1, 1, 1, '2026-02-01 02:00:00', '尾款', '2026-01-12 08:00:00')",
    "INSERT INTO rotation_assignment (id, pool, staff_id, day, assigned_at, lead_id, call_id, on_duty)"
    " VALUES (1, 'phone', 1, '2026-01-05', '2026-01-05 02:00:00', 1, 1, FALSE)",
    "INSERT INTO audit (id, at, actor_id, action, table_name, row_id, changes) VALUES (1, '2026-01-05 02:00:00', 1, 'create', 'lead', 1, '{}')",
]


@pytest.mark.both_backends
def test_first_revision_upgrades_to_head_keeping_every_row(blank_target):
    engine = make_engine(blank_target)
    upgrade(engine, "0001_initial")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001_initial"
        for statement in ROWS_AT_0001:
            conn.execute(text(statement))
        at_0001 = set(inspect(conn).get_table_names()) - {"alembic_version"}
        before = {
            table: conn.execute(text(f'SELECT * FROM "{table}" ORDER BY id')).all()
            for table in SQLModel.metadata.tables
            if table in at_0001
        }
    engine.dispose()
    assert all(before.values()), "every table has a row at 0001"

    engine = make_engine_for(blank_target)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD
            for table, rows in before.items():
                columns = list(rows[0]._fields)
                after = conn.execute(text(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY id')).all()
                assert [tuple(r) for r in after] == [tuple(r) for r in rows], table
            keys = conn.execute(text("SELECT id, phone_digits, name_pinyin, name_initials FROM lead ORDER BY id")).all()
        assert [tuple(k) for k in keys] == [(1, "13812345678", "zhangwei", "zw"), (2, "01062345678", "annali", "al")]
    finally:
        engine.dispose()


@pytest.mark.both_backends
def test_outreach_revision_keeps_every_row_and_links_collected_leads(blank_target):
    """0004 adds the outreach tables beside the data of 0003: nothing there moves."""
    engine = make_engine(blank_target)
    upgrade(engine, "0003_lecture_bookings")
    with engine.begin() as conn:
        for statement in ROWS_AT_0001:
            conn.execute(text(statement))
        conn.execute(text("UPDATE lead SET channel = 'outdoor', collector_id = 1 WHERE id = 2"))
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        before = {table: conn.execute(text(f'SELECT * FROM "{table}" ORDER BY id')).all() for table in tables}
    engine.dispose()
    assert not tables & {"outreach", "outreach_staff", "outreach_contact"}

    engine = make_engine_for(blank_target)
    try:
        with engine.begin() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD
            for table, rows in before.items():
                # The columns there before (later revisions add some: 0007 the lead's other reading).
                columns = ", ".join(f'"{c}"' for c in rows[0]._fields) if rows else "*"
                after = conn.execute(text(f'SELECT {columns} FROM "{table}" ORDER BY id')).all()
                assert [tuple(r) for r in after] == [tuple(r) for r in rows], table
            conn.execute(text("INSERT INTO outreach (id, kind, day, place, created_at) VALUES (1, 'street_promotion', '2026-01-06', '人民广场', '2026-01-06 02:00:00')"))
            conn.execute(text("INSERT INTO outreach_staff (id, outreach_id, staff_id) VALUES (1, 1, 1)"))
            conn.execute(text("INSERT INTO outreach_contact (id, outreach_id, lead_id, collector_id, new_lead, created_at) VALUES (1, 1, 2, 1, TRUE, '2026-01-06 02:00:00')"))
        from sqlalchemy.exc import IntegrityError

        # One person is linked to an activity once (that constraint, not a clash of ids).
        once = r"uq_outreach_contact_once|outreach_contact\.outreach_id, outreach_contact\.lead_id"
        with pytest.raises(IntegrityError, match=once), engine.begin() as conn:
            conn.execute(text("INSERT INTO outreach_contact (id, outreach_id, lead_id, collector_id, new_lead, created_at) VALUES (2, 1, 2, 1, FALSE, '2026-01-06 03:00:00')"))
    finally:
        engine.dispose()


def test_open_twice_is_a_no_op(db_path):
    open_database(db_path).dispose()
    first = db_path.read_bytes()
    open_database(db_path).dispose()
    assert db_path.read_bytes() == first


def test_sqlite_pragmas(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_foreign_keys_are_enforced(engine):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO payment (enrollment_id, kind, amount_fen, paid_at) VALUES (999, 'initial', 1, '2026-01-01')"))


def test_newer_revision_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    before = snapshot(path)
    with pytest.raises(DatabaseError, match="newer desk"):
        open_database(path)
    assert snapshot(path) == before


def test_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "accounts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoice VALUES (1, 9.5)")
    before = snapshot(path)
    with pytest.raises(DatabaseError, match="not a desk database"):
        open_database(path)
    assert snapshot(path) == before


@pytest.mark.parametrize(
    "content",
    [b"name,phone\n\xe7\x8e\x8b,138\n", b"SQLite format 3\x00" + b"\x07" * 200],
    ids=["text-file", "corrupt-sqlite"],
)
def test_not_a_database_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "leads.csv"
    path.write_bytes(content)
    before = snapshot(path)
    with pytest.raises(DatabaseError):
        open_database(path)
    assert snapshot(path) == before


def test_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="directory"):
        open_database(tmp_path)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_refused(db_path):
    open_database(db_path).dispose()
    db_path.chmod(0)
    try:
        with pytest.raises(DatabaseError, match="permission"):
            open_database(db_path)
    finally:
        db_path.chmod(0o644)


@pytest.mark.parametrize("url", ["foo://x", "postgresql+nosuchdriver://u@h/db"])
def test_unknown_driver_is_refused(monkeypatch, url):
    monkeypatch.setenv("DESK_DATABASE_URL", url)
    with pytest.raises(DatabaseError, match="driver"):
        open_database()


def test_driver_not_installed_is_refused(monkeypatch):
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        pass
    else:  # pragma: no cover
        pytest.skip("MySQLdb is installed here")
    monkeypatch.setenv("DESK_DATABASE_URL", "mysql+mysqldb://u:secret@h/db")
    with pytest.raises(DatabaseError, match="not installed") as err:
        open_database()
    assert "secret" not in str(err.value)


def test_resolution_order(monkeypatch, tmp_path, desk_home):
    assert resolve().path == (desk_home / "desk.db").resolve()
    monkeypatch.setenv("DESK_DB", str(tmp_path / "env.db"))
    assert resolve().path == (tmp_path / "env.db").resolve()
    monkeypatch.setenv("DESK_DATABASE_URL", f"sqlite:///{tmp_path / 'url.db'}")
    assert resolve().path == (tmp_path / "url.db").resolve()
    assert resolve(tmp_path / "opt.db").path == (tmp_path / "opt.db").resolve()


@pytest.mark.parametrize(
    ("given", "opened"),
    [
        ("postgres://desk:pw@db.center/desk", "postgresql+psycopg://desk:pw@db.center/desk"),
        ("postgresql://desk:pw@db.center:5433/desk", "postgresql+psycopg://desk:pw@db.center:5433/desk"),
        ("PostgreSQL://db.center/desk", "postgresql+psycopg://db.center/desk"),
        ("postgresql+psycopg2://db.center/desk", "postgresql+psycopg2://db.center/desk"),
    ],
)
def test_postgresql_urls_without_a_driver_get_psycopg(monkeypatch, given, opened):
    monkeypatch.setenv("DESK_DATABASE_URL", given)
    assert resolve().url == opened


def test_a_postgres_url_as_hosting_panels_write_it_opens(monkeypatch, pg_database):
    """``postgres://`` on a real server: the URL a user pastes opens, migrated to head."""
    monkeypatch.setenv("DESK_DATABASE_URL", pg_database.replace("postgresql+psycopg://", "postgres://"))
    engine = open_database()
    try:
        assert engine.dialect.driver == "psycopg"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == HEAD
    finally:
        engine.dispose()


@pytest.mark.both_backends
def test_migrations_build_exactly_the_models(engine):
    """A model change without its migration would leave older databases behind."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    assert diff == []


@pytest.mark.parametrize(
    ("where", "index"),
    [("done_at IS NULL", "ix_follow_up_open_due"), ("owner_id = 3 AND done_at IS NULL", "ix_follow_up_owner_open_due")],
)
def test_the_follow_up_queue_reads_open_rows_in_due_order_from_an_index(engine, where, index):
    """0005: the queue's first page comes off an index in due order, with no sort of every open row."""
    with engine.connect() as conn:
        plan = conn.execute(text(f"EXPLAIN QUERY PLAN SELECT id FROM follow_up WHERE {where} ORDER BY due_at, id LIMIT 500")).all()
    detail = " ".join(str(row[-1]) for row in plan)
    assert index in detail and "TEMP B-TREE" not in detail, detail
