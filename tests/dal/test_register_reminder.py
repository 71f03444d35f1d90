"""The register reminder (docs/domain.md §2.7): 10 minutes from the end of the consultant's call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from desk.dal import calls as calls_dal
from desk.dal import staff as staff_dal
from desk.models import Call, FollowUp
from tests.helpers import NOW, transferred_call

pytestmark = pytest.mark.both_backends  # the queries are plain SQL on both


def reminders(store) -> list[FollowUp]:
    with store.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == "complete_register").order_by(FollowUp.id)).all())


def test_the_reminder_counts_from_the_end_of_the_consultants_call(store, center, clock):
    call = transferred_call(store, to="李娜")
    assert call.ended_at is None  # the consultant is still on the phone
    assert staff_dal.get_staff(store, center["李娜"].id).state == "on_call"
    clock.advance(minutes=25)
    assert calls_dal.register_reminders(store) == []  # still on the call: nothing to remind yet
    staff_dal.set_state(store, center["李娜"].id, "free")
    with store.read() as session:
        assert session.get(Call, call.id).ended_at == NOW + timedelta(minutes=25)
    [reminder] = reminders(store)
    assert reminder.due_at == NOW + timedelta(minutes=35) and reminder.owner_id == center["李娜"].id
    clock.advance(minutes=9)
    assert calls_dal.register_reminders(store) == []
    clock.advance(minutes=1)
    [due] = calls_dal.register_reminders(store)
    assert (due.follow_up_id, due.call_id, due.consultant, due.caller) == (reminder.id, call.id, "李娜", "张伟")


def test_a_state_change_that_is_not_the_end_of_a_call_moves_nothing(store, center, clock):
    call = transferred_call(store, to="李娜")
    staff_dal.set_state(store, center["王芳"].id, "on_call")
    staff_dal.set_state(store, center["王芳"].id, "free")  # another consultant's call ended
    staff_dal.set_state(store, center["李娜"].id, "on_call")  # no change
    with store.read() as session:
        assert session.get(Call, call.id).ended_at is None
    assert reminders(store)[0].due_at == NOW + timedelta(minutes=10)


def test_reminded_comes_back_in_ten_minutes_until_the_register_is_complete(store, center, clock):
    call = transferred_call(store, to="李娜")
    staff_dal.set_state(store, center["李娜"].id, "with_visitor")  # off the phone: the call is over
    clock.advance(minutes=10)
    [due] = calls_dal.register_reminders(store)
    again = calls_dal.reminded(store, due.follow_up_id)
    assert again == NOW + timedelta(minutes=20)
    first, second = reminders(store)
    assert (first.result, first.result_note, second.done_at, second.due_at) == ("rescheduled", "reminded", None, again)
    assert calls_dal.register_reminders(store) == []
    with store.write() as session:  # the consultant completes the row (elsewhere than a note)
        row = session.get(Call, call.id)
        row.register_complete = True
        session.add(row)
    clock.advance(minutes=10)
    assert calls_dal.register_reminders(store) == []  # a complete row is never reminded
    assert calls_dal.reminded(store, second.id) is None
    assert reminders(store)[1].result == "reached"
