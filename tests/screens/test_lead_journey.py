"""One lead from a transferred call to a paid enrollment, with the keys a consultant presses,
asserting on the database at every step; then a refund within a month in the results and
the whole story on the lead's timeline."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from desk.dal import outcomes as oc_dal
from desk.dal import visits as visits_dal
from desk.models import Call, ConsultNote, Enrollment, FollowUp, Lead, Payment, Trial
from desk.screens.dialogs.outcome import OUTCOMES, OutcomeDialog
from desk.screens.followups import FollowUpsScreen
from desk.screens.notes import NoteForm, NotesScreen
from desk.screens.timeline import TimelineScreen
from tests.helpers import SHANGHAI, make_app, settle, staff_id, transferred_call


def rows(table):
    return [table.get_row_at(i) for i in range(table.row_count)]


def follow_ups(store, kind):
    with store.read() as session:
        return session.exec(select(FollowUp).where(FollowUp.kind == kind).order_by(FollowUp.id)).all()


async def outcome(pilot, app, name, *fields):
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, OutcomeDialog)
    await pilot.press(*(["down"] * OUTCOMES.index(name)), "enter")
    for value in fields:
        await pilot.press(*value, "enter")
    await pilot.pause()
    assert not isinstance(app.screen, OutcomeDialog), str(app.screen.query_one("#oc-error").render())


async def test_a_lead_from_transferred_call_to_paid_enrollment(desk_store, clock):
    wang = staff_id(desk_store, "王芳")
    # Thursday 10:00: a first inquiry is transferred to 王芳.
    call = transferred_call(desk_store, number="+8613811112222", name="张伟")
    lead_id = call.lead_id
    app = make_app(desk_store, user="王芳")
    async with app.run_test(size=(140, 50)) as pilot:
        # 1. The note: the call is first in her own queue; saving completes the register row.
        await pilot.press("f5")
        await pilot.pause()
        assert rows(app.screen.query_one("#nq-table"))[0][0] == "call · register"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        await pilot.press("enter", *"20", "enter", "4", "enter", "enter", *"Java", "enter", *"Baidu", "enter",
                          *"price", "enter", *"price", "enter", "h", "enter", *"+1", "ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        with desk_store.read() as session:
            note = session.exec(select(ConsultNote)).one()
            assert session.get(Call, call.id).register_complete
            lead = session.get(Lead, lead_id)
        assert note.promised_visit_on == date(2026, 11, 27) and note.intent == "high"
        assert lead.age == 20 and lead.valid is False and "no_recording" in lead.validity_reasons
        assert all(f.done_at for f in follow_ups(desk_store, "complete_register"))

        # 2. Friday passes without a visit. Saturday: the queue sweeps in a promised_visit follow-up.
        clock.moment = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        (promised,) = follow_ups(desk_store, "promised_visit")
        assert promised.lead_id == lead_id and promised.owner_id == wang and promised.done_at is None
        assert desk_store.local(promised.due_at) == datetime(2026, 11, 28, 8, 30, tzinfo=SHANGHAI)
        (row,) = rows(app.screen.query_one("#fu-table"))
        assert row[2] == "Promised visit" and "1 h late" in str(row[1])

        # 3. He comes in: the receptionist registers him; he is a repeat visitor for 王芳.
        done = visits_dal.register(desk_store.with_actor(staff_id(desk_store, "李娜")),
                                   visits_dal.VisitInput(visitor_type="consult_walk_in", phone="+8613811112222"))
        assert done.visit.visitor_type == "repeat_walk_in" and done.to.id == wang
        (promised,) = follow_ups(desk_store, "promised_visit")
        assert promised.result == "reached"
        await pilot.press("f5")
        await pilot.pause()
        assert rows(app.screen.query_one("#nq-table"))[0][0] == "visitor"

        # 4. A trial class, booked and attended.
        await outcome(pilot, app, "trial_booked", "Java", "+1d")
        await outcome(pilot, app, "trial_attended")
        with desk_store.read() as session:
            trial = session.exec(select(Trial)).one()
            assert trial.attended and session.get(Lead, lead_id).stage == "trial"

        # 5. Enrolled with a balance: a balance_due follow-up on the agreed date.
        await outcome(pilot, app, "enrolled", "Java", "12800", "3000", "2026-12-12")
        with desk_store.read() as session:
            enrollment = session.exec(select(Enrollment)).one()
            assert session.get(Lead, lead_id).stage == "student"
        assert (enrollment.amount_fen, enrollment.consultant_id) == (1280000, wang)
        (balance,) = follow_ups(desk_store, "balance_due")
        assert balance.enrollment_id == enrollment.id and balance.done_at is None
        assert desk_store.local(balance.due_at) == datetime(2026, 12, 12, 8, 30, tzinfo=SHANGHAI)

        # 6. The due date comes: the follow-up is overdue in her queue; the balance is paid.
        clock.moment = datetime(2026, 12, 12, 9, 0, tzinfo=SHANGHAI)
        await pilot.press("f6")
        await pilot.pause()
        assert [r[2] for r in rows(app.screen.query_one("#fu-table"))] == ["Balance due"]
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("slash", *"13811112222", "enter")
        await settle(pilot)
        await outcome(pilot, app, "balance_paid", "9800")
        (balance,) = follow_ups(desk_store, "balance_due")
        assert balance.result == "reached"
        assert oc_dal.balance_fen(desk_store, enrollment.id) == 0

        # 7. A refund within a month of enrolling is deducted from her results.
        clock.moment = datetime(2026, 12, 20, 15, 0, tzinfo=SHANGHAI)
        await outcome(pilot, app, "refund", "1000", "moved away")
        with desk_store.read() as session:
            payments = session.exec(select(Payment).order_by(Payment.id)).all()
        assert [(p.kind, p.amount_fen) for p in payments] == [("initial", 300000), ("balance", 980000), ("refund", 100000)]
        results = oc_dal.consultant_results(desk_store, wang, date(2026, 11, 1), date(2027, 1, 1))
        assert results.sales_fen == 1280000 and results.refunds_deducted_fen == 100000 and results.net_fen == 1180000

        # 8. The timeline: everything, newest first, one key from the list.
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        events = rows(app.screen.query_one("#tl-table"))
        kinds = [e[1] for e in events]
        assert kinds[0] == "Refund"
        assert {"Call", "Visit", "Note", "Follow-up opened", "Follow-up done", "Trial class", "Enrollment", "Payment"} <= set(kinds)
        stamps = [e[0] for e in events]
        assert stamps == sorted(stamps, reverse=True)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)


@pytest.mark.both_backends
def test_a_refund_after_a_month_is_not_deducted(desk_store, clock):
    call = transferred_call(desk_store)
    wang = staff_id(desk_store, "王芳")
    enrollment = oc_dal.enroll(desk_store, call.lead_id, course="UI", amount_fen=500000, paid_fen_now=500000, due_on=None, staff_id=wang)
    clock.moment = datetime(2026, 12, 27, 10, 0, tzinfo=SHANGHAI)  # the month ended on 12-26
    oc_dal.refund(desk_store, enrollment.id, 100000, "changed plans")
    results = oc_dal.consultant_results(desk_store, wang, date(2026, 11, 1), date(2027, 1, 1))
    assert results.refunds_deducted_fen == 0 and results.net_fen == 500000
    assert oc_dal.within_a_month(datetime(2026, 1, 31, 10, tzinfo=SHANGHAI), datetime(2026, 2, 28, 10, tzinfo=SHANGHAI), SHANGHAI)
