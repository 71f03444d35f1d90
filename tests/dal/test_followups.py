"""The follow-up queue's data: order, search, results, the promised-visit sweep.

The screen that shows it is tested in tests/screens/test_followups_screen.py."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from desk.dal import followups as fu_dal
from desk.models import AuditEntry, ConsultNote, FollowUp, Visit
from tests.helpers import SHANGHAI, add_follow_up, add_lead, staff_id


@pytest.mark.both_backends
def test_queue_is_overdue_first_then_today_then_upcoming(desk_store, clock):
    a = add_lead(desk_store, "张伟", "+8613800000001")
    now = clock()
    add_follow_up(desk_store, "callback", a, now + timedelta(days=2))
    add_follow_up(desk_store, "callback", a, now + timedelta(hours=3))
    add_follow_up(desk_store, "promised_visit", a, now - timedelta(hours=26))
    add_follow_up(desk_store, "callback", a, now - timedelta(minutes=7))
    q = fu_dal.queue(desk_store)
    assert [i.bucket for i in q.items] == ["overdue", "overdue", "today", "upcoming"]
    assert [i.late_minutes for i in q.items[:2]] == [26 * 60, 7]
    assert (q.overdue, q.today, q.upcoming) == (2, 1, 1)


@pytest.mark.both_backends
def test_search_finds_a_note_or_a_name_whatever_the_case(desk_store, clock):
    anna = add_lead(desk_store, "Anna Li", "+8613800000001")
    other = add_lead(desk_store, "张伟", "+8613800000002")
    add_follow_up(desk_store, "callback", anna, clock() + timedelta(hours=1))
    add_follow_up(desk_store, "callback", other, clock() + timedelta(hours=2), note="asks about the JAVA weekend class")
    assert [i.lead_name for i in fu_dal.queue(desk_store, search="java").items] == ["张伟"]
    assert [i.lead_name for i in fu_dal.queue(desk_store, search="ANNA L").items] == ["Anna Li"]


@pytest.mark.both_backends
def test_complete_needs_a_valid_result(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    row = add_follow_up(desk_store, "callback", lead, clock())
    with pytest.raises(fu_dal.FieldError) as err:
        fu_dal.complete(desk_store, row.id, "closed")
    assert err.value.key == "followups.err_reason"
    with pytest.raises(fu_dal.FieldError) as err:
        fu_dal.complete(desk_store, row.id, "rescheduled", reschedule_to=clock() - timedelta(minutes=1))
    assert err.value.key == "followups.err_past"
    assert fu_dal.get(desk_store, row.id).done_at is None
    fu_dal.complete(desk_store, row.id, "closed", note="wrong number")
    done = fu_dal.get(desk_store, row.id)
    assert done.result == "closed" and done.result_note == "wrong number"


@pytest.mark.both_backends
def test_sweep_makes_a_promised_visit_follow_up_once(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    visited = add_lead(desk_store, "李雷", "+8613800000002")
    with desk_store.write() as session:
        for who in (lead, visited):
            session.add(ConsultNote(lead_id=who.id, staff_id=staff_id(desk_store, "王芳"), kind="phone",
                                    promised_visit_on=date(2026, 11, 27), created_at=clock()))
    assert fu_dal.sweep(desk_store) == 0  # the date has not passed
    clock.advance(days=1, hours=2)  # Friday 12:00: the promised day, a visit from 李雷
    with desk_store.write() as session:
        session.add(Visit(arrived_at=clock(), visitor_type="repeat_walk_in", lead_id=visited.id))
    clock.advance(days=1)  # Saturday: the date has passed
    assert fu_dal.sweep(desk_store) == 1
    assert fu_dal.sweep(desk_store) == 0
    with desk_store.read() as session:
        rows = session.exec(select(FollowUp).where(FollowUp.kind == "promised_visit")).all()
    assert [r.lead_id for r in rows] == [lead.id]
    # due the working day after the promised date (Saturday is a working day), at opening
    assert desk_store.local(rows[0].due_at) == datetime(2026, 11, 28, 8, 30, tzinfo=SHANGHAI)
    assert rows[0].owner_id == staff_id(desk_store, "王芳")


@pytest.mark.both_backends
def test_sweep_leaves_a_promise_alone_that_already_has_its_follow_up(desk_store, clock):
    """A consultant who set the promised-visit follow-up herself (at 10:00, her own note) gets
    no second one from the sweep; an older follow-up of an earlier promise does not count."""
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    add_follow_up(desk_store, "promised_visit", lead, datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    with desk_store.write() as session:
        session.add(ConsultNote(lead_id=lead.id, staff_id=staff_id(desk_store, "王芳"), kind="phone",
                                promised_visit_on=date(2026, 11, 27), created_at=clock()))
    own = add_follow_up(desk_store, "promised_visit", lead, datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI), note="约周五来")
    other = add_lead(desk_store, "李雷", "+8613800000002")
    add_follow_up(desk_store, "promised_visit", other, datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    with desk_store.write() as session:
        session.add(ConsultNote(lead_id=other.id, staff_id=staff_id(desk_store, "王芳"), kind="phone",
                                promised_visit_on=date(2026, 11, 27), created_at=clock()))
    clock.advance(days=2)
    assert fu_dal.sweep(desk_store) == 1  # 李雷's; 张伟's promise has its own follow-up
    with desk_store.read() as session:
        ids = session.exec(select(FollowUp.id).where(FollowUp.kind == "promised_visit", FollowUp.lead_id == lead.id)).all()
    assert len(ids) == 2 and own.id in ids


@pytest.mark.both_backends
def test_sweep_of_many_promises_issues_a_bounded_number_of_statements(desk_store, clock):
    """40 passed promises: the sweep creates their 40 follow-ups (and audit rows) in a handful
    of statements, not a few per promise; a second sweep creates nothing, as few again."""
    from sqlalchemy import event

    owner = staff_id(desk_store, "王芳")
    leads = [add_lead(desk_store, f"客户{i}", f"+86138000001{i:02d}") for i in range(40)]
    with desk_store.write() as session:
        for lead in leads:
            session.add(ConsultNote(lead_id=lead.id, staff_id=owner, kind="phone", promised_visit_on=date(2026, 11, 20), created_at=clock()))
    clock.advance(days=10)
    statements: list[str] = []
    event.listen(desk_store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert fu_dal.sweep(desk_store) == 40
    first = len(statements)
    assert fu_dal.sweep(desk_store) == 0
    again = len(statements) - first
    assert first <= 12 and again <= 8, statements
    with desk_store.read() as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.table_name == "follow_up", AuditEntry.action == "create")).all()
    assert len(audited) == 40 and {json.loads(a.changes)["note"].split(" #")[0] for a in audited} == {"2026-11-20"}
