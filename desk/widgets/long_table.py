"""A DataTable for long lists (a lead's timeline, the follow-up queue): the rows that fit on
the screen are painted first, the rest follow right after that frame.

Textual's DataTable reads every ``str`` cell as Rich markup and measures every cell of new
rows (a Rich measure, ~15 µs a cell) before the frame that shows them: 500 rows of 7
columns cost ~70 ms before anything is painted. ``LongTable.show`` adds only as many rows as
the terminal has lines before the next frame and the rest once it is painted; the column
widths are computed from every row up front (plain cell lengths, cheap), so nothing moves
when the rest arrives. A ``str`` cell is escaped where it has a "[": what a person typed
("[VIP]", "[/]") shows as typed instead of being read as markup (or failing as bad markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text


def _width(text: str) -> int:
    if "\n" not in text:
        return cell_len(text)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _literal(cell: Cell) -> Cell:
    return escape(cell) if isinstance(cell, str) and "[" in cell else cell


class LongTable(DataTable):
    """A DataTable whose columns and rows are all set by :meth:`show`."""

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs) -> None:
        """``columns``: (key, label) pairs, in order."""
        super().__init__(**kwargs)
        self.column_labels = list(columns)
        self._rest: list[tuple[str, list[Cell]]] = []  # rows waiting for the first frame
        # Like DataTable's own, a column only widens: a filter that narrows the rows does
        # not make the columns jump about as it is typed.
        self._widths = [_width(label) for _, label in self.column_labels]

    def show(self, rows: Sequence[tuple[str, Sequence[Cell]]], cursor_row: int = 0) -> None:
        """Replace every row by ``rows`` ((row key, cells) pairs, in order) and put the
        cursor on ``cursor_row`` (clamped to the last row)."""
        widths = self._widths
        texts: list[tuple[str, list[Cell]]] = []
        for key, cells in rows:
            for i, cell in enumerate(cells):
                widths[i] = max(widths[i], _width(_plain(cell)))
            texts.append((key, [_literal(cell) for cell in cells]))
        self.clear(columns=True)
        for (key, label), width in zip(self.column_labels, widths):
            self.add_column(label, width=width, key=key)
        # The first frame shows at most a terminal's height of rows from the cursor on.
        first = cursor_row + max(self.app.size.height, 1)
        for key, cells in texts[:first]:
            self.add_row(*cells, key=key)
        if self.row_count and cursor_row:
            self.move_cursor(row=min(cursor_row, self.row_count - 1))
        self._rest = texts[first:]

    @property
    def complete(self) -> bool:
        """Every row of the last :meth:`show` is in the table."""
        return not self._rest

    def render_lines(self, crop):
        """A frame is being drawn with the first rows, measured (so with its scrollbar): add
        the rest right after it."""
        lines = super().render_lines(crop)
        if self._rest and not self._require_update_dimensions:
            self.call_later(self._add_rest, self._rest)
        return lines

    def _add_rest(self, rows: list[tuple[str, list[Cell]]]) -> None:
        if rows is not self._rest:
            return  # added already, or a later show() replaced them
        self._rest = []
        for key, cells in rows:
            self.add_row(*cells, key=key)
