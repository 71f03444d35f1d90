"""A checkbox whose state is in its glyph, not only its colour.

Textual's Checkbox draws the same "X" on and off, told apart only by colour: on a terminal
without colour, to a colour-blind receptionist or at a glance, ticked and unticked look alike
(issue 12 §20). This one draws ``[x]`` when ticked and ``[ ]`` when not (ASCII: the same one
cell each in every terminal font and in CJK locales, where ☑/☐ may take two).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class DeskCheckbox(Checkbox):
    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "x" if self.value else " "

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(self.BUTTON_LEFT, (self.BUTTON_INNER, style), self.BUTTON_RIGHT)

    def watch_value(self) -> None:
        super().watch_value()
        self.refresh(layout=False)
