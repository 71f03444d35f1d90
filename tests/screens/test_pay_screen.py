"""The manager's month-end screen (issue 15): ``p`` on the dashboard, ← → for the month, Enter
for a payslip; a consultant is told it is a manager's and reads nothing."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.helpers import at, make_app, settle, staff_id, with_pins


@pytest.fixture
def guarded(desk_store):
    """desk_store with PINs (so roles are enforced) and 12,345.60 received for 王芳 on 11-20."""
    from desk.models import Enrollment, Lead, Payment

    with_pins(desk_store, "王芳")
    with desk_store.write() as s:
        lead = Lead(name="张伟", phone="+8613811112222", channel="phone", first_contact_at=at(20, 9))
        s.add(lead)
        s.flush()
        enrollment = Enrollment(lead_id=lead.id, consultant_id=staff_id(desk_store, "王芳"), course="Java",
                                amount_fen=2_000_000, enrolled_at=at(20, 10))
        s.add(enrollment)
        s.flush()
        s.add(Payment(enrollment_id=enrollment.id, kind="initial", amount_fen=1_234_560, paid_at=at(20, 10)))
    return desk_store


def _cells(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_manager_opens_the_month_end_from_the_dashboard(guarded):
    app = make_app(guarded, user="孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert type(app.screen).__name__ == "PayScreen"
        assert "Month-end 2026-11" in str(app.screen.query_one("#pay-title", Static).render())
        rows = {row[0]: row for row in _cells(app, "#pay-people")}
        assert set(rows) == {"王芳", "赵强"}
        assert rows["王芳"][1] == "12,345.60" and rows["赵强"][1] == "0.00"
        # 12,345.60 at 1% → 123.46; the base 2,600: pay 2,723.46
        assert rows["王芳"][2] == "123.46" and rows["王芳"][4] == "2,723.46"
        assert rows["王芳"][-1] == ""  # no grade warning: a month of sales and no history before it
        await pilot.press("enter")
        await settle(pilot)
        slip = {row[0]: row for row in _cells(app, "#pay-slip")}
        assert slip["Sales (¥)"][1] == "12,345.60" and slip["Pay (¥)"][1] == "2,723.46"
        assert "王芳" in str(app.screen.query_one("#pay-slip-title", Static).render())
        await pilot.press("left")
        await settle(pilot)
        assert "Month-end 2026-10" in str(app.screen.query_one("#pay-title", Static).render())
        assert {row[0]: row[1] for row in _cells(app, "#pay-people")}["王芳"] == "0.00"
        assert _cells(app, "#pay-slip") == []
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert {row[0]: row[1] for row in _cells(app, "#pay-people")}["王芳"] == "12,345.60"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_a_consultant_cannot_open_the_month_end(guarded):
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_pay()  # what p on the dashboard does; she cannot reach the dashboard either
        await settle(pilot)
        assert type(app.screen).__name__ != "PayScreen"
        assert any("may not see or change pay" in str(n.message) for n in app._notifications)


async def test_the_screen_shows_the_refusal_when_the_data_layer_says_no(guarded):
    """Pushed by hand past the app's check, the screen still reads nothing for a consultant."""
    from desk.screens.pay import PayScreen

    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(PayScreen())
        await settle(pilot)
        assert "may not see or change pay" in str(app.screen.query_one("#pay-center", Static).render())
        assert _cells(app, "#pay-people") == []
