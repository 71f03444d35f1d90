"""The demo center: repeatable for a seed, and believable."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

from desk.dal.store import Store
from desk.demo import build_demo
from desk.errors import DeskError
from desk.models import (
    AuditEntry,
    Call,
    Enrollment,
    FollowUp,
    Lead,
    Lecture,
    LectureBooking,
    Payment,
    RotationAssignment,
    Staff,
    Visit,
)
from desk.models.call import CALL_TYPES
from desk.models.followup import FOLLOW_UP_KINDS
from desk.models.lead import CHANNELS
from desk.models.visit import VISITOR_TYPES
from desk.search_keys import name_keys

CENTER_TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=CENTER_TZ)  # the clock of the store fixture


def dump(store: Store) -> dict[str, list[tuple]]:
    with store.engine.connect() as conn:
        return {
            table: [tuple(row) for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY id'))]
            for table in SQLModel.metadata.tables
        }


pytestmark = pytest.mark.both_backends


def fresh_store(engine, clock=lambda: NOW) -> Store:
    return Store(engine, tz=CENTER_TZ, clock=clock)


@pytest.fixture(scope="module")
def demo(fresh_engine):
    """One demo build (seed 7) shared by the read-only checks below."""
    store = fresh_store(fresh_engine())
    summary = build_demo(store, seed=7)
    with store.read() as session:
        rows = {
            model: list(session.exec(select(model)).all())
            for model in (Staff, Lead, Call, Visit, FollowUp, Enrollment, Payment, RotationAssignment, AuditEntry)
        }
    return store, summary, rows


def test_same_seed_same_rows_other_seed_other_rows(fresh_engine, demo):
    store, summary, _ = demo
    again = fresh_store(fresh_engine())
    other = fresh_store(fresh_engine())
    assert build_demo(again, seed=7).counts == summary.counts
    assert dump(again) == dump(store)
    build_demo(other, seed=8)
    assert dump(other)["lead"] != dump(store)["lead"]
    assert dump(other)["call"] != dump(store)["call"]


def test_roster(demo):
    staff = demo[2][Staff]
    roles = Counter(s.role for s in staff)
    assert 4 <= roles["consultant"] <= 6
    assert roles["receptionist"] == 2 and roles["manager"] == 1 and roles["principal"] == 1
    for role in ("teacher", "head_teacher", "employment_officer", "media_officer", "events_officer"):
        assert roles[role] >= 1
    consultants = [s for s in staff if s.role == "consultant"]
    assert sum(s.is_new for s in consultants) == 1
    assert sorted(s.rotation_position for s in consultants) == list(range(1, len(consultants) + 1))
    assert all(re.fullmatch(r"8\d\d", s.extension) for s in staff)
    assert any(s.english_name for s in staff)
    on_duty_states = {s.state for s in consultants if s.on_duty}
    assert {"free", "on_call", "with_visitor"} <= on_duty_states
    assert all(s.state == "off_duty" for s in consultants if not s.on_duty)
    assert any(s.on_duty for s in staff if s.role == "receptionist")


def test_every_call_type_in_realistic_proportions(demo):
    calls = demo[2][Call]
    types = Counter(c.call_type for c in calls)
    assert set(types) == set(CALL_TYPES)
    assert types.most_common(1)[0][0] == "first_inquiry"
    assert types["complaint"] < types["first_inquiry"] / 5
    days = {c.started_at.astimezone(CENTER_TZ).date() for c in calls}
    assert len(calls) / len(days) >= 8
    outcomes = Counter(c.outcome for c in calls if c.call_type == "first_inquiry")
    assert outcomes["transferred"] > outcomes["message_taken"] > 0 and outcomes["message_refused"] > 0
    assert all(c.started_at <= NOW for c in calls)


def test_every_visitor_type_and_follow_up_kind(demo):
    rows = demo[2]
    assert {v.visitor_type for v in rows[Visit]} == set(VISITOR_TYPES)
    follow_ups = rows[FollowUp]
    assert {f.kind for f in follow_ups} == set(FOLLOW_UP_KINDS)
    done = [f for f in follow_ups if f.done_at]
    assert done and all(f.result for f in done) and all(f.result is None for f in follow_ups if not f.done_at)
    assert any(f.done_at is None and f.due_at < NOW for f in follow_ups), "some overdue"
    assert any(f.done_at is None and f.due_at > NOW for f in follow_ups), "some upcoming"
    assert all(f.owner_id for f in follow_ups)
    assert all(f.owner_id == next(s.id for s in rows[Staff] if s.role == "manager") for f in follow_ups if f.kind == "complaint")


def test_leads_are_believable(demo):
    leads = demo[2][Lead]
    assert len(leads) > 300
    phones = [lead.phone for lead in leads]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"\+861[3-9]\d{9}", p) for p in phones)
    assert all(16 <= lead.age <= 40 for lead in leads if lead.age is not None)
    assert {lead.channel for lead in leads} == set(CHANNELS)
    assert len({lead.course_interest for lead in leads}) >= 8
    assert len({lead.media_source for lead in leads}) >= 8
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", lead.name) for lead in leads)
    for lead in leads:
        assert lead.phone_digits == lead.phone[3:]
        assert (lead.name_pinyin, lead.name_initials) == name_keys(lead.name)
        assert lead.owner_id is not None


def test_money(demo):
    rows = demo[2]
    enrollments = {e.id: e for e in rows[Enrollment]}
    assert enrollments and all(300_000 <= e.amount_fen <= 2_000_000 for e in enrollments.values())
    payments = rows[Payment]
    assert all(p.amount_fen > 0 for p in payments)
    kinds = Counter(p.kind for p in payments)
    assert kinds["initial"] == len(enrollments) and kinds["balance"] > 0 and kinds["refund"] > 0
    assert any(e.balance_due_on for e in enrollments.values())
    for enrollment_id in {p.enrollment_id for p in payments}:
        paid = sum(p.amount_fen for p in payments if p.enrollment_id == enrollment_id and p.kind != "refund")
        assert paid <= enrollments[enrollment_id].amount_fen
    refunds = [p for p in payments if p.kind == "refund"]
    assert any(p.paid_at - enrollments[p.enrollment_id].enrolled_at < timedelta(days=30) for p in refunds)


def test_rotation_assignments_follow_the_leads(demo):
    rows = demo[2]
    consultants = {s.id for s in rows[Staff] if s.role == "consultant"}
    owners = {lead.id: lead.owner_id for lead in rows[Lead]}
    assignments = rows[RotationAssignment]
    assert {a.pool for a in assignments} == {"phone", "walk_in", "market"}
    assert all(a.staff_id in consultants for a in assignments)
    assert all(owners[a.lead_id] == a.staff_id for a in assignments if a.lead_id)
    assert any(a.on_duty for a in assignments)
    # Fair rotation: over a day nobody in a pool is far ahead of the others who took some.
    per_day = Counter((a.day, a.pool, a.staff_id) for a in assignments if not a.on_duty)
    spreads = []
    for day, pool in {(d, p) for d, p, _ in per_day}:
        counts = [n for (d, p, _), n in per_day.items() if (d, p) == (day, pool)]
        spreads.append(max(counts) - min(counts))
    assert sum(spreads) / len(spreads) <= 2


def test_lecture_bookings_say_who_booked_them_and_when(demo):
    """The lectures screen's "booked by" and "booked at": the lead's consultant or the
    receptionist on duty, on an opening day (not Sunday) within the week before the lecture,
    never before the lead was known. The booking list shows no blank booker."""
    store, _, rows = demo
    staff = {s.id: s for s in rows[Staff]}
    leads = {lead.id: lead for lead in rows[Lead]}
    with store.read() as session:
        bookings = session.exec(select(LectureBooking, Lecture).join(Lecture, Lecture.id == LectureBooking.lecture_id)).all()
    assert len(bookings) >= 20
    bookers = Counter()
    for booking, lecture in bookings:
        lead, booker = leads[booking.lead_id], staff[booking.booked_by_id]
        assert booker.id == lead.owner_id or booker.role == "receptionist"
        bookers[booker.role == "receptionist"] += 1
        assert lead.created_at <= booking.booked_at <= lecture.starts_at
        assert lecture.starts_at - booking.booked_at <= timedelta(days=7)
        assert booking.booked_at.astimezone(CENTER_TZ).isoweekday() != 7
    assert bookers[True] and bookers[False] > bookers[True]  # mostly the consultants' invitations


def test_one_audit_row_for_the_build(demo):
    audit = demo[2][AuditEntry]
    assert len(audit) == 1 and audit[0].action == "demo"
    assert json.loads(audit[0].changes)["seed"] == 7


def test_refuses_a_center_with_staff_unless_replacing(store):
    from desk.dal import staff as staff_dal

    staff_dal.add_staff(store, name="老员工", role="consultant")
    with pytest.raises(DeskError):
        build_demo(store, days=5)
    summary = build_demo(store, days=5, replace=True)
    with store.read() as session:
        names = {s.name for s in session.exec(select(Staff)).all()}
    assert "老员工" not in names and len(names) == summary.counts["staff"]


def test_short_history_and_nothing_after_now(store):
    summary = build_demo(store, seed=3, days=3)
    assert summary.counts["call"] > 0
    with store.read() as session:
        visits = session.exec(select(Visit)).all()
        payments = session.exec(select(Payment)).all()
    assert all(v.arrived_at <= NOW for v in visits)
    assert all(p.paid_at <= NOW for p in payments)


@pytest.mark.parametrize("replace", [False, True])
def test_the_desks_own_writes_after_the_demo_take_the_next_ids(store, replace):
    """The demo numbers its rows itself: what the desk writes next must not collide with them
    (on PostgreSQL, each table's sequence is moved past the demo's ids; after a rebuild over a
    bigger center, back down to them)."""
    from desk.dal import followups as fu_dal
    from desk.dal import leads as leads_dal
    from desk.dal import lectures as lectures_dal
    from desk.dal import staff as staff_dal

    if replace:
        build_demo(store, seed=7, days=20)
    build_demo(store, seed=7, days=5, replace=replace)
    before = {table: rows[-1][0] if rows else 0 for table, rows in dump(store).items()}
    store = store.with_actor(staff_dal.list_staff(store, role="manager")[0].id)  # the demo has PINs
    person = staff_dal.add_staff(store, name="新同事", role="consultant")
    with store.write() as session:
        lead = leads_dal.new_lead(session, store, name="新学员", phone="+8613900009999", channel="phone", owner_id=person.id)
        follow_up = fu_dal.create(session, store, "callback", person.id, NOW + timedelta(hours=1), lead_id=lead.id)
    lecture = lectures_dal.create_lecture(store, NOW + timedelta(days=2), "Python")
    booking, _ = lectures_dal.book(store, lecture.id, lead_id=lead.id)
    ids = {"staff": person.id, "lead": lead.id, "follow_up": follow_up.id, "lecture": lecture.id,
           "lecture_booking": booking.id}
    assert ids == {table: before[table] + 1 for table in ids}
    assert dump(store)["audit"][-1][0] > before["audit"]
