"""Benchmarks for issue 5: the follow-up queue of a center with 20,000 open follow-ups, and
a lead timeline with 500 events — median time from the call to the rows being in the table.

    .venv/bin/python bench/queue.py [--open 20000] [--events 500] [--runs 15]

Builds a throwaway database in a temporary folder; prints medians in milliseconds.
"""

from __future__ import annotations

import os
import sys

# This file is called queue.py: keep its folder off the path so the standard library's
# ``queue`` (used by Textual's driver) is the one imported.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI)


def build(folder: Path, open_count: int, events: int):
    os.environ["DESK_HOME"] = str(folder / "home")
    from desk.dal import Store
    from desk.dal import staff as staff_dal
    from desk.db import open_database
    from desk.models import Call, ConsultNote, FollowUp, Lead, Visit
    from desk.models.followup import FOLLOW_UP_KINDS

    store = Store(open_database(folder / "bench.db"), tz=SHANGHAI, clock=lambda: NOW)
    people = [staff_dal.add_staff(store, name=f"顾问{i}", role="consultant") for i in range(8)]
    staff_dal.add_staff(store, name="经理", role="manager")
    rnd = random.Random(5)
    with store.write() as session:
        leads = []
        for i in range(open_count // 2):
            lead = Lead(name=f"学员{i}", phone=f"+86138{i:08d}", phone_digits=f"138{i:08d}", name_pinyin=f"xueyuan{i}",
                        name_initials="xy", owner_id=rnd.choice(people).id, first_contact_at=NOW, created_at=NOW, updated_at=NOW)
            leads.append(lead)
        session.add_all(leads)
        session.flush()
        session.add_all(
            FollowUp(kind=rnd.choice(FOLLOW_UP_KINDS), owner_id=rnd.choice(people).id, lead_id=rnd.choice(leads).id,
                     due_at=NOW + timedelta(minutes=rnd.randint(-20000, 40000)), created_at=NOW)
            for _ in range(open_count)
        )
        target = leads[0]
        for j in range(events):
            at = NOW - timedelta(hours=j)
            kind = j % 3
            if kind == 0:
                session.add(Call(started_at=at, call_type="repeat_inquiry", lead_id=target.id, words="again"))
            elif kind == 1:
                session.add(Visit(arrived_at=at, visitor_type="repeat_walk_in", lead_id=target.id))
            else:
                session.add(ConsultNote(lead_id=target.id, staff_id=people[0].id, kind="phone", created_at=at, text="note"))
    return store, people[0], target.id


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def screen_bench(store, user_id: int, lead_id: int, runs: int) -> tuple[float, float]:
    from desk.app import DeskApp
    from desk.config import load
    from desk.i18n import set_language
    from desk.screens.timeline import TimelineScreen

    set_language("en")
    app = DeskApp(store, load(None), database="bench.db", user_id=user_id)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        queue = median_ms(lambda: screen.refresh_queue(), runs)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            await app.push_screen(TimelineScreen(lead_id))
            await pilot.pause()
            times.append((time.perf_counter() - start) * 1000)
            app.pop_screen()
            await pilot.pause()
        await app.push_screen(TimelineScreen(lead_id))
        await pilot.pause()
        timeline = app.screen
        fill = median_ms(lambda: timeline._fill(), runs)
    return queue, statistics.median(times), fill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=20000)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, consultant, lead_id = build(Path(tmp), args.open, args.events)
        from desk.dal import followups as fu_dal
        from desk.dal import timeline as timeline_dal

        print(f"queue (everyone, {args.open} open), DAL: {median_ms(lambda: fu_dal.queue(store), args.runs):.1f} ms")
        print(f"queue (one consultant), DAL:       {median_ms(lambda: fu_dal.queue(store, owner_id=consultant.id), args.runs):.1f} ms")
        print(f"sweep (idempotent), DAL:           {median_ms(lambda: fu_dal.sweep(store), args.runs):.1f} ms")
        print(f"timeline ({args.events} events), DAL:     {median_ms(lambda: timeline_dal.events(store, lead_id), args.runs):.1f} ms")
        queue_ms, timeline_ms, fill_ms = asyncio.run(screen_bench(store.with_actor(None), consultant.id, lead_id, args.runs))
        print(f"queue screen refresh (painted rows): {queue_ms:.1f} ms")
        print(f"timeline screen open incl. mount and idle wait: {timeline_ms:.1f} ms")
        print(f"timeline table fill ({args.events} rows): {fill_ms:.1f} ms")


if __name__ == "__main__":
    main()
