"""The month's phone register: a row's "recorded" flag (docs/domain.md §2.8, §9.2)."""

from __future__ import annotations

import pytest

from desk.config import load
from desk.dal import notes as notes_dal
from desk.dal import recordings
from desk.dal import staff as staff_dal
from desk.reporting import month
from tests.helpers import transferred_call

pytestmark = pytest.mark.both_backends


def call(store, center, to: str, number: str, name: str):
    """A first inquiry put through to ``to``, who is then free again for the next one."""
    made = transferred_call(store, to=to, number=number, name=name)
    staff_dal.set_state(store, center[to].id, "free")
    return made


def recorded(store) -> dict[str, bool]:
    """caller name -> the register row's flag, for November 2026 (the clock's month)."""
    doc = month.build_month(store, load(None), 2026, 11)
    return {row["name"]: row["recorded"] for row in doc["register"]}


def test_a_recording_on_the_calls_phone_note_marks_the_row_recorded(store, center):
    """The consultant often attaches the recording to her note of the call, not to the call:
    the row is recorded either way; a face-to-face note's recording is not the call's."""
    by_call = call(store, center, "王芳", "+8613811112222", "张伟")
    by_note = call(store, center, "王芳", "+8613833334444", "刘洋")
    face = call(store, center, "李娜", "+8613855556666", "陈晨")
    plain = call(store, center, "赵强", "+8613877778888", "周杰")
    recordings.attach_recording(store, call_id=by_call.id, ref="rec-by-call.wav", by=center["王芳"].id)
    notes_dal.save_note(store, notes_dal.NoteInput(lead_id=by_note.lead_id, call_id=by_note.id, recording_ref="rec-on-note.wav"),
                        center["王芳"].id)
    notes_dal.save_note(store, notes_dal.NoteInput(lead_id=face.lead_id, kind="face_to_face", call_id=face.id,
                                                   recording_ref="rec-face.wav"), center["李娜"].id)
    notes_dal.save_note(store, notes_dal.NoteInput(lead_id=plain.lead_id, call_id=plain.id), center["赵强"].id)
    assert recorded(store) == {"张伟": True, "刘洋": True, "陈晨": False, "周杰": False}


def test_a_note_of_another_call_does_not_mark_this_one(store, center, clock):
    """The lead's next call is its own: the first call's recording (on its note) is not its."""
    first = call(store, center, "王芳", "+8613811112222", "张伟")
    notes_dal.save_note(store, notes_dal.NoteInput(lead_id=first.lead_id, call_id=first.id, recording_ref="first.wav"),
                        center["王芳"].id)
    clock.advance(hours=2)
    again = transferred_call(store, to="王芳", number="+8613811112222", name="张伟")
    assert again.lead_id == first.lead_id
    doc = month.build_month(store, load(None), 2026, 11)
    assert [row["recorded"] for row in doc["register"]] == [True, False]
