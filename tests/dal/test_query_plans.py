"""The hot queries keep their index (issue 16): a schema change cannot silently undo a plan.

Each test runs a dal function as the app does, captures the SQL it sends (an engine event,
no SQL copied here) and asks SQLite's EXPLAIN QUERY PLAN how it runs: by the intended index,
never a full SCAN of the big table, whose cost grows with the center's history. Twice: on a
fresh database (no planner statistics: a new center, or one before desk's first ANALYZE) and
on a small history after ANALYZE (statistics say which indexes are selective).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, text

from desk.dal import followups as fu_dal
from desk.dal import lookup as lookup_dal
from desk.dal import reports
from desk.models import ConsultNote
from tests.helpers import SHANGHAI, add_follow_up, add_lead, staff_id


@pytest.fixture(params=["fresh", "history"])
def store(request, desk_store, clock):
    """The center of ``desk_store`` with a few leads and follow-ups; for "history", a year
    of them (10 leads and follow-ups a day, most of them done), then ANALYZE."""
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() - timedelta(hours=2))
    if request.param == "history":
        _history(desk_store, days=365, per_day=10)
    return desk_store


def _history(store, days: int, per_day: int) -> None:
    """Bulk rows (as an import writes them): a lead and a follow-up per slot, the last 20
    days' first follow-up of each day still open."""
    from pydantic_core import PydanticUndefined
    from sqlalchemy import insert

    from desk.models import FollowUp, Lead

    defaults = {n: f.default for n, f in Lead.model_fields.items() if n != "id" and f.default is not PydanticUndefined}
    owner = staff_id(store, "王芳")
    leads, follow = [], []
    for day in range(days):
        for n in range(per_day):
            at = datetime(2026, 11, 25, 11, tzinfo=SHANGHAI) - timedelta(days=day, minutes=n)
            leads.append(defaults | {"name": f"客户{day}-{n}", "phone": f"+86139{day:04d}{n:04d}", "phone_digits": f"139{day:04d}{n:04d}",
                                     "name_pinyin": f"kehu{day}", "name_initials": "kh", "owner_id": owner,
                                     "first_contact_at": at, "created_at": at, "updated_at": at})  # fmt: skip
            follow.append({"kind": "callback", "owner_id": owner, "due_at": at, "created_at": at,
                           "done_at": None if n == 0 and day < 20 else at + timedelta(hours=1)})  # fmt: skip
    with store.engine.begin() as conn:
        first = conn.execute(text("SELECT coalesce(max(id), 0) FROM lead")).scalar() + 1
        conn.execute(insert(Lead), leads)
        conn.execute(insert(FollowUp), [row | {"lead_id": first + i} for i, row in enumerate(follow)])
        conn.execute(text("ANALYZE"))


@contextmanager
def captured(store, prefix: str) -> Iterator[list[tuple[str, object]]]:
    """The statements starting with ``prefix`` that run inside the block, with their parameters."""
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(prefix):
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)


def plan(store, statement: str, parameters) -> str:
    """EXPLAIN QUERY PLAN of one captured statement, its lines joined."""
    conn = sqlite3.connect(store.engine.url.database)
    try:
        return "\n".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement, parameters))
    finally:
        conn.close()


def only(statements, containing: str) -> tuple[str, object]:
    found = [s for s in statements if containing in s[0]]
    assert len(found) == 1, [s[0] for s in statements]
    return found[0]


def no_full_scan(text_: str, table: str) -> None:
    lines = [line for line in text_.splitlines() if line.startswith(f"SCAN {table}")]
    assert not lines, text_


def test_day_report_overdue_reads_open_and_recent_follow_ups_only(store):
    period = reports.Period.of(store, date(2026, 11, 25))
    with captured(store, "SELECT") as seen, store.read() as session:
        reports.follow_ups(session, period)
    overdue = plan(store, *only(seen, "UNION ALL"))
    no_full_scan(overdue, "follow_up")
    assert "USING INDEX ix_follow_up_open_due (done_at=? AND due_at<?)" in overdue
    assert "USING INDEX ix_follow_up_done_at (done_at>?)" in overdue
    # every follow-up ever due before as_of would be history; the callbacks due in the period are a range
    assert "ix_follow_up_due_at (due_at<?)" not in overdue
    assert [line for line in overdue.splitlines() if "ix_follow_up_due_at" in line] == [
        "SEARCH follow_up USING INDEX ix_follow_up_due_at (due_at>? AND due_at<?)"]


# What each table of the day report is read by: the period's range of its index, once.
DAY_REPORT_READS = {
    "call": "SEARCH call USING INDEX ix_call_started_at (started_at>? AND started_at<?)",
    "lead": "SEARCH lead USING INDEX ix_lead_first_contact_at (first_contact_at>? AND first_contact_at<?)",
    "visit": "SEARCH visit USING INDEX ix_visit_arrived_at (arrived_at>? AND arrived_at<?)",
    "enrollment": "SEARCH enrollment USING INDEX ix_enrollment_enrolled_at (enrolled_at>? AND enrolled_at<?)",
    "payment": "SEARCH payment USING INDEX ix_payment_paid_at (paid_at>? AND paid_at<?)",
    "trial": "SEARCH trial USING INDEX ix_trial_booked_for (booked_for>? AND booked_for<?)",
    "rotation_assignment": "SEARCH rotation_assignment USING INDEX ix_rotation_assignment_day (day>? AND day<?)",
    "audit": "SEARCH audit USING INDEX ix_audit_action_row (action=? AND table_name=?)",
}


@pytest.mark.parametrize("consultant", [None, "王芳"])
def test_day_report_reads_each_table_once_by_the_periods_index(store, consultant):
    """The day report's statements (issue 16: one grouped aggregate per table, 29 before):
    each big table read once, by the period's range of its index, none scanned whole."""
    from desk.reporting import day

    with captured(store, "SELECT") as seen:
        day.build(store, date(2026, 11, 25), consultant=consultant)
    assert len(seen) <= 15, [" ".join(s.split())[:80] for s, _ in seen]
    plans = [plan(store, *statement) for statement in seen]
    for table, read in DAY_REPORT_READS.items():
        assert sum(read in explained for explained in plans) == 1, (table, plans)
    for explained in plans:
        for table in (*DAY_REPORT_READS, "follow_up"):
            no_full_scan(explained, table)


def test_day_report_leads_by_their_first_contact_also_after_a_reassignment(store, clock):
    """A reassignment makes the owner column a CASE over the moved leads' ids: the leads are
    still the day's range of ix_lead_first_contact_at, not every lead ever."""
    from desk.dal import ownership

    lead = add_lead(store, "李雷", "+8613800000002")  # 王芳's, first contacted now
    clock.advance(hours=1)
    ownership.reassign(store.with_actor(staff_id(store, "孙经理")), lead.id, staff_id(store, "赵强"), "休假")
    period = reports.Period.of(store, clock().date())
    with captured(store, "SELECT") as seen, store.read() as session:
        figures = reports.leads(session, period)
    assert sum(figures.by_channel(staff_id(store, "王芳")).values()) == 2  # 张伟 and 李雷: hers at first contact
    assert figures.by_channel(staff_id(store, "赵强")) == {}
    statement = only(seen, "SELECT lead.channel")
    assert "CASE lead.id" in statement[0]
    explained = plan(store, *statement)
    assert DAY_REPORT_READS["lead"] in explained
    no_full_scan(explained, "lead")


def test_month_register_reads_the_months_calls_and_each_calls_notes_by_its_lead(store):
    """The register's "recorded" looks for a phone note of the call by the lead's notes, not
    every note ever; the calls are the month's range."""
    period = reports.Period.of(store, date(2026, 11, 1), date(2026, 11, 30))
    with captured(store, "SELECT") as seen, store.read() as session:
        reports.register_rows(session, period)
    explained = plan(store, *only(seen, "consult_note"))
    assert "USING INDEX ix_call_started_at (started_at>? AND started_at<?)" in explained
    assert "SEARCH consult_note USING INDEX ix_consult_note_lead_id (lead_id=?)" in explained
    for table in ("call", "consult_note", "lead"):
        no_full_scan(explained, table)
    with captured(store, "SELECT") as seen, store.read() as session:
        reports.daily(session, store, period)  # the month's series: its inquiries a day's range each
    per_day = plan(store, *only(seen, "FROM call"))
    assert "ix_call_call_type" not in per_day
    assert per_day.count("USING COVERING INDEX ix_call_started_at (started_at>? AND started_at<?)") + \
        per_day.count("USING INDEX ix_call_started_at (started_at>? AND started_at<?)") == 30


@pytest.mark.parametrize(("typed", "index"), [("13900010", "ix_lead_phone_digits"), ("1380000000", "ix_lead_phone_digits"),
                                              ("kehu", "ix_lead_name_pinyin"), ("kh", "ix_lead_name_initials")])
def test_lookup_finds_leads_by_the_keys_index(store, typed, index):
    with captured(store, "SELECT") as seen:
        lookup_dal.lookup(store, typed)
    statement = next(s for s in seen if s[0].lstrip().startswith("SELECT lead.id, lead.name,"))
    explained = plan(store, *statement)
    assert f"USING INDEX {index} (" in explained
    no_full_scan(explained, "lead")


def test_lookup_counts_open_follow_ups_by_lead_in_one_query(store):
    with captured(store, "SELECT") as seen:
        hits = lookup_dal.lookup(store, "13800000001")
    assert [h.open_follow_ups for h in hits if h.kind == "lead"] == [1]
    explained = plan(store, *only(seen, "FROM follow_up"))
    assert "USING INDEX ix_follow_up_lead_id (lead_id=?)" in explained
    assert "done_at" not in explained


def test_follow_up_queue_first_page_in_due_order_by_the_open_index(store):
    with captured(store, "SELECT") as seen:
        fu_dal.queue(store, limit=50)
    page = next(s for s in seen if "LIMIT" in s[0])
    explained = plan(store, *page)
    no_full_scan(explained, "follow_up")
    assert "USING COVERING INDEX ix_follow_up_open_due (done_at=?)" in explained


def test_sweep_reads_the_windows_promises_and_each_leads_rows_by_index(store, clock):
    with store.write() as session:
        session.add(ConsultNote(lead_id=1, staff_id=staff_id(store, "王芳"), kind="phone", promised_visit_on=date(2026, 11, 20),
                                created_at=clock()))
    with captured(store, "INSERT INTO FOLLOW_UP") as seen:
        assert fu_dal.sweep(store) == 1
    statement, parameters = only(seen, "consult_note")
    explained = plan(store, statement.replace(" RETURNING id", ""), parameters)
    for table in ("consult_note", "note", "consult_note_1", "follow_up", "visit"):
        no_full_scan(explained, table)
    assert "USING INDEX ix_consult_note_promised_visit_on (promised_visit_on>? AND promised_visit_on<?)" in explained
    assert "ix_visit_lead_id (lead_id=?)" in explained
    assert "ix_follow_up_lead_id (lead_id=?)" in explained


# -- the planner's statistics: when desk refreshes them ---------------------------------------


def stat_tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return set()
        return {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        conn.close()


def test_an_upgraded_database_is_analyzed_a_new_one_is_not(tmp_path):
    """A migration's new index has no statistics: desk measures the tables after upgrading a
    center's database; a brand-new one has nothing to measure yet."""
    from desk.db import make_engine, make_engine_for, resolve, upgrade

    fresh = tmp_path / "new.db"
    make_engine_for(resolve(fresh)).dispose()
    assert "lead" not in stat_tables(fresh)
    path = tmp_path / "center.db"
    engine = make_engine(resolve(path))
    upgrade(engine, "0010_month_end")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO staff (id, name, role, state, on_duty, is_new, active, created_at)"
                          " VALUES (1, '王芳', 'consultant', 'free', 1, 0, 1, '2026-01-01 00:00:00')"))  # fmt: skip
    engine.dispose()
    assert stat_tables(path) == set()
    make_engine_for(resolve(path)).dispose()
    assert "staff" in stat_tables(path)


def test_an_import_leaves_the_leads_measured(desk_store, tmp_path):
    from desk.dal.imports import import_file

    rows = ["姓名,电话,年龄,学历,意向课程,来源"] + [f"客户{i},1381234{i:04d},20,高中,Java开发,传单" for i in range(30)]
    source = tmp_path / "market.csv"
    source.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    assert "lead" not in stat_tables(desk_store.engine.url.database)
    assert import_file(desk_store, source, channel="market").created == 30
    assert "lead" in stat_tables(desk_store.engine.url.database)


def test_closing_a_connection_optimizes_what_it_queried(desk_store):
    """SQLite's PRAGMA optimize as desk closes a connection: the tables it searched by an
    index without statistics get them."""
    path = desk_store.engine.url.database
    add_lead(desk_store, "张伟", "+8613800000001")
    assert "lead" not in stat_tables(path)
    lookup_dal.lookup(desk_store, "13800000001")
    desk_store.engine.dispose()
    assert "lead" in stat_tables(path)
