"""Focus follows the drawing order on every form (issue 12 §15): Tab from the first field
reaches each focusable widget top to bottom, left to right, column by column, and each one
is on screen when it has the focus (the form scrolls to it), at 80x24 in both languages."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from tests.helpers import choose_type, make_app, transferred_call


def _scrolled_y(widget) -> int:
    return widget.region.y + sum(a.scroll_offset.y for a in widget.ancestors if hasattr(a, "scroll_offset"))


def _column(widget, columns) -> int:
    for index, column in enumerate(columns):
        if column in widget.ancestors_with_self:
            return index
    return len(columns)


async def _open_note_form(pilot, app):
    await pilot.press("f5")
    await pilot.pause()
    await pilot.press("enter")


async def _open_walkins(pilot, app, vtype):
    await pilot.press("f4")
    await pilot.pause()
    await choose_type(pilot, vtype)


async def _open_outreach(pilot, app):
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("p")


FORMS = {
    # name: (user, how to open it, the columns in reading order)
    "note_form": ("王芳", _open_note_form, ["#nf-scroll"]),
    "walkins_consult": ("李娜", lambda p, a: _open_walkins(p, a, "consult_walk_in"), ["#wk-form", "#wk-side"]),
    "walkins_business": ("李娜", lambda p, a: _open_walkins(p, a, "business_visitor"), ["#wk-form", "#wk-side"]),
    "walkins_group": ("李娜", lambda p, a: _open_walkins(p, a, "group"), ["#wk-form", "#wk-side"]),
    "outreach": ("王芳", _open_outreach, []),
}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("form", list(FORMS))
async def test_tab_order_is_the_drawing_order_and_the_focused_field_is_in_view(desk_store, clock, form, lang):
    transferred_call(desk_store)
    user, open_form, column_ids = FORMS[form]
    app = make_app(desk_store, user=user, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_form(pilot, app)
        await pilot.pause()
        screen = app.screen
        columns = [screen.query_one(c) for c in column_ids]
        screen_area = Region(0, 0, 80, 24)
        seen, order = [], []
        for _ in range(80):
            widget = app.focused
            if widget is None or widget in seen:
                break
            await pilot.pause()
            head = Region(widget.region.x, widget.region.y, widget.region.width, 1)
            assert screen_area.contains_region(head), (form, widget, widget.region)
            seen.append(widget)
            order.append((_column(widget, columns), _scrolled_y(widget), widget.region.x))
            await pilot.press("tab")
            await pilot.pause()
        assert len(seen) > 1, form
        start = order.index(min(order))
        order = order[start:] + order[:start]
        ids = [w.id for w in seen[start:] + seen[:start]]
        assert order == sorted(order), (form, list(zip(ids, order, strict=True)))
