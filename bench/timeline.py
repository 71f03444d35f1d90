"""Benchmark for issue 5: key to painted for the lead timeline of a lead with 500 events.

    .venv/bin/python bench/timeline.py [--events 500] [--open 20000] [--runs 15] [--freeze-gc]

Builds a throwaway database (bench/keypaint.py), runs the real app headless as the manager,
opens the follow-up queue (F6) and presses ``t`` on its first row, whose lead has the 500
events: the time from that key to the first frame showing the timeline with every row
in and laid out. Floors in the same app and run: a bare screen pushed by a key, and a
bare screen with a DataTable given the same 500 rows (already formatted) by a key. Also the
data layer's ``timeline.events`` and one hand-written UNION ALL query for the same rows.
``--freeze-gc`` moves everything alive after start-up out of the collector's way first
(``gc.freeze()``), as the app could do.
"""

from __future__ import annotations

import os
import sys

# bench/queue.py would shadow the standard library's ``queue`` (used by Textual's driver).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
sys.path.insert(0, os.path.dirname(_HERE))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.keypaint import PaintClock, build, make_app, ms, summary, table_ready  # noqa: E402

RAW_SQL = """
SELECT started_at, 'call', to_staff_id, call_type, outcome, substr(words, 1, 60) FROM call WHERE lead_id = :lead
UNION ALL SELECT arrived_at, 'visit', received_by_id, visitor_type, NULL, NULL FROM visit WHERE lead_id = :lead
UNION ALL SELECT created_at, 'note', staff_id, kind, intent, text FROM consult_note WHERE lead_id = :lead
UNION ALL SELECT created_at, 'follow_up', owner_id, kind, due_at, note FROM follow_up WHERE lead_id = :lead
UNION ALL SELECT done_at, 'follow_up_done', owner_id, kind, result, result_note FROM follow_up WHERE lead_id = :lead AND done_at IS NOT NULL
UNION ALL SELECT created_at, 'trial', consultant_id, course, booked_for, attended FROM trial WHERE lead_id = :lead
UNION ALL SELECT enrolled_at, 'enrollment', consultant_id, course, amount_fen, NULL FROM enrollment WHERE lead_id = :lead
UNION ALL SELECT p.paid_at, p.kind, p.staff_id, p.kind, p.amount_fen, p.reason FROM payment p
    JOIN enrollment e ON e.id = p.enrollment_id WHERE e.lead_id = :lead
ORDER BY 1 DESC
"""


async def drive(store, user_id: int, runs: int, freeze_gc: bool = False) -> dict[str, list[float]]:
    from desk.i18n import set_language
    from desk.screens.followups import FollowUpsScreen

    set_language("en")
    app, bare, bare_table = make_app(store, user_id)
    out: dict[str, list[float]] = {"timeline": [], "cpu": [], "bare": [], "bare_table": []}
    async with app.run_test(size=(160, 50)):
        clock = PaintClock(app)
        await clock.settle()
        if freeze_gc:
            gc.collect()
            gc.freeze()

        async def back() -> None:
            await clock.settle()
            await clock.key("escape", table_ready(app, FollowUpsScreen, "#fu-table"))
            await clock.settle()

        await clock.key("f6", table_ready(app, FollowUpsScreen, "#fu-table"))
        await clock.settle()
        from desk.screens.timeline import TimelineScreen

        for run in range(runs + 1):
            took = await clock.key("t", table_ready(app, TimelineScreen, "#tl-table"))
            if run == 0:  # the first open imports the screen's module
                out["cold"] = took
                table = app.screen.query_one("#tl-table")
                bare_table.rows = [table.get_row_at(i) for i in range(table.row_count)]
            else:
                out["timeline"] += took
                out["cpu"] += clock.cpu
            await back()
        for _ in range(runs):
            out["bare"] += await clock.key("f10", lambda: isinstance(app.screen, bare) and app.screen.is_mounted)
            await back()
            out["bare_table"] += await clock.key("f11", table_ready(app, bare_table, "#bare-table"))
            await back()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--open", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--freeze-gc", action="store_true", help="gc.freeze() once the app has started")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, manager_id, _, lead_id = build(Path(tmp), args.open, args.events)
        from desk.dal import timeline as timeline_dal

        _lead, rows = timeline_dal.events(store, lead_id)
        assert len(rows) == args.events, len(rows)
        dal = ms(lambda: timeline_dal.events(store, lead_id), args.runs)
        db = sqlite3.connect(Path(tmp) / "bench.db")
        raw = ms(lambda: db.execute(RAW_SQL, {"lead": lead_id}).fetchall(), args.runs)
        assert len(db.execute(RAW_SQL, {"lead": lead_id}).fetchall()) == args.events
        times = asyncio.run(drive(store.with_actor(None), manager_id, args.runs, args.freeze_gc))
    floor = statistics.median(times["bare"])
    print(f"lead timeline: {args.events} events, center: {args.open} open follow-ups, runs: {args.runs}, "
          f"terminal 160x50{', gc frozen after start-up' if args.freeze_gc else ''}")
    print(summary("raw SQL (one UNION ALL, sqlite3)", raw))
    print(summary("DAL timeline.events", dal))
    print(summary("key F10 -> bare screen painted", times["bare"], floor))
    print(summary(f"key F11 -> bare DataTable, {args.events} rows", times["bare_table"], floor))
    print(f"{'key t, first open (imports the screen)':<44} {times['cold'][0]:7.1f} ms")
    print(summary(f"key t -> timeline painted, {args.events} rows", times["timeline"], floor))
    print(summary("  the same, CPU time of this process", times["cpu"]))
    verdict = "OK" if statistics.median(times["timeline"]) < 100 else "OVER"
    print(f"budget 100 ms median: {verdict}   (x: ratio to the bare screen push)")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"(whole run {time.perf_counter() - start:.0f} s)")
