"""The month-end (``desk report pay``, the manager's pay screen): per consultant, what the month
pays and what it says about them (docs/domain.md §10, §11).

Every figure stands on sales of money received (:mod:`desk.dal.pay`): commission on the
month's sales, the team bonus by the day the center's running sales reached ``[pay]
center_target``, the base salary a calendar quarter's sales set for the next one, the grade
warnings of the last months, and the level the 3-month ranking allows beside the one recorded.
One read reaches back to the start of the previous quarter, the furthest any figure looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from desk.dal import pay as pay_dal
from desk.dal import reports as q
from desk.dal.identity import require
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.reporting.day import money, ratio, yuan
from desk.reporting.documents import PAY_SCHEMA, EarlyRefundRow, GradeWarning, PayCenter, PayReport, PayRow
from desk.reporting.month import commission_for, month_days, on_new_target
from desk.rules.access import Action
from desk.rules.pay import DEMOTE, grade_warnings, level_by_rank, next_base_salary, team_bonus

if TYPE_CHECKING:
    from desk.config import Config

Month = tuple[int, int]


def shift(month: Month, by: int) -> Month:
    """The month ``by`` months after ``month`` (before, when negative)."""
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def label(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def quarter_months(month: Month) -> list[Month]:
    """The calendar quarter's months up to ``month``."""
    first = (month[0], (month[1] - 1) // 3 * 3 + 1)
    return [shift(first, i) for i in range(month[1] - first[1] + 1)]


@dataclass
class _Read:
    """What one transaction reads for the month-end."""

    people: list[q.Consultant]
    by_month: dict[Month, dict[int | None, pay_dal.Sales]]
    center_days: list[tuple[date, int]]  # the month's movements: (day, +fen or -fen)
    levels: dict[int, tuple[int, str]]
    qa: dict[int, tuple[int, float]]
    early: list[pay_dal.EarlyRefund]


def _read(store: Store, config: Config, month: Month) -> _Read:
    window = config.pay.window_days
    earliest = shift(quarter_months(month)[0], -3)  # the previous quarter sets this one's base
    first, last = month_days(*month)
    period = q.Period.of(store, first, last)
    span = q.Period.of(store, month_days(*earliest)[0], last)
    with store.read() as session:
        require(session, store, Action.PAY)
        people = q.consultants(session)
        moves = pay_dal.movements(session, store, span.start, span.end)
        levels = pay_dal.levels(session, period.end)
        qa = pay_dal.qa_scores(session, period)
        early = pay_dal.early_refunds(session, store, period, window)
    grouped: dict[Month, list[pay_dal.Movement]] = {}
    for move in moves:
        grouped.setdefault((move.day.year, move.day.month), []).append(move)
    by_month = {m: pay_dal.sales_by_consultant(rows, window) for m, rows in grouped.items()}
    center_days = sorted((m.day, -m.fen if m.refund else m.fen) for m in grouped.get(month, []))
    return _Read(people, by_month, center_days, levels, qa, early)


def reached_on(center_days: list[tuple[date, int]], target_fen: int) -> date | None:
    """The first day the month's running sales reached the target (None: never)."""
    running = 0
    for day, fen in center_days:
        running += fen
        if running >= target_fen:
            return day
    return None


def _fen(amount: Decimal) -> int:
    return int(amount * 100)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def build_pay(store: Store, config: Config, year: int, month: int) -> PayReport:
    """The month-end of ``year``-``month``; refused unless the person may see pay (managers)."""
    this: Month = (year, month)
    read = _read(store, config, this)
    cfg = config.pay
    first, last = month_days(year, month)
    center_fen = sum(fen for _, fen in read.center_days)
    reached = reached_on(read.center_days, round(cfg.center_target * 100))
    steps = [(Decimal(str(a)), Decimal(str(b))) for a, b in cfg.base_steps]
    quarter = quarter_months(this)
    last_quarter = quarter_months(shift(quarter[0], -1))
    recent = [shift(this, -2), shift(this, -1), this]

    def sales_of(staff_id: int, m: Month) -> int:
        found = read.by_month.get(m, {}).get(staff_id)
        return found.sales_fen if found else 0

    active = [p for p in read.people if p.active]
    three = {pk(p): sum(sales_of(pk(p), m) for m in recent) for p in read.people}
    ranks = {pk(p): 1 + sum(three[pk(o)] > three[pk(p)] for o in active) for p in active}

    rows: list[PayRow] = []
    for p in read.people:
        mine = read.by_month.get(this, {}).get(pk(p), pay_dal.Sales())
        if not p.active and not (mine.received_fen or mine.late_fen or mine.refunds):
            continue
        level, status = read.levels.get(pk(p), (None, None))
        new = on_new_target(p.is_new, status)
        target = config.targets.monthly_sales_new if new else config.targets.monthly_sales
        rate, commission_fen = commission_for(mine.sales_fen, config)
        bonus_fen = _fen(team_bonus(
            _yuan(mine.sales_fen), _yuan(center_fen), Decimal(str(cfg.center_target)),
            reached.day if reached else None, new, Decimal(str(target)),
            rate=Decimal(str(cfg.team_rate)), late_rate=Decimal(str(cfg.team_rate_late)), deadline_day=cfg.team_deadline_day,
        ))  # fmt: skip
        base = next_base_salary(_yuan(sum(sales_of(pk(p), m) for m in last_quarter)), steps, Decimal(str(cfg.base_salary)))
        quarter_fen = sum(sales_of(pk(p), m) for m in quarter)
        upcoming = next_base_salary(_yuan(quarter_fen), steps, Decimal(str(cfg.base_salary))) if month % 3 == 0 else None
        total_fen = _fen(base) + commission_fen + bonus_fen
        rank = ranks.get(pk(p))
        qa_n, qa_avg = read.qa.get(pk(p), (0, None))
        rows.append(
            {
                "name": p.name,
                "active": p.active,
                "new": new,
                "status": status,
                "received": yuan(mine.received_fen),
                "received_fen": mine.received_fen,
                "late": yuan(mine.late_fen),
                "late_fen": mine.late_fen,
                "refunds": money(mine.refunds_fen, mine.refunds),
                "sales": yuan(mine.sales_fen),
                "sales_fen": mine.sales_fen,
                "target": target,
                "attainment": ratio(mine.sales_fen, target * 100),
                "commission_rate": rate,
                "commission": yuan(commission_fen),
                "commission_fen": commission_fen,
                "team_bonus": yuan(bonus_fen),
                "team_bonus_fen": bonus_fen,
                "base_salary": float(base),
                "next_base_salary": None if upcoming is None else float(upcoming),
                "quarter_sales": yuan(quarter_fen),
                "quarter_sales_fen": quarter_fen,
                "total": yuan(total_fen),
                "total_fen": total_fen,
                "sales_3_months": yuan(three[pk(p)]),
                "sales_3_months_fen": three[pk(p)],
                "rank": rank,
                "level_by_rank": level_by_rank(rank, len(active)) if rank is not None else None,
                "level": level,
                "warnings": _warnings(store, p, status, recent, sales_of),
                "qa_reviews": qa_n,
                "qa_average": None if qa_avg is None else round(qa_avg, 1),
            }
        )
    center: PayCenter = {
        "target": cfg.center_target,
        "sales": yuan(center_fen),
        "sales_fen": center_fen,
        "reached_on": reached.isoformat() if reached else None,
        "team_rate": 0.0 if reached is None else (cfg.team_rate if reached.day <= cfg.team_deadline_day else cfg.team_rate_late),
    }
    return {
        "schema": PAY_SCHEMA,
        "month": label(this),
        "from": first.isoformat(),
        "to": last.isoformat(),
        "window_days": cfg.window_days,
        "center": center,
        "people": rows,
        "early_refunds": [_early(r) for r in read.early],
    }


def _warnings(store: Store, person: q.Consultant, status: str | None, recent: list[Month], sales_of) -> list[GradeWarning]:
    """The grade warnings (§11.2) over the months the person was on the roster: a regular
    consultant's demotion, a demoted one's elimination; a new consultant is not yet judged."""
    if status == "new" or (person.is_new and status != "demoted"):
        return []
    joined = store.local(person.created_at)
    months = [m for m in recent if m >= (joined.year, joined.month)]
    found = grade_warnings([_yuan(sales_of(pk(person), m)) for m in months], demoted=status == "demoted")
    return [{"warning": w, "months": [label(m) for m in months[-(2 if w == DEMOTE else 3):]]} for w in found]


def _early(refund: pay_dal.EarlyRefund) -> EarlyRefundRow:
    return {
        "refunded_on": refund.refunded_on.isoformat(),
        "enrolled_on": refund.enrolled_on.isoformat(),
        "amount": yuan(refund.fen),
        "amount_fen": refund.fen,
        "course": refund.course,
        "student": refund.student,
        "consultant": refund.consultant,
    }
