"""The promised-visit sweep on a center's promises (issue 16).

    .venv/bin/python bench/sweep.py [/tmp/desk-history-365-2740.db] [--runs 7]

Copies the database (bench/gen_big.py's, e.g. by bench/history.py) to /tmp/desk-sweep.db
and gives a consult note to each lead of the last 90 days, a third of them promising a visit
0-7 days later (some of those leads came: a visit after the note). Then the first sweep
(which creates the follow-ups) and the median of the next sweeps (nothing left to create:
what the app pays at each start and each opening of the queue), with the statements each
issued, beside the floor: the hand-written NOT EXISTS query finding the same promises, on the
same file in the same run.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/queue.py would shadow the standard library's queue: this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.gen_big import TODAY, business_seconds, stamp  # noqa: E402
from bench.report import make_store, median_time  # noqa: E402

# The promises the sweep acts on: the newest note of a lead for a passed day in the window,
# no visit since, no promised_visit follow-up covering it (due after the promised day, whose
# end in Asia/Shanghai is 16:00 UTC, or tagged with the note), no newer note promising later.
HAND = """
SELECT count(*) FROM consult_note n
WHERE n.promised_visit_on >= :first AND n.promised_visit_on < :today
  AND NOT EXISTS (SELECT 1 FROM consult_note m WHERE m.lead_id = n.lead_id AND m.promised_visit_on >= n.promised_visit_on
                  AND m.promised_visit_on < :today AND (m.created_at > n.created_at OR (m.created_at = n.created_at AND m.id > n.id)))
  AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.lead_id = n.lead_id AND v.arrived_at >= n.created_at)
  AND NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.kind = 'promised_visit' AND f.lead_id = n.lead_id
                  AND (f.note = n.promised_visit_on || ' #' || n.id OR f.due_at >= n.promised_visit_on || ' 16:00:00.000000'))
"""


def add_promises(path: Path, days: int = 90, seed: int = 5) -> int:
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    first = (TODAY - timedelta(days=days)).isoformat()
    leads = conn.execute("SELECT id, owner_id, substr(first_contact_at, 1, 10) FROM lead WHERE first_contact_at >= ?", (first,)).fetchall()
    notes, visits = [], []
    for lead_id, owner, day in leads:
        noted = date.fromisoformat(day)
        promised = (noted + timedelta(days=rng.randint(0, 7))).isoformat() if rng.random() < 1 / 3 else None
        notes.append((lead_id, owner or 1, "phone", promised, stamp(noted, business_seconds(rng))))
        if promised and rng.random() < 0.4:
            visits.append((stamp(noted + timedelta(days=1), business_seconds(rng)), "repeat_walk_in", lead_id, 1))
    with conn:
        conn.executemany("INSERT INTO consult_note (lead_id, staff_id, kind, promised_visit_on, created_at) VALUES (?,?,?,?,?)", notes)
        conn.executemany("INSERT INTO visit (arrived_at, visitor_type, lead_id, group_size) VALUES (?,?,?,?)", visits)
    conn.execute("ANALYZE")
    conn.close()
    return sum(1 for n in notes if n[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/tmp/desk-history-365-2740.db")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from sqlalchemy import event

    from desk.dal import followups

    copy = Path("/tmp/desk-sweep.db")
    shutil.copyfile(args.path, copy)
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    promises = add_promises(copy)
    store = make_store(copy)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    started = time.perf_counter()
    created = followups.sweep(store)
    first = time.perf_counter() - started
    first_statements = len(statements)
    statements.clear()
    t_desk, again = median_time(lambda: followups.sweep(store), args.runs)
    per_run = len(statements) // args.runs
    conn = sqlite3.connect(copy)
    today = store.today()
    params = {"first": (today - timedelta(days=followups.SWEEP_WINDOW_DAYS)).isoformat(), "today": today.isoformat()}
    t_hand, left = median_time(lambda: conn.execute(HAND, params).fetchone()[0], args.runs)
    assert again == 0 and left == 0, (again, left)
    print(f"{promises} promises: first sweep {first * 1000:7.1f} ms ({created} created, {first_statements} statements)")
    print(f"sweep, nothing to do  {t_desk * 1000:6.2f} ms ({per_run} statements)   hand SQL {t_hand * 1000:6.2f} ms   "
          f"ratio {t_desk / t_hand:4.1f}x")  # fmt: skip
    store.engine.dispose()
    conn.close()
    copy.unlink()


if __name__ == "__main__":
    main()
