"""``desk --demo`` and ``desk --demo ring N`` agree on the database (issue 12, item 8): the ring
the phone hook posts for the demo center reaches the desk running on it, and a ring left from
days ago is dropped with a note instead of opening a call."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from desk.app import DeskApp
from desk.ring import post_ring
from tests.helpers import desk

pytestmark = pytest.mark.usefixtures("english")


def started_demo_desk(monkeypatch) -> DeskApp:
    """What ``desk --demo`` starts, caught before it takes the terminal."""
    caught: list[DeskApp] = []
    monkeypatch.setattr(DeskApp, "run", lambda self, *args, **kwargs: caught.append(self))
    result = desk("--demo")
    assert result.exit_code == 0, result.output
    (app,) = caught
    app.freeze_gc = False
    return app


def remember_receptionist(desk_home) -> None:
    from desk.db import resolve
    from desk.workstation import remember_user

    db = desk_home / "demo" / "desk.db"
    with sqlite3.connect(db) as conn:
        (staff_id,) = conn.execute("SELECT id FROM staff WHERE role = 'receptionist' ORDER BY id").fetchone()
    remember_user(resolve(db).description, staff_id)


async def sign_in(pilot) -> None:
    """The remembered receptionist is offered first: Enter, then the demo's PIN."""
    from tests.helpers import settle, type_text

    await settle(pilot)
    await pilot.press("enter")
    await type_text(pilot, "1234")
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.user is not None and pilot.app.user.role == "receptionist"


async def test_a_ring_posted_for_the_demo_reaches_desk_on_the_demo(desk_home, monkeypatch):
    assert desk("--demo", "demo", "--days", "2").exit_code == 0
    remember_receptionist(desk_home)
    app = started_demo_desk(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        result = desk("--demo", "ring", "13812345678")
        assert result.exit_code == 0, result.output
        for _ in range(20):
            await pilot.pause(0.1)
            if getattr(getattr(app.screen, "current", None), "draft", None) is not None and app.screen.current.draft.number:
                break
        assert app.screen.current.draft.number == "13812345678"


async def test_a_stale_ring_is_dropped_with_a_toast(desk_home, monkeypatch):
    assert desk("--demo", "demo", "--days", "2").exit_code == 0
    remember_receptionist(desk_home)
    post_ring(desk_home / "demo", "13900001111", at=datetime.now(UTC) - timedelta(days=2))
    app = started_demo_desk(monkeypatch)
    told: list[str] = []
    real_notify = app.notify

    def notify(message, *args, **kwargs):
        told.append(str(message))
        return real_notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        for _ in range(20):
            await pilot.pause(0.1)
            if told:
                break
        assert any("13900001111" in line for line in told), told
        current = getattr(app.screen, "current", None)
        assert current is None or current.draft.number != "13900001111"
    assert not list((desk_home / "demo" / "rings").glob("*.json"))
