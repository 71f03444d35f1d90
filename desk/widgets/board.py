"""The consultant board, always beside triage and the walk-in log.

Each consultant's state and today's counts per pool, and the rotation's queue with its
reason ("next: 李 (2 today), then 王 (2), 赵 (3)"). States change with one key on the board:
the table asks (``BoardTable.StateChangeRequested``) and the screen writes it; a state set
on another workstation shows within a second (the screen's live read), changing only its
cell. The board shows what it is given (``show``) and never reads the database itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from desk.i18n import language, t, translate_bindings
from desk.widgets.live import update_text
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable

if TYPE_CHECKING:
    from desk.dal.board import Board

_STATE_STYLE = {"free": "green", "on_call": "yellow", "with_visitor": "magenta", "away": "dim", "off_duty": "dim"}


class BoardTable(DeskTable):
    BINDINGS = [
        Binding("f", "set_state('free')", "keys.state_free"),
        Binding("c", "set_state('on_call')", "keys.state_on_call"),
        Binding("v", "set_state('with_visitor')", "keys.state_with_visitor"),
        Binding("a", "set_state('away')", "keys.state_away"),
        Binding("o", "set_state('off_duty')", "keys.state_off_duty"),
    ]

    class StateChangeRequested(Message):
        """Set the consultant of the row under the cursor to ``state``."""

        def __init__(self, staff_id: int, state: str) -> None:
            super().__init__()
            self.staff_id = staff_id
            self.state = state

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)

    def action_set_state(self, state: str) -> None:
        if self.row_count == 0:
            return
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        if key is None:
            return
        self.post_message(self.StateChangeRequested(int(key), state))


class ConsultantBoard(Vertical):
    """The board: pass the pool whose queue matters on this screen first."""

    def __init__(self, pools: tuple[str, ...] = ("phone", "walk_in"), **kwargs) -> None:
        super().__init__(**kwargs)
        self.pools = pools

    def compose(self) -> ComposeResult:
        yield Static(t("board.title"), classes="panel-title")
        yield BoardTable(id="board-table")
        yield Static(id="board-queue", classes="queue")

    def on_mount(self) -> None:
        table = self.query_one(BoardTable)
        table.add_column(t("board.col_name"), key="name")
        table.add_column(t("board.col_ext"), key="ext")
        table.add_column(t("board.col_state"), key="state")
        for pool in self.pools:
            table.add_column(t(f"board.pool_{pool}"), key=pool)

    def show(self, data: Board) -> None:
        """Paint ``data``, changing only the cells and lines that differ from what is shown."""
        from rich.text import Text

        from desk.rules.rotation import describe

        rows = []
        for row in data.rows:
            state = Text(t(f"common.states.{row.state}"), style=_STATE_STYLE.get(row.state, ""))
            rows.append((str(row.id), (row.name, row.extension or "", state, *(str(row.counts[p]) for p in self.pools))))
        self.query_one(BoardTable).sync(rows)
        lines = []
        for pool in self.pools:
            q = data.queue[pool]
            text = describe(order=q.order, available=q.available, counts=q.counts, last=q.last, lang=_rules_lang())
            lines.append(f"[b]{t(f'board.pool_{pool}')}[/b] {literal(text)}")
        update_text(self.query_one("#board-queue", Static), "\n".join(lines))


def _rules_lang() -> str:
    return "zh" if language() == "zh_CN" else "en"
