"""A DataTable whose ``str`` cells are shown as typed, and that refreshes in place.

Textual's DataTable reads a ``str`` cell as Rich markup (``default_cell_formatter``): a name
typed as ``张[/]伟`` raises a MarkupError when the row is painted and ``[red]x`` loses its
brackets. ``DeskTable`` escapes ``str`` cells where they have a "["; a cell meant to be styled
is a ``rich.text.Text``, which is passed through untouched.

Lists that other workstations change under someone's eyes (the board, today's calls, the
waiting list, the follow-up queue) are refreshed with :meth:`DeskTable.sync`, which changes
only what differs, rather than cleared and filled again.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets._data_table import RowKey, TwoWayDict

from desk.widgets.guard import DatabaseGuard

Row = tuple[str, Sequence[object]]  # (row key, cells)


def literal_cell(cell: object) -> object:
    """A cell as Rich should draw it: a ``str`` with a "[" escaped, anything else as it is."""
    return escape(cell) if isinstance(cell, str) and "[" in cell else cell


def same_cell(old: object, new: object) -> bool:
    """Whether two cells draw the same: ``Text`` equality ignores the style of the whole text
    (a state turning from green to yellow), so it is compared too."""
    if isinstance(old, Text) and isinstance(new, Text):
        return old.plain == new.plain and old.style == new.style and old.spans == new.spans
    return type(old) is type(new) and old == new


class DeskTable(DatabaseGuard, DataTable):
    """DataTable for rows that carry what people typed."""

    def add_row(self, *cells, **kwargs):
        return super().add_row(*map(literal_cell, cells), **kwargs)

    def update_cell(self, row_key, column_key, value, **kwargs) -> None:
        super().update_cell(row_key, column_key, literal_cell(value), **kwargs)

    def action_scroll_home(self) -> None:
        """Home: to the first row. Textual's DataTable moves a row cursor nowhere on Home (it
        scrolls to the first *column*), so Home on the board left the cursor where it was,
        and the next state key changed the state of someone further down."""
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """End: to the last row (as Home, for a row cursor)."""
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            super().action_scroll_end()

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None in an empty table)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def sync(self, rows: Sequence[Row]) -> None:
        """Show ``rows`` ((row key, cells) pairs, in order), changing only what differs from
        what is shown: a changed cell is updated in place, a row gone is removed, a new row
        added, and the order set. A table whose rows did not change is not touched (nor
        repainted), and the cursor stays on its row, or on the one that took its place when
        its own is gone: a list refreshed while someone works in it does not jump."""
        keep = self.cursor_key
        wanted = {key: cells for key, cells in rows}
        shown = {row_key.value: row_key for row_key in self.rows}
        for value, row_key in shown.items():
            if value not in wanted:
                self.remove_row(row_key)
        columns = [column.key for column in self.ordered_columns]
        for value, cells in wanted.items():
            if value not in shown:
                self.add_row(*cells, key=value)
                continue
            for column, old, new in zip(columns, self.get_row(value), cells, strict=True):
                if not same_cell(old, literal_cell(new)):
                    self.update_cell(value, column, new, update_width=True)
        if [row.key.value for row in self.ordered_rows] != list(wanted):
            # What DataTable.sort does, in the order given rather than by cell values.
            self._row_locations = TwoWayDict({RowKey(key): index for index, key in enumerate(wanted)})
            self._update_count += 1
            self.refresh()
        if keep in wanted and self.get_row_index(keep) != self.cursor_row:
            self.move_cursor(row=self.get_row_index(keep))
