"""Recordings on screen (docs/domain.md §2.8): the consultant picks the consult's recording
from the recordings folder in the note form, and the timeline shows, copies and attaches them."""

from __future__ import annotations

import json

from sqlmodel import select

from desk.models import Call, ConsultNote, Lead
from desk.screens.dialogs.recording import AttachRecordingDialog, RecordingPicker
from desk.screens.notes import NoteForm
from desk.screens.timeline import TimelineScreen
from tests.helpers import settle, staff_id, transferred_call

OWN = "20261126-100012_13811112222.wav"  # the call transferred at NOW (10:00) from 138 1111 2222
FILES = [
    "20261126-101500_13900000000.wav",  # another caller, a quarter of an hour later
    "20261120-090000_13811112222.mp3",  # the same caller, last week
    OWN,
    "20261126-160000_13900000000.wav",  # another caller, in the afternoon: not offered
]


def app_with_folder(store, tmp_path, user="王芳"):
    """desk in English with a recordings folder of FILES configured in desk.toml."""
    from desk.app import DeskApp
    from desk.config import load
    from desk.i18n import set_language

    folder = tmp_path / "recordings"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_bytes(b"RIFF")
    (tmp_path / "desk.toml").write_text(f'[recordings]\nfolder = "{folder}"\n', encoding="utf-8")
    set_language("en")
    return DeskApp(store, load(tmp_path / "desk.toml"), database="test.db", user_id=staff_id(store, user))


async def test_the_consultant_picks_the_recording_and_the_note_is_valid(desk_store, tmp_path):
    call = transferred_call(desk_store)
    app = app_with_folder(desk_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NoteForm)
        await pilot.press("enter", *"20", "enter", "4", "enter")  # name kept, age, education
        await pilot.press("ctrl+r")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, RecordingPicker)
        files = picker.query_one("#rp-files")
        offered = [files.get_option_at_index(i).id for i in range(files.option_count)]
        assert offered == [OWN, FILES[1], FILES[0]]  # the call's own first; the afternoon's not at all
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form and form.query_one("#nf-recording").value == OWN
        await pilot.press("ctrl+s")
        await settle(pilot)
        verdict = str(form.query_one("#nf-verdict").render())
        assert "✔ Valid lead" in verdict and "no recording" not in verdict
    with desk_store.read() as session:
        note = session.exec(select(ConsultNote)).one()
        lead = session.get(Lead, call.lead_id)
    assert note.recording_ref == OWN and note.call_id == call.id
    assert lead.valid is True and json.loads(lead.validity_reasons) == []


async def test_picking_for_the_note_just_saved_attaches_it_and_says_the_new_verdict(desk_store, tmp_path):
    call = transferred_call(desk_store)
    app = app_with_folder(desk_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        await pilot.press("enter", *"20", "enter", "4", "ctrl+s")
        await settle(pilot)
        assert "no recording" in str(form.query_one("#nf-verdict").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        verdict = str(form.query_one("#nf-verdict").render())
        assert OWN in verdict and "✔ Valid lead" in verdict and "no recording" not in verdict
    with desk_store.read() as session:
        assert session.exec(select(ConsultNote)).one().recording_ref == OWN
        assert session.get(Lead, call.lead_id).valid is True


async def test_no_folder_configured_says_so_and_esc_leaves_the_field_as_it_was(desk_store):
    from tests.helpers import make_app

    transferred_call(desk_store)
    app = make_app(desk_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "No recordings folder is set" in str(app.screen.query_one("#rp-status").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.query_one("#nf-recording").value == ""


async def test_the_timeline_shows_and_copies_a_calls_recording(desk_store, tmp_path):
    call = transferred_call(desk_store)
    with desk_store.write() as session:
        row = session.get(Call, call.id)
        row.recording_ref = "REC-[2026]-42"
        session.add(row)
    app = app_with_folder(desk_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_timeline(call.lead_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one("#tl-table")
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        call_row = next(i for i, r in enumerate(rows) if "REC-[2026]-42" in str(r[3]))
        table.move_cursor(row=call_row)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == "REC-[2026]-42"
        other = next(i for i in range(table.row_count) if i != call_row)
        table.move_cursor(row=other)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == "REC-[2026]-42"  # a row with no recording copies nothing


async def test_a_recording_that_came_later_is_attached_from_the_timeline(desk_store, tmp_path):
    from desk.dal import notes as notes_dal

    call = transferred_call(desk_store)
    notes_dal.save_note(desk_store, notes_dal.NoteInput(lead_id=call.lead_id, call_id=call.id, age=20, education="high_school"),
                        staff_id(desk_store, "王芳"))
    app = app_with_folder(desk_store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_timeline(call.lead_id)
        await settle(pilot)
        screen = app.screen
        assert "no recording" in str(screen.query_one("#tl-head").render())
        table = screen.query_one("#tl-table")
        call_row = next(i for i in range(table.row_count) if table.get_row_at(i)[1] == "Call")
        table.move_cursor(row=call_row)
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AttachRecordingDialog)
        await pilot.press("ctrl+s")  # nothing typed: said at the field, nothing written
        await settle(pilot)
        assert "Type the recording's reference" in str(dialog.query_one("#ar-ref-error").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("enter")  # the likeliest file
        await settle(pilot)
        assert dialog.query_one("#ar-ref").value == OWN
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert any(f"recording {OWN}" in str(r[3]) for r in rows)
        assert "✔ Valid lead" in str(screen.query_one("#tl-head").render())  # the lead re-checked
    with desk_store.read() as session:
        assert session.get(Call, call.id).recording_ref == OWN
        assert session.get(Lead, call.lead_id).valid is True
