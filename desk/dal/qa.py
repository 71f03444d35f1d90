"""QA scoring of consults (质检评分, docs/domain.md §11.4): what there is to review, the
reviews saved, and a consultant's monthly average.

A consult is a call the front desk transferred to a consultant that has its recording, or a
face-to-face consult note. A reviewer (``Action.QA_REVIEW``: a manager) ticks the faults,
bonuses and fatal errors of the rubric (``desk.rules.qa``); the scores follow from them and
are stored beside the marks, so a later change of the rubric never rewrites a month gone by.
One review per consult: scoring it again replaces the marks (audited as a change).

Reviews are a consultant's own business: she reads hers; anyone else's needs QA_REVIEW,
checked here whatever screen or command asks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from desk.dal.identity import require
from desk.dal.store import Store, apply_changes
from desk.errors import FieldError, Refused
from desk.i18n import t
from desk.models import Call, ConsultNote, Lead, QaReview, Staff
from desk.rules.access import Action, allowed
from desk.rules.qa import default_rubric

CALL = "call"
NOTE = "note"


@dataclass(frozen=True)
class Marks:
    """What a reviewer ticked, by the rubric's names; ``comments`` maps a fault to its comment."""

    faults: tuple[str, ...] = ()
    bonuses: tuple[str, ...] = ()
    fatal: tuple[str, ...] = ()
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Consult:
    """One consult that may be reviewed: ``kind`` CALL or NOTE, ``who`` the caller or lead,
    ``ref`` the recording's reference or the note's text, ``total`` its score once reviewed."""

    kind: str
    id: int
    staff_id: int
    at: datetime
    who: str
    ref: str
    total: int | None = None
    marks: Marks | None = None


@dataclass(frozen=True)
class Review:
    """A saved review, as the consultant and the reviewer read it."""

    id: int
    staff_id: int
    reviewer: str
    consult_kind: str
    consult_at: datetime
    who: str
    marks: Marks
    items: dict[str, int]
    bonus: int
    total: int
    fatal: bool


def month_bounds(store: Store, month: date) -> tuple[datetime, datetime]:
    """The aware instants where ``month`` (any day of it) starts and the next one starts."""
    first = month.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (datetime.combine(first, time.min, tzinfo=store.tz), datetime.combine(following, time.min, tzinfo=store.tz))


def _marks(raw: str) -> Marks:
    data = json.loads(raw or "{}")
    return Marks(tuple(data.get("faults", ())), tuple(data.get("bonuses", ())), tuple(data.get("fatal", ())),
                 dict(data.get("comments", {})))


def _reviewed(session: Session, kind: str, ids: list[int]) -> dict[int, QaReview]:
    column = col(QaReview.call_id) if kind == CALL else col(QaReview.note_id)
    rows = session.exec(select(QaReview).where(column.in_(ids))).all() if ids else []
    return {(row.call_id if kind == CALL else row.note_id) or 0: row for row in rows}


def consults_to_review(store: Store, staff_id: int | None = None, month: date | None = None) -> list[Consult]:
    """The month's consults (this month when None) of one consultant, or of all when None,
    oldest first, each with its score when it has been reviewed."""
    with store.read() as session:
        require(session, store, Action.QA_REVIEW)
        start, end = month_bounds(store, month or store.today())
        calls = select(Call, Lead.name).outerjoin(Lead, col(Lead.id) == col(Call.lead_id)).where(
            col(Call.outcome) == "transferred", col(Call.to_staff_id).is_not(None), col(Call.recording_ref).is_not(None),
            col(Call.recording_ref) != "", col(Call.started_at) >= start, col(Call.started_at) < end)
        notes = select(ConsultNote, Lead.name).join(Lead, col(Lead.id) == col(ConsultNote.lead_id)).where(
            col(ConsultNote.kind) == "face_to_face", col(ConsultNote.created_at) >= start, col(ConsultNote.created_at) < end)
        if staff_id is not None:
            calls = calls.where(col(Call.to_staff_id) == staff_id)
            notes = notes.where(col(ConsultNote.staff_id) == staff_id)
        call_rows = session.exec(calls).all()
        note_rows = session.exec(notes).all()
        done_calls = _reviewed(session, CALL, [c.id for c, _ in call_rows if c.id is not None])
        done_notes = _reviewed(session, NOTE, [n.id for n, _ in note_rows if n.id is not None])
        found = [
            _consult(CALL, call.id, call.to_staff_id, call.started_at, call.caller_name or lead or call.caller_number or "",
                     call.recording_ref or "", done_calls.get(call.id or 0))
            for call, lead in call_rows
        ] + [
            _consult(NOTE, note.id, note.staff_id, note.created_at, lead or "", _note_text(note), done_notes.get(note.id or 0))
            for note, lead in note_rows
        ]
        return sorted(found, key=lambda c: (c.at, c.kind, c.id))


def _consult(kind: str, row_id: int | None, staff_id: int | None, at: datetime, who: str, ref: str,
             review: QaReview | None) -> Consult:
    return Consult(kind, row_id or 0, staff_id or 0, at, who, ref,
                   review.total if review else None, _marks(review.marks) if review else None)


def _note_text(note: ConsultNote) -> str:
    """What the note says, in one line: its text, else what was asked and the next step."""
    parts = [p for p in (note.text, note.asked, note.next_step) if p]
    return " · ".join(" ".join(p.split()) for p in parts)


def save_review(
    store: Store, staff_id: int, *, call_id: int | None = None, note_id: int | None = None,
    faults: tuple[str, ...] | list[str] = (), bonuses: tuple[str, ...] | list[str] = (),
    fatal: tuple[str, ...] | list[str] = (), comments: dict[str, str] | None = None,
) -> QaReview:
    """Score one consult of ``staff_id`` (a call or a note, exactly one) by the rubric and save
    it with the marks; a comment is kept for a ticked fault only. Audited as ``qa_review``."""
    if (call_id is None) == (note_id is None):
        raise FieldError("consult", "qa.err_pick_consult")
    try:
        scored = default_rubric().review(faults, bonuses, fatal)
    except ValueError as err:
        raise FieldError("marks", "qa.err_marks", detail=str(err)) from None
    kept = {f: " ".join(text.split()) for f, text in (comments or {}).items() if f in set(faults) and text.strip()}
    marks = {"faults": list(faults), "bonuses": list(bonuses), "fatal": list(fatal), "comments": kept}
    with store.write() as session:
        require(session, store, Action.QA_REVIEW)
        reviewer_id = store.actor_id
        if reviewer_id is None:
            raise Refused(t("qa.err_no_reviewer"))
        if reviewer_id == staff_id:
            raise FieldError("consult", "qa.err_own")
        consult_at = _consult_of(session, staff_id, call_id, note_id)
        column, row_id = (col(QaReview.call_id), call_id) if call_id is not None else (col(QaReview.note_id), note_id)
        review = session.exec(select(QaReview).where(column == row_id)).first()
        values: dict[str, Any] = {
            "staff_id": staff_id, "reviewer_id": reviewer_id, "call_id": call_id, "note_id": note_id,
            "consult_at": consult_at, "marks": json.dumps(marks, ensure_ascii=False),
            "items": json.dumps(dict(scored.items)), "bonus": scored.bonus, "total": scored.total, "fatal": scored.fatal,
        }
        if review is None:
            review = QaReview(**values, created_at=store.now())
            session.add(review)
            store.audit(session, "qa_review", review)
        else:
            changed = apply_changes(review, values)
            session.add(review)
            store.audit(session, "qa_review", review, changed)
        return review


def _consult_of(session: Session, staff_id: int, call_id: int | None, note_id: int | None) -> datetime:
    """When the consult was, once it is known to be ``staff_id``'s and one there is to review."""
    if call_id is not None:
        call = session.get(Call, call_id)
        if call is None or call.to_staff_id != staff_id or call.outcome != "transferred" or not call.recording_ref:
            raise FieldError("consult", "qa.err_not_consult")
        return call.started_at
    note = session.get(ConsultNote, note_id)
    if note is None or note.staff_id != staff_id or note.kind != "face_to_face":
        raise FieldError("consult", "qa.err_not_consult")
    return note.created_at


def _may_read(session: Session, store: Store, staff_id: int) -> None:
    """A consultant reads her own reviews; anyone else's are a reviewer's. Stricter than
    :func:`require`, which refuses nothing in a center without PINs: a named person who is
    not a reviewer is refused there too, so the screens never show one consultant another's."""
    if store.actor_id is not None and store.actor_id == staff_id:
        return
    actor = require(session, store, Action.QA_REVIEW)
    if actor is not None and not allowed(actor.role, Action.QA_REVIEW):
        raise Refused(t("access.refused", name=actor.name, role=t("common.roles." + actor.role),
                        action=t("access.actions." + Action.QA_REVIEW.value)))


def reviews_for(store: Store, staff_id: int, month: date | None = None) -> list[Review]:
    """One consultant's reviews of the month's consults (this month when None), oldest first."""
    with store.read() as session:
        _may_read(session, store, staff_id)
        return _reviews(session, store, staff_id, month or store.today())


def _reviews(session: Session, store: Store, staff_id: int, month: date) -> list[Review]:
    start, end = month_bounds(store, month)
    rows = session.exec(
        select(QaReview, Staff.name).join(Staff, col(Staff.id) == col(QaReview.reviewer_id))
        .where(col(QaReview.staff_id) == staff_id, col(QaReview.consult_at) >= start, col(QaReview.consult_at) < end)
        .order_by(col(QaReview.consult_at), col(QaReview.id))
    ).all()
    return [
        Review(review.id or 0, review.staff_id, reviewer, CALL if review.call_id is not None else NOTE,
               review.consult_at, _who(session, review), _marks(review.marks), json.loads(review.items or "{}"),
               review.bonus, review.total, review.fatal)
        for review, reviewer in rows
    ]


def _who(session: Session, review: QaReview) -> str:
    if review.call_id is not None:
        call = session.get(Call, review.call_id)
        lead = session.get(Lead, call.lead_id) if call and call.lead_id else None
        return (call.caller_name if call else None) or (lead.name if lead else "") or ""
    note = session.get(ConsultNote, review.note_id)
    lead = session.get(Lead, note.lead_id) if note else None
    return lead.name if lead else ""


def qa_average(store: Store, staff_id: int, month: date | None = None) -> tuple[Decimal | None, int]:
    """The month's average score of one consultant (to the tenth, half up) and how many
    reviews it is of; (None, 0) for a month with none."""
    with store.read() as session:
        _may_read(session, store, staff_id)
        totals = [r.total for r in _reviews(session, store, staff_id, month or store.today())]
    if not totals:
        return None, 0
    average = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return average, len(totals)
