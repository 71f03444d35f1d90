"""Layouts at 80x24 and 60x20 (issue 12 §14), checked on the widgets' sizes; the pictures
are the snapshot tests'."""

from __future__ import annotations

import pytest

from tests.helpers import make_app


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_todays_calls_on_triage_are_framed_and_show_the_type_uncut_at_80x24(demo_store, lang):
    app = make_app(demo_store, user="孙丽", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        table = app.screen.query_one("#todays-calls")
        assert table.styles.border_top[0] != ""  # a frame
        assert table.row_count
        column = table.columns["type"]
        labels = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        from rich.cells import cell_len

        assert column.get_render_width(table) >= max(cell_len(label) for label in labels)
        # the type column is inside the frame, left of its right edge
        offset = sum(c.get_render_width(table) for c in table.ordered_columns[:3])
        assert offset <= table.content_region.width


async def test_triage_form_keeps_a_usable_width_at_60x20(demo_store):
    app = make_app(demo_store, user="孙丽")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one("#call-column").size.width >= 36
