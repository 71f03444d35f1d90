"""The audit trail's hash chain in the database: every write chains the rows it adds (two
workstations on one database included), the chain finds a row edited or deleted in the file,
the migration chains the rows already there, and the trail is read in pages with filters."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, text

from desk.dal import audit as audit_dal
from desk.dal import reset
from desk.dal import staff as staff_dal
from desk.dal.store import Store
from desk.models import AuditEntry
from tests.helpers import CENTER_TZ, open_url

pytestmark = pytest.mark.both_backends


@pytest.fixture
def other_store(backend, engine, db_path, request, clock):
    """A second workstation: its own engine on the database of the ``store`` fixture."""
    if backend == "postgresql":
        other = open_url(request.getfixturevalue("pg_database"))
    else:
        from desk.db import open_database

        other = open_database(db_path)
    yield Store(other, tz=CENTER_TZ, clock=clock)
    other.dispose()


def hashes(store) -> list[tuple[int, str | None]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, hash FROM audit ORDER BY id"))]


def raw(store, statement: str) -> None:
    """What someone with the database file (or a SQL console) does behind desk's back."""
    with store.engine.begin() as conn:
        conn.execute(text(statement))


def test_two_workstations_writing_at_once_leave_one_unbroken_chain(store, other_store):
    names = [f"员工{i}" for i in range(16)]

    def add(st, mine):
        for name in mine:
            staff_dal.add_staff(st, name=name, role="consultant")

    threads = [threading.Thread(target=add, args=(st, names[i::2])) for i, st in enumerate((store, other_store))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for person in staff_dal.list_staff(other_store)[:4]:
        staff_dal.set_state(store if person.id % 2 else other_store, person.id, "free")

    written = hashes(store)
    assert len(written) == 16 + 4 and all(h is not None and len(h) == 64 for _, h in written)
    assert audit_dal.verify_chain(other_store) == audit_dal.ChainCheck(rows=20, broken_id=None, after_id=None)


@pytest.mark.parametrize(
    "edit",
    ["changes = '{\"name\": \"someone else\"}'", "actor_id = 1", "reason = 'because'", "action = 'update'",
     "row_id = 99", "table_name = 'lead'"],
)
def test_a_field_edited_in_the_file_is_found_at_its_row(store, edit):
    for i in range(4):
        staff_dal.add_staff(store, name=f"员工{i}", role="consultant")
    raw(store, f"UPDATE audit SET {edit} WHERE id = 3")
    assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=4, broken_id=3, after_id=2)


def test_a_time_moved_by_a_second_is_found(store):
    for i in range(3):
        staff_dal.add_staff(store, name=f"员工{i}", role="consultant")
    with store.write() as session:
        row = session.get(AuditEntry, 2)
        moved = row.at + timedelta(seconds=1)
    with store.engine.begin() as conn:
        conn.execute(AuditEntry.__table__.update().where(AuditEntry.__table__.c.id == 2).values(at=moved))
    assert audit_dal.verify_chain(store).broken_id == 2


def test_a_deleted_row_is_found_at_the_row_after_it(store):
    for i in range(4):
        staff_dal.add_staff(store, name=f"员工{i}", role="consultant")
    raw(store, "DELETE FROM audit WHERE id = 2")
    assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=3, broken_id=3, after_id=1)
    raw(store, "DELETE FROM audit WHERE id = 1")
    assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=2, broken_id=3, after_id=None)


def test_a_row_put_in_by_hand_is_not_chained_by_the_next_write(store):
    staff_dal.add_staff(store, name="王芳", role="consultant")
    raw(store, "INSERT INTO audit (at, action, table_name, changes) VALUES ('2026-11-26 02:00:00', 'delete', 'lead', '{}')")
    staff_dal.add_staff(store, name="赵强", role="consultant")  # chained onto row 1, past the hand-made row
    assert hashes(store)[1] == (2, None)
    assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=3, broken_id=2, after_id=1)


def test_rows_inserted_in_bulk_are_chained_like_the_others(store):
    """As an import writes its audit rows: one INSERT of many, inside the write."""
    staff_dal.add_staff(store, name="王芳", role="consultant")
    with store.write() as session:
        session.execute(insert(AuditEntry), [
            {"at": store.now(), "action": "import", "table_name": "lead", "row_id": i, "changes": "{}"} for i in range(5)
        ])
    assert all(h is not None for _, h in hashes(store))
    assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=6, broken_id=None, after_id=None)


def test_a_wiped_trail_starts_a_new_chain(store):
    for i in range(3):
        staff_dal.add_staff(store, name=f"员工{i}", role="consultant")
    with store.write() as session:
        reset.wipe(session)
        session.add(AuditEntry(id=1, at=store.now(), action="demo", table_name="demo", changes="{}"))
    assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=1, broken_id=None, after_id=None)


def test_a_write_that_fails_leaves_the_chain_as_it_was(store):
    staff_dal.add_staff(store, name="王芳", role="consultant")
    before = hashes(store)
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(AuditEntry(at=store.now(), action="create", table_name="lead", changes="{}"))
        raise RuntimeError("the disk is full")
    assert hashes(store) == before
    staff_dal.add_staff(store, name="赵强", role="consultant")
    assert audit_dal.verify_chain(store).broken_id is None


def test_the_pin_hash_is_never_written_to_the_trail(store):
    person = staff_dal.add_staff(store, name="王芳", role="consultant")
    assert "pin_hash" not in json.loads(audit_dal.entries(store)[0].changes)
    assert person.id is not None


def test_pages_and_filters(store, clock):
    boss = staff_dal.add_staff(store, name="孙经理", role="manager", english_name="Sun")
    for i in range(5):
        staff_dal.add_staff(store, name=f"员工{i}", role="consultant")
    clock.advance(days=2)
    as_boss = store.with_actor(boss.id)
    for person in staff_dal.list_staff(store)[:3]:
        staff_dal.set_state(as_boss, person.id, "free")

    every = audit_dal.entries(store, limit=None)
    assert [r.id for r in every] == list(range(9, 0, -1))  # newest first
    first = audit_dal.entries(store, limit=4)
    second = audit_dal.entries(store, before_id=first[-1].id, limit=4)
    assert [r.id for r in first + second] == list(range(9, 1, -1))

    assert audit_dal.find_actor(store, "sun") == audit_dal.find_actor(store, "孙经理") == boss.id
    assert audit_dal.find_actor(store, "nobody") is None
    by_boss = audit_dal.entries(store, audit_dal.AuditFilter(actor_id=boss.id))
    assert [(r.actor, r.action) for r in by_boss] == [("孙经理", "state")] * 3
    since = store.day_bounds(store.today())[0]
    assert [r.id for r in audit_dal.entries(store, audit_dal.AuditFilter(since=since))] == [9, 8, 7]
    assert [r.id for r in audit_dal.entries(store, audit_dal.AuditFilter(until=since))] == list(range(6, 0, -1))
    assert [r.id for r in audit_dal.entries(store, audit_dal.AuditFilter(action="create", row_id=2, table="staff"))] == [2]
    assert [r.id for r in audit_dal.entries(store, audit_dal.AuditFilter(text="员工4"))] == [6]
    assert audit_dal.entries(store, audit_dal.AuditFilter(text="100%_")) == []  # LIKE's wildcards are plain text


def test_the_migration_chains_the_rows_already_there(blank_target):
    from desk.db import make_engine, make_engine_for, upgrade

    engine = make_engine(blank_target)
    upgrade(engine, "0008_registers")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO staff (name, role, state, on_duty, is_new, active, created_at)"
                          " VALUES ('王芳', 'consultant', 'free', TRUE, FALSE, TRUE, '2026-01-05 02:00:00')"))
        for i in range(1, 6):
            conn.execute(text("INSERT INTO audit (at, actor_id, action, table_name, row_id, changes, reason)"
                              f" VALUES ('2026-01-05 02:0{i}:00.12345{i}', 1, 'create', 'lead', {i}, '{{\"n\": {i}}}',"
                              f" {'NULL' if i % 2 else repr('why')})"))
    engine.dispose()

    engine = make_engine_for(blank_target)  # opening desk upgrades it
    try:
        store = Store(engine, tz=CENTER_TZ)
        assert all(h is not None for _, h in hashes(store))
        assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=5, broken_id=None, after_id=None)
        staff_dal.add_staff(store, name="赵强", role="consultant")  # the next write goes on from the last one
        assert audit_dal.verify_chain(store) == audit_dal.ChainCheck(rows=6, broken_id=None, after_id=None)
        with engine.connect() as conn:
            assert conn.execute(select(text("pin_hash")).select_from(text("staff"))).scalars().all() == [None, None]
    finally:
        engine.dispose()
