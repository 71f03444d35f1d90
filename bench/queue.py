"""Benchmark for issue 5: key to painted for the follow-up queue of a center with 20,000 open
follow-ups (the manager's view: everyone's, 500 rows shown).

    .venv/bin/python bench/queue.py [--open 20000] [--apps 5] [--runs 6] [--freeze-gc] [--unbuilt]

Builds a throwaway database (bench/keypaint.py), then starts the real app headless as the
manager ``--apps`` times in this process. In each: F6 opens the queue for the first time
(desk has built the screen behind home after start-up, and in the first app imported its
module; ``--unbuilt``: it has not, as for a receptionist: F6 creates it), then ``--runs`` times
F2 (home) and F6 again (the screen is shown again: the promised-visit sweep and a refill).
Each is timed from the key to the first frame with the fresh rows, all 500 in and laid
out (a stale frame of the old rows may come first: the mode switch paints before the
refill). Floors in the same apps: a bare screen pushed by a key, and a bare DataTable given
the same 500 rows by a key. Also the data layer's calls and the raw SQL of the queue (its
page and its three counts) on sqlite3. ``--freeze-gc``: ``gc.freeze()`` once the first app
has started, as the app could.
"""

from __future__ import annotations

import os
import sys

# This file is called queue.py: keep its folder off the path so the standard library's
# ``queue`` (used by Textual's driver) is the one imported.
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
from datetime import UTC  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.keypaint import PaintClock, build, make_app, ms, summary, table_ready  # noqa: E402

RAW_PAGE = """
SELECT f.id, f.kind, f.due_at, f.owner_id, s.name, f.lead_id, l.name, l.phone, f.note
FROM (SELECT id, kind, due_at, owner_id, lead_id, note FROM follow_up WHERE done_at IS NULL
      ORDER BY due_at, id LIMIT 500) f
LEFT JOIN lead l ON l.id = f.lead_id LEFT JOIN staff s ON s.id = f.owner_id ORDER BY f.due_at, f.id
"""
RAW_COUNTS = [
    "SELECT count(*) FROM follow_up WHERE done_at IS NULL AND due_at < :now",
    "SELECT count(*) FROM follow_up WHERE done_at IS NULL AND due_at >= :now AND due_at < :end",
    "SELECT count(*) FROM follow_up WHERE done_at IS NULL AND due_at >= :end",
]


async def drive(store, user_id: int, apps: int, runs: int, freeze_gc: bool = False,
                unbuilt: bool = False) -> dict[str, list[float]]:
    from desk.i18n import set_language
    from desk.screens.home import HomeScreen

    set_language("en")
    out: dict[str, list[float]] = {"cold": [], "again": [], "cpu": [], "bare": [], "bare_table": []}
    for n in range(apps):
        app, bare, bare_table = make_app(store, user_id)
        if unbuilt:
            app._build_followups = lambda: None
        async with app.run_test(size=(160, 50)):
            clock = PaintClock(app)
            await clock.settle()
            if freeze_gc and n == 0:
                gc.collect()
                gc.freeze()
            from desk.screens.followups import FollowUpsScreen

            def fresh():
                return table_ready(app, FollowUpsScreen, "#fu-table")

            took = await clock.key("f6", fresh())
            if n == 0:
                out["import"] = took  # the first open in the process imports the module
                table = app.screen.query_one("#fu-table")
                bare_table.rows = [table.get_row_at(i) for i in range(table.row_count)]
            else:
                out["cold"] += took
            await clock.settle()
            for _ in range(runs):
                await clock.key("f2", lambda: isinstance(app.screen, HomeScreen))
                await clock.settle()
                out["again"] += await clock.key("f6", fresh())
                out["cpu"] += clock.cpu
                await clock.settle()
            if n == 0:
                for _ in range(runs):
                    out["bare"] += await clock.key("f10", lambda: isinstance(app.screen, bare) and app.screen.is_mounted)
                    await clock.settle()
                    await clock.key("escape", fresh())
                    await clock.settle()
                    out["bare_table"] += await clock.key("f11", table_ready(app, bare_table, "#bare-table"))
                    await clock.settle()
                    await clock.key("escape", fresh())
                    await clock.settle()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=20000)
    parser.add_argument("--apps", type=int, default=5)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--freeze-gc", action="store_true", help="gc.freeze() once the first app has started")
    parser.add_argument("--unbuilt", action="store_true", help="desk does not build the queue behind home: F6 creates it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, manager_id, consultant_id, _ = build(Path(tmp), args.open)
        from desk.config import load
        from desk.dal import followups as fu_dal

        config = load(None)
        rounds = 3 * args.runs
        dal = {
            "queue (everyone)": ms(lambda: fu_dal.queue(store), rounds),
            "queue (one consultant)": ms(lambda: fu_dal.queue(store, owner_id=consultant_id), rounds),
            "day_counts (everyone)": ms(lambda: fu_dal.day_counts(store, None, config), rounds),
            "sweep (idempotent)": ms(lambda: fu_dal.sweep(store, config), rounds),
        }
        db = sqlite3.connect(Path(tmp) / "bench.db")
        _, end = store.day_bounds(store.today())
        # As the data layer binds them: naive UTC, as SQLite stores them.
        stamp = {name: at.astimezone(UTC).replace(tzinfo=None) for name, at in (("now", store.now()), ("end", end))}

        def raw() -> None:
            assert len(db.execute(RAW_PAGE).fetchall()) == 500
            for sql in RAW_COUNTS:
                db.execute(sql, stamp).fetchone()

        raw_ms = ms(raw, rounds)
        times = asyncio.run(drive(store.with_actor(None), manager_id, args.apps, args.runs, args.freeze_gc, args.unbuilt))
    floor = statistics.median(times["bare"])
    print(f"follow-up queue: {args.open} open, manager's view (500 rows), terminal 160x50, "
          f"{args.apps} apps x {args.runs} runs{', gc frozen after start-up' if args.freeze_gc else ''}"
          f"{', queue not built behind home' if args.unbuilt else ''}")
    print(summary("raw SQL (page of 500 + 3 counts, sqlite3)", raw_ms))
    for label, values in dal.items():
        print(summary(f"DAL {label}", values))
    print(summary("key F10 -> bare screen painted", times["bare"], floor))
    print(summary("key F11 -> bare DataTable, 500 rows", times["bare_table"], floor))
    print(f"{'F6, first in the process (imports it)':<44} {times['import'][0]:7.1f} ms")
    if times["cold"]:
        print(summary("F6, first in an app -> rows painted", times["cold"], floor))
    print(summary("F6 from home again -> fresh rows painted", times["again"], floor))
    print(summary("  the same, CPU time of this process", times["cpu"]))
    for label, values in (("F6 again", times["again"]), ("F6 first in an app", times["cold"])):
        if values:
            verdict = "OK" if statistics.median(values) < 100 else "OVER"
            print(f"budget 100 ms median, {label}: {verdict}")
    print("(x: ratio to the bare screen push)")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"(whole run {time.perf_counter() - start:.0f} s)")
