"""Benchmark of desk report and desk import on a big database (issue 6).

    .venv/bin/python bench/gen_big.py /tmp/desk-big.db        # 1,000,000 calls, 200,000 leads
    .venv/bin/python bench/report.py /tmp/desk-big.db [--runs 5] [--import-rows 50000]

Prints the median wall time of: the one-day report (``desk.reporting.day.build``), the month
report (``desk.reporting.month.build_month``), each beside hand-written SQL reading every
figure the report shows, timed in turn within each run (and checks that the figures agree),
and their ratio; then (unless ``--import-rows 0``) the import of a generated 50,000-row csv
(into a copy of the database), and its re-run. Budgets: each report <= 2x its floor (issue
16); day < 1 s, month < 3 s, import < 10 s (issue 6).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 25)

# The day's floor: one statement reading every figure the report shows, as rows of (section,
# seven keys, n, m), each section grouped by the keys the report splits it by (call type,
# outcome, consultant, partner, ...), as desk reads them: the whole report but its Python.
# Bounds are the stored text of the UTC instants; the payment window is counted in local
# days (+8 hours) here, by desk in Python. Overdue follow-ups are the open ones due before
# as_of plus those done after it (``+due_at``: SQLite reads that part by the done_at index),
# so the floor, like desk, does not grow with history.
HAND_DAY = """
SELECT 'call', call_type, outcome, to_staff_id, partner_id, NULL, NULL, NULL, count(*), 0 FROM call
  WHERE started_at >= :s AND started_at < :e GROUP BY 2, 3, 4, 5
UNION ALL SELECT 'lead', channel, media_source, valid, CASE WHEN valid = 0 THEN validity_reasons END, owner_id, partner_id,
  merged_into_id IS NULL, count(*), 0 FROM lead WHERE first_contact_at >= :s AND first_contact_at < :e GROUP BY 2, 3, 4, 5, 6, 7, 8
UNION ALL SELECT 'reassign', a.row_id, a.changes, a.at, NULL, NULL, NULL, NULL, 0, 0 FROM audit a JOIN lead l ON l.id = a.row_id
  WHERE a.action = 'reassign' AND a.table_name = 'lead' AND l.first_contact_at >= :s AND l.first_contact_at < :e
  AND a.at > l.first_contact_at
UNION ALL SELECT 'visit', visitor_type, received_by_id, partner_id, NULL, NULL, NULL, NULL, count(*), count(lead_id) FROM visit
  WHERE arrived_at >= :s AND arrived_at < :e GROUP BY 2, 3, 4
UNION ALL SELECT 'rotation', pool, staff_id, NULL, NULL, NULL, NULL, NULL, count(*), 0 FROM rotation_assignment
  WHERE day >= :d1 AND day <= :d2 GROUP BY 2, 3
UNION ALL SELECT 'trial', consultant_id, NULL, NULL, NULL, NULL, NULL, NULL, count(*), coalesce(sum(attended), 0) FROM trial
  WHERE booked_for >= :s AND booked_for < :e GROUP BY 2
UNION ALL SELECT 'enroll', e.consultant_id, l.partner_id, NULL, NULL, NULL, NULL, NULL, count(*), coalesce(sum(e.amount_fen), 0)
  FROM enrollment e LEFT JOIN lead l ON l.id = e.lead_id WHERE e.enrolled_at >= :s AND e.enrolled_at < :e GROUP BY 2, 3
UNION ALL SELECT 'pay', e.consultant_id, p.kind, julianday(date(p.paid_at, '+8 hours')) - julianday(date(e.enrolled_at, '+8 hours')) <= 30,
  NULL, NULL, NULL, NULL, count(*), sum(p.amount_fen) FROM payment p JOIN enrollment e ON e.id = p.enrollment_id
  WHERE p.paid_at >= :s AND p.paid_at < :e GROUP BY 2, 3, 4
UNION ALL SELECT 'done', kind, owner_id, NULL, NULL, NULL, NULL, NULL, count(*), 0 FROM follow_up
  WHERE done_at >= :s AND done_at < :e GROUP BY 2, 3
UNION ALL SELECT 'overdue', kind, owner_id, NULL, NULL, NULL, NULL, NULL, count(*), 0 FROM (
  SELECT kind, owner_id FROM follow_up WHERE done_at IS NULL AND due_at < :a
  UNION ALL SELECT kind, owner_id FROM follow_up WHERE done_at > :a AND +due_at < :a) GROUP BY 2, 3
UNION ALL SELECT 'callback', owner_id, count(done_at), NULL, NULL, NULL, NULL, NULL, count(*),
  sum(done_at > due_at OR (done_at IS NULL AND due_at < :a)) FROM follow_up
  WHERE kind = 'callback' AND due_at >= :s AND due_at < :e GROUP BY 2
UNION ALL SELECT 'outreach', o.id, o.kind, s.staff_id, NULL, NULL, NULL, NULL, 0, 0 FROM outreach o
  LEFT JOIN outreach_staff s ON s.outreach_id = o.id WHERE o.day >= :d1 AND o.day <= :d2
UNION ALL SELECT 'contact', o.kind, c.new_lead, c.collector_id, NULL, NULL, NULL, NULL, count(*), 0 FROM outreach_contact c
  JOIN outreach o ON o.id = c.outreach_id WHERE o.day >= :d1 AND o.day <= :d2 GROUP BY 2, 3, 4
UNION ALL SELECT 'partner', id, name, kind, NULL, NULL, NULL, NULL, 0, 0 FROM partner WHERE id IN (
  SELECT partner_id FROM call WHERE started_at >= :s AND started_at < :e
  UNION SELECT partner_id FROM visit WHERE arrived_at >= :s AND arrived_at < :e
  UNION SELECT partner_id FROM lead WHERE first_contact_at >= :s AND first_contact_at < :e)
UNION ALL SELECT 'staff', id, name, english_name, active, rotation_position, NULL, NULL, 0, 0 FROM staff WHERE role = 'consultant'
UNION ALL SELECT 'check', id, name, flag, flag_verdict, flag_checked_at, flag_checked_by_id, NULL, 0, 0 FROM lead
  WHERE flag_checked_at >= :s AND flag_checked_at < :e AND flag_verdict IS NOT NULL
"""

# Issue 6's floor of the day, kept to compare with the figures measured against it before
# issue 16: the report's totals only (no split by consultant, partner, source or reason, no
# reassignments, payment window, outreach, partners, staff or checks).
HAND_DAY_TOTALS = """
SELECT 'call', call_type, outcome, count(*), 0 FROM call WHERE started_at >= :s AND started_at < :e GROUP BY 2, 3
UNION ALL SELECT 'lead', channel, valid, count(*), 0 FROM lead WHERE first_contact_at >= :s AND first_contact_at < :e GROUP BY 2, 3
UNION ALL SELECT 'visit', visitor_type, NULL, count(*), count(lead_id) FROM visit WHERE arrived_at >= :s AND arrived_at < :e GROUP BY 2
UNION ALL SELECT 'trial', NULL, NULL, count(*), sum(attended) FROM trial WHERE booked_for >= :s AND booked_for < :e
UNION ALL SELECT 'enroll', NULL, NULL, count(*), coalesce(sum(amount_fen), 0) FROM enrollment WHERE enrolled_at >= :s AND enrolled_at < :e
UNION ALL SELECT 'pay', kind, NULL, count(*), sum(amount_fen) FROM payment WHERE paid_at >= :s AND paid_at < :e GROUP BY 2
UNION ALL SELECT 'done', NULL, NULL, count(*), 0 FROM follow_up WHERE done_at >= :s AND done_at < :e
UNION ALL SELECT 'overdue', NULL, NULL, count(*), 0 FROM follow_up WHERE done_at IS NULL AND due_at < :a
UNION ALL SELECT 'overdue', NULL, NULL, count(*), 0 FROM follow_up WHERE done_at > :a AND +due_at < :a
UNION ALL SELECT 'rotation', pool, staff_id, count(*), 0 FROM rotation_assignment WHERE day >= :d1 AND day <= :d2 GROUP BY 2, 3
"""


def check_day(rows, doc) -> int:
    """That the floor's figures are the report's (``rows`` of HAND_DAY, ``doc`` the report);
    returns the overdue follow-ups."""
    def total(section, keep=lambda row: True, column=8):
        return sum(row[column] for row in rows if row[0] == section and keep(row))

    assert total("call") == doc["calls"]["total"], (total("call"), doc["calls"]["total"])
    assert total("lead", lambda r: r[3] == 1 and r[7]) == doc["leads"]["valid"]
    assert (total("enroll"), total("enroll", column=9)) == (doc["enrollments"]["count"], doc["enrollments"]["amount_fen"])
    assert total("overdue") == doc["follow_ups"]["overdue"]
    assert total("done") == doc["follow_ups"]["done"]
    assert total("callback", column=2) == doc["calls"]["messages_returned"]
    assert total("visit") == doc["walk_ins"]["total"]
    assert len([r for r in rows if r[0] == "partner"]) >= len(doc["partners"])
    return total("overdue")


# The month's floor: the register with every column the report exports (its caller, lead,
# consultant, partner, and whether the call or its phone note has a recording), then one
# statement of every other figure the report shows, grouped as desk reads them: the daily
# series by local day (+8 hours), the leads, calls, visits and enrollments by the keys of
# the market, sales and partner sections, the payments by consultant and the 30-day window,
# the newest levels, referrals by referrer, the checks, the partners and the consultants.
HAND_MONTH_REGISTER = """
SELECT c.started_at, c.call_type, c.outcome, c.caller_number, c.caller_name, c.register_complete,
       coalesce(c.recording_ref, '') != '' OR EXISTS (SELECT 1 FROM consult_note n WHERE n.lead_id = c.lead_id
         AND n.call_id = c.id AND n.kind = 'phone' AND coalesce(n.recording_ref, '') != ''),
       l.name, l.phone, l.age, l.education, l.course_interest, l.media_source, l.channel, l.valid,
       l.validity_reasons, s.name, p.name
FROM call c LEFT JOIN lead l ON l.id = c.lead_id LEFT JOIN staff s ON s.id = c.to_staff_id
  LEFT JOIN partner p ON p.id = c.partner_id
WHERE c.started_at >= :s AND c.started_at < :e
  AND c.call_type IN ('first_inquiry', 'proxy_inquiry', 'repeat_inquiry')
ORDER BY c.started_at, c.id
"""
HAND_MONTH_TOTALS = """
SELECT 'day', date(started_at, '+8 hours'), NULL, NULL, NULL, NULL, NULL, NULL, count(*), 0 FROM call
  WHERE started_at >= :s AND started_at < :e AND call_type IN ('first_inquiry', 'proxy_inquiry', 'repeat_inquiry') GROUP BY 2
UNION ALL SELECT 'new', date(first_contact_at, '+8 hours'), NULL, NULL, NULL, NULL, NULL, NULL, count(*), sum(valid = 1) FROM lead
  WHERE first_contact_at >= :s AND first_contact_at < :e GROUP BY 2
UNION ALL SELECT 'walk_in', date(arrived_at, '+8 hours'), NULL, NULL, NULL, NULL, NULL, NULL, count(*), 0 FROM visit
  WHERE arrived_at >= :s AND arrived_at < :e GROUP BY 2
UNION ALL SELECT 'enrolled', date(enrolled_at, '+8 hours'), NULL, NULL, NULL, NULL, NULL, NULL, count(*), sum(amount_fen)
  FROM enrollment WHERE enrolled_at >= :s AND enrolled_at < :e GROUP BY 2
UNION ALL SELECT 'paid', date(paid_at, '+8 hours'), NULL, NULL, NULL, NULL, NULL, NULL, count(*),
  sum(CASE WHEN kind = 'refund' THEN -amount_fen ELSE amount_fen END) FROM payment WHERE paid_at >= :s AND paid_at < :e GROUP BY 2
UNION ALL SELECT 'lead', channel, media_source, valid, CASE WHEN valid = 0 THEN validity_reasons END, owner_id, partner_id,
  merged_into_id IS NULL, count(*), 0 FROM lead WHERE first_contact_at >= :s AND first_contact_at < :e GROUP BY 2, 3, 4, 5, 6, 7, 8
UNION ALL SELECT 'reassign', a.row_id, a.changes, a.at, NULL, NULL, NULL, NULL, 0, 0 FROM audit a JOIN lead l ON l.id = a.row_id
  WHERE a.action = 'reassign' AND a.table_name = 'lead' AND l.first_contact_at >= :s AND l.first_contact_at < :e
  AND a.at > l.first_contact_at
UNION ALL SELECT 'call', call_type, outcome, to_staff_id, partner_id, NULL, NULL, NULL, count(*), 0 FROM call
  WHERE started_at >= :s AND started_at < :e GROUP BY 2, 3, 4, 5
UNION ALL SELECT 'visit', visitor_type, received_by_id, partner_id, NULL, NULL, NULL, NULL, count(*), count(lead_id) FROM visit
  WHERE arrived_at >= :s AND arrived_at < :e GROUP BY 2, 3, 4
UNION ALL SELECT 'enroll', e.consultant_id, l.partner_id, NULL, NULL, NULL, NULL, NULL, count(*), coalesce(sum(e.amount_fen), 0)
  FROM enrollment e LEFT JOIN lead l ON l.id = e.lead_id WHERE e.enrolled_at >= :s AND e.enrolled_at < :e GROUP BY 2, 3
UNION ALL SELECT 'sales', e.consultant_id, p.kind, julianday(date(p.paid_at, '+8 hours')) - julianday(date(e.enrolled_at, '+8 hours')) <= 30,
  NULL, NULL, NULL, NULL, count(*), sum(p.amount_fen) FROM payment p JOIN enrollment e ON e.id = p.enrollment_id
  WHERE p.paid_at >= :s AND p.paid_at < :e GROUP BY 2, 3, 4
UNION ALL SELECT 'level', r.staff_id, r.level, r.status, NULL, NULL, NULL, NULL, 0, 0 FROM level_record r
  WHERE r.id IN (SELECT max(id) FROM level_record WHERE decided_at < :e GROUP BY staff_id)
UNION ALL SELECT 'referral', r.referred_by_id, r.referred_by_staff_id, NULL, NULL, NULL, NULL, NULL, count(*),
  sum(EXISTS (SELECT 1 FROM enrollment e WHERE e.lead_id = r.id AND e.enrolled_at < :e)) FROM lead r
  WHERE r.first_contact_at >= :s AND r.first_contact_at < :e AND r.merged_into_id IS NULL
  AND (r.referred_by_id IS NOT NULL OR r.referred_by_staff_id IS NOT NULL) GROUP BY 2, 3
UNION ALL SELECT 'check', id, name, flag, flag_verdict, flag_checked_at, flag_checked_by_id, NULL, 0, 0 FROM lead
  WHERE flag_checked_at >= :s AND flag_checked_at < :e AND flag_verdict IS NOT NULL
UNION ALL SELECT 'partner', id, name, kind, NULL, NULL, NULL, NULL, 0, 0 FROM partner
UNION ALL SELECT 'staff', id, name, english_name, active, rotation_position, is_new, NULL, 0, 0 FROM staff WHERE role = 'consultant'
"""


def stored(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S.%f")


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def make_store(path: Path):
    from desk.dal import Store
    from desk.db import open_database

    engine = open_database(path)
    return Store(engine, tz=SH, clock=lambda: datetime(2026, 11, 26, 18, 0, tzinfo=SH))


def interleaved(store, conn, params, runs: int):
    """Median times of the day report, its floor and the totals-only floor, taken in turn in
    each run (so a change of load hits all three), the ratio of the fastest runs of the report
    and its floor (on a loaded machine a median adds the same waits to both, which brings the
    ratio towards 1), and the report, checked against the floor."""
    from desk.reporting import day

    times: list[list[float]] = [[], [], []]
    doc = rows = None
    for _ in range(runs):
        started = time.perf_counter()
        doc = day.build(store, DAY)
        times[0].append(time.perf_counter() - started)
        started = time.perf_counter()
        rows = conn.execute(HAND_DAY, params).fetchall()
        times[1].append(time.perf_counter() - started)
        started = time.perf_counter()
        conn.execute(HAND_DAY_TOTALS, params).fetchall()
        times[2].append(time.perf_counter() - started)
    check_day(rows, doc)
    t_day, t_hand, t_totals = (statistics.median(t) for t in times)
    return t_day, t_hand, t_totals, min(times[0]) / min(times[1]), doc


def bench_reports(path: Path, runs: int) -> dict[str, float]:
    from desk.config import load
    from desk.dal.reports import Period
    from desk.i18n import set_language
    from desk.reporting import day, month

    set_language("en")
    store = make_store(path)
    config = load(None)
    day.build(store, DAY)  # warm the caches: imports, SQLAlchemy statement compilation

    period = Period.of(store, DAY)
    conn = sqlite3.connect(path)
    params = {"s": stored(period.start), "e": stored(period.end), "a": stored(period.as_of),
              "d1": DAY.isoformat(), "d2": DAY.isoformat()}  # fmt: skip
    t_day, t_hand_day, t_totals, fastest, doc = interleaved(store, conn, params, runs)

    mperiod = Period.of(store, date(2026, 11, 1), date(2026, 11, 30))
    mparams = {"s": stored(mperiod.start), "e": stored(mperiod.end)}

    def hand_month():
        return conn.execute(HAND_MONTH_REGISTER, mparams).fetchall(), conn.execute(HAND_MONTH_TOTALS, mparams).fetchall()

    month_times: list[list[float]] = [[], []]
    for _ in range(runs):  # interleaved, as the day's
        started = time.perf_counter()
        mdoc = month.build_month(store, config, 2026, 11)
        month_times[0].append(time.perf_counter() - started)
        started = time.perf_counter()
        register, totals = hand_month()
        month_times[1].append(time.perf_counter() - started)
    t_month, t_hand_month = (statistics.median(t) for t in month_times)
    month_fastest = min(month_times[0]) / min(month_times[1])
    assert len(register) == len(mdoc["register"]), (len(register), len(mdoc["register"]))
    assert sum(bool(row[6]) for row in register) == sum(row["recorded"] for row in mdoc["register"])
    inquiries = sum(row[8] for row in totals if row[0] == "day")
    assert inquiries == mdoc["market"]["inquiries"]
    gross = sum(row[9] for row in totals if row[0] == "sales" and row[2] != "refund" and row[3])
    assert gross == sum(r["gross_fen"] for r in mdoc["sales"])
    refunds = sum(row[9] for row in totals if row[0] == "sales" and row[2] == "refund")
    assert refunds == sum(r["refunds_deducted"]["amount_fen"] for r in mdoc["sales"])
    conn.close()
    print(f"one-day report    {t_day * 1000:8.1f} ms   hand SQL {t_hand_day * 1000:7.1f} ms   ratio {t_day / t_hand_day:4.1f}x   "
          f"(fastest runs {fastest:.1f}x; {doc['calls']['total']} calls, {doc['leads']['new']} leads that day; "
          f"issue 6's totals-only floor {t_totals * 1000:.1f} ms)")  # fmt: skip
    print(f"month report      {t_month * 1000:8.1f} ms   hand SQL {t_hand_month * 1000:7.1f} ms   ratio {t_month / t_hand_month:4.1f}x   "
          f"(fastest runs {month_fastest:.1f}x; {len(mdoc['register'])} register rows)")  # fmt: skip
    store.engine.dispose()
    return {"day": t_day, "hand_day": t_hand_day, "month": t_month, "hand_month": t_hand_month}


def make_import_file(path: Path, rows: int, known: int = 500, seed: int = 3, first_call: bool = True) -> Path:
    """The list: with ``first_call`` False it has no first-call column, so with a center city
    every market phone is judged by its number (docs/domain.md §4.6)."""
    rng = random.Random(seed)
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
    edu = ["高中", "职高", "中专", "大专", "本科", "初中", "硕士"]
    courses = ["UI设计", "Java开发", "Python数据分析", "平面设计", "会计培训", "3D建模"]
    lines = ["姓名,电话,年龄,学历,意向课程,来源,首次电话"]
    for i in range(rows):
        phone = f"138{i:08d}" if i < known else f"150{i:08d}"  # the first ones are known leads: merged
        lines.append(
            f"{rng.choice(surnames)}{rng.choice(given)}{rng.choice(given)},{phone},{rng.randint(16, 35)},"
            f"{rng.choice(edu)},{rng.choice(courses)},市场部名单,{rng.choice(['接通', '接通', '接通', '关机', '停机'])}"
        )
    if not first_call:
        lines = [line.rsplit(",", 1)[0] for line in lines]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="gb18030")
    return path


def bench_import(path: Path, rows: int, city: str = "") -> dict[str, float]:
    from desk.dal.imports import import_file

    copy = Path(str(path) + ".import.db")
    shutil.copyfile(path, copy)
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    source = make_import_file(Path("/tmp/desk-bench-import.csv"), rows, first_call=not city)
    store = make_store(copy)
    started = time.perf_counter()
    result = import_file(store, source, channel="market", city=city)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = import_file(store, source, channel="market", city=city)
    second = time.perf_counter() - started
    print(f"import {rows} rows  {first:8.2f} s   ({result.created} new, {result.merged + result.unchanged} known, "
          f"{sum(result.assigned.values())} distributed, {len(result.rejects)} rejected, "
          f"{result.out_of_area_by_number} out of area by number)")  # fmt: skip
    print(f"re-run same file  {second:8.2f} s   ({again.created} new)")
    store.engine.dispose()
    copy.unlink()
    return {"import": first, "rerun": second}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/tmp/desk-big.db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=50_000, help="0: the reports only")
    parser.add_argument("--city", default="", help="center city: the list has no first-call column, every phone is judged")
    args = parser.parse_args()
    path = Path(args.path)
    if not path.exists():
        sys.exit(f"{path} does not exist: run bench/gen_big.py first")
    figures = bench_reports(path, args.runs)
    ok = figures["day"] <= 2 * figures["hand_day"] and figures["month"] <= 2 * figures["hand_month"]
    print("budgets (each report <= 2x its floor, issue 16):", "met" if ok else "MISSED")
    if args.import_rows:
        figures |= bench_import(path, args.import_rows, args.city)
        ok = figures["day"] < 1 and figures["month"] < 3 and figures["import"] < 10
        print("budgets (day < 1 s, month < 3 s, import < 10 s):", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
