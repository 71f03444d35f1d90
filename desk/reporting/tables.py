"""The report documents as titled tables: what the Rich output and the xlsx sheets both show.

A :class:`Sheet` is a title, typed columns (text, int, money in yuan, percent) and rows of
plain values, labelled in the current language. Rendering is elsewhere (``render``, ``export``).
A sheet of one row per record (a consultant, a register entry, a day) is drawn from a tuple
of :class:`Column`, each naming its label, its kind and the record's field: a new report
column is one field of ``documents`` and one ``Column`` here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desk.i18n import language, t
from desk.models.call import CALL_TYPES
from desk.models.followup import FOLLOW_UP_KINDS
from desk.models.lead import CHANNELS
from desk.models.rotation import POOLS
from desk.models.visit import VISITOR_TYPES
from desk.reporting.documents import DayReport, MonthReport, PayReport, PayRow

TEXT, INT, MONEY, PCT = "text", "int", "money", "pct"


@dataclass
class Sheet:
    key: str  # stable sheet id (used for xlsx sheet names and csv)
    title: str
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # an emphasized last row
    brief: list[int] | None = None  # the columns shown on a terminal (None: all)


@dataclass(frozen=True)
class Column:
    """A column of a sheet of records: its label (a catalog key), its kind, and its cell: the
    record's field of that name, or what a function makes of the record. ``brief``: shown on a
    terminal too (the files always have every column)."""

    label: str
    kind: str
    cell: str | Callable[[Any], Any]
    brief: bool = True

    def value(self, record: Mapping[str, Any]) -> Any:
        return record[self.cell] if isinstance(self.cell, str) else self.cell(record)


def record_sheet(key: str, title: str, columns: Sequence[Column], records: Iterable[Mapping[str, Any]]) -> Sheet:
    """One row per record, one cell per column."""
    brief = [i for i, c in enumerate(columns) if c.brief]
    return Sheet(
        key,
        title,
        [(t(c.label), c.kind) for c in columns],
        [[c.value(r) for c in columns] for r in records],
        brief=None if len(brief) == len(columns) else brief,
    )


def L(key: str, **values) -> str:
    return t(f"report.{key}", **values)


def reason_text(code: str) -> str:
    """The failed rule, in words; the code itself when the rules module does not know it."""
    try:
        from desk.rules.leads import reason_text as text
    except ImportError:
        return code
    try:
        return text(code, language()) or code
    except Exception:  # an unknown code: show it rather than fail the report
        return code


def source_text(source: str) -> str:
    """A media source as stored, except the document's code for "none recorded" (issue 12 §16:
    users saw ``unknown``), which is said in the report's language."""
    from desk.reporting.day import NO_SOURCE

    return L("no_source") if source == NO_SOURCE else source


def _flag(value) -> str:
    if value is None:
        return L("unchecked_validity")
    return L("yes") if value else L("no")


# A consultant's range in the day report (``documents.ConsultantDay``).
DAY_CONSULTANT_COLUMNS = (
    Column("report.col.name", TEXT, "name"),
    Column("report.col.calls", INT, "calls"),
    Column("report.col.walk_ins", INT, "walk_ins"),
    Column("report.col.valid_leads", INT, "valid_leads"),
    Column("report.col.trials", INT, "trials"),
    Column("report.col.enrollments", INT, "enrollments"),
    Column("report.col.tuition_agreed", MONEY, "amount", brief=False),
    Column("report.col.sales", MONEY, "sales"),
    Column("report.col.conversion", PCT, "conversion"),
    Column("report.col.follow_ups_done", INT, "follow_ups_done"),
    Column("report.col.follow_ups_overdue", INT, "follow_ups_overdue"),
    Column("outreach.report.street_contacts", INT, lambda c: c["outreach"]["street_contacts"]),
    Column("outreach.report.event_forms", INT, lambda c: c["outreach"]["event_forms"]),
)

# The phone register (``documents.RegisterEntry``); the terminal shows the brief columns.
REGISTER_COLUMNS = (
    Column("report.col.date", TEXT, "date"),
    Column("report.col.time", TEXT, "time"),
    Column("report.col.name", TEXT, "name"),
    Column("report.col.phone", TEXT, "phone"),
    Column("report.col.type", TEXT, lambda r: L(f"types.{r['type']}")),
    Column("report.col.age", INT, "age", brief=False),
    Column("report.col.education", TEXT, "education", brief=False),
    Column("report.col.course", TEXT, "course"),
    Column("report.col.source", TEXT, "source"),
    Column("report.col.consultant", TEXT, "consultant"),
    Column("report.col.outcome", TEXT, lambda r: L(f"outcomes.{r['outcome']}") if r["outcome"] else None, brief=False),
    Column("report.col.recorded", TEXT, lambda r: _flag(r["recorded"]), brief=False),
    Column("report.col.validity", TEXT, lambda r: _flag(r["valid"])),
    Column("report.col.reasons", TEXT, lambda r: "; ".join(reason_text(c) for c in r["reasons"]), brief=False),
    Column("report.col.complete", TEXT, lambda r: _flag(r["complete"]), brief=False),
    Column("partners.report.col_partner", TEXT, "partner", brief=False),
)

# A day of the market report (``documents.MarketDay``).
MARKET_DAY_COLUMNS = (
    Column("report.col.date", TEXT, "date"),
    Column("report.col.inquiries", INT, "inquiries"),
    Column("report.col.new_leads", INT, "new_leads"),
    Column("report.col.valid_leads", INT, "valid_leads"),
    Column("report.col.walk_ins", INT, "walk_ins"),
    Column("report.col.enrollments", INT, "enrollments"),
    Column("report.col.tuition_agreed", MONEY, "amount"),
    Column("report.col.sales", MONEY, "sales"),
)

# A consultant's month (``documents.SalesRow``).
SALES_COLUMNS = (
    Column("report.col.name", TEXT, "name"),
    Column("report.col.enrollments", INT, "enrollments"),
    Column("report.col.tuition_agreed", MONEY, "tuition_agreed", brief=False),
    Column("report.col.gross", MONEY, "gross"),
    Column("report.col.late", MONEY, "late", brief=False),
    Column("report.col.refunds_deducted", MONEY, lambda r: r["refunds_deducted"]["amount"]),
    Column("report.col.net", MONEY, "net"),
    Column("report.col.target", MONEY, "target"),
    Column("report.col.attainment", PCT, "attainment"),
    Column("report.col.rate", PCT, "commission_rate"),
    Column("report.col.commission", MONEY, "commission"),
)

# Referrals per referrer (``documents.ReferrerRow``).
REFERRER_COLUMNS = (
    Column("registers.report.referrer", TEXT, "referrer"),
    Column("registers.report.kind", TEXT, lambda r: t(f"registers.kind_{r['kind']}")),
    Column("registers.report.referrals", INT, "referrals"),
    Column("registers.report.enrolled", INT, "enrolled"),
)


# A channel partner's figures (``documents.PartnerCounts``), in both reports.
PARTNER_COLUMNS = (
    Column("partners.report.col_partner", TEXT, "name"),
    Column("partners.report.col_kind", TEXT, lambda r: t(f"partners.kinds.{r['kind']}"), brief=False),
    Column("report.col.calls", INT, "calls"),
    Column("partners.report.col_visits", INT, "visits"),
    Column("report.col.new_leads", INT, "new_leads"),
    Column("report.col.valid_leads", INT, "valid_leads"),
    Column("report.col.enrollments", INT, "enrollments"),
)


def partner_sheet(doc: DayReport | MonthReport) -> Sheet:
    return record_sheet("partners", t("partners.report.section"), PARTNER_COLUMNS, doc["partners"])


# The checks of marked rows (``documents.CheckEntry``, docs/domain.md §4.5).
CHECK_COLUMNS = (
    Column("report.col.checked_at", TEXT, "at"),
    Column("report.col.name", TEXT, "lead"),
    Column("report.col.flag", TEXT, lambda r: L(f"flags.{r['flag']}")),
    Column("report.col.marked_by", TEXT, "marked_by"),
    Column("report.col.checker", TEXT, "checker"),
    Column("report.col.verdict", TEXT, lambda r: L(f"verdicts.{r['verdict']}")),
    Column("report.col.check_note", TEXT, "note"),
    Column("report.col.reasons", TEXT, lambda r: "; ".join(reason_text(c) for c in r["reasons"]), brief=False),
)


def checks_sheet(doc: DayReport | MonthReport) -> Sheet:
    return record_sheet("checks", L("section.checks"), CHECK_COLUMNS, doc["checks"])


def day_sheets(doc: DayReport) -> list[Sheet]:
    calls, leads, walk, fu = doc["calls"], doc["leads"], doc["walk_ins"], doc["follow_ups"]
    sheets: list[Sheet] = []

    s = Sheet("calls", L("section.calls"), [(L("col.item"), TEXT), (L("col.count"), INT)])
    for call_type in CALL_TYPES:
        s.rows.append([L(f"types.{call_type}"), calls["by_type"].get(call_type, 0)])
    for key in ("inquiries", "transferred", "messages_taken", "messages_refused", "messages_returned", "messages_returned_late"):
        s.rows.append([L(f"row.{key}"), calls[key]])
    s.total = [L("row.total"), calls["total"]]
    sheets.append(s)

    s = Sheet(
        "leads",
        L("section.leads"),
        [(L("col.channel"), TEXT), (L("col.new"), INT), (L("col.valid"), INT), (L("col.invalid"), INT)],
    )
    for channel in CHANNELS:
        s.rows.append(
            [
                L(f"channels.{channel}"),
                leads["by_channel"].get(channel, 0),
                leads["valid_by_channel"].get(channel, 0),
                leads["invalid_by_channel"].get(channel, 0),
            ]
        )
    s.total = [L("row.total_leads"), leads["new"], leads["valid"], leads["invalid"]]
    sheets.append(s)

    s = Sheet(
        "sources",
        L("section.sources"),
        [(L("col.source"), TEXT), (L("col.new"), INT), (L("col.valid"), INT), (L("col.invalid"), INT)],
    )
    for source, row in leads["by_source"].items():
        s.rows.append([source_text(source), row["new"], row["valid"], row["invalid"]])
    sheets.append(s)

    s = Sheet("reasons", L("section.reasons"), [(L("col.reason"), TEXT), (L("col.count"), INT)])
    for code, n in leads["invalid_reasons"].items():
        s.rows.append([reason_text(code), n])
    sheets.append(s)

    s = Sheet("walk_ins", L("section.walk_ins"), [(L("col.item"), TEXT), (L("col.count"), INT)])
    for visitor_type in VISITOR_TYPES:
        s.rows.append([L(f"visitors.{visitor_type}"), walk["by_type"].get(visitor_type, 0)])
    s.total = [L("row.total_walk_ins"), walk["total"]]
    sheets.append(s)

    cols = [(L("col.consultant"), TEXT), (L("col.walk_ins"), INT)]
    cols += [(L("col.assigned", pool=L(f"pools.{pool}")), INT) for pool in POOLS]
    s = Sheet("rotation", L("section.rotation"), cols)
    for walk_in in walk["by_consultant"]:
        s.rows.append([walk_in["name"], walk_in["walk_ins"], *[walk_in[f"{pool}_assigned"] for pool in POOLS]])
    s.total = [L("col.balance"), None, *[walk["rotation_balance"][pool] for pool in POOLS]]
    sheets.append(s)

    s = Sheet("outcomes", L("section.outcomes"), [(L("col.item"), TEXT), (L("col.count"), INT), (L("col.amount"), MONEY)])
    s.rows += [
        [L("row.visits"), doc["visits"], None],
        [L("row.trials"), doc["trials"], None],
        [L("row.trials_attended"), doc["trials_attended"], None],
        [L("row.enrollments"), doc["enrollments"]["count"], doc["enrollments"]["amount"]],
        [L("row.balances"), doc["balances"]["count"], doc["balances"]["amount"]],
        [L("row.refunds"), doc["refunds"]["count"], doc["refunds"]["amount"]],
        [L("row.payments"), doc["sales"]["payments"]["count"], doc["sales"]["payments"]["amount"]],
        [L("row.sales"), None, doc["sales"]["amount"]],
    ]
    sheets.append(s)

    s = Sheet(
        "outreach",
        t("outreach.report.section"),
        [(L("col.item"), TEXT), (t("outreach.report.activities"), INT), (t("outreach.report.new_leads"), INT),
         (t("outreach.report.known"), INT)],
    )
    for kind, outdoor in doc["outreach"].items():
        s.rows.append([t(f"outreach.kind_{kind}"), outdoor["activities"], outdoor["new_leads"], outdoor["known"]])
    sheets.append(s)

    s = Sheet("follow_ups", L("section.follow_ups"), [(L("col.item"), TEXT), (L("col.done"), INT), (L("col.overdue"), INT)])
    for kind in FOLLOW_UP_KINDS:
        follow_ups = fu["by_kind"].get(kind, {"done": 0, "overdue": 0})
        s.rows.append([L(f"kinds.{kind}"), follow_ups["done"], follow_ups["overdue"]])
    s.total = [L("row.total_follow_ups"), fu["done"], fu["overdue"]]
    sheets.append(s)

    s = record_sheet("consultants", L("section.consultants"), DAY_CONSULTANT_COLUMNS, doc["consultants"])
    sheets.append(s)
    sheets.append(partner_sheet(doc))
    sheets.append(checks_sheet(doc))
    return sheets


def register_sheet(doc: MonthReport) -> Sheet:
    return record_sheet("register", L("section.register"), REGISTER_COLUMNS, doc["register"])


def month_sheets(doc: MonthReport) -> list[Sheet]:
    market = doc["market"]
    sheets = [register_sheet(doc)]

    s = record_sheet("market_days", L("section.market_days"), MARKET_DAY_COLUMNS, market["by_day"])
    days = market["by_day"]
    s.total = [
        L("row.total_leads"),
        *[sum(d[k] for d in days) for k in ("inquiries", "new_leads", "valid_leads", "walk_ins", "enrollments")],
        round(sum(d["amount_fen"] for d in days) / 100, 2),
        round(sum(d["sales_fen"] for d in days) / 100, 2),
    ]
    sheets.append(s)

    s = Sheet("market", L("section.market"), [(L("col.channel"), TEXT), (L("col.new"), INT), (L("col.valid"), INT)])
    for channel, row in market["by_channel"].items():
        s.rows.append([L(f"channels.{channel}"), row["new"], row["valid"]])
    for source, row in market["by_source"].items():
        s.rows.append([f"{L('col.source')}: {source_text(source)}", row["new"], row["valid"]])
    sheets.append(s)

    s = Sheet("reasons", L("section.reasons"), [(L("col.reason"), TEXT), (L("col.count"), INT)])
    for code, n in market["invalid_reasons"].items():
        s.rows.append([reason_text(code), n])
    sheets.append(s)

    s = record_sheet("sales", L("section.sales"), SALES_COLUMNS, doc["sales"])
    sheets.append(s)
    sheets.append(partner_sheet(doc))

    sheets.append(record_sheet("referrals", t("registers.report.section"), REFERRER_COLUMNS, doc["referrals"]))
    sheets.append(checks_sheet(doc))
    return sheets


# -- the month-end (``documents.PayReport``) ---------------------------------------------------


def warning_text(row: PayRow) -> str:
    """The grade warnings with the (consecutive) months that caused them: ``demote (2026-08–09)``."""
    def span(months: list[str]) -> str:
        return months[0] if len(months) == 1 else f"{months[0]}–{months[-1][5:]}"

    return "; ".join(t(f"pay.warning.{w['warning']}", months=span(w["months"])) for w in row["warnings"])


def _levels(row: PayRow) -> str:
    """The level the ranking allows beside the one recorded: ``3 / 4``."""
    return f"{row['level_by_rank'] or '—'} / {row['level'] or '—'}"


PAY_COLUMNS = (
    Column("report.col.name", TEXT, "name"),
    Column("pay.col.received", MONEY, "received", brief=False),
    Column("pay.col.refunds", MONEY, lambda r: r["refunds"]["amount"], brief=False),
    Column("pay.col.sales", MONEY, "sales"),
    Column("report.col.target", MONEY, "target", brief=False),
    Column("report.col.attainment", PCT, "attainment", brief=False),
    Column("report.col.rate", PCT, "commission_rate", brief=False),
    Column("report.col.commission", MONEY, "commission"),
    Column("pay.col.team_bonus", MONEY, "team_bonus"),
    Column("pay.col.base_salary", MONEY, "base_salary", brief=False),
    Column("pay.col.next_base_salary", MONEY, "next_base_salary", brief=False),
    Column("pay.col.total", MONEY, "total"),
    Column("pay.col.rank", INT, "rank", brief=False),
    Column("pay.col.levels", TEXT, _levels),
    Column("pay.col.qa", TEXT, lambda r: f"{r['qa_average']} ({r['qa_reviews']})" if r["qa_reviews"] else "—", brief=False),
    Column("pay.col.warnings", TEXT, warning_text, brief=False),
)

EARLY_REFUND_COLUMNS = (
    Column("pay.col.refunded_on", TEXT, "refunded_on"),
    Column("pay.col.enrolled_on", TEXT, "enrolled_on"),
    Column("report.col.course", TEXT, "course"),
    Column("pay.col.student", TEXT, "student"),
    Column("report.col.consultant", TEXT, "consultant"),
    Column("report.col.amount", MONEY, "amount"),
)


def center_line(doc: PayReport) -> str:
    """The center's month in one line: sales against the target, and the day it was reached."""
    center = doc["center"]
    reached = t("pay.reached_on", day=center["reached_on"]) if center["reached_on"] else t("pay.not_reached")
    return t("pay.center", sales=f"{center['sales']:,.2f}", target=f"{center['target']:,.2f}", reached=reached)


def pay_sheets(doc: PayReport) -> list[Sheet]:
    """The month-end's tables: everyone's figures (a terminal shows the brief columns; base,
    QA and the rest are in the files and the payslips), the grade warnings one a line (too long
    for a column a terminal can spare), then the refunds listed against a class."""
    warnings = Sheet("warnings", t("pay.section.warnings"),
                     [(t("report.col.consultant"), TEXT), (t("pay.col.warning"), TEXT), (t("pay.col.months"), TEXT)])
    for row in doc["people"]:
        for w in row["warnings"]:
            warnings.rows.append([row["name"], t(f"pay.warning_name.{w['warning']}"), ", ".join(w["months"])])
    return [
        record_sheet("pay", t("pay.section.people"), PAY_COLUMNS, doc["people"]),
        warnings,
        record_sheet("early_refunds", t("pay.section.early_refunds"), EARLY_REFUND_COLUMNS, doc["early_refunds"]),
    ]


def payslip_rows(row: PayRow) -> list[list[Any]]:
    """One person's payslip as (item, amount, detail) lines: what the screen and the xlsx show."""
    rate = f"{row['commission_rate'] * 100:g}%"
    return [
        [t("pay.col.received"), row["received"], None],
        [t("pay.col.late"), row["late"], t("pay.late_detail")],
        [t("pay.col.refunds"), row["refunds"]["amount"], t("pay.refund_count", n=row["refunds"]["count"])],
        [t("pay.col.sales"), row["sales"], None],
        [t("report.col.target"), row["target"], f"{(row['attainment'] or 0) * 100:.1f}%"],
        [t("report.col.commission"), row["commission"], rate],
        [t("pay.col.team_bonus"), row["team_bonus"], None],
        [t("pay.col.base_salary"), row["base_salary"], None],
        [t("pay.col.total"), row["total"], None],
        [t("pay.col.quarter_sales"), row["quarter_sales"], None],
        [t("pay.col.next_base_salary"), row["next_base_salary"], None if row["next_base_salary"] is not None else t("pay.not_quarter_end")],
        [t("pay.col.sales_3_months"), row["sales_3_months"], t("pay.rank_of", rank=row["rank"] or "—")],
        [t("pay.col.levels"), None, _levels(row)],
        [t("pay.col.qa"), None, f"{row['qa_average']} ({row['qa_reviews']})" if row["qa_reviews"] else "—"],
        [t("pay.col.warnings"), None, warning_text(row) or "—"],
    ]


def payslip_sheet(doc: PayReport, row: PayRow) -> Sheet:
    """A person's payslip: a sheet of its own in the xlsx."""
    columns = [(t("pay.col.item"), TEXT), (t("report.col.amount"), MONEY), (t("pay.col.detail"), TEXT)]
    return Sheet(f"payslip_{row['name']}", f"{row['name']} {doc['month']}", columns, payslip_rows(row))
