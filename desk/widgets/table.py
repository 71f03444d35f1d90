"""A DataTable whose ``str`` cells are shown as typed.

Textual's DataTable reads a ``str`` cell as Rich markup (``default_cell_formatter``): a name
typed as ``张[/]伟`` raises a MarkupError when the row is painted and ``[red]x`` loses its
brackets. ``DeskTable`` escapes ``str`` cells where they have a "[" (as ``LongTable`` does);
a cell meant to be styled is a ``rich.text.Text``, which is passed through untouched.
"""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import DataTable

from desk.widgets.guard import DatabaseGuard


def literal_cell(cell: object) -> object:
    """A cell as Rich should draw it: a ``str`` with a "[" escaped, anything else as it is."""
    return escape(cell) if isinstance(cell, str) and "[" in cell else cell


class DeskTable(DatabaseGuard, DataTable):
    """DataTable for rows that carry what people typed."""

    def add_row(self, *cells, **kwargs):
        return super().add_row(*map(literal_cell, cells), **kwargs)

    def update_cell(self, row_key, column_key, value, **kwargs) -> None:
        super().update_cell(row_key, column_key, literal_cell(value), **kwargs)
