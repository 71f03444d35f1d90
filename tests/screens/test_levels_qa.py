"""Levels and QA scoring in the TUI (issue 15): the manager records a level from the dashboard
(the proposal confirmed, then overridden) and scores a consult; a consultant reads only her
own reviews and is told the levels are a manager's."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from desk.dal import qa
from desk.dal import staff as staff_dal
from desk.models import Call, LevelRecord, QaReview
from desk.screens.dialogs.level import LevelDialog
from desk.screens.levels import LevelsScreen
from desk.screens.qa import QaFormScreen, QaScreen
from tests.helpers import make_app, settle, staff_id, transferred_call, type_text, with_pins


def _levels(store):
    with store.read() as session:
        return [(r.level, r.status, r.proposed_level, json.loads(r.criteria), r.note)
                for r in session.exec(select(LevelRecord).order_by(LevelRecord.id)).all()]


def _text(app, selector) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def recorded(desk_store):
    """Two transferred calls with their recordings: 王芳's and 赵强's."""
    ids = {}
    for name, number in (("王芳", "+8613811112222"), ("赵强", "+8613811113333")):
        call = transferred_call(desk_store, to=name, number=number, name=f"{name}的客户")
        with desk_store.write() as session:
            row = session.get(Call, call.id)
            row.recording_ref = f"rec-{name}"
            session.add(row)
        staff_dal.set_state(desk_store, staff_id(desk_store, name), "free")
        ids[name] = call.id
    return ids


async def test_the_manager_confirms_the_proposed_level_then_overrides_it(desk_store):
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LevelsScreen)
        assert "王芳" in str(app.screen.query_one("#lv-table").get_row_at(0))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LevelDialog)
        assert app.screen.query_one("#ld-level", Input).value == "1"  # no sales yet: a shared first place
        await pilot.press("enter")  # the proposal, confirmed
        await settle(pilot)
        assert isinstance(app.screen, LevelsScreen)
        assert _levels(desk_store) == [(1, "regular", 1, {"exams_passed": False, "can_host_lectures": False,
                                                          "can_train": False}, None)]
        assert "may supervise" in str(app.screen.query_one("#lv-table").get_row_at(0))
        assert "level 1 (regular) · proposed 1" in _text(app, "#lv-history")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("backspace", "4", "tab", "down", "tab", "space", "tab", "tab", "tab")
        await type_text(pilot, "exams passed; not selling yet")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LevelsScreen)
        assert _levels(desk_store)[-1] == (4, "demoted", 1, {"exams_passed": True, "can_host_lectures": False,
                                                              "can_train": False}, "exams passed; not selling yet")
        history = _text(app, "#lv-history")
        assert history.index("level 4 (demoted)") < history.index("level 1 (regular)")


async def test_a_level_outside_one_to_six_is_said_at_its_field(desk_store):
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_open_levels()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("backspace", "9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LevelDialog)
        assert "from 1 to 6" in _text(app, "#ld-level-error")
        assert _levels(desk_store) == []


async def test_the_manager_scores_a_consult_and_sees_the_total_as_boxes_are_ticked(desk_store, recorded):
    app = make_app(desk_store, user="孙经理")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QaScreen)
        table = app.screen.query_one("#qa-table")
        assert table.row_count == 1 and "rec-王芳" in str(table.get_row_at(0))
        await pilot.press("enter", "enter")  # 王芳, then her call
        await settle(pilot)
        assert isinstance(app.screen, QaFormScreen)
        assert "Total 100" in _text(app, "#qf-total")
        await pilot.press("space")  # no standard greeting: -5
        await settle(pilot)
        assert "Total 95" in _text(app, "#qf-total")
        comment = app.screen.query_one("#qf-c-no_greeting", Input)
        assert comment.display
        await pilot.press("tab")
        assert app.focused is comment
        await type_text(pilot, "no center name")
        app.screen.query_one("#qf-f-no_guidance").value = True  # guidance set to 0: -20
        app.screen.query_one("#qf-b-structured_guidance").value = True  # +6
        await settle(pilot)
        assert "Total 81 = items 75 + bonus 6" in _text(app, "#qf-total")
        assert "Guidance: 0 of 20" in _text(app, "#qf-item-guidance")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QaScreen)
        assert "81" in str(app.screen.query_one("#qa-table").get_row_at(0))
        detail = _text(app, "#qa-detail")
        assert "Average 81.0 of 1 reviews" in detail and "center's name not given: no center name" in detail
    with desk_store.read() as session:
        review = session.exec(select(QaReview)).one()
    assert (review.staff_id, review.call_id, review.total, review.bonus) == (
        staff_id(desk_store, "王芳"), recorded["王芳"], 81, 6)
    assert json.loads(review.marks) == {"faults": ["no_greeting", "no_guidance"], "bonuses": ["structured_guidance"],
                                        "fatal": [], "comments": {"no_greeting": "no center name"}}
    assert review.reviewer_id == staff_id(desk_store, "孙经理")


@pytest.fixture
def guarded(desk_store, recorded):
    with_pins(desk_store, "王芳")
    as_manager = desk_store.with_actor(staff_id(desk_store, "孙经理"))
    qa.save_review(as_manager, staff_id(desk_store, "王芳"), call_id=recorded["王芳"], faults=["interrupted"],
                   comments={"interrupted": "let the caller finish"})
    qa.save_review(as_manager, staff_id(desk_store, "赵强"), call_id=recorded["赵强"], fatal=["misleading_wording"])
    return desk_store


async def test_a_consultant_reads_only_her_own_reviews_and_not_the_levels(guarded):
    app = make_app(guarded, user="王芳")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QaScreen)
        assert not app.screen.query("#qa-people")  # nobody else to pick
        table = app.screen.query_one("#qa-table")
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][3:] == ["95", "孙经理"]
        detail = _text(app, "#qa-detail")
        assert "Interrupted the caller: let the caller finish" in detail and "Misleading" not in detail
        await pilot.press("enter")  # read-only: Enter scores nothing
        await settle(pilot)
        assert isinstance(app.screen, QaScreen)
        app.action_open_levels()
        await settle(pilot)
        assert not isinstance(app.screen, LevelsScreen)
        assert any("may not see or change pay, levels and grades" in str(n.message) for n in app._notifications)
