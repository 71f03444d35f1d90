"""Merging a duplicate lead (docs/domain.md §4.1): everything moves, the unique bookings and
contacts stay unique, only the owner of either or a manager may, audited, counted once."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import col, select

from desk.dal import merge
from desk.dal import staff as staff_dal
from desk.dal.lookup import lookup
from desk.errors import DeskError
from desk.models import (
    AuditEntry,
    Call,
    ConsultNote,
    Enrollment,
    FollowUp,
    Lead,
    Lecture,
    LectureBooking,
    Outreach,
    OutreachContact,
    Payment,
    RotationAssignment,
    Trial,
    Visit,
)
from tests.helpers import add_lead

pytestmark = pytest.mark.both_backends


def person(store, name):
    return staff_dal.find_staff(store, name)


def add(store, *rows):
    with store.write() as session:
        for row in rows:
            session.add(row)
        session.flush()
        return [row.id for row in rows]


@pytest.fixture
def pair(desk_store):
    """张伟 (王芳's, a phone lead with a recording) and his duplicate 张玮 (赵强's, a new phone,
    age and education known), each with a history."""
    store = desk_store
    keep = add_lead(store, "张伟", "+8613811112222", owner="王芳")
    drop = add_lead(store, "张玮", "+8613933334444", owner="赵强")
    wang, zhao = person(store, "王芳").id, person(store, "赵强").id
    now = store.now()
    with store.write() as session:
        dropped = session.get(Lead, drop.id)
        dropped.age, dropped.education, dropped.course_interest = 24, "bachelor", "Java开发"
        dropped.it_related, dropped.flag = True, "repeat"
        dropped.first_contact_at = now - timedelta(days=40)
        session.add(dropped)
    lectures = add(store, Lecture(topic="Java", starts_at=now), Lecture(topic="UI", starts_at=now))
    outreach = add(store, Outreach(kind="campus_talk", place="大学", day=date(2026, 11, 20), created_by_id=zhao))[0]
    enrollment = add(store, Enrollment(lead_id=drop.id, consultant_id=zhao, course="Java", amount_fen=100000))[0]
    add(
        store,
        Call(lead_id=drop.id, started_at=now, call_type="first_inquiry", to_staff_id=zhao, recording_ref="rec-1"),
        Call(lead_id=drop.id, started_at=now, call_type="repeat", to_staff_id=zhao),
        Call(lead_id=keep.id, started_at=now, call_type="first_inquiry", to_staff_id=wang),
        Visit(lead_id=drop.id, visitor_type="first_visit", staff_id=zhao),
        ConsultNote(lead_id=drop.id, staff_id=zhao, kind="phone", text="想学Java"),
        FollowUp(lead_id=drop.id, kind="callback", owner_id=zhao, due_at=now),
        Trial(lead_id=drop.id, consultant_id=zhao, booked_for=now),
        Payment(enrollment_id=enrollment, kind="initial", amount_fen=50000),
        RotationAssignment(pool="phone", staff_id=zhao, day=store.today(), lead_id=drop.id),
        # both booked for the Java lecture (the dropped one came), the dropped one also for UI
        LectureBooking(lecture_id=lectures[0], lead_id=keep.id, attended=False),
        LectureBooking(lecture_id=lectures[0], lead_id=drop.id, attended=True),
        LectureBooking(lecture_id=lectures[1], lead_id=drop.id),
        OutreachContact(outreach_id=outreach, lead_id=keep.id, collector_id=zhao),
        OutreachContact(outreach_id=outreach, lead_id=drop.id, collector_id=zhao),
    )
    friend = add_lead(store, "李娜娜", "+8613755556666", owner="赵强")
    with store.write() as session:
        row = session.get(Lead, friend.id)
        row.referred_by_id = drop.id
        session.add(row)
    return store, keep.id, drop.id, friend.id


def rows(store, model, **where):
    with store.read() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(session.exec(query).all())


def test_everything_moves_to_the_kept_lead(pair):
    store, keep, drop, friend = pair
    done = merge.merge_leads(store, keep, drop, person(store, "王芳"))
    assert done.counts == {"calls": 2, "visits": 1, "notes": 1, "follow_ups": 1, "trials": 1, "enrollments": 1,
                           "rotation_assignments": 1, "payments": 1, "lecture_bookings": 1, "outreach_contacts": 0,
                           "referrals": 1}
    for model in (Call, Visit, ConsultNote, FollowUp, Trial, Enrollment, RotationAssignment, LectureBooking,
                  OutreachContact):
        assert rows(store, model, lead_id=drop) == [], model
    assert len(rows(store, Call, lead_id=keep)) == 3
    # one booking per lecture: the kept one, attended because the duplicate came
    bookings = sorted((b.lecture_id, b.attended) for b in rows(store, LectureBooking, lead_id=keep))
    assert [attended for _, attended in bookings] == [True, False] and len({lid for lid, _ in bookings}) == 2
    assert len(rows(store, OutreachContact, lead_id=keep)) == 1
    assert rows(store, Lead, id=friend)[0].referred_by_id == keep


def test_the_kept_lead_learns_what_it_lacked_and_the_duplicate_lets_go(pair):
    store, keep, drop, _ = pair
    done = merge.merge_leads(store, keep, drop, person(store, "王芳"))
    kept, dropped = rows(store, Lead, id=keep)[0], rows(store, Lead, id=drop)[0]
    assert (kept.name, kept.phone, kept.age, kept.education, kept.course_interest) == (
        "张伟", "+8613811112222", 24, "bachelor", "Java开发")
    assert kept.owner_id == person(store, "王芳").id
    assert store.local(kept.first_contact_at).date() == store.today() - timedelta(days=40)
    # valid now: age, education and IT interest from the duplicate, the recording of its call
    assert kept.valid is True, kept.validity_reasons
    assert done.other_phone == "+8613933334444"
    assert dropped.merged_into_id == keep and dropped.phone is None and dropped.phone_digits is None
    assert [hit.id for hit in lookup(store, "张玮")] == []
    assert [hit.id for hit in lookup(store, "13811112222")] == [keep]


def test_a_kept_lead_without_a_phone_takes_the_duplicates(desk_store):
    store = desk_store
    keep = add_lead(store, "张伟", None)
    drop = add_lead(store, "张伟", "+8613933334444", owner="赵强")
    done = merge.merge_leads(store, keep.id, drop.id, person(store, "赵强"))
    assert done.other_phone is None
    assert rows(store, Lead, id=keep.id)[0].phone == "+8613933334444"
    assert [hit.id for hit in lookup(store, "13933334444")] == [keep.id]


def test_merging_is_audited_with_both_ids_and_what_moved(pair):
    store, keep, drop, _ = pair
    manager = person(store, "孙经理")
    merge.merge_leads(store.with_actor(manager.id), keep, drop, manager)
    with store.read() as session:
        entries = session.exec(select(AuditEntry).where(col(AuditEntry.action).in_(["merge_lead", "merged_into"]))).all()
    by_action = {entry.action: entry for entry in entries}
    kept = json.loads(by_action["merge_lead"].changes)
    assert by_action["merge_lead"].row_id == keep and kept["dropped_id"] == drop
    assert kept["moved"]["calls"] == 2 and kept["other_phone"] == "+8613933334444"
    assert by_action["merged_into"].row_id == drop
    assert json.loads(by_action["merged_into"].changes)["merged_into_id"] == [None, keep]
    assert {entry.actor_id for entry in entries} == {manager.id}


def test_another_consultant_may_not_merge(pair):
    store, keep, drop, _ = pair
    staff_dal.add_staff(store, name="陈静", role="consultant")
    with pytest.raises(DeskError, match="陈静 may not merge"):
        merge.merge_leads(store, keep, drop, person(store, "陈静"))
    assert rows(store, Lead, id=drop)[0].merged_into_id is None
    assert len(rows(store, Call, lead_id=drop)) == 2


@pytest.mark.parametrize("case", ["same", "again", "missing"])
def test_leads_that_cannot_be_merged_are_refused(pair, case):
    store, keep, drop, friend = pair
    boss = person(store, "孙经理")
    if case == "again":
        merge.merge_leads(store, keep, drop, boss)
    other = {"same": keep, "again": drop, "missing": 99999}[case]
    with pytest.raises(DeskError, match={"same": "itself", "again": "already merged", "missing": "no lead 99999"}[case]):
        merge.merge_leads(store, friend if case == "again" else keep, other, boss)


def test_the_merged_lead_is_counted_once_in_the_day_report(pair):
    from desk.reporting import day

    store, keep, drop, _ = pair
    with store.write() as session:  # the duplicate came today, like the kept lead
        dropped = session.get(Lead, drop)
        dropped.first_contact_at = store.now()
        session.add(dropped)
    before = day.build(store, store.today())["leads"]["new"]
    merge.merge_leads(store, keep, drop, person(store, "王芳"))
    assert day.build(store, store.today())["leads"]["new"] == before - 1


def test_the_plan_says_what_would_move_and_repeat_leads_come_first(pair):
    store, keep, drop, _ = pair
    plan = merge.plan(store, keep, drop)
    assert plan.counts["calls"] == 2 and plan.counts["payments"] == 1 and plan.counts["lecture_bookings"] == 2
    assert (plan.keep.name, plan.drop.name, plan.drop.owner) == ("张伟", "张玮", "赵强")
    assert [(hit.id, repeat) for hit, repeat in merge.candidates(store, keep, "")] == [(drop, True)]
    found = [hit.id for hit, _ in merge.candidates(store, keep, "张")]
    assert found[:1] == [drop] and keep not in found  # the repeat lead first, never the lead itself
