"""A DataTable for long lists (a lead's timeline, the follow-up queue) that paints as soon
as the rows are in, however many there are.

Textual's DataTable measures every cell of the rows added (a Rich measure, ~15 µs a cell,
most of it building console options) before the frame that shows them, even in columns of
fixed width: 500 rows of 7 columns cost ~45 ms before anything is painted. ``LongTable.show``
computes each column's width from every row up front (plain cell lengths, ~2 ms) and fixes
it, so measuring is skipped; cells are rendered only when they scroll into view. Like
DataTable's own, a column only widens: a filter that narrows the rows does not make the
columns jump as it is typed. As a ``DeskTable``, a ``str`` cell is escaped where it has a
"[": what a person typed ("[VIP]", "[/]") shows as typed instead of being read as markup (or
failing as bad markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size

from desk.widgets.table import DeskTable, Row

Cell = str | Text
# Past this many rows to remove or add, filling the table afresh is cheaper than editing it
# row by row: DataTable.remove_row renumbers every row below the one removed.
_REFILL_OVER = 32


def _width(text: str) -> int:
    if "\n" not in text:
        return cell_len(text)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


class LongTable(DeskTable):
    """A DataTable whose columns and rows are all set by :meth:`show`."""

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs) -> None:
        """``columns``: (key, label) pairs, in order."""
        super().__init__(**kwargs)
        self.column_labels = list(columns)
        self._widths = [_width(label) for _, label in self.column_labels]

    def show(self, rows: Sequence[tuple[str, Sequence[Cell]]], cursor_row: int = 0) -> None:
        """Replace every row by ``rows`` ((row key, cells) pairs, in order) and put the
        cursor on ``cursor_row`` (clamped to the last row)."""
        widths = self._widths = self._widths_with(rows)
        self.clear(columns=True)
        for (key, label), width in zip(self.column_labels, widths, strict=True):
            self.add_column(label, width=width, key=key)
        for key, cells in rows:
            self.add_row(*cells, key=key)
        # Every width is known: set the scrollable size now rather than in DataTable's idle
        # handler, so the first layout already has the rows' height (and the scrollbar)
        # instead of painting the cells once at full width and again beside the scrollbar.
        self._new_rows.clear()
        self._require_update_dimensions = False
        self._update_dimensions(())
        if self.row_count and cursor_row:
            self.move_cursor(row=min(cursor_row, self.row_count - 1))

    def sync(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` changing only what differs (DeskTable.sync), the cursor on its row.
        An empty table, many rows in or out, or a cell wider than its column (columns have
        fixed widths here) fill it afresh with :meth:`show`."""
        shown = {row_key.value for row_key in self.rows}
        wanted = [key for key, _ in rows]
        churn = len(shown.symmetric_difference(wanted))
        if shown and churn <= _REFILL_OVER and self._widths_with(rows) == self._widths:
            super().sync(rows)
            return
        keep = self.cursor_key
        self.show(rows, cursor_row=wanted.index(keep) if keep in wanted else self.cursor_row)

    def _widths_with(self, rows: Sequence[Row]) -> list[int]:
        """Each column's width to show ``rows`` as well: a column only widens."""
        widths = list(self._widths)
        for _, cells in rows:
            for i, cell in enumerate(cells):
                widths[i] = max(widths[i], _width(_plain(cell)))
        return widths

    def _update_dimensions(self, new_rows) -> None:
        """DataTable measures each new cell here to size auto-width columns; show() fixed
        every width, so only the scrollable size is left to set."""
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header_height)
