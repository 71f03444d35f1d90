"""Report queries: every figure of ``desk report`` and the dashboard, as SQL aggregates.

Each function takes a :class:`Period` (local days ``first``..``last`` inclusive, turned into
aware instants by the store's clock). A table the reports split several ways (calls, leads,
visits, enrollments, follow-ups, outdoor promotion) is read once, grouped by every key its
sections need, into an object whose views (``by_consultant``, ``by_partner``, ...) are plain
dicts keyed by the values of the models (call types, channels, visitor types ...) or by staff
id. Nothing here loops over the rows of a big table in Python: the database counts and sums
(GROUP BY over index ranges), and only small results (one row per combination of keys, per
refund) come back; the register is the exception, one row per inquiry call by definition.
Building the report document out of these is ``desk.reporting``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, case, exists, func, literal, or_, select, union_all
from sqlmodel import Session, col

from desk.dal.store import Store
from desk.models import (
    AuditEntry,
    Call,
    ConsultNote,
    Enrollment,
    FollowUp,
    Lead,
    Outreach,
    OutreachContact,
    OutreachStaff,
    Partner,
    Payment,
    RotationAssignment,
    Staff,
    Trial,
    Visit,
)
from desk.rules.calls import INQUIRY_TYPES


@dataclass(frozen=True)
class Period:
    """Local calendar days ``first``..``last`` (inclusive) and the instants they span."""

    first: date
    last: date
    start: datetime
    end: datetime  # exclusive: the start of the day after ``last``
    as_of: datetime  # "overdue" is judged at this instant: the end of the period, or now

    @classmethod
    def of(cls, store: Store, first: date, last: date | None = None) -> Period:
        last = last or first
        start = store.day_bounds(first)[0]
        end = store.day_bounds(last)[1]
        return cls(first, last, start, end, min(end, store.now()))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def _in(column, period: Period | None = None):
    """``column`` within the period: its bounds, or (no ``period``) the ``start`` and ``end``
    parameters a statement built once is run with (:func:`_rows`)."""
    if period is None:
        return and_(column >= bindparam("start"), column < bindparam("end"))
    return and_(column >= period.start, column < period.end)


@dataclass
class Consultant:
    """A consultant as the reports show them: read as columns, not as a ``Staff`` row."""

    id: int | None  # as the models declare it, so desk.dal.ids.pk reads it
    name: str
    english_name: str | None
    active: bool
    is_new: bool
    created_at: datetime  # on the roster since (the month-end's grade warnings)


def consultants(session: Session) -> list[Consultant]:
    """Consultants in the fixed rotation order, the inactive ones last."""
    return [Consultant(*row) for row in session.connection().execute(_consultants_query()).all()]


@cache
def _consultants_query():
    return (
        select(col(Staff.id), col(Staff.name), col(Staff.english_name), col(Staff.active), col(Staff.is_new),
               col(Staff.created_at))
        .where(col(Staff.role) == "consultant")
        .order_by(col(Staff.active).desc(), col(Staff.rotation_position).is_(None), col(Staff.rotation_position), col(Staff.name))
    )


# -- the day report's figures: one grouped aggregate per table ------------------------------
#
# Each function below reads one table's rows of the period once, grouped by every key a
# section of the reports splits them by (type, consultant, partner, ...); the report then
# adds up the few rows it gets back for each of its tables. Reading a table once per figure
# instead (29 statements a day report) cost more in statement overhead than the database
# spent counting (issue 16).


def _unindexed(column):
    """``column`` as an expression no index answers (``coalesce(c, c)`` is ``c``), for a
    condition beside the period's range: without statistics (a new center, a table that grew
    since the last ANALYZE) SQLite may read by the condition's index instead of the range,
    i.e. the whole history of that value."""
    return func.coalesce(column, column)


def _add(into: dict, key, values: tuple) -> None:
    """Add ``values`` element-wise to ``into[key]`` (a tuple of the same length)."""
    old = into.get(key)
    into[key] = values if old is None else tuple(a + b for a, b in zip(old, values, strict=True))


def _rows(session: Session, query, period: Period) -> list:
    """The rows of ``query`` for ``period`` (its ``start``, ``end``, ``as_of``, ``first`` and
    ``last`` parameters). Each query is built once (``@cache``) and run with the period as
    parameters: building a statement and its cache key anew each time cost ~0.3-0.8 ms, more
    than most of these take to run. On the session's connection, without the ORM's result
    machinery, which plain aggregates do not need."""
    bounds = {"start": period.start, "end": period.end, "as_of": period.as_of, "first": period.first, "last": period.last}
    return list(session.connection().execute(query, bounds).all())


@dataclass(frozen=True)
class Calls:
    """The period's calls by (call type, outcome, consultant put through to, partner named)."""

    counts: dict[tuple[str, str | None, int | None, int | None], int]

    def by_type_outcome(self, staff_id: int | None = None) -> dict[tuple[str, str | None], int]:
        out: dict[tuple[str, str | None], int] = {}
        for (call_type, outcome, to, _partner), n in self.counts.items():
            if staff_id is None or to == staff_id:
                out[(call_type, outcome)] = out.get((call_type, outcome), 0) + n
        return out

    def by_consultant(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for (_type, _outcome, to, _partner), n in self.counts.items():
            if to is not None:
                out[to] = out.get(to, 0) + n
        return out

    def by_partner(self, staff_id: int | None = None) -> dict[int, int]:
        out: dict[int, int] = {}
        for (_type, _outcome, to, partner), n in self.counts.items():
            if partner is not None and (staff_id is None or to == staff_id):
                out[partner] = out.get(partner, 0) + n
        return out


@cache
def _calls_query():
    keys = (col(Call.call_type), col(Call.outcome), col(Call.to_staff_id), col(Call.partner_id))
    return select(*keys, func.count()).where(_in(col(Call.started_at))).group_by(*keys)


def calls(session: Session, period: Period) -> Calls:
    return Calls({(t, o, to, p): n for t, o, to, p, n in _rows(session, _calls_query(), period)})


# -- leads ---------------------------------------------------------------------------------


def lead_owner_then(session: Session, period: Period):
    """The column a lead of ``period`` counts for: its owner at its first contact.

    A lead is counted once, in the period of its first contact, for the consultant the rules
    of docs/domain.md §5 gave it then ("counts for them"); a manager's reassignment (desk.dal.ownership)
    changes the owner from then on only, so a report re-run after it says what it said before.
    The owner at that moment is the old owner of the first "reassign" audit row on the lead
    after it, or the current owner when there is none. Reassignments are rare: one query
    reads the reassign rows of the period's leads (index ``ix_audit_action_row``, so an old
    period does not scan the audit written since), and the few leads they moved become a
    CASE over ``Lead.id``; without any, this is ``Lead.owner_id`` itself and the queries keep
    their plans.
    """
    then: dict[int, int | None] = {}
    for lead_id, changes in _rows(session, _reassigned_query(), period):
        if lead_id not in then:  # the first reassignment after the first contact
            then[lead_id] = json.loads(changes)["owner_id"][0]
    return case(then, value=col(Lead.id), else_=col(Lead.owner_id)) if then else col(Lead.owner_id)


@cache
def _reassigned_query():
    return (
        select(col(AuditEntry.row_id), col(AuditEntry.changes))
        .join(Lead, col(Lead.id) == col(AuditEntry.row_id))
        .where(
            col(AuditEntry.action) == "reassign",
            col(AuditEntry.table_name) == Lead.__tablename__,
            _in(col(Lead.first_contact_at)),
            col(AuditEntry.at) > col(Lead.first_contact_at),
        )
        .order_by(col(AuditEntry.row_id), col(AuditEntry.at), col(AuditEntry.id))
    )


# (channel, media source, verdict, reasons (of an invalid lead, else None), owner at first
# contact, partner, live: not merged into another lead)
LeadKey = tuple[str, str | None, bool | None, str | None, int | None, int | None, bool]


@dataclass(frozen=True)
class Leads:
    """The period's new leads (first contact in it) by :data:`LeadKey`.

    A lead merged into another (desk.dal.merge) is counted as the lead it went into, not
    again: every figure but the partners' counts the live ones only (the partners' counted
    merged leads too before these were one statement, and still do). With ``staff_id``, the
    leads that count for them (:func:`lead_owner_then`).
    """

    counts: dict[LeadKey, int]

    def _live(self, staff_id: int | None):
        for key, n in self.counts.items():
            if key[6] and (staff_id is None or key[4] == staff_id):
                yield key, n

    def by_channel(self, staff_id: int | None = None) -> dict[tuple[str, bool | None], int]:
        """(channel, verdict) -> leads."""
        out: dict[tuple[str, bool | None], int] = {}
        for (channel, _source, valid, *_rest), n in self._live(staff_id):
            out[(channel, valid)] = out.get((channel, valid), 0) + n
        return out

    def by_source(self, staff_id: int | None = None) -> dict[tuple[str | None, bool | None], int]:
        """(media source, verdict) -> leads."""
        out: dict[tuple[str | None, bool | None], int] = {}
        for (_channel, source, valid, *_rest), n in self._live(staff_id):
            out[(source, valid)] = out.get((source, valid), 0) + n
        return out

    def invalid_reasons(self, staff_id: int | None = None) -> dict[str, int]:
        """Every failed rule code of the invalid leads, counted; only the distinct stored
        reason lists (a handful) are split here."""
        counts: Counter[str] = Counter()
        for (_channel, _source, valid, reasons, *_rest), n in self._live(staff_id):
            if valid is not False:
                continue
            try:
                codes = json.loads(reasons or "[]")
            except ValueError:
                codes = []
            for code in codes or ["unknown"]:
                counts[str(code)] += n
        return dict(counts)

    def valid_by_owner(self) -> dict[int, int]:
        """consultant -> the valid leads that count for them."""
        out: dict[int, int] = {}
        for (_channel, _source, valid, _reasons, owner, _partner, _live), n in self._live(None):
            if valid is True and owner is not None:
                out[owner] = out.get(owner, 0) + n
        return out

    def by_partner(self, staff_id: int | None = None) -> dict[int, tuple[int, int]]:
        """partner -> (leads, of them valid), merged ones included."""
        out: dict[int, tuple[int, int]] = {}
        for (_channel, _source, valid, _reasons, owner, partner, _live), n in self.counts.items():
            if partner is not None and (staff_id is None or owner == staff_id):
                _add(out, partner, (n, n if valid is True else 0))
        return out


def leads(session: Session, period: Period, owner=None) -> Leads:
    """The period's leads by :data:`LeadKey`, read by the first_contact_at range; ``owner``:
    :func:`lead_owner_then` of the period, when the caller already has it."""
    owner = lead_owner_then(session, period) if owner is None else owner
    query = _leads_query() if owner is Lead.owner_id else _leads_select(owner)  # a CASE of the reassigned leads: built anew
    return Leads({(c, s, v, r, o, p, bool(alive)): n for c, s, v, r, o, p, alive, n in _rows(session, query, period)})


@cache
def _leads_query():
    return _leads_select(col(Lead.owner_id))


def _leads_select(owner):
    reasons = case((col(Lead.valid) == False, col(Lead.validity_reasons)))  # noqa: E712
    live = col(Lead.merged_into_id).is_(None)  # a key, not a condition: no index is offered it
    keys = (col(Lead.channel), col(Lead.media_source), col(Lead.valid), reasons, owner, col(Lead.partner_id), live)
    return select(*keys, func.count()).where(_in(col(Lead.first_contact_at))).group_by(*keys)


# -- visits, trials, money -----------------------------------------------------------------


@dataclass(frozen=True)
class Visits:
    """The period's visits by (visitor type, consultant who received them, partner named) ->
    (visits, of which by a known lead)."""

    counts: dict[tuple[str, int | None, int | None], tuple[int, int]]

    def by_type(self, staff_id: int | None = None) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for (visitor_type, by, _partner), values in self.counts.items():
            if staff_id is None or by == staff_id:
                _add(out, visitor_type, values)
        return out

    def by_consultant(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for (_type, by, _partner), (n, _known) in self.counts.items():
            if by is not None:
                out[by] = out.get(by, 0) + n
        return out

    def by_partner(self, staff_id: int | None = None) -> dict[int, int]:
        out: dict[int, int] = {}
        for (_type, by, partner), (n, _known) in self.counts.items():
            if partner is not None and (staff_id is None or by == staff_id):
                out[partner] = out.get(partner, 0) + n
        return out


@cache
def _visits_query():
    keys = (col(Visit.visitor_type), col(Visit.received_by_id), col(Visit.partner_id))
    return select(*keys, func.count(), func.count(col(Visit.lead_id))).where(_in(col(Visit.arrived_at))).group_by(*keys)


def visits(session: Session, period: Period) -> Visits:
    return Visits({(t, by, p): (n, known) for t, by, p, n, known in _rows(session, _visits_query(), period)})


@cache
def _rotation_query():
    return (
        select(col(RotationAssignment.pool), col(RotationAssignment.staff_id), func.count())
        .where(col(RotationAssignment.day) >= bindparam("first"), col(RotationAssignment.day) <= bindparam("last"))
        .group_by(col(RotationAssignment.pool), col(RotationAssignment.staff_id))
    )


def rotation_counts(session: Session, period: Period) -> dict[tuple[str, int], int]:
    return {(p, s): n for p, s, n in _rows(session, _rotation_query(), period)}


@cache
def _trials_query():
    attended = func.coalesce(func.sum(case((col(Trial.attended) == True, 1), else_=0)), 0)  # noqa: E712
    return select(col(Trial.consultant_id), func.count(), attended).where(_in(col(Trial.booked_for))).group_by(col(Trial.consultant_id))


def trials_by_consultant(session: Session, period: Period) -> dict[int | None, tuple[int, int]]:
    """consultant -> (trial classes booked for the period, of which attended)."""
    return {c: (n, int(a)) for c, n, a in _rows(session, _trials_query(), period)}


@dataclass(frozen=True)
class Enrollments:
    """The period's enrollments by (consultant, the lead's partner) -> (enrollments, tuition in fen)."""

    counts: dict[tuple[int | None, int | None], tuple[int, int]]

    def by_consultant(self) -> dict[int | None, tuple[int, int]]:
        out: dict[int | None, tuple[int, int]] = {}
        for (consultant, _partner), values in self.counts.items():
            _add(out, consultant, values)
        return out

    def by_partner(self, staff_id: int | None = None) -> dict[int, int]:
        out: dict[int, int] = {}
        for (consultant, partner), (n, _fen) in self.counts.items():
            if partner is not None and (staff_id is None or consultant == staff_id):
                out[partner] = out.get(partner, 0) + n
        return out


@cache
def _enrollments_query():
    keys = (col(Enrollment.consultant_id), col(Lead.partner_id))
    return (
        select(*keys, func.count(), func.coalesce(func.sum(col(Enrollment.amount_fen)), 0))
        .select_from(Enrollment)
        .outerjoin(Lead, col(Lead.id) == col(Enrollment.lead_id))
        .where(_in(col(Enrollment.enrolled_at)))
        .group_by(*keys)
    )


def enrollments(session: Session, period: Period) -> Enrollments:
    return Enrollments({(c, p): (n, int(fen)) for c, p, n, fen in _rows(session, _enrollments_query(), period)})


def partner_counts(calls: Calls, visits: Visits, leads: Leads, enrollments: Enrollments,
                   staff_id: int | None = None) -> dict[int, tuple[int, int, int, int, int]]:
    """partner id -> (calls naming it, visits naming it, its new leads, of them valid, its
    leads' enrollments) of the period; with ``staff_id``, the calls put through to them, the
    visitors they received, the leads that count for them and their enrollments."""
    out: dict[int, tuple[int, int, int, int, int]] = {}
    for partner, n in calls.by_partner(staff_id).items():
        _add(out, partner, (n, 0, 0, 0, 0))
    for partner, n in visits.by_partner(staff_id).items():
        _add(out, partner, (0, n, 0, 0, 0))
    for partner, (n, valid) in leads.by_partner(staff_id).items():
        _add(out, partner, (0, 0, n, valid, 0))
    for partner, n in enrollments.by_partner(staff_id).items():
        _add(out, partner, (0, 0, 0, 0, n))
    return out


# -- follow-ups ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUps:
    """(kind, owner) -> (done in the period, overdue at ``period.as_of``), and owner ->
    (callbacks due in the period, returned, returned late or not yet and late)."""

    counts: dict[tuple[str, int | None], tuple[int, int]]
    callbacks: dict[int | None, tuple[int, int, int]]

    def messages(self, staff_id: int | None = None) -> dict[str, int]:
        """Messages taken in the period (callback follow-ups due in it): returned, late, pending."""
        picked = [v for owner, v in self.callbacks.items() if staff_id is None or owner == staff_id]
        return {"total": sum(v[0] for v in picked), "returned": sum(v[1] for v in picked), "late": sum(v[2] for v in picked)}


def follow_ups(session: Session, period: Period) -> FollowUps:
    """Every follow-up figure of the period in one statement (a UNION ALL of three grouped parts).

    Overdue at ``as_of`` is due before it and not done by it: the ones still open (by
    ``ix_follow_up_open_due``) and the ones done after it (a range of the ``done_at`` index),
    counted apart and added up. Asked as one condition (``done_at IS NULL OR done_at >
    as_of``) the database read every follow-up ever due, so the day report grew with history.
    """
    counts: dict[tuple[str, int | None], tuple[int, int]] = {}
    callbacks: dict[int | None, tuple[int, int, int]] = {}
    for part, row_kind, row_owner, n, returned, late_n in _rows(session, _follow_ups_query(), period):
        if part == "callback":
            callbacks[row_owner] = (n, returned, int(late_n))
        else:
            _add(counts, (row_kind, row_owner), (n, 0) if part == "done" else (0, n))
    return FollowUps(counts, callbacks)


@cache
def _follow_ups_query():
    kind, owner = col(FollowUp.kind), col(FollowUp.owner_id)
    zero = literal(0)
    done = select(literal("done").label("part"), kind, owner, func.count().label("n"), zero, zero) \
        .where(_in(col(FollowUp.done_at))).group_by(kind, owner)
    due = col(FollowUp.due_at) < bindparam("as_of")
    still_open = select(kind, owner).where(col(FollowUp.done_at).is_(None), due)
    # SQLite would otherwise read ix_follow_up_due_at (every follow-up due before as_of, i.e.
    # history) instead of the done_at range after as_of, the two bounds being alike to it.
    due_unindexed = _unindexed(col(FollowUp.due_at)) < bindparam("as_of")
    done_later = select(kind, owner).where(col(FollowUp.done_at) > bindparam("as_of"), due_unindexed)
    late_rows = union_all(still_open, done_later).subquery()
    overdue = select(literal("overdue"), late_rows.c.kind, late_rows.c.owner_id, func.count(), zero, zero) \
        .group_by(late_rows.c.kind, late_rows.c.owner_id)
    late = or_(col(FollowUp.done_at) > col(FollowUp.due_at), and_(col(FollowUp.done_at).is_(None), due))
    # the callbacks due in the period by the due_at range, not ix_follow_up_kind (every callback ever)
    callback = select(literal("callback"), literal("callback"), owner, func.count(), func.count(col(FollowUp.done_at)),
                      func.coalesce(func.sum(case((late, 1), else_=0)), 0)) \
        .where(_unindexed(kind) == "callback", _in(col(FollowUp.due_at))).group_by(owner)
    return union_all(done, overdue, callback)


# -- outdoor promotion ---------------------------------------------------------------------


@dataclass(frozen=True)
class OutreachFigures:
    """The activities held on the period's days and the contacts collected there."""

    held: list[tuple[int, str, int | None]]  # (activity, kind, a staff member who ran it, or None)
    contacts: dict[tuple[str, bool, int], int]  # (kind, a new lead?, collector) -> contacts

    def by_kind(self, staff_id: int | None = None) -> dict[str, tuple[int, int, int]]:
        """Activity kind -> (activities, new leads collected there, contacts desk already
        knew); with ``staff_id``, the activities they ran and what they collected."""
        activities: dict[str, set[int]] = {}
        for activity, kind, ran in self.held:
            if staff_id is None or ran == staff_id:
                activities.setdefault(kind, set()).add(activity)
        out = {kind: [len(ids), 0, 0] for kind, ids in activities.items()}
        for (kind, new, collector), n in self.contacts.items():
            if staff_id is None or collector == staff_id:
                out.setdefault(kind, [0, 0, 0])[1 if new else 2] += n
        return {kind: (a, b, c) for kind, (a, b, c) in out.items()}

    def by_staff(self) -> dict[int, tuple[int, int, int, int]]:
        """staff id -> (street promotions run, new contacts collected there, other activities
        run, forms collected there): the figures of the daily targets (docs/domain.md §7.5)."""
        from desk.rules.outreach import STREET

        out: dict[int, tuple[int, int, int, int]] = {}
        for _activity, kind, ran in self.held:
            if ran is not None:
                _add(out, ran, (1, 0, 0, 0) if kind == STREET else (0, 0, 1, 0))
        for (kind, new, collector), n in self.contacts.items():
            if new:
                _add(out, collector, (0, n, 0, 0) if kind == STREET else (0, 0, 0, n))
        return out


@cache
def _outreach_queries():
    in_days = and_(col(Outreach.day) >= bindparam("first"), col(Outreach.day) <= bindparam("last"))
    held = (
        select(col(Outreach.id), col(Outreach.kind), col(OutreachStaff.staff_id))
        .select_from(Outreach)
        .outerjoin(OutreachStaff, col(OutreachStaff.outreach_id) == col(Outreach.id))
        .where(in_days)
    )
    keys = (col(Outreach.kind), col(OutreachContact.new_lead), col(OutreachContact.collector_id))
    contacts = (
        select(*keys, func.count())
        .join(Outreach, col(Outreach.id) == col(OutreachContact.outreach_id))
        .where(in_days)
        .group_by(*keys)
    )
    return held, contacts


def outreach(session: Session, period: Period) -> OutreachFigures:
    held_query, contacts_query = _outreach_queries()
    held, contacts = _rows(session, held_query, period), _rows(session, contacts_query, period)
    return OutreachFigures([tuple(row) for row in held], {(k, new, c): n for k, new, c, n in contacts})


# -- the month ------------------------------------------------------------------------------


def _has(column):
    return func.coalesce(column, "") != ""


def register_rows(session: Session, period: Period) -> list:
    """The phone register (docs/domain.md §2.7): one row per inquiry call, in time order, of
    (started_at, call_type, outcome, caller_number, caller_name, register_complete, recorded,
    lead_name, lead_phone, age, education, course, source, channel, valid, reasons,
    consultant, partner): a month's tens of thousands are read as they come, not copied
    into dicts.

    ``recorded``: the call has a recording (§2.8), on itself or on the consultant's phone
    note of it (she often attaches it there); a face-to-face note's is not a call's, and a
    note of another call of the lead is that call's. The note is looked for by its lead
    (``ix_consult_note_lead_id``: a lead has a few) only when the call has none.
    """
    return _rows(session, _register_query(), period)


@cache
def _register_query():
    # SQLAlchemy sets __table__ on every table class; SQLModel does not declare it.
    consultant = Staff.__table__.alias("consultant")  # type: ignore[attr-defined]
    on_note = exists().where(
        col(ConsultNote.lead_id) == col(Call.lead_id), col(ConsultNote.call_id) == col(Call.id),
        col(ConsultNote.kind) == "phone", _has(col(ConsultNote.recording_ref)),
    )
    recorded = case((_has(col(Call.recording_ref)), True), (on_note, True), else_=False)
    return (
        select(
            col(Call.started_at),
            col(Call.call_type),
            col(Call.outcome),
            col(Call.caller_number),
            col(Call.caller_name),
            col(Call.register_complete),
            recorded.label("recorded"),
            col(Lead.name).label("lead_name"),
            col(Lead.phone).label("lead_phone"),
            col(Lead.age),
            col(Lead.education),
            col(Lead.course_interest).label("course"),
            col(Lead.media_source).label("source"),
            col(Lead.channel),
            col(Lead.valid),
            col(Lead.validity_reasons).label("reasons"),
            consultant.c.name.label("consultant"),
            col(Partner.name).label("partner"),
        )
        .select_from(Call)
        .outerjoin(Lead, col(Lead.id) == col(Call.lead_id))
        .outerjoin(consultant, consultant.c.id == col(Call.to_staff_id))
        .outerjoin(Partner, col(Partner.id) == col(Call.partner_id))
        .where(_in(col(Call.started_at)), _unindexed(col(Call.call_type)).in_(INQUIRY_TYPES))
        .order_by(col(Call.started_at), col(Call.id))
    )


_DAYS_PER_STATEMENT = 100


def daily(session: Session, store: Store, period: Period) -> dict[str, list[int]]:
    """Per local day of the period: inquiry calls, new leads, valid leads, walk-ins, enrollments,
    their tuition (``amount_fen``), payments and refunds made (``payments``, a count) and the
    center's sales (``sales_fen``: money received that day less refunds, docs/domain.md §10.1).

    Each series is one statement: a UNION ALL of one aggregate per local day, each over its
    day's index range (the day's bounds from the store, so a time zone with daylight saving
    still cuts days at local midnight, on SQLite and PostgreSQL alike). Grouping the month by
    a CASE of the boundaries instead sorted every row of it: 110 ms of a month's 32,573
    inquiry calls against 35 ms for the ranges.
    """
    days = period.days
    bounds = [store.day_bounds(day) for day in days]
    zeros = lambda: [0] * len(days)  # noqa: E731
    names = ("inquiries", "new_leads", "valid_leads", "walk_ins", "enrollments", "amount_fen", "payments", "sales_fen")
    series = {name: zeros() for name in names}

    def fill(names, column, extra, where):
        # SQLite takes at most 500 terms in one compound SELECT: a long period goes in chunks.
        for first in range(0, len(days), _DAYS_PER_STATEMENT):
            parts = [
                select(literal(index).label("bucket"), func.count(), *extra).where(column >= start, column < end, *where)
                for index, (start, end) in enumerate(bounds[first : first + _DAYS_PER_STATEMENT], start=first)
            ]
            for row in session.execute(union_all(*parts) if len(parts) > 1 else parts[0]).all():
                for name, value in zip(names, row[1:], strict=True):
                    series[name][row[0]] = int(value or 0)

    fill(["inquiries"], col(Call.started_at), [], [_unindexed(col(Call.call_type)).in_(INQUIRY_TYPES)])
    valid = func.coalesce(func.sum(case((col(Lead.valid) == True, 1), else_=0)), 0)  # noqa: E712
    fill(["new_leads", "valid_leads"], col(Lead.first_contact_at), [valid], [])
    fill(["walk_ins"], col(Visit.arrived_at), [], [])
    fill(["enrollments", "amount_fen"], col(Enrollment.enrolled_at), [func.sum(col(Enrollment.amount_fen))], [])
    signed = case((col(Payment.kind) == "refund", -col(Payment.amount_fen)), else_=col(Payment.amount_fen))
    fill(["payments", "sales_fen"], col(Payment.paid_at), [func.sum(signed)], [])
    return series
