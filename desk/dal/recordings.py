"""Recordings of consult calls (docs/domain.md §2.8, §4.3): attaching a reference to a call or
a phone note, and what a recording is looked for by (the caller's number, the call's time).

A phone lead is valid only with a recording; the reference often arrives after the call was
saved, so attaching one re-checks the lead in the same transaction (``leads.evaluate``) and
the verdict is the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desk.dal import leads as leads_dal
from desk.dal.store import Store, apply_changes, existing
from desk.errors import DeskError, FieldError
from desk.models import Call, ConsultNote, Lead
from desk.rules.leads import Verdict
from desk.rules.recordings import MAX_REF


@dataclass(frozen=True)
class Attached:
    """The reference as stored, and the lead's verdict after it (None: a call with no lead)."""

    ref: str
    verdict: Verdict | None


@dataclass(frozen=True)
class Sought:
    """What a recording of a call is found by: the caller's number (E.164) and the time the
    call started, in the center's wall clock (recorders stamp local time)."""

    number: str | None
    at: datetime | None


def clean_ref(ref: str | None, field: str = "recording") -> str:
    """The reference as stored: trimmed; empty or longer than the column holds -> FieldError."""
    text = (ref or "").strip()
    if not text:
        raise FieldError(field, "recordings.err_empty")
    if len(text) > MAX_REF:
        raise FieldError(field, "recordings.err_long", max=MAX_REF, n=len(text))
    return text


def attach_recording(store: Store, *, call_id: int | None = None, note_id: int | None = None, ref: str,
                     by: int | None) -> Attached:
    """Store ``ref`` on the call or the note (one of them), audited as done by staff ``by``,
    and re-check the lead's validity."""
    if (call_id is None) == (note_id is None):
        raise DeskError("attach_recording: give a call_id or a note_id")
    text = clean_ref(ref)
    if by is not None and by != store.actor_id:
        store = store.with_actor(by)
    with store.write() as session:
        row: Call | ConsultNote = existing(session, Call, call_id) if call_id is not None else existing(session, ConsultNote, note_id)
        changes = apply_changes(row, {"recording_ref": text})
        if changes:
            session.add(row)
            store.audit(session, "recording", row, changes)
        lead = session.get(Lead, row.lead_id) if row.lead_id is not None else None
        if lead is None:
            return Attached(text, None)
        session.flush()
        return Attached(text, leads_dal.evaluate(session, store, lead))


def sought(store: Store, *, call_id: int | None = None, note_id: int | None = None, lead_id: int | None = None) -> Sought:
    """What the recording of this call (or this note's call, or a consult with this lead now)
    is looked for by. A note without its call was a call the consultant made: now, or when
    the note was written."""
    with store.read() as session:
        call = session.get(Call, call_id) if call_id is not None else None
        note = session.get(ConsultNote, note_id) if note_id is not None else None
        if note is not None and note.call_id is not None:
            call = session.get(Call, note.call_id)
        if call is not None:
            lead = session.get(Lead, call.lead_id) if call.lead_id is not None else None
            return Sought(call.caller_number or (lead.phone if lead else None), _wall(store, call.started_at))
        lead = session.get(Lead, note.lead_id if note is not None else lead_id) if (note or lead_id) else None
        moment = note.created_at if note is not None else store.now()
        return Sought(lead.phone if lead is not None else None, _wall(store, moment))


def _wall(store: Store, moment: datetime) -> datetime:
    return store.local(moment).replace(tzinfo=None)
