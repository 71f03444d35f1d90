"""The report documents as titled tables: what the Rich output and the xlsx sheets both show.

A :class:`Sheet` is a title, typed columns (text, int, money in yuan, percent) and rows of
plain values, labelled in the current language. Rendering is elsewhere (``render``, ``export``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desk.i18n import language, t
from desk.models.call import CALL_TYPES
from desk.models.followup import FOLLOW_UP_KINDS
from desk.models.lead import CHANNELS
from desk.models.rotation import POOLS
from desk.models.visit import VISITOR_TYPES

TEXT, INT, MONEY, PCT = "text", "int", "money", "pct"


@dataclass
class Sheet:
    key: str  # stable sheet id (used for xlsx sheet names and csv)
    title: str
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # an emphasized last row
    brief: list[int] | None = None  # the columns shown on a terminal (None: all)


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


def _flag(value) -> str:
    if value is None:
        return L("unchecked_validity")
    return L("yes") if value else L("no")


def day_sheets(doc: dict[str, Any]) -> list[Sheet]:
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
        s.rows.append([source, row["new"], row["valid"], row["invalid"]])
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
    for row in walk["by_consultant"]:
        s.rows.append([row["name"], row["walk_ins"], *[row[f"{pool}_assigned"] for pool in POOLS]])
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
    ]
    sheets.append(s)

    s = Sheet(
        "outreach",
        t("outreach.report.section"),
        [(L("col.item"), TEXT), (t("outreach.report.activities"), INT), (t("outreach.report.new_leads"), INT),
         (t("outreach.report.known"), INT)],
    )
    for kind, row in doc["outreach"].items():
        s.rows.append([t(f"outreach.kind_{kind}"), row["activities"], row["new_leads"], row["known"]])
    sheets.append(s)

    s = Sheet("follow_ups", L("section.follow_ups"), [(L("col.item"), TEXT), (L("col.done"), INT), (L("col.overdue"), INT)])
    for kind in FOLLOW_UP_KINDS:
        row = fu["by_kind"].get(kind, {"done": 0, "overdue": 0})
        s.rows.append([L(f"kinds.{kind}"), row["done"], row["overdue"]])
    s.total = [L("row.total_follow_ups"), fu["done"], fu["overdue"]]
    sheets.append(s)

    s = Sheet(
        "consultants",
        L("section.consultants"),
        [
            (L("col.name"), TEXT),
            (L("col.calls"), INT),
            (L("col.walk_ins"), INT),
            (L("col.valid_leads"), INT),
            (L("col.trials"), INT),
            (L("col.enrollments"), INT),
            (L("col.amount"), MONEY),
            (L("col.conversion"), PCT),
            (L("col.follow_ups_done"), INT),
            (L("col.follow_ups_overdue"), INT),
            (t("outreach.report.street_contacts"), INT),
            (t("outreach.report.event_forms"), INT),
        ],
    )
    for c in doc["consultants"]:
        s.rows.append(
            [
                c["name"],
                c["calls"],
                c["walk_ins"],
                c["valid_leads"],
                c["trials"],
                c["enrollments"],
                c["amount"],
                c["conversion"],
                c["follow_ups_done"],
                c["follow_ups_overdue"],
                c["outreach"]["street_contacts"],
                c["outreach"]["event_forms"],
            ]
        )
    sheets.append(s)
    return sheets


def register_sheet(doc: dict[str, Any]) -> Sheet:
    s = Sheet(
        "register",
        L("section.register"),
        [
            (L("col.date"), TEXT),
            (L("col.time"), TEXT),
            (L("col.name"), TEXT),
            (L("col.phone"), TEXT),
            (L("col.type"), TEXT),
            (L("col.age"), INT),
            (L("col.education"), TEXT),
            (L("col.course"), TEXT),
            (L("col.source"), TEXT),
            (L("col.consultant"), TEXT),
            (L("col.outcome"), TEXT),
            (L("col.recorded"), TEXT),
            (L("col.validity"), TEXT),
            (L("col.reasons"), TEXT),
            (L("col.complete"), TEXT),
        ],
        brief=[0, 1, 2, 3, 4, 7, 8, 9, 12],
    )
    for r in doc["register"]:
        s.rows.append(
            [
                r["date"],
                r["time"],
                r["name"],
                r["phone"],
                L(f"types.{r['type']}"),
                r["age"],
                r["education"],
                r["course"],
                r["source"],
                r["consultant"],
                L(f"outcomes.{r['outcome']}") if r["outcome"] else None,
                _flag(r["recorded"]),
                _flag(r["valid"]),
                "; ".join(reason_text(c) for c in r["reasons"]),
                _flag(r["complete"]),
            ]
        )
    return s


def month_sheets(doc: dict[str, Any]) -> list[Sheet]:
    market = doc["market"]
    sheets = [register_sheet(doc)]

    s = Sheet(
        "market_days",
        L("section.market_days"),
        [
            (L("col.date"), TEXT),
            (L("col.inquiries"), INT),
            (L("col.new_leads"), INT),
            (L("col.valid_leads"), INT),
            (L("col.walk_ins"), INT),
            (L("col.enrollments"), INT),
            (L("col.amount"), MONEY),
        ],
    )
    for d in market["by_day"]:
        s.rows.append([d["date"], d["inquiries"], d["new_leads"], d["valid_leads"], d["walk_ins"], d["enrollments"], d["amount"]])
    days = market["by_day"]
    s.total = [
        L("row.total_leads"),
        *[sum(d[k] for d in days) for k in ("inquiries", "new_leads", "valid_leads", "walk_ins", "enrollments")],
        round(sum(d["amount_fen"] for d in days) / 100, 2),
    ]
    sheets.append(s)

    s = Sheet("market", L("section.market"), [(L("col.channel"), TEXT), (L("col.new"), INT), (L("col.valid"), INT)])
    for channel, row in market["by_channel"].items():
        s.rows.append([L(f"channels.{channel}"), row["new"], row["valid"]])
    for source, row in market["by_source"].items():
        s.rows.append([f"{L('col.source')}: {source}", row["new"], row["valid"]])
    sheets.append(s)

    s = Sheet("reasons", L("section.reasons"), [(L("col.reason"), TEXT), (L("col.count"), INT)])
    for code, n in market["invalid_reasons"].items():
        s.rows.append([reason_text(code), n])
    sheets.append(s)

    s = Sheet(
        "sales",
        L("section.sales"),
        [
            (L("col.name"), TEXT),
            (L("col.enrollments"), INT),
            (L("col.gross"), MONEY),
            (L("col.refunds_deducted"), MONEY),
            (L("col.net"), MONEY),
            (L("col.target"), MONEY),
            (L("col.attainment"), PCT),
            (L("col.rate"), PCT),
            (L("col.commission"), MONEY),
        ],
    )
    for r in doc["sales"]:
        s.rows.append(
            [
                r["name"],
                r["enrollments"],
                r["gross"],
                r["refunds_deducted"]["amount"],
                r["net"],
                r["target"],
                r["attainment"],
                r["commission_rate"],
                r["commission"],
            ]
        )
    sheets.append(s)
    return sheets
