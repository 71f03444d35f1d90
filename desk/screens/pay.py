"""The manager's month-end: every consultant's pay and grade figures for a month, a payslip
for one of them. ``p`` on the dashboard opens it; ← → or [ ] change the month; Enter shows the
payslip of the consultant under the cursor; Esc goes back.

It shows the document ``desk report pay`` prints (``desk.reporting.pay``), read in a thread,
so the screen and the command always agree; the data layer refuses it to all but managers.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from desk.errors import DeskError
from desk.i18n import t
from desk.reporting.documents import PayReport
from desk.reporting.export import cell_text
from desk.reporting.pay import Month, build_pay, shift
from desk.reporting.tables import PAY_COLUMNS, center_line, payslip_rows
from desk.screens.base import DeskScreen
from desk.widgets.footer import DeskFooter
from desk.widgets.header import DeskHeader
from desk.widgets.markup import literal
from desk.widgets.table import DeskTable

# The columns a terminal shows, as `desk report pay` does, and the warnings (a table scrolls
# sideways where a printed one must wrap); the payslip (Enter) has every figure.
_SHOWN = [c for c in PAY_COLUMNS if c.brief or c.label == "pay.col.warnings"]


class PayScreen(DeskScreen):
    BINDINGS = [
        # Before the table's own Enter (select) and ← → (which a row cursor has no use for).
        Binding("enter", "payslip", "pay.k_payslip", priority=True),
        Binding("left", "month(-1)", "pay.k_previous", priority=True),
        Binding("right", "month(1)", "pay.k_next", priority=True),
        Binding("left_square_bracket", "month(-1)", "pay.k_previous", show=False),
        Binding("right_square_bracket", "month(1)", "pay.k_next", show=False),
        Binding("escape", "back", "pay.k_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month: Month | None = None
        self.doc: PayReport | None = None

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield Static(id="pay-title", classes="panel-title")
        yield Static(id="pay-center")
        yield DeskTable(id="pay-people", cursor_type="row", zebra_stripes=True)
        yield Static(id="pay-slip-title", classes="panel-title")
        yield DeskTable(id="pay-slip", cursor_type="none", zebra_stripes=True)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#pay-people", DeskTable).add_columns(*(t(c.label) for c in _SHOWN))
        self.query_one("#pay-slip", DeskTable).add_columns(t("pay.col.item"), t("report.col.amount"), t("pay.col.detail"))
        today = self.store.today()
        self.month = (today.year, today.month)
        self._load()

    def _load(self) -> None:
        """Read the month's document in a thread (a month of payments and the quarter before)."""
        assert self.month is not None
        store, config, (year, month) = self.store, self.app.config, self.month  # type: ignore[attr-defined]
        self.query_one("#pay-title", Static).update(t("pay.title", month=f"{year:04d}-{month:02d}"))
        self.in_thread(lambda: build_pay(store, config, year, month), self._show, failed=self._refused,
                       group="pay", exclusive=True)

    def _refused(self, err: Exception) -> None:
        """A role that may not see pay reads nothing: the one line says why, where the figures go."""
        if isinstance(err, DeskError):
            self.query_one("#pay-center", Static).update(literal(str(err)))

    def _show(self, doc: PayReport) -> None:
        self.doc = doc
        self.query_one("#pay-center", Static).update(literal(center_line(doc)))
        table = self.query_one("#pay-people", DeskTable)
        table.clear()
        for row in doc["people"]:
            table.add_row(*(cell_text(c.value(row), c.kind) for c in _SHOWN), key=row["name"])
        self.query_one("#pay-slip", DeskTable).clear()
        self.query_one("#pay-slip-title", Static).update("")
        table.focus()

    def action_month(self, by: int) -> None:
        if self.month is not None:
            self.month = shift(self.month, by)
            self._load()

    def action_payslip(self) -> None:
        """The payslip of the consultant under the cursor, below the table."""
        table = self.query_one("#pay-people", DeskTable)
        if self.doc is None or not self.doc["people"] or table.cursor_row < 0:
            return
        row = self.doc["people"][table.cursor_row]
        self.query_one("#pay-slip-title", Static).update(literal(t("pay.payslip", name=row["name"], month=self.doc["month"])))
        slip = self.query_one("#pay-slip", DeskTable)
        slip.clear()
        for item, amount, detail in payslip_rows(row):
            slip.add_row(item, cell_text(amount, "money") if amount is not None else "", detail or "")

    def action_back(self) -> None:
        self.dismiss()
