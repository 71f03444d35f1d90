"""Attaching a recording to a call or a note re-checks the lead (docs/domain.md §2.8, §4.3)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlmodel import select

from desk.dal import notes as notes_dal
from desk.dal import recordings as recordings_dal
from desk.dal.notes import NoteInput
from desk.errors import DeskError, FieldError
from desk.models import AuditEntry, Call, ConsultNote, Lead
from desk.recordings import audio_files, find, folder_of
from tests.helpers import staff_id, transferred_call


def noted(store, kind="phone", recording=""):
    """A first inquiry put through to 王芳 and her note: the lead is valid but for its recording."""
    call = transferred_call(store)
    saved = notes_dal.save_note(store, NoteInput(lead_id=call.lead_id, call_id=call.id, kind=kind, age=20,
                                                 education="high_school", recording_ref=recording),
                                staff_id(store, "王芳"))
    return call, saved


def lead_of(store, lead_id):
    with store.read() as session:
        return session.get(Lead, lead_id)


def test_a_recording_on_the_call_makes_the_phone_lead_valid(desk_store):
    call, saved = noted(desk_store)
    assert not saved.valid and saved.reasons == ["no_recording"]
    attached = recordings_dal.attach_recording(desk_store, call_id=call.id, ref="  20261126-100000_13811112222.wav ",
                                               by=staff_id(desk_store, "李娜"))
    assert attached.ref == "20261126-100000_13811112222.wav"
    assert attached.verdict is not None and attached.verdict.valid and list(attached.verdict.reasons) == []
    lead = lead_of(desk_store, call.lead_id)
    assert lead.valid is True and json.loads(lead.validity_reasons) == []
    with desk_store.read() as session:
        assert session.get(Call, call.id).recording_ref == "20261126-100000_13811112222.wav"
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "recording")).one()
    assert audit.table_name == "call" and audit.row_id == call.id and audit.actor_id == staff_id(desk_store, "李娜")


def test_a_recording_on_the_phone_note_counts_too(desk_store):
    call, saved = noted(desk_store)
    attached = recordings_dal.attach_recording(desk_store, note_id=saved.note.id, ref="REC-0042", by=None)
    assert attached.verdict.valid
    assert lead_of(desk_store, call.lead_id).valid is True


def test_a_note_saved_with_its_recording_is_valid_at_once(desk_store):
    _, saved = noted(desk_store, recording=" REC-7 ")
    assert saved.valid and saved.reasons == []
    with desk_store.read() as session:
        assert session.exec(select(ConsultNote)).one().recording_ref == "REC-7"


def test_a_face_to_face_notes_recording_is_not_the_phone_calls(desk_store):
    call, _ = noted(desk_store)
    face = notes_dal.save_note(desk_store, NoteInput(lead_id=call.lead_id, kind="face_to_face", recording_ref="REC-9", paid=True),
                               staff_id(desk_store, "王芳"))
    assert "no_recording" in face.reasons


@pytest.mark.parametrize("ref, key", [("", "recordings.err_empty"), ("   ", "recordings.err_empty"),
                                      ("x" * 201, "recordings.err_long")])
def test_an_empty_or_too_long_reference_is_refused_at_its_field(desk_store, ref, key):
    call, _ = noted(desk_store)
    with pytest.raises(FieldError) as err:
        recordings_dal.attach_recording(desk_store, call_id=call.id, ref=ref, by=None)
    assert (err.value.field, err.value.key) == ("recording", key)
    if ref.strip():  # a note's empty field is a note with no recording; a too long one is refused
        with pytest.raises(FieldError):
            notes_dal.save_note(desk_store, NoteInput(lead_id=call.lead_id, recording_ref=ref), staff_id(desk_store, "王芳"))
    with desk_store.read() as session:
        assert session.get(Call, call.id).recording_ref is None


def test_exactly_one_of_a_call_and_a_note(desk_store):
    call, saved = noted(desk_store)
    with pytest.raises(DeskError):
        recordings_dal.attach_recording(desk_store, call_id=call.id, note_id=saved.note.id, ref="R", by=None)
    with pytest.raises(DeskError, match="no call 999"):
        recordings_dal.attach_recording(desk_store, call_id=999, ref="R", by=None)


def test_what_a_recording_is_sought_by(desk_store):
    call, saved = noted(desk_store)
    wall = datetime(2026, 11, 26, 10, 0)  # the store's clock, the center's wall time
    assert recordings_dal.sought(desk_store, call_id=call.id) == recordings_dal.Sought("+8613811112222", wall)
    assert recordings_dal.sought(desk_store, note_id=saved.note.id) == recordings_dal.Sought("+8613811112222", wall)
    assert recordings_dal.sought(desk_store, lead_id=call.lead_id) == recordings_dal.Sought("+8613811112222", wall)


def test_the_folder_is_listed_with_its_subfolders_and_searched(tmp_path):
    (tmp_path / "2026" / "11-26").mkdir(parents=True)
    (tmp_path / "2026" / "11-26" / "20261126-100100_13811112222.wav").write_bytes(b"")
    (tmp_path / "20261126-100500_13900000000.mp3").write_bytes(b"")
    (tmp_path / "index.csv").write_text("not audio")
    assert sorted(audio_files(tmp_path)) == ["2026/11-26/20261126-100100_13811112222.wav", "20261126-100500_13900000000.mp3"]
    found = find(tmp_path, "+8613811112222", datetime(2026, 11, 26, 10, 0))
    assert [c.name for c in found] == ["2026/11-26/20261126-100100_13811112222.wav", "20261126-100500_13900000000.mp3"]
    assert audio_files(tmp_path / "missing") == []


def test_a_relative_folder_is_read_beside_desk_toml(tmp_path):
    from desk.config import load

    (tmp_path / "desk.toml").write_text('[recordings]\nfolder = "rec"\n', encoding="utf-8")
    assert folder_of(load(tmp_path / "desk.toml")) == tmp_path / "rec"
    assert folder_of(load(None)) is None
