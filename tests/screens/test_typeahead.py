"""Keys typed faster than desk draws: nothing is lost, nothing lands in the wrong field.

A receptionist presses Ctrl+N and types the caller's number at once; the keys reach desk
before the call screen has finished opening. Pilot's ``press`` waits for each key to be
handled, so these tests post the keys in one burst, as a fast typist or a paste does.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from desk.dal import staff as staff_dal
from desk.models.visit import VISITOR_TYPES
from desk.screens.triage import TriageScreen
from tests.helpers import make_app


@pytest.fixture
def people(store):
    found = {}
    for name, role, ext in (("李娜", "consultant", "801"), ("王芳", "consultant", "802"), ("周强", "manager", "820")):
        found[name] = staff_dal.add_staff(store, name=name, role=role, extension=ext)
    staff_dal.set_state(store, found["李娜"].id, "free")
    return found


def burst(app, keys) -> None:
    """Post ``keys`` to desk all at once, without waiting for any to be handled."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def settle(pilot, done) -> None:
    """Let desk work through the burst: until ``done()`` holds (3 s at most), then until idle,
    so no key is still bubbling towards the app when the test closes it."""
    for _ in range(60):
        if done():
            break
        await pilot.pause(0.05)
    await pilot.pause()


def number_typed(app) -> str:
    """The number field of the call on top of the triage stack, "" until there is one."""
    screen = app.screen
    if not isinstance(screen, TriageScreen) or screen.current is None:
        return ""
    return screen.current.query_one("#number", Input).value


async def test_digits_typed_right_after_ctrl_n_open_the_call_screen_and_fill_the_number(store, people):
    app = make_app(store, user="周强")  # a manager's desk opens on home: triage is not mounted yet
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, ["ctrl+n", *"13812345678"])
        await settle(pilot, lambda: len(number_typed(app)) == 11)
        assert isinstance(app.screen, TriageScreen)
        assert app.screen.current.query_one("#number", Input).value == "13812345678"


async def test_words_typed_in_the_same_burst_as_the_numbers_enter_land_in_the_words(store, people):
    """A fast typist, or a machine busy enough that keys queue: the number, Enter and the
    caller's words all arrive before desk has handled the Enter."""
    app = make_app(store, user="周强")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, ["ctrl+n", *"13812345678", "enter", *"java"])
        await settle(pilot, lambda: isinstance(app.screen, TriageScreen) and app.screen.current is not None
                     and app.screen.current.query_one("#words", Input).value == "java")
        call = app.screen.current
        assert call.query_one("#number", Input).value == "13812345678"
        assert call.query_one("#words", Input).value == "java"


async def test_a_second_call_started_mid_sentence_keeps_the_first_callers_words(store, people):
    app = make_app(store, user="周强")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", *"13812345678", "enter", *"java")
        first = app.screen.current
        burst(app, ["ctrl+n", *"13900001111"])
        await settle(pilot, lambda: app.screen.current is not first and len(number_typed(app)) == 11)
        second = app.screen.current
        assert second is not first
        assert first.query_one("#number", Input).value == "13812345678"
        assert first.query_one("#words", Input).value == "java"
        assert second.query_one("#number", Input).value == "13900001111"


async def test_the_visitor_type_chosen_right_after_f4_opens_the_walk_in_form(store, people):
    app = make_app(store, user="周强")  # the walk-in screen is mounted by this F4
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        steps = ["down"] * VISITOR_TYPES.index("group")
        burst(app, ["f4", "home", *steps, "enter"])
        await settle(pilot, lambda: getattr(app.screen, "visitor_type", None) == "group")
        assert app.screen.visitor_type == "group"
        assert app.focused is app.screen.query_one("#wk-phone", Input)
