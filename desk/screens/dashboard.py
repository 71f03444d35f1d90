"""The manager's dashboard: today against the last 30 days, with a chart of the daily figures.

Today's figures come from the same report document as ``desk report`` (``desk.reporting.day``),
the 30-day series from the same aggregates as the month's market report
(``desk.dal.reports.daily``), so the dashboard and the report always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from desk.i18n import t
from desk.screens.base import DeskScreen
from desk.widgets.header import DeskHeader
from desk.widgets.footer import DeskFooter
from desk.widgets.table import DeskTable

WINDOW = 30  # days before today that today is compared with

# (label key, series name, today's figure from the day report)
METRICS = (
    ("inquiries", "inquiries", lambda d: d["calls"]["inquiries"]),
    ("new_leads", "new_leads", lambda d: d["leads"]["new"]),
    ("valid_leads", "valid_leads", lambda d: d["leads"]["valid"]),
    ("walk_ins", "walk_ins", lambda d: d["walk_ins"]["total"]),
    ("enrollments", "enrollments", lambda d: d["enrollments"]["count"]),
    ("amount", "amount_fen", lambda d: d["enrollments"]["amount_fen"]),
)
PLOTTED = ("inquiries", "valid_leads", "enrollments")


@dataclass
class DashboardData:
    today: date
    doc: dict  # today's day report
    days: list[date]  # the WINDOW days before today, then today
    series: dict[str, list[int]]

    def figure(self, series: str) -> tuple[int, float]:
        """(today, the average of the WINDOW days before today)."""
        values = self.series[series]
        before = values[:-1]
        return values[-1], (sum(before) / len(before) if before else 0.0)


def load(store) -> DashboardData:
    from desk.dal import reports
    from desk.reporting.day import build

    today = store.today()
    first = today - timedelta(days=WINDOW)
    period = reports.Period.of(store, first, today)
    with store.read() as session:
        series = reports.daily(session, store, period)
    return DashboardData(today, build(store, today), period.days, series)


class DashboardScreen(DeskScreen):
    BINDINGS = [("r", "refresh", "keys.refresh")]

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
                yield PlotextPlot(id="dash-plot")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#dash-table", DataTable)
        table.add_columns(t("report.col.item"), t("report.dashboard.today"), t("report.dashboard.average", days=WINDOW), "±")
        people = self.query_one("#dash-consultants", DataTable)
        people.add_columns(
            t("report.col.name"), t("report.col.calls"), t("report.col.walk_ins"), t("report.col.valid_leads"),
            t("report.col.enrollments"), t("report.col.amount"),
        )  # fmt: skip
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.data = data = load(self.store)
        self.query_one("#dash-title", Static).update(t("report.dashboard.title", date=data.today.isoformat()))
        table = self.query_one("#dash-table", DataTable)
        table.clear()
        for key, series, _ in METRICS:
            now, average = data.figure(series)
            if series == "amount_fen":
                cells = (f"{now / 100:,.0f}", f"{average / 100:,.0f}", _delta(now / 100, average / 100))
            else:
                cells = (str(now), f"{average:.1f}", _delta(now, average))
            table.add_row(t(f"report.dashboard.{key}"), *cells, key=key)
        people = self.query_one("#dash-consultants", DataTable)
        people.clear()
        for c in data.doc["consultants"]:
            if c["active"]:
                people.add_row(c["name"], c["calls"], c["walk_ins"], c["valid_leads"], c["enrollments"], f"{c['amount']:,.0f}")
        self._plot(data)

    def _plot(self, data: DashboardData) -> None:
        from textual_plotext import PlotextPlot

        widget = self.query_one("#dash-plot", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        xs = list(range(len(data.days)))
        for series in PLOTTED:
            plt.plot(xs, data.series[series], label=t(f"report.dashboard.{series}"), marker="braille")
        step = max(1, len(xs) // 6)
        ticks = xs[::step]
        plt.xticks(ticks, [data.days[i].strftime("%m-%d") for i in ticks])
        plt.ylim(0, max([1] + [max(data.series[s]) for s in PLOTTED]) * 1.1)
        widget.refresh()


def _delta(now: float, average: float) -> str:
    if not average:
        return "—" if not now else "+"
    change = (now - average) / average * 100
    return f"{change:+.0f}%"
