"""The header of every desk screen: the center, the person at the keyboard, the center's time."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header
from textual.widgets._header import HeaderClock, HeaderIcon, HeaderTitle


class CenterClock(HeaderClock):
    """Textual's header clock on the center's clock (``DeskApp.now``), not the workstation's.

    A workstation's own time zone may not be the center's, and every time desk writes or
    shows is the center's; tests freeze this clock with the store's.
    """

    def render(self) -> Text:
        return Text(self.app.now().strftime(self.time_format))


class DeskHeader(Header):
    def __init__(self) -> None:
        super().__init__(show_clock=True)

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield HeaderTitle()
        yield CenterClock().data_bind(Header.time_format)
