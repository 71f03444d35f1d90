"""What a screen with the consultant board beside it does for the board: reads it with the
screen's other lists, and writes the state a key on the board asks for."""

from __future__ import annotations

from collections.abc import Callable

from desk.dal import board as board_dal
from desk.dal import staff as staff_dal
from desk.widgets.board import BoardTable, ConsultantBoard


class HostsBoard:
    """Mixed into a :class:`~desk.screens.base.DeskScreen` that composes a ConsultantBoard."""

    def board_read(self) -> Callable[[], board_dal.Board]:
        """The board's rows and queues as a function that touches no widget (for a thread)."""
        store, pools = self.store, self.query_one(ConsultantBoard).pools  # type: ignore[attr-defined]
        return lambda: board_dal.board(store, pools)

    def on_board_table_state_change_requested(self, event: BoardTable.StateChangeRequested) -> None:
        store = self.store  # type: ignore[attr-defined]
        self.in_thread(  # type: ignore[attr-defined]
            lambda: staff_dal.set_state(store, event.staff_id, event.state),
            lambda _staff: self.read_in_thread(),  # type: ignore[attr-defined]
        )
