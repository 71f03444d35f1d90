"""Who owns a lead when the rules of docs/domain.md §5 do not say: the manager decides (reassign).

The rotation, duty, repeat, referral and outdoor rules give every lead its consultant; what
falls outside them (a lecture attendee or an imported lead with nobody, a consultant who
leaves, a dispute) is the supervisor's call. ``reassign`` makes that call one transaction:
the lead's owner, its open follow-ups with it, and the audit rows that say who decided it
and why. Results already earned stay where they were earned: enrollments, payments and
trials carry their own consultant, and done follow-ups keep the owner who did them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, func, select

from desk.dal.identity import require
from desk.dal.ids import pk
from desk.dal.store import Store
from desk.errors import FieldError
from desk.models import FollowUp, Lead, RotationAssignment, Staff
from desk.models.staff import MANAGER_ROLES
from desk.rules.access import Action
from desk.rules.followups import OWNER_MANAGER

# Follow-up kinds that belong to the manager whoever owns the lead (docs/domain.md §7.4): not moved.
_MANAGER_KINDS = tuple(kind.value for kind in OWNER_MANAGER)


@dataclass(frozen=True)
class LeadOwner:
    """What the reassign dialog shows about the lead before the manager picks."""

    lead_id: int
    name: str
    phone: str | None
    owner_id: int | None
    owner: str | None
    open_follow_ups: int


@dataclass(frozen=True)
class Candidate:
    """An active consultant the lead can go to, with today's load to choose by."""

    id: int
    name: str
    state: str
    assigned_today: int  # leads the rotation (or duty) gave them today, every pool
    open_follow_ups: int


@dataclass(frozen=True)
class Reassigned:
    lead_id: int
    name: str
    phone: str | None
    old_owner: str | None
    new_owner: str
    moved: int  # open follow-ups that went with the lead


@dataclass(frozen=True)
class Unowned:
    """A lead nobody owns that is owed something: the manager's list to assign."""

    lead_id: int
    name: str
    phone: str | None
    open_follow_ups: int
    first_due: datetime


def is_manager(staff: Staff | None) -> bool:
    return staff is not None and staff.active and staff.role in MANAGER_ROLES


def lead_owner(store: Store, lead_id: int) -> LeadOwner | None:
    with store.read() as session:
        row = session.execute(  # SQLAlchemy's select: SQLModel's is typed for four columns at most
            sa.select(col(Lead.id), col(Lead.name), col(Lead.phone), col(Lead.owner_id), col(Staff.name))
            .join(Staff, col(Staff.id) == col(Lead.owner_id), isouter=True)
            .where(col(Lead.id) == lead_id)
        ).first()
        if row is None:
            return None
        open_n = session.exec(
            select(func.count()).select_from(FollowUp).where(col(FollowUp.lead_id) == lead_id, col(FollowUp.done_at).is_(None))
        ).one()
    id_, name, phone, owner_id, owner = row
    return LeadOwner(id_, name or "", phone, owner_id, owner, open_n)


def candidates(store: Store) -> list[Candidate]:
    """Active consultants in rotation order, each with today's assignments and open follow-ups."""
    with store.read() as session:
        people = session.exec(
            select(col(Staff.id), col(Staff.name), col(Staff.state))
            .where(col(Staff.role) == "consultant", col(Staff.active) == True)  # noqa: E712
            .order_by(col(Staff.rotation_position).is_(None), col(Staff.rotation_position), col(Staff.name))
        ).all()
        today = Counter(dict(session.exec(
            select(col(RotationAssignment.staff_id), func.count())
            .where(col(RotationAssignment.day) == store.today())
            .group_by(col(RotationAssignment.staff_id))
        ).all()))
        open_n = Counter(dict(session.exec(
            select(col(FollowUp.owner_id), func.count())
            .where(col(FollowUp.done_at).is_(None), col(FollowUp.owner_id).is_not(None))
            .group_by(col(FollowUp.owner_id))
        ).all()))
    # Staff ids are primary keys, never None; the filter says so to mypy.
    return [Candidate(id_, name, state, today[id_], open_n[id_]) for id_, name, state in people if id_ is not None]


def reassign(store: Store, lead_id: int, new_owner_id: int | None, reason: str) -> Reassigned:
    """Give the lead to ``new_owner_id`` for ``reason``, decided by the manager at the keyboard.

    One transaction: the lead's owner; its open follow-ups (but a complaint, which is the
    manager's) move with it; an audit row "reassign" on the lead with the old and new owner
    and the reason, and one on each moved follow-up. Raises :class:`FieldError` (field
    ``actor``, ``lead``, ``owner`` or ``reason``) and changes nothing on bad input."""
    reason = (reason or "").strip()
    with store.write() as session:
        actor = session.get(Staff, store.actor_id) if store.actor_id is not None else None
        if not is_manager(actor):
            raise FieldError("actor", "reassign.err_not_manager")
        require(session, store, Action.REASSIGN)
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise FieldError("lead", "reassign.err_no_lead", id=lead_id)
        new = session.get(Staff, new_owner_id) if new_owner_id is not None else None
        if new is None:
            raise FieldError("owner", "reassign.err_pick")
        if new.role != "consultant" or not new.active:
            raise FieldError("owner", "reassign.err_not_consultant", name=new.name)
        if lead.owner_id == new.id:
            raise FieldError("owner", "reassign.err_same", name=new.name)
        if not reason:
            raise FieldError("reason", "reassign.err_reason")
        old = session.get(Staff, lead.owner_id) if lead.owner_id is not None else None
        changes = {"owner_id": [lead.owner_id, new.id]}
        lead.owner_id = new.id
        lead.updated_at = store.now()
        session.add(lead)
        store.audit(session, "reassign", lead, changes, reason=reason)
        moving = session.exec(
            select(FollowUp).where(
                col(FollowUp.lead_id) == lead.id, col(FollowUp.done_at).is_(None), col(FollowUp.kind).not_in(_MANAGER_KINDS),
                col(FollowUp.owner_id).is_distinct_from(new.id),  # NULL (nobody's) included
            )
        ).all()
        for row in moving:
            store.audit(session, "reassign", row, {"owner_id": [row.owner_id, new.id]}, reason=reason)
            row.owner_id = new.id
            session.add(row)
        return Reassigned(pk(lead), lead.name or "", lead.phone, old.name if old else None, new.name, len(moving))


def unowned(store: Store, limit: int = 200) -> list[Unowned]:
    """Leads with no owner that have open follow-ups, the longest-waiting first."""
    with store.read() as session:
        rows = session.execute(  # SQLAlchemy's select: SQLModel's is typed for four columns at most
            sa.select(col(Lead.id), col(Lead.name), col(Lead.phone), func.count(col(FollowUp.id)), func.min(col(FollowUp.due_at)))
            .join(FollowUp, col(FollowUp.lead_id) == col(Lead.id))
            .where(col(Lead.owner_id).is_(None), col(FollowUp.done_at).is_(None))
            .group_by(col(Lead.id), col(Lead.name), col(Lead.phone))
            .order_by(func.min(col(FollowUp.due_at)), col(Lead.id))
            .limit(limit)
        ).all()
    return [Unowned(id_, name or "", phone, n, first) for id_, name, phone, n, first in rows]
