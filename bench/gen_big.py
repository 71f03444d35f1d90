"""Generate a big desk database for the report benchmark (issue 6).

    .venv/bin/python bench/gen_big.py [/tmp/desk-big.db] [--calls 1000000] [--leads 200000] [--days 365]
    .venv/bin/python bench/gen_big.py /tmp/h.db --days 1095 --per-day 500 --open-days 30   # bench/history.py

``--per-day N``: N calls and N/5 leads a day whatever ``--days`` (constant daily volume);
``--open-days D``: a follow-up due more than D days ago has been done (as at a center, where
nothing stays open for a year), so the open ones do not grow with history.

A throwaway SQLite file: the schema comes from desk's own migrations, the rows are bulk
inserted with ``executemany`` in one transaction (no ORM, no audit trail), spread over the
``--days`` days up to 2026-11-26 (the benchmark's "today"), business hours in Asia/Shanghai.
Besides the calls and leads it adds what the report reads: visits, trials, enrollments,
payments (balances, refunds), follow-ups and rotation assignments, in realistic proportions.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desk.models.call import CALL_TYPES, OUTCOMES
from desk.models.followup import FOLLOW_UP_KINDS
from desk.models.lead import CHANNELS, EDUCATIONS
from desk.models.visit import VISITOR_TYPES

TODAY = date(2026, 11, 26)
UTC_OFFSET = timedelta(hours=8)  # Asia/Shanghai has no daylight saving
CONSULTANTS = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆"]
OTHERS = [("周敏", "receptionist"), ("吴校长", "principal"), ("郑经理", "manager"), ("孙老师", "teacher")]
SOURCES = ["百度", "抖音", "朋友介绍", "招聘网站", "传单", "公交广告", "微信公众号", "小红书", "官网", None]
REASONS = ['["under_18"]', '["education_below_high_school"]', '["not_it_related"]', '["no_recording"]',
           '["first_call_not_connected"]', '["age_unknown", "education_unknown"]']  # fmt: skip
COURSES = ["UI设计", "Java开发", "Python数据分析", "平面设计", "3D建模", "网络工程", "办公自动化", "电商运营"]


def stamp(local_day: date, seconds: int) -> str:
    """The text SQLAlchemy stores for an aware time on SQLite: naive UTC, microseconds."""
    moment = datetime(local_day.year, local_day.month, local_day.day) + timedelta(seconds=seconds) - UTC_OFFSET
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


def business_seconds(rng: random.Random) -> int:
    return rng.randint(8 * 3600 + 1800, 20 * 3600 + 1800)


def generate(path: Path, calls: int, leads: int, days: int, seed: int = 1, open_days: int | None = None) -> dict[str, int]:
    from desk.db import open_database

    if path.exists():
        path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(path).dispose()  # the schema, by desk's migrations

    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    first_day = TODAY - timedelta(days=days - 1)
    day_list = [first_day + timedelta(days=i) for i in range(days)]
    created = "2025-01-01 00:00:00.000000"
    counts: dict[str, int] = {}
    with conn:
        staff = [(i + 1, name, "consultant", "free", 1, 0, 1, i + 1, created) for i, name in enumerate(CONSULTANTS)]
        staff += [(len(CONSULTANTS) + i + 1, name, role, "free", 1, 0, 1, None, created) for i, (name, role) in enumerate(OTHERS)]
        conn.executemany(
            "INSERT INTO staff (id, name, role, state, on_duty, is_new, active, rotation_position, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            staff,
        )
        cids = list(range(1, len(CONSULTANTS) + 1))

        # leads: 200k spread evenly over the days
        lead_rows = []
        lead_day = []
        for i in range(leads):
            day = day_list[i * days // leads]
            at = stamp(day, business_seconds(rng))
            verdict = rng.random()
            valid = 1 if verdict < 0.6 else (0 if verdict < 0.9 else None)
            lead_rows.append(
                (
                    i + 1, f"客户{i}", f"+86138{i:08d}", f"138{i:08d}", rng.randint(16, 40), rng.choice(EDUCATIONS),
                    rng.choice(COURSES), 1, 0, rng.choice(SOURCES), rng.choice(CHANNELS), "lead", rng.choice(cids), 1,
                    0, 0, 0, "connected", valid, rng.choice(REASONS) if valid == 0 else "[]", 0, at, at, at,
                )
            )  # fmt: skip
            lead_day.append(day)
        conn.executemany(
            "INSERT INTO lead (id, name, phone, phone_digits, age, education, course_interest, it_related, non_computer_only,"
            " media_source, channel, stage, owner_id, has_contact, phone_contacted, brought_in_person,"
            " came_after_questionnaire, first_call_result, valid, validity_reasons, flag_checked, first_contact_at,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            lead_rows,
        )
        counts["lead"] = leads

        # calls: 1M, a third of them inquiries
        weights = [30, 6, 10, 12, 8, 8, 6, 2, 6, 12]
        call_rows = []
        for i in range(calls):
            day = day_list[i * days // calls]
            call_type = rng.choices(CALL_TYPES, weights)[0]
            inquiry = call_type in ("first_inquiry", "proxy_inquiry", "repeat_inquiry")
            outcome = rng.choice(("transferred", "transferred", "transferred", "message_taken")) if inquiry else rng.choice(OUTCOMES)
            call_rows.append(
                (
                    i + 1, stamp(day, business_seconds(rng)), f"+86139{rng.randint(0, 10**8 - 1):08d}", "", call_type,
                    outcome, rng.choice(cids) if inquiry or rng.random() < 0.3 else None,
                    rng.randint(1, leads) if inquiry else None, f"rec/{i}.mp3" if rng.random() < 0.7 else None,
                    1 if rng.random() < 0.9 else 0,
                )
            )  # fmt: skip
        conn.executemany(
            "INSERT INTO call (id, started_at, caller_number, words, call_type, outcome, to_staff_id, lead_id,"
            " recording_ref, register_complete) VALUES (?,?,?,?,?,?,?,?,?,?)",
            call_rows,
        )
        counts["call"] = calls
        del call_rows

        # visits, trials, enrollments, payments, follow-ups, rotation: per day
        visits, trials, enrolls, payments, follow, rotation = [], [], [], [], [], []
        per_day_leads = max(1, leads // days)
        for d_index, day in enumerate(day_list):
            base = d_index * per_day_leads + 1
            for _ in range(per_day_leads // 2):
                lead_id = rng.randint(base, min(base + per_day_leads, leads))
                visits.append((stamp(day, business_seconds(rng)), rng.choice(VISITOR_TYPES), lead_id, rng.choice(cids), 1))
            for _ in range(per_day_leads // 12):
                trials.append((rng.randint(1, leads), rng.choice(cids), stamp(day, 19 * 3600), rng.random() < 0.7, stamp(day, 9 * 3600)))
            for _ in range(per_day_leads // 8):
                enrolls.append((len(enrolls) + 1, rng.randint(1, leads), rng.choice(cids), rng.choice(COURSES),
                                rng.choice((880000, 1280000, 1680000, 320000)), stamp(day, business_seconds(rng))))  # fmt: skip
            recent = open_days is None or (TODAY - day).days <= open_days
            for _ in range(per_day_leads):
                due = stamp(day, business_seconds(rng))
                done = stamp(day, business_seconds(rng) + 3600) if rng.random() < 0.8 or not recent else None
                follow.append((rng.choice(FOLLOW_UP_KINDS), rng.choice(cids), rng.randint(1, leads), due, done, due))
            for pool in ("walk_in", "phone", "market"):
                for _ in range(per_day_leads // 3):
                    rotation.append((pool, rng.choice(cids), day.isoformat(), stamp(day, business_seconds(rng)), 0))
        for enrollment_id, _lead, _c, _course, fen, enrolled in enrolls:
            payments.append((enrollment_id, "initial", fen // 2, enrolled))
            paid_day = datetime.strptime(enrolled[:10], "%Y-%m-%d").date() + timedelta(days=rng.randint(1, 40))
            if paid_day <= TODAY:
                payments.append((enrollment_id, "balance", fen // 2, stamp(paid_day, 11 * 3600)))
            if rng.random() < 0.05:
                refund_day = datetime.strptime(enrolled[:10], "%Y-%m-%d").date() + timedelta(days=rng.randint(3, 60))
                if refund_day <= TODAY:
                    payments.append((enrollment_id, "refund", fen // 4, stamp(refund_day, 15 * 3600)))
        conn.executemany("INSERT INTO visit (arrived_at, visitor_type, lead_id, received_by_id, group_size) VALUES (?,?,?,?,?)", visits)
        conn.executemany("INSERT INTO trial (lead_id, consultant_id, booked_for, attended, created_at) VALUES (?,?,?,?,?)", trials)
        conn.executemany(
            "INSERT INTO enrollment (id, lead_id, consultant_id, course, amount_fen, enrolled_at) VALUES (?,?,?,?,?,?)", enrolls
        )
        conn.executemany("INSERT INTO payment (enrollment_id, kind, amount_fen, paid_at) VALUES (?,?,?,?)", payments)
        conn.executemany(
            "INSERT INTO follow_up (kind, owner_id, lead_id, due_at, done_at, created_at) VALUES (?,?,?,?,?,?)", follow
        )
        conn.executemany(
            "INSERT INTO rotation_assignment (pool, staff_id, day, assigned_at, on_duty) VALUES (?,?,?,?,?)", rotation
        )
        counts.update(visit=len(visits), trial=len(trials), enrollment=len(enrolls), payment=len(payments),
                      follow_up=len(follow), rotation_assignment=len(rotation))  # fmt: skip
    conn.execute("ANALYZE")
    conn.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/tmp/desk-big.db")
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-day", type=int, help="calls a day (and a fifth as many leads): overrides --calls and --leads")
    parser.add_argument("--open-days", type=int, help="follow-ups due longer ago than this are done")
    args = parser.parse_args()
    if args.per_day:
        args.calls, args.leads = args.per_day * args.days, args.per_day // 5 * args.days
    started = time.perf_counter()
    counts = generate(Path(args.path), args.calls, args.leads, args.days, args.seed, args.open_days)
    print(f"{args.path}: {counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
