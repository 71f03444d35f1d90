"""Consult notes: the own queue, the note form with its checks, the verdict, outcomes."""

from __future__ import annotations

import json

from sqlmodel import select

from desk.dal import notes as notes_dal
from desk.dal import outcomes as oc_dal
from desk.models import Call, ConsultNote, Enrollment, FollowUp, Lead, Payment
from desk.screens.dialogs.outcome import OutcomeDialog
from desk.screens.notes import NoteForm, NotesScreen
from tests.helpers import make_app, settle, staff_id, transferred_call, type_text


async def type_into(pilot, text):
    await pilot.press(*text)


async def test_note_completes_the_register_row_and_shows_every_failed_reason(desk_store, clock):
    call = transferred_call(desk_store)
    app = make_app(desk_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        table = screen.query_one("#nq-table")
        assert table.row_count == 1 and table.get_row_at(0)[2] == "张伟"
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NoteForm)
        await pilot.press("enter")  # name kept
        await pilot.press(*"16")  # impossible for a student? 16 is possible; try 200 first
        await pilot.press("backspace", "backspace", *"200", "ctrl+s")
        await pilot.pause()
        assert "200 is not a possible age" in str(form.query_one("#nf-age-error").render())
        assert form.query_one("#nf-age").value == "200"
        with desk_store.read() as session:
            assert session.exec(select(ConsultNote)).all() == []
        await pilot.press("backspace", "backspace", "backspace", *"20", "enter", "4", "enter", "enter", *"Java", "enter",
                          *"Baidu", "ctrl+s")
        await pilot.pause()
        verdict = str(form.query_one("#nf-verdict").render())
        assert "Not a valid lead" in verdict and "no recording" in verdict
    with desk_store.read() as session:
        note = session.exec(select(ConsultNote)).one()
        row = session.get(Call, call.id)
        lead = session.get(Lead, call.lead_id)
        register = session.exec(select(FollowUp).where(FollowUp.kind == "complete_register")).one()
    assert note.call_id == call.id and note.kind == "phone"
    assert row.register_complete is True
    assert register.done_at is not None and register.result == "reached"
    assert (lead.age, lead.education, lead.course_interest, lead.media_source) == (20, "high_school", "Java", "Baidu")
    assert lead.valid is False and json.loads(lead.validity_reasons) == ["no_recording"]


async def test_mark_repeat_puts_the_lead_on_the_check_list(desk_store, clock):
    call = transferred_call(desk_store)
    app = make_app(desk_store, lang="zh_CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        check = app.screen.query_one("#nq-check")
        assert check.row_count == 1 and check.get_row_at(0)[1] == "重复"
        assert "重复咨询" in check.get_row_at(0)[2]
        await pilot.press("tab")  # to the check list
        await pilot.pause()
        assert app.screen.focused is check
        await pilot.press("c")  # check it: upheld (the first choice), with a reason
        await pilot.pause()
        await pilot.press("enter")
        await type_text(pilot, "同一号码上周来过")
        await pilot.press("enter")
        await settle(pilot)
        assert check.row_count == 0
    with desk_store.read() as session:
        lead = session.get(Lead, call.lead_id)
    assert lead.flag == "repeat" and lead.flag_checked and "repeat" in json.loads(lead.validity_reasons)
    assert (lead.flag_verdict, lead.flag_check_note, lead.flag_checked_by_id) == ("upheld", "同一号码上周来过", staff_id(desk_store, "王芳"))
    assert notes_dal.check_list(desk_store) == []


async def test_an_overruled_repeat_mark_counts_the_lead_again(desk_store, clock):
    call = transferred_call(desk_store)
    notes_dal.mark_flag(desk_store, call.lead_id, "repeat")
    app = make_app(desk_store, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("tab", "c")
        await pilot.pause()
        await pilot.press("down", "enter", "enter")  # overruled, no reason
        await settle(pilot)
        assert app.screen.query_one("#nq-check").row_count == 0
    with desk_store.read() as session:
        lead = session.get(Lead, call.lead_id)
    assert lead.flag_verdict == "overruled" and "repeat" not in json.loads(lead.validity_reasons)


async def test_face_to_face_note_without_payment_opens_unpaid_follow_up(desk_store, clock):
    call = transferred_call(desk_store)
    data = notes_dal.NoteInput(lead_id=call.lead_id, kind="face_to_face", age=22, education="bachelor", course_interest="UI")
    notes_dal.save_note(desk_store, data, staff_id(desk_store, "王芳"))
    with desk_store.read() as session:
        row = session.exec(select(FollowUp).where(FollowUp.kind == "unpaid_after_consult")).one()
        lead = session.get(Lead, call.lead_id)
    assert desk_store.local(row.due_at).date().isoformat() == "2026-11-27" and lead.stage == "visited"


async def test_enrol_with_a_balance_via_the_outcome_dialog_and_refuse_bad_amounts(desk_store, clock):
    transferred_call(desk_store)
    app = make_app(desk_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        await pilot.press("down", "down", "down", "enter")  # Enrolled
        await pilot.press(*"Java", "enter", *"-5", "enter", "enter", "enter")
        await pilot.pause()
        assert "cannot be negative" in str(dialog.query_one("#oc-amount-error").render())
        await pilot.press("backspace", "backspace", *"abc", "enter", "enter", "enter")
        await pilot.pause()
        assert "Not an amount" in str(dialog.query_one("#oc-amount-error").render())
        await pilot.press("backspace", "backspace", "backspace", *"12800", "enter", *"3000", "enter", "enter")
        await pilot.pause()
        assert "type the date" in str(dialog.query_one("#oc-due-error").render())
        await pilot.press(*"+14", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, OutcomeDialog)
        with desk_store.read() as session:
            assert session.exec(select(Enrollment)).one().amount_fen == 1280000
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("down", "down", "down", "down", "enter", *"9801", "enter")  # Balance paid: too much
        await pilot.pause()
        assert "below zero" in str(dialog.query_one("#oc-amount-error").render())
        await pilot.press("escape")
    with desk_store.read() as session:
        enrollment = session.exec(select(Enrollment)).one()
        payments = session.exec(select(Payment)).all()
        due = session.exec(select(FollowUp).where(FollowUp.kind == "balance_due")).one()
    assert [(p.kind, p.amount_fen) for p in payments] == [("initial", 300000)]
    assert enrollment.balance_due_on.isoformat() == "2026-12-10"
    assert due.enrollment_id == enrollment.id and due.done_at is None
    assert oc_dal.balance_fen(desk_store, enrollment.id) == 980000


async def test_note_form_at_80x24_hints_read_as_hints_and_boxes_show_their_state(desk_store, clock):
    """Issue 12 §14 and §20: the age placeholder is an example, not a value; the education
    hint shows all ten choices on screen; ticked and unticked boxes differ by glyph."""
    transferred_call(desk_store)
    app = make_app(desk_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NoteForm)
        assert form.query_one("#nf-age").placeholder == "e.g. 18"
        hint = form.query_one("#nf-education-hint")
        hint.scroll_visible(animate=False)
        await pilot.pause()
        text = str(hint.render())
        for n, word in ((1, "none"), (6, "technical secondary"), (10, "doctorate")):
            assert f"{n} {word}" in text
        assert hint.region.right <= 80 and hint.size.height >= 2  # wrapped inside the screen, not cut
        it, paid = form.query_one("#nf-it"), form.query_one("#nf-paid")
        assert it.render().plain.startswith("[x]") and paid.render().plain.startswith("[ ]")


async def test_the_queue_says_a_visitor_type_in_words_not_its_code(desk_store, clock):
    """Issue 12 §16: the queue showed ``enrolling_student``; it says 报名学员 in Chinese."""
    from desk.dal import visits as visits_dal
    from desk.dal.visits import VisitInput
    from desk.i18n import set_language, t

    visits_dal.register(desk_store, VisitInput("enrolling_student", name="刘洋", phone="+8613900001111"))
    app = make_app(desk_store, user="孙经理", lang="zh_CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        table = app.screen.query_one("#nq-table")
        cells = [str(c) for i in range(table.row_count) for c in table.get_row_at(i)]
        assert not any("enrolling_student" in c for c in cells), cells
        set_language("zh_CN")
        assert t("walkins.type_enrolling_student") in cells
