"""Benchmark of ``desk report pay`` (the month-end, issue 15) on a big database.

    .venv/bin/python bench/gen_big.py /tmp/desk-big.db        # 1,000,000 calls, 200,000 leads
    .venv/bin/python bench/pay.py /tmp/desk-big.db [--month 2026-09] [--runs 5]

gen_big writes no level records or QA reviews: the first run adds a level record per
consultant per quarter and 40 QA reviews per consultant per month of the year (once; the
database is the benchmark's). Then it prints the median wall time of the month-end document
(``desk.reporting.pay.build_pay``: six months of payments with their enrollments, the levels,
the QA averages, the refunds of the month within the window) beside hand-written SQL computing
the same sales, QA and levels in the same run, and checks that the figures agree.
Budget: < 2 s.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import SH, make_store, median_time, stored

# Per consultant and local month: received within the window, refunds, and the center's sales
# (late payments too). Local days are UTC + 8 hours (Asia/Shanghai has no daylight saving).
HAND_SALES = """
SELECT e.consultant_id, strftime('%Y-%m', p.paid_at, '+8 hours') AS month,
       sum(CASE WHEN p.kind != 'refund' AND julianday(date(p.paid_at, '+8 hours'))
                     - julianday(date(e.enrolled_at, '+8 hours')) <= :w THEN p.amount_fen ELSE 0 END),
       sum(CASE WHEN p.kind = 'refund' THEN p.amount_fen ELSE 0 END),
       sum(CASE WHEN p.kind = 'refund' THEN -p.amount_fen ELSE p.amount_fen END), count(*)
FROM payment p JOIN enrollment e ON e.id = p.enrollment_id
WHERE p.paid_at >= :s AND p.paid_at < :e
GROUP BY 1, 2
"""
HAND_QA = "SELECT staff_id, count(*), avg(total) FROM qa_review WHERE consult_at >= :ms AND consult_at < :e GROUP BY 1"
HAND_LEVELS = """
SELECT l.staff_id, l.level FROM level_record l
JOIN (SELECT staff_id, max(id) AS id FROM level_record WHERE decided_at < :e GROUP BY staff_id) n ON n.id = l.id
"""


def add_grades(path: Path) -> None:
    """Level records and QA reviews for every consultant over the year, unless there are some."""
    conn = sqlite3.connect(path)
    with conn:
        if conn.execute("SELECT count(*) FROM qa_review").fetchone()[0]:
            return
        rng = random.Random(15)
        consultants = [row[0] for row in conn.execute("SELECT id FROM staff WHERE role = 'consultant'")]
        manager = conn.execute("SELECT id FROM staff WHERE role = 'manager'").fetchone()[0]
        levels, reviews = [], []
        for month in range(1, 12):
            for staff in consultants:
                if month % 3 == 1:
                    decided = datetime(2026, month, 1, 10, tzinfo=SH)
                    levels.append((staff, rng.randint(2, 6), rng.choice(("regular", "regular", "demoted")), stored(decided)))
                for _ in range(40):
                    when = datetime(2026, month, rng.randint(1, 28), rng.randint(9, 18), tzinfo=SH)
                    reviews.append((staff, manager, stored(when), rng.randint(40, 100), stored(when)))
        conn.executemany("INSERT INTO level_record (staff_id, level, status, criteria, decided_at) VALUES (?,?,?,'{}',?)", levels)
        conn.executemany(
            "INSERT INTO qa_review (staff_id, reviewer_id, consult_at, marks, items, bonus, total, fatal, created_at)"
            " VALUES (?,?,?,'{}','{}',0,?,0,?)",
            reviews,
        )
    conn.close()


def bench_pay(path: Path, year: int, month: int, runs: int) -> dict[str, float]:
    from desk.config import load
    from desk.dal.reports import Period
    from desk.i18n import set_language
    from desk.reporting.month import month_days
    from desk.reporting.pay import build_pay, label, quarter_months, shift

    set_language("en")
    add_grades(path)
    store = make_store(path)
    config = load(None)
    build_pay(store, config, year, month)  # warm the caches: imports, statement compilation

    t_desk, doc = median_time(lambda: build_pay(store, config, year, month), runs)
    earliest = shift(quarter_months((year, month))[0], -3)
    span = Period.of(store, month_days(*earliest)[0], month_days(year, month)[1])
    this = Period.of(store, *month_days(year, month))
    params = {"s": stored(span.start), "e": stored(span.end), "ms": stored(this.start), "w": config.pay.window_days}
    conn = sqlite3.connect(path)

    def hand():
        return (conn.execute(HAND_SALES, params).fetchall(), conn.execute(HAND_QA, params).fetchall(),
                conn.execute(HAND_LEVELS, params).fetchall())  # fmt: skip

    t_hand, (sales, qa, levels) = median_time(hand, runs)
    names = dict(conn.execute("SELECT id, name FROM staff"))
    conn.close()
    key = label((year, month))
    mine = {names[c]: received - refunds for c, m, received, refunds, _, _ in sales if m == key and c is not None}
    for row in doc["people"]:
        assert row["sales_fen"] == mine.get(row["name"], 0), (row["name"], row["sales_fen"], mine.get(row["name"]))
    assert doc["center"]["sales_fen"] == sum(center for _, m, _, _, center, _ in sales if m == key)
    averages = {names[s]: (n, round(avg, 1)) for s, n, avg in qa}
    assert all((r["qa_reviews"], r["qa_average"]) == averages.get(r["name"], (0, None)) for r in doc["people"])
    recorded = {names[s]: level for s, level in levels}
    assert all(r["level"] == recorded.get(r["name"]) for r in doc["people"])
    payments = sum(n for *_, n in sales)
    print(f"desk report pay {key} {t_desk * 1000:8.1f} ms   hand SQL {t_hand * 1000:7.1f} ms   "
          f"ratio {t_desk / t_hand:4.1f}x   ({len(doc['people'])} consultants, {payments} payments in 6 months, "
          f"center {doc['center']['sales']:,.2f}, reached {doc['center']['reached_on']})")  # fmt: skip
    store.engine.dispose()
    return {"pay": t_desk, "hand_pay": t_hand}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/tmp/desk-big.db")
    parser.add_argument("--month", default="2026-09", help="YYYY-MM; September is a quarter's last month")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from desk.reporting.month import parse_month

    year, month = parse_month(args.month)
    figures = bench_pay(Path(args.path), year, month, args.runs)
    if figures["pay"] >= 2.0:
        print(f"over budget: {figures['pay']:.2f} s >= 2 s")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
