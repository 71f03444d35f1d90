"""The manager's dashboard: today and the month so far against the last 30 days, with a chart
of the daily figures.

What it shows is read by ``desk.reporting.dashboard``, from the same documents and
aggregates as ``desk report``, so the dashboard and the report always agree.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from desk.i18n import t
from desk.reporting.dashboard import METRICS, PLOTTED, WINDOW, DashboardData, load
from desk.screens.base import DeskScreen
from desk.widgets.footer import DeskFooter
from desk.widgets.header import DeskHeader
from desk.widgets.table import DeskTable


class DashboardScreen(DeskScreen):
    BINDINGS = [("r", "refresh", "keys.refresh"), ("a", "audit", "audit.k_open"), ("l", "app.open_levels", "levels.k_open"),
                ("q", "app.open_qa", "qa.k_open"), ("p", "pay", "pay.k_open")]

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield DeskHeader()
        with Horizontal(id="dash"):
            with Vertical(id="dash-figures"):
                yield Static(id="dash-title", classes="panel-title")
                yield DataTable(id="dash-table", cursor_type="none", zebra_stripes=True)
                yield DeskTable(id="dash-consultants", cursor_type="row", zebra_stripes=True)
            with Vertical(id="dash-chart"):
                yield Static(t("report.dashboard.chart", days=WINDOW + 1), classes="panel-title")
                yield Static(_legend(), id="dash-legend")
                yield PlotextPlot(id="dash-plot")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#dash-table", DataTable)
        table.add_columns(t("report.col.item"), t("report.dashboard.today"), t("report.dashboard.month"),
                          t("report.dashboard.average", days=WINDOW), "±")
        people = self.query_one("#dash-consultants", DataTable)
        people.add_columns(
            t("report.col.name"), t("report.col.calls"), t("report.col.walk_ins"), t("report.col.valid_leads"),
            t("report.col.enrollments"), t("report.col.sales"),
        )  # fmt: skip
        self.action_refresh()

    def action_pay(self) -> None:
        """The month-end: its own screen over this one, opened by the app."""
        self.app.open_pay()  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the figures in a thread (a month of aggregates), then paint them."""
        store, window = self.store, self.app.config.pay.window_days  # type: ignore[attr-defined]
        self.in_thread(lambda: load(store, window), self._show, group="dashboard", exclusive=True)

    def action_audit(self) -> None:
        """The audit trail, for managers and the principal; anyone else is told why not."""
        from desk.dal.ownership import is_manager

        if not is_manager(self.desk.user):
            self.notify(t("audit.not_manager"), severity="warning")
            return
        self.desk.open_audit()

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.query_one("#dash-title", Static).update(t("report.dashboard.title", date=data.today.isoformat()))
        table = self.query_one("#dash-table", DataTable)
        table.clear()
        for key, series, _ in METRICS:
            now, average = data.figure(series)
            month = data.month(series)
            if series == "sales_fen":
                cells = (f"{now / 100:,.0f}", f"{month / 100:,.0f}", f"{average / 100:,.0f}", _delta(now / 100, average / 100))
            else:
                cells = (str(now), str(month), f"{average:.1f}", _delta(now, average))
            table.add_row(t(f"report.dashboard.{key}"), *cells, key=key)
        people = self.query_one("#dash-consultants", DataTable)
        people.clear()
        for c in data.doc["consultants"]:
            if c["active"]:
                people.add_row(c["name"], c["calls"], c["walk_ins"], c["valid_leads"], c["enrollments"], f"{c['sales']:,.0f}")
        self._plot(data)

    def _plot(self, data: DashboardData) -> None:
        from textual_plotext import PlotextPlot

        widget = self.query_one("#dash-plot", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        xs = list(range(len(data.days)))
        # No plotext legend: it measures labels in characters, and a Chinese one breaks the
        # frame (issue 12 §16); the legend is a line above the chart, in the same colours.
        for series in PLOTTED:
            plt.plot(xs, data.series[series], color=_COLOURS[series], marker="braille")
        step = max(1, len(xs) // 6)
        ticks = xs[::step]
        plt.xticks(ticks, [data.days[i].strftime("%m-%d") for i in ticks])
        plt.ylim(0, max([1] + [max(data.series[s]) for s in PLOTTED]) * 1.1)
        widget.refresh()


_COLOURS = {"inquiries": "cyan", "valid_leads": "green", "enrollments": "magenta"}


def _legend() -> str:
    return "  ".join(f"[{_COLOURS[s]}]━━[/] {t(f'report.dashboard.{s}')}" for s in PLOTTED)


def _delta(now: float, average: float) -> str:
    if not average:
        return "—" if not now else "+"
    change = (now - average) / average * 100
    return f"{change:+.0f}%"
