"""The managers' audit trail: opened from the dashboard, read only, filtered, a row's JSON, the
chain checked, and older rows paged in."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desk.dal import audit as audit_dal
from desk.dal import staff as staff_dal
from desk.screens.audit import AuditDetail, AuditScreen
from tests.helpers import add_lead, make_app, settle, staff_id, type_text


@pytest.fixture
def trail(store):
    """A manager, a consultant and a receptionist; 王芳 became free; a lead with "[VIP]" in its name."""
    for name, role in (("孙经理", "manager"), ("王芳", "consultant"), ("李娜", "receptionist")):
        staff_dal.add_staff(store, name=name, role=role)
    staff_dal.set_state(store.with_actor(staff_id(store, "孙经理")), staff_id(store, "王芳"), "free")
    add_lead(store, "[VIP] 张伟", "+8613800000001")
    return store


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def shown(app) -> list[tuple]:
    table = app.screen.query_one("#au-table")
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def open_trail(pilot):
    await pilot.press("f12")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_manager_opens_it_from_the_dashboard_filters_and_reads_a_rows_json(trail, lang):
    app = make_app(trail, "孙经理", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_trail(pilot)
        assert isinstance(app.screen, AuditScreen)
        rows = shown(app)
        assert len(rows) == len(audit_dal.entries(trail)) == 5  # three staff, a state, a lead
        assert rows[0][2:5] == ("create", "lead", str(audit_dal.entries(trail)[0].row_id))
        assert "[VIP] 张伟" in rows[0][5]  # stored text as it is

        await pilot.press("slash")
        await type_text(pilot, "RECEPTION")  # any case, in the changes
        await settle(pilot)
        assert [(r[2], r[3], r[4]) for r in shown(app)] == [("create", "staff", str(staff_id(trail, "李娜")))]

        await pilot.press("enter", "enter")  # from the box to the table, then the row
        await settle(pilot)
        assert isinstance(app.screen, AuditDetail)
        json_text = str(app.screen.query_one("#au-json-text").render())
        assert '"name": "李娜",\n' in json_text and '"role": "receptionist",\n' in json_text  # indented JSON
        await pilot.press("escape")
        await pilot.press("escape")  # closes the filter: every row is back
        await settle(pilot)
        assert len(shown(app)) == 5


async def test_v_says_whether_the_chain_holds(trail):
    app = make_app(trail, "孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_trail(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "chain intact: 5 rows" in notices(app)
        with trail.engine.begin() as conn:
            conn.execute(text("UPDATE audit SET changes = '{}' WHERE id = 3"))
        await pilot.press("v")
        await settle(pilot)
        assert "audit row 3 was changed or removed (chain broken after row 2)" in notices(app)


@pytest.mark.parametrize("user", ["王芳", "李娜"])
async def test_anyone_but_a_manager_is_told_why_not(trail, user):
    app = make_app(trail, user)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_trail(pilot)
        assert not isinstance(app.screen, AuditScreen)
        assert "The audit trail is for managers and the principal." in notices(app)


async def test_older_rows_come_a_page_at_a_time(trail, monkeypatch):
    monkeypatch.setattr(audit_dal, "PAGE", 2)
    app = make_app(trail, "孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_trail(pilot)
        ids = [r.id for r in audit_dal.entries(trail, limit=None)]
        table = app.screen.query_one("#au-table")
        assert [key.value for key in table.rows] == [str(i) for i in ids[:2]]
        await pilot.press("m")
        await settle(pilot)
        assert [key.value for key in table.rows] == [str(i) for i in ids[:4]]
        await pilot.press("down", "down", "down")  # onto the last row: the next page comes
        await settle(pilot)
        assert [key.value for key in table.rows] == [str(i) for i in ids]
