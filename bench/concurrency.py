"""Several workstations writing at once: throughput, waits, and nothing lost (issue 10).

    .venv/bin/python bench/concurrency.py                       # SQLite and PostgreSQL, N = 1 2 4 8
    .venv/bin/python bench/concurrency.py --pace-ms 40 --ops 200  # a stress run: CPU-bound on 2 cores
    .venv/bin/python bench/concurrency.py --import-rows 20000   # saves while `desk import` runs

Each of N worker processes is a workstation doing a busy day's mixed writes through desk's
data layer, as its screens do, with a pause of 0..``--pace-ms`` between them (after one of
each, unmeasured, as a workstation has warmed up by its first caller): a first inquiry
transferred to the pick its panel showed (a changed pick is re-offered and taken, as the
screen does), a consultant set free again, a walk-in registered, an open follow-up finished
(several workers aim at the same ones), and a repeat caller from a small pool of numbers.

The floor, in the same run: the same N processes, the same pacing and count, each operation
one hand-written transaction that takes the same write lock (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL ``pg_advisory_xact_lock``) and inserts one audit row.

Printed per N: operations per second and p99 latency beside the floor's, the ratio, database
errors a user would have seen, rows lost (saved, then not in the database), simultaneous
double picks (a caller transferred to a consultant who already had one), and double
completions (a follow-up finished twice). Budget at N = 8: 0 lost, 0 double picks, 0 double
completions, 0 errors shown, p99 < 500 ms.

PostgreSQL: ``--pg-url`` (a server desk may create databases on), else a throwaway server
from tests/pgserver.py (fsync off, as in the tests).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/queue.py would shadow the standard library's queue, which multiprocessing needs.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CONSULTANTS = 6
FOLLOW_UPS = 120
REPEAT_NUMBERS = [f"+86139000000{i:02d}" for i in range(10)]
SPAWN = multiprocessing.get_context("spawn")


# ----- the database ------------------------------------------------------------------------------
# A workstation's store, and the pick its triage panel shows: the concurrency tests'
# (tests/workstations.py), so the bench's workstations are theirs.
from workstations import shown_pick  # noqa: E402
from workstations import store_for as _store  # noqa: E402


def fresh_database(backend: str, name: str, pg_admin: str | None) -> str:
    """A new, migrated, empty desk database: a temp file, or a new PostgreSQL database."""
    if backend == "sqlite":
        return str(Path(tempfile.mkdtemp(prefix="desk-bench-")) / "desk.db")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_admin).set(database=name).render_as_string(hide_password=False)


def seed(database: str, workers: int) -> dict:
    from desk.dal import staff as staff_dal
    from desk.dal.followups import create

    store = _store(database)
    consultants = []
    for i in range(CONSULTANTS):
        person = staff_dal.add_staff(store, name=f"顾问{i + 1}", role="consultant", extension=f"80{i + 1}")
        staff_dal.set_state(store, person.id, "free")
        consultants.append(person.id)
    desks = [staff_dal.add_staff(store, name=f"前台{i + 1}", role="receptionist").id for i in range(workers)]
    with store.write() as session:
        follow_ups = [create(session, store, "callback", consultants[i % CONSULTANTS], store.now()).id for i in range(FOLLOW_UPS)]
    store.engine.dispose()
    return {"consultants": consultants, "desks": desks, "follow_ups": follow_ups}


# ----- a workstation ---------------------------------------------------------------------------
def workstation(database: str, desk_id: int, plan: dict, ops: int, pace_ms: int, seed_: int, barrier, results) -> None:
    from desk.dal import calls, followups, visits
    from desk.dal import staff as staff_dal
    rng = random.Random(seed_)
    store = _store(database, desk_id)
    out = {"lat": [], "calls": [], "visits": [], "errors": {}, "pick_changed": 0, "done_elsewhere": 0}

    def take_call(number: str) -> None:
        pick = shown_pick(store)  # the panel opens; the receptionist reads it and presses Enter
        for _ in range(5):
            draft = calls.CallDraft(
                started_at=datetime.now(UTC), number=number, caller_number=number, words="想了解课程",
                call_type="first_inquiry", target_id=pick, pick_id=pick, take_message=pick is None,
                caller_name="来电", best_time="下午",
            )
            try:
                out["calls"].append(calls.record_call(store, draft).id)
                return
            except calls.PickChanged:
                out["pick_changed"] += 1
                pick = shown_pick(store)

    def free_someone() -> None:
        busy = [s.id for s in staff_dal.consultants(store) if s.state != "free"]
        if busy:
            staff_dal.set_state(store, rng.choice(busy), "free")

    def walk_in() -> None:
        phone = f"+8615{rng.randrange(10**9):09d}"
        out["visits"].append(visits.register(store, visits.VisitInput("consult_walk_in", name="来访", phone=phone)).visit.id)

    def finish() -> None:
        try:
            followups.complete(store, rng.choice(plan["follow_ups"]), "reached", note=f"desk {desk_id}")
        except followups.FieldError as err:
            if err.key != "followups.err_done_by":
                raise
            out["done_elsewhere"] += 1

    actions = [
        (0.40, lambda: take_call(f"+8613{rng.randrange(10**9):09d}")),
        (0.20, free_someone),
        (0.15, walk_in),
        (0.20, finish),
        (0.05, lambda: take_call(rng.choice(REPEAT_NUMBERS))),
    ]
    for _, action in actions[:4]:  # warm up as a workstation has by its first caller (rules, pinyin: ~250 ms)
        try:
            action()
        except Exception:
            pass
    barrier.wait()
    out["start"] = time.time()
    for _ in range(ops):
        time.sleep(rng.uniform(0, pace_ms) / 1000)
        roll, act = rng.random(), actions[-1][1]
        for share, action in actions:
            if roll < share:
                act = action
                break
            roll -= share
        start = time.perf_counter()
        try:
            act()
        except Exception as err:  # what a user would have seen as an error message
            key = f"{type(err).__name__}: {str(err).splitlines()[0][:60]}"
            out["errors"][key] = out["errors"].get(key, 0) + 1
        out["lat"].append(time.perf_counter() - start)
    out["end"] = time.time()
    results.put(out)


def floor_workstation(database: str, desk_id: int, plan: dict, ops: int, pace_ms: int, seed_: int, barrier, results) -> None:
    """The same pacing and count, each operation one hand-written locked insert."""
    rng = random.Random(seed_)
    now = datetime.now(UTC).isoformat()
    lat = []
    if "://" in database:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(database)
        conn = psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database)
        sql = "INSERT INTO audit (at, actor_id, action, table_name, row_id, changes) VALUES (%s, %s, 'bench', 'call', 0, '{}')"

        def once():
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(1684370283)")
                conn.execute(sql, (now, desk_id))
    else:
        import sqlite3

        conn = sqlite3.connect(database, isolation_level=None, timeout=5)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        sql = "INSERT INTO audit (at, actor_id, action, table_name, row_id, changes) VALUES (?, ?, 'bench', 'call', 0, '{}')"

        def once():
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(sql, (now, desk_id))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    barrier.wait()
    began = time.time()
    errors = 0
    for _ in range(ops):
        time.sleep(rng.uniform(0, pace_ms) / 1000)
        start = time.perf_counter()
        try:
            once()
        except Exception:
            errors += 1
        lat.append(time.perf_counter() - start)
    conn.close()
    results.put({"lat": lat, "errors": {"floor": errors} if errors else {}, "start": began, "end": time.time()})


def importer(database: str, rows: int, barrier, results) -> None:
    from desk.dal.imports import import_file

    folder = Path(tempfile.mkdtemp(prefix="desk-bench-import-"))
    path = folder / "market.csv"
    rng = random.Random(5)
    lines = ["姓名,电话,年龄,学历,意向课程"]
    lines += [f"学员{i},15{rng.randrange(10**9):09d},{rng.randrange(18, 30)},大专,Java" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = _store(database)
    barrier.wait()
    start = time.perf_counter()
    result = import_file(store, path, channel="market")
    results.put({"import_s": time.perf_counter() - start, "created": result.created})


# ----- one run ------------------------------------------------------------------------------------
def run(target, database: str, plan: dict, workers: int, ops: int, pace_ms: int, extra=None) -> tuple[list[dict], float]:
    """The workers' results, and the wall time from the barrier to the last one done."""
    parties = workers + (1 if extra else 0)
    barrier = SPAWN.Barrier(parties)
    results = SPAWN.Queue()
    procs = [
        SPAWN.Process(target=target, args=(database, plan["desks"][i], plan, ops, pace_ms, 1000 + i, barrier, results))
        for i in range(workers)
    ]
    if extra:
        procs.append(SPAWN.Process(target=extra[0], args=(database, *extra[1], barrier, results)))
    for proc in procs:
        proc.start()
    outs = [results.get(timeout=900) for _ in procs]
    for proc in procs:
        proc.join(60)
    timed = [out for out in outs if "start" in out]
    return outs, max(out["end"] for out in timed) - min(out["start"] for out in timed)


def check(database: str, outs: list[dict]) -> dict:
    """What the database holds after the run: lost rows, double picks, double completions."""
    from sqlmodel import func, select

    from desk.models import AuditEntry, Call, Staff, Visit

    store = _store(database)
    saved_calls = [i for out in outs for i in out.get("calls", [])]
    saved_visits = [i for out in outs for i in out.get("visits", [])]
    with store.read() as session:
        calls_in = set(session.exec(select(Call.id)).all())
        visits_in = set(session.exec(select(Visit.id)).all())
        consultants = set(session.exec(select(Staff.id).where(Staff.role == "consultant")).all())
        transfers = session.exec(
            select(Call.id).where(Call.outcome == "transferred", Call.to_staff_id.in_(consultants))
        ).all()
        took = {
            reason
            for reason in session.exec(
                select(AuditEntry.reason).where(AuditEntry.table_name == "staff", AuditEntry.action == "state")
            ).all()
        }
        done_twice = session.exec(
            select(AuditEntry.row_id)
            .where(AuditEntry.table_name == "follow_up", AuditEntry.action == "done")
            .group_by(AuditEntry.row_id)
            .having(func.count() > 1)
        ).all()
    store.engine.dispose()
    return {
        "lost": len(set(saved_calls) - calls_in) + len(set(saved_visits) - visits_in),
        "double_picks": sum(1 for call_id in transfers if f"call {call_id}" not in took),
        "double_done": len(done_twice),
        "saved": len(saved_calls) + len(saved_visits),
    }


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] * 1000 if len(values) >= 2 else (values[0] * 1000 if values else 0.0)


def bench(backend: str, workers: int, ops: int, pace_ms: int, pg_admin: str | None) -> str:
    database = fresh_database(backend, f"desk_bench_{workers}", pg_admin)
    plan = seed(database, workers)
    outs, wall = run(workstation, database, plan, workers, ops, pace_ms)
    found = check(database, outs)
    lat = [x for out in outs for x in out["lat"]]
    errors: dict[str, int] = {}
    for out in outs:
        for key, n in out["errors"].items():
            errors[key] = errors.get(key, 0) + n
    floor_db = fresh_database(backend, f"desk_bench_floor_{workers}", pg_admin)
    floor_plan = seed(floor_db, workers)
    floor_outs, floor_wall = run(floor_workstation, floor_db, floor_plan, workers, ops, pace_ms)
    floor_lat = [x for out in floor_outs for x in out["lat"]]
    floor_errors = sum(sum(out["errors"].values()) for out in floor_outs)
    if floor_errors:  # a floor that failed measured nothing
        raise SystemExit(f"the floor failed {floor_errors} times: fix bench/concurrency.py")
    ops_s, floor_ops_s = len(lat) / wall, len(floor_lat) / floor_wall
    line = (
        f"{backend:8} N={workers}  {ops_s:6.1f} ops/s (floor {floor_ops_s:6.1f})  "
        f"p99 {p99(lat):6.1f} ms (floor {p99(floor_lat):5.1f}, x{p99(lat) / max(p99(floor_lat), 1e-9):.1f})  "
        f"median {statistics.median(lat) * 1000:5.1f} ms  errors shown {sum(errors.values())}  lost {found['lost']}/{found['saved']}  "
        f"double picks {found['double_picks']}  double completions {found['double_done']}  "
        f"(pick re-offered {sum(o['pick_changed'] for o in outs)}, finished elsewhere {sum(o['done_elsewhere'] for o in outs)})"
    )
    if errors:
        line += "\n          " + "; ".join(f"{k} x{n}" for k, n in errors.items())
    line += f"  max {max(lat) * 1000:.0f} ms"
    return line


def bench_import(backend: str, rows: int, workers: int, ops: int, pace_ms: int, pg_admin: str | None) -> str:
    """Workstations saving while a market list of ``rows`` goes in: how long they waited."""
    database = fresh_database(backend, "desk_bench_import", pg_admin)
    plan = seed(database, workers)
    quiet, _ = run(workstation, database, plan, workers, ops, pace_ms)
    outs, _ = run(workstation, database, plan, workers, ops * 3, pace_ms, extra=(importer, (rows,)))
    imported = next(o for o in outs if "import_s" in o)
    lat = [x for out in outs if "lat" in out for x in out["lat"]]
    quiet_lat = [x for out in quiet for x in out["lat"]]
    errors = sum(sum(o.get("errors", {}).values()) for o in outs)
    return (
        f"{backend:8} import of {rows} rows in {imported['import_s']:.1f} s ({imported['created']} leads) beside {workers} workstations: "
        f"their p99 {p99(lat):.1f} ms, max {max(lat) * 1000:.1f} ms (without the import: p99 {p99(quiet_lat):.1f} ms, "
        f"max {max(quiet_lat) * 1000:.1f} ms); errors shown {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", default="1,2,4,8")
    parser.add_argument("--ops", type=int, default=100, help="operations per workstation")
    parser.add_argument(
        "--pace-ms", type=int, default=400,
        help="pause of 0..this between a workstation's operations (400: a save every 0.2 s, far busier than a real desk; 40: a stress run)",
    )
    parser.add_argument("--import-rows", type=int, default=0, help="also: saves while an import of this many rows runs")
    parser.add_argument("--pg-url", help="a PostgreSQL server URL desk may create databases on")
    args = parser.parse_args()
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    pg_admin = args.pg_url
    if "postgres" in backends and pg_admin is None:
        import pgserver

        pg_admin = pgserver.start().url
    print(f"{args.ops} operations per workstation, pause 0..{args.pace_ms} ms; cores: {os.cpu_count()}", flush=True)
    for backend in backends:
        for n in (int(x) for x in args.workers.split(",") if x):
            print(bench(backend, n, args.ops, args.pace_ms, pg_admin), flush=True)
        if args.import_rows:
            print(bench_import(backend, args.import_rows, 4, args.ops, args.pace_ms, pg_admin), flush=True)


if __name__ == "__main__":
    main()
