"""Levels and QA reviews in the data layer (issue 15): the proposed level from a hand-computed
3-month ranking, audit rows, and who is refused."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlmodel import select

from desk.dal import grade, identity, qa
from desk.dal import staff as staff_dal
from desk.errors import FieldError, Refused
from desk.models import AuditEntry, ConsultNote, Enrollment, LevelRecord, Payment, QaReview
from tests.helpers import add_lead, at, staff_id, transferred_call

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.both_backends]


def _guard(store):
    manager = staff_id(store, "孙经理")
    identity.set_pin(store, manager, "8080")
    for name, pin in (("王芳", "1357"), ("赵强", "2468")):
        identity.set_pin(store.with_actor(manager), staff_id(store, name), pin)
    return store.with_actor(manager)


def _enroll(store, who, lead_phone, enrolled, payments=(), refunds=()):
    lead = add_lead(store, f"学员{lead_phone[-2:]}", lead_phone, owner=who)
    with store.write() as session:
        enrollment = Enrollment(lead_id=lead.id, consultant_id=staff_id(store, who), course="Java", amount_fen=3_000_000,
                                enrolled_at=enrolled)
        session.add(enrollment)
        session.flush()
        for kind, rows in (("initial", payments), ("refund", refunds)):
            for amount, when in rows:
                session.add(Payment(enrollment_id=enrollment.id, kind=kind, amount_fen=amount * 100, paid_at=when))


@pytest.fixture
def ranked(desk_store):
    """Five consultants and three months of money (the clock is 2026-11-26: the window is
    August, September and October). By hand:
    赵强 20000 - 3000 refund = 17000 (rank 1); 王芳 10000, her 5000 fifty-two days after
    signing counts for the center only (2); 陈静 8000, the 4000 of November is outside (3);
    周敏 0 (4); 刘洋 -1000: his July payment is before the window, his August refund in it (5)."""
    for name in ("陈静", "刘洋", "周敏"):
        staff_dal.add_staff(desk_store, name=name, role="consultant")
    _enroll(desk_store, "王芳", "+8613800000001", at(10, 9, month_=8),
            payments=[(10000, at(10, 10, month_=8)), (5000, at(1, 10, month_=10))])
    _enroll(desk_store, "赵强", "+8613800000002", at(1, 9, month_=9),
            payments=[(20000, at(5, 10, month_=9))], refunds=[(3000, at(20, 10, month_=10))])
    _enroll(desk_store, "陈静", "+8613800000003", at(25, 9, month_=10),
            payments=[(8000, at(30, 10, month_=10)), (4000, at(3, 10))])
    _enroll(desk_store, "刘洋", "+8613800000004", at(20, 9, month_=7),
            payments=[(30000, at(25, 10, month_=7))], refunds=[(1000, at(3, 10, month_=8))])
    return desk_store


def test_the_proposed_level_follows_the_three_month_ranking(ranked):
    rows = {row.name: row for row in grade.current_levels(ranked)}
    got = {name: (row.proposal.rank, row.proposal.sales, row.proposal.level) for name, row in rows.items()}
    assert got == {
        "赵强": (1, Decimal("17000"), 1), "王芳": (2, Decimal("10000"), 2), "陈静": (3, Decimal("8000"), 3),
        "周敏": (4, Decimal("0"), 4), "刘洋": (5, Decimal("-1000"), 6),
    }
    assert all(row.current is None for row in rows.values())


def test_equal_sales_share_a_place(desk_store):
    assert {row.name: row.proposal.rank for row in grade.current_levels(desk_store)} == {"王芳": 1, "赵强": 1}


def test_recording_a_level_keeps_the_proposal_and_is_audited(ranked):
    manager = _guard(ranked)
    wang = staff_id(ranked, "王芳")
    grade.record_level(manager, wang, 2, "regular", {"exams_passed": True, "can_train": True}, "  ready  ")
    grade.record_level(manager, wang, 3, "demoted", {}, "missed two months")
    history = grade.level_history(manager, wang)
    assert [(h.level, h.status, h.proposed_level, h.overridden, h.decided_by) for h in history] == [
        (3, "demoted", 2, True, "孙经理"), (2, "regular", 2, False, "孙经理")]
    assert history[1].criteria == {"exams_passed": True, "can_host_lectures": False, "can_train": True}
    assert history[1].note == "ready"
    row = next(r for r in grade.current_levels(manager) if r.name == "王芳")
    assert row.current.level == 3 and not row.may_supervise
    with ranked.read() as session:
        audits = session.exec(select(AuditEntry).where(AuditEntry.action == "level").order_by(AuditEntry.id)).all()
    assert [(a.table_name, a.actor_id, json.loads(a.changes)["level"]) for a in audits] == [
        ("level_record", staff_id(ranked, "孙经理"), 2), ("level_record", staff_id(ranked, "孙经理"), 3)]


def test_level_two_may_supervise(ranked):
    manager = _guard(ranked)
    grade.record_level(manager, staff_id(ranked, "赵强"), 1, "regular")
    assert next(r for r in grade.current_levels(manager) if r.name == "赵强").may_supervise


def test_levels_are_a_managers(ranked):
    _guard(ranked)
    wang = ranked.with_actor(staff_id(ranked, "王芳"))
    with pytest.raises(Refused, match="may not see or change pay, levels"):
        grade.record_level(wang, staff_id(ranked, "王芳"), 1, "regular")
    with pytest.raises(Refused):
        grade.current_levels(wang)
    with pytest.raises(Refused, match="Sign in first"):
        grade.level_history(ranked, staff_id(ranked, "王芳"))
    with ranked.read() as session:
        assert session.exec(select(LevelRecord)).all() == []


@pytest.mark.parametrize(("level", "status", "criteria", "field"), [
    (0, "regular", {}, "level"), (7, "regular", {}, "level"), (3, "senior", {}, "status"),
    (3, "regular", {"sings": True}, "criteria"),
])
def test_bad_level_input_is_a_field_error(ranked, level, status, criteria, field):
    with pytest.raises(FieldError) as err:
        grade.record_level(_guard(ranked), staff_id(ranked, "王芳"), level, status, criteria)
    assert err.value.field == field


def test_only_a_consultant_has_a_level(ranked):
    with pytest.raises(FieldError) as err:
        grade.record_level(_guard(ranked), staff_id(ranked, "李娜"), 3, "regular")
    assert err.value.field == "staff"


# ---- QA --------------------------------------------------------------------------------------


@pytest.fixture
def consults(desk_store):
    """王芳's transferred call with a recording, one without, and a face-to-face note; one of
    赵强's calls."""
    with_recording = transferred_call(desk_store, number="+8613811112222")
    staff_dal.set_state(desk_store, staff_id(desk_store, "王芳"), "free")  # the first call is over
    without = transferred_call(desk_store, number="+8613811113333", name="李雷")
    zhao_call = transferred_call(desk_store, to="赵强", number="+8613811114444", name="韩梅")
    from desk.models import Call

    lead = add_lead(desk_store, "王五", "+8613811115555")
    with desk_store.write() as session:
        for call_id, ref in ((with_recording.id, "rec-0001"), (zhao_call.id, "rec-0002")):
            call = session.get(Call, call_id)
            call.recording_ref = ref
            session.add(call)
        note = ConsultNote(lead_id=lead.id, staff_id=staff_id(desk_store, "王芳"), kind="face_to_face",
                           text="asked about\nJava fees", created_at=at(26, 9))
        session.add(note)
        session.flush()
        note_id = note.id
    assert without.recording_ref is None
    return {"call": with_recording.id, "note": note_id, "zhao": zhao_call.id}


def test_consults_to_review_are_recorded_calls_and_face_to_face_notes(desk_store, consults):
    manager = _guard(desk_store)
    found = qa.consults_to_review(manager, staff_id(desk_store, "王芳"))
    assert [(c.kind, c.id, c.ref) for c in found] == [("note", consults["note"], "asked about Java fees"),
                                                     ("call", consults["call"], "rec-0001")]
    assert len(qa.consults_to_review(manager)) == 3


def test_a_review_is_scored_by_the_rubric_saved_and_audited(desk_store, consults):
    manager = _guard(desk_store)
    wang = staff_id(desk_store, "王芳")
    # questioning 20 - 5; guidance zeroed; closing 15 - 5; others full; bonus 6 → 100-5-20-5+6
    review = qa.save_review(manager, wang, call_id=consults["call"],
                            faults=["goal_missed", "no_guidance", "no_thanks"], bonuses=["structured_guidance"],
                            comments={"goal_missed": " never asked why ", "no_thanks": "", "interrupted": "x"})
    assert (review.total, review.bonus, review.fatal) == (76, 6, False)
    assert json.loads(review.marks)["comments"] == {"goal_missed": "never asked why"}
    assert json.loads(review.items)["guidance"] == 0
    qa.save_review(manager, wang, note_id=consults["note"], fatal=["misleading_wording"])
    assert qa.qa_average(manager, wang) == (Decimal("38.0"), 2)
    # Scoring it again replaces the marks: one review per consult.
    qa.save_review(manager, wang, call_id=consults["call"])
    assert [r.total for r in qa.reviews_for(manager, wang)] == [0, 100]
    with desk_store.read() as session:
        assert len(session.exec(select(QaReview)).all()) == 2
        audits = session.exec(select(AuditEntry).where(AuditEntry.action == "qa_review").order_by(AuditEntry.id)).all()
    assert len(audits) == 3 and {a.actor_id for a in audits} == {staff_id(desk_store, "孙经理")}
    assert json.loads(audits[-1].changes)["total"] == [76, 100]
    assert [c.total for c in qa.consults_to_review(manager, wang)] == [0, 100]


def test_a_consultant_reads_only_her_own_reviews(desk_store, consults):
    manager = _guard(desk_store)
    wang, zhao = staff_id(desk_store, "王芳"), staff_id(desk_store, "赵强")
    qa.save_review(manager, wang, call_id=consults["call"], faults=["no_greeting"])
    qa.save_review(manager, zhao, call_id=consults["zhao"])
    as_wang = desk_store.with_actor(wang)
    assert [r.total for r in qa.reviews_for(as_wang, wang)] == [95]
    assert qa.qa_average(as_wang, wang) == (Decimal("95.0"), 1)
    for read in (qa.reviews_for, qa.qa_average):
        with pytest.raises(Refused, match="may not score another person's consults"):
            read(as_wang, zhao)
    with pytest.raises(Refused):
        qa.consults_to_review(as_wang, wang)
    with pytest.raises(Refused):
        qa.save_review(as_wang, zhao, call_id=consults["zhao"])


def test_an_open_center_still_keeps_reviews_to_their_consultant(desk_store, consults):
    manager = desk_store.with_actor(staff_id(desk_store, "孙经理"))
    qa.save_review(manager, staff_id(desk_store, "赵强"), call_id=consults["zhao"])
    with pytest.raises(Refused):
        qa.reviews_for(desk_store.with_actor(staff_id(desk_store, "王芳")), staff_id(desk_store, "赵强"))


@pytest.mark.parametrize(("kwargs", "field"), [
    ({}, "consult"), ({"call_id": 1, "note_id": 1}, "consult"), ({"call": True, "faults": ["sang"]}, "marks"),
    ({"zhao": True}, "consult"),
])
def test_bad_reviews_are_field_errors(desk_store, consults, kwargs, field):
    manager = _guard(desk_store)
    if kwargs.pop("call", False):
        kwargs["call_id"] = consults["call"]
    if kwargs.pop("zhao", False):
        kwargs["call_id"] = consults["zhao"]  # 赵强's call is not 王芳's consult
    with pytest.raises(FieldError) as err:
        qa.save_review(manager, staff_id(desk_store, "王芳"), **kwargs)
    assert err.value.field == field
