"""Which receptionist's line fits the step of the call (docs/domain.md §2.1, desk.rules.script)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desk.rules import sop
from desk.rules.calls import CallType
from desk.rules.script import IF_NEEDED, Moment, lines_for


@pytest.mark.parametrize(("moment", "keys"), [
    (Moment(), ("greeting", "greeting_twice")),
    (Moment(other_open=True), ("hold_on", "greeting")),
    (Moment(said=True), ()),  # the caller spoke: the question back is the next line
    (Moment(call_type="silent"), ("greeting_again", "hang_up_silent")),
    (Moment(call_type="first_inquiry", said=True, course_question=True), ("persuade",)),
    (Moment(call_type="proxy_inquiry", said=True, course_question=True), ("persuade",)),
    (Moment(call_type="first_inquiry", said=True), ()),
    (Moment(call_type="directions", said=True, course_question=True), ()),
    (Moment(call_type="first_inquiry", course_question=True, take_message=True), ()),
    (Moment(call_type="first_inquiry", take_message=True, refusals=1), ("message_retry_warm",)),
    (Moment(call_type="first_inquiry", take_message=True, refusals=2), ("message_refused",)),
    (Moment(call_type="repeat_inquiry", said=True, owner_state="on_call"), ("owner_on_phone",)),
    (Moment(call_type="repeat_inquiry", said=True, owner_state="with_visitor"), ("owner_with_visitor",)),
    (Moment(call_type="repeat_inquiry", said=True, owner_state="free"), ()),
    (Moment(call_type="repeat_inquiry", said=True, owner_state="away"), ()),
    (Moment(call_type="repeat_inquiry", owner_state="on_call", take_message=True, refusals=1), ("message_retry_warm",)),
])
def test_the_line_for_each_step(moment, keys):
    assert lines_for(moment) == keys


moments = st.builds(
    Moment,
    call_type=st.sampled_from([None, *(c.value for c in CallType)]),
    said=st.booleans(),
    other_open=st.booleans(),
    course_question=st.booleans(),
    owner_state=st.sampled_from([None, "free", "on_call", "with_visitor", "away", "off_duty"]),
    take_message=st.booleans(),
    refusals=st.integers(min_value=0, max_value=5),
)


@given(moments)
def test_every_chosen_line_is_in_both_catalogs(moment):
    keys = lines_for(moment)
    assert set(keys) <= set(sop.keys("zh")) and sop.keys("zh") == sop.keys("en")
    assert len(keys) == len(set(keys)) <= 2


@given(moments)
def test_a_caller_who_refused_twice_is_asked_to_call_again_later(moment):
    keys = lines_for(moment)
    if moment.take_message and moment.refusals >= 2:
        assert keys == ("message_refused",)
    if "persuade" in keys:  # only to a new inquirer, never while a message is being taken
        assert moment.call_type in ("first_inquiry", "proxy_inquiry") and not moment.take_message
    assert not (IF_NEEDED & set(keys)) or keys == ("persuade",)


def test_the_owner_line_names_the_consultant_in_both_languages():
    assert sop.line("owner_on_phone", "zh", name="赵强").startswith("赵强老师正在接电话")
    assert sop.line("owner_on_phone", "en", name="Zhao").startswith("Zhao is on the phone")
