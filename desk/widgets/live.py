"""Screens that follow the database: what desk posts when it changed, and painting only
what differs.

The app asks :mod:`desk.dal.changes` four times a second whether anything was committed (by
another workstation, or by this one) and posts :class:`DataChanged` to the screens on show;
each re-reads its lists and changes only the rows, cells and lines that differ
(``DeskTable.sync``, :func:`update_text`), so what did not change is not repainted, and the
cursor, the focus and whatever is being typed stay where they are.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static


class DataChanged(Message):
    """Something was committed to the database since desk last looked."""


def update_text(static: Static, text: str) -> None:
    """Show ``text`` in ``static``, unless it already does (an update re-lays out the screen)."""
    if static.content != text:
        static.update(text)
