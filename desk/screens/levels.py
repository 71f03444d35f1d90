"""Consultants' levels (docs/domain.md §11.3), a manager's screen: ``l`` on the dashboard.

One row per active consultant, best rank first: the recorded level and status, the level the
3-month sales ranking proposes (with the rank and the sales), the manager's criteria ticks and
whether the level lets them supervise (level 2 and above). Enter opens :class:`LevelDialog`
to confirm the proposal or override it; the history of the highlighted person is below.
The data layer refuses anyone but a manager, whatever opened the screen.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from desk.dal import grade
from desk.i18n import t
from desk.screens.base import DeskScreen
from desk.screens.dialogs.level import LevelDialog, criteria_text, status_text
from desk.widgets.focus import focus_now
from desk.widgets.footer import DeskFooter
from desk.widgets.header import DeskHeader
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable


class LevelsScreen(DeskScreen):
    BINDINGS = [Binding("enter", "decide", "levels.k_decide"), Binding("escape", "back", "levels.k_back")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[grade.LevelRow] = []
        self._history: dict[int, list[grade.LevelEntry]] = {}

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        first, end = grade.ranking_window(self.desk.today())
        last = date.fromordinal(end.toordinal() - 1)  # the window ends where this month begins
        yield Static(t("levels.title", first=first.strftime("%Y-%m"), last=last.strftime("%Y-%m")), classes="panel-title")
        yield DeskTable(id="lv-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="lv-history")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#lv-table", DeskTable)
        for key in ("name", "level", "status", "proposed", "criteria", "supervisor"):
            table.add_column(t(f"levels.col_{key}"), key=key)
        focus_now(table)
        self.action_refresh()

    def action_refresh(self) -> None:
        store = self.store
        self.in_thread(lambda: grade.current_levels(store), self._show, group="levels", exclusive=True)

    def _show(self, rows: list[grade.LevelRow]) -> None:
        self.rows = rows
        self._history.clear()
        table = self.query_one("#lv-table", DeskTable)
        keep = table.cursor_row
        table.clear()
        for row in rows:
            current = row.current
            table.add_row(
                row.name,
                str(current.level) if current else t("levels.none"),
                status_text(current.status) if current else "",
                t("levels.proposal", level=row.proposal.level, rank=row.proposal.rank, sales=f"{row.proposal.sales:,.0f}"),
                criteria_text(current.criteria) if current else "",
                t("levels.supervisor") if row.may_supervise else "",
                key=str(row.staff_id),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
            self._load_history(rows[table.cursor_row].staff_id)
        else:
            self.query_one("#lv-history", Static).update(t("levels.no_consultants"))

    @on(DataTable.RowHighlighted, "#lv-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is None:
            return
        self._load_history(int(event.row_key.value))

    def _load_history(self, staff_id: int) -> None:
        """The person's history below the table: read once per person, again after a save."""
        if staff_id in self._history:
            self._show_history(staff_id)
            return
        store = self.store
        self.in_thread(lambda: (staff_id, grade.level_history(store, staff_id)), self._history_read,
                       group="levels-history", exclusive=True)

    def _history_read(self, read: tuple[int, list[grade.LevelEntry]]) -> None:
        staff_id, entries = read
        self._history[staff_id] = entries
        self._show_history(staff_id)

    def _show_history(self, staff_id: int) -> None:
        row = next((r for r in self.rows if r.staff_id == staff_id), None)
        if row is None:
            return
        lines = [t("levels.history_title", name=literal(row.name))]
        for entry in self._history[staff_id] or []:
            lines.append(t(
                "levels.history_row", when=self.store.local(entry.decided_at).strftime("%Y-%m-%d"), level=entry.level,
                status=status_text(entry.status), proposed=entry.proposed_level if entry.proposed_level is not None else "—",
                criteria=criteria_text(entry.criteria) or t("levels.no_criteria"), by=literal(entry.decided_by or "—"),
            ) + (f" · {literal(entry.note)}" if entry.note else ""))
        if not self._history[staff_id]:
            lines.append(t("levels.history_none"))
        self.query_one("#lv-history", Static).update("\n".join(lines))

    def action_decide(self) -> None:
        table = self.query_one("#lv-table", DeskTable)
        if not self.rows:
            return
        row = self.rows[table.cursor_row]

        def closed(saved: bool | None) -> None:
            if saved:
                self.action_refresh()

        self.app.push_screen(LevelDialog(row, consultants=len(self.rows)), closed)

    @on(DataTable.RowSelected, "#lv-table")
    def _selected(self) -> None:
        self.action_decide()

    def action_back(self) -> None:
        self.dismiss()
