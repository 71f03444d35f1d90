"""Recording a call: the lead and the rotation turn each call type sets off (docs/domain.md
§2.5, §2.6). The triage screen that fills the draft is tested in tests/screens/test_triage.py."""

from __future__ import annotations

import pytest
from sqlmodel import select

from desk.dal import notes as notes_dal
from desk.dal import staff as staff_dal
from desk.dal.calls import record_call
from desk.drafts import CallDraft
from desk.models import FollowUp, Lead, RotationAssignment
from tests.helpers import add_lead, staff_id


def rows(store, model) -> list:
    with store.read() as session:
        return list(session.exec(select(model)).all())


def all_busy(store) -> None:
    for name in ("王芳", "赵强"):
        staff_dal.set_state(store, staff_id(store, name), "on_call")


@pytest.mark.both_backends
def test_a_caller_who_refuses_to_leave_a_number_is_a_call_without_a_lead_or_a_turn(desk_store, clock):
    all_busy(desk_store)
    draft = CallDraft(started_at=clock(), number="13812345678", caller_number="+8613812345678",
                      words="有Java培训吗", call_type="first_inquiry", take_message=True, message_refused=True)
    call = record_call(desk_store, draft)
    assert call.outcome == "message_refused" and call.lead_id is None and call.to_staff_id is None
    assert rows(desk_store, Lead) == [] and rows(desk_store, RotationAssignment) == []
    assert rows(desk_store, FollowUp) == []


@pytest.mark.both_backends
def test_a_known_caller_who_refuses_a_message_keeps_their_lead_and_the_rotation_is_untouched(desk_store, clock):
    all_busy(desk_store)
    lead = add_lead(desk_store, "张伟", "+8613812345678", owner="赵强")
    draft = CallDraft(started_at=clock(), caller_number="+8613812345678", words="学费多少",
                      call_type="first_inquiry", take_message=True, message_refused=True)
    call = record_call(desk_store, draft)
    assert call.outcome == "message_refused" and call.lead_id == lead.id
    assert [x.id for x in rows(desk_store, Lead)] == [lead.id] and rows(desk_store, RotationAssignment) == []


@pytest.mark.both_backends
def test_an_unfound_repeat_caller_transferred_gets_a_lead_marked_as_a_possible_duplicate(desk_store, clock):
    wang = staff_id(desk_store, "王芳")
    draft = CallDraft(started_at=clock(), caller_number="+8613800002222", words="我上次打过电话，想找之前那个老师",
                      call_type="repeat_inquiry", caller_name="刘洋", target_id=wang)
    call = record_call(desk_store, draft)
    assert call.outcome == "transferred" and call.to_staff_id == wang and call.on_behalf_of_id is None
    [lead] = rows(desk_store, Lead)
    assert call.lead_id == lead.id
    assert (lead.name, lead.phone, lead.channel, lead.owner_id) == ("刘洋", "+8613800002222", "phone", wang)
    assert lead.flag == "repeat" and not lead.flag_checked
    assert [x.id for x in notes_dal.check_list(desk_store)] == [lead.id]
    # Not a rotation turn: the receptionist chose the consultant, the caller is not new.
    assert rows(desk_store, RotationAssignment) == []


@pytest.mark.both_backends
def test_a_found_repeat_caller_gets_no_new_lead(desk_store, clock):
    lead = add_lead(desk_store, "刘洋", "+8613800002222", owner="赵强")
    draft = CallDraft(started_at=clock(), caller_number="+8613800002222", words="赵老师在吗",
                      call_type="repeat_inquiry", target_id=staff_id(desk_store, "赵强"))
    call = record_call(desk_store, draft)
    assert call.lead_id == lead.id and [x.id for x in rows(desk_store, Lead)] == [lead.id]
    assert rows(desk_store, Lead)[0].flag is None
