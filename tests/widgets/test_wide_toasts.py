"""Toasts keep every Chinese character over any screen below (issue 12 §16)."""

from __future__ import annotations

import html
import re

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from desk.widgets import wide_toasts

MESSAGE = "首次电话咨询已保存：张伟转给王芳，下一位赵强"


class _Columns(App):
    """A screen cut into columns of odd widths: an edge under nearly every toast cell."""

    CSS = "Static { border-right: solid red; height: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            for width in (3, 5, 7, 9, 11, 13, 15, 17):
                yield Static("", classes=f"w{width}").set_styles(f"width: {width};")


def _shown(app) -> str:
    svg = app.export_screenshot()
    return "".join(html.unescape(m) for m in re.findall(r"<text[^>]*>(.*?)</text>", svg)).replace("\xa0", " ")


async def test_a_toast_over_widget_edges_keeps_every_character():
    wide_toasts.install()
    app = _Columns()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify(MESSAGE, title="已保存")
        await pilot.pause()
        await pilot.pause()
        shown = _shown(app)
        assert "已保存" in shown
        for part in ("首次电话咨询", "张伟转给王芳"):
            assert part in shown, shown
