"""A screen that is not built yet says so, and which issue builds it (issue 2 only)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Footer, Header, Static

from desk.i18n import t
from desk.screens.base import DeskScreen


class PlaceholderScreen(DeskScreen):
    def __init__(self, title_key: str, issue: int) -> None:
        super().__init__()
        self.title_key = title_key
        self.issue = issue

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        with Middle(), Center():
            yield Static(
                f"[b]{t(self.title_key)}[/b]\n\n{t('app.placeholder', issue=self.issue)}",
                id="placeholder",
            )
        yield Footer()
