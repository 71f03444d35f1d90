"""The shapes of the report documents of docs/report-schema.md, one TypedDict per object.

The documents stay plain dicts at run time, so ``--format json`` is ``json.dumps`` of them and
the day csv walks them leaf by leaf, byte for byte as before; the types let mypy hold the
builders (``day``, ``month``) and the sheets (``tables``) to one shape. A new report column is
one field here, its value in the builder and one :class:`desk.reporting.tables.Column`.

Keys are those of the schema, which only ever grows: ``from`` is a Python keyword, so the
top-level documents use the functional TypedDict form. Maps over a fixed vocabulary (call
types, channels, pools, ...) are ``dict[str, ...]`` holding every value of ``desk/models``.
"""

from __future__ import annotations

from typing import Final, Literal, TypedDict

# The versions the documents name in ``schema``; a reader tells the two documents apart by it.
DAY_SCHEMA: Final = "desk.report.day/1"
MONTH_SCHEMA: Final = "desk.report.month/1"
PAY_SCHEMA: Final = "desk.report.pay/1"


class Money(TypedDict):
    """A count and its amount: yuan exact to the fen, and the same in fen for sums."""

    count: int
    amount: float
    amount_fen: int


class Counts(TypedDict):
    """Leads of one media source: new, and how many of them were found valid or invalid."""

    new: int
    valid: int
    invalid: int


class PartnerCounts(TypedDict):
    """What one channel partner (渠道, docs/domain.md §6.4) brought in the range."""

    name: str
    kind: str
    calls: int
    visits: int
    new_leads: int
    valid_leads: int
    enrollments: int


# -- the day report ---------------------------------------------------------------------------


class DayCalls(TypedDict):
    total: int
    by_type: dict[str, int]
    by_outcome: dict[str, int]
    inquiries: int
    transferred: int
    messages_taken: int
    messages_refused: int
    messages_returned: int
    messages_returned_late: int


class DayLeads(TypedDict):
    new: int
    valid: int
    invalid: int
    unchecked: int
    by_channel: dict[str, int]
    valid_by_channel: dict[str, int]
    invalid_by_channel: dict[str, int]
    by_source: dict[str, Counts]
    invalid_reasons: dict[str, int]


# A consultant's walk-ins: name, walk_ins, then ``<pool>_assigned`` for every rotation pool.
RotationRow = dict[str, int | str]


class DayWalkIns(TypedDict):
    total: int
    by_type: dict[str, int]
    by_consultant: list[RotationRow]
    rotation_balance: dict[str, int]


class FollowUpCounts(TypedDict):
    done: int
    overdue: int


class DayFollowUps(TypedDict):
    done: int
    overdue: int
    by_kind: dict[str, FollowUpCounts]


class OutreachCounts(TypedDict):
    """One kind of outdoor promotion in the range."""

    activities: int
    new_leads: int
    known: int


class ConsultantOutreach(TypedDict):
    """A consultant's figures for the daily targets (DOMAIN 6.4) over the range."""

    street_promotions: int
    street_contacts: int
    events: int
    event_forms: int


class ConsultantDay(TypedDict):
    name: str
    active: bool
    calls: int
    walk_ins: int
    valid_leads: int
    trials: int
    enrollments: int
    amount: float  # tuition agreed at the range's enrollments
    amount_fen: int
    refunds: int
    refunds_amount_fen: int
    sales: float  # received within the window of signing less refunds (domain.md §10.1)
    sales_fen: int
    conversion: float | None
    follow_ups_done: int
    follow_ups_overdue: int
    rotation: dict[str, int]
    outreach: ConsultantOutreach


class CheckEntry(TypedDict):
    """One check of a lead a consultant marked repeat or invalid (docs/domain.md §4.5)."""

    at: str  # when the check was made, local "YYYY-MM-DD HH:MM" (not "date": csv keys a list by its date)
    lead: str
    flag: str  # repeat / invalid: the consultant's mark
    marked_by: str | None  # the consultant who marked it
    checker: str | None
    verdict: str  # upheld / overruled
    note: str | None  # the checker's reasons, in her words
    reasons: list[str]  # the lead's failed rules after the check (codes of docs/domain.md §4.4)


class DaySales(TypedDict):
    """Money actually received in the range (domain.md §10.1), on the enrollments in scope."""

    payments: Money  # every payment received, initial and balance, late ones too
    amount: float  # payments less refunds
    amount_fen: int


DayReport = TypedDict(
    "DayReport",
    {
        "schema": Literal["desk.report.day/1"],
        "from": str,
        "to": str,
        "as_of": str,
        "consultant": str | None,
        "calls": DayCalls,
        "leads": DayLeads,
        "walk_ins": DayWalkIns,
        "visits": int,
        "trials": int,
        "trials_attended": int,
        "enrollments": Money,
        "balances": Money,
        "refunds": Money,
        "sales": DaySales,
        "follow_ups": DayFollowUps,
        "outreach": dict[str, OutreachCounts],
        "consultants": list[ConsultantDay],
        "partners": list[PartnerCounts],
        "checks": list[CheckEntry],
    },
)


# -- the month report -------------------------------------------------------------------------


class RegisterEntry(TypedDict):
    """One inquiry call of the phone register (DOMAIN 2.5)."""

    date: str
    time: str
    name: str
    phone: str
    type: str
    age: int | None
    education: str | None
    course: str | None
    source: str | None
    channel: str | None
    consultant: str | None
    outcome: str | None
    recorded: bool
    partner: str | None
    valid: bool | None
    reasons: list[str]
    complete: bool


class MarketDay(TypedDict):
    date: str
    inquiries: int
    new_leads: int
    valid_leads: int
    walk_ins: int
    enrollments: int
    amount: float  # tuition agreed at the day's enrollments
    amount_fen: int
    sales: float  # money received that day less refunds (domain.md §10.1)
    sales_fen: int


class ChannelCounts(TypedDict):
    new: int
    valid: int


class Market(TypedDict):
    by_day: list[MarketDay]
    by_channel: dict[str, ChannelCounts]
    by_source: dict[str, Counts]
    invalid_reasons: dict[str, int]
    walk_ins: int
    inquiries: int


class SalesRow(TypedDict):
    """A consultant's month: sales of money received after refunds, target and commission
    (domain.md §10.1–§10.3)."""

    name: str
    new: bool  # the new-consultant target applies (new, or demoted)
    calls: int
    valid_leads: int
    enrollments: int
    tuition_agreed: float  # tuition agreed at the month's enrollments: what was signed, not paid
    tuition_agreed_fen: int
    gross: float  # payments on their enrollments within the window of signing
    gross_fen: int
    late: float  # payments on their enrollments after the window: the center's only
    late_fen: int
    refunds_deducted: Money  # every refund made in the month, whenever the enrollment was signed
    net: float  # gross - refunds_deducted: the sales, the commission base (may be negative)
    net_fen: int
    target: int | float  # yuan, as the config writes it
    attainment: float | None
    commission_rate: float
    commission: float
    commission_fen: int


class ReferrerRow(TypedDict):
    """One referrer's month (domain.md §6.3): the people they introduced whose first contact is
    in the month, and how many of them enrolled by its end."""

    referrer: str
    kind: str  # student / teacher / staff
    referrals: int
    enrolled: int


MonthReport = TypedDict(
    "MonthReport",
    {
        "schema": Literal["desk.report.month/1"],
        "month": str,
        "from": str,
        "to": str,
        "register": list[RegisterEntry],
        "market": Market,
        "sales": list[SalesRow],
        "partners": list[PartnerCounts],
        "referrals": list[ReferrerRow],
        "checks": list[CheckEntry],
    },
)

# -- the month-end (desk report pay) ------------------------------------------------------------


class GradeWarning(TypedDict):
    """A warning for the manager (domain.md §11.2) and the months whose sales caused it."""

    warning: str  # demote / eliminate
    months: list[str]  # YYYY-MM, oldest first


class PayRow(TypedDict):
    """One consultant's month-end (domain.md §10, §11): what the payslip is made of."""

    name: str
    active: bool
    new: bool  # the new-consultant target applies (new, or demoted)
    status: str | None  # of the newest level record: new / regular / demoted; null: none recorded
    received: float  # payments on their enrollments within the window of signing
    received_fen: int
    late: float  # payments on their enrollments after the window: the center's only
    late_fen: int
    refunds: Money  # every refund made in the month on their enrollments
    sales: float  # received - refunds: the commission base (may be negative)
    sales_fen: int
    target: int | float
    attainment: float | None
    commission_rate: float
    commission: float
    commission_fen: int
    team_bonus: float
    team_bonus_fen: int
    base_salary: float  # this quarter's, set by the last quarter's sales
    next_base_salary: float | None  # set by this quarter's sales; only in a quarter's last month
    quarter_sales: float  # the calendar quarter so far
    quarter_sales_fen: int
    total: float  # base salary + commission + team bonus
    total_fen: int
    sales_3_months: float  # this month and the two before: the ranking's figure
    sales_3_months_fen: int
    rank: int | None  # among active consultants, 1 the highest; null when inactive
    level_by_rank: int | None  # the best level the rank allows (domain.md §11.3)
    level: int | None  # the newest level recorded
    warnings: list[GradeWarning]
    qa_reviews: int
    qa_average: float | None


class PayCenter(TypedDict):
    target: int | float  # yuan, [pay] center_target
    sales: float  # every payment of the month, late ones included, less every refund
    sales_fen: int
    reached_on: str | None  # the day the month's running sales first reached the target
    team_rate: float  # the team-bonus rate that day earns (0 when not reached)


class EarlyRefundRow(TypedDict):
    """A refund within the window of signing, listed against the class (domain.md §10.1):
    desk records the course, not the class's teachers."""

    refunded_on: str
    enrolled_on: str
    amount: float
    amount_fen: int
    course: str
    student: str | None
    consultant: str | None


PayReport = TypedDict(
    "PayReport",
    {
        "schema": Literal["desk.report.pay/1"],
        "month": str,
        "from": str,
        "to": str,
        "window_days": int,
        "center": PayCenter,
        "people": list[PayRow],
        "early_refunds": list[EarlyRefundRow],
    },
)

Report = DayReport | MonthReport | PayReport
