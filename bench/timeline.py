"""Benchmark for issue 5: key to painted for the lead timeline of a lead with 500 events.

    .venv/bin/python bench/timeline.py [--events 500] [--open 20000] [--runs 15]

Builds a throwaway database (bench/keypaint.py), runs the real app headless as the manager,
opens the follow-up queue (F6) and presses ``t`` on its first row, whose lead has the 500
events: the time from that key to the first frame showing the timeline with every row
measured and laid out. Floors in the same app and run: a bare screen pushed by a key, and a
bare screen with a DataTable given the same 500 rows (already formatted) by a key. Also the
data layer's ``timeline.events`` and one hand-written UNION ALL query for the same rows.
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


async def drive(store, user_id: int, runs: int) -> dict[str, list[float]]:
    from desk.i18n import set_language
    from desk.screens.followups import FollowUpsScreen

    set_language("en")
    app, bare, bare_table = make_app(store, user_id)
    out: dict[str, list[float]] = {"first": [], "all": [], "cpu": [], "bare": [], "bare_table": []}
    async with app.run_test(size=(160, 50)):
        clock = PaintClock(app)
        await clock.settle()

        async def back() -> None:
            await clock.settle()
            await clock.key("escape", table_ready(app, FollowUpsScreen, "#fu-table"))
            await clock.settle()

        await clock.key("f6", table_ready(app, FollowUpsScreen, "#fu-table", complete=True))
        await clock.settle()
        from desk.screens.timeline import TimelineScreen

        for run in range(runs + 1):
            first, every = await clock.key("t", table_ready(app, TimelineScreen, "#tl-table"),
                                           table_ready(app, TimelineScreen, "#tl-table", complete=True))
            if run == 0:  # the first open imports the screen's module
                out["cold"] = [first, every]
                table = app.screen.query_one("#tl-table")
                bare_table.rows = [table.get_row_at(i) for i in range(table.row_count)]
            else:
                out["first"].append(first)
                out["all"].append(every)
                out["cpu"].append(clock.cpu[0])
            await back()
        for _ in range(runs):
            out["bare"] += await clock.key("f10", lambda: isinstance(app.screen, bare) and app.screen.is_mounted)
            await back()
            out["bare_table"] += await clock.key("f11", table_ready(app, bare_table, "#bare-table", complete=True))
            await back()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--open", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, manager_id, _, lead_id = build(Path(tmp), args.open, args.events)
        from desk.dal import timeline as timeline_dal

        lead, rows = timeline_dal.events(store, lead_id)
        assert len(rows) == args.events, len(rows)
        dal = ms(lambda: timeline_dal.events(store, lead_id), args.runs)
        db = sqlite3.connect(Path(tmp) / "bench.db")
        raw = ms(lambda: db.execute(RAW_SQL, {"lead": lead_id}).fetchall(), args.runs)
        assert len(db.execute(RAW_SQL, {"lead": lead_id}).fetchall()) == args.events
        times = asyncio.run(drive(store.with_actor(None), manager_id, args.runs))
    floor = statistics.median(times["bare"])
    print(f"lead timeline: {args.events} events, center: {args.open} open follow-ups, runs: {args.runs}, "
          f"terminal 160x50")
    print(summary("raw SQL (one UNION ALL, sqlite3)", raw))
    print(summary("DAL timeline.events", dal))
    print(summary("key F10 -> bare screen painted", times["bare"], floor))
    print(summary(f"key F11 -> bare DataTable, {args.events} rows", times["bare_table"], floor))
    cold_first, cold_all = times["cold"]
    print(f"{'key t, first open (imports the screen)':<44} first rows {cold_first:6.1f} ms   all rows {cold_all:6.1f} ms")
    print(summary("key t -> timeline, first rows painted", times["first"], floor))
    print(summary(f"key t -> timeline, all {args.events} rows in", times["all"], floor))
    print(summary("key t -> first rows painted, CPU time", times["cpu"]))
    verdict = "OK" if statistics.median(times["first"]) < 100 else "OVER"
    print(f"budget 100 ms median: {verdict}   (x: ratio to the bare screen push)")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"(whole run {time.perf_counter() - start:.0f} s)")
