"""What people type is stored and shown as typed, never read as markup: a name like
``张[/]伟 [b]VIP`` in a Static or a DataTable cell would vanish, restyle the rest of the line
or raise a MarkupError at render time, a traceback in front of the receptionist."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable
from textual.widgets._data_table import default_cell_formatter

from desk.dal import staff as staff_dal
from desk.models import Call, ConsultNote, Lead, Lecture, LectureBooking, Outreach, Visit
from desk.screens.lectures import BookingsScreen, LecturesScreen
from desk.screens.notes import NoteForm
from desk.screens.outreach import OutreachScreen
from desk.screens.walkins import WalkInsScreen
from tests.helpers import choose_type, make_app, open_outreach, staff_id, transferred_call

NAME = "张[/]伟 [b]VIP"
RED = "[red]x"
LITERAL = "张[/]伟"


def cells(app, selector: str) -> list[str]:
    """Every cell of the table as the table renders it (plain text)."""
    table = app.screen.query_one(selector, DataTable)
    return [default_cell_formatter(cell).plain for i in range(table.row_count) for cell in table.get_row_at(i)]


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def one(store, model):
    with store.read() as session:
        return session.exec(select(model)).one()


async def test_a_message_taken_for_a_busy_center(desk_store):
    for name in ("王芳", "赵强"):
        staff_dal.set_state(desk_store, staff_id(desk_store, name), "on_call")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await pilot.pause()
        await pilot.press(*"13812345678", "enter", *"do you teach Java")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*NAME, "enter", *RED, "enter", *RED, "enter")
        await pilot.pause()
        assert app.screen.query_one("#todays-calls", DataTable).row_count == 1  # the caller's name is not a column
    call = one(desk_store, Call)
    assert call.caller_name == NAME and call.best_time == RED


async def test_a_walk_in_on_the_waiting_list_the_day_table_and_the_board(desk_store):
    staff = staff_dal.add_staff(desk_store, name=NAME, role="consultant", extension="809")
    staff_dal.set_state(desk_store, staff.id, "away")
    for name in ("王芳", "赵强"):
        staff_dal.set_state(desk_store, staff_id(desk_store, name), "on_call")
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert NAME in cells(app, "#duty")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, WalkInsScreen)
        assert NAME in cells(app, "#wk-board DataTable")
        await choose_type(pilot, "consult_walk_in")
        await pilot.press(*"13900001111", "enter", *NAME, "ctrl+s")
        await pilot.pause()
        assert LITERAL in shown(app, "#wk-result")
        assert NAME in cells(app, "#wk-waiting") and NAME in cells(app, "#wk-day")
        staff_dal.set_state(desk_store, staff_id(desk_store, "王芳"), "free")
        app.screen.refresh_lists()
        await pilot.pause()
        assert LITERAL in shown(app, "#wk-offer")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert LITERAL in shown(app, "#wk-result")
    assert one(desk_store, Visit).visitor_name == NAME
    assert one(desk_store, Lead).name == NAME


async def test_a_lecture_topic_and_a_booked_name(desk_store):
    app = make_app(desk_store, user="李娜")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, LecturesScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"14:00", "enter", *RED, "enter")
        await pilot.pause()
        assert RED in cells(app, "#lec-table")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        assert RED in shown(app, "#bk-head")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"13900009999")
        await pilot.pause()
        await pilot.press("enter", *NAME, "enter", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        assert LITERAL in shown(app, "#bk-status")
        assert NAME in cells(app, "#bk-table")
    assert one(desk_store, Lecture).topic == RED
    assert one(desk_store, Lead).name == NAME and one(desk_store, LectureBooking)


async def test_a_consult_note_name_and_free_text(desk_store):
    transferred_call(desk_store, name=NAME)
    app = make_app(desk_store)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert NAME in cells(app, "#nq-table")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteForm)
        assert LITERAL in str(app.screen.query_one(".panel-title").render())
        app.screen.query_one("#nf-name").value = RED + NAME
        app.screen.query_one("#nf-asked").value = NAME
        app.screen.query_one("#nf-objections").value = RED
        await pilot.press("ctrl+s")
        await pilot.pause()
    note = one(desk_store, ConsultNote)
    assert one(desk_store, Lead).name == RED + NAME
    assert NAME in note.asked and RED in note.objections


async def test_an_outreach_place_and_contact_name(desk_store):
    app = make_app(desk_store)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_outreach(pilot, app)
        assert isinstance(screen, OutreachScreen)
        await pilot.press(*NAME, "enter", "enter")
        await pilot.pause()
        assert LITERAL in shown(app, "#or-activity-status")
        await pilot.press(*NAME, "tab", *"13900000001", "tab", *RED, "enter")
        await pilot.pause()
        assert LITERAL in shown(app, "#or-contact-status")
        assert NAME in cells(app, "#or-contacts") and RED in cells(app, "#or-contacts")
        assert NAME in cells(app, "#or-list")
    assert one(desk_store, Outreach).place == NAME
    assert one(desk_store, Lead).name == NAME


async def test_a_lead_named_with_brackets_in_the_queue_its_dialogs_and_its_timeline(desk_store, clock):
    from datetime import timedelta

    from desk.screens.followups import FollowUpsScreen, ResultDialog
    from desk.screens.timeline import TimelineScreen
    from tests.helpers import add_follow_up, add_lead
    lead = add_lead(desk_store, NAME, "+8613800000001")
    add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=5))
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert any(LITERAL in cell for cell in cells(app, "#fu-table"))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ResultDialog) and LITERAL in shown(app, ".panel-title")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen) and LITERAL in shown(app, "#tl-head")
