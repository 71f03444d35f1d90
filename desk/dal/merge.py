"""Merging two leads that are the same person (docs/domain.md §4.1: one person, one lead).

A person who calls from a new phone, or whose name was misspelt, becomes a second lead; the
owner of either, or a manager, folds the duplicate (``drop``) into the lead that stays
(``keep``). One write transaction:

* every row that points at the dropped lead points at the kept one: calls, visits, consult
  notes, follow-ups, trials, enrollments (their payments with them), lecture bookings,
  outreach contacts, rotation assignments, and other leads' referrer and merge pointers. A
  lecture booked for both keeps one booking (attended if either was); an activity that
  collected both keeps the kept lead's contact row;
* the kept lead learns the facts it lacks (name, age, education, course, school, source,
  partner, referrer, owner, phone; the yes/no facts a channel rule needs) and the earlier
  first contact; when both have phones, the kept lead keeps its own and the other number
  stays in the audit row (``other_phone``), since a lead holds one phone;
* the dropped lead keeps its row for the history, with ``merged_into_id`` set and its phone
  and search keys cleared: lookups, reports and lists no longer find or count it;
* the kept lead's validity is checked again; the audit says who merged which into which and
  how many rows of each kind moved.

Rows are moved with SQL ``UPDATE`` statements, never loaded one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlmodel import Session, col

from desk.dal.leads import LIVE, evaluate, refresh_keys
from desk.dal.lookup import CallerHit, _lead_hits, lookup
from desk.dal.ownership import is_manager
from desk.dal.store import Store, apply_changes
from desk.errors import DeskError
from desk.i18n import t
from desk.models import (
    Call,
    ConsultNote,
    Enrollment,
    FollowUp,
    Lead,
    LectureBooking,
    OutreachContact,
    Payment,
    RotationAssignment,
    Staff,
    Trial,
    Visit,
)

# What moves, in the order the confirmation lists it: kind -> the table's lead column.
_MOVED: dict[str, Any] = {
    "calls": Call.lead_id,
    "visits": Visit.lead_id,
    "notes": ConsultNote.lead_id,
    "follow_ups": FollowUp.lead_id,
    "trials": Trial.lead_id,
    "enrollments": Enrollment.lead_id,
    "rotation_assignments": RotationAssignment.lead_id,
}
KINDS = (*_MOVED, "payments", "lecture_bookings", "outreach_contacts", "referrals")

# Facts the kept lead takes from the dropped one when it does not know them.
_FILL = ("name", "age", "school_or_job", "course_interest", "media_source", "partner_id", "referred_by_id",
         "referred_by_staff_id", "owner_id", "collector_id")  # fmt: skip
_YES_NO = ("it_related", "has_contact", "phone_contacted", "brought_in_person", "came_after_questionnaire")


@dataclass(frozen=True)
class MergeSide:
    id: int
    name: str
    phone: str | None
    owner: str | None


@dataclass(frozen=True)
class MergePlan:
    """The two leads and how many rows of each kind (:data:`KINDS`) would move."""

    keep: MergeSide
    drop: MergeSide
    counts: dict[str, int]


@dataclass(frozen=True)
class Merged:
    keep_id: int
    drop_id: int
    counts: dict[str, int]
    other_phone: str | None  # the dropped lead's phone, when the kept lead kept its own


def plan(store: Store, keep_id: int, drop_id: int) -> MergePlan:
    """What merging ``drop_id`` into ``keep_id`` would move (for the confirmation); raises
    DeskError as :func:`merge_leads` would for leads that cannot be merged."""
    with store.read() as session:
        keep, drop = _pair(session, keep_id, drop_id)
        owners = dict(session.execute(select(col(Staff.id), col(Staff.name))).all())
        counts = {kind: session.execute(select(func.count()).where(column == drop_id)).scalar_one()
                  for kind, column in _MOVED.items()}  # fmt: skip
        counts["payments"] = _count(session, select(func.count()).select_from(Payment).join(
            Enrollment, col(Enrollment.id) == col(Payment.enrollment_id)).where(col(Enrollment.lead_id) == drop_id))
        counts["lecture_bookings"] = _count(session, select(func.count()).where(col(LectureBooking.lead_id) == drop_id))
        counts["outreach_contacts"] = _count(session, select(func.count()).where(col(OutreachContact.lead_id) == drop_id))
        counts["referrals"] = _count(session, select(func.count()).where(col(Lead.referred_by_id) == drop_id))

        def side(lead: Lead) -> MergeSide:
            return MergeSide(lead.id or 0, lead.name or "", lead.phone, owners.get(lead.owner_id))

        return MergePlan(side(keep), side(drop), counts)


def candidates(store: Store, keep_id: int, query: str, limit: int = 8) -> list[tuple[CallerHit, bool]]:
    """Leads that may be the same person as ``keep_id``, each with whether it is flagged
    ``repeat``: those ``query`` finds (a phone or a name, as the caller lookup reads it),
    repeat leads first; the lead itself and staff are left out. An empty query lists the
    repeat leads."""
    hits = [hit for hit in lookup(store, query, limit) if hit.kind != "staff"] if query.strip() else []
    with store.read() as session:
        repeats = set(session.execute(
            select(col(Lead.id)).where(col(Lead.flag) == "repeat", LIVE)
        ).scalars())  # fmt: skip
        if not query.strip() and repeats:
            leads = session.execute(select(Lead).where(col(Lead.id).in_(repeats)).limit(limit)).scalars().all()
            hits = _lead_hits(session, list(leads))
    marked = [(hit, hit.id in repeats) for hit in hits if hit.id != keep_id]
    return sorted(marked, key=lambda pair: not pair[1])


def merge_leads(store: Store, keep_id: int, drop_id: int, by: Staff | None) -> Merged:
    """Fold lead ``drop_id`` into lead ``keep_id`` for ``by`` (the owner of either, or a
    manager): one transaction, audited; DeskError (one line, nothing written) when refused."""
    with store.write() as session:
        keep, drop = _pair(session, keep_id, drop_id)
        actor = session.get(Staff, by.id) if by is not None and by.id is not None else None
        if actor is None or not actor.active:
            raise DeskError(t("merge.err_no_staff"))
        if not is_manager(actor) and actor.id not in (keep.owner_id, drop.owner_id):
            raise DeskError(t("merge.err_not_allowed", name=actor.name))
        counts = _move_rows(session, keep_id, drop_id)
        other_phone = drop.phone if keep.phone and drop.phone else None
        learned, drop_changes = _fold(session, keep, drop)
        drop.updated_at = keep.updated_at = store.now()
        store.audit(session, "merged_into", drop, drop_changes, reason=f"merged into lead {keep_id}")
        store.audit(session, "merge_lead", keep, {**learned, "dropped_id": drop_id, "moved": counts,
                                                  "other_phone": other_phone}, reason=f"lead {drop_id} merged in")
        evaluate(session, store, keep)
        return Merged(keep_id, drop_id, counts, other_phone)


def _count(session: Session, query) -> int:
    return int(session.execute(query).scalar_one())


def _rows(session: Session, statement) -> int:
    """How many rows an UPDATE changed."""
    return cast(CursorResult, session.execute(statement)).rowcount


def _pair(session: Session, keep_id: int, drop_id: int) -> tuple[Lead, Lead]:
    if keep_id == drop_id:
        raise DeskError(t("merge.err_same"))
    keep, drop = session.get(Lead, keep_id), session.get(Lead, drop_id)
    for lead_id, lead in ((keep_id, keep), (drop_id, drop)):
        if lead is None:
            raise DeskError(t("merge.err_no_lead", id=lead_id))
        if lead.merged_into_id is not None:
            raise DeskError(t("merge.err_merged", id=lead_id, into=lead.merged_into_id))
    assert keep is not None and drop is not None  # checked above
    return keep, drop


def _move_rows(session: Session, keep_id: int, drop_id: int) -> dict[str, int]:
    """Point every row of the dropped lead at the kept one; {kind: rows moved}."""
    counts: dict[str, int] = {}
    counts["payments"] = _count(session, select(func.count()).select_from(Payment).join(
        Enrollment, col(Enrollment.id) == col(Payment.enrollment_id)).where(col(Enrollment.lead_id) == drop_id))
    for kind, column in _MOVED.items():
        table = column.class_.__table__
        counts[kind] = _rows(session, update(table).where(column == drop_id).values(lead_id=keep_id))

    # one booking per lecture and lead: where both are booked, the kept booking stays,
    # attended if either was; then the dropped lead's other bookings move
    bookings = LectureBooking.__table__  # type: ignore[attr-defined]  # SQLAlchemy sets it on every table class
    kept_lectures = select(bookings.c.lecture_id).where(bookings.c.lead_id == keep_id).scalar_subquery()
    attended = select(bookings.c.lecture_id).where(bookings.c.lead_id == drop_id, bookings.c.attended == True)  # noqa: E712
    session.execute(update(bookings).where(bookings.c.lead_id == keep_id, bookings.c.lecture_id.in_(attended.scalar_subquery()))
                    .values(attended=True))
    session.execute(delete(bookings).where(bookings.c.lead_id == drop_id, bookings.c.lecture_id.in_(kept_lectures)))
    counts["lecture_bookings"] = _rows(session, update(bookings).where(bookings.c.lead_id == drop_id).values(lead_id=keep_id))

    contacts = OutreachContact.__table__  # type: ignore[attr-defined]  # as above
    kept_outreach = select(contacts.c.outreach_id).where(contacts.c.lead_id == keep_id).scalar_subquery()
    session.execute(delete(contacts).where(contacts.c.lead_id == drop_id, contacts.c.outreach_id.in_(kept_outreach)))
    counts["outreach_contacts"] = _rows(session, update(contacts).where(contacts.c.lead_id == drop_id).values(lead_id=keep_id))

    leads = Lead.__table__  # type: ignore[attr-defined]  # as above
    others = leads.c.id.not_in((keep_id, drop_id))
    counts["referrals"] = _rows(session, update(leads).where(leads.c.referred_by_id == drop_id, others).values(referred_by_id=keep_id))
    session.execute(update(leads).where(leads.c.merged_into_id == drop_id, others).values(merged_into_id=keep_id))
    return {kind: counts[kind] for kind in KINDS}


def _fold(session: Session, keep: Lead, drop: Lead) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The kept lead takes the facts it lacks; the dropped one points at it and lets go of its
    phone and search keys. Returns the changes of each."""
    fill: dict[str, Any] = {}
    for name in _FILL:
        value = getattr(drop, name)
        if getattr(keep, name) in (None, "") and value not in (None, ""):
            fill[name] = value
    if fill.get("referred_by_id") == keep.id:  # referred by their own duplicate: by nobody known
        del fill["referred_by_id"]
    if keep.referred_by_id == drop.id:
        fill["referred_by_id"] = drop.referred_by_id if drop.referred_by_id != keep.id else None
    if keep.education in (None, "", "unknown") and drop.education not in (None, "", "unknown"):
        fill["education"] = drop.education
    fill.update({name: True for name in _YES_NO if getattr(drop, name) and not getattr(keep, name)})
    if keep.stage == "lead" and drop.stage != "lead":
        fill["stage"] = drop.stage
    if _aware(drop.first_contact_at) < _aware(keep.first_contact_at):
        fill["first_contact_at"] = drop.first_contact_at
    phone = drop.phone
    # the phone is unique: the dropped lead lets go of it before the kept lead may take it
    drop_changes = apply_changes(drop, {"merged_into_id": keep.id, "phone": None})
    drop.phone_digits = drop.name_pinyin = drop.name_initials = None
    drop.name_pinyin_other = drop.name_initials_other = None
    session.add(drop)
    session.flush()
    if not keep.phone and phone:
        fill["phone"] = phone
    changes = apply_changes(keep, fill)
    refresh_keys(keep)
    session.add(keep)
    session.flush()
    return changes, drop_changes


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def moves_text(counts: dict[str, int]) -> str:
    """The rows that move, worded for the confirmation and the CLI ("3 calls, 1 visit")."""
    parts = [t(f"merge.kind.{kind}", n=counts[kind]) for kind in KINDS if counts.get(kind)]
    return ", ".join(parts) or t("merge.nothing")
