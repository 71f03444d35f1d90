"""The manager dashboard: on the demo center its figures agree with desk report's."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.widgets import DataTable

from desk.config import load as load_config
from desk.dal import Store
from desk.i18n import set_language
from desk.reporting import dashboard as figures
from desk.reporting import day, month
from desk.screens import dashboard

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo_store(fresh_engine):
    from desk.demo import build_demo

    store = Store(fresh_engine(), tz=SH, clock=lambda: datetime(2026, 11, 26, 17, 30, tzinfo=SH))
    build_demo(store, seed=7, days=60)
    from desk.dal import staff as staff_dal

    return store.with_actor(staff_dal.list_staff(store, role="manager")[0].id)  # the dashboard is a manager's


@pytest.mark.both_backends
def test_dashboard_figures_agree_with_the_report(demo_store):
    set_language("en")
    data = figures.load(demo_store)
    assert len(data.days) == figures.WINDOW + 1 and data.days[-1] == data.today
    doc = day.build(demo_store, data.today)
    for _, series, from_doc in figures.METRICS:
        assert data.figure(series)[0] == from_doc(doc), series
    # every day of the chart equals that day's report
    for index in (0, 10, 29):
        one = day.build(demo_store, data.days[index])
        assert data.series["inquiries"][index] == one["calls"]["inquiries"]
        assert data.series["valid_leads"][index] == one["leads"]["valid"]
        assert data.series["enrollments"][index] == one["enrollments"]["count"]
    # and the 30-day sums equal a report over the same range
    span = day.build(demo_store, data.days[0], data.days[-2])
    assert sum(data.series["inquiries"][:-1]) == span["calls"]["inquiries"]
    assert sum(data.series["walk_ins"][:-1]) == span["walk_ins"]["total"]
    assert sum(data.series["amount_fen"][:-1]) == span["enrollments"]["amount_fen"]
    assert sum(data.series["inquiries"]) > 0


@pytest.mark.both_backends
def test_month_market_days_agree_with_day_reports(demo_store):
    doc = month.build_month(demo_store, load_config(None), 2026, 11)
    for entry in doc["market"]["by_day"][20:24]:
        one = day.build(demo_store, datetime.fromisoformat(entry["date"]).date())
        assert entry["inquiries"] == one["calls"]["inquiries"]
        assert entry["walk_ins"] == one["walk_ins"]["total"]
        assert entry["amount_fen"] == one["enrollments"]["amount_fen"]
    assert len(doc["register"]) == doc["market"]["inquiries"]


class DashApp(App):
    """Just enough of DeskApp for the dashboard: the store, the config and the center's clock."""

    def __init__(self, store):
        from desk.config import load

        super().__init__()
        self.store = store
        self.config = load(None)

    def now(self):
        return self.store.now()

    def on_mount(self) -> None:
        self.push_screen(dashboard.DashboardScreen())


async def test_dashboard_screen_shows_today_and_the_chart(demo_store):
    set_language("en")
    app = DashApp(demo_store)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.screen.workers.wait_for_complete()  # the figures are read in a thread
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, dashboard.DashboardScreen)
        table = screen.query_one("#dash-table", DataTable)
        assert table.row_count == len(figures.METRICS)
        doc = day.build(demo_store, demo_store.today())
        assert table.get_row("inquiries")[1] == str(doc["calls"]["inquiries"])
        # README: "today and the month": the month so far beside today
        data = figures.load(demo_store)
        first = demo_store.today().replace(day=1)
        month_doc = day.build(demo_store, first, demo_store.today())
        assert data.month("inquiries") == month_doc["calls"]["inquiries"]
        assert table.get_row("inquiries")[2] == str(month_doc["calls"]["inquiries"])
        assert "month" in str(table.columns[list(table.columns)[2]].label).lower()
        people = screen.query_one("#dash-consultants", DataTable)
        assert people.row_count == sum(1 for c in doc["consultants"] if c["active"])
        await pilot.press("r")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        plot = screen.query_one("#dash-plot")
        assert plot.size.height >= 10
        assert "Inquiries" in str(screen.query_one("#dash-legend").render())


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_chart_stays_at_60x20_and_its_legend_is_outside_the_plot(demo_store, lang):
    """Issue 12 §14, §16: at 60x20 the chart keeps a usable width; the legend (Chinese too)
    is its own line, not plotext's, which measures labels in characters and broke the frame."""
    set_language(lang)
    app = DashApp(demo_store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        plot = app.screen.query_one("#dash-plot")
        assert plot.size.width >= 24 and plot.size.height >= 6
        assert plot.region.right <= 60
        legend = str(app.screen.query_one("#dash-legend").render())
        assert ("咨询电话" if lang == "zh_CN" else "Inquiries") in legend


@pytest.mark.both_backends
def test_window_is_the_thirty_days_before_today(demo_store):
    data = figures.load(demo_store)
    assert data.days[0] == data.today - timedelta(days=30)


@pytest.mark.parametrize(("lang", "words"), [("en", "not recorded"), ("zh_CN", "未登记")])
def test_a_lead_with_no_media_source_is_said_in_words_not_as_unknown(lang, words):
    """Issue 12 §16: the reports' source rows showed the code ``unknown``."""
    from desk.reporting.day import NO_SOURCE
    from desk.reporting.tables import source_text

    set_language(lang)
    assert source_text(NO_SOURCE) == words
    assert source_text("百度") == "百度"
