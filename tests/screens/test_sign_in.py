"""Sign-in in the TUI (issue 14): desk asks for the PIN of the person picked, F9 too; wrong
PINs back off; the lock keeps a half-typed call; the dashboard is a manager's."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from desk.app import DeskApp
from desk.config import load
from desk.i18n import set_language
from desk.screens.pick_user import PickUserScreen
from tests.helpers import make_app, settle, staff_id, start_call, type_text, with_pins


@pytest.fixture
def guarded(desk_store):
    return with_pins(desk_store, "王芳", "李娜")


def starting_desk(store, remembered: str) -> DeskApp:
    """desk as ``desk`` starts it: it asks who is at the keyboard and for their PIN."""
    set_language("en")
    return DeskApp(store, load(None), database="test.db", user_id=staff_id(store, remembered), sign_in=True)


def hint(app) -> str:
    return str(app.screen.query_one("#pick-user-hint", Static).render())


async def test_desk_starts_by_asking_for_the_remembered_persons_pin(guarded):
    app = starting_desk(guarded, "李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickUserScreen) and app.user is None
        await pilot.press("enter")  # the remembered person is highlighted
        await settle(pilot)
        assert app.focused.id == "pin" and app.focused.password
        assert "李娜" in str(app.screen.query_one("#pin-for", Static).render())
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await settle(pilot)
        assert app.user is None and "Wrong PIN" in hint(app)
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert app.user.name == "李娜"
        assert not isinstance(app.screen, PickUserScreen)


async def test_f9_asks_the_next_persons_pin_and_escape_goes_back_to_the_list(guarded):
    app = make_app(guarded, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await type_text(pilot, "孙")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused.id == "pin"
        await pilot.press("escape")  # not him after all
        await settle(pilot)
        assert app.focused.id == "pick-user-filter" and isinstance(app.screen, PickUserScreen)
        await pilot.press("enter")
        await type_text(pilot, "2580")
        await pilot.press("enter")
        await settle(pilot)
        assert app.user.name == "孙经理"


async def test_three_wrong_pins_make_the_fourth_try_wait(guarded):
    app = starting_desk(guarded, "王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        for _ in range(3):
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await settle(pilot)
        assert "try again in 4 s" in hint(app)
        await type_text(pilot, "1357")  # right, but too soon
        await pilot.press("enter")
        await settle(pilot)
        assert app.user is None and "try again in" in hint(app)


async def test_the_lock_keeps_a_half_typed_call_and_opens_with_the_same_pin(guarded):
    app = make_app(guarded, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await start_call(pilot, "13812345678", "Java多少钱")
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, PickUserScreen) and app.focused.id == "pin"
        # Opaque: the call and the caller's number do not show through the lock.
        assert app.screen.styles.background.a == 1
        await pilot.press("escape")  # the lock cannot be dismissed
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickUserScreen)
        await type_text(pilot, "2468")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PickUserScreen) and app.user.name == "李娜"
        words = [w for w in app.screen.query(Input) if "Java多少钱" in w.value]
        assert words, "the half-typed call is still there"


async def test_a_consultant_is_told_the_dashboard_is_a_managers(guarded):
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert app.current_mode != "dashboard"
        assert any("may not open the manager's dashboard" in str(n.message) for n in app._notifications)
    manager = make_app(guarded, user="孙经理")
    async with manager.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert manager.current_mode == "dashboard"
