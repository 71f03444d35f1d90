"""Every dialog at 80x24, in both languages (issue 12 §12, §15): tabbing through all of its
fields, the focused one is always on screen (the dialog fits, or scrolls to it), and the
fields are reached in the order they are drawn, top to bottom, left to right.

One generic walk over every dialog desk opens, so a dialog added later is checked by adding
one line to ``DIALOGS``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from textual.geometry import Region

from desk.dal import lectures as lectures_dal
from desk.dal.audit import AuditRow
from desk.dal.grade import LevelRow, Proposal
from desk.models import Call
from desk.screens.audit import AuditDetail
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.dialogs.lectures import BookLeadDialog, LectureDialog
from desk.screens.dialogs.level import LevelDialog
from desk.screens.dialogs.outcome import OUTCOMES, OutcomeDialog
from desk.screens.dialogs.recording import AttachRecordingDialog, RecordingPicker
from desk.screens.followups import ResultDialog
from desk.screens.help import HelpScreen
from desk.screens.lectures import BookPersonDialog
from desk.screens.pick_user import PickUserScreen
from desk.screens.reassign import ReassignDialog
from tests.helpers import NOW, add_follow_up, add_lead, make_app

SIZE = (80, 24)


def _outcome(choice):
    return (lambda ids: OutcomeDialog(ids["lead"], "张伟"), [*(["down"] * OUTCOMES.index(choice)), "enter"])


DIALOGS = {
    "confirm": (lambda ids: ConfirmDialog("Cancel the booking of 张伟 for the Java lecture?"), []),
    "lecture": (lambda ids: LectureDialog(), []),
    "book_lead": (lambda ids: BookLeadDialog(ids["lead"], "张伟"), []),
    "book_person": (lambda ids: BookPersonDialog(ids["lecture"]), []),
    "result": (lambda ids: ResultDialog(ids["follow_up"], "Callback · 张伟"), []),
    "result_reschedule": (lambda ids: ResultDialog(ids["follow_up"], "Callback · 张伟", reschedule=True), []),
    "reassign": (lambda ids: ReassignDialog(ids["lead"]), []),
    "recording_picker": (lambda ids: RecordingPicker(call_id=ids["call"]), []),
    "attach_recording": (lambda ids: AttachRecordingDialog(call_id=ids["call"], current="20261126-100000_13800000001.wav"), []),
    "pick_user": (lambda ids: PickUserScreen(), []),
    "help": (lambda ids: HelpScreen(), []),
    "audit_detail": (lambda ids: AuditDetail(AuditRow(1, NOW, "孙经理", "create", "lead", ids["lead"], json.dumps(
        {f"field_{i}": ["[b]old[/]", "new " * 12] for i in range(30)}), "a reason")), []),
    "level": (lambda ids: LevelDialog(LevelRow(1, "王芳", None, Proposal(2, Decimal("48000"), 2)), consultants=5), []),
    **{f"outcome_{choice}": _outcome(choice) for choice in ("trial_booked", "enrolled", "balance_paid", "refund")},
}


def _scrolled_y(widget) -> int:
    """Where the widget is drawn in its dialog, whatever the dialog is scrolled to."""
    return widget.region.y + sum(a.scroll_offset.y for a in widget.ancestors if hasattr(a, "scroll_offset"))


def _in_view(screen, widget) -> bool:
    """The whole widget (at least its first rows for a list) is inside the screen above the
    footer and inside every scrolling box around it."""
    footer = screen.query("DeskFooter")
    bottom = footer.first().region.y if footer else screen.size.height
    visible = Region(0, 0, screen.size.width, bottom)
    region = widget.region
    head = Region(region.x, region.y, region.width, min(region.height, 1))
    if not visible.contains_region(head):
        return False
    boxes = [a for a in widget.ancestors if getattr(a, "is_scrollable", False) and a is not screen and a.region.height]
    return all(box.region.contains_region(head) for box in boxes)


@pytest.fixture
def ids(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    follow_up = add_follow_up(desk_store, "callback", lead, clock() - timedelta(minutes=30))
    lecture = lectures_dal.create_lecture(desk_store, clock() + timedelta(days=2), "Java 入门")
    with desk_store.write() as session:
        call = Call(call_type="repeat_inquiry", lead_id=lead.id, caller_number=lead.phone, started_at=clock())
        session.add(call)
        session.flush()
    return {"lead": lead.id, "follow_up": follow_up.id, "lecture": lecture.id, "call": call.id}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_field_of_every_dialog_is_in_view_and_in_drawing_order_at_80x24(desk_store, ids, name, lang):
    make, keys = DIALOGS[name]
    app = make_app(desk_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = make(ids)
        await app.push_screen(dialog)
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause()
        assert app.screen is dialog
        box = dialog.query_one(".dialog-box")
        assert Region(0, 0, *SIZE).contains_region(box.region), (name, box.region)
        seen, order = [], []
        for _ in range(40):
            widget = app.focused
            if widget is None or widget in seen:
                break
            await pilot.pause()
            assert _in_view(dialog, widget), (name, widget, widget.region, box.region)
            seen.append(widget)
            order.append((_scrolled_y(widget), widget.region.x))
            await pilot.press("tab")
            await pilot.pause()
        assert seen or not dialog.focus_chain, name
        # Tab goes round: read from the topmost field, the order is the drawing order.
        start = order.index(min(order)) if order else 0
        order = order[start:] + order[:start]
        assert order == sorted(order), (name, [w.id for w in seen], order)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_trial_booked_starts_in_the_course_drawn_first_and_enter_goes_down(desk_store, ids, lang):
    """"Trial class booked": Course is drawn above the time, so typing starts there (issue 12 §15)."""
    app = make_app(desk_store, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(OutcomeDialog(ids["lead"], "张伟"))
        await pilot.pause()
        await pilot.press(*(["down"] * OUTCOMES.index("trial_booked")), "enter")
        await pilot.pause()
        course, when = app.screen.query_one("#oc-course"), app.screen.query_one("#oc-when")
        assert course.region.y < when.region.y
        assert app.focused is course
        await pilot.press(*"Java", "enter")
        assert app.focused is when


async def test_enrolled_scrolls_to_the_balance_date_at_80x24(desk_store, ids):
    """Issue 12 §12: the payment and balance-date fields of "Enrolled" are typed into in view."""
    app = make_app(desk_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(OutcomeDialog(ids["lead"], "张伟"))
        await pilot.pause()
        await pilot.press(*(["down"] * OUTCOMES.index("enrolled")), "enter")
        await pilot.press(*"Java", "enter", *"12800", "enter", *"3000", "enter")
        await pilot.pause()
        due = app.screen.query_one("#oc-due")
        assert app.focused is due and _in_view(app.screen, due)
