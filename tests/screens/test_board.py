"""The consultant board's keys act on the person highlighted (issue 12, item 20).

Home goes to the top and End to the bottom; when the board's rows change under the cursor
(another workstation adds a consultant above, or one leaves), the cursor stays on the same
person, so a state key never changes someone else's state.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from desk.dal import Store
from desk.dal import staff as staff_dal
from desk.db import open_database
from desk.models import Staff
from desk.widgets.board import BoardTable
from tests.helpers import SHANGHAI, make_app, staff_id, until


@pytest.fixture
def elsewhere(desk_store, clock):
    engine = open_database(desk_store.engine.url.database)
    yield Store(engine, tz=SHANGHAI, clock=clock)
    engine.dispose()



def names(board: BoardTable) -> list[str]:
    return [str(board.get_row_at(i)[0]) for i in range(board.row_count)]


async def test_home_and_end_move_the_board_cursor_to_the_first_and_last_consultant(desk_store):
    staff_dal.add_staff(desk_store, name="陈静", role="consultant", extension="803")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f10", "down", "down")
        board = app.screen.query_one(BoardTable)
        assert app.focused is board and names(board) == ["王芳", "赵强", "陈静"] and board.cursor_row == 2
        await pilot.press("home")
        assert board.cursor_row == 0
        await pilot.press("a")  # the one shown highlighted at the top
        await pilot.pause()
        assert staff_dal.find_staff(desk_store, "王芳").state == "away"
        assert staff_dal.find_staff(desk_store, "陈静").state == "off_duty"
        await pilot.press("end")
        assert board.cursor_row == 2


def first_in_rotation(store, name: str) -> None:
    """Another workstation adds ``name`` at the head of the rotation (the board's first row)."""
    person = staff_dal.add_staff(store, name=name, role="consultant", extension="809")
    staff_dal.set_state(store, person.id, "free")
    with store.write() as session:
        row = session.exec(select(Staff).where(Staff.id == person.id)).one()
        row.rotation_position = -1
        session.add(row)


async def test_a_row_added_above_keeps_the_cursor_on_its_person_and_f_acts_on_them(desk_store, elsewhere):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f10", "down")  # 赵强, row 1
        board = app.screen.query_one(BoardTable)
        zhao = str(staff_id(desk_store, "赵强"))
        assert board.cursor_key == zhao
        await asyncio.to_thread(first_in_rotation, elsewhere, "陈静")
        assert await until(pilot, lambda: board.row_count == 3)
        assert names(board)[0] == "陈静"
        assert board.cursor_key == zhao and board.cursor_row == 2
        await pilot.press("a")
        await pilot.pause()
        assert staff_dal.find_staff(desk_store, "赵强").state == "away"
        assert staff_dal.find_staff(desk_store, "王芳").state == "free"
        assert staff_dal.find_staff(desk_store, "陈静").state == "free"


async def test_the_board_on_another_screen_keeps_its_person_when_it_is_shown_again(desk_store, elsewhere):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f10", "down")  # triage's board on 赵强
        await pilot.press("f4")  # the walk-in log: triage's board is not on show
        await pilot.pause()
        await asyncio.to_thread(first_in_rotation, elsewhere, "陈静")
        await pilot.pause(0.5)
        await pilot.press("f3")
        board = app.screen.query_one(BoardTable)
        assert await until(pilot, lambda: board.row_count == 3)
        assert board.cursor_key == str(staff_id(desk_store, "赵强"))
