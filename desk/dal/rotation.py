"""The fair rotation's memory: today's assignments per pool, and recording a new one.

The decision itself is ``desk.rules.rotation.pick_consultant``; this module only gathers its
inputs from the database (rotation order, who is free, today's counts, the last assigned)
and writes the assignment that follows a pick.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from desk.dal.ids import pk
from desk.dal.store import Store
from desk.models import RotationAssignment, Staff


@dataclass(frozen=True)
class RotationInputs:
    """Everything ``pick_consultant`` and ``explain`` need for one pool, by staff name."""

    order: list[str]
    available: set[str]
    counts: dict[str, int]
    last: str | None
    states: dict[str, str]
    ids: dict[str, int]


def inputs(session: Session, store: Store, pool: str) -> RotationInputs:
    people = session.exec(
        select(Staff).where(col(Staff.role) == "consultant", col(Staff.active) == True).order_by(col(Staff.rotation_position))  # noqa: E712
    ).all()
    names = {p.id: p.name for p in people}
    rows = session.exec(
        select(col(RotationAssignment.staff_id))
        .where(col(RotationAssignment.pool) == pool, col(RotationAssignment.day) == store.today())
        .order_by(col(RotationAssignment.id))
    ).all()
    counts = Counter(names[s] for s in rows if s in names)
    last = names.get(rows[-1]) if rows else None
    return RotationInputs(
        order=[p.name for p in people],
        available={p.name for p in people if p.state == "free"},
        counts={p.name: counts.get(p.name, 0) for p in people},
        last=last,
        states={p.name: p.state for p in people},
        ids={p.name: pk(p) for p in people},
    )


def pool_inputs(store: Store, pool: str) -> RotationInputs:
    with store.read() as session:
        return inputs(session, store, pool)


def pick(session: Session, store: Store, pool: str, *, anyone: bool = False) -> Staff | None:
    """The consultant the rotation gives the next ``pool`` lead to, or None if nobody is free.

    ``anyone``: a lead that waits for a call back (a list, an outdoor contact) rather than a
    caller on the line: when nobody is free, every active consultant shares it, as an import
    does after hours."""
    from desk.rules.rotation import pick_consultant

    data = inputs(session, store, pool)
    available = data.available or (set(data.order) if anyone else set())
    name = pick_consultant(order=data.order, available=available, counts=data.counts, last=data.last)
    return session.get(Staff, data.ids[name]) if name else None


def assign(
    session: Session,
    store: Store,
    pool: str,
    staff: Staff,
    *,
    lead_id: int | None = None,
    call_id: int | None = None,
    visit_id: int | None = None,
) -> RotationAssignment:
    """Record that ``staff`` got this ``pool`` lead today (on duty when alone on the floor)."""
    free = session.exec(
        select(col(Staff.id)).where(col(Staff.role) == "consultant", col(Staff.active) == True, col(Staff.on_duty) == True)  # noqa: E712
    ).all()
    row = RotationAssignment(
        pool=pool,
        staff_id=pk(staff),
        day=store.today(),
        assigned_at=store.now(),
        lead_id=lead_id,
        call_id=call_id,
        visit_id=visit_id,
        on_duty=len(free) <= 1,
    )
    session.add(row)
    store.audit(session, "assign", row)
    return row
