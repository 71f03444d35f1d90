"""The lead timeline of a long history: every event, newest first, in the first frame; the
filter searches them all; what people typed is shown whole, as typed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.dal import timeline as timeline_dal
from desk.models import Call, ConsultNote, FollowUp, Visit
from desk.screens.timeline import TimelineScreen
from tests.helpers import add_follow_up, add_lead, make_app, staff_id

EVENTS = 150  # the test terminal has 30 lines


def history(store, now):
    """张伟: an overdue callback (first in the queue) and 150 older calls, visits and notes."""
    lead = add_lead(store, "张伟", "+8613800000001")
    add_follow_up(store, "callback", lead, now - timedelta(minutes=30), note="回电|周末班")
    wang = staff_id(store, "王芳")
    with store.write() as session:
        for i in range(EVENTS - 1):
            at = now - timedelta(hours=i + 1)
            if i % 3 == 0:
                session.add(Call(started_at=at, call_type="repeat_inquiry", lead_id=lead.id, words=f"call {i}"))
            elif i % 3 == 1:
                session.add(Visit(arrived_at=at, visitor_type="repeat_walk_in", lead_id=lead.id))
            else:
                session.add(ConsultNote(lead_id=lead.id, staff_id=wang, kind="phone", created_at=at, text=f"note {i}"))
        session.add(ConsultNote(lead_id=lead.id, staff_id=wang, kind="phone", created_at=now - timedelta(days=30),
                                text="[/] asked for [b]VIP[/b] price"))
    return lead


async def open_timeline(pilot, app) -> TimelineScreen:
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, TimelineScreen)
    return screen


def all_rows(table) -> list:
    return [table.get_row_at(i) for i in range(table.row_count)]


async def test_every_event_newest_first(desk_store, clock):
    lead = history(desk_store, clock())
    _, events = timeline_dal.events(desk_store, lead.id)
    assert len(events) == EVENTS + 1  # the follow-up, the calls/visits/notes, the old note
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_timeline(pilot, app)
        table = screen.query_one("#tl-table")
        rows = all_rows(table)
        assert len(rows) == len(events)
        keys = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert keys == [f"{e.ref}:{e.kind}" for e in events]
        stamps = [r[0] for r in rows]
        assert stamps == sorted(stamps, reverse=True)
        assert rows[0][1] == "Follow-up opened" and "回电|周末班" in rows[0][3]  # a '|' no longer cuts it
        assert f"· {len(events)} events" in str(screen.query_one("#tl-head").render())


async def test_the_filter_searches_every_event(desk_store, clock):
    history(desk_store, clock())
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_timeline(pilot, app)
        await pilot.press("slash", *"note 146")
        await pilot.pause()
        rows = all_rows(screen.query_one("#tl-table"))
        assert [r[3] for r in rows] == ["phone · note 146"]
        await pilot.press("escape")  # clears the filter: every event again
        await pilot.pause()
        assert len(all_rows(screen.query_one("#tl-table"))) == EVENTS + 1


async def test_what_was_typed_shows_as_typed(desk_store, clock):
    history(desk_store, clock())
    app = make_app(desk_store)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_timeline(pilot, app)
        rows = all_rows(screen.query_one("#tl-table"))
        await pilot.press("ctrl+end")  # the oldest event, the last row
        await pilot.pause()
        assert "[/] asked for [b]VIP[/b] price" in rows[-1][3].replace("\\[", "[")
        assert "[b]VIP[/b]" in app.export_screenshot().replace("&#160;", " ")


@pytest.mark.both_backends
def test_events_carry_their_facts_not_a_joined_string(desk_store, clock):
    lead = add_lead(desk_store, "张伟", "+8613800000001")
    row = add_follow_up(desk_store, "callback", lead, clock() + timedelta(hours=1), note="a|b")
    with desk_store.write() as session:
        done = session.get(FollowUp, row.id)
        done.done_at, done.result, done.result_note = clock() + timedelta(minutes=5), "reached", "ok|fine"
        session.add(done)
    _, events = timeline_dal.events(desk_store, lead.id)
    assert [(e.kind, e.what) for e in events] == [
        ("follow_up_done", ("callback", "reached", "ok|fine")),
        ("follow_up", ("callback", clock() + timedelta(hours=1), "a|b")),
    ]


@pytest.mark.both_backends
def test_a_note_line_says_the_intent_in_words_in_both_languages(desk_store, clock):
    from desk.i18n import set_language
    from desk.screens.timeline import _summary

    lead = add_lead(desk_store, "张伟", "+8613800000001")
    with desk_store.write() as session:
        session.add(ConsultNote(lead_id=lead.id, staff_id=staff_id(desk_store, "王芳"), kind="phone", intent="medium",
                                created_at=clock(), asked="Java 周末班"))
    _, (event,) = timeline_dal.events(desk_store, lead.id)
    set_language("en")
    assert "intent medium" in _summary(desk_store, event) and "Java 周末班" in _summary(desk_store, event)
    set_language("zh_CN")
    line = _summary(desk_store, event)
    assert "意向中" in line and "medium" not in line
