"""The end-of-day report (docs/domain.md §9.1) as one plain document: the JSON of docs/report-schema.md.

Every call type, outcome, channel, visitor type and follow-up kind is present, with 0 when
nothing happened, so that a reader never has to guess whether a key is missing or zero.
The table, csv and xlsx outputs are all drawn from this same document.
"""

from __future__ import annotations

from datetime import date

from desk.dal import partners as partners_dal
from desk.dal import pay as pay_dal
from desk.dal import reports as q
from desk.dal.identity import require
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import DeskError
from desk.models.call import CALL_TYPES, OUTCOMES
from desk.models.followup import FOLLOW_UP_KINDS
from desk.models.lead import CHANNELS
from desk.models.outreach import OUTREACH_KINDS
from desk.models.rotation import POOLS
from desk.models.visit import VISITOR_TYPES
from desk.reporting.documents import (
    DAY_SCHEMA,
    CheckEntry,
    ConsultantDay,
    Counts,
    DayReport,
    DaySales,
    FollowUpCounts,
    Money,
    OutreachCounts,
    PartnerCounts,
    RotationRow,
)
from desk.rules.access import Action
from desk.rules.calls import INQUIRY_TYPES
from desk.rules.pay import SALES_WINDOW_DAYS

NO_SOURCE = "unknown"


def yuan(fen: int) -> float:
    """Fen to yuan for the documents: exact to the fen (two decimals)."""
    return round(fen / 100, 2)


def money(fen: int, count: int) -> Money:
    return {"count": count, "amount": yuan(fen), "amount_fen": fen}


def ratio(part: int, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def resolve_consultant(session, name: str | None):
    if not name:
        return None
    for person in q.consultants(session):
        if name in (person.name, person.english_name) or name.lower() == (person.english_name or "").lower():
            return person
    raise DeskError(f"unknown consultant {name!r}; see `desk staff list`")


def build(
    store: Store, first: date, last: date | None = None, *, consultant: str | None = None, window_days: int = SALES_WINDOW_DAYS
) -> DayReport:
    """The report for local days ``first``..``last``, optionally for one consultant only.

    Sales are money received (docs/domain.md §10.1): a consultant's are the payments on their
    enrollments within ``window_days`` (``[pay] window_days``) of signing less the refunds
    made in the range; the tuition agreed at enrollment stays as ``amount``."""
    last = last or first
    if last < first:
        raise DeskError(f"the range is inverted: --from {first} is after --to {last}")
    period = q.Period.of(store, first, last)
    with store.read() as session:
        require(session, store, Action.MONEY)  # every consultant's sales and enrollments
        person = resolve_consultant(session, consultant)
        only = person.id if person else None
        people = [person] if person else q.consultants(session)
        owner = q.lead_owner_then(session, period)  # whom each lead counts for: read once
        # one statement per table; the sections below add up their rows
        call_rows = q.calls(session, period)
        lead_rows = q.leads(session, period, owner)
        visit_rows = q.visits(session, period)
        enroll_rows = q.enrollments(session, period)
        rotation = q.rotation_counts(session, period)
        trials = q.trials_by_consultant(session, period)
        moves = pay_dal.movements(session, store, period.start, period.end)
        follow_rows = q.follow_ups(session, period)
        outdoor_rows = q.outreach(session, period)
        partners = partners_dal.figures(session, q.partner_counts(call_rows, visit_rows, lead_rows, enroll_rows, only))
        checks = check_entries(store, session, period, only)

    calls = call_rows.by_type_outcome(only)
    callbacks = follow_rows.messages(only)
    leads = lead_rows.by_channel(only)
    sources = lead_rows.by_source(only)
    reasons = lead_rows.invalid_reasons(only)
    visits = visit_rows.by_type(only)
    calls_per = call_rows.by_consultant()
    visits_per = visit_rows.by_consultant()
    valid_per = lead_rows.valid_by_owner()
    enrolls = enroll_rows.by_consultant()
    payments = payments_by_consultant(moves)
    sales_of = pay_dal.sales_by_consultant(moves, window_days)
    follow = follow_rows.counts
    outdoor = outdoor_rows.by_kind(only)
    outdoor_per = outdoor_rows.by_staff()

    def pick(table: dict, key_staff) -> list:
        """The values of a by-consultant table that the report covers."""
        return [v for k, v in table.items() if only is None or key_staff(k) == only]

    # calls
    by_type = {t: 0 for t in CALL_TYPES}
    by_outcome = {o: 0 for o in OUTCOMES}
    inquiries = transferred = 0
    for (call_type, outcome), n in calls.items():
        by_type[call_type] = by_type.get(call_type, 0) + n
        if outcome:
            by_outcome[outcome] = by_outcome.get(outcome, 0) + n
        if call_type in INQUIRY_TYPES:
            inquiries += n
            if outcome == "transferred":
                transferred += n

    # leads
    new_by = {c: 0 for c in CHANNELS}
    valid_by = {c: 0 for c in CHANNELS}
    invalid_by = {c: 0 for c in CHANNELS}
    for (channel, valid), n in leads.items():
        new_by[channel] = new_by.get(channel, 0) + n
        if valid is True:
            valid_by[channel] = valid_by.get(channel, 0) + n
        elif valid is False:
            invalid_by[channel] = invalid_by.get(channel, 0) + n
    by_source: dict[str, Counts] = {}
    for (source, valid), n in sorted(sources.items(), key=lambda kv: (kv[0][0] or "", str(kv[0][1]))):
        row = by_source.setdefault(source or NO_SOURCE, {"new": 0, "valid": 0, "invalid": 0})
        row["new"] += n
        if valid is True:
            row["valid"] += n
        elif valid is False:
            row["invalid"] += n
    valid_total = sum(valid_by.values())
    invalid_total = sum(invalid_by.values())
    new_total = sum(new_by.values())

    # walk-ins and the rotation
    walk_by_type = {v: 0 for v in VISITOR_TYPES}
    prospect_visits = 0
    for visitor_type, (n, with_lead) in visits.items():
        walk_by_type[visitor_type] = walk_by_type.get(visitor_type, 0) + n
        prospect_visits += with_lead
    rotation_rows: list[RotationRow] = []
    for p in people:
        rotation_row: RotationRow = {"name": p.name, "walk_ins": visits_per.get(pk(p), 0)}
        rotation_row.update({f"{pool}_assigned": rotation.get((pool, pk(p)), 0) for pool in POOLS})
        rotation_rows.append(rotation_row)
    active = [pk(p) for p in people if p.active]
    balance = {
        pool: (max(rotation.get((pool, i), 0) for i in active) - min(rotation.get((pool, i), 0) for i in active)) if active else 0
        for pool in POOLS
    }

    # outcomes and money
    trial_values = pick(trials, lambda k: k)
    enroll_values = pick(enrolls, lambda k: k)
    balance_values = [v for (kind, c), v in payments.items() if kind == "balance" and (only is None or c == only)]
    refund_values = [v for (kind, c), v in payments.items() if kind == "refund" and (only is None or c == only)]
    paid_values = [v for (kind, c), v in payments.items() if kind != "refund" and (only is None or c == only)]
    paid = money(sum(f for _, f in paid_values), sum(n for n, _ in paid_values))
    refunded_fen = sum(f for _, f in refund_values)
    enroll_count = sum(n for n, _ in enroll_values)

    # follow-ups
    fu_kind: dict[str, FollowUpCounts] = {k: {"done": 0, "overdue": 0} for k in FOLLOW_UP_KINDS}
    fu_owner: dict[int | None, list[int]] = {}
    for (kind, owner), (done, overdue) in follow.items():
        if only is not None and owner != only:
            continue
        counts = fu_kind.setdefault(kind, {"done": 0, "overdue": 0})
        counts["done"] += done
        counts["overdue"] += overdue
        acc = fu_owner.setdefault(owner, [0, 0])
        acc[0] += done
        acc[1] += overdue

    consultant_rows: list[ConsultantDay] = []
    for p in people:
        n_enroll, fen = enrolls.get(pk(p), (0, 0))
        n_refund, refund_fen = payments.get(("refund", p.id), (0, 0))
        sales_fen = sales_of.get(pk(p), pay_dal.Sales()).sales_fen
        valid_leads = valid_per.get(pk(p), 0)
        promotions, contacts, events, forms = outdoor_per.get(pk(p), (0, 0, 0, 0))
        consultant_rows.append(
            {
                "name": p.name,
                "active": p.active,
                "calls": calls_per.get(pk(p), 0),
                "walk_ins": visits_per.get(pk(p), 0),
                "valid_leads": valid_leads,
                "trials": trials.get(pk(p), (0, 0))[0],
                "enrollments": n_enroll,
                "amount": yuan(fen),
                "amount_fen": fen,
                "refunds": n_refund,
                "refunds_amount_fen": refund_fen,
                "sales": yuan(sales_fen),
                "sales_fen": sales_fen,
                "conversion": ratio(n_enroll, valid_leads),
                "follow_ups_done": fu_owner.get(pk(p), [0, 0])[0],
                "follow_ups_overdue": fu_owner.get(pk(p), [0, 0])[1],
                "rotation": {pool: rotation.get((pool, pk(p)), 0) for pool in POOLS},
                # what the daily targets count (docs/domain.md §7.5)
                "outreach": {"street_promotions": promotions, "street_contacts": contacts, "events": events,
                             "event_forms": forms},
            }
        )

    return {
        "schema": DAY_SCHEMA,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "as_of": store.local(period.as_of).isoformat(timespec="seconds"),
        "consultant": person.name if person else None,
        "calls": {
            "total": sum(by_type.values()),
            "by_type": by_type,
            "by_outcome": by_outcome,
            "inquiries": inquiries,
            "transferred": transferred,
            "messages_taken": by_outcome.get("message_taken", 0),
            "messages_refused": by_outcome.get("message_refused", 0),
            "messages_returned": callbacks["returned"],
            "messages_returned_late": callbacks["late"],
        },
        "leads": {
            "new": new_total,
            "valid": valid_total,
            "invalid": invalid_total,
            "unchecked": new_total - valid_total - invalid_total,
            "by_channel": new_by,
            "valid_by_channel": valid_by,
            "invalid_by_channel": invalid_by,
            "by_source": by_source,
            "invalid_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        },
        "walk_ins": {
            "total": sum(walk_by_type.values()),
            "by_type": walk_by_type,
            "by_consultant": rotation_rows,
            "rotation_balance": balance,
        },
        "visits": prospect_visits,
        "trials": sum(n for n, _ in trial_values),
        "trials_attended": sum(a for _, a in trial_values),
        "enrollments": money(sum(f for _, f in enroll_values), enroll_count),
        "balances": money(sum(f for _, f in balance_values), sum(n for n, _ in balance_values)),
        "refunds": money(refunded_fen, sum(n for n, _ in refund_values)),
        "sales": DaySales(payments=paid, amount=yuan(paid["amount_fen"] - refunded_fen),
                          amount_fen=paid["amount_fen"] - refunded_fen),
        "follow_ups": {
            "done": sum(r["done"] for r in fu_kind.values()),
            "overdue": sum(r["overdue"] for r in fu_kind.values()),
            "by_kind": fu_kind,
        },
        "outreach": {kind: _outreach_counts(*outdoor.get(kind, (0, 0, 0))) for kind in OUTREACH_KINDS},
        "consultants": consultant_rows,
        "partners": partner_counts(partners),
        "checks": checks,
    }


def payments_by_consultant(moves: list[pay_dal.Movement]) -> dict[tuple[str, int | None], tuple[int, int]]:
    """(payment kind, the enrollment's consultant) -> (payments, fen) of the period's movements."""
    out: dict[tuple[str, int | None], tuple[int, int]] = {}
    for move in moves:
        n, fen = out.get((move.kind, move.consultant_id), (0, 0))
        out[(move.kind, move.consultant_id)] = (n + 1, fen + move.fen)
    return out


def partner_counts(figures: list[partners_dal.PartnerFigures]) -> list[PartnerCounts]:
    """The "by channel partner" rows of both reports."""
    return [
        {"name": f.name, "kind": f.kind, "calls": f.calls, "visits": f.visits, "new_leads": f.new_leads,
         "valid_leads": f.valid_leads, "enrollments": f.enrollments}
        for f in figures
    ]


def check_entries(store: Store, session, period: q.Period, only: int | None = None) -> list[CheckEntry]:
    """Every check of a marked lead made in the period (§4.5), oldest first; for one
    consultant, the checks of the leads they marked."""
    from desk.dal.notes import checks_in

    entries: list[CheckEntry] = []
    for c in checks_in(session, period.start, period.end):
        if only is not None and c.marked_by_id != only:
            continue
        entries.append({
            "at": store.local(c.at).strftime("%Y-%m-%d %H:%M"), "lead": c.lead_name, "flag": c.flag,
            "marked_by": c.marked_by, "checker": c.checker, "verdict": c.verdict, "note": c.note, "reasons": c.reasons,
        })
    return entries


def _outreach_counts(activities: int, new_leads: int, known: int) -> OutreachCounts:
    return {"activities": activities, "new_leads": new_leads, "known": known}
