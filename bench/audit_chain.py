"""What the audit trail's hash chain costs a save, and what reading a big trail costs (issue 14).

    .venv/bin/python bench/audit_chain.py                  # 1,000,000 audit rows, 400 saves
    .venv/bin/python bench/audit_chain.py --rows 100000 --saves 200

A throwaway SQLite database is migrated and given ``--rows`` chained audit rows (bulk
inserts, hashed as desk hashes them). Then a save as the board makes it (a consultant's
state set, one transaction with one audit row: ``desk.dal.staff.set_state``) is timed
``--saves`` times with the chain, and as many times in the same run with the chain switched
off (no read of the newest audit id as the write begins, no read and update of the rows to
hash as it ends): the floor. The two alternate, so a disk or CPU hiccup hits both alike.
Printed: each median and p95, the ratio, and the difference in milliseconds.

Also: the audit screen's first page (the 500 newest rows) and the next one, and
``desk audit verify`` over the whole trail (rows per second).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/queue.py would shadow the standard library's queue.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def seed(engine, rows: int, actor_id: int) -> None:
    """``rows`` audit rows chained onto the trail's last, inserted 10,000 at a time."""
    from sqlalchemy import insert

    from desk.models import AuditEntry
    from desk.rules.audit_chain import GENESIS, AuditFields, row_hash

    start = datetime(2025, 11, 1, tzinfo=UTC)
    with engine.begin() as conn:
        last = conn.exec_driver_sql("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").first()
        first, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        batch = []
        for i in range(first, first + rows):
            at = start + timedelta(seconds=30 * i)
            changes = f'{{"state": ["free", "away"], "n": {i}}}'
            fields = AuditFields(i, at, actor_id, "state", "staff", actor_id, changes, None)
            prev = row_hash(prev, fields)
            batch.append({"id": i, "at": at, "actor_id": actor_id, "action": "state", "table_name": "staff",
                          "row_id": actor_id, "changes": changes, "reason": None, "hash": prev})
            if len(batch) == 10_000:
                conn.execute(insert(AuditEntry), batch)
                batch = []
        if batch:
            conn.execute(insert(AuditEntry), batch)


def timed(work) -> float:
    began = time.perf_counter()
    work()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--saves", type=int, default=400)
    args = parser.parse_args()

    from sqlalchemy import event

    import desk.dal.store as store_module
    from desk.dal import audit as audit_dal
    from desk.dal import staff as staff_dal
    from desk.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(Path(folder) / "desk.db")
        store = store_module.Store(engine)
        person = staff_dal.add_staff(store, name="王芳", role="consultant")
        began = time.perf_counter()
        seed(engine, args.rows, person.id)
        print(f"audit rows: {args.rows:,} (seeded in {time.perf_counter() - began:.1f} s), saves: {args.saves} each way")

        page: list = []
        first = timed(lambda: page.extend(audit_dal.entries(store)))
        second = timed(lambda: audit_dal.entries(store, before_id=page[-1].id))
        print(f"audit screen: first page of {len(page)} {first:.1f} ms, next page {second:.1f} ms")
        check: list = []
        took = timed(lambda: check.append(audit_dal.verify_chain(store)))
        result = check[0]
        state = "intact" if result.broken_id is None else f"BROKEN at {result.broken_id}"
        print(f"verify: {result.rows:,} rows {state} in {took / 1000:.1f} s ({result.rows / took * 1000:,.0f} rows/s)")

        chain, no_chain = store_module.chain_new_rows, lambda session: None
        states = ["free", "away"]
        with_chain: list[float] = []
        without: list[float] = []
        for i in range(args.saves * 2 + 20):
            chained = i % 2 == 0
            if chained:
                store_module.chain_new_rows = chain
                if not event.contains(store_module._WriteSession, "after_begin", store_module._note_newest_audit):
                    event.listen(store_module._WriteSession, "after_begin", store_module._note_newest_audit)
            else:
                store_module.chain_new_rows = no_chain
                event.remove(store_module._WriteSession, "after_begin", store_module._note_newest_audit)
            took = timed(lambda: staff_dal.set_state(store, person.id, states[i % 2]))
            if i >= 20:  # the first ten of each way warm the caches, unmeasured
                (with_chain if chained else without).append(took)
        store_module.chain_new_rows = chain
        event.listen(store_module._WriteSession, "after_begin", store_module._note_newest_audit)

        def p95(values: list[float]) -> float:
            return statistics.quantiles(values, n=20)[-1]

        a, b = statistics.median(with_chain), statistics.median(without)
        print(f"save with the chain    median {a:6.2f} ms   p95 {p95(with_chain):6.2f} ms")
        print(f"save without (floor)   median {b:6.2f} ms   p95 {p95(without):6.2f} ms")
        print(f"ratio {a / b:.2f}x   chain cost {a - b:+.2f} ms a save")

        engine.dispose()


if __name__ == "__main__":
    main()
