"""Nothing typed is lost (issue 10): Ctrl+Q asks first, and what was typed comes back after
desk closed any way at all — quit, crash, kill -9 — marked restored."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from desk.dal import followups as fu_dal
from desk.dal import outreach as outreach_dal
from desk.dal import staff as staff_dal
from desk.drafts import CallDraft, Draft, call_data, call_draft, drafts_file, load, save
from desk.models import ConsultNote, Enrollment, Lead
from desk.screens.dialogs.outcome import OutcomeDialog
from desk.screens.followups import FollowUpsScreen, ResultDialog
from desk.screens.notes import NoteForm
from desk.screens.quit import QuitDialog
from desk.screens.reassign import ReassignDialog
from desk.screens.triage import TriageScreen
from desk.screens.walkins import WalkInsScreen
from tests.helpers import (
    NOW,
    Tmux,
    add_follow_up,
    add_lead,
    calls,
    choose_type,
    make_app,
    staff_id,
    start_call,
    transferred_call,
)
from tests.helpers import visits as walkin_visits


def test_drafts_are_written_whole_per_database_and_read_back(desk_home):
    call = CallDraft(started_at=NOW, number="13812345678", caller_number="+8613812345678", words="Java？", extra={"purpose": "学费"})
    save("a.db", [Draft("call", call_data(call)), Draft("walkin", {"fields": {"name": "张伟"}})])
    save("b.db", [Draft("walkin", {"fields": {"name": "Tom"}})])
    first, walkin = load("a.db")
    assert call_draft(first.data) == call and (walkin.kind, walkin.data) == ("walkin", {"fields": {"name": "张伟"}})
    assert [d.data for d in load("b.db")] == [{"fields": {"name": "Tom"}}]
    assert "张伟" in drafts_file("a.db").read_text(encoding="utf-8")  # readable, not escaped
    folder = drafts_file("a.db").parent  # one file per database, no temporary file left behind
    assert sorted(p.name for p in folder.iterdir()) == sorted([drafts_file("a.db").name, drafts_file("b.db").name])
    save("a.db", [])
    assert not drafts_file("a.db").exists() and load("a.db") == [] and len(load("b.db")) == 1


def test_a_file_that_is_not_drafts_reads_as_none(desk_home):
    drafts_file("x.db").parent.mkdir(parents=True)
    for text in ("{", "[]", '{"version": 99, "drafts": [{"kind": "call", "data": {}}]}', '{"version": 1, "drafts": [1, {"kind": 2}]}'):
        drafts_file("x.db").write_text(text, encoding="utf-8")
        assert load("x.db") == []


def stack_line(app) -> str:
    return str(app.screen.query_one("#call-stack", Static).render())


async def test_ctrl_q_with_an_open_call_asks_n_goes_back_to_the_words_as_typed(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "Java classes")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDialog)
        question = str(app.screen.query_one(Static).render())
        assert "1 open call" in question and "lost" in question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen) and app.is_running
        assert app.focused is app.screen.current.query_one("#words", Input)
        await pilot.press("?")  # the next key goes on with the words, it does not replace them
        await pilot.pause()
        assert app.screen.current.query_one("#words", Input).value == "Java classes?"
        assert app.screen.current.query_one("#number", Input).value == "13812345678"
        await pilot.press("ctrl+q", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen) and app.is_running
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running
    assert calls(store) == []
    assert not drafts_file("test.db").exists()  # y: what was typed is let go, as asked


async def test_a_disk_that_refuses_the_drafts_is_a_message_and_typing_goes_on(store, center, desk_home):
    (desk_home / "drafts").write_text("not a folder", encoding="utf-8")
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "Java")
        await pilot.pause(0.6)
        assert [n.severity for n in app._notifications if "Could not keep" in str(n.message)] == ["error"]
        await pilot.press(*" classes")
        await pilot.pause(0.6)  # tried again, said once
        assert len([n for n in app._notifications if "Could not keep" in str(n.message)]) == 1
        assert app.is_running and app.screen.current.query_one("#words", Input).value == "Java classes"


async def test_the_write_after_a_pause_in_typing_is_off_the_ui_thread_and_leaving_writes_the_latest(store, center, desk_home, monkeypatch):
    """The drafts' fsync (~20 ms) must not hold up the next key (issue 16); leaving the screen
    writes at once, after it, so what is on disk is what was typed last."""
    import threading

    import desk.drafts as drafts_io

    writes: list[tuple[str, str]] = []
    real_save = drafts_io.save

    def save_and_note(database, drafts):
        words = [d.data.get("words", "") for d in drafts if d.kind == "call"]
        writes.append((threading.current_thread().name, words[0] if words else ""))
        real_save(database, drafts)

    monkeypatch.setattr(drafts_io, "save", save_and_note)
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", "Java")
        await pilot.pause(0.6)
        assert writes and writes[-1][0].startswith("desk-drafts") and "Java" in writes[-1][1]
        await pilot.press(*" weekend")
        await pilot.press("f2")  # the screen is left: written now, on the UI thread
        await pilot.pause()
        assert writes[-1][0] == threading.main_thread().name and "Java weekend" in writes[-1][1]
    assert "Java weekend" in json.dumps([d.data for d in load(app.database)], ensure_ascii=False)


async def test_ctrl_q_with_nothing_typed_quits_at_once(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(("lang", "words", "mark", "told", "asked"), [
    ("en", "Java classes", "restored", "1 open call (F3)", "Quit desk? Typed and not saved yet"),
    ("zh_CN", "你们有Java培训吗", "已恢复", "1 个未完成的来电 (F3)", "退出 desk？以下内容已输入但尚未保存"),
])
async def test_a_call_open_when_desk_closed_comes_back_marked_restored(store, center, lang, words, mark, told, asked):
    app = make_app(store, user="陈静", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_call(pilot, "13812345678", words)
    # desk closed without saving it (not Ctrl+Q): the call is on disk
    saved = json.loads(drafts_file("test.db").read_text(encoding="utf-8"))
    assert [(d["kind"], d["data"]["number"], d["data"]["words"]) for d in saved["drafts"]] == [("call", "13812345678", words)]

    app = make_app(store, user="陈静", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        [panel] = screen.panels
        assert panel.query_one("#number", Input).value == "13812345678"
        assert panel.query_one("#words", Input).value == words
        assert mark in stack_line(app)
        assert app.focused is panel.query_one("#words", Input)
        assert any(told in str(n.message) for n in app._notifications)
        await pilot.press("?")  # typing goes on after the words; it does not replace them
        await pilot.pause()
        assert panel.query_one("#words", Input).value == words + "?"
        await pilot.press("ctrl+q")  # restored is this run's now: quitting would lose it
        await pilot.pause()
        assert asked in str(app.screen.query_one(Static).render())
        await pilot.press("escape", "enter", "enter")  # back; confirm the type, transfer: saved, the draft gone
        await pilot.pause()
        assert not drafts_file("test.db").exists()
    [call] = calls(store)
    assert (call.caller_number, call.call_type) == ("+8613812345678", "first_inquiry")


async def test_the_walk_in_form_comes_back_with_the_visitor_picked_by_name(desk_store, clock):
    known = add_lead(desk_store, "张伟", "+8613800000001", owner="赵强")
    staff_dal.set_state(desk_store, staff_id(desk_store, "赵强"), "free")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"zw")
        await pilot.pause()
        await pilot.press("down", "enter", *"mother")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "the walk-in form" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.focused.id == "wk-companions"
        await pilot.press("s")  # typing goes on where it was: what is typed is not replaced
        await pilot.pause()
        assert app.screen.query_one("#wk-companions", Input).value == "mothers"

    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WalkInsScreen)
        assert [screen.query_one(f"#wk-{n}", Input).value for n in ("phone", "name", "companions")] == ["zw", "张伟", "mothers"]
        assert "Restored" in str(screen.query_one("#wk-result").render())
        assert any("the walk-in form (F4)" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "赵强" in str(screen.query_one("#wk-result").render())
        assert not drafts_file("test.db").exists()
    (visit,) = walkin_visits(desk_store)
    assert (visit.visitor_type, visit.lead_id, visit.companions) == ("repeat_walk_in", known.id, "mothers")


async def test_a_note_and_its_outcome_come_back_on_the_notes_screen(desk_store, clock):
    call = transferred_call(desk_store)
    app = make_app(desk_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("enter")  # the call's note
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        await pilot.press("enter", *"20", "enter", "4", "ctrl+o")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter", *"Java", "enter", *"12800")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "the consult note on 张伟, the outcome for 张伟" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog) and app.focused.id == "oc-amount"

    app = make_app(desk_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog) and "restored" in str(dialog.query_one(".panel-title").render())
        assert (dialog.choice, dialog.query_one("#oc-course").value, dialog.query_one("#oc-amount").value) == ("enrolled", "Java", "12800")
        assert app.focused.id == "oc-paid"  # the first field left empty
        await pilot.press("enter", *"12-31", "enter")  # nothing paid yet, the balance due 12-31: saved
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NoteForm) and form.call_id == call.id
        assert (form.query_one("#nf-age").value, form.query_one("#nf-education").value) == ("20", "4")
        assert "Restored" in str(form.query_one("#nf-verdict").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not drafts_file("test.db").exists()
    with desk_store.read() as session:
        note = session.exec(select(ConsultNote)).one()
        lead = session.get(Lead, call.lead_id)
        enrollment = session.exec(select(Enrollment)).one()
    assert note.call_id == call.id and (lead.age, lead.education) == (20, "high_school")
    assert (enrollment.lead_id, enrollment.course, enrollment.amount_fen) == (call.lead_id, "Java", 1280000)


async def test_a_rescheduling_and_a_reassignment_being_typed_open_again_on_the_queue(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    row = add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=30))
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("s", *"+2h")  # called away before Enter
        await pilot.pause()
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ResultDialog) and "restored" in str(dialog.query_one(".panel-title").render())
        assert (dialog.choice, dialog.query_one("#fu-when").value, dialog.focused.id) == ("rescheduled", "+2h", "fu-when")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("a")  # the new callback: give 张伟 to 赵强
        await pilot.pause()
        await pilot.press("enter", *"on leave")
        await pilot.pause()
    assert fu_dal.get(desk_store, row.id).result == "rescheduled"

    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReassignDialog) and "restored" in str(dialog.query_one(".panel-title").render())
        assert dialog.query_one("#ra-reason").value == "on leave" and dialog.focused.id == "ra-reason"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert not drafts_file("test.db").exists()
    with desk_store.read() as session:
        assert session.get(Lead, lead.id).owner_id == staff_id(desk_store, "赵强")


async def test_outreach_rows_come_back_esc_or_not(desk_store, clock):
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"人民广场", "enter", "enter")  # the activity is saved; then a contact row
        await pilot.pause()
        await pilot.press(*"Tom", "tab", *"1390000")
        await pilot.pause()
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert any("the outdoor promotion form (F6 p)" in str(n.message) for n in app._notifications)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert [screen.query_one(f"#or-{n}").value for n in ("place", "name", "phone")] == ["人民广场", "Tom", "1390000"]
        assert screen.focused.id == "or-phone"
        await pilot.press("escape")  # kept for the next opening, and on disk meanwhile
        await pilot.pause()
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"0001", "enter")
        await pilot.pause()
        assert not drafts_file("test.db").exists()
    (activity,) = outreach_dal.activities(desk_store)
    assert (activity.place, activity.new_leads) == ("人民广场", 1)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_call_typed_in_a_real_desk_comes_back_after_kill_9(store, center, db_path, desk_home):
    from desk.workstation import remember_user

    remember_user(str(db_path), center["陈静"].id)
    tmux = Tmux(desk_home, "desk-drafts")
    try:
        # A session that outlives the killed desk: with none left, the tmux server exits, and
        # a new session asked for while it is going down fails ("server exited unexpectedly").
        tmux.run("new-session", "-d", "-s", "hold", "cat")
        tmux.start("first", db_path)
        assert tmux.wait(lambda: "Open calls" in tmux.screen("first")), tmux.screen("first")
        tmux.run("send-keys", "-t", "first", "-l", "13812345678")
        assert tmux.wait(lambda: "13812345678" in tmux.screen("first")), tmux.screen("first")
        tmux.run("send-keys", "-t", "first", "Enter")
        tmux.run("send-keys", "-t", "first", "-l", "Java classes")
        drafts = drafts_file(str(db_path))
        assert tmux.wait(lambda: drafts.exists() and "Java classes" in drafts.read_text(encoding="utf-8")), tmux.screen("first")
        os.kill(int(tmux.run("list-panes", "-t", "first", "-F", "#{pane_pid}")), signal.SIGKILL)
        assert tmux.wait(lambda: subprocess.run(["tmux", "-L", tmux.socket, "has-session", "-t", "first"],
                                                capture_output=True).returncode != 0)

        tmux.start("again", db_path)
        assert tmux.wait(lambda: "restored" in tmux.screen("again")), tmux.screen("again")
        screen = tmux.screen("again")
        assert "13812345678" in screen and "Java classes" in screen and "Back as typed before desk closed" in screen
        tmux.run("send-keys", "-t", "again", "-l", "?")
        assert tmux.wait(lambda: "Java classes?" in tmux.screen("again")), tmux.screen("again")
        tmux.run("send-keys", "-t", "again", "C-q")
        assert tmux.wait(lambda: "Quit desk?" in tmux.screen("again")), tmux.screen("again")
        tmux.run("send-keys", "-t", "again", "y")
        assert tmux.wait(lambda: subprocess.run(["tmux", "-L", tmux.socket, "has-session", "-t", "again"],
                                                capture_output=True).returncode != 0)
        assert not drafts.exists()
    finally:
        tmux.run("kill-server", check=False)
    assert calls(store) == []
