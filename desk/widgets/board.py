"""The consultant board, always beside triage and the walk-in log.

Each consultant's state and today's counts per pool, and the rotation's queue with its
reason ("next: 李 (2 today), then 王 (2), 赵 (3)"). States change with one key on the board;
a state set on another workstation shows within a second (the screen's live read), changing
only its cell.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from desk.dal import board as board_dal
from desk.dal import staff as staff_dal
from desk.i18n import language, t
from desk.i18n import translate_bindings
from desk.widgets.guard import DatabaseGuard
from desk.widgets.live import update_text
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable

_STATE_STYLE = {"free": "green", "on_call": "yellow", "with_visitor": "magenta", "away": "dim", "off_duty": "dim"}


class BoardTable(DeskTable):
    BINDINGS = [
        Binding("f", "set_state('free')", "keys.state_free"),
        Binding("c", "set_state('on_call')", "keys.state_on_call"),
        Binding("v", "set_state('with_visitor')", "keys.state_with_visitor"),
        Binding("a", "set_state('away')", "keys.state_away"),
        Binding("o", "set_state('off_duty')", "keys.state_off_duty"),
    ]

    class StateChanged(Message):
        pass

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)

    def action_set_state(self, state: str) -> None:
        if self.row_count == 0:
            return
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        if key is None:
            return
        staff_dal.set_state(self.app.store, int(key), state)
        self.post_message(self.StateChanged())


class ConsultantBoard(DatabaseGuard, Vertical):
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
        self.refresh_board()

    def on_board_table_state_changed(self, event: BoardTable.StateChanged) -> None:
        self.refresh_board()

    def refresh_board(self) -> None:
        self.show(self.read(self.app.store))

    def read(self, store) -> board_dal.Board:
        """The board's rows and queues (no widget is touched: safe in a worker thread)."""
        return board_dal.board(store, self.pools)

    def show(self, data: board_dal.Board) -> None:
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
