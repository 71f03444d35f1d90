"""A yes-or-no question over the screen: y confirms, n or Esc goes back as things were.

Shared by every step that cannot be taken back (cancelling a booking, clearing the walk-in
form, starting another activity over a contact row, quitting with something typed); each
subclass names its own y and n keys.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from desk.screens.base import DeskModal
from desk.widgets.footer import DeskFooter


class ConfirmDialog(DeskModal):
    """Yes or no for a step that cannot be taken back: y confirms, n or Esc keeps things."""

    BINDINGS = [
        Binding("y", "answer(True)", "lectures.k_yes"),
        Binding("n", "answer(False)", "lectures.k_no"),
        Binding("escape", "answer(False)", "keys.cancel", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="cf-box", classes="dialog-box"):
            yield Static(self.question)
        yield DeskFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
