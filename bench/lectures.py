"""Benchmark for issue 5 (lectures): the data-layer calls behind the lectures screen, a
lecture's booking list, the door's lecture list, a check-in and a booking, on a center with
``--leads`` leads and ``--lectures`` lectures of ``--per`` bookings each.

    .venv/bin/python bench/lectures.py [--leads 20000] [--lectures 300] [--per 100] [--runs 30]

Builds a throwaway database with Core inserts (lectures one a day, the last 30 still to
come, one of them today), then prints the median of ``--runs`` calls of each read, and of 20
check-ins (``arrive``: the whole lecture_attendee registration with its follow-up) and 20
bookings of new people.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import insert

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


def build(path: Path, leads: int, lectures: int, per: int):
    from desk.dal import Store
    from desk.dal import staff as staff_dal
    from desk.db import open_database
    from desk.models import Lead, Lecture, LectureBooking

    store = Store(open_database(path), tz=TZ, clock=lambda: NOW)
    staff_dal.add_staff(store, name="王芳", role="consultant", extension="801")
    rng = random.Random(1)
    common = dict(channel="phone", education="unknown", stage="lead", first_contact_at=NOW, created_at=NOW, updated_at=NOW,
                  validity_reasons="[]", first_call_result="connected", has_contact=True, phone_contacted=False, it_related=False,
                  non_computer_only=False, brought_in_person=False, came_after_questionnaire=False, flag_checked=False)
    with store.engine.begin() as conn:
        conn.execute(insert(Lead), [dict(common, name=f"学员{i}", phone=f"+86139{i:08d}", phone_digits=f"139{i:08d}") for i in range(leads)])
        conn.execute(insert(Lecture), [dict(id=i + 1, starts_at=NOW + timedelta(days=i - lectures + 30, hours=4), topic=f"讲座{i}")
                                       for i in range(lectures)])
        conn.execute(insert(LectureBooking), [
            dict(lecture_id=lec, lead_id=lead, attended=rng.random() < 0.6, booked_at=NOW)
            for lec in range(1, lectures + 1) for lead in rng.sample(range(1, leads + 1), per)
        ])
    return store


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=20000)
    parser.add_argument("--lectures", type=int, default=300)
    parser.add_argument("--per", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DESK_HOME"] = tmp
        from desk.dal import lectures as lectures_dal

        store = build(Path(tmp) / "bench.db", args.leads, args.lectures, args.per)
        today = lectures_dal.today(store)[0].id
        print(f"{args.leads} leads, {args.lectures} lectures, {args.lectures * args.per} bookings")
        print(f"lectures() 60 days back on   {median_ms(lambda: lectures_dal.lectures(store), args.runs):6.2f} ms")
        print(f"bookings() of one lecture    {median_ms(lambda: lectures_dal.bookings(store, today), args.runs):6.2f} ms")
        print(f"today() for the door         {median_ms(lambda: lectures_dal.today(store), args.runs):6.2f} ms")
        waiting = iter([b.id for b in lectures_dal.bookings(store, today) if b.status == "booked"][:20])
        print(f"arrive() (door check-in)     {median_ms(lambda: lectures_dal.arrive(store, next(waiting)), 20):6.2f} ms")
        later = [r for r in lectures_dal.lectures(store, upcoming_only=True) if r.starts_at > NOW][-1].id
        names = iter(range(20))

        def book() -> None:
            i = next(names)
            lectures_dal.book(store, later, name=f"新{i}", phone=f"+86137{i:08d}", channel="phone")

        print(f"book() a new person          {median_ms(book, 20):6.2f} ms")
        store.engine.dispose()


if __name__ == "__main__":
    main()
