"""Several workstations on one database: nothing lost, no double pick, no lost update.

Each test runs real processes (tests/workstations.py) against one database, as a center runs
desk on several terminals (one SQLite file) or several machines (PostgreSQL), and asserts what
the database holds afterwards. Tests about the SQLite file itself run on SQLite only.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select

from desk.dal import staff as staff_dal
from desk.dal.followups import create as create_follow_up
from desk.dal.store import Store
from desk.models import Call, FollowUp, Lead, Visit
from tests import workstations
from tests.helpers import ROOT

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture
def database(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """The shared database every workstation opens: a migrated SQLite file's path, or the URL
    of a fresh migrated PostgreSQL database."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_database")
    from desk.db import open_database

    open_database(db_path).dispose()
    return str(db_path)


@pytest.fixture
def blank_database(backend: str, blank_target) -> str:
    """An empty database no desk has opened yet: a path, or a PostgreSQL URL."""
    return str(blank_target.path) if blank_target.path is not None else blank_target.url


def _run_together(target, arg_lists: list[tuple], timeout: float = 60) -> dict:
    """Start one process per argument tuple, all waiting at one barrier; their results by name."""
    barrier = SPAWN.Barrier(len(arg_lists))
    results = SPAWN.Queue()
    procs = [SPAWN.Process(target=target, args=(*args, barrier, results)) for args in arg_lists]
    for proc in procs:
        proc.start()
    out = {}
    for _ in procs:
        name, status, value = results.get(timeout=timeout)
        out[name] = (status, value)
    for proc in procs:
        proc.join(timeout)
    return out


def _center(store: Store, consultants: int = 4) -> dict[str, object]:
    people = {}
    for i in range(consultants):
        person = staff_dal.add_staff(store, name=f"顾问{i + 1}", role="consultant", extension=f"80{i + 1}")
        staff_dal.set_state(store, person.id, "free")
        people[person.name] = person
    for i in range(consultants):
        people[f"前台{i + 1}"] = staff_dal.add_staff(store, name=f"前台{i + 1}", role="receptionist")
    return people


# ----- 1. a saved call never vanishes ------------------------------------------------------------
HOLDER = textwrap.dedent(
    """
    import os, sys
    from desk.dal import staff as staff_dal
    from desk.dal.store import Store
    from desk.db import open_database

    path = sys.argv[1]
    store = Store(open_database(path))
    staff_dal.add_staff(store, name="第一", role="consultant")
    open_database(path)  # what `desk --demo` did: a second open in a process already connected
    print("ready", flush=True)
    sys.stdin.readline()  # another desk command runs on the database meanwhile
    staff_dal.add_staff(store, name="第二", role="consultant")
    fds = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # the listing's own descriptor, closed by now
            pass
    mine = [fd for fd in fds if fd.startswith(path)]
    print("deleted" if any(fd.endswith("(deleted)") for fd in mine) else "intact", flush=True)
    sys.stdin.readline()
    """
)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc to see deleted files")
def test_a_call_saved_while_another_desk_command_runs_is_in_the_file(database):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, database], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        other = subprocess.run(
            [sys.executable, "-m", "desk", "--db", database, "staff", "list"], capture_output=True, text=True, env=env, cwd=ROOT,
        )
        assert other.returncode == 0, other.stderr
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "intact"  # its WAL and SHM were not deleted under it
        # Read while the holder is still connected, from a connection of our own.
        with sqlite3.connect(database) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM staff")}
        assert names == {"第一", "第二"}
    finally:
        holder.communicate("\n", timeout=30)
    with sqlite3.connect(database) as conn:  # and after it closed: still there
        assert {row[0] for row in conn.execute("SELECT name FROM staff")} == {"第一", "第二"}


@pytest.mark.both_backends
def test_opening_twice_in_one_process_gives_the_same_engine(database):
    assert workstations.engine_for(database) is workstations.engine_for(database)


# ----- 3. simultaneous picks ---------------------------------------------------------------------
@pytest.mark.both_backends
def test_desks_pressing_enter_at_once_give_each_caller_a_different_free_consultant(database):
    store = workstations.store_for(database)
    people = _center(store, consultants=4)
    desks = [people[f"前台{i + 1}"].id for i in range(4)]
    numbers = [f"+861380000000{i}" for i in range(4)]
    out = _run_together(workstations.take_call, [(database, desk, number) for desk, number in zip(desks, numbers, strict=True)])
    assert {status for status, _ in out.values()} == {"ok"}, out
    targets = [value["to"] for _, value in out.values()]
    assert sorted(targets) == sorted(people[f"顾问{i + 1}"].id for i in range(4))  # one caller each
    # All four saw the same pick when their panels opened: three were told it changed.
    assert sum(value["changes"] for _, value in out.values()) >= 1
    with store.read() as session:
        assert len(session.exec(select(Call)).all()) == 4
        assert {s.state for s in staff_dal.consultants(store)} == {"on_call"}


# ----- 4. simultaneous follow-up completion ----------------------------------------------------
@pytest.mark.both_backends
def test_a_follow_up_finished_on_two_desks_at_once_keeps_the_first_result_and_names_who(database):
    store = workstations.store_for(database)
    people = _center(store, consultants=3)
    consultants = [people[f"顾问{i + 1}"] for i in range(3)]
    with store.write() as session:
        row = create_follow_up(session, store, "callback", consultants[0].id, store.now())
    out = _run_together(
        workstations.finish_follow_up, [(database, person.id, row.id, f"{person.name} 的结果") for person in consultants]
    )
    winners = [name for name, (status, _) in out.items() if status == "ok"]
    assert len(winners) == 1, out
    with store.read() as session:
        done = session.get(FollowUp, row.id)
    assert done.result_note == winners[0]  # the first result, not written over
    for name, (status, value) in out.items():
        if name != winners[0]:
            assert status == "FieldError" and "followups.err_done_by" in value, value


@pytest.mark.both_backends
def test_the_second_finisher_is_told_who_finished_it_and_with_what(store):
    from desk.dal import followups

    consultant = staff_dal.add_staff(store, name="王芳", role="consultant")
    other = staff_dal.add_staff(store, name="李娜", role="consultant")
    with store.write() as session:
        row = create_follow_up(session, store, "callback", consultant.id, store.now())
    followups.complete(store.with_actor(consultant.id), row.id, "reached", note="周六来")
    with pytest.raises(followups.FieldError) as caught:
        followups.complete(store.with_actor(other.id), row.id, "not_reached", note="没接")
    assert caught.value.key == "followups.err_done_by"
    assert caught.value.values == {"name": "王芳", "at": "10:00", "result": "reached", "note": "周六来"}
    with store.read() as session:
        assert session.get(FollowUp, row.id).result_note == "周六来"


# ----- the same new phone from two desks at once -----------------------------------------------
@pytest.mark.both_backends
def test_the_same_new_number_from_a_call_and_a_walk_in_at_once_makes_one_lead(database):
    store = workstations.store_for(database)
    people = _center(store, consultants=2)
    phone = "+8613912345678"
    out = _run_together(
        workstations.new_contact,
        [(database, people["前台1"].id, "call", phone), (database, people["前台2"].id, "walk_in", phone)],
    )
    assert {status for status, _ in out.values()} == {"ok"}, out
    with store.read() as session:
        [lead] = session.exec(select(Lead).where(Lead.phone == phone)).all()
        [call] = session.exec(select(Call)).all()
        [visit] = session.exec(select(Visit)).all()
    assert call.lead_id == visit.lead_id == lead.id


# ----- 6. workstations starting at the same moment --------------------------------------------
@pytest.mark.both_backends
def test_workstations_creating_the_database_at_the_same_moment_all_start(blank_database):
    from desk.migrations import HEAD

    out = _run_together(workstations.open_center, [(blank_database,)] * 6)
    assert [status for status, _ in out.values()] == ["ok"] * len(out), out
    assert {value for _, value in out.values()} == {HEAD}


@pytest.mark.both_backends
def test_workstations_upgrading_an_older_database_at_the_same_moment_all_start(blank_database, blank_target):
    from desk.db import make_engine, upgrade
    from desk.migrations import HEAD

    engine = make_engine(blank_target)
    upgrade(engine, "0002_lookup_keys")
    engine.dispose()
    out = _run_together(workstations.open_center, [(blank_database,)] * 4)
    assert [status for status, _ in out.values()] == ["ok"] * len(out), out
    assert {value for _, value in out.values()} == {HEAD}


def test_an_upgrade_backs_up_the_older_database_once_however_many_desks_start(db_path):
    from desk.db import make_engine, resolve, upgrade

    engine = make_engine(resolve(db_path))
    upgrade(engine, "0002_lookup_keys")
    engine.dispose()
    out = _run_together(workstations.open_center, [(str(db_path),)] * 3)
    assert [status for status, _ in out.values()] == ["ok"] * 3, out
    [backup] = sorted((db_path.parent / "backups").glob("desk-*-before-upgrade.db"))
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002_lookup_keys",)


def test_a_cli_write_that_meets_a_busy_database_says_so_in_one_line_and_exits_1(database, monkeypatch):
    from typer.testing import CliRunner

    import desk.db
    from desk.cli import app

    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    monkeypatch.setattr(desk.db, "WRITE_WAIT_MS", 50)
    other_desk = sqlite3.connect(database, isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")  # another workstation is saving
    try:
        result = CliRunner().invoke(app, ["--db", database, "staff", "add", "王芳", "--role", "consultant"])
    finally:
        other_desk.execute("ROLLBACK")
        other_desk.close()
    assert result.exit_code == 1, (result.exit_code, result.output)
    err = result.stderr.strip()
    assert err.startswith("desk: nothing was written") and "busy" in err and "\n" not in err, err
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM staff").fetchone() == (0,)
