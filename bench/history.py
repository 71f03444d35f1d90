"""Is the one-day report flat in history? (issue 16)

    .venv/bin/python bench/history.py [--per-day 500] [--histories 4 365 1095] [--runs 7]

For each history length, a database (built once by bench/gen_big.py into
/tmp/desk-history-<days>.db) with the same daily volume, ``--per-day`` calls and a fifth as
many leads a day, follow-ups done within 30 days (``--open-days 30``); then the median time of
the day report (``desk.reporting.day.build``) of the last full day beside the hand-written SQL
floor of bench/report.py on the same connection in the same run, their ratio, and that their
figures agree. Budget: desk <= 2x its floor, and about the same time for every history.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/queue.py would shadow the standard library's queue: this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.gen_big import generate  # noqa: E402
from bench.report import DAY, HAND_DAY, interleaved, make_store, stored  # noqa: E402


def measure(path: Path, runs: int) -> tuple[float, float, float, float, int]:
    from desk.dal.reports import Period
    from desk.i18n import set_language
    from desk.reporting import day

    set_language("en")
    store = make_store(path)
    day.build(store, DAY)  # warm: imports, statement compilation, the file's pages
    period = Period.of(store, DAY)
    conn = sqlite3.connect(path)
    params = {"s": stored(period.start), "e": stored(period.end), "a": stored(period.as_of),
              "d1": DAY.isoformat(), "d2": DAY.isoformat()}  # fmt: skip
    conn.execute(HAND_DAY, params).fetchall()
    t_desk, t_hand, t_totals, fastest, doc = interleaved(store, conn, params, runs)
    conn.close()
    store.engine.dispose()
    return t_desk, t_hand, t_totals, fastest, doc["follow_ups"]["overdue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--histories", type=int, nargs="+", default=[4, 365, 1095])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    worst = 0.0
    for days in args.histories:
        path = Path(f"/tmp/desk-history-{days}-{args.per_day}.db")
        if not path.exists():
            generate(path, args.per_day * days, args.per_day // 5 * days, days, open_days=30)
        t_desk, t_hand, t_totals, fastest, overdue = measure(path, args.runs)
        worst = max(worst, t_desk / t_hand)
        print(f"{days:5d} days of history   day report {t_desk * 1000:7.2f} ms   hand SQL {t_hand * 1000:6.2f} ms   "
              f"ratio {t_desk / t_hand:4.1f}x   (fastest runs {fastest:.1f}x; {overdue} overdue; "
              f"totals-only floor {t_totals * 1000:.2f} ms)")  # fmt: skip
    print(f"budget desk <= 2x its floor: {'met' if worst <= 2 else 'MISSED'} (worst {worst:.1f}x)")


if __name__ == "__main__":
    main()
