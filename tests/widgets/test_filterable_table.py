"""FilterableTable: the search box hidden above a table that five screens share."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding

from desk.widgets.filterable_table import FilterableTable
from desk.widgets.table import DeskTable


class FilterApp(App):
    """One filterable table, ``/`` and Esc bound on the app as the screens bind them."""

    BINDINGS = [Binding("slash", "search"), Binding("escape", "clear")]

    def __init__(self) -> None:
        super().__init__()
        self.table = DeskTable(id="t-table")
        self.filter = FilterableTable(self.table, placeholder="search", search_id="t-search", id="t-filter")
        self.filtered: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.filter

    def on_mount(self) -> None:
        self.table.focus()

    def action_search(self) -> None:
        self.filter.open()

    def action_clear(self) -> None:
        self.filter.close()

    def on_filterable_table_filtered(self, event: FilterableTable.Filtered) -> None:
        assert event.control is self.filter
        self.filtered.append(event.text)


async def test_the_box_opens_filters_as_typed_and_closes_empty():
    app = FilterApp()
    async with app.run_test() as pilot:
        assert not app.filter.searching and not app.filter.search.display
        await pilot.press("slash")
        assert app.filter.searching and app.filter.search.display
        assert app.focused is app.filter.search
        await pilot.press("a", "B")
        await pilot.pause()
        assert app.filtered == ["a", "aB"]  # the text as typed: each screen folds case itself
        assert app.filter.text == "aB"
        await pilot.press("enter")  # back to the table, the filter kept
        assert app.focused is app.table and app.filter.searching and app.filter.text == "aB"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.filter.searching and not app.filter.search.display
        assert app.filter.text == "" and app.filtered[-1] == ""
