"""DeskCheckbox: ticked and unticked differ by glyph, not only by colour (issue 12 §20)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from desk.widgets.checkbox import DeskCheckbox


class _Boxes(App):
    def compose(self) -> ComposeResult:
        yield DeskCheckbox("Paid", value=True, id="on")
        yield DeskCheckbox("Paid", value=False, id="off")


async def test_ticked_and_unticked_boxes_differ_in_their_text():
    app = _Boxes()
    async with app.run_test(size=(40, 10)) as pilot:
        on, off = app.query_one("#on"), app.query_one("#off")
        assert on.render().plain.startswith("[x]") and off.render().plain.startswith("[ ]")
        off.focus()
        await pilot.press("space")
        assert off.render().plain.startswith("[x]")

