"""The monthly report (docs/domain.md §9.2): the phone register, the market report, sales and
commission, and what each channel partner brought.

Sales are money received (docs/domain.md §10.1, :mod:`desk.dal.pay`), not the tuition agreed:
a consultant's ``net`` is the payments on their enrollments within the window of signing less
every refund made in the month, and commission is on it. The tuition agreed stays beside it
(``tuition_agreed``), what the month signed.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from typing import TYPE_CHECKING

from desk.dal import partners as partners_dal
from desk.dal import pay as pay_dal
from desk.dal import referrals as referrals_dal
from desk.dal import reports as q
from desk.dal.identity import require
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import DeskError
from desk.models.lead import CHANNELS
from desk.reporting.day import NO_SOURCE, check_entries, money, partner_counts, ratio, yuan
from desk.reporting.documents import (
    MONTH_SCHEMA,
    Counts,
    Market,
    MonthReport,
    ReferrerRow,
    RegisterEntry,
    SalesRow,
)
from desk.rules.access import Action, mask_phone

if TYPE_CHECKING:
    from desk.config import Config


def parse_month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DeskError(f"not a month: {text!r}; give it as YYYY-MM, e.g. 2026-11")
    return int(match.group(1)), int(match.group(2))


def month_days(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def on_new_target(is_new: bool, status: str | None) -> bool:
    """Whether the new-consultant target applies (§10.2): a new consultant, or one demoted
    (§11.2: demoted to the new-consultant target), by the newest level record."""
    return is_new or status in ("new", "demoted")


def commission_for(sales_fen: int, config: Config) -> tuple[float, int]:
    """(rate, commission in fen) for a month's sales after refunds, by the configured tiers."""
    from decimal import Decimal

    from desk.rules.commission import Tier, commission

    tiers = tuple(Tier(Decimal(str(lower)), Decimal(str(rate))) for lower, rate in config.commission.tiers)
    result = commission(Decimal(max(sales_fen, 0)) / 100, tiers)
    return float(result.rate), int(result.amount * 100)


def build_month(store: Store, config: Config, year: int, month: int, *, full_numbers: bool = False) -> MonthReport:
    """The month's document; the register's numbers masked (``138****5678``) unless
    ``full_numbers``, which only a manager may ask for (issue 14)."""
    first, last = month_days(year, month)
    period = q.Period.of(store, first, last)
    with store.read() as session:
        if full_numbers:
            require(session, store, Action.FULL_EXPORT)
        require(session, store, Action.MONEY)  # sales, commission and pay of everyone
        people = q.consultants(session)
        register = q.register_rows(session, period)
        series = q.daily(session, store, period)
        call_rows = q.calls(session, period)
        lead_rows = q.leads(session, period)
        visit_rows = q.visits(session, period)
        enroll_rows = q.enrollments(session, period)
        sales_of = pay_dal.sales(session, store, period, config.pay.window_days)
        levels = pay_dal.levels(session, period.end)
        partners = partners_dal.figures(session, q.partner_counts(call_rows, visit_rows, lead_rows, enroll_rows))
        credited = referrals_dal.credit(session, period.start, period.end)
        checks = check_entries(store, session, period)

    leads, sources, reasons = lead_rows.by_channel(), lead_rows.by_source(), lead_rows.invalid_reasons()
    visits, enrolls = visit_rows.by_type(), enroll_rows.by_consultant()
    calls_per, valid_per = call_rows.by_consultant(), lead_rows.valid_by_owner()
    rows = _register(store, register, full_numbers)

    new_by = {c: 0 for c in CHANNELS}
    valid_by = {c: 0 for c in CHANNELS}
    for (channel, valid), n in leads.items():
        new_by[channel] = new_by.get(channel, 0) + n
        if valid:
            valid_by[channel] = valid_by.get(channel, 0) + n
    by_source: dict[str, Counts] = {}
    for (source, valid), n in sources.items():
        row = by_source.setdefault(source or NO_SOURCE, {"new": 0, "valid": 0, "invalid": 0})
        row["new"] += n
        if valid is True:
            row["valid"] += n
        elif valid is False:
            row["invalid"] += n
    days = period.days
    market: Market = {
        "by_day": [
            {
                "date": day.isoformat(),
                "inquiries": series["inquiries"][i],
                "new_leads": series["new_leads"][i],
                "valid_leads": series["valid_leads"][i],
                "walk_ins": series["walk_ins"][i],
                "enrollments": series["enrollments"][i],
                "amount": yuan(series["amount_fen"][i]),
                "amount_fen": series["amount_fen"][i],
                "sales": yuan(series["sales_fen"][i]),
                "sales_fen": series["sales_fen"][i],
            }
            for i, day in enumerate(days)
        ],
        "by_channel": {c: {"new": new_by[c], "valid": valid_by[c]} for c in new_by},
        "by_source": dict(sorted(by_source.items())),
        "invalid_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        "walk_ins": sum(n for n, _ in visits.values()),
        "inquiries": sum(series["inquiries"]),
    }

    sales: list[SalesRow] = []
    for p in people:
        n_enroll, agreed = enrolls.get(pk(p), (0, 0))
        mine = sales_of.get(pk(p), pay_dal.Sales())
        if not p.active and not (n_enroll or mine.received_fen or mine.late_fen or mine.refunds):
            continue
        net = mine.sales_fen
        new = on_new_target(p.is_new, levels.get(pk(p), (None, None))[1])
        target_yuan = config.targets.monthly_sales_new if new else config.targets.monthly_sales
        rate, commission = commission_for(net, config)
        sales.append(
            {
                "name": p.name,
                "new": new,
                "calls": calls_per.get(pk(p), 0),
                "valid_leads": valid_per.get(pk(p), 0),
                "enrollments": n_enroll,
                "tuition_agreed": yuan(agreed),
                "tuition_agreed_fen": agreed,
                "gross": yuan(mine.received_fen),
                "gross_fen": mine.received_fen,
                "late": yuan(mine.late_fen),
                "late_fen": mine.late_fen,
                "refunds_deducted": money(mine.refunds_fen, mine.refunds),
                "net": yuan(net),
                "net_fen": net,
                "target": target_yuan,
                "attainment": ratio(net, target_yuan * 100),
                "commission_rate": rate,
                "commission": yuan(commission),
                "commission_fen": commission,
            }
        )
    return {
        "schema": MONTH_SCHEMA,
        "month": f"{year:04d}-{month:02d}",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "register": rows,
        "market": market,
        "sales": sales,
        "partners": partner_counts(partners),
        "referrals": _referrals(credited),
        "checks": checks,
    }


def _register(store: Store, register: list, full_numbers: bool) -> list[RegisterEntry]:
    """The register's rows as exported. A month holds tens of thousands: each row is unpacked
    once, the few distinct reason lists are parsed once each (a copy per row), a number called
    again is masked once, the time is formatted by hand."""
    parsed: dict[str, list] = {}
    shown: dict[str | None, str] = {}
    rows: list[RegisterEntry] = []
    for (started_at, call_type, outcome, caller_number, caller_name, complete, recorded, lead_name, lead_phone, age,
         education, course, source, channel, valid, reasons, consultant, partner) in register:
        local = store.local(started_at)
        codes = parsed.get(reasons) if reasons else []
        if codes is None:
            codes = parsed[reasons] = json.loads(reasons)
        number = lead_phone or caller_number
        phone = shown.get(number)
        if phone is None:
            phone = shown[number] = _phone(number, full_numbers)
        rows.append(
            {
                "date": local.date().isoformat(),
                "time": f"{local.hour:02d}:{local.minute:02d}",
                "name": lead_name or caller_name or "",
                "phone": phone,
                "type": call_type,
                "age": age,
                "education": education if education not in (None, "unknown") else None,
                "course": course,
                "source": source,
                "channel": channel,
                "consultant": consultant,
                "outcome": outcome,
                "recorded": bool(recorded),
                "valid": valid,
                "reasons": list(codes),
                "complete": bool(complete),
                "partner": partner,
            }
        )
    return rows


def _referrals(credited: list[tuple[str, str, int, int]]) -> list[ReferrerRow]:
    """Referrals per referrer (domain.md §6.3), most first."""
    return [{"referrer": name, "kind": kind, "referrals": n, "enrolled": won} for name, kind, n, won in credited]


def _phone(number: str | None, full: bool) -> str:
    """A register number as exported: masked unless ``full``; a caller number desk could not
    read as E.164 is kept as typed in full, and masked by its digits too."""
    from desk.phones import display

    if not number:
        return ""
    if not full:
        return mask_phone(number) if any(ch.isdigit() for ch in number) else number
    return display(number) if number.startswith("+") else number
