"""A call type is one entry per layer: its handling in the rules, and everything else follows.

``rules.calls.HANDLING`` says how the front desk handles each call type; the data layer's
writers (``dal.calls._HANDLERS``) and the call panel's action areas (``CallPanel._ACTIONS``)
are keyed by that handling, not by the type. These tests fail when a layer misses a type or
a handling, and show that a new type handled like an existing one is saved correctly with
no edit to the data layer.
"""

from __future__ import annotations

import tomllib
from datetime import timedelta

from sqlmodel import select

from desk.dal import calls as calls_dal
from desk.dal import staff as staff_dal
from desk.drafts import CallDraft
from desk.models import Call, Lead, RotationAssignment
from desk.paths import data_dir
from desk.rules.calls import HANDLING, CallType, Handling
from desk.widgets.call_panel import TYPE_KEYS, CallPanel


def test_every_call_type_has_a_handling_and_every_handling_a_writer_and_an_action_area():
    assert set(HANDLING) == set(CallType)
    assert set(calls_dal._HANDLERS) == set(Handling)
    assert set(CallPanel._ACTIONS) == set(Handling)


def test_every_call_type_but_silent_has_a_key_and_every_one_a_label_in_both_languages():
    assert set(TYPE_KEYS) == {t.value for t in CallType} - {"silent"}
    for lang in ("en", "zh_CN"):
        labels = tomllib.loads((data_dir() / "i18n" / lang / "calltypes.toml").read_text("utf-8"))
        assert {t.value for t in CallType} <= set(labels), lang


def test_a_new_type_handled_like_a_first_inquiry_is_saved_with_no_edit_to_the_data_layer(store, monkeypatch):
    li = staff_dal.add_staff(store, name="李娜", role="consultant", extension="801")
    staff_dal.set_state(store, li.id, "free")
    monkeypatch.setattr(calls_dal, "HANDLING", {**HANDLING, "course_fair_inquiry": Handling.ROTATION})
    now = store.now()
    draft = CallDraft(started_at=now - timedelta(minutes=2), number="13800138000", caller_number="+8613800138000",
                      words="我在招聘会上看到你们", call_type="course_fair_inquiry",
                      target_id=li.id, pick_id=li.id)
    call = calls_dal.record_call(store, draft)
    with store.read() as session:
        saved = session.get(Call, call.id)
        assert (saved.call_type, saved.outcome, saved.to_staff_id) == ("course_fair_inquiry", "transferred", li.id)
        lead = session.exec(select(Lead).where(Lead.phone == "+8613800138000")).one()
        assert saved.lead_id == lead.id
        assert session.exec(select(RotationAssignment).where(RotationAssignment.call_id == call.id)).one().pool == "phone"
