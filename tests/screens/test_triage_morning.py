"""Call triage, issue 12: what a receptionist's morning at 80x24 found wrong, key by key."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import select
from textual.widgets import Input, OptionList, Static

from desk.dal import staff as staff_dal
from desk.models import Lead
from desk.phones import PhoneError, parse
from desk.ring import post_ring
from desk.screens.triage import TriageScreen
from tests.helpers import Tmux, calls, make_app, start_call, type_text, until


def leads(store) -> list[Lead]:
    with store.read() as session:
        return list(session.exec(select(Lead)).all())


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# ----- 1: letters in a number ---------------------------------------------------------------


def test_letters_are_not_read_as_keypad_digits():
    with pytest.raises(PhoneError) as err:
        parse("138abcd1234")
    assert err.value.code == "phone.letters"
    assert parse("138 1234 5678 ext 12").extension == "12"
    assert parse("+86-138-1234-5678").e164 == "+8613812345678"
    assert parse("010 6234 5678 转 801").extension == "801"


async def test_letters_in_the_number_are_an_error_at_the_field_and_no_lead_is_made(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "138abcd1234", "do you teach Java")
        assert "letters" in shown(app, "#number-error").lower()
        assert app.screen.current.draft.caller_number is None
        await pilot.press("enter", "enter")  # confirm the type, try to transfer
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "number"
    assert calls(store) == [] and leads(store) == []


async def test_a_name_typed_in_the_number_field_is_a_lookup_not_an_error(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+n")
        await type_text(pilot, "zhangwei")
        await pilot.pause()
        assert shown(app, "#number-error") == ""


# ----- 2: away / off duty never the default ------------------------------------------------


async def test_off_duty_person_is_never_the_default_and_choosing_one_asks_first(store, center):
    staff_dal.set_state(store, center["何雪"].id, "off_duty")
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13912340000", "何雪老师在吗")
        await pilot.press("enter")  # Student confirmed: the people to put it through to
        await pilot.pause()
        targets = app.screen.query_one("#targets", OptionList)
        panel = app.screen.current
        highlighted = panel._targets_by_id[targets.get_option_at_index(targets.highlighted).id]
        assert highlighted.state not in ("away", "off_duty")
        assert highlighted.id == center["李娜"].id  # the rotation's pick
        index = next(i for i in range(targets.option_count) if targets.get_option_at_index(i).id == str(center["何雪"].id))
        targets.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert calls(store) == []
        assert "off duty" in shown(app, "#confirm").lower()
        await pilot.press("n")
        await pilot.pause()
        assert calls(store) == [] and shown(app, "#confirm") == ""
        await pilot.press("enter", "y")
        assert await until(pilot, lambda: calls(store))
    [call] = calls(store)
    assert call.to_staff_id == center["何雪"].id


# ----- 3: the card after the questions ------------------------------------------------------


async def test_after_the_questions_the_card_shows_the_type_without_a_silent_suggestion(store, center):
    from desk.rules import tree

    path = next(p for p, leaf in tree.paths() if leaf == "complaint")
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        for _node, yes in path:
            await pilot.press("y" if yes else "n")
            await pilot.pause()
        card = shown(app, "#suggestion")
        assert "Complaint" in card and "questions" in card
        assert "Silent" not in card and "nothing said" not in card and "Suggested" not in card


# ----- 10: the type list --------------------------------------------------------------------


async def test_down_in_the_words_opens_the_type_list_and_a_number_key_chooses(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13800001111", "is Mr Zhao there")
        await pilot.press("down")
        await pilot.pause()
        assert app.focused.id == "types"
        await pilot.press("3")  # repeat inquiry
        await pilot.pause()
        assert app.screen.current.draft.call_type == "repeat_inquiry"
        assert app.screen.query_one("#words", Input).value == "is Mr Zhao there"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_type_list_works_through_a_real_terminal(store, center, db_path, desk_home):
    from desk.workstation import remember_user

    remember_user(str(db_path), center["陈静"].id)
    tmux = Tmux(desk_home, "desk-triage")
    try:
        tmux.start("desk", db_path)
        assert tmux.wait(lambda: "Open calls" in tmux.screen("desk")), tmux.screen("desk")
        tmux.run("send-keys", "-t", "desk", "-l", "13812345678")
        assert tmux.wait(lambda: "13812345678" in tmux.screen("desk")), tmux.screen("desk")
        tmux.run("send-keys", "-t", "desk", "Enter")
        tmux.run("send-keys", "-t", "desk", "-l", "hello there")
        assert tmux.wait(lambda: "hello there" in tmux.screen("desk")), tmux.screen("desk")
        tmux.run("send-keys", "-t", "desk", "Down")
        assert tmux.wait(lambda: "8 Complaint" in tmux.screen("desk")), tmux.screen("desk")
        tmux.run("send-keys", "-t", "desk", "8")
        assert tmux.wait(lambda: "Action: Complaint" in tmux.screen("desk")), tmux.screen("desk")
        assert "hello there8" not in tmux.screen("desk")
    finally:
        tmux.run("kill-server", check=False)


# ----- 17: long words -----------------------------------------------------------------------


async def test_the_suggestion_follows_the_words_once_typing_stops(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "hello " * 40 + "I want to complain")
        assert await until(pilot, lambda: "Complaint" in shown(app, "#suggestion")), shown(app, "#suggestion")
        await pilot.press("enter")  # Enter right after typing uses the words as they are
        await pilot.pause()
        assert app.screen.current.draft.call_type == "complaint"


async def test_enter_straight_after_typing_confirms_what_was_typed(store, center):
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+n")
        await type_text(pilot, "13812345678")
        await pilot.press("enter", *"I want to complain", "enter")
        await pilot.pause()
        assert app.screen.current.draft.call_type == "complaint"


# ----- 19: a ring while typing --------------------------------------------------------------


async def test_a_ring_while_typing_waits_on_the_stack_and_ctrl_n_takes_it(store, center, tmp_path):
    app = make_app(store, user="陈静", lang="en", rings=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await start_call(pilot, "13812345678", "I was asking about the Java")
        first = app.screen.current
        post_ring(tmp_path, "13900001111")
        # the ring poll (every quarter second) takes it: wait for it, not for a fixed time
        assert await until(pilot, lambda: "139 0000 1111" in app.sub_title)
        screen = app.screen
        assert isinstance(screen, TriageScreen) and screen.current is first and app.focused.id == "words"
        assert len(screen.panels) == 2
        assert "139 0000 1111" in shown(app, "#call-stack")
        assert "139 0000 1111" in app.sub_title
        await type_text(pilot, " course")
        assert first.draft.words == "I was asking about the Java course"
        await pilot.press("ctrl+n")
        assert await until(pilot, lambda: screen.current is not first)
        assert screen.current.draft.number == "13900001111"
        assert app.focused.id == "words"
        assert "139 0000 1111" not in app.sub_title


async def test_a_ring_on_an_idle_desk_takes_the_screen(store, center, tmp_path):
    app = make_app(store, user="陈静", lang="en", rings=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        post_ring(tmp_path, "13900001111")
        assert await until(pilot, lambda: isinstance(app.screen, TriageScreen) and app.screen.current is not None
                           and app.screen.current.draft.number == "13900001111")


# ----- 20: messages -------------------------------------------------------------------------


def all_busy(store, center):
    for name in ("李娜", "王芳", "赵强"):
        staff_dal.set_state(store, center[name].id, "on_call")


async def all_busy_message(pilot, words="do you have a design course"):
    await start_call(pilot, "13812345678", words)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_message_says_what_is_missing_at_the_field(store, center):
    all_busy(store, center)
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await all_busy_message(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert calls(store) == []
        assert shown(app, "#e-caller_name") != "" and shown(app, "#e-best_time") != ""
        assert shown(app, "#e-purpose") == ""  # their words are their question
        assert app.focused.id == "f-caller_name"
        await type_text(pilot, "Zhang")
        assert shown(app, "#e-caller_name") == ""
        await pilot.press("enter")
        await type_text(pilot, "after 3")
        await pilot.press("enter", "ctrl+u", "ctrl+s")  # the question emptied
        await pilot.pause()
        assert calls(store) == [] and app.focused.id == "f-purpose"
        assert shown(app, "#e-purpose") != ""
        await type_text(pilot, "fees")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: calls(store))
    [call] = calls(store)
    assert (call.outcome, call.caller_name, call.best_time, call.purpose) == ("message_taken", "Zhang", "after 3", "fees")


async def test_a_refused_message_is_still_saved_with_nothing_typed(store, center):
    all_busy(store, center)
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await all_busy_message(pilot)
        await pilot.press("ctrl+r", "ctrl+r")  # asked once more, warmly; still no
        assert await until(pilot, lambda: calls(store))
    [call] = calls(store)
    assert call.outcome == "message_refused"


async def test_the_callers_words_are_carried_into_their_question(store, center):
    all_busy(store, center)
    app = make_app(store, user="陈静", lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await all_busy_message(pilot)
        assert app.screen.query_one("#f-purpose", Input).value == "do you have a design course"
        assert app.focused.id == "f-caller_name"
