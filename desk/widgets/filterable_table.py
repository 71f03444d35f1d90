"""A table with a search box that stays hidden until someone searches.

Five lists filter this way: the consult queue, today's face-to-face table, a lead's
timeline, the lectures with a lecture's bookings, and the follow-up queue. Each screen asks
its data for the rows that match in its own way (a lookup, a query, words kept per row), so
the widget only says what is typed (:class:`FilterableTable.Filtered`) and the screen fills
the table.

The keys stay on the screens: ``/`` opens the box from anywhere on the screen, not only
from the table, each screen names it in its own words in the footer, and Esc does
something of the screen's own once the box is closed (back to the form, leave the screen).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from desk.widgets.focus import focus_now
from desk.widgets.table import DeskTable


class FilterableTable(Widget):
    """A :class:`DeskTable` under a search box shown only while searching.

    :meth:`open` shows the box and puts the cursor in it; every change of its text posts
    :class:`Filtered`; Enter in it goes back to the table; :meth:`close` empties and hides it.
    """

    DEFAULT_CSS = """
    FilterableTable {
        width: 1fr;
        height: 1fr;
        layout: vertical;
    }
    FilterableTable > DataTable {
        height: 1fr;
    }
    """

    searching: reactive[bool] = reactive(False)
    """Whether the search box is shown."""

    class Filtered(Message):
        """The search box's text changed: typed, or emptied by :meth:`FilterableTable.close`."""

        def __init__(self, filterable: FilterableTable, text: str) -> None:
            super().__init__()
            self.filterable = filterable
            self.text = text  # as typed: each screen trims and folds case as its lookup needs

        @property
        def control(self) -> FilterableTable:
            return self.filterable

    def __init__(self, table: DeskTable, *, placeholder: str, search_id: str, id: str | None = None) -> None:
        """``table``: the table to filter, made by the screen (its columns are the screen's);
        ``search_id``: the search box's id."""
        super().__init__(id=id)
        self.table = table
        self.search = Input(placeholder=placeholder, id=search_id)
        self.search.display = False

    def compose(self) -> ComposeResult:
        yield self.search
        yield self.table

    @property
    def text(self) -> str:
        """What is typed in the search box, as typed."""
        return self.search.value

    def watch_searching(self, searching: bool) -> None:
        self.search.display = searching

    def open(self) -> None:
        """Show the search box, the cursor in it."""
        self.searching = True
        focus_now(self.search)

    def close(self) -> None:
        """Empty the search box (every row comes back: :class:`Filtered` with "") and hide it."""
        self.search.value = ""
        self.searching = False

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Filtered(self, event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        focus_now(self.table)
