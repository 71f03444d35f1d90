"""The manager's dashboard figures: today and the month so far, against the last 30 days.

Today's figures come from the same report document as ``desk report`` (``desk.reporting.day``),
the 30-day series from the same aggregates as the month's market report
(``desk.dal.reports.daily``), so the dashboard and the report always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from desk.dal import reports
from desk.dal.identity import check_allowed
from desk.dal.store import Store
from desk.reporting.day import build
from desk.reporting.documents import DayReport
from desk.rules.access import Action
from desk.rules.pay import SALES_WINDOW_DAYS

WINDOW = 30  # days before today that today is compared with

# (label key, series name, today's figure from the day report)
METRICS = (
    ("inquiries", "inquiries", lambda d: d["calls"]["inquiries"]),
    ("new_leads", "new_leads", lambda d: d["leads"]["new"]),
    ("valid_leads", "valid_leads", lambda d: d["leads"]["valid"]),
    ("walk_ins", "walk_ins", lambda d: d["walk_ins"]["total"]),
    ("enrollments", "enrollments", lambda d: d["enrollments"]["count"]),
    ("sales", "sales_fen", lambda d: d["sales"]["amount_fen"]),  # money received less refunds (§10.1)
)
PLOTTED = ("inquiries", "valid_leads", "enrollments")


@dataclass
class DashboardData:
    today: date
    doc: DayReport  # today's day report
    days: list[date]  # the WINDOW days before today, then today
    series: dict[str, list[int]]

    def figure(self, series: str) -> tuple[int, float]:
        """(today, the average of the WINDOW days before today)."""
        values = self.series[series]
        before = values[:-1]
        return values[-1], (sum(before) / len(before) if before else 0.0)

    def month(self, series: str) -> int:
        """The month so far, today included (README: "today and the month"). The window
        reaches back 30 days, so it always holds the first of the month."""
        return sum(v for d, v in zip(self.days, self.series[series], strict=True)
                   if (d.year, d.month) == (self.today.year, self.today.month))


def load(store: Store, window_days: int = SALES_WINDOW_DAYS) -> DashboardData:
    """What the dashboard shows, read in one go (the screen calls it off the UI thread);
    refused to a role that may not see it (everyone's revenue and commission). Sales are money
    received, a consultant's within ``window_days`` of signing (``[pay] window_days``)."""
    check_allowed(store, Action.DASHBOARD)
    today = store.today()
    first = today - timedelta(days=WINDOW)
    period = reports.Period.of(store, first, today)
    with store.read() as session:
        series = reports.daily(session, store, period)
    return DashboardData(today, build(store, today, window_days=window_days), period.days, series)
